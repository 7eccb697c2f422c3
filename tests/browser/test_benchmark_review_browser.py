"""Peers approve a circulated draft; two coordinators edit one indicator at once;
a coordinator imports a spreadsheet with mistakes; a host edits the city profile."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from benchmarks.models import BenchmarkVersion
from benchmarks.services import import_version
from benchmarks.spreadsheet import to_xlsx
from tests.conftest import small_benchmark_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-pass-phrase"


def test_coordinator_circulates_and_a_peer_comments_and_approves(
    page, second_page, live_server, sign_in, make_user, assert_accessible
):
    make_user(email="coord@example.org", password=PASSWORD, is_coordinator=True)
    make_user(email="fatima@example.org", name="Fatima Chahid", password=PASSWORD)
    import_version(small_benchmark_data())

    sign_in(page, "coord@example.org", PASSWORD)
    page.goto(f"{live_server.url}/benchmarks/mini/v1/")
    page.get_by_role("link", name="Circulate to peers").click()
    page.get_by_label("Fatima Chahid").check()
    assert_accessible(page)
    page.get_by_role("button", name="Circulate").click()
    expect(page.get_by_text("Fatima Chahid: not yet approved")).to_be_visible()

    peer_page = second_page
    sign_in(peer_page, "fatima@example.org", PASSWORD)
    expect(peer_page.get_by_text("Benchmark drafts waiting for your approval")).to_be_visible()
    assert_accessible(peer_page)
    peer_page.get_by_role("link", name="Benchmark mini v1").click()
    peer_page.get_by_role("link", name="AA/X/1", exact=True).first.click()
    peer_page.get_by_label("Your comment on this indicator").fill(
        "Too prescriptive for small cities."
    )
    peer_page.get_by_role("button", name="Add comment").click()
    expect(peer_page.get_by_text("Too prescriptive for small cities.")).to_be_visible()
    assert_accessible(peer_page)
    peer_page.get_by_role("link", name="Benchmark mini v1").click()
    peer_page.get_by_role("button", name="I approve this draft").click()
    expect(peer_page.get_by_text("You approved this draft.")).to_be_visible()

    page.reload()
    expect(page.get_by_text("Fatima Chahid: approved")).to_be_visible()
    page.get_by_role("link", name="Publish and freeze this version").click()
    assert_accessible(page)
    page.get_by_role("button", name="Publish and freeze").click()
    expect(page.get_by_text("Version 1 is published and frozen")).to_be_visible()


def test_two_coordinators_edit_one_indicator_and_nothing_is_lost(
    page, second_page, live_server, sign_in, make_user, assert_accessible
):
    make_user(email="coord@example.org", password=PASSWORD, is_coordinator=True)
    make_user(email="coord2@example.org", password=PASSWORD, is_coordinator=True)
    version = import_version(small_benchmark_data())
    edit_url = (
        f"{live_server.url}/benchmarks/mini/v1/indicator/"
        f"{version.indicators.get(code='AA/X/1').pk}/edit/"
    )
    other = second_page
    sign_in(page, "coord@example.org", PASSWORD)
    sign_in(other, "coord2@example.org", PASSWORD)
    page.goto(edit_url)
    other.goto(edit_url)

    page.locator("#id_text_en").fill("Wording from the first coordinator.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved AA/X/1")).to_be_visible()

    other.locator("#id_text_en").fill("Wording from the second coordinator.")
    other.get_by_role("button", name="Save", exact=True).click()
    expect(other.get_by_role("heading", name="Someone else saved this")).to_be_visible()
    expect(other.get_by_role("cell", name="Wording from the first coordinator.")).to_be_visible()
    expect(other.locator("#id_text_en")).to_have_value("Wording from the second coordinator.")
    assert_accessible(other)
    other.get_by_role("button", name="Save my version").click()
    expect(other.get_by_text("Saved AA/X/1")).to_be_visible()
    expect(other.get_by_text("Wording from the second coordinator.").first).to_be_visible()


def test_import_with_mistakes_lists_them_and_saves_nothing(
    page, live_server, sign_in, make_user, tmp_path, assert_accessible
):
    make_user(email="coord@example.org", password=PASSWORD, is_coordinator=True)
    data = small_benchmark_data(slug="charter")
    data["indicators"][1]["group"] = "ZZ"
    data["indicators"][2]["text"] = {"en": ""}
    upload = tmp_path / "charter.xlsx"
    upload.write_bytes(to_xlsx(data))

    sign_in(page, "coord@example.org", PASSWORD)
    page.get_by_role("link", name="Benchmarks").first.click()
    page.get_by_role("link", name="Import a benchmark").click()
    page.get_by_label("Spreadsheet (.xlsx) or JSON file").set_input_files(str(upload))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Nothing was imported: 2 problems.")).to_be_visible()
    expect(page.get_by_role("row", name="sheet indicators, row 3")).to_contain_text("Unknown group")
    expect(page.get_by_role("row", name="sheet indicators, row 4")).to_contain_text("text is empty")
    assert_accessible(page)
    assert not BenchmarkVersion.objects.filter(benchmark__slug="charter").exists()


def test_host_edits_the_city_profile_in_dutch(page, live_server, sign_in, assert_accessible):
    """The demo host prefers Dutch, so the whole flow runs in Dutch."""
    call_command("load_demo", verbosity=0)
    sign_in(page, "host@example.org", "critical-friend-demo")
    page.get_by_role("link", name="Steden").click()
    assert_accessible(page)
    page.get_by_role("link", name="Rotterdam").click()
    expect(page.get_by_role("heading", name="Reviews als gaststad")).to_be_visible()
    page.get_by_role("link", name="Stadsprofiel bewerken").click()
    page.get_by_label("Kort profiel").fill("Havenstad met 170 nationaliteiten.")
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Havenstad met 170 nationaliteiten.")).to_be_visible()
    assert_accessible(page)
