from django.core.management.base import BaseCommand, CommandError

from reviews.archive import ArchiveError, import_review


class Command(BaseCommand):
    help = (
        "Load a .zip file written by export_review into this database, everything or "
        "nothing. Refused when the database has any review, or when the archive's manifest "
        "is missing, of another format version, or does not match its contents. Primary keys "
        "are kept. A row that exists here already with the same primary key and the same "
        "identity (its unique fields, such as a user's e-mail address or a benchmark's short "
        "name; all its fields when it has none) is kept as it is, with its own history: so "
        "benchmarks loaded by load_benchmarks in the same order are used, not duplicated. "
        "Any other clash (same key, another identity; or same identity, another key) stops "
        "the import with a list. Files are restored into media storage under their names."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A .zip file written by export_review.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and load, then roll back; save nothing."
        )

    def handle(self, path, dry_run=False, **options):
        try:
            result = import_review(path, dry_run=dry_run)
        except ArchiveError as error:
            raise CommandError(f"Nothing imported. {error}") from error
        rows = sum(n for label, n in result.inserted.items() if ".historical" not in label)
        history = sum(result.inserted.values()) - rows
        kept = sum(result.kept.values())
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {result.review} (review {result.review.pk}): {rows} rows, "
            f"{history} history rows, {result.files} files; {kept} rows were here already."
        )
