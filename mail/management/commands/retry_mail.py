from django.core.management.base import BaseCommand

from mail.delivery import enqueue_due
from mail.models import Delivery


class Command(BaseCommand):
    help = (
        "Enqueue every queued e-mail whose pause is over: after the task queue itself was "
        "down, or with TASKS_BACKEND=immediate, which cannot defer a retry. Safe to run at "
        "any time: a delivery is claimed and sent once, however many tasks ask for it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count them, enqueue nothing.")

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            count = Delivery.objects.due().count()
            self.stdout.write(f"{count} queued e-mail(s) would be enqueued.")
            return
        count = enqueue_due()
        failed = Delivery.objects.needing_attention().count()
        self.stdout.write(f"{count} queued e-mail(s) enqueued; {failed} need a coordinator.")
