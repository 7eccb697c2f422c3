from django.core.management.base import BaseCommand

from reviews.models import Reminder
from reviews.services.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Send the reminders due today, by e-mail (queued for the task worker) and on the "
        "dashboard, in each person's language: the inception report, desk reviews before "
        "the visit, report approvals pending for REMINDER_APPROVAL_DAYS, the factual-accuracy "
        "round closing, committed actions, progress updates before and after each checkpoint "
        "(REMINDER_DAYS_AHEAD days ahead). Each reminder goes once per person and due date, "
        "however often this runs; people who turned reminders off get none. Run it daily "
        "(cron or a systemd timer, see the README)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be sent; send nothing."
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Put the job on the task queue for a worker instead of running it here.",
        )

    def handle(self, *args, dry_run=False, enqueue=False, **options):
        if enqueue:
            from reviews.tasks import send_reminders as task

            result = task.enqueue()
            self.stdout.write(f"Reminders enqueued as task {result.id}.")
            return
        summary = send_reminders(dry_run=dry_run)
        labels = dict(Reminder.KIND_CHOICES)
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(f"{summary.total} reminder(s) {verb}; {summary.already} sent before.")
        for kind, count in sorted(summary.sent.items()):
            self.stdout.write(f"  {labels[kind]}: {count}")
