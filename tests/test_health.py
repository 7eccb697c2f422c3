"""/health/: the database, the media storage and the task backlog, for monitors that do not
sign in; it names no host, path or error, whoever asks."""

from __future__ import annotations

import datetime
import json

import pytest
from django.apps import apps
from django.utils import timezone
from health_check.exceptions import ServiceUnavailable

from config import health


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _get(client):
    response = client.get("/health/")
    return response, json.loads(response.content)


def test_health_is_ok_for_anyone_signed_in_or_not(client, db, media):
    response, data = _get(client)
    assert response.status_code == 200
    assert data == {
        "status": "ok",
        "checks": {"database": "ok", "storage": "ok", "tasks": "ok"},
        "oldest_waiting_task_seconds": 0,
    }
    assert "no-store" in response["Cache-Control"]
    assert list(media.rglob("*.txt")) == []  # the storage probe removed its file


def test_a_storage_that_cannot_write_is_unavailable_and_says_no_more(
    client, db, media, monkeypatch, caplog
):
    def refuse(self, name, content):
        raise PermissionError(13, "Permission denied", "/srv/critical-friend/var/media/x.txt")

    monkeypatch.setattr("health_check.checks.Storage.check_save", refuse)
    response, data = _get(client)
    assert response.status_code == 503
    assert data["status"] == "unavailable"
    assert data["checks"] == {"database": "ok", "storage": "unavailable", "tasks": "ok"}
    assert "/srv" not in response.content.decode()
    assert "Permission denied" not in response.content.decode()
    assert "/srv/critical-friend" in caplog.text  # for the operator, in the log


def test_a_database_that_does_not_answer_is_unavailable_without_its_address(
    client, db, media, monkeypatch
):
    def down(self):
        raise ServiceUnavailable('connection to server at "10.0.0.5", port 5432 failed')

    monkeypatch.setattr("health_check.checks.Database.run", down)
    response, data = _get(client)
    assert response.status_code == 503
    assert data["checks"]["database"] == "unavailable"
    assert "10.0.0.5" not in response.content.decode()


def test_a_task_waiting_longer_than_allowed_makes_it_unavailable(
    client, db, media, monkeypatch, settings
):
    settings.HEALTH_TASK_MAX_WAIT = 600
    waited = timezone.now() - datetime.timedelta(minutes=20)
    monkeypatch.setattr(health, "oldest_waiting_task", lambda: waited)
    response, data = _get(client)
    assert response.status_code == 503
    assert data["checks"]["tasks"] == "unavailable"
    assert 1195 <= data["oldest_waiting_task_seconds"] <= 1205
    settings.HEALTH_TASK_MAX_WAIT = 3600
    response, data = _get(client)
    assert response.status_code == 200


def test_health_answers_get_only(client, db, media):
    assert client.post("/health/").status_code == 405
    assert client.head("/health/").status_code == 200


@pytest.mark.skipif(
    not apps.is_installed("django_tasks_db"),
    reason="django-tasks-db is not installed: tasks run at once and nothing waits",
)
def test_the_backlog_is_the_oldest_due_task_of_the_database_backend(db):
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()

    def task(**fields):
        row = DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            task_path="jobs.tasks.run_job",
            backend_name="default",
            run_after=fields.pop("run_after", get_date_max()),
            **fields,
        )
        DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=fields.get("enqueued_at", now))
        return row

    assert health.oldest_waiting_task() is None
    waiting = task()
    DBTaskResult.objects.filter(pk=waiting.pk).update(
        enqueued_at=now - datetime.timedelta(minutes=3)
    )
    # A reminder enqueued months ago for later, due five minutes ago, waited five minutes.
    deferred = task(run_after=now - datetime.timedelta(minutes=5))
    DBTaskResult.objects.filter(pk=deferred.pk).update(
        enqueued_at=now - datetime.timedelta(days=90)
    )
    task(run_after=now + datetime.timedelta(days=1))  # not due: not waiting
    assert health.oldest_waiting_task() == now - datetime.timedelta(minutes=5)
