"""One city against the network and its trend (reviews.services.network, comparisons.city,
comparisons:city, reports:review_network, reports:city_trend, the report's network annex)."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from benchmarks.services import start_new_draft
from comparisons.city import TrendRow, city_reviews, top_concern, top_improved, trend
from reports.charts import BAR_LABEL_WIDTH, BAR_WIDTH, change_bars
from reports.stored import print_context
from reviews.models import FeedbackReport, IndicatorEvaluation, Membership, Review
from reviews.services.network import city_against_network
from reviews.services.report_content import build_content
from reviews.steps import PEER
from tests.comparison_data import add_review, levels_of, rated_programme
from tests.conftest import new_benchmark, new_city, new_review, new_user


@pytest.fixture
def programme(db):
    return rated_programme()


def review_of(programme, city: str) -> Review:
    return programme.reviews.get(host_city__name=city)


# --- the city against the network ------------------------------------------------------------


def test_network_counts_the_other_published_reviews_beside_the_citys_own(programme):
    network = city_against_network(review_of(programme, "Antwerp"))
    assert [lv["code"] for lv in network["levels"]] == ["below", "above", "well_above", "more_info"]
    alpha, beta = network["groups"]
    # Antwerp: AA/X/1 below, AA/Y/1 above; BB/X/1 well above, BB/Y/1 below.
    assert alpha["city"] == [1, 1, 0, 0]
    assert beta["city"] == [1, 0, 1, 0]
    # Ghent and Leipzig only: Ghent (below, well_above | above, above), Leipzig (above,
    # below | above, below).
    assert alpha["network"] == [2, 1, 1, 0]
    assert beta["network"] == [1, 3, 0, 0]
    assert network["cities"] == ["Ghent", "Leipzig"]
    assert network["reviews"] == 2


def test_network_never_holds_an_unpublished_review(programme):
    add_review(programme, "Utrecht", ("well_above",) * 4, published=False)
    network = city_against_network(review_of(programme, "Antwerp"))
    assert "Utrecht" not in network["cities"]
    assert [g["network"][2] for g in network["groups"]] == [1, 0]


def test_network_of_a_review_outside_a_programme_is_none(db):
    version = new_benchmark(slug="alone", indicators=4)
    assert city_against_network(new_review(benchmark_version=version)) is None


def test_network_leaves_out_ratings_on_indicators_the_version_removed(programme):
    antwerp = review_of(programme, "Antwerp")
    version = programme.benchmark_version
    v2 = start_new_draft(version)
    v2.indicators.get(code="BB/Y/1").delete()
    v2.indicators.get(code="AA/Y/1").__class__.objects.filter(version=v2, code="AA/Y/1").update(
        text="Reworded"
    )
    v2.publish(by=new_user(is_coordinator=True), override_reason="Agreed.")
    Review.objects.filter(pk=antwerp.pk).update(benchmark_version=v2)
    IndicatorEvaluation.objects.filter(review=antwerp).delete()
    levels = levels_of(v2)
    for indicator in v2.indicators.all():
        IndicatorEvaluation.objects.create(
            review=antwerp, indicator=indicator, rating=levels["above"]
        )
    antwerp.refresh_from_db()
    network = city_against_network(antwerp)
    # Ghent and Leipzig rated BB/Y/1 on v1: v2 has no such indicator, so never counted.
    assert network["left_out"] == 2
    assert [sum(g["network"]) for g in network["groups"]] == [4, 2]
    assert network["reworded"] == ["AA/Y/1"]


def test_city_page_shows_an_outsider_only_published_reviews(programme, client, outsider):
    hidden = add_review(programme, "Utrecht", ("well_above",) * 4, published=False)
    client.force_login(outsider)
    page = client.get(reverse("comparisons:city", args=[hidden.host_city.pk]))
    assert page.status_code == 200
    assert f'id="network-{hidden.pk}"' not in page.content.decode()
    svg = client.get(reverse("reports:review_network", args=[hidden.pk]))
    assert svg.status_code == 404


def test_city_page_shows_the_team_its_unpublished_review(programme, client):
    hidden = add_review(programme, "Utrecht", ("well_above",) * 4, published=False)
    peer = new_user()
    Membership.objects.create(review=hidden, user=peer, role=PEER)
    client.force_login(peer)
    page = client.get(reverse("comparisons:city", args=[hidden.host_city.pk])).content.decode()
    assert f'id="network-{hidden.pk}"' in page
    assert "not published" in page
    svg = client.get(reverse("reports:review_network", args=[hidden.pk]))
    assert svg["Content-Type"] == "image/svg+xml"


def test_network_chart_draws_each_bar_at_full_width(programme, client, outsider):
    client.force_login(outsider)
    antwerp = review_of(programme, "Antwerp")
    svg = client.get(reverse("reports:review_network", args=[antwerp.pk])).content.decode()
    assert "Alpha: Antwerp" in svg
    assert "Alpha: network" in svg
    # The Alpha city bar: 1 below, 1 above of 2 ratings: two halves of the bar.
    assert f'width="{BAR_WIDTH / 2}"' in svg


def test_city_page_answers_in_the_same_queries_for_2_and_20_reviews(db, client, outsider):
    def count(partners: int) -> int:
        version = new_benchmark(slug=f"q{partners}", indicators=4)
        from reviews.models import Programme

        programme = Programme.objects.create(name=f"P{partners}", benchmark_version=version)
        first = add_review(programme, f"First {partners}", ("below", "above", "above", "below"))
        for n in range(partners - 1):
            add_review(programme, f"City {partners}-{n}", ("above",) * 4)
        url = reverse("comparisons:city", args=[first.host_city.pk])
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    client.force_login(outsider)
    assert count(2) == count(20)


# --- the trend --------------------------------------------------------------------------------


def level(score, code="x"):
    return SimpleNamespace(score=None if score is None else Decimal(score), label=code, code=code)


def row(position: int, before, after) -> TrendRow:
    return TrendRow(SimpleNamespace(code=f"I{position}"), position, [level(before), level(after)])


def test_change_is_the_later_score_minus_the_earlier():
    assert row(0, 1, 3).change == 2
    assert row(0, 3, 1).change == -2
    assert row(0, 2, 2).change == 0
    assert row(0, None, 2).change is None
    assert TrendRow(SimpleNamespace(code="I"), 0, [None, level(2)]).change is None


def test_top_five_improved_are_the_largest_rises_ties_in_indicator_order():
    rows = [row(0, 1, 2), row(1, 1, 3), row(2, 2, 3), row(3, 1, 2), row(4, 3, 1)]
    rows += [row(5, 1, 2), row(6, 1, 2), row(7, 2, 2)]
    assert [r.position for r in top_improved(rows)] == [1, 0, 2, 3, 5]


def test_top_five_of_concern_are_the_largest_falls_ties_in_indicator_order():
    rows = [row(0, 2, 1), row(1, 3, 1), row(2, 1, 2), row(3, 3, 2), row(4, 2, 1)]
    rows += [row(5, 3, 2), row(6, 2, 1), row(7, None, 1)]
    assert [r.position for r in top_concern(rows)] == [1, 0, 3, 4, 5]


def rate(review, codes: dict, *, published=True):
    levels = levels_of(review.benchmark_version)
    for indicator in review.benchmark_version.indicators.all():
        if indicator.code in codes:
            IndicatorEvaluation.objects.create(
                review=review, indicator=indicator, rating=levels[codes[indicator.code]]
            )
    FeedbackReport.objects.create(review=review, published_at=timezone.now() if published else None)


def city_reviewed_twice(*, second_published=True):
    version = new_benchmark(slug="trend", indicators=4)
    city = new_city(name="Bologna")
    first = new_review(title="Bologna 2024", host_city=city, benchmark_version=version)
    second = new_review(title="Bologna 2026", host_city=city, benchmark_version=version)
    Review.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=700)
    )
    rate(first, {"AA/X/1": "below", "AA/Y/1": "well_above", "BB/X/1": "above", "BB/Y/1": "above"})
    rate(
        second,
        {"AA/X/1": "well_above", "AA/Y/1": "above", "BB/X/1": "above", "BB/Y/1": "more_info"},
        published=second_published,
    )
    return city, first, second


def test_trend_gives_the_change_per_indicator_between_two_reviews(db, outsider):
    city, first, second = city_reviewed_twice()
    found = trend(city_reviews(city, outsider))
    assert [r.pk for r in found.reviews] == [first.pk, second.pk]
    changes = {r.indicator.code: r.change for r in found.rows}
    assert changes == {"AA/X/1": 2, "AA/Y/1": -1, "BB/X/1": 0, "BB/Y/1": None}
    assert [r.indicator.code for r in found.improved] == ["AA/X/1"]
    assert [r.indicator.code for r in found.concern] == ["AA/Y/1"]


def test_trend_leaves_an_unpublished_review_out_for_outsiders(db, outsider):
    city, _first, _second = city_reviewed_twice(second_published=False)
    found = trend(city_reviews(city, outsider))
    assert found.comparable is False
    assert found.rows == []


def test_trend_compares_two_versions_through_lineage(db, coordinator):
    v1 = new_benchmark(slug="lineage", indicators=4)
    v2 = start_new_draft(v1)
    v2.indicators.filter(code="AA/Y/1").update(text="A sharper text")
    v2.indicators.get(code="BB/Y/1").delete()
    added = v2.indicators.get(code="BB/X/1")
    added.pk = None
    added.number = 2
    added.lineage = uuid.uuid4()
    added.save()
    v2.publish(by=coordinator, override_reason="Agreed.")
    city = new_city(name="Porto")
    first = new_review(title="Porto 1", host_city=city, benchmark_version=v1)
    second = new_review(title="Porto 2", host_city=city, benchmark_version=v2)
    Review.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )
    rate(first, {"AA/X/1": "below", "AA/Y/1": "below", "BB/X/1": "above", "BB/Y/1": "below"})
    rate(second, {"AA/X/1": "above", "AA/Y/1": "well_above", "BB/X/1": "below", "BB/X/2": "above"})
    found = trend(city_reviews(city, coordinator))
    rows = {r.indicator.code: r for r in found.rows}
    assert "BB/Y/1" not in rows  # removed by v2: never a row
    assert rows["AA/Y/1"].reworded is True
    assert rows["AA/X/1"].reworded is False
    assert {code: r.change for code, r in rows.items()} == {
        "AA/X/1": 1,
        "AA/Y/1": 2,
        "BB/X/1": -1,
        "BB/X/2": None,
    }


def test_trend_page_lists_improved_and_concern(db, client, outsider):
    city, _first, _second = city_reviewed_twice()
    client.force_login(outsider)
    page = client.get(reverse("comparisons:city", args=[city.pk])).content.decode()
    improved = page[page.index('id="improved"') : page.index('id="concern"')]
    concern = page[page.index('id="concern"') : page.index("trend-table")]
    assert "AA/X/1" in improved
    assert "AA/Y/1" not in improved
    assert "AA/Y/1" in concern
    svg = client.get(reverse("reports:city_trend", args=[city.pk])).content.decode()
    assert "AA/X/1: +2" in svg
    assert "AA/Y/1: -1" in svg


def test_change_bars_rise_right_of_the_middle_and_fall_left():
    chart = change_bars([("up", Decimal(2)), ("down", Decimal(-1))])
    middle = BAR_LABEL_WIDTH + BAR_WIDTH / 2
    up, down = (bar["segments"][0] for bar in chart["bars"])
    assert (up["x"], up["width"]) == (middle, BAR_WIDTH / 2)
    assert (down["x"], down["width"]) == (middle - BAR_WIDTH / 4, BAR_WIDTH / 4)


# --- the network annex of the feedback report ---------------------------------------------------


def test_annex_is_in_the_content_only_when_the_coordinator_chose_it(programme):
    antwerp = review_of(programme, "Antwerp")
    report = antwerp.feedback_report
    assert build_content(antwerp, report)["network"] is None
    report.network_annex = True
    report.save()
    assert build_content(antwerp, report)["network"]["cities"] == ["Ghent", "Leipzig"]


def test_frozen_annex_keeps_the_network_as_it_was(programme, coordinator):
    antwerp = review_of(programme, "Antwerp")
    report = antwerp.feedback_report
    report.network_annex = True
    report.published_at = None
    report.save()
    version = report.freeze(by=coordinator, content=build_content(antwerp, report))
    add_review(programme, "Utrecht", ("well_above",) * 4)
    version.refresh_from_db()
    assert version.content["network"]["cities"] == ["Ghent", "Leipzig"]
    html = render_to_string(
        "reports/report_pdf.html", print_context(version.content, version, False)
    )
    assert 'id="annex-network"' in html
    assert "Alpha: Antwerp" in html  # the chart, drawn inline
    screen = render_to_string("reviews/feedback_report/_content.html", {"content": version.content})
    assert 'id="annex-network"' in screen
    assert "Alpha: Antwerp" in screen


def test_pdf_has_no_network_annex_without_the_choice(programme):
    antwerp = review_of(programme, "Antwerp")
    content = build_content(antwerp, antwerp.feedback_report)
    html = render_to_string("reports/report_pdf.html", print_context(content, None, True))
    assert 'id="annex-network"' not in html


def test_coordinator_turns_the_annex_on_and_off(programme, client, coordinator):
    antwerp = review_of(programme, "Antwerp")
    FeedbackReport.objects.filter(review=antwerp).update(published_at=None)
    client.force_login(coordinator)
    url = reverse("reviews:report_annex", args=[antwerp.pk])
    client.post(url, {"annex": "1"})
    assert FeedbackReport.objects.get(review=antwerp).network_annex is True
    client.post(url, {"annex": "0"})
    assert FeedbackReport.objects.get(review=antwerp).network_annex is False


def test_peer_cannot_choose_the_annex(programme, client):
    antwerp = review_of(programme, "Antwerp")
    peer = new_user()
    Membership.objects.create(review=antwerp, user=peer, role=PEER)
    client.force_login(peer)
    response = client.post(reverse("reviews:report_annex", args=[antwerp.pk]), {"annex": "1"})
    assert response.status_code == 403
    assert FeedbackReport.objects.get(review=antwerp).network_annex is False


def test_docx_has_the_network_annex_as_a_table(programme):
    import io

    from docx import Document

    from reports.docx import build_docx

    antwerp = review_of(programme, "Antwerp")
    report = antwerp.feedback_report
    report.network_annex = True
    report.save()
    document = Document(io.BytesIO(build_docx(build_content(antwerp, report), draft=True)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Annex 5: The city against the network" in headings
    last = document.tables[-1]
    assert [c.text for c in last.rows[1].cells] == ["AA Alpha", "Antwerp", "1", "1", "0", "0"]
    assert [c.text for c in last.rows[2].cells] == ["AA Alpha", "network", "2", "1", "1", "0"]
