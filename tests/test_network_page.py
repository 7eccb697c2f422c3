"""The network's public page and its chart (comparisons.views.network)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comparisons.models import OpenData
from tests.comparison_data import add_review, rated_programme


@pytest.fixture
def programme(db):
    programme = rated_programme()
    ghent = programme.reviews.get(host_city__name="Ghent").feedback_report
    ghent.public_token = "ghent-token"
    ghent.save()
    return programme


def test_public_page_opens_without_sign_in(programme, client):
    response = client.get(reverse("comparisons:network"))
    assert response.status_code == 200
    html = response.content.decode()
    assert programme.name in html
    for city in ("Antwerp", "Ghent", "Leipzig"):
        assert f"{city}: " in html


def test_public_page_links_the_shared_public_report(programme, client):
    html = client.get(reverse("comparisons:network")).content.decode()
    assert reverse("reports:public_report", args=["ghent-token"]) in html
    assert html.count('href="/reviews/public/') == 1


def test_unpublished_review_never_on_the_public_page(programme, client):
    hidden = add_review(programme, "Utrecht", ("well_above",) * 4, published=False)
    hidden.feedback_report.public_token = "utrecht-token"
    hidden.feedback_report.save()
    html = client.get(reverse("comparisons:network")).content.decode()
    assert "Utrecht" not in html
    assert "utrecht-token" not in html
    svg = client.get(reverse("reports:public_programme_spread", args=[programme.pk]))
    assert svg.content.decode().count(">6</text>") == 2  # 3 published cities x 2 indicators


def test_programme_without_published_report_is_not_listed(programme, client):
    from reviews.models import Programme

    quiet = Programme.objects.create(
        name="Quiet round", benchmark_version=programme.benchmark_version
    )
    add_review(quiet, "Utrecht", ("below",) * 4, published=False)
    html = client.get(reverse("comparisons:network")).content.decode()
    assert "Quiet round" not in html
    chart = client.get(reverse("reports:public_programme_spread", args=[quiet.pk]))
    assert chart.status_code == 404


def test_public_page_asks_not_to_be_indexed_by_default(programme, client):
    response = client.get(reverse("comparisons:network"))
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"


def test_noindex_can_be_turned_off(programme, client, settings):
    settings.NOINDEX_PUBLIC_PAGES = False
    response = client.get(reverse("comparisons:network"))
    assert 'name="robots"' not in response.content.decode()
    assert "X-Robots-Tag" not in response


def test_open_data_links_only_when_opened(programme, client):
    csv_url = reverse("reports:programme_open_data", args=[programme.pk, "csv"])
    assert csv_url not in client.get(reverse("comparisons:network")).content.decode()
    OpenData.objects.create(programme=programme, is_open=True)
    assert csv_url in client.get(reverse("comparisons:network")).content.decode()
