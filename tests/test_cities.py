"""City pages: reviews hosted and joined, and who may edit the profile."""

from django.urls import reverse

from reviews.models import Membership
from reviews.steps import PEER


def test_city_page_lists_hosted_reviews_and_reviews_its_people_joined(
    client_for, coordinator, review, make_review, make_city, make_user
):
    ghent = make_city(name="Ghent")
    elsewhere = make_review(title="Review of Lyon")
    fien = make_user(city=ghent, name="Fien", city_role="integration_coordinator")
    Membership.objects.create(review=elsewhere, user=fien, role=PEER)
    html = client_for(coordinator).get(reverse("city", args=[review.host_city.pk])).content.decode()
    assert review.title in html
    html = client_for(coordinator).get(reverse("city", args=[ghent.pk])).content.decode()
    assert "Review of Lyon" in html and "Fien (Integration coordinator)" in html


def test_city_page_hides_reviews_the_reader_cannot_open(client_for, outsider, review):
    html = client_for(outsider).get(reverse("city", args=[review.host_city.pk])).content.decode()
    assert review.title not in html


def test_city_staff_edit_their_own_profile_with_errors_at_the_field(client_for, host, review):
    url = reverse("city_edit", args=[review.host_city.pk])
    response = client_for(host).post(
        url, {"name": "", "country": "Netherlands", "profile": "Port city", "edit_version": "1"}
    )
    assert response.status_code == 200
    assert 'href="#id_name"' in response.content.decode()
    assert "Port city" in response.content.decode()
    response = client_for(host).post(
        url,
        {
            "name": "Rotterdam",
            "country": "Netherlands",
            "population": "655000",
            "profile": "Port city",
            "edit_version": "1",
        },
    )
    assert response.status_code == 302
    review.host_city.refresh_from_db()
    assert review.host_city.profile == "Port city"


def test_coordinator_adds_a_city_and_a_duplicate_is_refused(client_for, coordinator, review):
    url = reverse("city_create")
    data = {"name": "Ghent", "country": "Belgium", "edit_version": "1"}
    response = client_for(coordinator).post(url, data)
    assert response.status_code == 302
    response = client_for(coordinator).post(url, data)
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_nobody_makes_themselves_staff_of_a_city_through_their_profile(client_for, peer, review):
    client = client_for(peer)
    client.post(
        reverse("profile"),
        {
            "name": peer.name,
            "initials": "FC",
            "city": review.host_city.pk,
            "preferred_language": "en",
        },
    )
    peer.refresh_from_db()
    assert peer.city is None
    assert client.get(reverse("city_edit", args=[review.host_city.pk])).status_code == 403


def test_the_profile_shows_the_city_read_only(client_for, host, review):
    html = client_for(host).get(reverse("profile")).content.decode()
    assert "Rotterdam (Netherlands)" in html
    assert "A coordinator sets it" in html
    assert 'name="city"' not in html


def test_coordinator_sets_a_persons_city_and_the_change_is_in_their_history(
    client_for, coordinator, peer, make_city
):
    ghent = make_city(name="Ghent")
    client = client_for(coordinator)
    url = reverse("person_city", args=[peer.pk])
    response = client.post(url, {"city": ghent.pk})
    assert response.status_code == 302
    peer.refresh_from_db()
    assert peer.city == ghent
    record = peer.history.first()
    assert (record.history_user, record.city_id) == (coordinator, ghent.pk)
    assert record.history_change_reason.startswith("city changed from — to Ghent")
    html = client.get(url).content.decode()
    assert "Ghent (Testland) · Clara Coordinator" in html


def test_making_a_peer_work_for_the_city_they_review_is_refused(
    client_for, coordinator, peer, review
):
    response = client_for(coordinator).post(
        reverse("person_city", args=[peer.pk]), {"city": review.host_city.pk}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fatima Peer is peer of “Review of Rotterdam”, which Rotterdam hosts" in html
    assert 'href="#id_city"' in html
    peer.refresh_from_db()
    assert peer.city is None


def test_moving_a_host_member_to_another_city_asks_why_they_stay_on_the_host_side(
    client_for, coordinator, host, review, make_city
):
    ghent = make_city(name="Ghent")
    client = client_for(coordinator)
    url = reverse("person_city", args=[host.pk])
    response = client.post(url, {"city": ghent.pk})
    assert 'href="#id_reason"' in response.content.decode()
    host.refresh_from_db()
    assert host.city == review.host_city
    client.post(url, {"city": ghent.pk, "reason": "Seconded to Ghent, still leads the report."})
    host.refresh_from_db()
    assert host.city == ghent
    membership = Membership.objects.get(user=host, review=review)
    assert membership.host_reason == "Seconded to Ghent, still leads the report."


def test_only_coordinators_set_a_persons_city(client_for, host, peer, make_city):
    response = client_for(host).post(
        reverse("person_city", args=[peer.pk]), {"city": make_city().pk}
    )
    assert response.status_code == 403
    peer.refresh_from_db()
    assert peer.city is None


def test_the_admin_shows_a_persons_city_read_only(client_for, coordinator, peer):
    coordinator.is_superuser = True
    coordinator.save()
    html = (
        client_for(coordinator)
        .get(reverse("admin:cities_user_change", args=[peer.pk]))
        .content.decode()
    )
    assert 'name="city"' not in html
    assert 'name="name"' in html
