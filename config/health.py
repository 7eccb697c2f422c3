"""/health/ for operators and load balancers: the database, the media storage and the task
backlog, as JSON with 200 (all well) or 503.

The checks of django-health-check (`Database`: SELECT 1; `Storage`: write, read and delete a
probe file in the default storage) plus `TaskBacklog` (the age of the oldest task waiting
for a worker, from django-tasks-db's table when that app is installed; without it tasks run
at once in the request, so nothing can wait). The checks run in the request's thread, one
after the other, not through the library's async view.

Anyone may read it, signed in or not, so it says only "ok" or "unavailable" per check and
the backlog's age in seconds: no names, paths, hosts or exception texts. Those go to the log.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging

from django.apps import apps
from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from health_check.base import HealthCheck
from health_check.checks import Database, Storage
from health_check.exceptions import HealthCheckException, ServiceUnavailable

logger = logging.getLogger(__name__)


def oldest_waiting_task() -> datetime.datetime | None:
    """Since when the longest-waiting task that is due has waited; None if none waits (or
    django-tasks-db is not installed)."""
    if not apps.is_installed("django_tasks_db"):
        return None
    from django_tasks_db.models import DBTaskResult, get_date_max

    ready = DBTaskResult.objects.ready()
    # A task without run_after waits from when it was enqueued, a deferred one from run_after.
    since = [
        ready.filter(run_after=get_date_max()).order_by("enqueued_at")
        .values_list("enqueued_at", flat=True).first(),
        ready.exclude(run_after=get_date_max()).order_by("run_after")
        .values_list("run_after", flat=True).first(),
    ]  # fmt: skip
    found = [moment for moment in since if moment is not None]
    return min(found) if found else None


@dataclasses.dataclass
class TaskBacklog(HealthCheck):
    """Unavailable when the oldest task due has waited longer than HEALTH_TASK_MAX_WAIT."""

    waited: float | None = dataclasses.field(default=None, repr=False)

    def run(self) -> None:
        since = oldest_waiting_task()
        self.waited = (timezone.now() - since).total_seconds() if since else 0.0
        if self.waited > settings.HEALTH_TASK_MAX_WAIT:
            raise ServiceUnavailable("tasks wait longer than HEALTH_TASK_MAX_WAIT")


def _checks() -> dict[str, HealthCheck]:
    return {"database": Database(), "storage": Storage(), "tasks": TaskBacklog()}


@never_cache
@require_safe
def health(request):
    checks = _checks()
    answers = {}
    for name, check in checks.items():
        try:
            check.run()
        except HealthCheckException as failure:
            logger.warning("Health check %s failed: %s", name, failure)
            answers[name] = "unavailable"
        except Exception:  # whatever broke is logged; the caller learns only that it did
            logger.exception("Health check %s failed", name)
            answers[name] = "unavailable"
        else:
            answers[name] = "ok"
    healthy = all(answer == "ok" for answer in answers.values())
    waited = checks["tasks"].waited
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "checks": answers,
            "oldest_waiting_task_seconds": None if waited is None else round(waited),
        },
        status=200 if healthy else 503,
    )
