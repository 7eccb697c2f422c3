"""Programmes: creating and editing one, its reviews on one benchmark version, its board,
its peer pool, forming every team at once and the joint training."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from reviews.models import Membership, Programme, Review, TrainingSession
from reviews.services.programme import board_rows
from reviews.status import progress_of
from reviews.steps import HOST, PEER, TEAM_LEADER
from tests.conftest import new_benchmark


@pytest.fixture
def version(db):
    return new_benchmark(slug="prog", indicators=5)


@pytest.fixture
def cities(make_city, host_city):
    return {
        "Rotterdam": host_city,
        "Antwerp": make_city(name="Antwerp", country="Belgium"),
        "Malmö": make_city(name="Malmö", country="Sweden"),
        "Lyon": make_city(name="Lyon", country="France"),
    }


@pytest.fixture
def programme(version, cities):
    programme = Programme.objects.create(name="INTI-CITIES 2026", benchmark_version=version)
    programme.partners.set([cities["Rotterdam"], cities["Antwerp"], cities["Malmö"]])
    return programme


def in_programme(programme, city, title=None, **fields) -> Review:
    fields.setdefault("current_step", 2)
    return Review.objects.create(
        title=title or f"Peer review of {city.name}",
        host_city=city,
        benchmark_version=programme.benchmark_version,
        programme=programme,
        **fields,
    )


@pytest.fixture
def two_reviews(programme, cities):
    return in_programme(programme, cities["Rotterdam"]), in_programme(programme, cities["Antwerp"])


def programme_data(programme, **changes) -> dict:
    data = {
        "name": programme.name,
        "description": programme.description,
        "theme": programme.theme,
        "network": programme.network,
        "benchmark_version": programme.benchmark_version_id,
        "starts_on": "",
        "ends_on": "",
        "partners": [c.pk for c in programme.partners.all()],
        "visits_per_peer": programme.visits_per_peer,
        "edit_version": programme.edit_version,
    }
    data.update(changes)
    return data


# --- creating and editing ----------------------------------------------------------------


def test_coordinator_creates_a_programme_with_partner_cities(
    client_for, coordinator, version, cities
):
    response = client_for(coordinator).post(
        reverse("reviews:programme_new"),
        {
            "name": "DIVE",
            "description": "Diversity in the economy and local integration.",
            "theme": "",
            "network": "EUROCITIES",
            "benchmark_version": version.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "partners": [cities["Rotterdam"].pk, cities["Malmö"].pk],
            "visits_per_peer": 2,
            "edit_version": 0,
        },
    )
    programme = Programme.objects.get(name="DIVE")
    assert response["Location"] == reverse("reviews:programme", args=[programme.pk])
    assert set(programme.partners.values_list("name", flat=True)) == {"Rotterdam", "Malmö"}
    assert programme.network == "EUROCITIES"


def test_a_programme_cannot_end_before_it_starts(client_for, coordinator, version):
    response = client_for(coordinator).post(
        reverse("reviews:programme_new"),
        {
            "name": "Backwards",
            "benchmark_version": version.pk,
            "starts_on": "2026-06-01",
            "ends_on": "2026-01-01",
            "visits_per_peer": 2,
            "edit_version": 0,
        },
    )
    assert response.status_code == 200
    assert "cannot end before it starts" in response.content.decode()
    assert not Programme.objects.filter(name="Backwards").exists()


def test_opening_a_review_in_a_programme_takes_the_programmes_version(
    client_for, coordinator, programme, cities
):
    client = client_for(coordinator)
    page = client.get(reverse("reviews:new") + f"?programme={programme.pk}")
    assert f'<option value="{programme.pk}" selected>' in page.content.decode()
    response = client.post(
        reverse("reviews:new"),
        {
            "title": "Peer review of Antwerp",
            "programme": programme.pk,
            "host_city": cities["Antwerp"].pk,
            "benchmark_version": "",
            "edit_version": 0,
        },
    )
    review = Review.objects.get(title="Peer review of Antwerp")
    assert response.status_code == 302
    assert review.programme == programme
    assert review.benchmark_version == programme.benchmark_version


def test_a_review_on_another_version_is_refused_in_a_programme(
    client_for, coordinator, programme, cities
):
    other = new_benchmark(slug="other", indicators=2)
    response = client_for(coordinator).post(
        reverse("reviews:new"),
        {
            "title": "Peer review of Antwerp",
            "programme": programme.pk,
            "host_city": cities["Antwerp"].pk,
            "benchmark_version": other.pk,
            "edit_version": 0,
        },
    )
    assert response.status_code == 200
    assert "Every review of “INTI-CITIES 2026” uses Benchmark prog v1" in response.content.decode()
    assert not Review.objects.filter(title="Peer review of Antwerp").exists()


def test_a_review_in_a_programme_is_hosted_by_one_of_its_partners(
    client_for, coordinator, programme, cities
):
    response = client_for(coordinator).post(
        reverse("reviews:new"),
        {
            "title": "Peer review of Lyon",
            "programme": programme.pk,
            "host_city": cities["Lyon"].pk,
            "benchmark_version": "",
            "edit_version": 0,
        },
    )
    assert "Lyon is not a partner city of “INTI-CITIES 2026”" in response.content.decode()
    assert not Review.objects.filter(title="Peer review of Lyon").exists()


def test_a_review_outside_a_programme_still_needs_a_version(client_for, coordinator, cities):
    response = client_for(coordinator).post(
        reverse("reviews:new"),
        {"title": "Alone", "host_city": cities["Lyon"].pk, "edit_version": 0},
    )
    assert "Choose a published benchmark version." in response.content.decode()
    assert not Review.objects.filter(title="Alone").exists()


def test_reviews_without_a_programme_keep_working(client_for, coordinator, review):
    assert review.programme is None
    response = client_for(coordinator).get(reverse("reviews:detail", args=[review.pk]))
    assert response.status_code == 200
    assert "Programme:" not in response.content.decode()


def test_the_version_cannot_change_once_a_review_is_open_in_the_programme(
    client_for, coordinator, programme, cities
):
    other = new_benchmark(slug="other", indicators=2)
    client = client_for(coordinator)
    url = reverse("reviews:programme_edit", args=[programme.pk])
    # No review yet: it may change.
    assert (
        client.post(url, programme_data(programme, benchmark_version=other.pk)).status_code == 302
    )
    programme.refresh_from_db()
    assert programme.benchmark_version == other
    in_programme(programme, cities["Rotterdam"])
    response = client.post(url, programme_data(programme, benchmark_version=new_benchmark().pk))
    assert response.status_code == 200
    assert "The benchmark version cannot change: 1 review is open" in response.content.decode()
    programme.refresh_from_db()
    assert programme.benchmark_version == other


def test_removing_a_partner_that_hosts_a_review_is_refused_with_the_reason(
    client_for, coordinator, programme, two_reviews, cities
):
    client = client_for(coordinator)
    url = reverse("reviews:programme_edit", args=[programme.pk])
    response = client.post(url, programme_data(programme, partners=[cities["Rotterdam"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Antwerp hosts “Peer review of Antwerp” in this programme, so it stays a partner" in html
    assert programme.partners.count() == 3
    # A partner hosting none can go.
    keep = [cities["Rotterdam"].pk, cities["Antwerp"].pk]
    assert client.post(url, programme_data(programme, partners=keep)).status_code == 302
    assert set(programme.partners.values_list("pk", flat=True)) == set(keep)


def test_two_coordinators_editing_a_programme_get_the_conflict_page(
    client_for, coordinator, make_user, programme
):
    other = make_user(is_coordinator=True)
    url = reverse("reviews:programme_edit", args=[programme.pk])
    started = programme_data(programme)
    assert client_for(other).post(url, {**started, "theme": "Housing"}).status_code == 302
    response = client_for(coordinator).post(url, {**started, "theme": "Education"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this while you were editing" in html
    assert "Education" in html and "Housing" in html
    programme.refresh_from_db()
    assert programme.theme == "Housing"


# --- the board -----------------------------------------------------------------------------


def test_board_shows_step_who_acts_due_and_last_activity_furthest_behind_first(
    client_for, coordinator, programme, cities
):
    today = timezone.localdate()
    on_time = in_programme(
        programme, cities["Rotterdam"], training_date=today + datetime.timedelta(days=5)
    )
    late = in_programme(
        programme, cities["Antwerp"], training_date=today - datetime.timedelta(days=3)
    )
    response = client_for(coordinator).get(reverse("reviews:programme", args=[programme.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(late.title) < html.index(on_time.title)
    assert "3 days overdue" in html
    assert "2. Team and training: In progress" in html
    assert "Coordinator" in html  # step 2 waits for the coordinators
    assert date_format(timezone.localdate(), "DATE_FORMAT") in html  # last activity: today


def test_board_flags_reviews_without_activity_for_14_days(coordinator, programme, two_reviews):
    from reviews.activity import backdate

    quiet, busy = two_reviews
    backdate(quiet.pk, timezone.now() - datetime.timedelta(days=15))
    rows = {row.review.pk: row for row in board_rows(programme, user=coordinator)}
    assert rows[quiet.pk].stale and not rows[busy.pk].stale
    assert timezone.now() - rows[quiet.pk].last_activity > datetime.timedelta(days=14)


def test_last_activity_is_the_newest_change_of_any_of_the_reviews_rows(
    make_user, programme, two_reviews
):
    from reviews.activity import backdate, last_activity

    review, _other = two_reviews
    backdate(review.pk, timezone.now() - datetime.timedelta(days=30))
    before = last_activity([review.pk])[review.pk]
    Membership.objects.create(review=review, user=make_user(), role=PEER)
    after = last_activity([review.pk])[review.pk]
    assert after - before > datetime.timedelta(days=29)


def _fill_board(programme, cities, peer, total: int) -> None:
    """Reviews up to `total`, each with a peer, a training of its own and a desk review."""
    from reviews.models import DeskReview

    while programme.reviews.count() < total:
        n = programme.reviews.count()
        review = in_programme(programme, cities["Rotterdam" if n % 2 else "Antwerp"], f"R{n}")
        Membership.objects.create(review=review, user=peer, role=PEER)
        own = TrainingSession.objects.create(review=review, date="2026-09-01", place="Ghent")
        own.attendees.set([peer])
        DeskReview.objects.create(review=review, peer=peer)


@pytest.fixture
def board_peer(programme, cities, make_user):
    peer = make_user(city=cities["Malmö"])
    joint = TrainingSession.objects.create(programme=programme, date="2026-09-15", place="Lyon")
    joint.attendees.set([peer])
    return peer


def _board_queries(client, programme) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reviews:programme", args=[programme.pk]))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("count", [2, 20])
def test_board_query_count_does_not_grow_with_reviews(
    client_for, coordinator, programme, cities, board_peer, django_assert_max_num_queries, count
):
    _fill_board(programme, cities, board_peer, count)
    client = client_for(coordinator)
    with django_assert_max_num_queries(10):  # measured: 10 at 2 reviews and at 20
        client.get(reverse("reviews:programme", args=[programme.pk]))


def test_board_query_count_is_the_same_for_2_and_20_reviews(
    client_for, coordinator, programme, cities, board_peer
):
    client = client_for(coordinator)
    counts = []
    for total in (2, 20):
        _fill_board(programme, cities, board_peer, total)
        counts.append(_board_queries(client, programme))
    assert counts[0] == counts[1]


def test_peers_and_hosts_see_a_read_only_board_without_other_reviews_internals(
    client_for, make_user, programme, two_reviews, cities
):
    mine, theirs = two_reviews
    peer = make_user(name="Fatima Peer", city=cities["Malmö"])
    Membership.objects.create(review=mine, user=peer, role=PEER)
    other_host = make_user(name="Lotte Peeters", city=cities["Antwerp"])
    Membership.objects.create(review=theirs, user=other_host, role=HOST, is_host_lead=True)
    response = client_for(peer).get(reverse("reviews:programme", args=[programme.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Read-only" in html
    assert reverse("reviews:detail", args=[mine.pk]) in html
    assert reverse("reviews:detail", args=[theirs.pk]) not in html
    assert theirs.title in html and "Lotte Peeters" not in html
    assert "Last activity" not in html
    assert reverse("reviews:programme_teams", args=[programme.pk]) not in html


def test_who_must_act_names_the_people_the_step_waits_for(make_user, programme, cities):
    review = in_programme(programme, cities["Rotterdam"], current_step=3)
    host = make_user(name="Anouk Host", city=cities["Rotterdam"])
    Membership.objects.create(review=review, user=host, role=HOST, is_host_lead=True)
    acting = progress_of(review).who_acts()
    assert (acting.role, acting.names) == ("Host city", "Anouk Host")


# --- the peer pool -------------------------------------------------------------------------


def test_a_peer_from_a_city_that_is_not_a_partner_gets_a_warning_not_a_refusal(
    client_for, coordinator, make_user, programme, cities
):
    partner_peer = make_user(name="Jan Berg", city=cities["Malmö"])
    outside = make_user(name="Sophie Martin", city=cities["Lyon"])
    client = client_for(coordinator)
    url = reverse("reviews:programme_pool", args=[programme.pk])
    response = client.post(
        url, {"pool": [partner_peer.pk, outside.pk], "edit_version": programme.edit_version}
    )
    assert response.status_code == 302
    assert set(programme.pool.all()) == {partner_peer, outside}
    html = client.get(url).content.decode()
    assert "Sophie Martin works for Lyon, which is not a partner city of the programme." in html
    assert "Jan Berg works for" not in html


# --- forming the teams ---------------------------------------------------------------------


@pytest.fixture
def pool(programme, cities, make_user):
    people = {
        "jan": make_user(name="Jan Berg", city=cities["Malmö"]),
        "mikko": make_user(name="Mikko Laine", city=cities["Malmö"]),
        "sophie": make_user(name="Sophie Martin", city=cities["Lyon"]),
        "anouk": make_user(name="Anouk de Vries", city=cities["Rotterdam"]),
    }
    programme.pool.set(people.values())
    return people


def cell(person, review) -> str:
    return f"c{person.pk}_{review.pk}"


def teams_data(programme, people, reviews, chosen: dict, **extra) -> dict:
    data = {"edit_version": programme.edit_version, **extra}
    for person in people.values():
        for review in reviews:
            data[cell(person, review)] = chosen.get((person, review), "")
    return data


def roles(review) -> dict:
    return {m.user.name: m.role for m in review.memberships.select_related("user")}


def test_coordinator_forms_two_teams_at_once_from_the_pool(
    client_for, coordinator, programme, two_reviews, pool
):
    rotterdam, antwerp = two_reviews
    chosen = {
        (pool["jan"], rotterdam): TEAM_LEADER,
        (pool["sophie"], rotterdam): PEER,
        (pool["anouk"], antwerp): TEAM_LEADER,
        (pool["sophie"], antwerp): PEER,
    }
    response = client_for(coordinator).post(
        reverse("reviews:programme_teams", args=[programme.pk]),
        teams_data(programme, pool, two_reviews, chosen),
    )
    assert response.status_code == 302
    assert roles(rotterdam) == {"Jan Berg": TEAM_LEADER, "Sophie Martin": PEER}
    assert roles(antwerp) == {"Anouk de Vries": TEAM_LEADER, "Sophie Martin": PEER}
    programme.refresh_from_db()
    assert programme.edit_version == 2


def test_a_peer_on_their_own_citys_review_is_refused_in_that_cell_and_nothing_is_saved(
    client_for, coordinator, programme, two_reviews, pool
):
    rotterdam, antwerp = two_reviews
    chosen = {(pool["jan"], antwerp): PEER, (pool["anouk"], rotterdam): PEER}
    response = client_for(coordinator).post(
        reverse("reviews:programme_teams", args=[programme.pk]),
        teams_data(programme, pool, two_reviews, chosen),
    )
    html = response.content.decode()
    assert response.status_code == 400
    error = (
        "Anouk de Vries works for Rotterdam, the host city, and cannot be a peer or team "
        "leader of its review (conflict of interest)."
    )
    field = f'id="id_{cell(pool["anouk"], rotterdam)}_error"'
    assert field in html
    assert html.index(error, html.index(field) - 200) > html.index(field) - 200
    assert Membership.objects.filter(review__programme=programme).count() == 0


def test_a_review_gets_one_team_leader_in_the_matrix(
    client_for, coordinator, programme, two_reviews, pool
):
    rotterdam, antwerp = two_reviews
    chosen = {(pool["jan"], antwerp): TEAM_LEADER, (pool["sophie"], antwerp): TEAM_LEADER}
    response = client_for(coordinator).post(
        reverse("reviews:programme_teams", args=[programme.pk]),
        teams_data(programme, pool, two_reviews, chosen),
    )
    assert response.status_code == 400
    assert "Peer review of Antwerp can have one team leader." in response.content.decode()
    assert not antwerp.memberships.exists()


def test_too_many_visits_and_a_team_from_one_city_are_warned_not_refused(
    client_for, coordinator, programme, two_reviews, pool, cities
):
    rotterdam, antwerp = two_reviews
    third = in_programme(programme, cities["Malmö"], "Peer review of Malmö")
    programme.visits_per_peer = 1
    programme.save()
    chosen = {
        (pool["jan"], antwerp): PEER,
        (pool["mikko"], antwerp): PEER,
        (pool["sophie"], antwerp): PEER,
        (pool["sophie"], rotterdam): PEER,
    }
    client = client_for(coordinator)
    url = reverse("reviews:programme_teams", args=[programme.pk])
    response = client.post(url, teams_data(programme, pool, [rotterdam, antwerp, third], chosen))
    assert response.status_code == 302
    assert len(roles(antwerp)) == 3
    html = client.get(url).content.decode()
    assert (
        "Sophie Martin is on 2 visits (Antwerp, Rotterdam); the programme plans at most 1" in html
    )
    assert (
        "The team of Peer review of Antwerp draws Jan Berg &amp; Mikko Laine from one city." in html
    )


def test_taking_someone_off_a_team_in_the_matrix_asks_first(
    client_for, coordinator, programme, two_reviews, pool
):
    rotterdam, antwerp = two_reviews
    Membership.objects.create(review=rotterdam, user=pool["sophie"], role=PEER)
    client = client_for(coordinator)
    url = reverse("reviews:programme_teams", args=[programme.pk])
    chosen = {(pool["jan"], rotterdam): PEER}
    response = client.post(url, teams_data(programme, pool, two_reviews, chosen))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Sophie Martin (Peer) off Peer review of Rotterdam" in html
    assert roles(rotterdam) == {"Sophie Martin": PEER}
    response = client.post(
        url, teams_data(programme, pool, two_reviews, chosen, confirm_removals="on")
    )
    assert response.status_code == 302
    assert roles(rotterdam) == {"Jan Berg": PEER}


def test_two_coordinators_forming_teams_get_the_conflict_page(
    client_for, coordinator, make_user, programme, two_reviews, pool
):
    rotterdam, antwerp = two_reviews
    other = make_user(is_coordinator=True)
    url = reverse("reviews:programme_teams", args=[programme.pk])
    first = teams_data(programme, pool, two_reviews, {(pool["jan"], antwerp): TEAM_LEADER})
    second = teams_data(programme, pool, two_reviews, {(pool["mikko"], antwerp): TEAM_LEADER})
    assert client_for(other).post(url, first).status_code == 302
    response = client_for(coordinator).post(url, second)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this while you were editing" in html
    assert "Mikko Laine, Peer review of Antwerp" in html
    assert roles(antwerp) == {"Jan Berg": TEAM_LEADER}


# --- the joint training --------------------------------------------------------------------


def test_one_joint_training_counts_as_attended_on_every_review_of_those_people(
    client_for, coordinator, programme, two_reviews, pool
):
    rotterdam, antwerp = two_reviews
    Membership.objects.create(review=rotterdam, user=pool["sophie"], role=PEER)
    Membership.objects.create(review=antwerp, user=pool["sophie"], role=PEER)
    Membership.objects.create(review=antwerp, user=pool["jan"], role=TEAM_LEADER)
    client = client_for(coordinator)
    response = client.post(
        reverse("reviews:programme_training_add", args=[programme.pk]),
        {
            "date": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
            "place": "Brussels",
            "topics": "The benchmark; interviewing",
            "attendees": [pool["sophie"].pk],
            "edit_version": 0,
        },
    )
    assert response.status_code == 302
    joint = TrainingSession.objects.get(programme=programme)
    assert joint.review is None
    for review in (rotterdam, antwerp):
        lacks = " ".join(progress_of(review).step(2).lacks)
        assert "No training session is recorded." not in lacks
        assert "Sophie Martin" not in lacks
    assert "Jan Berg" in " ".join(progress_of(antwerp).step(2).lacks)
    team_page = client.get(reverse("reviews:team", args=[antwerp.pk])).content.decode()
    assert "Joint training of INTI-CITIES 2026" in team_page
    assert "Trained: 1 of 2 peers" in team_page
