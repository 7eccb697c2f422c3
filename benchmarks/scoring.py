"""The arithmetic of an index benchmark, exact and free of Django.

An index benchmark (``Benchmark.kind == "index"``, as the Intercultural Cities Index) is
made of groups (the ICC's "indicators"), each with a weight, and questions (our
indicators), each with answer options that carry a score from 0 to 100. The rules:

- A question's score is the score of the answer the team chose.
- Not counted (and reported as "n of m answered"): a question without an answer, an
  answer that has no score (such as "more information needed"), an answer that is not
  one of the question's options.
- A question none of whose answers has a score is not scored at all: it is left out of
  its group's count ("scorable") and the editor flags it.
- A group's score is the mean of its counted questions' scores (0-100); a group with no
  counted question has no score (None), never 0.
- The city's index is the weighted mean of the group scores, over the groups with a
  weight above 0 and a score. A group with weight 0 still shows its score but is not in
  the index. No such group: no index (None).
- The network summary of a list of scores (one per city; cities without one are left
  out) gives their count, mean, minimum, quartiles and maximum. The quartiles are those
  of ``statistics.quantiles(method="inclusive")``: linear interpolation between the
  sorted scores, so the median of an even count is the mean of the middle two.

Every number is a ``Fraction`` (made exactly from the ``Decimal`` scores and weights):
nothing is rounded here. Round only to display (``display``).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

Number = Fraction | Decimal | int


@dataclass(frozen=True)
class GroupSpec:
    key: Hashable
    weight: Number


@dataclass(frozen=True)
class Question:
    key: Hashable
    group: Hashable
    # Each answer option and its score (None: the answer is not scored).
    options: Mapping[Hashable, Number | None]

    @property
    def scorable(self) -> bool:
        return any(score is not None for score in self.options.values())


@dataclass(frozen=True)
class GroupScore:
    key: Hashable
    weight: Fraction
    score: Fraction | None  # None: no question of the group was answered with a score
    answered: int  # scorable questions answered with a scored answer
    scorable: int  # questions with at least one scored answer
    unscored: int  # questions none of whose answers has a score

    @property
    def counted(self) -> bool:
        """Whether the group is in the city's index."""
        return self.weight > 0 and self.score is not None


@dataclass(frozen=True)
class CityScore:
    groups: list[GroupScore]
    index: Fraction | None

    @property
    def answered(self) -> int:
        return sum(group.answered for group in self.groups)

    @property
    def scorable(self) -> int:
        return sum(group.scorable for group in self.groups)


def question_score(question: Question, answer: Hashable | None) -> Fraction | None:
    """The score of the chosen answer, or None when it does not count."""
    if answer is None or answer not in question.options:
        return None
    score = question.options[answer]
    return None if score is None else Fraction(score)


def score_city(
    groups: Sequence[GroupSpec],
    questions: Iterable[Question],
    answers: Mapping[Hashable, Hashable | None],
) -> CityScore:
    """One city's group scores and index, from its answer per question key."""
    scores: dict[Hashable, list[Fraction]] = {g.key: [] for g in groups}
    scorable = dict.fromkeys(scores, 0)
    unscored = dict.fromkeys(scores, 0)
    for question in questions:
        if question.group not in scores:
            continue  # a question of a group that is not given is not scored
        if not question.scorable:
            unscored[question.group] += 1
            continue
        scorable[question.group] += 1
        score = question_score(question, answers.get(question.key))
        if score is not None:
            scores[question.group].append(score)
    results = [
        GroupScore(
            key=g.key,
            weight=Fraction(g.weight),
            score=mean(scores[g.key]),
            answered=len(scores[g.key]),
            scorable=scorable[g.key],
            unscored=unscored[g.key],
        )
        for g in groups
    ]
    return CityScore(groups=results, index=weighted_mean(results))


def mean(values: Sequence[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None


def weighted_mean(groups: Iterable[GroupScore]) -> Fraction | None:
    counted = [g for g in groups if g.counted]
    total = sum((g.weight for g in counted), Fraction(0))
    if not total:
        return None
    return sum((g.weight * g.score for g in counted), Fraction(0)) / total


@dataclass(frozen=True)
class Summary:
    """The network's average and spread of one score."""

    count: int
    mean: Fraction
    minimum: Fraction
    lower_quartile: Fraction
    median: Fraction
    upper_quartile: Fraction
    maximum: Fraction


def summarise(values: Iterable[Fraction | None]) -> Summary | None:
    """Average and spread of the given scores; None when no city has one."""
    ordered = sorted(Fraction(v) for v in values if v is not None)
    if not ordered:
        return None
    return Summary(
        count=len(ordered),
        mean=sum(ordered, Fraction(0)) / len(ordered),
        minimum=ordered[0],
        lower_quartile=quantile(ordered, Fraction(1, 4)),
        median=quantile(ordered, Fraction(1, 2)),
        upper_quartile=quantile(ordered, Fraction(3, 4)),
        maximum=ordered[-1],
    )


def quantile(ordered: Sequence[Fraction], p: Fraction) -> Fraction:
    """The p-quantile of sorted values, interpolated linearly ("inclusive" method)."""
    position = p * (len(ordered) - 1)
    low = int(position)
    if low + 1 >= len(ordered):
        return ordered[-1]
    return ordered[low] + (position - low) * (ordered[low + 1] - ordered[low])


def rank(indexes: Mapping[Hashable, Fraction | None]) -> list[tuple[int, Hashable, Fraction]]:
    """(rank, key, index) from the highest index down; equal indexes share a rank (1, 2, 2,
    4); keys without an index are not ranked. Ties keep the mapping's order."""
    scored = [(key, value) for key, value in indexes.items() if value is not None]
    scored.sort(key=lambda pair: -pair[1])
    ranked = []
    for position, (key, value) in enumerate(scored, start=1):
        if ranked and ranked[-1][2] == value:
            ranked.append((ranked[-1][0], key, value))
        else:
            ranked.append((position, key, value))
    return ranked


def display(value: Fraction | None, places: int = 1) -> Decimal | None:
    """A score rounded for display (half up), e.g. 66.7; None stays None."""
    if value is None:
        return None
    exponent = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        exponent, rounding=ROUND_HALF_UP
    )
