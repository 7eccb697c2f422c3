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
