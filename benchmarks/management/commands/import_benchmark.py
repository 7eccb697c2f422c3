from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from benchmarks.models import Benchmark
from benchmarks.services import ImportRejected, import_as_draft
from benchmarks.spreadsheet import read_upload


class Command(BaseCommand):
    help = (
        "Import a .xlsx or .json benchmark file as a new draft version. Every problem is "
        "listed by sheet, row and column, and nothing is saved when there is one."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--into", help="Short name of an existing benchmark to add a version to."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file, save nothing.")

    def handle(self, path, into=None, dry_run=False, **options):
        benchmark = None
        if into:
            benchmark = Benchmark.objects.filter(slug=into).first()
            if benchmark is None:
                raise CommandError(f"No benchmark {into!r}.")
        try:
            with Path(path).open("rb") as handle:
                data = read_upload(handle)
            if dry_run:
                from benchmarks.services import check_data

                problems = check_data(data)
                if problems:
                    raise ImportRejected(problems)
                self.stdout.write(f"{len(data['indicators'])} indicators would be imported.")
                return
            version = import_as_draft(data, benchmark=benchmark)
        except ImportRejected as rejected:
            lines = "\n".join(f"  {p.where}: {p.message}" for p in rejected.problems)
            raise CommandError(f"Nothing imported:\n{lines}") from rejected
        self.stdout.write(
            f"Imported {version.indicators.count()} indicators as draft version {version.number} of {version.benchmark}."
        )
