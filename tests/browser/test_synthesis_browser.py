"""The comparative report of a programme in the browser: the coordinator opens it and assigns
two chapters to team leaders of the programme's reviews, assembles a chapter (a challenge
resting on one city is refused until a second city is cited), freezes version 1; both team
leaders approve it; the coordinator publishes it and downloads it as PDF; the public network
page links it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from reviews.models import Membership
from syntheses.models import ComparativeReport
from tests.comparison_data import rated_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-pass-phrase"


def _programme(make_user):
    programme = rated_programme()
    reviews = {r.host_city.name: r for r in programme.reviews.select_related("host_city")}
    for email, name, city in [
        ("antwerp@example.org", "An Antwerp", "Antwerp"),
        ("ghent@example.org", "Geert Ghent", "Ghent"),
    ]:
        leader = make_user(email=email, password=PASSWORD, name=name)
        Membership.objects.create(review=reviews[city], user=leader, role="team_leader")
    make_user(
        email="coord@example.org", password=PASSWORD, name="Clara Coordinator", is_coordinator=True
    )
    return programme


def _approve(page, url=None):
    """Approve version 1: from the report's page, or (no `url`) from the version page the
    notification opened."""
    if url:
        page.goto(url)
    page.get_by_role("link", name="Approve version 1 or comment").click()
    page.get_by_label("I approve this version").check()
    page.get_by_role("button", name="Record my decision").click()
    expect(page.get_by_text("You approved version 1.")).to_be_visible()


def test_a_chapter_assembled_approved_by_two_leaders_published_and_downloaded(
    page, second_page, browser, live_server, sign_in, make_user, assert_accessible
):
    programme = _programme(make_user)
    url = f"{live_server.url}/reviews/programmes/{programme.pk}/comparative-report/"

    # The coordinator opens the report and gives a chapter to each of two team leaders.
    sign_in(page, "coord@example.org", PASSWORD)
    page.goto(f"{live_server.url}/reviews/programmes/{programme.pk}/")
    page.get_by_role("link", name="Comparative report").click()
    assert_accessible(page)
    page.get_by_role("button", name="Open the comparative report").click()
    expect(page.get_by_text("The comparative report is open")).to_be_visible()
    page.get_by_text("Who writes each chapter").click()
    page.get_by_role("combobox", name="AA Alpha").select_option(label="An Antwerp")
    page.get_by_role("combobox", name="BB Beta").select_option(label="Geert Ghent")
    page.get_by_role("button", name="Save the assignments").click()
    expect(page.get_by_text("The chapters are assigned.")).to_be_visible()
    assert_accessible(page)

    # It assembles chapter AA: the approach, and a challenge that first rests on one city.
    page.get_by_role("link", name="Edit the standard and approach").first.click()
    page.get_by_role("textbox", name="How the cities approach it").fill(
        "Most cities plan; few monitor."
    )
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The chapter is saved.")).to_be_visible()
    page.get_by_role("link", name="Add a challenge, advice or city example").first.click()
    page.get_by_role("combobox", name="Kind").select_option(label="Challenge")
    page.get_by_role("textbox", name="Text").fill("Monitoring budgets are short.")
    page.get_by_label("Antwerp: Review of Antwerp").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("a shared challenge or an advice needs 2").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Ghent: Review of Ghent").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The statement is saved.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="(Antwerp, Ghent)")).to_contain_text(
        "Monitoring budgets are short."
    )

    # Version 1 is frozen for the two authors.
    page.get_by_role("link", name="Freeze a version for approval").click()
    assert_accessible(page)
    page.get_by_role("button", name="Freeze version 1").click()
    expect(page.get_by_text("Version 1 is frozen.")).to_be_visible()

    # Both team leaders approve it: the first from the news on their dashboard.
    sign_in(second_page, "antwerp@example.org", PASSWORD)
    second_page.goto(f"{live_server.url}/reviews/")
    news = second_page.get_by_role("listitem").filter(
        has_text=f"Version 1 of the comparative report of {programme.name} waits for your approval."
    )
    expect(news).to_be_visible()
    assert_accessible(second_page)
    news.get_by_role("button", name="Open").click()
    expect(second_page.get_by_role("link", name="Approve version 1 or comment")).to_be_visible()
    _approve(second_page)
    assert_accessible(second_page)
    ghent = browser.new_context().new_page()
    sign_in(ghent, "ghent@example.org", PASSWORD)
    _approve(ghent, url)
    ghent.context.close()

    # The coordinator hears that every author approved, and publishes from that news.
    page.goto(f"{live_server.url}/reviews/")
    approved = page.get_by_role("listitem").filter(
        has_text=f"Every author approved version 1 of the comparative report of {programme.name}"
    )
    expect(approved).to_be_visible()
    assert_accessible(page)
    approved.get_by_role("button", name="Open").click()
    expect(page.get_by_role("button", name="Publish to the network")).to_be_visible()
    page.goto(url)
    expect(page.get_by_role("row", name="Geert Ghent approves")).to_be_visible()
    page.get_by_role("link", name="Publish…").click()
    assert_accessible(page)
    page.get_by_role("button", name="Publish to the network").click()
    expect(page.get_by_text("Version 1 of the comparative report is published.")).to_be_visible()
    assert_accessible(page)
    assert ComparativeReport.objects.get().is_published
    pdf_url = page.get_by_role("link", name="Download PDF").get_attribute("href")
    response = page.request.get(f"{live_server.url}{pdf_url}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    # The public network page links it, for anyone.
    public = browser.new_context().new_page()
    public.goto(f"{live_server.url}/compare/network/")
    link = public.get_by_role("link", name="The comparative report of the programme (PDF)")
    expect(link).to_be_visible()
    assert public.request.get(f"{live_server.url}{link.get_attribute('href')}").status == 200
    public.context.close()
