"""The cross-city matrix of a programme (comparisons.matrix, comparisons.views)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comparisons.matrix import build_matrix
from reviews.models import Membership, Programme
from reviews.steps import HOST, PEER
from tests.comparison_data import add_review, rated_programme
from tests.conftest import new_benchmark, new_user


@pytest.fixture
def programme(db):
    return rated_programme()


def test_cells_hold_each_citys_final_rating(programme, coordinator):
    matrix = build_matrix(programme, coordinator)
    assert [c.city.name for c in matrix.columns] == ["Antwerp", "Ghent", "Leipzig"]
    first = matrix.groups[0].rows[0]
    assert first.indicator.code == "AA/X/1"
    assert [cell.rating.code for cell in first.cells] == ["below", "below", "above"]


def test_gap_is_self_rating_minus_team_rating(programme, coordinator):
    add_review(programme, "Rotterdam", ("below", "above"), self_codes=("well_above", "below"))
    matrix = build_matrix(programme, coordinator)
    rotterdam = [c.city.name for c in matrix.columns].index("Rotterdam")
    rows = matrix.groups[0].rows
    assert rows[0].cells[rotterdam].gap == 2
    assert rows[1].cells[rotterdam].gap == -1
    assert matrix.groups[0].gaps[0][1].column.city.name == "Rotterdam"
    assert matrix.groups[0].gaps[0][0].indicator.code == "AA/X/1"


def test_shared_weakness_is_below_in_at_least_half_the_cities(programme, coordinator):
    matrix = build_matrix(programme, coordinator)
    weak = [row.indicator.code for block in matrix.groups for row in block.shared_weaknesses]
    # AA/X/1 below in 2 of 3, BB/Y/1 in 2 of 3; AA/Y/1 only in 1 of 3.
    assert weak == ["AA/X/1", "BB/Y/1"]


def test_group_summary_counts_cities_below_and_the_spread(programme, coordinator):
    matrix = build_matrix(programme, coordinator)
    alpha = matrix.groups[0]
    # Alpha (AA/X/1, AA/Y/1): Antwerp, Ghent and Leipzig each have one "below".
    assert alpha.cities_below == 3
    assert {lv.code: n for lv, n in alpha.spread.entries} == {
        "below": 3,
        "above": 2,
        "well_above": 1,
        "more_info": 0,
    }


def test_spread_follows_the_scale_never_the_counts(programme, coordinator):
    matrix = build_matrix(programme, coordinator)
    row = matrix.groups[0].rows[0]
    assert [lv.code for lv, _n in row.spread.entries] == [lv.code for lv in matrix.levels]


def test_unpublished_review_is_excluded_for_people_outside_it(programme, make_user):
    hidden = add_review(programme, "Utrecht", ("well_above",) * 4, published=False)
    member = make_user()
    Membership.objects.create(review=programme.reviews.first(), user=member, role=HOST)
    matrix = build_matrix(programme, member)
    assert "Utrecht" not in [c.city.name for c in matrix.columns]
    assert [(e.review, e.reason) for e in matrix.excluded] == [
        (hidden, "its report is not published yet")
    ]


def test_unpublished_review_is_shown_to_its_team(programme, make_user):
    hidden = add_review(programme, "Utrecht", ("well_above",) * 4, published=False)
    peer = make_user()
    Membership.objects.create(review=hidden, user=peer, role=PEER)
    matrix = build_matrix(programme, peer)
    column = next(c for c in matrix.columns if c.review == hidden)
    assert column.published is False
    assert column.evaluation_open is True


def test_review_without_ratings_is_excluded_with_the_reason(programme, coordinator):
    add_review(programme, "Utrecht", ())
    matrix = build_matrix(programme, coordinator)
    assert [e.reason for e in matrix.excluded] == ["the team has not rated any indicator yet"]


def test_group_filter_keeps_one_group(programme, coordinator, client_for):
    response = client_for(coordinator).get(
        reverse("comparisons:matrix", args=[programme.pk]), {"group": "BB"}
    )
    assert [b.group.code for b in response.context["matrix"].groups] == ["BB"]
    assert b'id="group-AA"' not in response.content
    assert b'id="group-BB"' in response.content


def test_evaluation_link_only_for_who_may_see_it(programme, coordinator, make_user, client_for):
    review = programme.reviews.get(host_city__name="Ghent")
    host = make_user()
    Membership.objects.create(review=review, user=host, role=HOST)
    link = reverse("reviews:evaluation", args=[review.pk, review.indicators_in_scope()[0].pk])
    url = reverse("comparisons:matrix", args=[programme.pk])
    assert link in client_for(coordinator).get(url).content.decode()
    page = client_for(host).get(url)
    assert page.status_code == 200
    assert link not in page.content.decode()


def test_unpublished_city_never_on_the_page_of_an_outsider(programme, make_user, client_for):
    add_review(programme, "Utrecht", ("well_above",) * 4, published=False)
    host = make_user()
    Membership.objects.create(review=programme.reviews.first(), user=host, role=HOST)
    page = client_for(host).get(reverse("comparisons:matrix", args=[programme.pk]))
    html = page.content.decode()
    before, excluded = html.split('id="excluded"')
    excluded, after = excluded.split("</section>", 1)
    assert "Utrecht" in excluded
    assert "Utrecht" not in before + after


def test_outsider_cannot_open_the_matrix(programme, outsider, client_for):
    response = client_for(outsider).get(reverse("comparisons:matrix", args=[programme.pk]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_matrix_queries_do_not_grow_with_reviews(coordinator, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(programme) -> int:
        client = client_for(coordinator)
        client.get(reverse("comparisons:matrix", args=[programme.pk]))  # warm the session
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("comparisons:matrix", args=[programme.pk]))
        assert response.status_code == 200
        return len(queries)

    version = new_benchmark(slug="queries", indicators=4)
    small = Programme.objects.create(name="Two", benchmark_version=version)
    for n in range(2):
        add_review(small, f"Small {n}", ("below", "above", "well_above", "below"))
    large = Programme.objects.create(name="Twenty", benchmark_version=version)
    for n in range(20):
        add_review(large, f"Large {n}", ("below", "above", "well_above", "below"))
    queries = count(small)
    assert count(large) == queries
    assert queries <= 10  # session, user, programme, reviews, roles, scale, indicators, ...


def test_a_member_sees_the_matrix_without_being_a_coordinator(programme, client_for):
    member = new_user()
    Membership.objects.create(review=programme.reviews.first(), user=member, role=PEER)
    response = client_for(member).get(reverse("comparisons:matrix", args=[programme.pk]))
    assert response.status_code == 200


def test_spread_chart_leaves_out_unpublished_reviews(programme, make_user, client_for):
    add_review(programme, "Utrecht", ("well_above",) * 4, published=False)
    host = make_user()
    Membership.objects.create(review=programme.reviews.first(), user=host, role=HOST)
    response = client_for(host).get(reverse("reports:programme_spread", args=[programme.pk]))
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    # Three published cities rated on two indicators per group: 6 per bar, never 8.
    assert svg.count(">6</text>") == 2
    assert "AA Alpha: Well above the benchmark: 1</title>" in svg  # Ghent's, not Utrecht's


def test_spread_chart_keeps_the_benchmark_order_of_groups(programme, coordinator):
    from reports.views.comparisons import spread_chart

    chart = spread_chart(build_matrix(programme, coordinator))
    assert [bar["label"][0]["text"] for bar in chart["bars"]] == ["AA Alpha", "BB Beta"]
    first = chart["bars"][0]["segments"]
    assert [s["title"].split(": ")[1] for s in first] == [
        "Below the benchmark",
        "Above the benchmark",
        "Well above the benchmark",
    ]


def test_exactly_half_the_cities_below_is_a_shared_weakness(programme, coordinator):
    add_review(programme, "Rotterdam", ("above", "below", "above", "above"))
    matrix = build_matrix(programme, coordinator)
    row = next(r for r in matrix.groups[0].rows if r.indicator.code == "AA/Y/1")
    assert (row.below, row.spread.rated) == (2, 4)
    assert row.shared_weakness is True


def test_cells_escape_what_people_typed(programme, coordinator, client_for):
    """The cells are put together in Python (CellPieces), not by the template: a city's
    name still reaches the page escaped, in the link of a cell as in its header."""
    add_review(programme, "<b>Evil</b> & Co", ("below",), self_codes=("well_above",))
    html = client_for(coordinator).get(reverse("comparisons:matrix", args=[programme.pk]))
    html = html.content.decode()
    assert "<b>Evil</b>" not in html
    assert "(&lt;b&gt;Evil&lt;/b&gt; &amp; Co, AA/X/1)" in html
    assert '<th scope="col">&lt;b&gt;Evil&lt;/b&gt; &amp; Co</th>' in html
    assert "self-rated higher:" in html


@pytest.mark.django_db
def test_every_cross_city_page_answers_in_the_same_queries_for_2_and_50_reviews(
    coordinator, client_for
):
    """The network's scale (issue #16): the matrix, its spread chart, the open data in each
    format and the public network page cost as many queries for 50 published reviews as
    for 2."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from comparisons.models import OpenData

    version = new_benchmark(slug="scale", indicators=4)
    programme = Programme.objects.create(name="Network", benchmark_version=version)
    OpenData.objects.create(programme=programme, is_open=True, changed_by=coordinator)
    codes = ("below", "above", "well_above", "below")
    pages = {
        "matrix": (client_for(coordinator), reverse("comparisons:matrix", args=[programme.pk])),
        "spread": (
            client_for(coordinator),
            reverse("reports:programme_spread", args=[programme.pk]),
        ),
        **{
            f"open data {fmt}": (
                Client(),
                reverse("reports:programme_open_data", args=[programme.pk, fmt]),
            )
            for fmt in ("csv", "json", "xlsx")
        },
        "network page": (Client(), reverse("comparisons:network")),
    }

    def counts() -> dict[str, int]:
        found = {}
        for name, (client, url) in pages.items():
            client.get(url)  # warm the session
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, name
            found[name] = len(queries)
        return found

    for n in range(2):
        add_review(programme, f"City {n}", codes)
    with_two = counts()
    for n in range(2, 50):
        add_review(programme, f"City {n}", codes)
    assert counts() == with_two
