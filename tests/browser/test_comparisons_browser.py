"""The learning across reviews in the demo network: a coordinator opens the cross-city
matrix of the demo programme, filters it to one pillar and downloads the CSV; an anonymous
visitor opens the public network page and sees only published material. axe on every page;
every page also passes the 820 px check of conftest.py."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from reviews.demo import (
    DEMO_PASSWORD,
    DEMO_REVIEW_TITLE,
    GHENT_REVIEW_TITLE,
    MALMO_REVIEW_TITLE,
    PROGRAMME_NAME,
    REPORTED_REVIEW_TITLE,
    VISIT_REVIEW_TITLE,
    load_demo,
)
from reviews.models import Programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("load_benchmarks", verbosity=0)
    load_demo(today=timezone.localdate())
    return Programme.objects.get(name=PROGRAMME_NAME)


def test_coordinator_filters_the_matrix_to_a_pillar_and_downloads_the_csv(
    page, live_server, sign_in, demo, assert_accessible
):
    sign_in(page, "coordinator@example.org", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/reviews/programmes/{demo.pk}/")
    page.get_by_role("link", name="Compare the cities: the cross-city matrix").click()
    expect(page.get_by_role("heading", name="Cross-city matrix", level=1)).to_be_visible()
    # Leipzig, Ghent and Malmö are published; Rotterdam and Antwerp are on their way, unrated.
    header = page.locator("table.cross-city").first.locator("thead")
    expect(header).to_contain_text("Ghent")
    expect(header).to_contain_text("Leipzig")
    expect(header).to_contain_text("Malmö")
    expect(page.locator("#excluded")).to_contain_text("Antwerp")
    assert_accessible(page)

    groups = list(demo.benchmark_version.groups.order_by("order", "code"))
    page.get_by_label("Group").select_option(groups[1].code)
    page.get_by_role("button", name="Show").click()
    expect(page.locator(f"#group-{groups[1].code}")).to_be_visible()
    expect(page.locator("section[id^=group-]")).to_have_count(1)
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert {row["city"] for row in rows} == {"Ghent", "Leipzig", "Malmö"}
    assert {row["review_title"] for row in rows} == {
        GHENT_REVIEW_TITLE,
        MALMO_REVIEW_TITLE,
        REPORTED_REVIEW_TITLE,
    }


def test_anonymous_visitor_sees_only_published_material(page, live_server, demo, assert_accessible):
    page.goto(f"{live_server.url}/reviews/")  # the sign-in page: nobody is signed in
    page.get_by_role("link", name="The network's peer reviews").click()
    expect(page.get_by_role("heading", name="The network's peer reviews", level=1)).to_be_visible()
    programme = page.locator(f"#programme-{demo.pk}")
    expect(programme).to_contain_text(GHENT_REVIEW_TITLE)
    expect(programme).to_contain_text(REPORTED_REVIEW_TITLE)
    for unpublished in (DEMO_REVIEW_TITLE, VISIT_REVIEW_TITLE):
        expect(page.locator("main")).not_to_contain_text(unpublished)
    expect(page.locator('meta[name="robots"]')).to_have_attribute("content", "noindex")
    assert_accessible(page)
    chart = page.get_by_role("img", name="Spread of the final ratings per group")
    expect(chart).to_be_visible()
