"""A review's archive (reviews/archive.py) exported as a job, for coordinators."""

from __future__ import annotations

from django.shortcuts import redirect, render

from jobs.services import start_job
from reviews.access import review_view
from reviews.jobs import ARCHIVE
from reviews.models import Review


@review_view("reviews.export_archive")
def export(request, review: Review):
    """GET says what the archive holds; POST starts the export and opens its job page."""
    if request.method == "POST":
        job = start_job(
            kind=ARCHIVE,
            by=request.user,
            params={"review_id": review.pk},
            back_url=review.get_absolute_url(),
        )
        return redirect(job)
    return render(request, "reviews/archive_export.html", {"review": review})
