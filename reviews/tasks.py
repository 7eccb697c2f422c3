"""Background tasks of the reviews app (django-tasks; see core/tasks.py)."""

from __future__ import annotations

from django_tasks import task

from reviews.services.reminders import send_reminders as send_due_reminders


@task()
def send_reminders() -> int:
    """The daily reminders as a task, for a scheduler that enqueues tasks rather than run
    commands; `manage.py send_reminders` does the same in its own process."""
    return send_due_reminders().total
