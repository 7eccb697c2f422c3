"""An index benchmark's city against the network (issue 16, item 5 for item 4's kind): the
city's group scores and index beside the average and spread of the programme's other
published reviews, worked out by hand from tests.test_index_benchmarks' 14 groups; the
page, its chart, and the report's network annex in PDF, screen and DOCX."""

from __future__ import annotations

import io
import json

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from benchmarks.services import import_version
from reports.charts import BAR_LABEL_WIDTH, BAR_WIDTH, index_bars
from reports.stored import print_context
from reviews.models import FeedbackReport, Programme
from reviews.services.network import city_against_network
from reviews.services.report_content import build_content
from tests.test_index_benchmarks import answer, everywhere, first_city_answers, index_data


@pytest.fixture
def index_programme(db):
    """tests.test_index_benchmarks' programme: Bergen answered by hand, Oslo all "full"
    (100), Lublin all "none" (0); all three published."""
    version = import_version(index_data(), publish=True)
    programme = Programme.objects.create(name="ICC 2026", benchmark_version=version)
    answer(programme, "Bergen", first_city_answers())
    answer(programme, "Oslo", everywhere("full"))
    answer(programme, "Lublin", everywhere("none"))
    return programme


def review_of(programme, city):
    return programme.reviews.get(host_city__name=city)


def group(network, code):
    return next(g for g in network["groups"] if g["code"] == code)


def test_group_scores_beside_the_network_are_exact(index_programme):
    # Oslo's network: Bergen (group A 65, index 1584/31) and Lublin (0 everywhere).
    network = city_against_network(review_of(index_programme, "Oslo"))
    assert network["kind"] == "index"
    assert network["cities"] == ["Bergen", "Lublin"]
    a = group(network, "A")
    assert (a["weight"], a["city"], a["answered"], a["scorable"]) == ("1", "100.0", 5, 5)
    assert a["network"] == {
        "count": 2,
        "mean": "32.5",
        "min": "0.0",
        "q1": "16.3",  # 65 / 4 = 16.25, half up
        "median": "32.5",
        "q3": "48.8",  # 195 / 4 = 48.75
        "max": "65.0",
    }
    # The index: Oslo 100; the network's 0 and 1584/31 (51.096...): mean 792/31 (25.548...),
    # quartiles 396/31 (12.774...) and 1188/31 (38.322...).
    assert network["index"] == {
        "city": "100.0",
        "network": {
            "count": 2,
            "mean": "25.5",
            "min": "0.0",
            "q1": "12.8",
            "median": "25.5",
            "q3": "38.3",
            "max": "51.1",
        },
    }


def test_a_group_without_answers_has_no_score_in_city_or_network(index_programme):
    bergen = city_against_network(review_of(index_programme, "Bergen"))
    g = group(bergen, "G")
    assert (g["city"], g["answered"], g["scorable"]) == (None, 0, 5)
    assert bergen["index"]["city"] == "51.1"  # 1584/31
    # In Oslo's network Bergen has no G score: only Lublin's 0 counts.
    oslo = city_against_network(review_of(index_programme, "Oslo"))
    assert group(oslo, "G")["network"]["count"] == 1
    assert group(oslo, "G")["network"]["mean"] == "0.0"


def test_a_group_of_weight_zero_is_shown_but_not_counted(index_programme):
    d = group(city_against_network(review_of(index_programme, "Bergen")), "D")
    assert (d["weight"], d["counted"], d["city"]) == ("0", False, "100.0")
    assert d["network"]["mean"] == "50.0"  # Oslo 100, Lublin 0


def test_index_network_never_holds_an_unpublished_review(index_programme):
    hidden = answer(index_programme, "Utrecht", everywhere("most"))
    FeedbackReport.objects.filter(review=hidden).update(published_at=None)
    network = city_against_network(review_of(index_programme, "Oslo"))
    assert network["cities"] == ["Bergen", "Lublin"]
    assert network["index"]["network"]["mean"] == "25.5"


def test_index_network_is_plain_json_without_a_rank(index_programme):
    index_programme.show_ranking = True
    index_programme.save()
    network = city_against_network(review_of(index_programme, "Bergen"))
    assert json.loads(json.dumps(network)) == network
    assert "rank" not in json.dumps(network)


def test_index_chart_draws_scores_on_0_to_100(index_programme):
    chart = index_bars(city_against_network(review_of(index_programme, "Bergen")), city_label="B")
    city_a, network_a = chart["bars"][0], chart["bars"][1]
    assert city_a["segments"][0]["x"] == BAR_LABEL_WIDTH
    assert city_a["segments"][0]["width"] == 65 * BAR_WIDTH / 100
    assert network_a["segments"][0]["width"] == BAR_WIDTH / 2  # network mean 50
    city_g = chart["bars"][12]  # group G: no score, no bar
    assert (city_g["segments"], city_g["total"]) == ([], "—")
    assert chart["bars"][-2]["total"] == "51.1"  # the index


def test_city_page_shows_an_outsider_the_index_table(index_programme, client, outsider):
    client.force_login(outsider)
    bergen = review_of(index_programme, "Bergen")
    page = client.get(reverse("comparisons:city", args=[bergen.host_city.pk])).content.decode()
    assert "network-index-table" in page
    assert "51.1" in page
    svg = client.get(reverse("reports:review_network", args=[bergen.pk])).content.decode()
    assert "A Group A: Bergen" in svg


def test_city_page_hides_an_unpublished_index_review_from_outsiders(
    index_programme, client, outsider
):
    hidden = answer(index_programme, "Utrecht", everywhere("most"))
    FeedbackReport.objects.filter(review=hidden).update(published_at=None)
    client.force_login(outsider)
    page = client.get(reverse("comparisons:city", args=[hidden.host_city.pk])).content.decode()
    assert f'id="network-{hidden.pk}"' not in page
    assert client.get(reverse("reports:review_network", args=[hidden.pk])).status_code == 404


@pytest.fixture
def annexed(index_programme):
    bergen = review_of(index_programme, "Bergen")
    report = bergen.feedback_report
    report.network_annex = True
    report.save()
    return build_content(bergen, report)


def test_pdf_has_the_index_annex(annexed):
    html = render_to_string("reports/report_pdf.html", print_context(annexed, None, True))
    assert 'id="annex-network"' in html
    assert "network-index-table" in html
    assert "A Group A: Bergen" in html  # the chart, drawn inline
    screen = render_to_string("reviews/feedback_report/_content.html", {"content": annexed})
    assert "network-index-table" in screen


def test_docx_has_the_index_annex_as_a_table(annexed):
    from docx import Document

    from reports.docx import build_docx

    document = Document(io.BytesIO(build_docx(annexed, draft=True)))
    last = document.tables[-1]
    assert [c.text for c in last.rows[0].cells] == [
        "Group",
        "Weight",
        "Bergen",
        "Network average",
        "Network min-max",
    ]
    assert [c.text for c in last.rows[1].cells] == ["A Group A", "1", "65.0", "50.0", "0.0–100.0"]
    assert [c.text for c in last.rows[7].cells] == ["G Group G", "3", "—", "50.0", "0.0–100.0"]
    assert [c.text for c in last.rows[-1].cells] == ["Index", "", "51.1", "50.0", "0.0–100.0"]


# --- the public network page ---------------------------------------------------------------


def test_public_network_page_shows_the_index_spread_of_published_reviews_only(
    index_programme, client
):
    hidden = answer(index_programme, "Utrecht", everywhere("most"))
    FeedbackReport.objects.filter(review=hidden).update(published_at=None)
    index_programme.show_ranking = True
    index_programme.save()
    page = client.get(reverse("comparisons:network")).content.decode()
    table = page.split(f'id="public-index-spread-{index_programme.pk}"')[1].split("</table>")[0]
    # Bergen 1584/31, Oslo 100, Lublin 0 (Utrecht's 75 is unpublished): three cities,
    # mean 4684/93 = 50.36..., median 1584/31 = 51.09...
    assert "<td>3</td><td>50.4</td><td>0.0</td>" in table
    assert "<td>51.1</td>" in table
    assert "Rank" not in page
