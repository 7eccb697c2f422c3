import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone, translation

from benchmarks.models import Benchmark, BenchmarkVersion, Indicator
from cities.models import City
from practices.models import Practice, PracticeIndicator, Tag
from practices.tags import TAG_NAMES

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "practices"


def tag_for(kind: str, code: str) -> Tag:
    tag = Tag.objects.filter(kind=kind, code=code).first()
    if tag is None:
        name = TAG_NAMES.get(code, code.replace("_", " "))
        names = {}
        for language in ("en", "nl"):
            with translation.override(language):
                names[f"name_{language}"] = str(name)
        tag = Tag.objects.create(kind=kind, code=code, name=names["name_en"], **names)
    return tag


def city_for(entry: dict) -> City:
    city = City.objects.filter(name_en=entry["en"], country_en=entry["country_en"]).first()
    if city is None:
        city = City.objects.create(
            name=entry["en"],
            name_en=entry["en"],
            name_nl=entry["nl"],
            country=entry["country_en"],
            country_en=entry["country_en"],
            country_nl=entry["country_nl"],
        )
    return city


def latest_indicators(slug: str) -> dict[str, Indicator]:
    benchmark = Benchmark.objects.filter(slug=slug).first()
    if benchmark is None:
        return {}
    version = (
        BenchmarkVersion.objects.filter(benchmark=benchmark, status=BenchmarkVersion.PUBLISHED)
        .order_by("-number")
        .first()
    )
    return {i.code: i for i in version.indicators.all()} if version else {}


@transaction.atomic
def load_file(data: dict) -> tuple[int, int]:
    indicators = latest_indicators(data["benchmark"])
    benchmark = Benchmark.objects.filter(slug=data["benchmark"]).first()
    loaded = skipped = 0
    for entry in data["practices"]:
        if Practice.objects.filter(slug=entry["key"]).exists():
            skipped += 1
            continue
        practice = Practice.objects.create(
            slug=entry["key"],
            title=entry["title"]["en"],
            title_en=entry["title"]["en"],
            title_nl=entry["title"]["nl"],
            description_en=entry["description"]["en"],
            description_nl=entry["description"]["nl"],
            transferability_en=entry["transferability"]["en"],
            transferability_nl=entry["transferability"]["nl"],
            organisation=entry["organisation"],
            programme=data["programme"],
            theme=entry["group"],
            sources=f"{data['source_title']['en']} ({entry['source_ref']})",
            state=Practice.PUBLISHED,
            published_at=timezone.now(),
        )
        practice.cities.set([city_for(city) for city in entry["cities"]])
        practice.tags.set(
            [tag_for(kind, code) for kind, codes in entry["tags"].items() for code in codes]
        )
        PracticeIndicator.objects.bulk_create(
            PracticeIndicator(
                practice=practice,
                code=code,
                lineage=indicators[code].lineage if code in indicators else None,
                benchmark=benchmark,
            )
            for code in entry["indicators"]
        )
        loaded += 1
    return loaded, skipped


class Command(BaseCommand):
    help = (
        "Load the good practices of the sources (fixtures/practices/*.json) as published "
        "practices, linked to the indicators of the benchmarks' latest published versions "
        "(run load_benchmarks first). A practice that exists already (same key) is left as it is."
    )

    def handle(self, *args, **options):
        for path in sorted(FIXTURES.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            loaded, skipped = load_file(data)
            self.stdout.write(
                f"Practices from {path.name}: {loaded} loaded, {skipped} already present."
            )
