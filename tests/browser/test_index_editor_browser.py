"""A coordinator builds an index benchmark in the editor: the kind, the answers' scores, the
groups' weights and a question with its own answers; a wrong score or answer code is said at
the field, with what was typed kept."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from benchmarks.models import Benchmark, Group, Indicator, ScaleLevel
from tests.browser.test_benchmark_browser import _add

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_builds_an_index_with_scores_and_weights(
    page, live_server, sign_in, make_user, assert_accessible
):
    make_user(email="coord@example.org", password="a-long-pass-phrase", is_coordinator=True)
    sign_in(page, "coord@example.org", "a-long-pass-phrase")

    page.get_by_role("link", name="Benchmarks").first.click()
    page.get_by_role("link", name="New benchmark").click()
    page.locator("#id_slug").fill("icc")
    page.locator("#id_name_en").fill("Intercultural index")
    page.locator("#id_group_label_en").fill("Policy area")
    page.get_by_label("Index: answers scored 0-100").check()
    assert_accessible(page)
    page.get_by_role("button", name="Create the benchmark").click()
    expect(page.get_by_text("Benchmark created")).to_be_visible()
    expect(page.locator("#benchmark-kind")).to_have_text("Index benchmark")
    # A new index's answers have no scores yet, and the page says what that means.
    expect(page.locator("#answers-unscored")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Edit levels Performance against the benchmark").click()
    page.locator("#id_levels-0-score").fill("0")
    page.locator("#id_levels-1-score").fill("50")
    page.locator("#id_levels-2-score").fill("150")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("An answer of an index scores from 0 to 100")).to_be_visible()
    expect(page.locator("#id_levels-1-score")).to_have_value("50")  # the rest is kept
    expect(page.locator("#id_levels-2-score")).to_have_value("150")
    assert_accessible(page)
    page.locator("#id_levels-2-score").fill("100")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#answers-unscored")).to_have_count(0)

    for code, name, weight in [("GOV", "Governance", "2"), ("EDU", "Education", "0.5")]:
        _add(page, "Add a group", {"#id_code": code, "#id_name_en": name, "#id_weight": weight})
    expect(page.get_by_text("weight 2", exact=True).first).to_be_visible()
    expect(page.get_by_text("weight 0.5", exact=True).first).to_be_visible()  # not "0.50"
    expect(page.get_by_role("cell", name="50", exact=True)).to_be_visible()  # not "50.00"

    page.get_by_role("link", name="Add an indicator").first.click()
    page.locator("#id_group").select_option(label="GOV Governance")
    page.locator("#id_text_en").fill("Does the city have an intercultural strategy?")
    page.locator("#id_answer_scores_text").fill("below=0\nabove=60\nwell_above=100\nmaybe=40")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(  # at the field, beside the summary at the top
        page.get_by_text("maybe is not an answer of the performance scale.", exact=True)
    ).to_be_visible()
    expect(page.locator("#id_text_en")).to_have_value(
        "Does the city have an intercultural strategy?"
    )
    expect(page.locator("#id_answer_scores_text")).to_have_value(
        "below=0\nabove=60\nwell_above=100\nmaybe=40"
    )
    assert_accessible(page)
    page.locator("#id_answer_scores_text").fill("below=0\nabove=60\nwell_above=100")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("link", name="GOV/1", exact=True).first.click()
    answers = page.locator("#answer-scores")
    expect(answers).to_contain_text("This question's own answers")
    expect(answers.get_by_role("row")).to_have_count(4)  # a header and three answers
    expect(answers.get_by_role("row", name="Above the benchmark 60")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Intercultural index").first.click()

    page.get_by_role("link", name="Publish and freeze this version").click()
    page.get_by_role("button", name="Publish and freeze").click()
    expect(page.get_by_text("Version 1 is published and frozen")).to_be_visible()
    assert_accessible(page)

    benchmark = Benchmark.objects.get(slug="icc")
    assert benchmark.kind == Benchmark.INDEX
    assert {g.code: str(g.weight) for g in Group.objects.filter(version__benchmark=benchmark)} == {
        "GOV": "2.00",
        "EDU": "0.50",
    }
    levels = ScaleLevel.objects.filter(
        scale__version__benchmark=benchmark, scale__purpose="performance"
    ).order_by("order")
    assert [level.score for level in levels] == [0, 50, 100, None]
    question = Indicator.objects.get(version__benchmark=benchmark)
    assert question.answer_scores == {"below": 0, "above": 60, "well_above": 100}
