"""A programme with published, rated reviews: what the comparison tests start from."""

from __future__ import annotations

from django.utils import timezone

from reviews.models import FeedbackReport, IndicatorEvaluation, Programme, SelfAssessment
from tests.conftest import new_benchmark, new_city, new_review

# Ratings per city, one level code per indicator (AA/X/1, AA/Y/1, BB/X/1, BB/Y/1).
RATINGS = {
    "Antwerp": ("below", "above", "well_above", "below"),
    "Ghent": ("below", "well_above", "above", "above"),
    "Leipzig": ("above", "below", "above", "below"),
}


def levels_of(version) -> dict:
    return {lv.code: lv for lv in version.ratingscales.get(purpose="performance").levels.all()}


def add_review(programme, city_name, codes, *, published=True, self_codes=None):
    version = programme.benchmark_version
    city = new_city(name=city_name)
    programme.partners.add(city)
    review = new_review(
        title=f"Review of {city_name}",
        host_city=city,
        benchmark_version=version,
        programme=programme,
    )
    levels = levels_of(version)
    indicators = list(version.indicators.for_matrix())
    for indicator, code in zip(indicators, codes, strict=False):
        IndicatorEvaluation.objects.create(review=review, indicator=indicator, rating=levels[code])
    for indicator, code in zip(indicators, self_codes or (), strict=False):
        SelfAssessment.objects.create(
            report=review.inception_report, indicator=indicator, rating=levels[code]
        )
    FeedbackReport.objects.create(review=review, published_at=timezone.now() if published else None)
    return review


def rated_programme():
    """A programme of Antwerp, Ghent and Leipzig, all published, rated as in RATINGS."""
    version = new_benchmark(slug="compare", indicators=4)
    programme = Programme.objects.create(name="INTI 2026", benchmark_version=version)
    for city, codes in RATINGS.items():
        add_review(programme, city, codes)
    return programme
