"""A question's own answers and their scores in an index benchmark (issue 16, item 4
follow-up): `Indicator.answer_scores` overrides the performance scale's scores for one
question, in the exact arithmetic of the matrix and of the city against the network, in
the editor (typed as code=score lines), in the spreadsheet and in the JSON document."""

from __future__ import annotations

import io
from fractions import Fraction

import pytest
from django.urls import reverse

from benchmarks.models import Indicator
from benchmarks.schema import ImportRejected
from benchmarks.services import export_version, import_version
from benchmarks.spreadsheet import from_xlsx, to_xlsx
from comparisons.index import build_index
from comparisons.matrix import build_matrix
from reviews.models import Programme
from reviews.services.network import city_against_network
from tests.test_index_benchmarks import ANSWERS, EVIDENCE, answer

# A/2 has its own answers: fully 80, partly 40, cannot tell (no score); "mostly" is not
# one of them. B/1's own answer has no score: the question scores nothing.
OWN = {"full": 80, "partly": 40, "unknown": None}


def small_index(slug="own", own=OWN) -> dict:
    return {
        "slug": slug,
        "kind": "index",
        "name": {"en": "Small index"},
        "groups": [
            {"code": "A", "name": {"en": "Group A"}, "weight": 1},
            {"code": "B", "name": {"en": "Group B"}, "weight": 1},
        ],
        "indicators": [
            {"group": "A", "number": 1, "text": {"en": "Question A1"}},
            {"group": "A", "number": 2, "text": {"en": "Question A2"}, "answer_scores": own},
            {
                "group": "B",
                "number": 1,
                "text": {"en": "Question B1"},
                "answer_scores": {"full": None},
            },
        ],
        "scales": [
            {"purpose": "performance", "name": {"en": "Answers"}, "levels": ANSWERS},
            EVIDENCE,
        ],
    }


@pytest.fixture
def programme(db):
    version = import_version(small_index(), publish=True)
    programme = Programme.objects.create(name="Small 2026", benchmark_version=version)
    # Bergen: A1 full (100), A2 partly (its own 40, not the scale's 50): A = 70.
    answer(programme, "Bergen", {"A/1": "full", "A/2": "partly", "B/1": "full"})
    # Oslo: A1 none (0), A2 full (its own 80): A = 40. Lublin: A2 "most" is not one of
    # A2's answers, so only A1 (hardly, 20) counts: A = 20.
    answer(programme, "Oslo", {"A/1": "none", "A/2": "full", "B/1": "full"})
    answer(programme, "Lublin", {"A/1": "hardly", "A/2": "most"})
    return programme


def test_matrix_index_uses_a_questions_own_answer_scores(programme, coordinator):
    table = build_index(build_matrix(programme, coordinator))
    by_city = {c.city.name: city for c, city in table.city_rows}
    assert [g.score for g in by_city["Bergen"].groups] == [Fraction(70), None]
    assert by_city["Oslo"].groups[0].score == Fraction(40)
    assert by_city["Lublin"].groups[0].score == Fraction(20)
    assert by_city["Lublin"].groups[0].answered == 1
    assert by_city["Bergen"].index == Fraction(70)  # B has no score: not in the index
    assert [i.code for i in table.unscored] == ["B/1"]


def test_network_uses_a_questions_own_answer_scores(programme):
    network = city_against_network(programme.reviews.get(host_city__name="Bergen"))
    a, b = network["groups"]
    assert a["city"] == "70.0"
    assert (a["network"]["mean"], a["network"]["min"], a["network"]["max"]) == (
        "30.0",
        "20.0",
        "40.0",
    )
    assert (b["city"], b["scorable"], b["network"]) == (None, 0, None)


def test_answer_scores_survive_the_spreadsheet_and_json_round_trip(programme):
    data = export_version(programme.benchmark_version)
    assert data["indicators"][1]["answer_scores"] == OWN
    back = from_xlsx(io.BytesIO(to_xlsx(data)))
    assert [i["answer_scores"] for i in back["indicators"]] == [{}, OWN, {"full": None}]
    copy = import_version({**back, "slug": "own-copy"})
    assert Indicator.objects.get(version=copy, code="A/2").answer_scores == OWN


def test_an_old_document_without_answer_scores_imports_with_the_scales_scores(db):
    data = small_index("old")
    for indicator in data["indicators"]:
        indicator.pop("answer_scores", None)
    version = import_version(data)
    assert list(version.indicators.values_list("answer_scores", flat=True)) == [{}, {}, {}]


def test_import_refuses_an_answer_score_above_100(db):
    with pytest.raises(ImportRejected):
        import_version(small_index("high", own={"full": 150}))


def test_import_refuses_an_answer_code_not_on_the_scale(db):
    with pytest.raises(ImportRejected) as rejected:
        import_version(small_index("code", own={"yes": 100}))
    assert "yes is not an answer of the performance scale." in [
        p.message for p in rejected.value.problems
    ]


def edit(client, version, indicator, text):
    url = reverse(
        "benchmarks:part_edit",
        args=[version.benchmark.slug, version.number, "indicator", indicator.pk],
    )
    return client.post(
        url,
        {
            "group": indicator.group_id,
            "number": indicator.number,
            "text_en": indicator.text_en,
            "answer_scores_text": text,
            "edit_version": indicator.edit_version,
        },
    )


@pytest.fixture
def draft(db):
    return import_version(small_index("draft"))


def test_indicator_form_refuses_a_code_not_on_the_scale_and_keeps_the_text(
    draft, client_for, coordinator
):
    indicator = draft.indicators.get(code="A/1")
    response = edit(client_for(coordinator), draft, indicator, "full=90\nyes=10")
    page = response.content.decode()
    assert response.status_code == 200
    assert "yes is not an answer of the performance scale." in page
    assert "full=90\nyes=10" in page
    indicator.refresh_from_db()
    assert indicator.answer_scores == {}


def test_indicator_form_refuses_a_score_above_100(draft, client_for, coordinator):
    indicator = draft.indicators.get(code="A/1")
    response = edit(client_for(coordinator), draft, indicator, "full=101")
    assert "The score of full must be a number from 0 to 100 (or empty)." in (
        response.content.decode()
    )
    indicator.refresh_from_db()
    assert indicator.answer_scores == {}


def test_indicator_form_saves_a_questions_own_answers(draft, client_for, coordinator):
    indicator = draft.indicators.get(code="A/1")
    response = edit(client_for(coordinator), draft, indicator, "full=62,5\nunknown=")
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.answer_scores == {"full": 62.5, "unknown": None}


def test_a_question_whose_own_answers_have_no_score_is_flagged(draft, client_for, coordinator):
    client = client_for(coordinator)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert 'id="questions-unscored"' in page
    assert "not scored: B/1." in page
    indicator = draft.indicators.get(code="B/1")
    url = reverse(
        "benchmarks:part_edit", args=[draft.benchmark.slug, draft.number, "indicator", indicator.pk]
    )
    assert 'id="question-unscored"' in client.get(url).content.decode()
    assert (
        'id="question-unscored"'
        not in client.get(
            url.replace(str(indicator.pk), str(draft.indicators.get(code="A/1").pk))
        ).content.decode()
    )
