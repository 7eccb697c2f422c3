"""A job's page, its status for the page's script, and its result file: for whoever started
the job and for coordinators; anyone else gets a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render

from jobs.models import Job


def _job(request, pk) -> Job:
    return get_object_or_404(Job.objects.visible_to(request.user), pk=pk)


@login_required
def detail(request, pk):
    job = _job(request, pk)
    return render(request, "jobs/job_detail.html", {"job": job})


@login_required
def status(request, pk):
    job = _job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": str(job.get_status_display()),
            "progress": job.progress,
            "message": job.message,
            "finished": job.is_finished,
        }
    )


@login_required
def result(request, pk):
    job = _job(request, pk)
    if job.status != Job.DONE or not job.result_file.name:
        raise Http404
    response = FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=job.result_name or "result",
        content_type=job.result_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
