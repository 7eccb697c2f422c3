"""The RQ backend, once, for a network that already runs Redis: a request queues an e-mail
in Redis and `manage.py rqworker` sends it. Needs Debian's redis-server (`make test`
installs it); the test starts its own on a free port."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.core import mail

from mail.models import Delivery
from tests.smtp_sink import SmtpSink, free_port
from tests.test_inception import submit_anyway
from tests.workers import SharedDatabase, start, stop, wait_until, worker_env

pytestmark = pytest.mark.django_db(transaction=True)

REDIS = shutil.which("redis-server")


@pytest.fixture
def redis_url(tmp_path):
    if REDIS is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    server = subprocess.Popen(
        [
            REDIS,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    ping = [shutil.which("redis-cli") or "redis-cli", "-p", str(port), "ping"]
    assert wait_until(
        lambda: subprocess.run(ping, capture_output=True, text=True).stdout.strip() == "PONG",
        timeout=20,
    )
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


def test_a_request_queues_in_redis_and_an_rq_worker_sends_the_email(
    client_for, host, peer, team_leader, review_work, review, settings, redis_url, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": redis_url}}
    assert submit_anyway(client_for(host), review).status_code == 302
    assert mail.outbox == []
    shared = SharedDatabase(tmp_path)
    log = tmp_path / "rqworker.log"
    with SmtpSink() as sink:
        shared.publish()
        env = worker_env(shared.url, sink.port, TASKS_BACKEND="rq", REDIS_URL=redis_url)
        worker = start(
            "rqworker",
            "default",
            "--burst",
            "--job-class",
            "django_tasks_rq.Job",
            env=env,
            log=log,
        )
        try:
            assert worker.wait(timeout=120) == 0, log.read_text()
        finally:
            stop(worker)
        shared.collect()
    assert sorted(r for recipients, _ in sink.messages for r in recipients) == sorted(
        [peer.email, team_leader.email]
    )
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.SENT}
