"""Opening a review, its scope, the team with its conflict-of-interest rule, and training."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from reviews.models import Membership, Review, TrainingSession
from reviews.status import team_warnings
from reviews.steps import HOST, PEER, TEAM_LEADER


def test_coordinator_opens_a_review_and_limits_its_scope(
    client_for, coordinator, host_city, make_benchmark
):
    version = make_benchmark(indicators=5)
    client = client_for(coordinator)
    response = client.post(
        reverse("reviews:new"),
        {
            "title": "Peer review of Rotterdam",
            "host_city": host_city.pk,
            "benchmark_version": version.pk,
            "visit_start": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
            "visit_end": (timezone.localdate() + datetime.timedelta(days=63)).isoformat(),
            "edit_version": 0,
        },
    )
    review = Review.objects.get(title="Peer review of Rotterdam")
    assert response["Location"] == reverse("reviews:scope", args=[review.pk])
    assert review.inception_report.status == "draft"
    assert review.current_step == 2
    alpha = version.groups.get(code="AA")
    single = version.indicators.get(code="BB/Y/1")
    client.post(
        reverse("reviews:scope", args=[review.pk]),
        {"groups": [alpha.pk], "indicators": [single.pk]},
    )
    assert sorted(review.indicators_in_scope().values_list("code", flat=True)) == [
        "AA/X/1",
        "AA/X/2",
        "AA/Y/1",
        "BB/Y/1",
    ]
    assert [g.code for g in review.groups_in_scope()] == ["AA", "BB"]


def test_a_review_needs_a_published_version_and_sensible_dates(
    client_for, coordinator, host_city, make_benchmark
):
    draft = make_benchmark(publish=False)
    response = client_for(coordinator).post(
        reverse("reviews:new"),
        {
            "title": "X",
            "host_city": host_city.pk,
            "benchmark_version": draft.pk,
            "visit_start": "2027-03-04",
            "visit_end": "2027-03-01",
            "edit_version": 0,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_benchmark_version"' in html
    assert "The visit cannot end before it starts" in html
    assert not Review.objects.filter(title="X").exists()


def test_the_version_cannot_be_changed_when_editing(
    client_for, coordinator, review, make_benchmark
):
    first = make_benchmark()
    review.benchmark_version = first
    review.save()
    other = make_benchmark(slug="other")
    client_for(coordinator).post(
        reverse("reviews:edit", args=[review.pk]),
        {
            "title": "Renamed",
            "host_city": review.host_city_id,
            "benchmark_version": other.pk,
            "edit_version": 1,
        },
    )
    review.refresh_from_db()
    assert (review.title, review.benchmark_version) == ("Renamed", first)


def test_host_city_staff_cannot_be_peer_or_team_leader(client_for, coordinator, review, make_user):
    colleague = make_user(name="Local Officer", city=review.host_city)
    for role in (PEER, TEAM_LEADER):
        response = client_for(coordinator).post(
            reverse("reviews:team_add", args=[review.pk]), {"user": colleague.pk, "role": role}
        )
        assert "the host city, and cannot be a peer" in response.content.decode()
        assert 'href="#id_user"' in response.content.decode()
    assert not Membership.objects.filter(user=colleague).exists()
    client_for(coordinator).post(
        reverse("reviews:team_add", args=[review.pk]), {"user": colleague.pk, "role": HOST}
    )
    assert Membership.objects.get(user=colleague).role == HOST


def test_only_one_team_leader(client_for, coordinator, review, team_leader, make_user):
    response = client_for(coordinator).post(
        reverse("reviews:team_add", args=[review.pk]), {"user": make_user().pk, "role": TEAM_LEADER}
    )
    assert "already has a team leader" in response.content.decode()


def test_team_warnings_count_the_leader_as_one_of_the_four_peers(review, make_user, make_city):
    assert "The team has no team leader yet." in team_warnings(review)
    ghent = make_city(name="Ghent")
    Membership.objects.create(
        review=review, user=make_user(name="Ann", city=ghent), role=TEAM_LEADER
    )
    assert (
        "The team has 1 peer, the team leader included; the method's teams have four peers "
        "from other cities, one of whom leads." in team_warnings(review)
    )
    Membership.objects.create(review=review, user=make_user(name="Bo", city=ghent), role=PEER)
    Membership.objects.create(review=review, user=make_user(name="Cy"), role=PEER)
    warnings = team_warnings(review)
    # A leader and two peers are three of the method's four.
    assert any(w.startswith("The team has 3 peers, the team leader included") for w in warnings)
    assert "Ann & Bo come from the same city." in warnings
    Membership.objects.create(review=review, user=make_user(name="Di"), role=PEER)
    assert team_warnings(review) == ["Ann & Bo come from the same city."]


def test_the_role_choice_starts_on_peer_and_says_what_each_role_is(client_for, coordinator, review):
    html = client_for(coordinator).get(reverse("reviews:team", args=[review.pk])).content.decode()
    checked = re.search(r'name="role" value="(\w+)"[^>]*checked', html)
    assert checked.group(1) == PEER
    assert "Peer: reviews the city, from another city" in html
    assert "Coordinator: network staff who run the review" in html


def test_a_host_city_member_from_another_city_needs_a_reason(
    client_for, coordinator, review, make_user, make_city
):
    consultant = make_user(name="Kim Consultant", city=make_city(name="Ghent"))
    url = reverse("reviews:team_add", args=[review.pk])
    response = client_for(coordinator).post(url, {"user": consultant.pk, "role": HOST})
    html = response.content.decode()
    assert "Kim Consultant works for Ghent, not for the host city Rotterdam" in html
    assert 'href="#id_host_reason"' in html
    assert not Membership.objects.filter(user=consultant).exists()
    client_for(coordinator).post(
        url, {"user": consultant.pk, "role": HOST, "host_reason": "Wrote the inception report."}
    )
    assert Membership.objects.get(user=consultant).host_reason == "Wrote the inception report."


def _edit_review(client, review, **data):
    return client.post(
        reverse("reviews:edit", args=[review.pk]),
        {
            "title": review.title,
            "host_city": review.host_city_id,
            "edit_version": review.edit_version,
            **data,
        },
    )


def test_moving_the_review_to_a_peers_city_is_refused(
    client_for, coordinator, review, peer, make_city, make_benchmark
):
    review.benchmark_version = make_benchmark()
    review.save()
    ghent = make_city(name="Ghent")
    peer.city = ghent
    peer.save()
    response = _edit_review(client_for(coordinator), review, host_city=ghent.pk)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fatima Peer works for Ghent, the host city, and cannot be a peer" in html
    assert 'href="#id_host_city"' in html
    review.refresh_from_db()
    assert review.host_city.name == "Rotterdam"


def test_moving_the_review_away_from_its_host_members_city_asks_for_their_reason(
    client_for, coordinator, review, host, make_city, make_benchmark
):
    review.benchmark_version = make_benchmark()
    review.save()
    ghent = make_city(name="Ghent")
    response = _edit_review(client_for(coordinator), review, host_city=ghent.pk)
    assert (
        "Anouk Host works for Rotterdam, not for the host city Ghent" in response.content.decode()
    )
    review.refresh_from_db()
    response = _edit_review(
        client_for(coordinator),
        review,
        host_city=ghent.pk,
        host_reason="Seconded to Ghent's project office for the review.",
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.host_city == ghent
    membership = Membership.objects.get(user=host)
    assert membership.host_reason == "Seconded to Ghent's project office for the review."


def test_training_record_shows_who_is_trained(
    client_for, coordinator, review, peer, host, team_leader
):
    client = client_for(coordinator)
    response = client.post(
        reverse("reviews:training_add", args=[review.pk]),
        {
            "date": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
            "place": "Brussels",
            "topics": "Interviewing",
            "attendees": [peer.pk, host.pk],
            "edit_version": 1,
        },
    )
    assert response.status_code == 302
    session = TrainingSession.objects.get(review=review)
    assert set(session.attendees.all()) == {peer, host}
    html = client.get(reverse("reviews:team", args=[review.pk])).content.decode()
    assert "Trained: 1 of 2 peers, 1 of 1 host city members." in html


def test_removing_a_member(client_for, coordinator, review, peer):
    membership = Membership.objects.get(user=peer)
    client_for(coordinator).post(reverse("reviews:team_remove", args=[review.pk, membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_two_coordinators_editing_a_review_see_a_conflict(
    client_for, coordinator, review, make_user, make_benchmark
):
    review.benchmark_version = make_benchmark()
    review.save()
    other = make_user(is_coordinator=True)
    url = reverse("reviews:edit", args=[review.pk])
    data = {"title": "First title", "host_city": review.host_city_id, "edit_version": 1}
    assert client_for(coordinator).post(url, data).status_code == 302
    response = client_for(other).post(url, {**data, "title": "Second title"})
    assert response.status_code == 409
    assert (
        "First title" in response.content.decode() and "Second title" in response.content.decode()
    )
    review.refresh_from_db()
    assert review.title == "First title"
