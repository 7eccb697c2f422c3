import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from benchmarks.models import Benchmark
from benchmarks.services import ImportRejected, import_version

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "benchmarks"


class Command(BaseCommand):
    help = (
        "Load every benchmark file in fixtures/benchmarks/ as a published version 1. "
        "A benchmark that exists already (same short name) is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Check the files, save nothing.")

    def handle(self, *args, dry_run=False, **options):
        loaded, skipped = [], []
        for path in sorted(FIXTURES.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            if Benchmark.objects.filter(slug=data["slug"]).exists():
                skipped.append(data["slug"])
                continue
            if dry_run:
                loaded.append(data["slug"])
                continue
            try:
                version = import_version(data, publish=True)
            except ImportRejected as rejected:
                problems = "; ".join(f"{p.where}: {p.message}" for p in rejected.problems)
                raise CommandError(f"{path.name}: {problems}") from rejected
            loaded.append(f"{data['slug']} ({version.indicators.count()} indicators)")
        verb = "Would load" if dry_run else "Loaded"
        self.stdout.write(
            f"Benchmarks: {verb} {', '.join(loaded) or 'none'}; already present: {', '.join(skipped) or 'none'}."
        )
