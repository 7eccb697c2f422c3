from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reviews.models import Review
from reviews.services.privacy import pseudonymise, retention, retention_ended


class Command(BaseCommand):
    help = (
        "Replace the names of the people interviewed by their role in every review whose "
        "retention period has ended (its own period, or the network's default, in months "
        "after the report was published). Each interviewee's name becomes their kind and a "
        "number stable within the review ('Politician 2') in their own rows, in the rows "
        "that list them, wherever it occurs in text or in the frozen report versions, and "
        "in the change history of all of these; contacts are emptied, and so are the desk "
        "reviews' 'others to meet'. One transaction per review, and a line in the review's "
        "history. It cannot be undone. A second run changes nothing. --dry-run prints what "
        "would change per review, model and field, and changes nothing. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Change nothing; print what would change."
        )
        parser.add_argument(
            "--review", type=int, help="Only this review (its retention period must have ended)."
        )

    def handle(self, *args, dry_run=False, review=None, **options):
        today = timezone.localdate()
        due = retention_ended(today)
        if review is not None:
            chosen = Review.objects.filter(pk=review).first()
            if chosen is None:
                raise CommandError(f"No review {review}.")
            if chosen not in due:
                kept = retention(chosen)
                until = kept.ends_on.isoformat() if kept.ends_on else "its report is published"
                self.stdout.write(
                    f"Review {chosen.pk} ({chosen}): its retention period has not ended "
                    f"(names are kept until {until}); nothing changed."
                )
                return
            due = [chosen]
        if not due:
            self.stdout.write("No review's retention period has ended; nothing changed.")
            return
        changed = 0
        for item in due:
            kept = retention(item)
            result = pseudonymise(item, dry_run=dry_run)
            self.stdout.write(
                f"Review {item.pk} ({item}): retention ended on {kept.ends_on.isoformat()}, "
                f"{kept.months} months after publication on {kept.published_on.isoformat()}."
            )
            if not result.changes:
                self.stdout.write("  nothing to change.")
                continue
            changed += 1
            people = len(result.newly_pseudonymised())
            if dry_run:
                line = (
                    f"  would pseudonymise {people} interviewee(s) and change {result.rows} row(s):"
                )
            else:
                line = f"  pseudonymised {people} interviewee(s), changed {result.rows} row(s):"
            self.stdout.write(line)
            for model, column, rows in result.counts():
                self.stdout.write(f"    {model._meta.label}.{column}: {rows}")
        if dry_run:
            self.stdout.write(
                f"Dry run: {changed} of {len(due)} review(s) would change; nothing changed."
            )
        else:
            self.stdout.write(f"Done: {changed} of {len(due)} review(s) changed.")
