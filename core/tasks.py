"""Background tasks, enqueued once the transaction that asks for them commits.

Tasks are django-tasks' (`from django_tasks import task`), the backport of Django 6's
`django.tasks`: the backend comes from the TASKS setting (the database queue by default).
A task asked for inside a transaction that rolls back never runs, and a worker never
reads rows the request has not committed yet.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django_tasks.base import Task

logger = logging.getLogger(__name__)


def enqueue_on_commit(
    task: Task, *args, run_after: datetime.datetime | None = None, **kwargs
) -> None:
    """Enqueue `task(*args, **kwargs)` when the current transaction commits (at once
    outside one). `run_after` defers it where the backend can (one that cannot, like the
    immediate backend, runs it at once). A queue that cannot be reached is logged, not raised: the caller's data is
    saved, and what the task was for stays visible (an e-mail stays queued)."""

    def enqueue() -> None:
        chosen = task
        if run_after is not None and task.get_backend().supports_defer:
            chosen = task.using(run_after=run_after)
        try:
            chosen.enqueue(*args, **kwargs)
        except Exception:  # a broken queue must not fail a request whose data is saved
            logger.exception("Could not enqueue %s", task.module_path)

    transaction.on_commit(enqueue)
