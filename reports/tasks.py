"""Background tasks of the reports layer (django-tasks; enqueued once the caller commits)."""

from __future__ import annotations

from django_tasks import task

from reports.stored import store_final_pdfs


@task()
def store_final_pdf(version_id: int, kind: str = "report") -> int:
    """Render and store a final version's PDF (every language it is offered in): a feedback
    report's ("report") or a published comparative report's ("synthesis")."""
    return store_final_pdfs(version_id, kind)
