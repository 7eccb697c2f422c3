"""Reviews on two versions of a benchmark, compared through the indicators' lineage
(comparisons.matrix.compare_reviews, comparisons:chosen)."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from benchmarks.services import start_new_draft
from comparisons.matrix import compare_reviews
from reviews.models import FeedbackReport, IndicatorEvaluation, Review
from tests.comparison_data import levels_of
from tests.conftest import new_benchmark, new_city, new_review


def rated_review(city: str, version, code: str) -> Review:
    review = new_review(title=f"Review of {city}", host_city=new_city(name=city))
    Review.objects.filter(pk=review.pk).update(benchmark_version=version)
    review.refresh_from_db()
    levels = levels_of(version)
    for indicator in version.indicators.all():
        IndicatorEvaluation.objects.create(review=review, indicator=indicator, rating=levels[code])
    FeedbackReport.objects.create(review=review, published_at=timezone.now())
    return review


@pytest.fixture
def two_versions(db, coordinator):
    """v1 with AA/X/1, AA/Y/1, BB/X/1, BB/Y/1; v2 rewords AA/Y/1, removes BB/Y/1 and adds
    one indicator (a new lineage)."""
    v1 = new_benchmark(slug="versions", indicators=4)
    v2 = start_new_draft(v1)
    reworded = v2.indicators.get(code="AA/Y/1")
    reworded.text = "A sharper text"
    reworded.save()
    v2.indicators.get(code="BB/Y/1").delete()
    added = v2.indicators.get(code="BB/X/1")
    added.pk = None
    added.number = 2
    added.lineage = uuid.uuid4()
    added.save()
    v2.publish(by=coordinator, override_reason="Agreed at the meeting.")
    old = rated_review("Antwerp", v1, "below")
    new = rated_review("Ghent", v2, "above")
    return v1, v2, old, new


def test_comparable_counts_the_indicators_in_every_version(two_versions, coordinator):
    v1, v2, old, new = two_versions
    matrix = compare_reviews(Review.objects.filter(pk__in=[old.pk, new.pk]), v2, coordinator)
    assert (matrix.comparable, matrix.indicator_count) == (3, 4)
    rows = {row.indicator.code: row for block in matrix.groups for row in block.rows}
    assert rows["BB/X/2"].comparable is False
    assert rows["AA/Y/1"].reworded is True
    assert rows["AA/X/1"].reworded is False


def test_removed_indicator_is_never_a_row(two_versions, coordinator):
    v1, v2, old, new = two_versions
    matrix = compare_reviews(Review.objects.filter(pk__in=[old.pk, new.pk]), v2, coordinator)
    codes = [row.indicator.code for block in matrix.groups for row in block.rows]
    assert "BB/Y/1" not in codes


def test_ratings_of_the_older_version_meet_their_lineage(two_versions, coordinator):
    v1, v2, old, new = two_versions
    matrix = compare_reviews(Review.objects.filter(pk__in=[old.pk, new.pk]), v2, coordinator)
    rows = {row.indicator.code: row for block in matrix.groups for row in block.rows}
    antwerp = [c.city.name for c in matrix.columns].index("Antwerp")
    assert rows["AA/Y/1"].cells[antwerp].rating.code == "below"
    assert rows["AA/Y/1"].cells[antwerp].rating.scale.version_id == v2.pk
    assert rows["BB/X/2"].cells[antwerp].rating is None


def test_chosen_page_compares_across_versions(two_versions, coordinator, client_for):
    v1, v2, old, new = two_versions
    response = client_for(coordinator).get(
        reverse("comparisons:chosen"), {"review": [old.pk, new.pk]}
    )
    html = response.content.decode()
    assert "3 of 4 indicators comparable" in html
    assert "reworded" in html
    assert "BB/Y/1" not in html


def test_chosen_page_refuses_two_benchmarks(two_versions, coordinator, client_for):
    v1, v2, old, new = two_versions
    other = rated_review("Leipzig", new_benchmark(slug="other", indicators=2), "above")
    response = client_for(coordinator).get(
        reverse("comparisons:chosen"), {"review": [old.pk, other.pk]}
    )
    assert response.context["matrix"] is None
    assert "Choose reviews on one benchmark" in response.content.decode()


def test_chosen_page_is_for_coordinators(two_versions, peer, client_for):
    assert client_for(peer).get(reverse("comparisons:chosen")).status_code == 403
