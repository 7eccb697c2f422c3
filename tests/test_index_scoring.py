"""The arithmetic of an index benchmark (benchmarks/scoring.py): exact examples and the
invariants that hold for any answers."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from benchmarks.scoring import (
    GroupSpec,
    Question,
    display,
    quantile,
    rank,
    score_city,
    summarise,
)

OPTIONS = {"yes": Decimal(100), "partly": Decimal(50), "no": Decimal(0), "unknown": None}


def q(key, group, options=OPTIONS):
    return Question(key=key, group=group, options=options)


def test_group_score_is_the_mean_of_the_answered_questions():
    result = score_city(
        [GroupSpec("A", 1)],
        [q(1, "A"), q(2, "A"), q(3, "A")],
        {1: "yes", 2: "partly", 3: "partly"},
    )
    assert result.groups[0].score == Fraction(200, 3)
    assert result.index == Fraction(200, 3)


def test_missing_answers_and_unscored_answers_are_not_counted():
    result = score_city(
        [GroupSpec("A", 1)],
        [q(1, "A"), q(2, "A"), q(3, "A"), q(4, "A")],
        {1: "yes", 2: None, 3: "unknown"},  # 4 has no answer at all
    )
    group = result.groups[0]
    assert (group.score, group.answered, group.scorable) == (100, 1, 4)


def test_an_answer_that_is_not_an_option_is_not_counted():
    result = score_city([GroupSpec("A", 1)], [q(1, "A"), q(2, "A")], {1: "no", 2: "maybe"})
    assert (result.groups[0].score, result.groups[0].answered) == (0, 1)


def test_a_question_with_no_scores_is_left_out_of_its_group():
    unscored = {"yes": None, "no": None}
    result = score_city(
        [GroupSpec("A", 1)],
        [q(1, "A"), q(2, "A", unscored)],
        {1: "partly", 2: "yes"},
    )
    group = result.groups[0]
    assert (group.score, group.answered, group.scorable, group.unscored) == (50, 1, 1, 1)


def test_a_group_of_weight_zero_keeps_its_score_but_not_its_place_in_the_index():
    result = score_city(
        [GroupSpec("A", 0), GroupSpec("B", 1)],
        [q(1, "A"), q(2, "B")],
        {1: "yes", 2: "no"},
    )
    assert result.groups[0].score == 100
    assert result.groups[0].counted is False
    assert result.index == 0


def test_a_group_without_answers_has_no_score_and_is_not_in_the_index():
    result = score_city(
        [GroupSpec("A", 3), GroupSpec("B", 1)],
        [q(1, "A"), q(2, "B")],
        {2: "partly"},
    )
    assert result.groups[0].score is None
    assert result.index == 50


def test_no_counted_group_means_no_index():
    result = score_city([GroupSpec("A", 0), GroupSpec("B", 1)], [q(1, "A")], {1: "yes"})
    assert result.index is None


def test_index_is_the_weighted_mean_of_the_group_scores():
    result = score_city(
        [GroupSpec("A", Decimal("1.5")), GroupSpec("B", Decimal("0.5"))],
        [q(1, "A"), q(2, "B")],
        {1: "partly", 2: "yes"},
    )
    assert result.index == Fraction(125, 2)  # (1.5 * 50 + 0.5 * 100) / 2


def test_summary_gives_mean_quartiles_and_extremes_exactly():
    summary = summarise([Fraction(0), None, Fraction(100), Fraction(40), Fraction(60)])
    assert summary.count == 4
    assert summary.mean == 50
    assert (summary.minimum, summary.maximum) == (0, 100)
    assert summary.lower_quartile == 30  # 0 + 0.75 * 40
    assert summary.median == 50
    assert summary.upper_quartile == 70  # 60 + 0.25 * 40


def test_summary_of_no_scores_is_none():
    assert summarise([None, None]) is None


def test_equal_indexes_share_a_rank_and_cities_without_one_are_not_ranked():
    ranked = rank({"a": Fraction(50), "b": None, "c": Fraction(70), "d": Fraction(50)})
    assert ranked == [(1, "c", 70), (2, "a", 50), (2, "d", 50)]


def test_display_rounds_half_up_to_one_decimal():
    assert display(Fraction(1584, 31)) == Decimal("51.1")
    assert display(Fraction(1, 20)) == Decimal("0.1")
    assert display(None) is None


# --- Invariants ---------------------------------------------------------------------

scores = st.one_of(st.none(), st.integers(0, 10000).map(lambda n: Decimal(n).scaleb(-2)))
weights = st.integers(0, 1000).map(lambda n: Decimal(n).scaleb(-1))


@st.composite
def cities(draw):
    """Groups with weights, questions with their own options, and one city's answers."""
    group_count = draw(st.integers(1, 6))
    groups = [GroupSpec(g, draw(weights)) for g in range(group_count)]
    questions, answers = [], {}
    for key in range(draw(st.integers(0, 20))):
        options = draw(st.dictionaries(st.sampled_from("abcd"), scores, min_size=1))
        questions.append(Question(key, draw(st.integers(0, group_count - 1)), options))
        answers[key] = draw(st.one_of(st.none(), st.sampled_from([*options, "x"])))
    return groups, questions, answers


@given(cities())
def test_every_score_stays_between_0_and_100(city):
    result = score_city(*city)
    shown = [g.score for g in result.groups if g.score is not None]
    if result.index is not None:
        shown.append(result.index)
    assert all(0 <= s <= 100 for s in shown)


@given(cities())
def test_the_index_lies_between_the_lowest_and_highest_counted_group(city):
    result = score_city(*city)
    counted = [g.score for g in result.groups if g.counted]
    if counted:
        assert min(counted) <= result.index <= max(counted)
    else:
        assert result.index is None


@given(cities(), st.integers(1, 50))
def test_scaling_every_weight_leaves_the_index_unchanged(city, factor):
    groups, questions, answers = city
    scaled = [GroupSpec(g.key, g.weight * factor) for g in groups]
    assert score_city(scaled, questions, answers).index == score_city(*city).index


@given(cities())
def test_answered_never_exceeds_scorable(city):
    for group in score_city(*city).groups:
        assert group.answered <= group.scorable


@given(cities())
def test_removing_an_unanswered_question_changes_no_score(city):
    groups, questions, answers = city
    kept = [question for question in questions if answers.get(question.key) is not None]
    before, after = score_city(*city), score_city(groups, kept, answers)
    assert [g.score for g in before.groups] == [g.score for g in after.groups]
    assert before.index == after.index


@given(st.lists(st.one_of(st.none(), st.fractions(0, 100)), max_size=12))
def test_summary_is_ordered_from_minimum_to_maximum(values):
    summary = summarise(values)
    if summary is None:
        assert all(v is None for v in values)
        return
    assert (
        summary.minimum
        <= summary.lower_quartile
        <= summary.median
        <= summary.upper_quartile
        <= summary.maximum
    )
    assert summary.minimum <= summary.mean <= summary.maximum


@given(st.lists(st.fractions(0, 100), min_size=1, max_size=12))
def test_quantile_agrees_with_the_statistics_module(values):
    import statistics

    ordered = sorted(values)
    if len(ordered) > 1:
        expected = statistics.quantiles(ordered, n=4, method="inclusive")
        found = [quantile(ordered, Fraction(k, 4)) for k in (1, 2, 3)]
        assert found == expected
