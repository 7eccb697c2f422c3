"""A coordinator creates a programme, opens two reviews in it, forms both teams from the
pool, records one joint training and sees the board; axe on every page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reviews.models import Programme, Review
from tests.conftest import new_benchmark

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-pass-phrase"


@pytest.fixture
def network(make_city, make_user):
    cities = {
        name: make_city(name=name, country=country)
        for name, country in [
            ("Rotterdam", "Netherlands"),
            ("Antwerp", "Belgium"),
            ("Malmö", "Sweden"),
            ("Lyon", "France"),
            ("Helsinki", "Finland"),
        ]
    }
    make_user(
        email="coord@example.org", name="Clara Dupont", password=PASSWORD, is_coordinator=True
    )
    peers = {
        name: make_user(name=name, city=cities[city], password=PASSWORD)
        for name, city in [
            ("Jan Berg", "Malmö"),
            ("Sophie Martin", "Lyon"),
            ("Mikko Laine", "Helsinki"),
            ("Anouk de Vries", "Rotterdam"),
        ]
    }
    new_benchmark(slug="inti", indicators=5)
    return cities, peers


def test_coordinator_runs_a_programme_from_its_creation_to_the_board(
    page, live_server, sign_in, network, assert_accessible
):
    sign_in(page, "coord@example.org", PASSWORD)
    page.get_by_role("link", name="All reviews", exact=True).click()
    page.get_by_role("link", name="Programmes").click()
    assert_accessible(page)
    page.get_by_role("link", name="New programme").click()
    page.locator("#id_name").fill("INTI-CITIES 2026")
    page.get_by_label("Network running it").fill("EUROCITIES")
    page.get_by_label("Benchmark version").select_option(label="Benchmark inti v1")
    for city in ("Rotterdam (Netherlands)", "Antwerp (Belgium)", "Malmö (Sweden)"):
        page.get_by_label(city).check()
    assert_accessible(page)
    page.get_by_role("button", name="Create the programme").click()
    expect(page.get_by_role("heading", name="INTI-CITIES 2026", level=1)).to_be_visible()
    expect(page.get_by_text("No review is open in this programme yet.")).to_be_visible()
    assert_accessible(page)
    board = page.url

    # The pool: Sophie Martin's Lyon is no partner: a warning, not a refusal.
    page.get_by_role("link", name="Peer pool").first.click()
    for name in ("Jan Berg", "Sophie Martin", "Mikko Laine", "Anouk de Vries"):
        page.get_by_label(name).check()
    page.get_by_role("button", name="Save the pool").click()
    expect(page.get_by_text("The peer pool is saved.")).to_be_visible()
    expect(
        page.get_by_text("Sophie Martin works for Lyon, which is not a partner city")
    ).to_be_visible()
    assert_accessible(page)

    # Two reviews, opened in the programme: its benchmark version is taken.
    for city in ("Rotterdam (Netherlands)", "Antwerp (Belgium)"):
        page.goto(board)
        page.get_by_role("link", name="Open a review in this programme").click()
        page.get_by_label("Title").fill(f"Peer review of {city.split(' ')[0]}")
        page.get_by_label("Host city").select_option(label=city)
        assert_accessible(page)
        page.get_by_role("button", name="Open the review").click()
        expect(page.get_by_text("The review is open.")).to_be_visible()
    assert set(Review.objects.values_list("benchmark_version__benchmark__slug", flat=True)) == {
        "inti"
    }

    # Both teams at once; Anouk de Vries works for Rotterdam: refused in that cell.
    page.goto(board)
    page.get_by_role("link", name="Form the teams").click()
    assert_accessible(page)
    cell = "{} in Peer review of {}"
    page.get_by_label(cell.format("Anouk de Vries", "Rotterdam")).select_option("peer")
    page.get_by_label(cell.format("Jan Berg", "Rotterdam")).select_option("team_leader")
    page.get_by_label(cell.format("Sophie Martin", "Rotterdam")).select_option("peer")
    page.get_by_label(cell.format("Mikko Laine", "Antwerp")).select_option("team_leader")
    page.get_by_label(cell.format("Anouk de Vries", "Antwerp")).select_option("peer")
    page.get_by_label(cell.format("Sophie Martin", "Antwerp")).select_option("peer")
    page.get_by_role("button", name="Save the teams").click()
    expect(page.locator(".team-matrix .invalid-feedback")).to_contain_text(
        "Anouk de Vries works for Rotterdam, the host city"
    )
    assert_accessible(page)
    page.get_by_label(cell.format("Anouk de Vries", "Rotterdam")).select_option("")
    page.get_by_role("button", name="Save the teams").click()
    expect(page.get_by_text("The teams are saved: 5 joined")).to_be_visible()
    expect(page.get_by_text("Sophie Martin is on 2 visits")).to_have_count(0)
    assert_accessible(page)

    # One joint training for the whole programme.
    page.goto(board)
    page.get_by_role("link", name="Record a joint training").click()
    day = timezone.localdate() + datetime.timedelta(days=20)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Place").fill("Brussels")
    for name in ("Jan Berg", "Sophie Martin", "Mikko Laine", "Anouk de Vries"):
        page.get_by_label(name).check()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The joint training is saved")).to_be_visible()

    # The board: both reviews, where each stands and who must act.
    table = page.locator("#board")
    expect(table.get_by_role("row")).to_have_count(3)
    expect(table).to_contain_text("Peer review of Rotterdam")
    expect(table).to_contain_text("Peer review of Antwerp")
    expect(table).to_contain_text("2. Team and training")
    expect(
        page.get_by_text("Attended: Anouk de Vries, Jan Berg, Mikko Laine, Sophie Martin")
    ).to_be_visible()
    assert_accessible(page)

    # Each review's team page counts the joint training.
    table.get_by_role("link", name="Peer review of Antwerp").click()
    page.get_by_role("link", name="Team and training").first.click()  # the step's page
    expect(page.get_by_role("heading", name="Step 2: Team and training")).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="Team and training", exact=True).click()
    expect(page.get_by_text("Joint training of INTI-CITIES 2026")).to_be_visible()
    expect(page.get_by_text("Trained: 3 of 3 peers")).to_be_visible()
    assert_accessible(page)
    assert Programme.objects.get().reviews.count() == 2
