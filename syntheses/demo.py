"""The demo programme's comparative report: two chapters written from its three published
reviews (Leipzig, Ghent, Malmö), frozen as version 1, approved by one of its two authors.

Its statements restate what those demo reviews found (reviews/demo.py): Leipzig and Ghent
set targets without measuring them, Malmö measures its targets every year, Ghent's
departments work in parallel. Idempotent: a programme that has a comparative report keeps it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from core.approvals import record_approval
from reviews.demo import (
    GHENT_REVIEW_TITLE,
    MALMO_REVIEW_TITLE,
    PROGRAMME_NAME,
    REPORTED_REVIEW_TITLE,
)
from reviews.models import Programme
from syntheses.content import build_content
from syntheses.models import ComparativeReport, Statement, ensure_report

AUTHORS = {"GG": "leader@example.org", "IC": "peer2@example.org"}
APPROVED_BY = "leader@example.org"

CHAPTERS = {
    "GG": {
        "approach": (
            "All three cities have an integration strategy. Leipzig and Ghent set targets "
            "but do not yet measure them; Malmö measures its targets every year, but its "
            "strategy has had no political owner since 2024."
        ),
        "statements": [
            (
                Statement.CHALLENGE,
                "Targets are set but not measured, so the strategy cannot show what it achieves.",
                (REPORTED_REVIEW_TITLE, GHENT_REVIEW_TITLE),
            ),
            (
                Statement.ADVICE,
                "Give every target an owner and a yearly measurement, and report the results "
                "to the council.",
                (REPORTED_REVIEW_TITLE, GHENT_REVIEW_TITLE),
            ),
            (
                Statement.EXAMPLE,
                "Malmö measures its integration targets every year and publishes the results.",
                (MALMO_REVIEW_TITLE,),
            ),
        ],
    },
    "IC": {
        "approach": (
            "Services for newcomers are spread over several departments in every city; "
            "Ghent's work in parallel rather than together."
        ),
        "statements": [
            (
                Statement.EXAMPLE,
                "Ghent set up one steering group of the departments that serve newcomers; it "
                "has met twice.",
                (GHENT_REVIEW_TITLE,),
            ),
        ],
    },
}


@transaction.atomic
def load_comparative_demo() -> int:
    """The demo programme's comparative report; 1 if it was created now, else 0 (also
    when the demo programme is not there)."""
    programme = Programme.objects.filter(name=PROGRAMME_NAME).first()
    if programme is None or ComparativeReport.objects.filter(programme=programme).exists():
        return 0
    people = {u.email: u for u in get_user_model().objects.filter(email__in=AUTHORS.values())}
    reviews = {r.title: r for r in programme.reviews.all()}
    report = ensure_report(programme)
    for chapter in report.chapters.select_related("group"):
        spec = CHAPTERS.get(chapter.group.code)
        if spec is None:
            continue
        chapter.assignee = people.get(AUTHORS[chapter.group.code])
        chapter.approach = spec["approach"]
        chapter.save(update_fields=["assignee", "approach"])
        for order, (kind, text, titles) in enumerate(spec["statements"]):
            statement = Statement.objects.create(chapter=chapter, kind=kind, text=text, order=order)
            statement.reviews.set([reviews[t] for t in titles if t in reviews])
    report.forget()
    coordinator = get_user_model().objects.filter(is_coordinator=True).order_by("pk").first()
    version = report.freeze(by=coordinator, content=build_content(report))
    if APPROVED_BY in people:
        record_approval(version=version, by=people[APPROVED_BY], approves=True, comment="")
    return 1
