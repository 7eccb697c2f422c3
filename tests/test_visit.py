"""Step 5 pages: the planner refuses double bookings, warns about coverage, and
produces the timetable, a brief per interview and an .ics file per peer."""

from __future__ import annotations

import pytest
from django.urls import reverse
from icalendar import Calendar

from reviews.models import ConsolidatedEntry, DeskReviewEntry, Membership, Review, VisitSession
from reviews.services import desk_review_for


@pytest.fixture
def visit(review_work, review):
    review.visit_start = "2027-03-01"
    review.visit_end = "2027-03-04"
    review.save()
    return review


def session_data(review, start, peers, **extra):
    data = {
        "kind": "interview",
        "starts_at": start,
        "peers": [p.pk for p in peers],
        "edit_version": 0,
        "location": "City hall",
    }
    data.update(extra)
    return data


def test_team_leader_plans_an_interview_and_double_booking_is_refused(
    client_for, team_leader, peer, visit, make_user
):
    url = reverse("reviews:session_add", args=[visit.pk])
    other = make_user(name="Sophie")
    Membership.objects.create(review=visit, user=other, role="peer")
    response = client_for(team_leader).post(
        url, session_data(visit, "2027-03-02T10:00", [peer, other])
    )
    assert response.status_code == 302
    session = VisitSession.objects.get(starts_at__date="2027-03-02")
    assert session.label == "Interview 2"
    assert (session.ends_at - session.starts_at).seconds == 3600
    clash = client_for(team_leader).post(
        url, session_data(visit, "2027-03-02T10:30", [peer, team_leader])
    )
    assert clash.status_code == 200
    assert "Fatima Peer is already booked from 10:00 to 11:00." in clash.content.decode()
    assert VisitSession.objects.filter(starts_at__date="2027-03-02").count() == 1


def test_interpreter_doubles_the_default_length(client_for, team_leader, peer, visit):
    client_for(team_leader).post(
        reverse("reviews:session_add", args=[visit.pk]),
        session_data(visit, "2027-03-03T09:00", [peer, team_leader], interpreter="on"),
    )
    session = VisitSession.objects.get(starts_at__date="2027-03-03")
    assert (session.ends_at - session.starts_at).seconds == 7200


def test_coverage_warning_disappears_with_a_second_session(client_for, team_leader, peer, visit):
    indicator = visit.benchmark_version.indicators.get(code="AA/X/1")
    visit.visit_sessions.first().indicators.add(indicator)
    planner = reverse("reviews:planner", args=[visit.pk])
    assert (
        "AA/X/1 is covered by 1 session:" in client_for(team_leader).get(planner).content.decode()
    )
    client_for(team_leader).post(
        reverse("reviews:session_add", args=[visit.pk]),
        session_data(visit, "2027-03-02T14:00", [peer, team_leader], indicators=[indicator.pk]),
    )
    assert "AA/X/1 is covered" not in client_for(team_leader).get(planner).content.decode()


def test_people_the_desk_reviews_asked_for_are_flagged_until_scheduled(
    client_for, team_leader, peer, visit, make_user
):
    from reviews.models import ProposedInterviewee

    chair = ProposedInterviewee.objects.create(
        review=visit, name="Council chair", organisation="Council", kind="politician"
    )
    desk = desk_review_for(review=visit, peer=peer)
    entry = DeskReviewEntry.objects.create(
        desk_review=desk, indicator=visit.indicators_in_scope().first()
    )
    entry.meet.add(chair)
    planner = reverse("reviews:planner", args=[visit.pk])
    # A draft desk review is its author's alone: the planner does not read it yet.
    assert (
        "asked to meet Council chair" not in client_for(team_leader).get(planner).content.decode()
    )
    desk.submit()
    # Submitted, but the team leader has not submitted their own: still nothing (step 4).
    assert (
        "asked to meet Council chair" not in client_for(team_leader).get(planner).content.decode()
    )
    desk_review_for(review=visit, peer=team_leader).submit()
    assert "asked to meet Council chair" in client_for(team_leader).get(planner).content.decode()
    visit.visit_sessions.first().interviewees.add(chair)
    assert (
        "asked to meet Council chair" not in client_for(team_leader).get(planner).content.decode()
    )


def test_timetable_grid_has_days_as_columns(client_for, host, visit):
    html = client_for(host).get(reverse("reviews:planner", args=[visit.pk])).content.decode()
    assert html.count('<th scope="col">') >= 5  # time + four days
    assert "Interview 1" in html and "Ayse Demir" in html
    assert "Brief for" not in html  # the host does not get the team's briefs


def test_brief_gathers_hypotheses_and_questions(client_for, peer, team_leader, visit):
    session = visit.visit_sessions.first()
    indicator = visit.benchmark_version.indicators.get(code="AA/X/1")
    session.indicators.add(indicator)
    ConsolidatedEntry.objects.create(
        review=visit, indicator=indicator, hypothesis="Plan exists, impact unclear"
    )
    desk = desk_review_for(review=visit, peer=peer)
    DeskReviewEntry.objects.create(
        desk_review=desk, indicator=indicator, questions="Who monitors it?"
    )
    brief_url = reverse("reviews:brief", args=[visit.pk, session.pk])
    # A draft desk review stays private: the others see its questions once it is submitted,
    # and a peer sees the others' only after submitting their own (step 4's rule).
    assert "Who monitors it?" in client_for(peer).get(brief_url).content.decode()
    assert "Who monitors it?" not in client_for(team_leader).get(brief_url).content.decode()
    desk.submit()
    assert "Who monitors it?" not in client_for(team_leader).get(brief_url).content.decode()
    desk_review_for(review=visit, peer=team_leader).submit()
    assert "Who monitors it?" in client_for(team_leader).get(brief_url).content.decode()
    html = client_for(peer).get(brief_url).content.decode()
    assert (
        "Plan exists, impact unclear" in html
        and "Who monitors it?" in html
        and "Ayse Demir" in html
    )
    pdf = client_for(peer).get(reverse("reports:brief_pdf", args=[visit.pk, session.pk]))
    assert pdf.content.startswith(b"%PDF")


def test_ics_holds_the_peers_sessions(client_for, peer, outsider, visit, make_user):
    other = VisitSession.objects.create(
        review=visit,
        kind="workshop",
        starts_at="2027-03-02T13:00:00Z",
        ends_at="2027-03-02T15:00:00Z",
    )
    other.peers.add(make_user())
    response = client_for(peer).get(reverse("reports:schedule_ics", args=[visit.pk]))
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    assert str(events[0]["summary"]) == "Interview 1: Ayse Demir"
    assert events[0]["dtstart"].dt.isoformat() == "2027-03-01T10:00:00+00:00"


def test_timetable_pdf(client_for, host, visit):
    response = client_for(host).get(reverse("reports:timetable_pdf", args=[visit.pk]))
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("count", [1, 12])
def test_planner_query_count_does_not_grow_with_sessions(
    client_for, team_leader, peer, visit, django_assert_max_num_queries, count
):
    for n in range(count):
        session = VisitSession.objects.create(
            review=visit,
            kind="interview",
            starts_at=f"2027-03-02T{8 + n % 10:02d}:00:00Z",
            ends_at=f"2027-03-02T{8 + n % 10:02d}:30:00Z",
        )
        session.peers.set([peer, team_leader])
        session.indicators.set(visit.indicators_in_scope()[:2])
    client = client_for(team_leader)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("reviews:planner", args=[visit.pk]))
    assert response.status_code == 200


def test_team_leader_sets_visit_days_and_slots(client_for, team_leader, visit):
    url = reverse("reviews:visit_settings", args=[visit.pk])
    bad = client_for(team_leader).post(
        url,
        {
            "visit_start": "2027-03-01",
            "visit_end": "2027-03-02",
            "day_starts": "17:00",
            "day_ends": "09:00",
            "slot_minutes": 5,
            "edit_version": 1,
        },
    )
    html = bad.content.decode()
    assert (
        "The day must end after it starts." in html and "Use a slot of 15 to 240 minutes." in html
    )
    client_for(team_leader).post(
        url,
        {
            "visit_start": "2027-03-01",
            "visit_end": "2027-03-02",
            "day_starts": "08:30",
            "day_ends": "12:30",
            "slot_minutes": 30,
            "edit_version": 1,
        },
    )
    visit.refresh_from_db()
    assert visit.visit_days() == [visit.visit_start, visit.visit_end]
    planner = (
        client_for(team_leader).get(reverse("reviews:planner", args=[visit.pk])).content.decode()
    )
    assert ">08:30<" in planner and ">12:00<" in planner and ">12:30<" not in planner


@pytest.mark.django_db(transaction=True)
def test_two_planners_saving_at_once_cannot_double_book(client_for, team_leader, peer, visit):
    """While one planner's save is open, the other's waits, then sees the clash."""
    import threading
    import time

    from django.db import connection, connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time (IMMEDIATE transactions) anyway")
    locked, release = threading.Event(), threading.Event()

    def first_planner():
        try:
            with transaction.atomic():
                list(Review.objects.select_for_update().filter(pk=visit.pk).values_list("pk"))
                session = VisitSession.objects.create(
                    review=visit,
                    kind="interview",
                    starts_at="2027-03-02T09:00:00Z",
                    ends_at="2027-03-02T10:00:00Z",
                )
                session.peers.set([peer, team_leader])
                locked.set()
                release.wait(5)
        finally:
            connections.close_all()

    thread = threading.Thread(target=first_planner)
    thread.start()
    assert locked.wait(5)
    threading.Timer(0.5, release.set).start()
    started = time.monotonic()
    response = client_for(team_leader).post(
        reverse("reviews:session_add", args=[visit.pk]),
        session_data(visit, "2027-03-02T10:00", [peer, team_leader]),  # local 10:00 = 09:00Z
    )
    thread.join()
    assert time.monotonic() - started >= 0.4  # it waited for the first save
    assert response.status_code == 200
    assert "already" in response.content.decode()
    assert VisitSession.objects.filter(starts_at__date="2027-03-02").count() == 1
