"""Step 6: evidence codes, the two-interview rule, history and restore, attribution in exports."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import Evidence, ProposedInterviewee, VisitSession
from reviews.models.evidence import indicator_statuses


@pytest.fixture
def ready(review_work, review):
    return review


def colour(review, code):
    return review.benchmark_version.ratingscales.get(purpose="evidence").levels.get(code=code)


def session(review, kind, hour, peers, people=()):
    s = VisitSession.objects.create(
        review=review,
        kind=kind,
        starts_at=f"2027-03-02T{hour:02d}:00:00Z",
        ends_at=f"2027-03-02T{hour:02d}:45:00Z",
    )
    s.peers.set(peers)
    s.interviewees.set(people)
    return s


def record(
    review, author, *, source=None, colour_code="meets", basis="fact", code="AA/X/1", **extra
):
    evidence = Evidence.objects.create(
        review=review,
        session=source,
        colour=colour(review, colour_code),
        basis=basis,
        text="x",
        author=author,
        **extra,
    )
    evidence.indicators.set(review.benchmark_version.indicators.filter(code=code))
    if source is not None:
        evidence.interviewers.set(source.peers.all())
    return evidence


def status(review, code="AA/X/1"):
    indicator = review.benchmark_version.indicators.get(code=code)
    return indicator_statuses(review, [indicator])[indicator.pk]


def test_codes_in_the_sources_form(ready, peer, team_leader):
    Evidence.objects.filter(review=ready).delete()
    interview = ready.visit_sessions.get(kind="interview")
    workshop = session(ready, "workshop", 14, [peer])
    assert record(ready, peer, source=interview).codes() == ["AA/X/1 - Interview 1 - FC & JB"]
    assert record(ready, peer, source=workshop).codes() == ["AA/X/1 - Workshop 1 - FC"]
    document = record(ready, peer, document="inception")
    assert document.codes() == ["AA/X/1 - Document 1 - FC"]
    assert record(ready, peer, document="request").codes() == ["AA/X/1 - Document 2 - FC"]


def test_two_interviews_confirm_and_one_interview_twice_does_not(ready, peer, team_leader):
    Evidence.objects.filter(review=ready).delete()
    first = ready.visit_sessions.get(kind="interview")
    record(ready, peer, source=first)
    record(ready, peer, source=first)
    assert status(ready).state == "unconfirmed"
    second = session(ready, "interview", 15, [peer, team_leader])
    record(ready, peer, source=second)
    assert status(ready).state == "confirmed"
    assert [c.code for c in status(ready).confirmed] == ["meets"]


def test_opinions_and_documents_never_confirm(ready, peer, team_leader):
    Evidence.objects.filter(review=ready).delete()
    first = ready.visit_sessions.get(kind="interview")
    second = session(ready, "interview", 15, [peer, team_leader])
    record(ready, peer, source=first, basis="opinion")
    record(ready, peer, source=second)
    record(ready, peer, document="inception")
    assert status(ready).state == "unconfirmed"


def test_contradictions_are_flagged(ready, peer, team_leader):
    Evidence.objects.filter(review=ready).delete()
    sessions = [ready.visit_sessions.get(kind="interview")] + [
        session(ready, "interview", h, [peer, team_leader]) for h in (13, 14, 15)
    ]
    record(ready, peer, source=sessions[0])
    record(ready, peer, source=sessions[1])
    record(ready, peer, source=sessions[2], colour_code="does_not_meet")
    record(ready, peer, source=sessions[3], colour_code="does_not_meet")
    assert status(ready).state == "contradictory"


def test_history_and_restore(client_for, peer, team_leader, ready):
    evidence = ready.evidence.get()
    url = reverse("reviews:evidence_edit", args=[ready.pk, evidence.pk])
    data = {
        "session": evidence.session_id,
        "indicators": [i.pk for i in evidence.indicators.all()],
        "text": "The plan is monitored every quarter.",
        "colour": evidence.colour_id,
        "basis": "fact",
        "edit_version": 1,
    }
    assert client_for(peer).post(url, data).status_code == 302
    client_for(peer).post(reverse("reviews:evidence_delete", args=[ready.pk, evidence.pk]))
    assert not ready.evidence.live().exists()
    history = (
        client_for(team_leader)
        .get(reverse("reviews:evidence_history", args=[ready.pk, evidence.pk]))
        .content.decode()
    )
    assert "The plan is monitored yearly." in history and "every quarter" in history
    assert "Fatima Peer" in history
    assert (
        client_for(peer)
        .post(reverse("reviews:evidence_restore", args=[ready.pk, evidence.pk]))
        .status_code
        == 403
    )
    client_for(team_leader).post(reverse("reviews:evidence_restore", args=[ready.pk, evidence.pk]))
    assert ready.evidence.live().get().text == "The plan is monitored every quarter."


def test_bad_input_and_a_session_of_another_review_are_refused(
    client_for, peer, ready, make_review
):
    url = reverse("reviews:evidence_add", args=[ready.pk])
    response = client_for(peer).post(url, {"text": "Something", "basis": "fact", "edit_version": 0})
    html = response.content.decode()
    assert (
        'href="#div_id_indicators"' in html
        and 'href="#div_id_colour"' in html
        and 'href="#id_session"' in html
    )
    other = make_review()
    foreign = VisitSession.objects.create(
        review=other, kind="interview", starts_at="2027-01-01T10:00Z", ends_at="2027-01-01T11:00Z"
    )
    response = client_for(peer).post(
        url,
        {
            "session": foreign.pk,
            "indicators": [ready.indicators_in_scope().first().pk],
            "text": "x",
            "colour": colour(ready, "meets").pk,
            "basis": "fact",
            "edit_version": 0,
        },
    )
    assert "Select a valid choice" in response.content.decode()
    assert ready.evidence.count() == 1


def test_entry_page_remembers_the_session_and_lists_planned_indicators_first(
    client_for, peer, ready
):
    interview = ready.visit_sessions.get(kind="interview")
    planned = ready.indicators_in_scope().last()
    interview.indicators.add(planned)
    url = reverse("reviews:evidence_add", args=[ready.pk])
    data = {
        "session": interview.pk,
        "indicators": [planned.pk],
        "text": "Two staff members.",
        "colour": colour(ready, "meets").pk,
        "basis": "fact",
        "edit_version": 0,
    }
    response = client_for(peer).post(url, data, follow=True)
    html = response.content.decode()
    assert f"{planned.code} - Interview 1 - FC &amp; JB" in html
    assert "Current session: Interview 1" in html
    assert html.index(f"{planned.code} ") < html.index(
        f"{ready.indicators_in_scope().first().code} "
    )


def test_exports_respect_attribution(client_for, peer, ready, team_leader):
    interview = ready.visit_sessions.get(kind="interview")
    secret = ProposedInterviewee.objects.create(
        review=ready,
        name="Whistle Blower",
        organisation="Staff union",
        kind="staff",
        attribution="off_record",
    )
    anonymous = ProposedInterviewee.objects.create(
        review=ready,
        name="Hidden Name",
        organisation="Youth service",
        kind="partner",
        attribution="anonymised",
    )
    off = session(ready, "interview", 16, [peer, team_leader], [secret])
    anon = session(ready, "interview", 17, [peer, team_leader], [anonymous])
    record(ready, peer, source=off).__class__.objects.filter(session=off).update(
        text="SECRET REMARK"
    )
    record(ready, peer, source=anon)
    response = client_for(peer).get(reverse("reports:evidence_export", args=[ready.pk, "csv"]))
    text = response.content.decode()
    assert "SECRET REMARK" not in text and "Whistle Blower" not in text
    assert "Hidden Name" not in text and "Youth service" in text
    assert "Ayse Demir" in text  # named interviewees may be named
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Code" and len(rows) == 4
    xlsx = client_for(peer).get(reverse("reports:evidence_export", args=[ready.pk, "xlsx"]))
    assert xlsx.content[:2] == b"PK"
    assert interview.pk  # the matrix's own interview is exported too


def test_host_sees_no_evidence(client_for, host, ready):
    assert client_for(host).get(reverse("reviews:evidence", args=[ready.pk])).status_code == 403


def test_filters_and_search(client_for, peer, ready):
    Evidence.objects.filter(review=ready).update(
        is_good_practice=True, text="Language cafés in every library"
    )
    url = reverse("reviews:evidence", args=[ready.pk])
    assert (
        "Language cafés"
        in client_for(peer).get(url, {"q": "cafés", "tag": "good_practice"}).content.decode()
    )
    assert "Language cafés" not in client_for(peer).get(url, {"q": "housing"}).content.decode()
    overview = (
        client_for(peer).get(reverse("reviews:evidence_overview", args=[ready.pk])).content.decode()
    )
    assert "Language cafés in every library" in overview


def test_evaluation_is_recorded(client_for, peer, ready):
    indicator = ready.indicators_in_scope().first()
    level = ready.benchmark_version.ratingscales.get(purpose="performance").levels.first()
    url = reverse("reviews:evaluation", args=[ready.pk, indicator.pk])
    response = client_for(peer).post(
        url,
        {
            "rating": level.pk,
            "justification": "AA/X/1 - Interview 1 - FC & JB",
            "hypothesis_outcome": "refuted",
            "edit_version": 0,
        },
    )
    assert response.status_code == 302
    assert "AA/X/1 - Interview 1" in client_for(peer).get(url).content.decode()


@pytest.mark.parametrize("count", [10, 1000])
def test_overview_and_list_query_counts_do_not_grow_with_entries(
    client_for, peer, ready, django_assert_max_num_queries, count
):
    interview = ready.visit_sessions.get(kind="interview")
    meets = colour(ready, "meets")
    created = Evidence.objects.bulk_create(
        [
            Evidence(
                review=ready, session=interview, colour=meets, text=f"finding {n}", author=peer
            )
            for n in range(count)
        ]
    )
    indicator = ready.indicators_in_scope().first()
    Evidence.indicators.through.objects.bulk_create(
        [Evidence.indicators.through(evidence_id=e.pk, indicator_id=indicator.pk) for e in created]
    )
    client = client_for(peer)
    with django_assert_max_num_queries(12):  # measured: 12 at 10 entries and at 1,000
        assert client.get(reverse("reviews:evidence_overview", args=[ready.pk])).status_code == 200
    with django_assert_max_num_queries(11):  # measured: 11 at 10 entries and at 1,000
        assert (
            client.get(
                reverse("reviews:evidence", args=[ready.pk]), {"q": "nothing-matches"}
            ).status_code
            == 200
        )


def test_a_review_with_evidence_can_still_be_deleted_whole(ready):
    from reviews.models import Review

    ready.delete()
    assert not Review.objects.filter(pk=ready.pk).exists()
    assert not Evidence.objects.exists()


def test_a_session_with_evidence_is_not_removed(client_for, team_leader, ready):
    interview = ready.visit_sessions.get(kind="interview")
    response = client_for(team_leader).post(
        reverse("reviews:session_delete", args=[ready.pk, interview.pk]), follow=True
    )
    assert (
        "1 evidence entry is recorded against Interview 1, so it stays" in response.content.decode()
    )
    assert VisitSession.objects.filter(pk=interview.pk).exists()


def test_overview_draws_the_matrix_as_svg_in_status_colours(client_for, peer, team_leader, ready):
    Evidence.objects.filter(review=ready).delete()
    first = ready.visit_sessions.get(kind="interview")
    record(ready, peer, source=first)
    record(ready, peer, source=session(ready, "interview", 15, [peer, team_leader]))
    html = (
        client_for(peer).get(reverse("reviews:evidence_overview", args=[ready.pk])).content.decode()
    )
    svg = html[html.index("<svg xmlns") : html.index("</svg>")]
    meets = colour(ready, "meets")
    assert f'fill="{meets.colour}"' in svg
    assert f"<title>AA/X/1: {meets.label}</title>" in svg
    assert svg.count("<rect") == ready.indicators_in_scope().count()


def test_the_evidence_list_pages_by_a_hundred(client_for, peer, ready):
    interview = ready.visit_sessions.get(kind="interview")
    meets = colour(ready, "meets")
    created = Evidence.objects.bulk_create(
        [
            Evidence(
                review=ready, session=interview, colour=meets, text=f"finding {n}", author=peer
            )
            for n in range(150)
        ]
    )
    indicator = ready.indicators_in_scope().first()
    Evidence.indicators.through.objects.bulk_create(
        [Evidence.indicators.through(evidence_id=e.pk, indicator_id=indicator.pk) for e in created]
    )
    url = reverse("reviews:evidence", args=[ready.pk])
    first = client_for(peer).get(url, {"q": "finding"}).content.decode()
    assert "150 entries" in first and "Page 1 of 2" in first
    assert "q=finding&amp;page=2" in first
    second = client_for(peer).get(url, {"q": "finding", "page": 2}).content.decode()
    assert second.count("finding ") == 50


@pytest.mark.parametrize(
    ("who", "changes_own", "changes_other"),
    [("peer", True, False), ("team_leader", True, True), ("coordinator", False, False)],
)
def test_the_list_offers_edit_and_delete_only_where_the_viewer_may_change_the_entry(
    client_for, cast, who, changes_own, changes_other, ready
):
    """`own`: the peer's entry; `other`: one the team leader recorded."""
    own = ready.evidence.get()
    other = record(ready, cast["team_leader"], source=ready.visit_sessions.get(kind="interview"))
    client = client_for(cast[who])
    html = client.get(reverse("reviews:evidence", args=[ready.pk])).content.decode()
    for entry, may in ((own, changes_own), (other, changes_other)):
        for name in ("reviews:evidence_edit", "reviews:evidence_delete"):
            target = reverse(name, args=[ready.pk, entry.pk])
            assert (f'href="{target}"' in html) is may, (name, entry.author)
            assert client.get(target).status_code == (200 if may else 403)
        history = reverse("reviews:evidence_history", args=[ready.pk, entry.pk])
        assert f'href="{history}"' in html  # everyone who sees the list reads the history


@pytest.mark.parametrize("count", [10, 150])
def test_deciding_each_entrys_actions_costs_no_query_per_entry(
    client_for, peer, ready, django_assert_max_num_queries, count
):
    interview = ready.visit_sessions.get(kind="interview")
    Evidence.objects.bulk_create(
        [
            Evidence(review=ready, session=interview, colour=colour(ready, "meets"), text="x")
            for _ in range(count)
        ]
    )
    # The peer's own entry first in the list; the others have no author.
    ready.evidence.filter(author=peer).update(created_at=timezone.now() + timedelta(days=1))
    client = client_for(peer)
    with django_assert_max_num_queries(14):  # measured: 14 at 11 and at 100 entries shown
        html = client.get(reverse("reviews:evidence", args=[ready.pk])).content.decode()
    assert html.count(">Edit<") == 1 and html.count(">Delete<") == 1


def test_indicator_choices_are_in_the_readers_language_with_the_english_fallback(ready):
    """The entry form lists each indicator's code and text as the indicator shows it: in
    Dutch where it has a Dutch text, else in English."""
    from django.utils import translation

    from reviews.forms.evidence import EvidenceForm

    untranslated, translated = list(ready.indicators_in_scope())[:2]
    type(untranslated).objects.filter(pk=untranslated.pk).update(text_nl="")
    type(translated).objects.filter(pk=translated.pk).update(text_nl="Een Nederlandse tekst")
    with translation.override("nl"):
        labels = dict(EvidenceForm(review=ready).fields["indicators"].choices)
    assert labels[untranslated.pk] == f"{untranslated.code} {untranslated.text_en[:90]}"
    assert labels[translated.pk] == f"{translated.code} Een Nederlandse tekst"
