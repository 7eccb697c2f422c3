"""A coordinator builds a small benchmark, publishes it, rewords an indicator in version 2
and sees the difference on the compare page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _add(page, kind_link: str, fields: dict[str, str], another: bool = False) -> None:
    page.get_by_role("link", name=kind_link).first.click()
    for selector, value in fields.items():
        if selector.startswith("select:"):
            page.locator(selector[7:]).select_option(label=value)
        else:
            page.locator(selector).fill(value)
    page.get_by_role("button", name="Save", exact=True).click()


def test_coordinator_builds_publishes_and_compares(
    page, live_server, sign_in, make_user, assert_accessible
):
    make_user(email="coord@example.org", password="a-long-pass-phrase", is_coordinator=True)
    sign_in(page, "coord@example.org", "a-long-pass-phrase")

    page.get_by_role("link", name="Benchmarks").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="New benchmark").click()
    page.locator("#id_slug").fill("charter")
    page.locator("#id_name_en").fill("Cities Charter")
    page.locator("#id_group_label_en").fill("Role")
    page.locator("#id_value_label_en").fill("Value")
    assert_accessible(page)
    page.get_by_role("button", name="Create the benchmark").click()
    expect(page.get_by_text("Benchmark created")).to_be_visible()

    _add(page, "Add a group", {"#id_code": "PM", "#id_name_en": "Policy maker"})
    _add(page, "Add a group", {"#id_code": "EM", "#id_name_en": "Employer"})
    _add(page, "Add a value", {"#id_code": "A", "#id_name_en": "Ambition"})
    _add(page, "Add a value", {"#id_code": "R", "#id_name_en": "Resources"})
    for group, value, text in [
        ("PM Policy maker", "A Ambition", "The city has an integration strategy."),
        ("PM Policy maker", "R Resources", "The strategy has a budget."),
        ("EM Employer", "A Ambition", "Staff reflect the population."),
    ]:
        _add(
            page,
            "Add an indicator",
            {"select:#id_group": group, "select:#id_value": value, "#id_text_en": text},
        )
    expect(page.get_by_role("link", name="PM/A/1", exact=True)).to_have_count(2)  # matrix, list
    assert_accessible(page)

    _add(
        page,
        "Add a glossary term",
        {"#id_term_en": "Public procurement", "#id_definition_en": "Buying goods and services."},
    )
    expect(page.get_by_text("Buying goods and services.")).to_be_visible()
    _add(
        page,
        "Add a tag type",
        {
            "#id_code": "area",
            "#id_name_en": "Policy area",
            "#id_choices_text": "housing | Housing | Huisvesting",
        },
    )
    expect(page.get_by_text("Housing", exact=True)).to_be_visible()
    page.get_by_role("link", name="Edit levels Evidence colour code").click()
    assert_accessible(page)
    page.locator("#id_levels-2-label_en").fill("Not conclusive")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("cell", name="Not conclusive")).to_be_visible()

    page.get_by_role("link", name="Publish and freeze this version").click()
    assert_accessible(page)
    page.get_by_role("button", name="Publish and freeze").click()
    expect(page.get_by_text("Version 1 is published and frozen")).to_be_visible()
    expect(page.get_by_role("link", name="Publish and freeze this version")).to_have_count(0)

    page.get_by_role("button", name="Start a new version").click()
    expect(page.get_by_text("Version 2 started as a draft")).to_be_visible()
    page.get_by_role("link", name="Edit PM/R/1").click()
    assert_accessible(page)
    page.locator("#id_text_en").fill("The strategy has a multi-year budget.")
    page.get_by_role("button", name="Save", exact=True).click()

    page.get_by_role("link", name="Compare versions").click()
    expect(page.get_by_role("heading", name="Reworded")).to_be_visible()
    row = page.get_by_role("row", name="PM/R/1")
    expect(row).to_contain_text("The strategy has a budget.")
    expect(row).to_contain_text("The strategy has a multi-year budget.")
    assert_accessible(page)
