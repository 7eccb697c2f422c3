from django.core.management.base import BaseCommand

from syntheses.demo import load_comparative_demo


class Command(BaseCommand):
    help = (
        "Write the demo programme's comparative report (after load_demo). Idempotent: a "
        "comparative report that exists is left as it is."
    )

    def handle(self, *args, **options):
        created = load_comparative_demo()
        self.stdout.write(f"Demo comparative report: created {created}.")
