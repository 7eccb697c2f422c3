"""Starting a job: the row, the uploaded input in the media storage, the task on commit."""

from __future__ import annotations

from django.db import transaction
from django.utils import translation

from jobs import kinds
from jobs.models import Job
from jobs.tasks import run_job


@transaction.atomic
def start_job(*, kind: str, by, params: dict | None = None, upload=None, back_url: str = "") -> Job:
    """A new job of `kind` for `by`, run by a background task once this transaction commits.
    `params` must be JSON (ids, not objects); `upload` is kept as the job's input file."""
    kinds.get(kind)  # an unknown kind fails here, not in the worker
    for old in Job.objects.expired():
        old.delete()
    job = Job(
        kind=kind,
        started_by=by,
        params=params or {},
        language=translation.get_language() or "en",
        back_url=back_url,
    )
    if upload is not None:
        job.input_file.save("input", upload, save=False)
    job.save()
    transaction.on_commit(lambda: run_job.enqueue(str(job.pk)))
    return job
