from django.core.management.base import BaseCommand

from cities.models import User
from reviews.demo import DEMO_PASSWORD, PEOPLE


class Command(BaseCommand):
    help = "Print the demo sign-ins created by load_demo (e-mail, password, role)."

    def handle(self, *args, **options):
        existing = set(
            User.objects.filter(email__in=[p.email for p in PEOPLE]).values_list("email", flat=True)
        )
        self.stdout.write("")
        self.stdout.write("Critical Friend is starting on http://127.0.0.1:8000/")
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for person in PEOPLE:
            if person.email not in existing:
                continue
            role = (
                "coordinator"
                if person.is_coordinator
                else (person.label or person.role or "no review (outsider)")
            )
            self.stdout.write(f"  {person.email:<26} {person.name:<18} {role}")
        self.stdout.write("")
