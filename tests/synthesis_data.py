"""A programme of three published, rated reviews with a team leader each, and its comparative
report opened: what the comparative-report tests start from."""

from __future__ import annotations

from reviews.models import Membership
from reviews.steps import TEAM_LEADER
from syntheses.models import Statement, ensure_report
from syntheses.services import assign_chapters
from tests.comparison_data import rated_programme
from tests.conftest import new_user


def synthesis_programme():
    """(programme, report, leaders): Antwerp, Ghent and Leipzig, each review led by its own
    team leader; chapter AA written by the first, chapter BB by the second."""
    programme = rated_programme()
    leaders = []
    for review in programme.reviews.order_by("host_city__name"):
        leader = new_user(name=f"Leader of {review.host_city.name}")
        Membership.objects.create(review=review, user=leader, role=TEAM_LEADER)
        leaders.append(leader)
    report = ensure_report(programme)
    first, second = report.chapters.order_by("order", "pk")
    assign_chapters(report=report, chapters={first: leaders[0], second: leaders[1]})
    return programme, report, leaders


def add_statement(chapter, kind, text, reviews) -> Statement:
    statement = Statement.objects.create(chapter=chapter, kind=kind, text=text)
    statement.reviews.set(reviews)
    return statement
