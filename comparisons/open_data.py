"""A programme's published ratings as open data: one row per city x indicator.

Only reviews whose report is published are in it, whoever downloads it. The schema is
stated once here and travels with the JSON (`schema`) and as the CSV's header.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reviews.models import IndicatorEvaluation, Programme, SelfAssessment


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    description: str


SCHEMA = [
    Field("benchmark", "string", _("The benchmark's short name (slug).")),
    Field("version", "integer", _("The benchmark version's number.")),
    Field("city", "string", _("The host city.")),
    Field("indicator", "string", _("The indicator's code in that version, e.g. GG/A/1.")),
    Field(
        "lineage",
        "string",
        _("The indicator's lineage id: the same across versions, to compare them."),
    ),
    Field("group", "string", _("The code of the indicator's group (pillar).")),
    Field("value", "string", _("The code of the indicator's value; empty without values.")),
    Field("rating", "string", _("The team's final rating: the level's code; empty if none.")),
    Field("score", "number", _("The rating level's score; empty for levels without one.")),
    Field("self_rating", "string", _("The city's self-rating: the level's code; empty if none.")),
    Field("review", "integer", _("The review's number in this network.")),
    Field("review_title", "string", _("The review's title.")),
    Field("published_on", "date", _("The day the review's report was published (ISO 8601).")),
]
HEADER = [f.name for f in SCHEMA]


def published_rows(programme: Programme) -> list[list]:
    """The rows, cities in alphabetical order, indicators in the benchmark's order."""
    version = programme.benchmark_version
    reviews = list(
        programme.reviews.filter(feedback_report__published_at__isnull=False)
        .select_related("host_city", "feedback_report")
        .order_by("host_city__name", "created_at", "pk")
    )
    ids = [review.pk for review in reviews]
    ratings = {
        (e.review_id, e.indicator_id): e.rating
        for e in IndicatorEvaluation.objects.filter(review_id__in=ids).select_related("rating")
    }
    self_ratings = {
        (s.report.review_id, s.indicator_id): s.rating
        for s in SelfAssessment.objects.filter(report__review_id__in=ids).select_related(
            "rating", "report"
        )
    }
    indicators = list(version.indicators.for_matrix())
    rows = []
    for review in reviews:
        published: datetime.date = timezone.localdate(review.feedback_report.published_at)
        for indicator in indicators:
            rating = ratings.get((review.pk, indicator.pk))
            self_rating = self_ratings.get((review.pk, indicator.pk))
            rows.append(
                [
                    version.benchmark.slug,
                    version.number,
                    review.host_city.name,
                    indicator.code,
                    str(indicator.lineage),
                    indicator.group.code,
                    indicator.value.code if indicator.value else "",
                    rating.code if rating else "",
                    float(rating.score) if rating and rating.score is not None else None,
                    self_rating.code if self_rating else "",
                    review.pk,
                    review.title,
                    published,
                ]
            )
    return rows
