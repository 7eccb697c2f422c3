"""The demo network: a handful of cities, people in every role, one review.

Idempotent: running it again finds what exists and changes nothing, so
passwords that people changed stay changed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from benchmarks.models import BenchmarkVersion
from cities.models import City, User
from reviews.models import Membership, Review
from reviews.steps import COORDINATOR, HOST, PEER, TEAM_LEADER

DEMO_PASSWORD = "critical-friend-demo"  # noqa: S105 - printed for local demo use only
DEMO_REVIEW_TITLE = "Peer review of Rotterdam 2026"

CITIES = [
    ("Rotterdam", "Netherlands", 655_000, "Dutch, English"),
    ("Malmö", "Sweden", 360_000, "Swedish, English"),
    ("Helsinki", "Finland", 675_000, "Finnish, Swedish, English"),
    ("Lyon", "France", 520_000, "French"),
    ("Ghent", "Belgium", 265_000, "Dutch, French"),
    ("Brussels", "Belgium", 1_200_000, "French, Dutch, English"),
]


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    initials: str
    city: str
    role: str | None  # role in the demo review
    is_coordinator: bool = False
    is_host_lead: bool = False
    language: str = "en"


PEOPLE = [
    DemoPerson(
        "coordinator@example.org",
        "Clara Dupont",
        "CD",
        "Brussels",
        COORDINATOR,
        is_coordinator=True,
    ),
    DemoPerson("leader@example.org", "Jan Berg", "JB", "Malmö", TEAM_LEADER),
    DemoPerson("peer1@example.org", "Fatima Chahid", "FC", "Ghent", PEER, language="nl"),
    DemoPerson("peer2@example.org", "Mikko Laine", "ML", "Helsinki", PEER),
    DemoPerson("peer3@example.org", "Sophie Martin", "SM", "Lyon", PEER),
    DemoPerson(
        "host@example.org",
        "Anouk de Vries",
        "AV",
        "Rotterdam",
        HOST,
        is_host_lead=True,
        language="nl",
    ),
    DemoPerson("host2@example.org", "Pieter Janssen", "PJ", "Rotterdam", HOST, language="nl"),
    DemoPerson("outsider@example.org", "Olga Nowak", "ON", "Helsinki", None),
]


@transaction.atomic
def load_demo(*, today: datetime.date) -> dict[str, int]:
    created = {"cities": 0, "users": 0, "reviews": 0, "memberships": 0}
    cities = {}
    for name, country, population, languages in CITIES:
        city, new = City.objects.get_or_create(
            name=name, country=country, defaults={"population": population, "languages": languages}
        )
        cities[name] = city
        created["cities"] += new
    users = {}
    for person in PEOPLE:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            user = User.objects.create_user(
                person.email,
                DEMO_PASSWORD,
                name=person.name,
                initials=person.initials,
                city=cities[person.city],
                is_coordinator=person.is_coordinator,
                preferred_language=person.language,
            )
            created["users"] += 1
        users[person.email] = user
    review = Review.objects.filter(title=DEMO_REVIEW_TITLE).first()
    if review is None:
        review = Review.objects.create(
            title=DEMO_REVIEW_TITLE,
            benchmark_version=BenchmarkVersion.objects.published()
            .filter(benchmark__slug="inti-cities")
            .order_by("-number")
            .first(),
            host_city=cities["Rotterdam"],
            current_step=3,
            training_date=today - datetime.timedelta(days=30),
            inception_due=today + datetime.timedelta(days=14),
            visit_start=today + datetime.timedelta(days=45),
            visit_end=today + datetime.timedelta(days=48),
            report_due=today + datetime.timedelta(days=90),
        )
        created["reviews"] += 1
    for person in PEOPLE:
        if person.role is None:
            continue
        _, new = Membership.objects.get_or_create(
            review=review,
            user=users[person.email],
            defaults={"role": person.role, "is_host_lead": person.is_host_lead},
        )
        created["memberships"] += new
    return created
