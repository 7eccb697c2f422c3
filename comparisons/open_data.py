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
    """The rows, cities in alphabetical order, indicators in the benchmark's order. Read as
    tuples (no model instances): a network's programme has thousands of rows."""
    version = programme.benchmark_version
    reviews = list(
        programme.reviews.filter(feedback_report__published_at__isnull=False)
        .order_by("host_city__name", "created_at", "pk")
        .values_list("pk", "host_city__name", "title", "feedback_report__published_at")
    )
    ids = [pk for pk, _city, _title, _published in reviews]
    ratings = {
        (review_id, indicator_id): (
            code,
            float(score) if score is not None else None,
        )
        for review_id, indicator_id, code, score in IndicatorEvaluation.objects.filter(
            review_id__in=ids, rating__isnull=False
        ).values_list("review_id", "indicator_id", "rating__code", "rating__score")
    }
    self_ratings = {
        (review_id, indicator_id): code
        for review_id, indicator_id, code in SelfAssessment.objects.filter(
            report__review_id__in=ids, rating__isnull=False
        ).values_list("report__review_id", "indicator_id", "rating__code")
    }
    # The indicator's own columns (code, lineage, group, value), once per indicator.
    indicators = [
        (pk, [code, str(lineage), group, value or ""])
        for pk, code, lineage, group, value in version.indicators.for_matrix().values_list(
            "pk", "code", "lineage", "group__code", "value__code"
        )
    ]
    benchmark = [version.benchmark.slug, version.number]
    unrated = ("", None)
    rows = []
    for review_id, city, title, published_at in reviews:
        published: datetime.date = timezone.localdate(published_at)
        for indicator_id, columns in indicators:
            key = (review_id, indicator_id)
            rating, score = ratings.get(key, unrated)
            rows.append(
                [
                    *benchmark,
                    city,
                    *columns,
                    rating,
                    score,
                    self_ratings.get(key, ""),
                    review_id,
                    title,
                    published,
                ]
            )
    return rows
