"""Real `db_worker` processes deliver what requests queued: once each, whatever happens.

Each test starts workers as subprocesses on the test database (a file copy of it on
SQLite, see tests/workers.py) and an SMTP sink on the loopback network.
"""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import urllib.request

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mail.delivery import deliver, queue_email
from mail.models import Delivery
from tests.smtp_sink import SmtpSink, free_port
from tests.test_inception import submit_anyway
from tests.workers import (
    ROOT,
    SharedDatabase,
    run_batch_worker,
    start,
    stop,
    wait_until,
    worker_env,
)

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def shared(tmp_path, settings) -> SharedDatabase:
    settings.TASKS = DATABASE_QUEUE
    return SharedDatabase(tmp_path)


def test_a_worker_process_delivers_the_emails_a_request_queued(
    client_for, host, peer, team_leader, review_work, review, shared, tmp_path
):
    response = submit_anyway(client_for(host), review)
    assert response.status_code == 302
    assert mail.outbox == []
    assert Delivery.objects.filter(status=Delivery.QUEUED).count() == 2
    with SmtpSink() as sink:
        shared.publish()
        run_batch_worker(worker_env(shared.url, sink.port), tmp_path / "worker.log")
        shared.collect()
    assert sorted(r for recipients, _ in sink.messages for r in recipients) == sorted(
        [peer.email, team_leader.email]
    )
    assert all("Inception report submitted" in m["Subject"] for _, m in sink.messages)
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.SENT}


def test_a_mail_server_down_then_up_gets_the_email_exactly_once(peer, shared, tmp_path):
    delivery = queue_email(to=peer.email, subject="Down, then up", body="Hello.", recipient=peer)
    port = free_port()  # nothing listens there yet: the mail server is down
    shared.publish()
    log = tmp_path / "worker.log"
    worker = start(
        "db_worker",
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "0.1",
        env=worker_env(shared.url, port),
        log=log,
    )
    # The first attempt has failed once its error is recorded (the claim alone is not enough:
    # the sink must not be listening before that attempt connects).
    failed_once = "SELECT COUNT(*) FROM mail_delivery WHERE id = ? AND last_error <> ''"
    try:
        assert wait_until(lambda: shared.scalar(failed_once, delivery.pk) == 1), log.read_text()
        with SmtpSink(port) as sink:
            assert sink.wait_for(1, timeout=60), log.read_text()
            # Long enough for two more retries at EMAIL_RETRY_SECONDS=1, were any left.
            wait_until(lambda: sink.count() > 1, timeout=3)
            received = sink.count()
    finally:
        assert stop(worker) == 0, log.read_text()
    shared.collect()
    assert received == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.SENT
    assert delivery.attempts >= 2
    assert "ConnectionRefusedError" in delivery.last_error


def test_two_workers_never_send_one_email_twice(peer, shared, tmp_path):
    """40 e-mails, each asked for by two tasks in a row, become ready at the same moment for
    two running workers, and the mail server is slow: the two tasks of one e-mail run at
    the same time in both workers. 40 messages arrive."""
    later = timezone.now() + datetime.timedelta(hours=1)
    deliveries = [
        Delivery.objects.create(to=peer.email, subject=f"Mail {n}", body="B") for n in range(40)
    ]
    for delivery in deliveries:
        for _copy in range(2):
            deliver.using(run_after=later).enqueue(delivery.pk)
    tasks = "django_tasks_database_dbtaskresult"
    with SmtpSink(delay=0.1) as sink:
        shared.publish()
        env = worker_env(shared.url, sink.port)
        logs = [tmp_path / f"worker{n}.log" for n in (1, 2)]
        workers = [
            start(
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.05",
                f"--worker-id=worker-{n}",
                env=env,
                log=log,
            )
            for n, log in zip((1, 2), logs, strict=True)
        ]
        try:
            assert wait_until(
                lambda: all(log.exists() and "Starting worker" in log.read_text() for log in logs)
            ), [log.read_text() for log in logs]
            shared.execute(f"UPDATE {tasks} SET run_after = ?", "2000-01-01 00:00:00")  # noqa: S608
            open_tasks = f"SELECT COUNT(*) FROM {tasks} WHERE status IN ('READY', 'RUNNING')"  # noqa: S608
            assert wait_until(lambda: shared.scalar(open_tasks) == 0, timeout=90), [
                log.read_text() for log in logs
            ]
        finally:
            for worker in workers:
                stop(worker)
        shared.collect()
    assert sink.count() == 40
    assert len(set(sink.message_ids())) == 40
    assert set(Delivery.objects.values_list("status", "attempts")) == {(Delivery.SENT, 1)}
    workers_seen = {w for t in DBTaskResult.objects.all() for w in t.worker_ids}
    assert workers_seen == {"worker-1", "worker-2"}


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
            return response.status == 200
    except OSError:
        return False


def test_make_run_serves_pages_and_runs_a_worker_and_ctrl_c_stops_both(peer, shared, tmp_path):
    """`make run` ends in `manage.py serve`: the web server answers, the worker sends the
    queued e-mail, and Ctrl-C (SIGINT to the terminal's process group) stops both."""
    recipe = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "$(MANAGE) serve 127.0.0.1:8000" in recipe
    queue_email(to=peer.email, subject="Served", body="Hello.")
    port = free_port()
    log = tmp_path / "serve.log"
    with SmtpSink() as sink:
        shared.publish()
        # Started with SIGINT ignored, as `make run &` in a script would be: Ctrl-C still works.
        serve = start(
            "serve",
            f"127.0.0.1:{port}",
            env=worker_env(shared.url, sink.port),
            log=log,
            sigint_ignored=True,
        )
        try:
            assert sink.wait_for(1, timeout=90), log.read_text()
            assert wait_until(lambda: _answers(f"http://127.0.0.1:{port}/accounts/login/")), (
                log.read_text()
            )
        finally:
            os.killpg(serve.pid, signal.SIGINT)
            try:  # each child gets 10 s to stop before it is killed; a loaded machine is slow
                code = serve.wait(timeout=120)
            except subprocess.TimeoutExpired:
                os.killpg(serve.pid, signal.SIGKILL)
                raise AssertionError(log.read_text()) from None
    assert code == 0, log.read_text()
    assert "Stopped the server and the worker." in log.read_text()
    assert not _answers(f"http://127.0.0.1:{port}/accounts/login/")
