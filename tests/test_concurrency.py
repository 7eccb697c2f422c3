"""Two people saving the same thing: the second sees both versions and chooses; nothing is lost."""

from __future__ import annotations

import re

from django.urls import reverse

from benchmarks.models import Indicator


def _hidden_version(html: str) -> str:
    return re.search(r'name="edit_version" value="(\d+)"', html).group(1)


def _indicator_post(indicator, text: str, edit_version: str) -> dict:
    return {
        "group": indicator.group_id,
        "value": indicator.value_id,
        "number": indicator.number,
        "text_en": text,
        "text_nl": indicator.text_nl,
        "edit_version": edit_version,
    }


def test_second_save_of_an_indicator_shows_a_conflict_and_overwrites_nothing(
    make_benchmark, client, coordinator, make_user
):
    draft = make_benchmark(publish=False)
    indicator = draft.indicators.get(code="AA/X/1")
    url = reverse("benchmarks:part_edit", args=["mini", 1, "indicator", indicator.pk])
    other = make_user(is_coordinator=True)

    client.force_login(coordinator, backend="cities.backends.EmailBackend")
    first_form_version = _hidden_version(client.get(url).content.decode())
    client.force_login(other, backend="cities.backends.EmailBackend")
    second_form_version = _hidden_version(client.get(url).content.decode())
    assert first_form_version == second_form_version == "1"

    client.force_login(coordinator, backend="cities.backends.EmailBackend")
    assert client.post(url, _indicator_post(indicator, "First wording", "1")).status_code == 302

    client.force_login(other, backend="cities.backends.EmailBackend")
    response = client.post(url, _indicator_post(indicator, "Second wording", "1"))
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this while you were editing" in html
    assert "First wording" in html and "Second wording" in html
    assert Indicator.objects.get(pk=indicator.pk).text_en == "First wording"

    # Choosing "save my version" posts the form again, now carrying the saved version.
    assert _hidden_version(html) == "2"
    assert client.post(url, _indicator_post(indicator, "Second wording", "2")).status_code == 302
    saved = Indicator.objects.get(pk=indicator.pk)
    assert (saved.text_en, saved.edit_version) == ("Second wording", 3)


def test_city_profile_conflict_keeps_both_texts(client_for, host, coordinator, review):
    city = review.host_city
    url = reverse("city_edit", args=[city.pk])
    data = {"name": city.name, "country": city.country, "edit_version": "1"}
    assert client_for(coordinator).post(url, {**data, "profile": "Port city"}).status_code == 302
    response = client_for(host).post(url, {**data, "profile": "City of bridges"})
    assert response.status_code == 409
    assert "Port city" in response.content.decode()
    assert "City of bridges" in response.content.decode()
    city.refresh_from_db()
    assert city.profile == "Port city"


def test_a_tampered_form_without_version_is_refused_at_the_field(client_for, host, review):
    city = review.host_city
    url = reverse("city_edit", args=[city.pk])
    response = client_for(host).post(url, {"name": "X", "country": "Y", "profile": "Z"})
    assert response.status_code == 200
    city.refresh_from_db()
    assert city.name == "Rotterdam"
