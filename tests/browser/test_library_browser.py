"""A peer writing a desk review sees what other cities do beside an indicator, follows it to
the good-practice library and searches the library by an indicator code."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from benchmarks.services import import_version
from practices.models import Practice, PracticeIndicator
from reviews.models import Membership, Review
from reviews.services import submit_inception_report
from tests.conftest import small_benchmark_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-pass-phrase"


def _practice(indicator, *, slug, title, city):
    practice = Practice.objects.create(
        slug=slug,
        title=title,
        description="The city and its university share data on newcomers' needs every year.",
        programme="INTI-CITIES",
        state=Practice.PUBLISHED,
    )
    practice.cities.add(city)
    PracticeIndicator.objects.create(
        practice=practice, code=indicator.code, lineage=indicator.lineage
    )
    return practice


def test_peer_searches_the_library_by_indicator_code_from_the_desk_review(
    page, live_server, sign_in, make_user, make_city, assert_accessible
):
    rotterdam = make_city(name="Rotterdam", country="Netherlands")
    genoa = make_city(name="Genoa", country="Italy")
    host = make_user(email="host@example.org", password=PASSWORD, city=rotterdam, name="Anouk")
    peer = make_user(email="peer@example.org", password=PASSWORD, name="Mikko")
    review = Review.objects.create(
        title="Review of Rotterdam",
        host_city=rotterdam,
        benchmark_version=import_version(small_benchmark_data(), publish=True),
        current_step=4,
    )
    Membership.objects.create(review=review, user=host, role="host")
    Membership.objects.create(review=review, user=peer, role="peer")
    indicators = review.benchmark_version.indicators
    first, other = indicators.get(code="AA/X/1"), indicators.get(code="AA/Y/1")
    _practice(first, slug="genoa-needs", title="Targeted needs assessments", city=genoa)
    _practice(other, slug="genoa-budget", title="A budget line per district", city=genoa)
    submit_inception_report(review=review, by=host, reason="The rest follows.")

    sign_in(page, "peer@example.org", PASSWORD)
    group = review.benchmark_version.groups.get(code="AA")
    page.goto(f"{live_server.url}/reviews/{review.pk}/desk-review/{group.pk}/")
    beside = page.locator("fieldset", has_text="AA/X/1").get_by_role(
        "complementary", name="What other cities do on AA/X/1"
    )
    expect(beside.get_by_role("link", name="Targeted needs assessments")).to_be_visible()
    expect(beside.get_by_text("(Genoa)")).to_be_visible()
    assert_accessible(page)

    beside.get_by_role("link", name="The practice on AA/X/1 in the library").click()
    results = page.locator(".practice-results")
    expect(page.get_by_label("Indicator code")).to_have_value("AA/X/1")
    expect(results.get_by_role("link", name="Targeted needs assessments")).to_be_visible()
    expect(results.get_by_role("link", name="A budget line per district")).to_have_count(0)
    assert_accessible(page)

    page.get_by_label("Indicator code").fill("aa/y/1")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#result-count")).to_contain_text("1 practice")
    expect(results.get_by_role("link", name="A budget line per district")).to_be_visible()
    results.get_by_role("link", name="A budget line per district").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A budget line per district")
    assert_accessible(page)


def test_team_leader_completes_approves_and_publishes_a_draft_practice(
    page, live_server, sign_in, make_user, make_city, assert_accessible
):
    rotterdam = make_city(name="Rotterdam", country="Netherlands")
    leader = make_user(email="leader@example.org", password=PASSWORD, name="Jan")
    review = Review.objects.create(title="Review of Rotterdam", host_city=rotterdam)
    Membership.objects.create(review=review, user=leader, role="team_leader")
    draft = Practice.objects.create(
        slug="review-draft",
        title="The migrant council co-signs the plan",
        description="The migrant council co-signs every yearly plan.",
        review=review,
    )
    draft.cities.add(rotterdam)

    sign_in(page, "leader@example.org", PASSWORD)
    page.goto(f"{live_server.url}/library/{draft.slug}/")
    expect(page.get_by_text("Draft", exact=True)).to_be_visible()
    page.get_by_role("link", name="Complete the practice").click()
    assert_accessible(page)
    page.get_by_label("Title (Dutch)").fill("De migrantenraad ondertekent het plan mee")
    page.get_by_label("Relevance (English)").fill("The council asked to be heard.")
    page.get_by_label("Contact").fill("Secretary of the migrant council")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The practice is saved.")).to_be_visible()
    # The team approves before anyone publishes: here the team leader is the whole team.
    expect(page.get_by_role("link", name="Publish…")).to_have_count(0)
    page.get_by_role("button", name="Approve the practice").click()
    expect(page.get_by_text("You approved the practice.")).to_be_visible()
    expect(page.locator("#approved-by")).to_contain_text("Jan")
    assert_accessible(page)
    page.get_by_role("link", name="Publish…").click()
    expect(page.get_by_text("Assessment: Efficiency")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publish the practice").click()
    expect(page.get_by_text("The practice is published in the library.")).to_be_visible()
    expect(page.get_by_text("The council asked to be heard.")).to_be_visible()
    assert_accessible(page)
    draft.refresh_from_db()
    assert draft.state == Practice.PUBLISHED
    assert draft.title_nl == "De migrantenraad ondertekent het plan mee"


def test_coordinator_enters_a_practice_and_keeps_what_was_typed_on_an_error(
    page, live_server, sign_in, make_user, make_city, assert_accessible
):
    utrecht = make_city(name="Utrecht", country="Netherlands")
    import_version(small_benchmark_data(), publish=True)
    make_user(email="coordinator@example.org", password=PASSWORD, is_coordinator=True)

    sign_in(page, "coordinator@example.org", PASSWORD)
    page.goto(f"{live_server.url}/library/")
    page.get_by_role("link", name="New practice").click()
    expect(page.get_by_role("heading", name="New practice", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Title (English)").fill("A welcome desk in every district")
    page.get_by_label("Title (Dutch)").fill("Een welkomstbalie in elke wijk")
    page.get_by_label("Cities").select_option(label=str(utrecht))
    page.get_by_label("Indicators it illustrates").fill("AA/X/1, ZZ/9")
    page.get_by_label("Impact (Dutch)").fill("Meer inschrijvingen in de eerste week.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("No published benchmark has an indicator ZZ/9.").first).to_be_visible()
    expect(page.get_by_label("Title (Dutch)")).to_have_value("Een welkomstbalie in elke wijk")
    expect(page.get_by_label("Impact (Dutch)")).to_have_value(
        "Meer inschrijvingen in de eerste week."
    )
    assert_accessible(page)
    page.get_by_label("Indicators it illustrates").fill("AA/X/1")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The practice is saved as a draft.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("A welcome desk in every district")
    page.get_by_role("button", name="Approve the practice").click()
    page.get_by_role("link", name="Publish…").click()
    page.get_by_role("button", name="Publish the practice").click()
    expect(page.get_by_text("The practice is published in the library.")).to_be_visible()
    practice = Practice.objects.get()
    assert practice.state == Practice.PUBLISHED
    assert [link.code for link in practice.indicator_links.all()] == ["AA/X/1"]
