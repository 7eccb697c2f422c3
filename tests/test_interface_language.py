"""The Dutch interface is Dutch throughout: notifications in the reader's language (not the
sender's), city and country names, counts with their plural, the charts' legends and their
names for screen readers; each language in its own name."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from cities.models import City
from reports import charts
from reports.templatetags.report_tags import report_bars, report_heatmap
from reviews.models import Notification
from reviews.services.notifications import notify
from reviews.services.report_content import build_content

SUBMITTED = "The inception report of %(review)s is submitted: you can read it now."


def dutch(client):
    client.cookies["django_language"] = "nl"
    return client


def test_a_notification_is_shown_in_the_readers_language_not_the_senders(
    client_for, review, host, django_capture_on_commit_callbacks
):
    host.preferred_language = "en"
    host.save()
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail is queued on commit
        notify(review=review, users=[host], text=SUBMITTED, url="/x/", subject="%(review)s")
    assert "is submitted" in mail.outbox[0].body  # the e-mail: in the person's own language
    page = dutch(client_for(host)).get(reverse("reviews:dashboard")).content.decode()
    assert "Het startrapport van Review of Rotterdam is ingediend" in page
    assert "is submitted" not in page


def test_a_notification_from_before_message_ids_shows_its_stored_text(client_for, review, host):
    Notification.objects.create(user=host, review=review, text="Old news", url="/x/")
    page = dutch(client_for(host)).get(reverse("reviews:dashboard")).content.decode()
    assert "Old news" in page


def test_city_and_country_names_are_dutch_in_the_dutch_interface(client_for, coordinator):
    City.objects.create(
        name_en="Antwerp", name_nl="Antwerpen", country_en="Belgium", country_nl="België"
    )
    City.objects.create(name_en="Leipzig", country_en="Germany", country_nl="Duitsland")
    page = dutch(client_for(coordinator)).get(reverse("cities")).content.decode()
    assert "Antwerpen" in page and "België" in page
    assert "Leipzig" in page and "Duitsland" in page  # no Dutch name: the English one
    assert "Belgium" not in page and "Antwerp<" not in page
    with translation.override("en"):
        assert str(City.objects.get(name_en="Antwerp")) == "Antwerp (Belgium)"
    with translation.override("nl"):
        assert str(City.objects.get(name_en="Antwerp")) == "Antwerpen (België)"


def test_each_language_is_named_in_its_own_language_everywhere(client_for, peer):
    for language in ("en", "nl"):
        client = client_for(peer)
        client.cookies["django_language"] = language
        page = client.get(reverse("profile")).content.decode()
        options = re.findall(r'<option value="(en|nl)"[^>]*>([^<]+)</option>', page)
        assert set(options) == {("en", "English"), ("nl", "Nederlands")}, options


def test_a_count_of_one_reads_in_the_singular_in_dutch(client_for, host, review_work, review):
    group = review.benchmark_version.groups.get(code="AA")
    indicators = list(review.indicators_in_scope().filter(group=group))
    data = {f"i{i.pk}-edit_version": 0 for i in indicators}
    data[f"i{indicators[0].pk}-achieved"] = "A plan."
    url = reverse("reviews:inception_group", args=[review.pk, group.pk])
    page = dutch(client_for(host)).post(url, data, follow=True).content.decode()
    assert "1 indicator van Alfa opgeslagen." in page


def test_chart_legends_and_names_are_in_the_readers_language(review_work, review):
    with translation.override("en"):
        content = build_content(review)  # a report the team wrote in English
    with translation.override("nl"):
        legend = {e["label"] for e in charts.heatmap(content)["legend"]}
        heatmap = report_heatmap(content)
        bars = report_bars(content)
    dutch_states = {"none": "geen bewijs", "unconfirmed": "niet bevestigd"}
    assert {i["state"] for i in content["indicators"]} == set(dutch_states)
    assert legend == set(dutch_states.values())
    assert heatmap["label"].startswith("Status van het bewijs")
    assert heatmap["title"].startswith("Status van het bewijs van 5 indicatoren")
    assert bars["title"] == "Indicatoren per groep naar status van het bewijs"


def test_bar_labels_keep_whole_words_on_as_many_lines_as_they_need():
    content = {
        "sections": [{"key": "IC", "name": "Binnengemeentelijke samenwerking en coördinatie"}],
        "indicators": [
            {"code": "IC/A/1", "group": "IC", "state": "none"}
            | {"state_label": "no evidence", "fill": "#ffffff"}
        ],
    }
    bar = charts.group_bars(content)["bars"][0]
    lines = [line["text"] for line in bar["label"]]
    assert " ".join(lines) == "IC Binnengemeentelijke samenwerking en coördinatie"
    assert len(lines) > 1


@pytest.mark.parametrize(
    "path",
    ["templates/reports/_evidence_matrix.svg", "templates/reports/_report_heatmap.svg"],
)
def test_svg_templates_hold_no_text_to_translate(path):
    """makemessages does not read .svg files: their words come from report_tags.py."""
    from django.conf import settings

    text = (settings.BASE_DIR / path).read_text()
    assert "translate" not in text


def test_a_form_back_without_its_version_names_the_field_in_dutch(client_for, host, review):
    city = review.host_city
    response = dutch(client_for(host)).post(
        reverse("city_edit", args=[city.pk]), {"name": "Rotterdam", "country": "Nederland"}
    )
    page = response.content.decode()
    assert "Versie van de pagina waarmee je begon: Dit veld is verplicht." in page
    assert "Edit version" not in page
