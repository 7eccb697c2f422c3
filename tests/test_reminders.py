"""Reminders of due dates: once per person and due date, in their language, never for
someone who turned them off (`manage.py send_reminders`)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reviews.models import (
    DeskReview,
    HostResponse,
    InceptionReport,
    Notification,
    Reminder,
    ReportApproval,
)
from tests.test_follow_up import publish_report

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def run(django_capture_on_commit_callbacks, capsys):
    """`manage.py send_reminders`, with the queued e-mails sent; returns what it printed."""

    def run_command(*args: str) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", *args)
        return capsys.readouterr().out

    return run_command


@pytest.fixture
def inception_due_soon(review, host, peer, team_leader):
    review.inception_due = days(3)
    review.save()
    return review


def test_a_reminder_goes_once_however_often_the_job_runs(inception_due_soon, host, run):
    first = run()
    second = run()
    assert [m.to for m in mail.outbox] == [[host.email]]
    assert "inception report due" in mail.outbox[0].subject
    assert "1 reminder(s) sent; 0 sent before." in first
    assert "0 reminder(s) sent; 1 sent before." in second
    assert Reminder.objects.get().kind == Reminder.INCEPTION_DUE


def test_a_new_due_date_is_a_new_reminder(inception_due_soon, host, run):
    run()
    inception_due_soon.inception_due = days(5)
    inception_due_soon.save()
    run()
    assert len([m for m in mail.outbox if m.to == [host.email]]) == 2


def test_someone_who_turned_reminders_off_gets_none(inception_due_soon, host, run):
    host.wants_reminders = False
    host.save()
    assert "0 reminder(s) sent" in run()
    assert mail.outbox == []
    assert not Notification.objects.filter(user=host).exists()


def test_a_reminder_is_written_in_the_persons_language(inception_due_soon, host, run):
    host.preferred_language = "nl"
    host.save()
    run()
    assert mail.outbox[0].subject.startswith("Herinnering: startrapport")
    assert "Review of Rotterdam" in mail.outbox[0].subject
    notification = Notification.objects.get(user=host)
    assert "startrapport" in notification.text


def test_the_reminder_shows_on_the_dashboard(inception_due_soon, host, run, client_for):
    run()
    page = client_for(host).get(reverse("reviews:dashboard")).content.decode()
    assert "The inception report of Review of Rotterdam is due on" in page


def test_no_reminder_before_the_days_ahead_or_once_submitted(review, host, run, settings):
    settings.REMINDER_DAYS_AHEAD = 7
    review.inception_due = days(8)
    review.save()
    run()
    assert mail.outbox == []
    review.inception_due = days(2)
    review.save()
    InceptionReport.objects.filter(review=review).update(status=InceptionReport.SUBMITTED)
    run()
    assert mail.outbox == []


def test_dry_run_says_what_would_go_and_sends_nothing(inception_due_soon, run):
    out = run("--dry-run")
    assert "1 reminder(s) would be sent" in out
    assert "Inception report due: 1" in out
    assert mail.outbox == []
    assert Reminder.objects.count() == 0


def test_desk_review_reminders_go_to_the_peers_who_have_not_submitted(
    review, peer, team_leader, host, run
):
    review.visit_start = days(4)
    review.save()
    InceptionReport.objects.filter(review=review).update(status=InceptionReport.SUBMITTED)
    DeskReview.objects.create(review=review, peer=team_leader, submitted_at=timezone.now())
    run()
    assert [m.to for m in mail.outbox] == [[peer.email]]
    assert "desk review due" in mail.outbox[0].subject


def test_a_version_waiting_too_long_reminds_the_peers_who_have_not_approved(
    report_draft, review, peer, team_leader, host, run, settings
):
    settings.REMINDER_APPROVAL_DAYS = 7
    version = report_draft.versions.get()
    ReportApproval.objects.create(version=version, peer=team_leader, approves=True)
    run()
    assert not [m for m in mail.outbox if "approval" in m.subject]  # frozen today
    type(version).objects.filter(pk=version.pk).update(
        frozen_at=timezone.now() - datetime.timedelta(days=8)
    )
    run()
    assert [m.to for m in mail.outbox if "approval" in m.subject] == [[peer.email]]


def test_the_host_is_reminded_before_the_factual_round_closes(
    report_draft, review, host, run, settings
):
    settings.REMINDER_DAYS_AHEAD = 7
    settings.FACTUAL_ROUND_DAYS = 14
    run()
    assert not [m for m in mail.outbox if "factual" in m.subject]  # closes in 14 days
    opened = timezone.now() - datetime.timedelta(days=10)
    type(report_draft).objects.filter(pk=report_draft.pk).update(factual_round_opened_at=opened)
    run()
    reminded = [m for m in mail.outbox if "factual-accuracy round closes" in m.subject]
    assert [m.to for m in reminded] == [[host.email]]


def test_the_host_is_reminded_of_actions_and_of_progress_updates_before_and_after_checkpoints(
    review_work, review, host, team_leader, peer, run
):
    report, (first, second) = publish_report(
        review, by=team_leader, published_at=timezone.now() - datetime.timedelta(days=200)
    )
    report.first_checkpoint, report.second_checkpoint = days(-2), days(3)
    report.save(update_fields=["first_checkpoint", "second_checkpoint"])
    for recommendation, deadline in ((first, days(5)), (second, days(60))):
        HostResponse.objects.create(
            recommendation=recommendation,
            decision=HostResponse.ACCEPT,
            owner="Integration office",
            deadline=deadline,
            first_actions="Start the board.",
        )
    run()
    to_host = sorted(m.subject for m in mail.outbox if m.to == [host.email])
    assert len(to_host) == 3
    assert any("committed actions due" in s for s in to_host)
    assert any("progress update due" in s for s in to_host)
    assert any("progress update late" in s for s in to_host)
    assert {r.kind for r in Reminder.objects.filter(user=host)} == {
        Reminder.ACTIONS_DUE,
        Reminder.UPDATE_DUE,
        Reminder.UPDATE_LATE,
    }
    assert not [m for m in mail.outbox if m.to != [host.email]]


def test_a_person_turns_reminders_off_on_their_profile(client_for, host):
    response = client_for(host).post(
        reverse("profile"),
        {"name": host.name, "initials": "AH", "city_role": "", "preferred_language": "en"},
    )
    assert response.status_code == 302
    host.refresh_from_db()
    assert host.wants_reminders is False
