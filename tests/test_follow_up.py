"""Step 7 after publication: the host city's response, the action plan, progress updates,
the checkpoint dates and the coordinators' commitments dashboard."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from reviews.models import (
    HostResponse,
    Notification,
    ProgressUpdate,
    Recommendation,
    ReportApproval,
)
from reviews.models.conclusions import team_of
from reviews.models.feedback_report import add_months
from reviews.services.feedback_report import ensure_report
from reviews.services.report_content import build_content
from reviews.steps import HOST, TEAM_LEADER

TODAY = timezone.localdate()
NEXT_YEAR = TODAY + datetime.timedelta(days=365)
LAST_MONTH = TODAY - datetime.timedelta(days=30)


def publish_report(review, *, by, recommendations: int = 2, published_at=None):
    """A final, published report with `recommendations` rows in its first section."""
    report = ensure_report(review)
    section = report.sections.first()
    recs = [
        Recommendation.objects.create(
            section=section,
            text=f"Set up a monitoring board for integration, step {n + 1}.",
            priority=Recommendation.HIGH,
            timeframe="12m",
            actor="Integration department",
            measure="A yearly monitoring report",
        )
        for n in range(recommendations)
    ]
    version = report.freeze(by=by, content=build_content(review))
    for person in team_of(review):
        ReportApproval.objects.create(version=version, peer=person, approves=True)
    report.factual_round_opened_at = report.factual_round_closed_at = timezone.now()
    report.save(update_fields=["factual_round_opened_at", "factual_round_closed_at"])
    report.make_final(by=by)
    report.published_at = published_at or timezone.now()
    report.save(update_fields=["published_at"])
    return report, recs


@pytest.fixture
def published(review_work, review, team_leader):
    report, recs = publish_report(review, by=team_leader)
    return {"report": report, "recs": recs}


def accept(rec, *, owner="Alderman for integration", deadline=NEXT_YEAR, **fields):
    return HostResponse.objects.create(
        recommendation=rec,
        decision=fields.pop("decision", HostResponse.ACCEPT),
        owner=owner,
        deadline=deadline,
        first_actions=fields.pop("first_actions", "Appoint a project lead."),
        **fields,
    )


def answer(client, review, rec, **data):
    data.setdefault("edit_version", 0)
    return client.post(reverse("reviews:response_edit", args=[review.pk, rec.pk]), data)


ACCEPTED = {
    "decision": "accept",
    "owner": "Mrs. De Vries, head of integration",
    "deadline": NEXT_YEAR.isoformat(),
    "first_actions": "Hire a data analyst.",
}


# --- the host city's response ------------------------------------------------------------


def test_host_accepts_and_the_commitment_appears_in_the_action_plan(
    client_for, host, peer, review, published
):
    rec = published["recs"][0]
    client = client_for(host)
    page = client.get(reverse("reviews:responses", args=[review.pk])).content.decode()
    assert rec.text in page and "not answered yet" in page

    response = answer(client, review, rec, **ACCEPTED)
    assert response.status_code == 302
    saved = HostResponse.objects.get(recommendation=rec)
    assert (saved.owner, saved.deadline, saved.responded_by) == (
        "Mrs. De Vries, head of integration",
        NEXT_YEAR,
        host,
    )
    plan = client_for(peer).get(reverse("reviews:action_plan", args=[review.pk])).content.decode()
    assert "Mrs. De Vries, head of integration" in plan
    assert "Hire a data analyst." in plan


def test_accepting_without_an_owner_shows_the_error_at_the_field_and_saves_nothing(
    client_for, host, review, published
):
    response = answer(client_for(host), review, published["recs"][0], **{**ACCEPTED, "owner": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert 'id="error_1_id_owner"' in html  # crispy's message right under the owner field
    assert "Name who carries it out." in html
    assert not HostResponse.objects.exists()


def test_declining_needs_a_rationale(client_for, host, review, published):
    rec = published["recs"][0]
    client = client_for(host)
    html = answer(client, review, rec, decision="decline").content.decode()
    assert "Explain why the city does not accept it in full." in html
    assert not HostResponse.objects.exists()

    answer(client, review, rec, decision="decline", rationale="The region is responsible.")
    assert HostResponse.objects.get().decision == HostResponse.DECLINE


def test_a_stale_edit_gets_the_conflict_page_and_overwrites_nothing(
    client_for, host, review, published
):
    rec = published["recs"][0]
    saved = accept(rec, owner="First owner")  # edit_version 1
    HostResponse.objects.filter(pk=saved.pk).update(edit_version=2)  # someone saved meanwhile
    response = answer(client_for(host), review, rec, **{**ACCEPTED, "edit_version": 1})
    assert response.status_code == 409
    assert "Someone else saved this while you were editing" in response.content.decode()
    saved.refresh_from_db()
    assert saved.owner == "First owner"


def test_a_first_answer_racing_another_gets_the_conflict_page(client_for, host, review, published):
    rec = published["recs"][0]
    url = reverse("reviews:response_edit", args=[review.pk, rec.pk])
    client = client_for(host)
    client.get(url)
    accept(rec, owner="Saved first")  # another host member answers in between
    # The form was opened when no answer existed: it carries edit_version 0.
    response = answer(client, review, rec, **ACCEPTED)
    assert response.status_code == 409
    assert HostResponse.objects.get().owner == "Saved first"


def test_coordinators_hear_when_every_recommendation_is_answered(
    client_for, host, review, published, review_coordinator, django_capture_on_commit_callbacks
):
    first, second = published["recs"]
    client = client_for(host)
    with django_capture_on_commit_callbacks(execute=True):
        answer(client, review, first, **ACCEPTED)
    assert not Notification.objects.filter(user=review_coordinator).exists()
    with django_capture_on_commit_callbacks(execute=True):
        answer(client, review, second, decision="decline", rationale="Not our remit.")
    note = Notification.objects.get(user=review_coordinator)
    assert note.url == reverse("reviews:action_plan", args=[review.pk])


# --- the action plan ---------------------------------------------------------------------


def test_declined_recommendations_are_listed_apart_with_their_rationale(
    client_for, coordinator, review, published
):
    first, second = published["recs"]
    accept(first)
    HostResponse.objects.create(
        recommendation=second, decision=HostResponse.DECLINE, rationale="The region decides."
    )
    html = (
        client_for(coordinator)
        .get(reverse("reviews:action_plan", args=[review.pk]))
        .content.decode()
    )
    committed, declined = html.split('<h2 class="h4 mt-4">Declined</h2>')
    assert first.text in committed and second.text not in committed
    assert second.text in declined and "The region decides." in declined


def test_a_progress_update_shows_in_the_plan_and_on_the_dashboard(
    client_for, host, coordinator, review, published
):
    response = accept(published["recs"][0])
    url = reverse("reviews:progress_edit", args=[review.pk, response.pk, 1])
    result = client_for(host).post(
        url, {"status": "on_track", "note": "Analyst hired in May.", "edit_version": 0}
    )
    assert result.status_code == 302
    assert ProgressUpdate.objects.get().reported_by == host

    plan = (
        client_for(coordinator)
        .get(reverse("reviews:action_plan", args=[review.pk]))
        .content.decode()
    )
    assert "On track" in plan and "Analyst hired in May." in plan
    dashboard = client_for(coordinator).get(reverse("reviews:commitments")).content.decode()
    assert "Update 1" in dashboard and "1 in" in dashboard


def test_a_stale_progress_update_gets_the_conflict_page(client_for, host, review, published):
    response = accept(published["recs"][0])
    update = ProgressUpdate.objects.create(response=response, checkpoint=1, status="on_track")
    ProgressUpdate.objects.filter(pk=update.pk).update(edit_version=2, note="Saved meanwhile")
    result = client_for(host).post(
        reverse("reviews:progress_edit", args=[review.pk, response.pk, 1]),
        {"status": "done", "note": "Mine", "edit_version": 1},
    )
    assert result.status_code == 409
    update.refresh_from_db()
    assert (update.status, update.note) == ("on_track", "Saved meanwhile")


def test_progress_is_only_for_commitments_and_two_checkpoints(client_for, host, review, published):
    first, second = published["recs"]
    committed = accept(first)
    declined = HostResponse.objects.create(
        recommendation=second, decision=HostResponse.DECLINE, rationale="No."
    )
    client = client_for(host)
    assert (
        client.get(reverse("reviews:progress_edit", args=[review.pk, committed.pk, 3])).status_code
        == 404
    )
    assert (
        client.get(reverse("reviews:progress_edit", args=[review.pk, declined.pk, 1])).status_code
        == 404
    )


def test_an_overdue_action_is_flagged_on_the_plan_and_the_dashboard(
    client_for, host, coordinator, review, published
):
    late, done = published["recs"]
    accept(late, deadline=LAST_MONTH)
    finished = accept(done, deadline=LAST_MONTH)
    ProgressUpdate.objects.create(response=finished, checkpoint=1, status=ProgressUpdate.DONE)

    plan = client_for(host).get(reverse("reviews:action_plan", args=[review.pk])).content.decode()
    assert "1 action is overdue." in plan
    assert plan.count('<tr class="table-danger">') == 1
    dashboard = client_for(coordinator).get(reverse("reviews:commitments")).content.decode()
    assert "1 overdue" in dashboard


def test_the_dashboard_counts_answers_and_missing_updates(
    client_for, coordinator, review, published, make_review
):
    report = published["report"]
    first, second = published["recs"]
    accept(first)
    HostResponse.objects.create(
        recommendation=second,
        decision=HostResponse.PARTLY,
        rationale="Half",
        owner="X",
        deadline=NEXT_YEAR,
        first_actions="Start",
    )
    report.first_checkpoint = LAST_MONTH
    report.second_checkpoint = NEXT_YEAR
    report.save(update_fields=["first_checkpoint", "second_checkpoint"])
    make_review(title="Not published yet")
    response = client_for(coordinator).get(reverse("reviews:commitments"))
    table = response.context["table"]
    assert len(table) == 1
    line = table[0]
    assert (line.accepted, line.partly, line.declined, line.unanswered) == (1, 1, 0, 0)
    assert line.checkpoints[0][2:] == (0, 0, 2)  # update 1: none in, none due, 2 missing
    assert line.checkpoints[1][2:] == (0, 0, 0)
    assert "2 missing" in response.content.decode()


def test_the_spreadsheet_holds_each_recommendation_decision_and_owner(
    client_for, peer, review, published
):
    first, second = published["recs"]
    accept(first, owner="Mrs. De Vries")
    response = client_for(peer).get(reverse("reports:action_plan_xlsx", args=[review.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:8] == (
        "No.",
        "Section",
        "Recommendation",
        "Priority",
        "Decision",
        "Rationale",
        "Owner",
        "Deadline",
    )
    assert [r[0] for r in rows[1:]] == [first.number, second.number]
    assert rows[1][2] == first.text and rows[1][4] == "Accept" and rows[1][6] == "Mrs. De Vries"
    assert rows[1][7].date() == NEXT_YEAR
    assert rows[2][2] == second.text and rows[2][4] == "Not answered yet"


def test_the_pdf_renders_with_the_owners(client_for, host, review, published):
    first, second = published["recs"]
    accept(first, owner="Mrs. De Vries")
    accept(second, owner="Mr. Jansen")
    response = client_for(host).get(reverse("reports:action_plan_pdf", args=[review.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Mrs. De Vries" in text and "Mr. Jansen" in text


# --- checkpoints -------------------------------------------------------------------------


def test_checkpoints_default_to_six_and_twelve_months_and_coordinators_move_them(
    client_for, coordinator, review, published
):
    report = published["report"]
    published_on = timezone.localdate(report.published_at)
    url = reverse("reviews:checkpoints", args=[review.pk])
    client = client_for(coordinator)
    six, twelve = add_months(published_on, 6), add_months(published_on, 12)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{six.isoformat()}"' in html and f'value="{twelve.isoformat()}"' in html
    report.refresh_from_db()
    # Shown, not stored: reading the form writes nothing (the defaults apply all the same).
    assert (report.first_checkpoint, report.second_checkpoint) == (None, None)

    first = six.isoformat()
    html = client.post(
        url, {"first_checkpoint": first, "second_checkpoint": first, "edit_version": 1}
    ).content.decode()
    assert "The second update comes after the first one." in html
    later = (twelve + datetime.timedelta(days=30)).isoformat()
    response = client.post(
        url, {"first_checkpoint": first, "second_checkpoint": later, "edit_version": 1}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.second_checkpoint.isoformat() == later
    stale = client.post(
        url, {"first_checkpoint": first, "second_checkpoint": first, "edit_version": 1}
    )
    assert stale.status_code == 200  # the form error comes first; then a stale version:
    stale = client.post(
        url, {"first_checkpoint": first, "second_checkpoint": later, "edit_version": 1}
    )
    assert stale.status_code == 409


def test_add_months_keeps_the_day_within_the_month():
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 1, 15), 12) == datetime.date(2027, 1, 15)


# --- who may open what -------------------------------------------------------------------

LOGIN = "login"
ROLES = ("anonymous", "outsider", "host", "peer", "team_leader", "coordinator")
# Answers per role, in the order of ROLES, once the report is published.
PUBLISHED = {
    "reviews:responses": (LOGIN, 404, 200, 403, 403, 403),
    "reviews:response_edit": (LOGIN, 404, 200, 403, 403, 403),
    "reviews:action_plan": (LOGIN, 404, 200, 200, 200, 200),
    "reports:action_plan_pdf": (LOGIN, 404, 200, 200, 200, 200),
    "reports:action_plan_xlsx": (LOGIN, 404, 200, 200, 200, 200),
    "reviews:progress_edit": (LOGIN, 404, 200, 403, 403, 403),
    "reviews:checkpoints": (LOGIN, 404, 403, 403, 403, 200),
    "reviews:commitments": (LOGIN, 403, 403, 403, 403, 200),
}
# Before publication nobody in the review may open them; the dashboard is unaffected.
UNPUBLISHED = {
    name: (LOGIN, 404, 403, 403, 403, 403) for name in PUBLISHED if name != "reviews:commitments"
} | {"reviews:commitments": PUBLISHED["reviews:commitments"]}
CASES = [
    (state, name, role, answers[i])
    for state, table in (("published", PUBLISHED), ("unpublished", UNPUBLISHED))
    for name, answers in table.items()
    for i, role in enumerate(ROLES)
]


def _url(name, review, rec, response) -> str:
    args = {
        "reviews:commitments": [],
        "reviews:response_edit": [review.pk, rec.pk],
        "reviews:progress_edit": [review.pk, response.pk, 1],
    }.get(name, [review.pk])
    return reverse(name, args=args)


@pytest.mark.parametrize(
    ("state", "name", "role", "expected"),
    CASES,
    ids=[f"{state}-{name.split(':')[1]}-{role}" for state, name, role, _ in CASES],
)
def test_access(state, name, role, expected, cast, client_for, review, published, monkeypatch):
    if name == "reports:action_plan_pdf":  # rendering is tested above; here only who gets in
        monkeypatch.setattr("reports.pdf.render_pdf", lambda html: b"%PDF-1.7 stub")
    rec = published["recs"][0]
    response = accept(rec)
    if state == "unpublished":
        report = published["report"]
        report.published_at = None
        report.save(update_fields=["published_at"])
    result = client_for(cast[role]).get(_url(name, review, rec, response))
    if expected == LOGIN:
        assert result.status_code == 302
        assert result["Location"].startswith(reverse("login"))
    else:
        assert result.status_code == expected


def test_a_recommendation_of_another_review_is_not_found(
    client_for, host, review, published, make_review, team_leader
):
    other = make_review(benchmark_version=review.benchmark_version)
    other.memberships.create(user=team_leader, role=TEAM_LEADER)
    _report, (foreign,) = publish_report(other, by=team_leader, recommendations=1)
    url = reverse("reviews:response_edit", args=[review.pk, foreign.pk])
    assert client_for(host).get(url).status_code == 404


# --- query budgets -----------------------------------------------------------------------


@pytest.mark.parametrize("answered", [1, 6])
def test_the_action_plan_takes_a_fixed_number_of_queries(
    answered, client_for, host, review, review_work, team_leader, django_assert_max_num_queries
):
    _report, recs = publish_report(review, by=team_leader, recommendations=answered)
    for rec in recs:
        ProgressUpdate.objects.create(response=accept(rec), checkpoint=1, status="on_track")
    client = client_for(host)
    url = reverse("reviews:action_plan", args=[review.pk])
    client.get(url)  # the first view stores the default checkpoint dates
    with django_assert_max_num_queries(8):  # measured: 8 at 1 recommendation and at 6
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("reviews", [1, 5])
def test_the_dashboard_takes_a_fixed_number_of_queries(
    reviews,
    client_for,
    coordinator,
    make_review,
    make_benchmark,
    make_user,
    django_assert_max_num_queries,
):
    version = make_benchmark(slug="dash", indicators=4)
    leader = make_user()
    for _ in range(reviews):
        review = make_review(benchmark_version=version)
        review.memberships.create(user=leader, role=TEAM_LEADER)
        review.memberships.create(user=make_user(), role=HOST)
        _report, recs = publish_report(review, by=leader, recommendations=3)
        ProgressUpdate.objects.create(response=accept(recs[0]), checkpoint=1, status="delayed")
        accept(recs[1], deadline=LAST_MONTH)
    client = client_for(coordinator)
    with django_assert_max_num_queries(5):  # measured: 5 at 1 review and at 5
        response = client.get(reverse("reviews:commitments"))
    assert len(response.context["table"]) == reviews
    assert all(line.overdue == 1 and line.unanswered == 1 for line in response.context["table"])
