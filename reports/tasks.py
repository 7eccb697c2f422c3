"""Background tasks of the reports layer (django-tasks; enqueued once the caller commits)."""

from __future__ import annotations

from django_tasks import task

from reports.stored import store_final_pdfs


@task()
def store_final_pdf(version_id: int) -> int:
    """Render and store a final report version's PDF (every language it is offered in)."""
    return store_final_pdfs(version_id)
