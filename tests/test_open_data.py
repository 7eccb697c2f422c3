"""A programme's published ratings as CSV and JSON (comparisons.open_data, reports views)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from comparisons.models import OpenData
from comparisons.open_data import HEADER
from reviews.models import Membership
from reviews.steps import HOST
from tests.comparison_data import add_review, rated_programme


@pytest.fixture
def programme(db):
    return rated_programme()


def url(programme, fmt):
    return reverse("reports:programme_open_data", args=[programme.pk, fmt])


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_csv_has_one_row_per_city_and_indicator(programme, coordinator, client_for):
    response = client_for(coordinator).get(url(programme, "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert list(rows[0]) == HEADER
    assert len(rows) == 3 * 4
    first = rows[0]
    indicator = programme.benchmark_version.indicators.get(code="AA/X/1")
    assert (first["city"], first["indicator"], first["rating"], first["score"]) == (
        "Antwerp",
        "AA/X/1",
        "below",
        "1.0",
    )
    assert first["lineage"] == str(indicator.lineage)
    assert (first["benchmark"], first["version"], first["group"], first["value"]) == (
        "compare",
        "1",
        "AA",
        "X",
    )


def test_unpublished_review_never_in_the_open_data(programme, coordinator, client_for):
    add_review(programme, "Utrecht", ("well_above",) * 4, published=False)
    client = client_for(coordinator)
    assert "Utrecht" not in {row["city"] for row in csv_rows(client.get(url(programme, "csv")))}
    document = json.loads(client.get(url(programme, "json")).content)
    assert "Utrecht" not in {row["city"] for row in document["rows"]}


def test_json_states_its_schema(programme, coordinator, client_for):
    document = json.loads(client_for(coordinator).get(url(programme, "json")).content)
    assert [field["name"] for field in document["schema"]] == HEADER
    assert all(field["description"] for field in document["schema"])
    assert document["rows"][0]["score"] == 1.0
    assert document["rows"][0]["self_rating"] == ""


def test_csv_neutralises_formulas(programme, coordinator, client_for):
    review = programme.reviews.get(host_city__name="Ghent")
    review.title = '=HYPERLINK("http://evil")'
    review.save()
    rows = csv_rows(client_for(coordinator).get(url(programme, "csv")))
    titles = {row["review_title"] for row in rows if row["city"] == "Ghent"}
    assert titles == {'\'=HYPERLINK("http://evil")'}


def test_closed_data_is_for_coordinators_only(programme, make_user, client_for):
    member = make_user()
    Membership.objects.create(review=programme.reviews.first(), user=member, role=HOST)
    assert client_for(member).get(url(programme, "csv")).status_code == 403
    anonymous = client_for(None).get(url(programme, "json"))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_open_data_is_for_anyone_once_opened(programme, coordinator, client_for, fmt):
    client = client_for(coordinator)
    client.post(reverse("comparisons:open_data_toggle", args=[programme.pk]), {"open": "1"})
    assert OpenData.objects.is_open(programme)
    response = client_for(None).get(url(programme, fmt))
    assert response.status_code == 200


def test_closing_the_data_again_shuts_anonymous_out(programme, coordinator, client_for):
    client = client_for(coordinator)
    toggle = reverse("comparisons:open_data_toggle", args=[programme.pk])
    client.post(toggle, {"open": "1"})
    client.post(toggle, {"open": "0"})
    assert client_for(None).get(url(programme, "csv")).status_code == 302


def test_unknown_format_is_not_found(programme, coordinator, client_for):
    assert client_for(coordinator).get(url(programme, "xml")).status_code == 404
