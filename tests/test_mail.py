"""E-mail delivery: queued in the request, sent by a task, retried, watched by coordinators.

These run in-process on the immediate backend (the test settings) or on the database
queue without a worker; tests/test_workers.py runs real `db_worker` processes.
"""

from __future__ import annotations

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mail.delivery import SENT, SKIPPED, queue_email, send_delivery
from mail.models import Delivery
from reviews.models import InceptionReport, Notification
from reviews.services.notifications import notify_after_commit
from tests.test_inception import submit_anyway

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def ready(review_work, review):
    return review


@pytest.fixture
def smtp_down(settings, monkeypatch):
    """The SMTP backend, with a mail server that refuses every connection."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(smtplib, "SMTP", refuse)
    return calls


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE


def test_a_request_neither_waits_for_nor_fails_on_a_mail_server_that_is_down(
    client_for,
    host,
    peer,
    team_leader,
    ready,
    smtp_down,
    database_queue,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit_anyway(client_for(host), ready)
    assert response.status_code == 302
    assert InceptionReport.objects.get(review=ready).is_submitted
    assert smtp_down == []  # the request never spoke to the mail server
    queued = Delivery.objects.filter(status=Delivery.QUEUED)
    assert sorted(queued.values_list("to", flat=True)) == sorted([peer.email, team_leader.email])
    tasks = DBTaskResult.objects.filter(task_path="mail.delivery.deliver", status="READY")
    assert sorted(t.args_kwargs["args"][0] for t in tasks) == sorted(d.pk for d in queued)


def test_a_failed_attempt_keeps_the_email_queued_with_its_error(
    client_for, host, ready, peer, team_leader, smtp_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit_anyway(client_for(host), ready)
    assert response.status_code == 302
    assert InceptionReport.objects.get(review=ready).is_submitted
    delivery = Delivery.objects.get(to=peer.email)
    assert (delivery.status, delivery.attempts) == (Delivery.QUEUED, 1)
    assert "ConnectionRefusedError" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now()


def test_failed_attempts_wait_longer_each_time_then_the_email_is_marked_failed(
    settings, smtp_down, peer
):
    settings.EMAIL_MAX_ATTEMPTS = 3
    settings.EMAIL_RETRY_SECONDS = 60
    delivery = Delivery.objects.create(to=peer.email, subject="S", body="B")
    pauses = []
    for _attempt in range(3):
        before = timezone.now()
        send_delivery(delivery.pk)
        delivery.refresh_from_db()
        if delivery.next_attempt_at:
            pauses.append(round((delivery.next_attempt_at - before).total_seconds()))
            Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
    assert pauses == [60, 120]
    assert (delivery.status, delivery.attempts) == (Delivery.FAILED, 3)
    assert len(smtp_down) == 3


def test_an_email_is_sent_once_however_many_tasks_ask_for_it(peer):
    delivery = Delivery.objects.create(to=peer.email, subject="Once", body="Only once.")
    assert send_delivery(delivery.pk) == SENT
    assert send_delivery(delivery.pk) == SKIPPED
    assert [m.subject for m in mail.outbox] == ["Once"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.SENT, 1)
    assert delivery.sent_at is not None


IMMEDIATE = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}


@pytest.mark.parametrize("tasks", [IMMEDIATE, DATABASE_QUEUE], ids=["immediate", "database"])
def test_a_rolled_back_change_queues_no_task_and_sends_nothing(
    tasks, settings, review, peer, django_capture_on_commit_callbacks
):
    """Immediate: the task would run (and send) at once without `on_commit`. Database: the
    queue row itself is rolled back; with Redis (RQ) only `on_commit` keeps it out."""
    settings.TASKS = tasks
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify_after_commit(review=review, users=[peer], url="/", text="Changed", subject="Changed")
        queue_email(to=peer.email, subject="Direct", body="Direct")
        raise RuntimeError("the change fails after asking for mail")
    assert callbacks == []
    assert DBTaskResult.objects.count() == 0
    assert Delivery.objects.count() == 0
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_a_committed_change_queues_one_task_per_email(
    review, peer, database_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        queue_email(to=peer.email, subject="Direct", body="Direct")
    assert DBTaskResult.objects.filter(task_path="mail.delivery.deliver").count() == 1
    assert mail.outbox == []  # the database queue waits for a worker


def test_coordinator_sees_a_failed_email_and_sends_it_again(
    client_for, coordinator, peer, django_capture_on_commit_callbacks
):
    failed = Delivery.objects.create(
        to=peer.email,
        subject="Lost report",
        body="B",
        status=Delivery.FAILED,
        attempts=8,
        last_error="SMTPServerDisconnected: gone",
    )
    client = client_for(coordinator)
    page = client.get(reverse("mail:deliveries")).content.decode()
    assert "Lost report" in page
    assert "SMTPServerDisconnected: gone" in page
    url = reverse("mail:send_again", args=[failed.pk])
    assert "Send this e-mail again?" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (Delivery.SENT, 1)
    assert [m.subject for m in mail.outbox] == ["Lost report"]


def test_an_email_that_is_not_failed_cannot_be_sent_again(client_for, coordinator, peer):
    sent = Delivery.objects.create(to=peer.email, subject="Fine", body="B", status=Delivery.SENT)
    response = client_for(coordinator).post(reverse("mail:send_again", args=[sent.pk]))
    assert response.status_code == 200
    assert "This cannot be done now" in response.content.decode()
    assert mail.outbox == []


def test_retry_mail_enqueues_the_queued_emails_whose_pause_is_over(
    peer, capsys, django_capture_on_commit_callbacks
):
    due = Delivery.objects.create(
        to=peer.email,
        subject="Due",
        body="B",
        attempts=1,
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    Delivery.objects.create(
        to=peer.email,
        subject="Later",
        body="B",
        attempts=1,
        next_attempt_at=timezone.now() + datetime.timedelta(hours=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("retry_mail")
    assert "1 queued e-mail(s) enqueued" in capsys.readouterr().out
    assert [m.subject for m in mail.outbox] == ["Due"]
    due.refresh_from_db()
    assert due.status == Delivery.SENT


def test_an_email_whose_worker_died_while_sending_is_offered_again_with_a_warning(
    client_for, coordinator, peer, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - datetime.timedelta(minutes=20)
    stuck = Delivery.objects.create(
        to=peer.email, subject="Stuck", body="B", status=Delivery.SENDING, claimed_at=long_ago
    )
    busy = Delivery.objects.create(
        to=peer.email, subject="Busy", body="B", status=Delivery.SENDING, claimed_at=timezone.now()
    )
    client = client_for(coordinator)
    page = client.get(reverse("mail:deliveries")).content.decode()
    assert "Interrupted while sending" in page
    assert "Stuck" in page
    assert "Busy" not in page  # a worker is on it right now
    ask = client.get(reverse("mail:send_again", args=[stuck.pk])).content.decode()
    assert "may get it twice" in ask
    assert client.post(reverse("mail:send_again", args=[busy.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("mail:send_again", args=[stuck.pk])).status_code == 302
    assert [m.subject for m in mail.outbox] == ["Stuck"]
