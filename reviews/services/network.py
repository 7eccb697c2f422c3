"""A city against the network: per group of a review's benchmark version, how its own
ratings spread over the scale beside how the ratings of the programme's other published
reviews spread. Plain JSON data: the feedback report freezes it into a version's content
(its optional network annex, `FeedbackReport.network_annex`) and the city comparison page
(comparisons) draws the same shape, so a frozen annex still reads the same later.

Rules:
- The network is the *other* reviews of the same programme whose feedback report is
  published, whoever looks (a coordinator too): nothing unpublished of another city is ever
  in it. The city itself is left out of it, so its own results do not pull the network
  towards it, and the annex reads the same before and after its own publication.
- Reviews on other versions of the benchmark are matched through the indicators' lineage:
  a rating on an indicator the review's version does not have (removed) is never counted,
  and an indicator whose text differs in another compared version is listed as reworded.
- A spread, never a rank: counts per level in the scale's order; no city is named next to
  a rating, no order of cities by results.
- Read in a fixed number of queries (four at most), whatever the size of the network.

Index benchmarks (issue #16 item 4) plug in at `BUILDERS`: `_index` returns per group the
city's score (0-100) beside the network's average and spread (minimum, quartiles, maximum)
of the other published reviews' group scores, the group's weight, and the same for the
index. The arithmetic is `benchmarks.scoring` (exact fractions); the dict holds only the
rounded display strings ("65.0", None when there is no score), so it stays plain JSON. No
rank: a spread, never an order of cities.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.db.models import Q

from benchmarks import scoring
from benchmarks.models import Benchmark, Indicator, RatingScale, ScaleLevel
from reviews.models import IndicatorEvaluation, Review

FORMAT = 1
SCALE = "scale"


def benchmark_kind(version) -> str:
    """The benchmark's kind: rating-scale unless an index kind is set on it (item 4)."""
    return getattr(version.benchmark, "kind", "") or SCALE


def city_against_network(review: Review) -> dict | None:
    """The comparison for `review` (see the module's rules), or None when it has no
    programme, no benchmark version or a kind no builder draws yet."""
    version = review.benchmark_version
    if review.programme_id is None or version is None:
        return None
    builder = BUILDERS.get(benchmark_kind(version))
    return builder(review) if builder else None


def _scale(review: Review) -> dict:
    version = review.benchmark_version
    levels = list(
        ScaleLevel.objects.filter(
            scale__version=version, scale__purpose=RatingScale.PERFORMANCE
        ).order_by("order")
    )
    indicators = list(version.indicators.for_matrix())
    published_other = Q(
        review__programme_id=review.programme_id,
        review__feedback_report__published_at__isnull=False,
    ) & ~Q(review_id=review.pk)
    rows = IndicatorEvaluation.objects.filter(
        Q(review_id=review.pk) | published_other, rating__isnull=False
    ).values_list(
        "review_id",
        "review__host_city__name",
        "review__benchmark_version_id",
        "indicator__lineage",
        "rating__code",
    )
    group_of = {i.lineage: i.group for i in indicators}
    own: dict = {}
    others: dict = {}
    cities: dict[int, str] = {}
    versions: set = set()
    left_out = 0
    for review_id, city, version_id, lineage, code in rows:
        if lineage not in group_of:
            left_out += 1  # an indicator this version removed: never counted
            continue
        if review_id == review.pk:
            own[lineage] = code
        else:
            others.setdefault(lineage, []).append(code)
            cities[review_id] = city
            versions.add(version_id)
    versions.discard(version.pk)
    other_texts: dict = {}  # lineage -> its texts in the other compared versions
    if versions:
        for lineage, text in Indicator.objects.filter(version_id__in=versions).values_list(
            "lineage", "text"
        ):
            other_texts.setdefault(lineage, set()).add(text)
    reworded = [
        i.code for i in indicators if any(t != i.text for t in other_texts.get(i.lineage, ()))
    ]
    groups: dict[int, dict] = {}
    for indicator in indicators:
        group = groups.setdefault(
            indicator.group_id,
            {
                "code": indicator.group.code,
                "name": indicator.group.name,
                "city": Counter(),
                "network": Counter(),
            },
        )
        if indicator.lineage in own:
            group["city"][own[indicator.lineage]] += 1
        group["network"].update(others.get(indicator.lineage, []))
    codes = [level.code for level in levels]
    return {
        "format": FORMAT,
        "kind": SCALE,
        "city": review.host_city.name,
        "programme": str(review.programme),
        "cities": sorted(set(cities.values())),
        "reviews": len(cities),
        "levels": [{"code": lv.code, "label": lv.label, "colour": lv.colour} for lv in levels],
        "groups": [
            {
                "code": g["code"],
                "name": g["name"],
                "city": [g["city"][code] for code in codes],
                "network": [g["network"][code] for code in codes],
            }
            for g in groups.values()
        ],
        "reworded": reworded,
        "left_out": left_out,
    }


def _shown(value) -> str | None:
    """A score as the dict keeps it: its display string (one decimal), or None."""
    shown = scoring.display(value)
    return None if shown is None else str(shown)


def _summary(summary: scoring.Summary | None) -> dict | None:
    if summary is None:
        return None
    return {
        "count": summary.count,
        "mean": _shown(summary.mean),
        "min": _shown(summary.minimum),
        "q1": _shown(summary.lower_quartile),
        "median": _shown(summary.median),
        "q3": _shown(summary.upper_quartile),
        "max": _shown(summary.maximum),
    }


def _index(review: Review) -> dict:
    version = review.benchmark_version
    groups = list(version.groups.all())
    indicators = list(version.indicators.for_matrix())
    options = {
        level.code: level.score
        for level in ScaleLevel.objects.filter(
            scale__version=version, scale__purpose=RatingScale.PERFORMANCE
        )
    }
    questions = [
        scoring.Question(key=i.lineage, group=i.group_id, options=i.answer_options(options))
        for i in indicators
    ]
    specs = [scoring.GroupSpec(key=group.pk, weight=group.weight) for group in groups]
    published_other = Q(
        review__programme_id=review.programme_id,
        review__feedback_report__published_at__isnull=False,
    ) & ~Q(review_id=review.pk)
    lineages = {i.lineage for i in indicators}
    answers: dict[int, dict] = {review.pk: {}}
    cities: dict[int, str] = {}
    versions: set = set()
    left_out = 0
    for review_id, city, version_id, lineage, code in IndicatorEvaluation.objects.filter(
        Q(review_id=review.pk) | published_other, rating__isnull=False
    ).values_list(
        "review_id",
        "review__host_city__name",
        "review__benchmark_version_id",
        "indicator__lineage",
        "rating__code",
    ):
        if lineage not in lineages:
            left_out += 1  # a question this version removed: never counted
            continue
        answers.setdefault(review_id, {})[lineage] = code
        if review_id != review.pk:
            cities[review_id] = city
            versions.add(version_id)
    versions.discard(version.pk)
    other_texts: dict = {}
    if versions:
        for lineage, text in Indicator.objects.filter(version_id__in=versions).values_list(
            "lineage", "text"
        ):
            other_texts.setdefault(lineage, set()).add(text)
    reworded = [
        i.code for i in indicators if any(t != i.text for t in other_texts.get(i.lineage, ()))
    ]
    own = scoring.score_city(specs, questions, answers[review.pk])
    network = [scoring.score_city(specs, questions, answers[pk]) for pk in cities]
    return {
        "format": FORMAT,
        "kind": Benchmark.INDEX,
        "city": review.host_city.name,
        "programme": str(review.programme),
        "cities": sorted(set(cities.values())),
        "reviews": len(cities),
        "groups": [
            {
                "code": group.code,
                "name": group.name,
                "weight": format(Decimal(group.weight).normalize(), "f"),
                "counted": group.weight > 0,
                "city": _shown(own.groups[n].score),
                "answered": own.groups[n].answered,
                "scorable": own.groups[n].scorable,
                "network": _summary(scoring.summarise(city.groups[n].score for city in network)),
            }
            for n, group in enumerate(groups)
        ],
        "index": {
            "city": _shown(own.index),
            "network": _summary(scoring.summarise(city.index for city in network)),
        },
        "reworded": reworded,
        "left_out": left_out,
    }


BUILDERS = {SCALE: _scale, Benchmark.INDEX: _index}
