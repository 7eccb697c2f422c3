import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from benchmarks.models import BenchmarkVersion
from benchmarks.services import export_version
from benchmarks.spreadsheet import to_xlsx


class Command(BaseCommand):
    help = "Write a benchmark version to a .xlsx or .json file (by the file's extension)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("version", type=int)
        parser.add_argument("path")

    def handle(self, slug, version, path, **options):
        found = BenchmarkVersion.objects.filter(benchmark__slug=slug, number=version).first()
        if found is None:
            raise CommandError(f"No version {version} of benchmark {slug!r}.")
        data = export_version(found)
        target = Path(path)
        if target.suffix == ".json":
            target.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        elif target.suffix == ".xlsx":
            target.write_bytes(to_xlsx(data))
        else:
            raise CommandError("The file must end in .xlsx or .json.")
        self.stdout.write(f"Wrote {len(data['indicators'])} indicators of {found} to {target}.")
