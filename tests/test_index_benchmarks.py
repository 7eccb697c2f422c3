"""Index benchmarks (issue 16, item 4): kind, weights and answer scores in the editor and
the spreadsheet, the exact index of a 14-group, 66-question benchmark across cities, and
the ranking only an index benchmark may show, only when its coordinator turns it on."""

from __future__ import annotations

import io
from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from benchmarks.models import Benchmark, Group, ScaleLevel
from benchmarks.schema import ImportRejected
from benchmarks.services import export_version, import_version
from benchmarks.spreadsheet import from_xlsx, to_xlsx
from comparisons.index import build_index
from comparisons.matrix import build_matrix
from reviews.forms.programme import ProgrammeForm
from reviews.models import FeedbackReport, IndicatorEvaluation, Programme
from tests.comparison_data import rated_programme
from tests.conftest import new_benchmark, new_city, new_review

ANSWERS = [
    {"code": "full", "label": {"en": "Fully"}, "colour": "#1e8449", "score": 100},
    {"code": "most", "label": {"en": "Mostly"}, "colour": "#58d68d", "score": 75},
    {"code": "partly", "label": {"en": "Partly"}, "colour": "#e6a700", "score": 50},
    {"code": "hardly", "label": {"en": "Hardly"}, "colour": "#e67e22", "score": 20},
    {"code": "none", "label": {"en": "Not at all"}, "colour": "#c0392b", "score": 0},
    {"code": "unknown", "label": {"en": "Cannot tell"}, "colour": "#7f8c8d", "score": None},
]
EVIDENCE = {
    "purpose": "evidence",
    "name": {"en": "Evidence"},
    "levels": [{"code": "meets", "label": {"en": "Meets"}, "colour": "#1e8449", "score": 1}],
}

# 14 groups, 66 questions (ten groups of five, four of four): each group's weight, the
# first city's answer to each of its questions (None: not answered) and the group score
# worked out by hand. D has weight 0; E misses two answers; F has two answers without a
# score; G has no answer at all.
GROUPS = [
    ("A", "1", ["full", "full", "partly", "none", "most"], Fraction(65)),  # 325 / 5
    ("B", "2", ["full", "partly", "partly", "none"], Fraction(50)),  # 200 / 4
    ("C", "1", ["most", "most", "most", "hardly", "full"], Fraction(69)),  # 345 / 5
    ("D", "0", ["full"] * 5, Fraction(100)),
    ("E", "1.5", [None, "full", "partly", None, "none"], Fraction(50)),  # 150 / 3
    ("F", "1", ["unknown", "unknown", "full", "none"], Fraction(50)),  # 100 / 2
    ("G", "3", [None] * 5, None),
    ("H", "1", ["hardly"] * 5, Fraction(20)),
    ("I", "2", ["full", "most", "partly", "hardly", "none"], Fraction(49)),  # 245 / 5
    ("J", "1", ["partly"] * 4, Fraction(50)),
    ("K", "0.5", ["full", "full", "full", "full", "most"], Fraction(95)),  # 475 / 5
    ("L", "1", ["none", "none", "partly", "full"], Fraction(75, 2)),  # 150 / 4
    ("M", "1", ["most", "partly", "most", "partly", "full"], Fraction(70)),  # 350 / 5
    ("N", "2.5", ["hardly", "full", "none", "partly", "partly"], Fraction(44)),  # 220 / 5
]
# Counted: every group but D (weight 0) and G (no score). Weights 15.5; weighted sum
# 65 + 100 + 69 + 75 + 50 + 20 + 98 + 50 + 47.5 + 37.5 + 70 + 110 = 792.
INDEX = Fraction(792) / Fraction(31, 2)  # = 1584/31, shown as 51.1


def index_data(slug="icc", answers=ANSWERS) -> dict:
    return {
        "slug": slug,
        "kind": "index",
        "name": {"en": "Intercultural index"},
        "group_label": {"en": "Indicator"},
        "groups": [
            {"code": code, "name": {"en": f"Group {code}"}, "weight": float(weight)}
            for code, weight, _answers, _score in GROUPS
        ],
        "indicators": [
            {"group": code, "number": n, "text": {"en": f"Question {code}{n}"}}
            for code, _weight, answers_of_group, _score in GROUPS
            for n in range(1, len(answers_of_group) + 1)
        ],
        "scales": [
            {"purpose": "performance", "name": {"en": "Answers"}, "levels": answers},
            EVIDENCE,
        ],
    }


def answer(programme, city_name, answers_by_code):
    """A published review of the programme answered as given: {indicator code: level}."""
    version = programme.benchmark_version
    city = new_city(name=city_name)
    programme.partners.add(city)
    review = new_review(title=f"Review of {city_name}", host_city=city, benchmark_version=version)
    review.programme = programme
    review.save()
    levels = {lv.code: lv for lv in ScaleLevel.objects.filter(scale__version=version)}
    for indicator in version.indicators.all():
        code = answers_by_code.get(indicator.code)
        if code is not None:
            IndicatorEvaluation.objects.create(
                review=review, indicator=indicator, rating=levels[code]
            )
    FeedbackReport.objects.create(review=review, published_at=timezone.now())
    return review


def first_city_answers() -> dict:
    return {
        f"{code}/{n}": a
        for code, _w, answers_of_group, _s in GROUPS
        for n, a in enumerate(answers_of_group, start=1)
    }


def everywhere(level: str) -> dict:
    return {f"{code}/{n}": level for code, _w, a, _s in GROUPS for n in range(1, len(a) + 1)}


@pytest.fixture
def index_programme(db):
    version = import_version(index_data(), publish=True)
    programme = Programme.objects.create(name="ICC 2026", benchmark_version=version)
    answer(programme, "Bergen", first_city_answers())
    answer(programme, "Oslo", everywhere("full"))
    answer(programme, "Lublin", everywhere("none"))
    return programme


def test_the_benchmark_has_14_groups_and_66_questions(index_programme):
    version = index_programme.benchmark_version
    assert version.benchmark.kind == Benchmark.INDEX
    assert (version.groups.count(), version.indicators.count()) == (14, 66)


def test_group_scores_and_index_equal_the_hand_computed_values(index_programme, coordinator):
    table = build_index(build_matrix(index_programme, coordinator))
    bergen = next(n for n, c in enumerate(table.columns) if c.city.name == "Bergen")
    city = table.cities[bergen]
    assert [g.score for g in city.groups] == [score for *_x, score in GROUPS]
    assert city.index == INDEX
    assert city.index == Fraction(1584, 31)


def test_missing_and_unscored_answers_are_counted_as_n_of_m_answered(index_programme, coordinator):
    table = build_index(build_matrix(index_programme, coordinator))
    bergen = next(n for n, c in enumerate(table.columns) if c.city.name == "Bergen")
    groups = {row.group.code: row.scores[bergen] for row in table.groups}
    assert (groups["E"].answered, groups["E"].scorable) == (3, 5)
    assert (groups["F"].answered, groups["F"].scorable) == (2, 4)
    assert (groups["G"].answered, groups["G"].scorable) == (0, 5)
    # 66 questions, of which E misses 2, F has 2 without a score and G 5 unanswered.
    assert (table.cities[bergen].answered, table.cities[bergen].scorable) == (57, 66)


def test_network_average_and_spread_of_the_index_are_exact(index_programme, coordinator):
    summary = build_index(build_matrix(index_programme, coordinator)).summary
    assert summary.count == 3
    assert summary.mean == (INDEX + 100) / 3
    assert (summary.minimum, summary.median, summary.maximum) == (0, INDEX, 100)
    assert summary.lower_quartile == INDEX / 2
    assert summary.upper_quartile == (INDEX + 100) / 2


def test_a_group_of_weight_zero_is_shown_but_not_in_the_index(index_programme, coordinator):
    table = build_index(build_matrix(index_programme, coordinator))
    row = next(row for row in table.groups if row.group.code == "D")
    assert row.counted is False
    assert [s.score for s in row.scores] == [100, 0, 100]  # Bergen, Lublin, Oslo
    # Were D counted (100 at weight 0 -> 1), Bergen's index would move.
    assert table.cities[0].index == INDEX


def test_matrix_page_shows_group_scores_index_and_spread(index_programme, client_for, coordinator):
    response = client_for(coordinator).get(reverse("comparisons:matrix", args=[index_programme.pk]))
    page = response.content.decode()
    assert 'id="index-scores"' in page
    assert 'data-city="Bergen">51.1' in page
    assert "57 of 66 answered" in page
    assert "3 of 5 answered" in page
    assert 'id="index-spread"' in page
    assert "not in the index" in page


def test_no_ranking_until_the_coordinator_turns_it_on(index_programme, client_for, coordinator):
    url = reverse("comparisons:matrix", args=[index_programme.pk])
    assert 'id="index-ranking"' not in client_for(coordinator).get(url).content.decode()
    Programme.objects.filter(pk=index_programme.pk).update(show_ranking=True)
    page = client_for(coordinator).get(url).content.decode()
    ranking = page[page.index('id="index-ranking"') :]
    assert ranking.index("1. Oslo: 100.0") < ranking.index("2. Bergen: 51.1")
    assert ranking.index("2. Bergen: 51.1") < ranking.index("3. Lublin: 0.0")


def test_a_rating_scale_benchmark_never_shows_a_rank(db, client_for, coordinator):
    programme = rated_programme()
    # Even if the switch were stored on, a rating-scale programme shows no rank.
    Programme.objects.filter(pk=programme.pk).update(show_ranking=True)
    page = client_for(coordinator).get(reverse("comparisons:matrix", args=[programme.pk]))
    assert 'id="index' not in page.content.decode()
    programme.refresh_from_db()
    assert programme.ranking_shown is False


def test_programme_form_refuses_ranking_for_a_rating_scale_benchmark(db):
    programme = rated_programme()
    form = ProgrammeForm(
        {
            "name": programme.name,
            "benchmark_version": programme.benchmark_version.pk,
            "visits_per_peer": 2,
            "show_ranking": "on",
            "partners": list(programme.partners.values_list("pk", flat=True)),
            "edit_version": programme.edit_version,
        },
        instance=programme,
    )
    assert not form.is_valid()
    assert "Only an index benchmark can be ranked" in form.errors["show_ranking"][0]
    programme.refresh_from_db()
    assert programme.show_ranking is False


def test_programme_form_turns_ranking_on_for_an_index(index_programme):
    form = ProgrammeForm(
        {
            "name": index_programme.name,
            "benchmark_version": index_programme.benchmark_version.pk,
            "visits_per_peer": 2,
            "show_ranking": "on",
            "partners": list(index_programme.partners.values_list("pk", flat=True)),
            "edit_version": index_programme.edit_version,
        },
        instance=index_programme,
    )
    assert form.is_valid(), form.errors
    form.save()
    index_programme.refresh_from_db()
    assert index_programme.ranking_shown is True


def test_an_index_whose_answers_have_no_scores_is_flagged_and_scores_nothing(
    db, client_for, coordinator
):
    unscored = [{**level, "score": None} for level in ANSWERS]
    version = import_version(index_data("bare", unscored), publish=True)
    programme = Programme.objects.create(name="Bare", benchmark_version=version)
    answer(programme, "Bergen", first_city_answers())
    table = build_index(build_matrix(programme, coordinator))
    assert len(table.unscored) == 66
    assert table.cities[0].index is None
    assert table.summary is None
    page = client_for(coordinator).get(reverse("comparisons:matrix", args=[programme.pk]))
    assert page.status_code == 200
    assert "66 questions have no answer with a score" in page.content.decode()
    detail = client_for(coordinator).get(version.get_absolute_url())
    assert 'id="answers-unscored"' in detail.content.decode()


def test_spreadsheet_round_trip_keeps_kind_weights_and_scores(index_programme):
    data = export_version(index_programme.benchmark_version)
    back = from_xlsx(io.BytesIO(to_xlsx(data)))
    assert back["kind"] == "index"
    assert [g["weight"] for g in back["groups"]] == [1, 2, 1, 0, 1.5, 1, 3, 1, 2, 1, 0.5, 1, 1, 2.5]
    performance = next(s for s in back["scales"] if s["purpose"] == "performance")
    assert [lv["score"] for lv in performance["levels"]] == [100, 75, 50, 20, 0, None]
    copy = import_version({**back, "slug": "icc-copy"})
    assert copy.benchmark.kind == Benchmark.INDEX
    assert Group.objects.get(version=copy, code="E").weight == Decimal("1.5")


def test_an_old_spreadsheet_without_kind_weight_or_scales_imports_as_a_rating_scale(db):
    wb = Workbook()
    wb.active.title = "benchmark"
    wb["benchmark"].append(["key", "value"])
    wb["benchmark"].append(["slug", "older"])
    wb["benchmark"].append(["name_en", "An older benchmark"])
    wb.create_sheet("groups").append(["code", "name_en"])
    wb["groups"].append(["GG", "General governance"])
    wb.create_sheet("indicators").append(["group", "number", "text_en"])
    wb["indicators"].append(["GG", 1, "A standing advisory committee"])
    upload = io.BytesIO()
    wb.save(upload)
    upload.seek(0)
    imported = import_version(from_xlsx(upload))
    assert imported.benchmark.kind == Benchmark.SCALE
    assert imported.groups.get().weight == Decimal(1)
    scores = imported.ratingscales.get(purpose="performance").levels.values_list("score", flat=True)
    assert list(scores) == [1, 2, 3, None]  # the method's default scale, as before


def test_import_refuses_index_scores_outside_0_to_100(db):
    wrong = [{**ANSWERS[0], "score": 120}, *ANSWERS[1:]]
    with pytest.raises(ImportRejected) as rejected:
        import_version(index_data("wrong", wrong))
    assert [p.message for p in rejected.value.problems] == [
        "An answer of an index scores from 0 to 100 (or leave it empty)."
    ]
    assert not Benchmark.objects.filter(slug="wrong").exists()


def test_a_new_index_starts_with_unscored_answers(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("benchmarks:create"),
        {
            "slug": "icc",
            "name_en": "Intercultural index",
            "group_label_en": "Indicator",
            "kind": "index",
        },
    )
    assert response.status_code == 302
    benchmark = Benchmark.objects.get(slug="icc")
    assert benchmark.kind == Benchmark.INDEX
    levels = ScaleLevel.objects.filter(
        scale__version__benchmark=benchmark, scale__purpose="performance"
    )
    assert set(levels.values_list("score", flat=True)) == {None}


def test_group_form_of_an_index_takes_a_weight(db, client_for, coordinator):
    version = import_version(index_data("draft"))
    group = version.groups.get(code="A")
    url = reverse("benchmarks:part_edit", args=["draft", version.number, "group", group.pk])
    response = client_for(coordinator).post(
        url,
        {"code": "A", "name_en": "Group A", "weight": "-1", "edit_version": group.edit_version},
    )
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 0" in response.content.decode()
    response = client_for(coordinator).post(
        url,
        {"code": "A", "name_en": "Group A", "weight": "2.25", "edit_version": group.edit_version},
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.weight == Decimal("2.25")


def test_group_form_of_a_rating_scale_has_no_weight(db, client_for, coordinator):
    version = new_benchmark(slug="scale-draft", publish=False)
    group = version.groups.get(code="AA")
    url = reverse("benchmarks:part_edit", args=["scale-draft", version.number, "group", group.pk])
    page = client_for(coordinator).get(url).content.decode()
    assert 'name="code"' in page
    assert 'name="weight"' not in page


def test_scale_level_form_of_an_index_refuses_scores_above_100(db, client_for, coordinator):
    version = import_version(index_data("levels"))
    scale = version.ratingscales.get(purpose="performance")
    levels = list(scale.levels.all())
    data = {
        "name_en": scale.name_en,
        "edit_version": scale.edit_version,
        "levels-TOTAL_FORMS": len(levels),
        "levels-INITIAL_FORMS": len(levels),
        "levels-MIN_NUM_FORMS": 0,
        "levels-MAX_NUM_FORMS": 1000,
    }
    for n, level in enumerate(levels):
        data |= {
            f"levels-{n}-id": level.pk,
            f"levels-{n}-code": level.code,
            f"levels-{n}-label_en": level.label_en,
            f"levels-{n}-colour": level.colour,
            f"levels-{n}-score": "" if level.score is None else str(level.score),
        }
    data["levels-0-score"] = "150"
    url = reverse("benchmarks:scale_edit", args=["levels", version.number, scale.pk])
    response = client_for(coordinator).post(url, data)
    assert response.status_code == 200
    assert "An answer of an index scores from 0 to 100" in response.content.decode()
    assert scale.levels.get(code="full").score == 100


def test_index_matrix_queries_do_not_grow_with_cities(index_programme, coordinator, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("comparisons:matrix", args=[index_programme.pk])

    def count() -> int:
        client = client_for(coordinator)
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert 'id="index-scores"' in response.content.decode()
        return len(queries)

    three = count()
    for name in ("Tampere", "Turku", "Espoo"):
        answer(index_programme, name, everywhere("partly"))
    assert count() == three


def test_import_into_a_benchmark_of_another_kind_is_refused(db):
    version = new_benchmark(slug="scale-kind")
    data = {**export_version(version), "kind": "index"}
    with pytest.raises(ImportRejected) as rejected:
        import_version(data, benchmark=version.benchmark)
    assert "but the benchmark is of kind 'scale'" in rejected.value.problems[0].message
    assert version.benchmark.versions.count() == 1


def test_matrix_of_an_index_in_dutch_shows_decimal_commas(index_programme, client_for, coordinator):
    client = client_for(coordinator)
    client.cookies["django_language"] = "nl"
    page = client.get(reverse("comparisons:matrix", args=[index_programme.pk])).content.decode()
    assert 'data-city="Bergen">51,1' in page
    assert "57 van 66 beantwoord" in page


def test_an_index_question_page_lists_its_answers_and_scores(db, client_for, coordinator):
    version = import_version(index_data("answers"))
    own = version.indicators.get(code="A/1")
    own.answer_scores = {"full": 90, "partly": 40.5, "unknown": None}
    own.save()
    client = client_for(coordinator)

    def rows(indicator, language="en") -> list[str]:
        client.cookies["django_language"] = language
        page = client.get(indicator.get_absolute_url()).content.decode()
        table = page.split('id="answer-scores"', 1)[1].split("</table>", 1)[0]
        cells = [c.split("</td>", 1)[0] for c in table.split("<td>")[1:]]
        return [f"{a}={b}" for a, b in zip(cells[::2], cells[1::2], strict=True)]

    assert rows(own) == ["Fully=90", "Partly=40.5", "Cannot tell=not scored"]
    assert rows(own, "nl") == ["Fully=90", "Partly=40,5", "Cannot tell=niet gescoord"]
    scale_only = version.indicators.get(code="A/2")
    assert rows(scale_only) == [
        "Fully=100",
        "Mostly=75",
        "Partly=50",
        "Hardly=20",
        "Not at all=0",
        "Cannot tell=not scored",
    ]


def test_a_rating_scale_question_page_has_no_answer_scores(db, client_for, coordinator):
    version = new_benchmark(slug="scale-answers")
    indicator = version.indicators.first()
    page = client_for(coordinator).get(indicator.get_absolute_url()).content.decode()
    assert 'id="answer-scores"' not in page
