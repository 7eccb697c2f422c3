"""The one background task behind every job: it runs the job's kind and records the outcome."""

from __future__ import annotations

import logging

from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from jobs import kinds
from jobs.models import Job

logger = logging.getLogger(__name__)


@task()
def run_job(job_id: str) -> None:
    job = Job.objects.filter(pk=job_id, status=Job.WAITING).first()
    if job is None:  # removed meanwhile, or already run by another worker
        return
    with translation.override(job.language):
        job.start()
        try:
            kinds.get(job.kind).run(job, **job.params)
        except kinds.JobRefused as refused:
            job.fail(refused.message, refused.problems)
        except Exception:  # any failure ends the job with a plain message; details in the log
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            job.fail(
                _(
                    "Something went wrong; nothing was saved. Try again, or ask an administrator to look at the log."
                )
            )
        else:
            if not job.is_finished:
                job.succeed(_("Done."))
