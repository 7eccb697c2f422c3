from django.core.management.base import BaseCommand, CommandError

from reviews.archive import ArchiveError, export_review
from reviews.models import Review


class Command(BaseCommand):
    help = (
        "Write one review to a new .zip file: the review and everything that belongs to it, "
        "the cities and benchmark version it needs, the change history of all of them, the "
        "uploaded files, and the people it needs: its members and whoever its rows or their "
        "history name, without password hashes or last sign-in times. Others named only by "
        "shared rows (who edited the host city's page) are left out, their changes kept "
        "without an author. It holds names, e-mail addresses and everything people wrote, so "
        "keep it as safe as the database. An existing file is never overwritten. Load it "
        "elsewhere with import_review."
    )

    def add_arguments(self, parser):
        parser.add_argument("review_pk", type=int)
        parser.add_argument("path", help="The .zip file to write.")

    def handle(self, review_pk, path, **options):
        review = Review.objects.filter(pk=review_pk).first()
        if review is None:
            raise CommandError(f"No review {review_pk}.")
        try:
            result = export_review(review, path)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        rows = sum(n for label, n in result.counts.items() if ".historical" not in label)
        history = sum(result.counts.values()) - rows
        self.stdout.write(
            f"Wrote {review} to {result.path}: {rows} rows, {history} history rows, "
            f"{len(result.files)} files."
        )
        if result.people_left_out:
            self.stdout.write(
                f"{sum(result.people_left_out.values())} references to people the review does "
                "not need were left empty (see people_left_out in the manifest)."
            )
        if result.missing_files:
            self.stderr.write(
                "Files missing from storage, not in the archive: " + ", ".join(result.missing_files)
            )
