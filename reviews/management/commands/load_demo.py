from django.core.management.base import BaseCommand
from django.utils import timezone

from reviews.demo import load_demo


class Command(BaseCommand):
    help = (
        "Create the demo cities, people (one per role) and the demo review. "
        "Idempotent: existing demo records are left as they are."
    )

    def handle(self, *args, **options):
        created = load_demo(today=timezone.localdate())
        summary = ", ".join(f"{count} {kind}" for kind, count in created.items())
        self.stdout.write(f"Demo data: created {summary}.")
