"""Dates people type: the impossible is refused at its field, the odd is flagged next to its
field and saved once the person ticks "Save anyway" (core.dates)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import HostResponse, Review, TrainingSession, VisitSession
from tests.test_follow_up import publish_report

TODAY = timezone.localdate()
NEXT_MONTH = TODAY + datetime.timedelta(days=30)


def review_data(review, **fields) -> dict:
    data = {
        "title": review.title,
        "host_city": review.host_city_id,
        "edit_version": review.edit_version,
    }
    for name in ("training_date", "inception_due", "visit_start", "visit_end", "report_due"):
        value = getattr(review, name)
        data[name] = value.isoformat() if value else ""
    return {**data, **fields}


@pytest.fixture
def versioned(review, make_benchmark):
    review.benchmark_version = make_benchmark()
    review.save()
    return review


def test_a_report_due_before_the_visit_is_refused_at_its_field(client_for, coordinator, versioned):
    response = client_for(coordinator).post(
        reverse("reviews:edit", args=[versioned.pk]),
        review_data(
            versioned,
            visit_start="2027-03-01",
            visit_end="2027-03-04",
            report_due="2027-02-01",
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_report_due"' in html
    assert "The report is written after the visit" in html
    versioned.refresh_from_db()
    assert versioned.report_due is None


def test_a_deadline_before_the_review_opened_is_refused(client_for, coordinator, versioned):
    response = client_for(coordinator).post(
        reverse("reviews:edit", args=[versioned.pk]),
        review_data(versioned, inception_due="2001-01-01"),
    )
    assert 'href="#id_inception_due"' in response.content.decode()
    assert "A deadline cannot fall before the review opened" in response.content.decode()
    assert Review.objects.get(pk=versioned.pk).inception_due is None


def test_a_training_date_in_the_past_is_flagged_next_to_the_field_and_saved_when_confirmed(
    client_for, coordinator, review, peer
):
    client = client_for(coordinator)
    url = reverse("reviews:training_add", args=[review.pk])
    data = {"date": "2020-05-01", "place": "Brussels", "attendees": [peer.pk], "edit_version": 1}
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    helptext = html[html.index('id="id_date_helptext"') :][:300]
    assert "This date is in the past." in helptext
    assert 'name="save_anyway"' in html
    assert 'value="Brussels"' in html  # what was typed is kept
    assert not TrainingSession.objects.exists()
    response = client.post(url, {**data, "save_anyway": "on"})
    assert response.status_code == 302
    assert TrainingSession.objects.get().date == datetime.date(2020, 5, 1)


def test_an_unchanged_past_date_does_not_ask_again(client_for, coordinator, versioned):
    versioned.training_date = datetime.date(2020, 5, 1)
    versioned.save()
    response = client_for(coordinator).post(
        reverse("reviews:edit", args=[versioned.pk]), review_data(versioned, title="Renamed")
    )
    assert response.status_code == 302
    assert Review.objects.get(pk=versioned.pk).title == "Renamed"


def test_a_workshop_before_the_review_opened_is_flagged(client_for, team_leader, peer, review):
    response = client_for(team_leader).post(
        reverse("reviews:session_add", args=[review.pk]),
        {
            "kind": "workshop",
            "starts_at": "2019-05-01T10:00",
            "peers": [peer.pk, team_leader.pk],
            "edit_version": 0,
        },
    )
    html = response.content.decode()
    helptext = html[html.index('id="id_starts_at_helptext"') :][:300]
    assert "This is before the review opened" in helptext
    assert 'name="save_anyway"' in html
    assert not VisitSession.objects.exists()


def test_a_session_outside_the_visit_days_is_flagged(client_for, team_leader, peer, review):
    review.visit_start, review.visit_end = NEXT_MONTH, NEXT_MONTH + datetime.timedelta(days=3)
    review.save()
    later = NEXT_MONTH + datetime.timedelta(days=10)
    data = {
        "kind": "interview",
        "starts_at": f"{later.isoformat()}T10:00",
        "peers": [peer.pk, team_leader.pk],
        "edit_version": 0,
    }
    url = reverse("reviews:session_add", args=[review.pk])
    response = client_for(team_leader).post(url, data)
    assert "This is outside the visit days" in response.content.decode()
    assert not VisitSession.objects.exists()
    assert client_for(team_leader).post(url, {**data, "save_anyway": "on"}).status_code == 302


def test_visit_days_in_the_past_are_flagged(client_for, team_leader, review):
    url = reverse("reviews:visit_settings", args=[review.pk])
    data = {
        "visit_start": "2020-03-01",
        "visit_end": "2020-03-04",
        "day_starts": "09:00",
        "day_ends": "18:00",
        "slot_minutes": 60,
        "edit_version": review.edit_version,
    }
    response = client_for(team_leader).post(url, data)
    assert "This date is in the past." in response.content.decode()
    review.refresh_from_db()
    assert review.visit_start is None


@pytest.fixture
def published(review_work, review, team_leader):
    _report, recs = publish_report(review, by=team_leader)
    return recs


def test_a_commitment_deadline_before_the_report_was_published_is_refused(
    client_for, host, review, published
):
    response = client_for(host).post(
        reverse("reviews:response_edit", args=[review.pk, published[0].pk]),
        {
            "decision": "accept",
            "owner": "Integration office",
            "deadline": "2001-01-01",
            "first_actions": "Hire an analyst.",
            "edit_version": 0,
        },
    )
    assert 'href="#id_deadline"' in response.content.decode()
    assert "cannot be due before it was published" in response.content.decode()
    assert not HostResponse.objects.exists()


def test_a_checkpoint_before_publication_is_refused(client_for, coordinator, review, published):
    report = review.feedback_report
    response = client_for(coordinator).post(
        reverse("reviews:checkpoints", args=[review.pk]),
        {
            "first_checkpoint": "2001-01-01",
            "second_checkpoint": (TODAY + datetime.timedelta(days=400)).isoformat(),
            "edit_version": report.edit_version,
        },
    )
    assert 'href="#id_first_checkpoint"' in response.content.decode()
    report.refresh_from_db()
    assert report.first_checkpoint != datetime.date(2001, 1, 1)


def test_a_presentation_before_the_visit_is_refused(client_for, team_leader, review, published):
    review.visit_start, review.visit_end = TODAY, TODAY + datetime.timedelta(days=3)
    review.save()
    report = review.feedback_report
    response = client_for(team_leader).post(
        reverse("reviews:report_presentation", args=[review.pk]),
        {
            "presented_on": (TODAY - datetime.timedelta(days=5)).isoformat(),
            "presentation_audience": "City staff",
            "edit_version": report.edit_version,
        },
    )
    assert 'href="#id_presented_on"' in response.content.decode()
    report.refresh_from_db()
    assert report.presented_on is None
