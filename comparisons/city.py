"""One city across the network and across time: its ratings per group beside the spread of
its programme's other published reviews, and the trend of its ratings from one review to
the next.

Which of the city's reviews a viewer sees ratings of: a published one for anyone, an
unpublished one only for whoever may see its evidence (its team, coordinators); the same
rule as the cross-city matrix (`comparisons.matrix.visible_reviews`). The network side is
always published reviews only (`reviews.services.network`).

The trend compares the two latest reviews the viewer sees that have ratings: per indicator
of the latest review's benchmark version, the change is the latest rating's score minus
the previous one's, matched through the indicators' lineage (so two reviews on different
versions of a benchmark compare; an indicator the latest version removed is never a row,
one reworded since is marked). No change is computed when either rating is missing or has
no score (such as "more information needed").

The top 5 improved are the rows with the largest positive change, the top 5 of concern
those with the largest negative change; a tie is broken by the indicator's place in the
benchmark (group, value, number: the matrix order), so the selection is stable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from benchmarks.models import Indicator, ScaleLevel
from comparisons.matrix import visible_reviews
from reviews.models import IndicatorEvaluation
from reviews.services.network import city_against_network

TOP = 5


@dataclass
class AgainstNetwork:
    review: object
    published: bool
    network: dict  # reviews.services.network.city_against_network


@dataclass
class TrendRow:
    indicator: Indicator
    position: int  # its place in the latest version's matrix order
    ratings: list  # one ScaleLevel or None per compared review, oldest first
    reworded: bool = False

    @property
    def before(self) -> ScaleLevel | None:
        return self.ratings[-2] if len(self.ratings) >= 2 else None

    @property
    def after(self) -> ScaleLevel | None:
        return self.ratings[-1] if self.ratings else None

    @property
    def change(self) -> Decimal | None:
        """The latest score minus the previous one; None without both scores."""
        before, after = self.before, self.after
        if before is None or after is None or before.score is None or after.score is None:
            return None
        return after.score - before.score


@dataclass
class Trend:
    reviews: list  # the compared reviews (the viewer sees their ratings), oldest first
    rows: list[TrendRow] = field(default_factory=list)

    @property
    def comparable(self) -> bool:
        return len(self.reviews) >= 2

    @property
    def changed(self) -> list[TrendRow]:
        return [row for row in self.rows if row.change]

    @property
    def improved(self) -> list[TrendRow]:
        return top_improved(self.rows)

    @property
    def concern(self) -> list[TrendRow]:
        return top_concern(self.rows)


def top_improved(rows: list[TrendRow], n: int = TOP) -> list[TrendRow]:
    up = [row for row in rows if row.change is not None and row.change > 0]
    return sorted(up, key=lambda row: (-row.change, row.position))[:n]


def top_concern(rows: list[TrendRow], n: int = TOP) -> list[TrendRow]:
    down = [row for row in rows if row.change is not None and row.change < 0]
    return sorted(down, key=lambda row: (row.change, row.position))[:n]


def city_reviews(city, user) -> list:
    """The city's reviews whose ratings the viewer may see, oldest first, as matrix columns."""
    columns, _excluded = visible_reviews(
        city.hosted_reviews.filter(benchmark_version__isnull=False).select_related(
            "programme", "benchmark_version__benchmark"
        ),
        user,
    )
    return sorted(columns, key=lambda c: (c.review.created_at, c.review.pk))


def against_network(columns) -> list[AgainstNetwork]:
    """For each shown review in a programme, its ratings beside the programme's spread."""
    found = []
    for column in columns:
        network = city_against_network(column.review)
        if network is not None:
            found.append(AgainstNetwork(column.review, column.published, network))
    return found


def trend(columns) -> Trend:
    """The change per indicator between the two latest rated reviews (see the module)."""
    reviews = [c.review for c in columns]
    rated = set(
        IndicatorEvaluation.objects.filter(review__in=reviews, rating__isnull=False).values_list(
            "review_id", flat=True
        )
    )
    reviews = [r for r in reviews if r.pk in rated]
    result = Trend(reviews)
    if len(reviews) < 2:
        return result
    compared = reviews[-2:]
    latest = compared[-1].benchmark_version
    ratings = {
        (e.review_id, e.indicator.lineage): e.rating
        for e in IndicatorEvaluation.objects.filter(
            review__in=compared, rating__isnull=False
        ).select_related("rating", "indicator")
    }
    earlier_versions = {r.benchmark_version_id for r in compared} - {latest.pk}
    texts: dict = {}
    for lineage, text in Indicator.objects.filter(version_id__in=earlier_versions).values_list(
        "lineage", "text"
    ):
        texts.setdefault(lineage, set()).add(text)
    for position, indicator in enumerate(latest.indicators.for_matrix()):
        cells = [ratings.get((r.pk, indicator.lineage)) for r in compared]
        result.rows.append(
            TrendRow(
                indicator,
                position,
                cells,
                reworded=any(t != indicator.text for t in texts.get(indicator.lineage, ())),
            )
        )
    result.reviews = compared
    return result
