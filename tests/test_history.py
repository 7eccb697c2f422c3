"""Re-reviews and a city's history: the baseline a new review of a city starts from, the
earlier final ratings and commitments beside each indicator, and the city page."""

from __future__ import annotations

import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from benchmarks.services import start_new_draft
from reviews.models import (
    HostResponse,
    IndicatorEvaluation,
    Membership,
    ProgressUpdate,
    ReportVersion,
    Review,
)
from reviews.services import submit_inception_report
from reviews.services.history import final_ratings
from reviews.steps import HOST, PEER, TEAM_LEADER
from tests.conftest import new_benchmark
from tests.test_follow_up import publish_report

TODAY = timezone.localdate()


def level(version, code):
    return version.ratingscales.get(purpose="performance").levels.get(code=code)


@pytest.fixture
def leipzig(make_city):
    return make_city(name="Leipzig", country="Germany")


@pytest.fixture
def people(make_user, make_city, leipzig):
    lyon = make_city(name="Lyon", country="France")
    return {
        "leader": make_user(name="Jan Berg", city=lyon),
        "peer": make_user(name="Sophie Martin", city=lyon),
        "host": make_user(name="Katrin Vogel", city=leipzig),
    }


def reviewed(city, version, people, *, title, ratings: dict, linked=("AA/X/1", "AA/Y/1")):
    """A review of `city` on `version` whose report is published, rated as `ratings` says
    (indicator code -> level code), with two recommendations the city accepted."""
    review = Review.objects.create(
        title=title, host_city=city, benchmark_version=version, current_step=7
    )
    Membership.objects.create(review=review, user=people["leader"], role=TEAM_LEADER)
    Membership.objects.create(review=review, user=people["peer"], role=PEER)
    Membership.objects.create(review=review, user=people["host"], role=HOST, is_host_lead=True)
    for code, rating in ratings.items():
        IndicatorEvaluation.objects.create(
            review=review,
            indicator=version.indicators.get(code=code),
            rating=level(version, rating),
        )
    _report, recs = publish_report(review, by=people["leader"])
    for rec, code in zip(recs, linked, strict=True):
        rec.indicators.set([version.indicators.get(code=code)])
    overdue, done = recs
    HostResponse.objects.create(
        recommendation=overdue,
        decision=HostResponse.ACCEPT,
        owner="Integration office",
        deadline=TODAY - datetime.timedelta(days=10),
        first_actions="A working group.",
    )
    finished = HostResponse.objects.create(
        recommendation=done,
        decision=HostResponse.PARTLY,
        rationale="Only the staff part.",
        owner="Personnel",
        deadline=TODAY - datetime.timedelta(days=5),
        first_actions="Training plan.",
    )
    ProgressUpdate.objects.create(response=finished, checkpoint=1, status=ProgressUpdate.DONE)
    return review


@pytest.fixture
def versions(db):
    """Version 1 of a benchmark and version 2, in which AA/X/1 is reworded and moved to
    number 3 (its lineage stays)."""
    first = new_benchmark(slug="inti", indicators=5)
    draft = start_new_draft(first)
    moved = draft.indicators.get(code="AA/X/1")
    moved.text = "Indicator text 0, reworded"
    moved.number = 3
    moved.save()
    draft.publish(by=None)
    return first, draft


@pytest.fixture
def earlier(leipzig, versions, people):
    return reviewed(
        leipzig,
        versions[0],
        people,
        title="Peer review of Leipzig 2023",
        ratings={"AA/X/1": "below", "AA/Y/1": "above", "BB/X/1": "well_above"},
    )


def open_review(client, city, version, title="Peer review of Leipzig 2026"):
    return client.post(
        reverse("reviews:new"),
        {"title": title, "host_city": city.pk, "benchmark_version": version.pk, "edit_version": 0},
    )


@pytest.fixture
def later(client_for, coordinator, leipzig, versions, earlier, people):
    open_review(client_for(coordinator), leipzig, versions[1])
    review = Review.objects.get(title="Peer review of Leipzig 2026")
    Membership.objects.create(review=review, user=people["peer"], role=PEER)
    Membership.objects.create(review=review, user=people["host"], role=HOST, is_host_lead=True)
    return review


def test_opening_a_new_review_of_a_city_links_its_earlier_review_as_baseline(
    client_for, coordinator, leipzig, versions, earlier
):
    client = client_for(coordinator)
    response = open_review(client, leipzig, versions[1])
    review = Review.objects.get(title="Peer review of Leipzig 2026")
    assert review.baseline == earlier
    page = unescape(client.get(response["Location"]).content.decode())
    assert "“Peer review of Leipzig 2023” is this review's baseline" in page


def test_no_baseline_from_another_city_or_benchmark(
    client_for, coordinator, leipzig, make_city, versions, earlier
):
    client = client_for(coordinator)
    open_review(client, make_city(name="Ghent"), versions[1], title="Peer review of Ghent")
    open_review(client, leipzig, new_benchmark(slug="dive"), title="DIVE review of Leipzig")
    assert Review.objects.get(title="Peer review of Ghent").baseline is None
    assert Review.objects.get(title="DIVE review of Leipzig").baseline is None


def test_a_baseline_must_be_an_earlier_published_review_of_the_same_city(
    client_for, coordinator, later, make_review, versions
):
    stranger = make_review(title="Elsewhere", benchmark_version=versions[0])
    data = {
        "title": later.title,
        "host_city": later.host_city_id,
        "baseline": stranger.pk,
        "edit_version": later.edit_version,
    }
    response = client_for(coordinator).post(reverse("reviews:edit", args=[later.pk]), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    later.refresh_from_db()
    assert later.baseline.title == "Peer review of Leipzig 2023"
    later.baseline = stranger
    with pytest.raises(Exception, match="earlier review of the same city"):
        later.full_clean()


def test_peers_desk_review_shows_the_earlier_rating_and_commitments_without_prefilling(
    client_for, later, people, versions
):
    submit_inception_report(review=later, by=people["host"], reason="Short on time.")
    group = versions[1].groups.get(code="AA")
    response = client_for(people["peer"]).get(
        reverse("reviews:desk_review_group", args=[later.pk, group.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    moved = versions[1].indicators.get(text="Indicator text 0, reworded")
    section = html[html.index(f'id="indicator-{moved.pk}"') :]
    section = section[: section.index('<fieldset class="border rounded', 10)]
    # AA/X/1 became AA/X/3: still matched through its lineage.
    assert "In the earlier review, “Peer review of Leipzig 2023”" in section
    assert "Below the benchmark" in section
    assert "Accept, overdue" in section
    assert " selected>" not in section.split("In the earlier review")[0].replace(
        '<option value="" selected>', ""
    )


def test_the_evaluation_page_shows_the_earlier_rating_and_the_commitment_done(
    client_for, later, people, versions
):
    indicator = versions[1].indicators.get(code="AA/Y/1")
    html = (
        client_for(people["peer"])
        .get(reverse("reviews:evaluation", args=[later.pk, indicator.pk]))
        .content.decode()
    )
    assert "Above the benchmark" in html
    assert "Accept in part, done" in html


def test_a_review_without_baseline_shows_no_earlier_review(client_for, peer, review_work, review):
    indicator = review.indicators_in_scope().first()
    html = (
        client_for(peer)
        .get(reverse("reviews:evaluation", args=[review.pk, indicator.pk]))
        .content.decode()
    )
    assert "In the earlier review" not in html


def test_the_city_page_shows_every_hosted_review_with_final_ratings_and_what_changed(
    client_for, coordinator, leipzig, versions, earlier, people
):
    second = reviewed(
        leipzig,
        versions[1],
        people,
        title="Peer review of Leipzig 2025",
        ratings={"AA/X/3": "above", "AA/Y/1": "above", "BB/X/1": "below"},
        linked=("AA/X/3", "AA/Y/1"),
    )
    Review.objects.create(
        title="Peer review of Leipzig 2027", host_city=leipzig, benchmark_version=versions[1]
    )
    html = client_for(coordinator).get(reverse("city", args=[leipzig.pk])).content.decode()
    assert html.index("Peer review of Leipzig 2023") < html.index(second.title)
    assert "Peer review of Leipzig 2027" in html  # in progress: listed, no ratings yet
    table = html[html.index('class="table table-sm align-middle city-history"') :]
    table = table[: table.index("</table>")]
    assert "Peer review of Leipzig 2027" not in table
    rows = {
        row.split("</span>")[0].split(">")[-1]: row for row in table.split('<th scope="row">')[1:]
    }
    assert set(rows) == {"AA/X/3", "AA/Y/1", "BB/X/1"}  # AA/X/1 of 2023 is AA/X/3 now
    assert "Below the benchmark" in rows["AA/X/3"] and "better" in rows["AA/X/3"]
    assert "unchanged" in rows["AA/Y/1"]
    assert "worse" in rows["BB/X/1"]
    assert "Accept, overdue" in html and "Accept in part, done" in html


def test_people_outside_the_reviews_see_published_reports_only_and_no_commitments(
    client_for, outsider, leipzig, versions, earlier
):
    Review.objects.create(
        title="Peer review of Leipzig 2027", host_city=leipzig, benchmark_version=versions[1]
    )
    html = client_for(outsider).get(reverse("city", args=[leipzig.pk])).content.decode()
    assert "Peer review of Leipzig 2023" in html
    assert "Below the benchmark" in html
    assert "Peer review of Leipzig 2027" not in html
    assert "Accept, overdue" not in html
    assert "shown to the people on the review and to coordinators" in html
    assert reverse("reviews:detail", args=[earlier.pk]) not in html


def test_a_final_rating_is_the_published_one_whatever_is_edited_later(earlier, versions):
    indicator = versions[0].indicators.get(code="AA/X/1")
    IndicatorEvaluation.objects.filter(review=earlier, indicator=indicator).update(
        rating=level(versions[0], "well_above")
    )
    ratings = final_ratings([earlier])[earlier.pk]
    assert ratings[indicator.lineage].label == "Below the benchmark"


def test_a_snapshot_from_before_rating_codes_is_read_by_its_labels(earlier, versions):
    final = ReportVersion.objects.get(report__review=earlier, state=ReportVersion.FINAL)
    for row in final.content["indicators"]:
        row.pop("rating_code")
    ReportVersion.objects.filter(pk=final.pk).update(content=final.content)
    indicator = versions[0].indicators.get(code="BB/X/1")
    rating = final_ratings([earlier])[earlier.pk][indicator.lineage]
    assert (rating.label, rating.score) == ("Well above the benchmark", 3)
