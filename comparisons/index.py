"""The index of an index benchmark across the cities of a matrix.

For a benchmark of kind "index" (``Benchmark.kind``), every city of the cross-city matrix
(the same columns, so the same rule on unpublished reviews) gets a score per group and
its index, computed by ``benchmarks.scoring`` from the team's final answers
(``IndicatorEvaluation.rating``): the answers are the performance scale's levels and
their ``score``, or a question's own ``Indicator.answer_scores``. Beside them the network's average and spread (minimum, quartiles,
maximum) of every group and of the index. A rank order of the cities by index is added
only when the programme's coordinator turned ``Programme.show_ranking`` on, and never for
a rating-scale benchmark (``Programme.ranking_shown``).

Reviews on another version of the benchmark are matched through each indicator's
lineage and each answer's code, as the matrix does. Read in four queries whatever the
number of cities: the groups, the indicators, the answers' levels, the final answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks import scoring
from benchmarks.models import RatingScale, ScaleLevel
from reviews.models import IndicatorEvaluation


@dataclass
class IndexGroup:
    group: object
    scores: list[scoring.GroupScore]  # one per column
    summary: scoring.Summary | None

    @property
    def counted(self) -> bool:
        return self.group.weight > 0


@dataclass
class Ranked:
    rank: int
    column: object
    index: object


@dataclass
class IndexTable:
    columns: list
    groups: list[IndexGroup]
    cities: list[scoring.CityScore]  # one per column
    summary: scoring.Summary | None
    question_count: int
    unscored: list  # the questions none of whose answers has a score
    ranking: list[Ranked] | None  # None: no ranking is shown

    @property
    def city_rows(self) -> list[tuple[object, scoring.CityScore]]:
        return list(zip(self.columns, self.cities, strict=True))


def build_index(matrix, *, show_ranking: bool = False) -> IndexTable:
    """The index table of `matrix` (a comparisons.matrix.CityMatrix)."""
    version = matrix.version
    groups = list(version.groups.all())
    indicators = list(version.indicators.all())
    options = {
        level.code: level.score
        for level in ScaleLevel.objects.filter(
            scale__version=version, scale__purpose=RatingScale.PERFORMANCE
        )
    }
    questions = [
        scoring.Question(
            key=indicator.lineage,
            group=indicator.group_id,
            options=indicator.answer_options(options),
        )
        for indicator in indicators
    ]
    specs = [scoring.GroupSpec(key=group.pk, weight=group.weight) for group in groups]
    answers: dict[int, dict] = {column.review.pk: {} for column in matrix.columns}
    for review_id, lineage, code in IndicatorEvaluation.objects.filter(
        review_id__in=list(answers), rating__isnull=False
    ).values_list("review_id", "indicator__lineage", "rating__code"):
        answers[review_id][lineage] = code
    cities = [
        scoring.score_city(specs, questions, answers[column.review.pk]) for column in matrix.columns
    ]
    table_groups = [
        IndexGroup(
            group=group,
            scores=[city.groups[n] for city in cities],
            summary=scoring.summarise(city.groups[n].score for city in cities),
        )
        for n, group in enumerate(groups)
    ]
    ranking = None
    if show_ranking:
        ranked = scoring.rank({n: city.index for n, city in enumerate(cities)})
        ranking = [Ranked(place, matrix.columns[n], index) for place, n, index in ranked]
    return IndexTable(
        columns=matrix.columns,
        groups=table_groups,
        cities=cities,
        summary=scoring.summarise(city.index for city in cities),
        question_count=len(questions),
        unscored=[i for i, q in zip(indicators, questions, strict=True) if not q.scorable],
        ranking=ranking,
    )
