"""A review's archive export as a background job: the zip is kept in the media storage and
offered for download on the job's page (to whoever asked, and coordinators)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.files import File
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs import kinds
from reviews.archive import export_review
from reviews.models import Review

ARCHIVE = "review_archive"


def run_export(job, *, review_id: int) -> None:
    review = Review.objects.select_related("host_city").get(pk=review_id)
    job.report(5, _("Collecting the review, its history and its files."))

    def progress(percent: int) -> None:
        job.report(percent, _("Writing the archive."))

    with tempfile.TemporaryDirectory(prefix="cf-archive-") as folder:
        path = Path(folder) / "review.zip"
        result = export_review(review, path, progress=progress)
        job.report(95, _("Storing the archive."))
        rows = sum(n for label, n in result.counts.items() if ".historical" not in label)
        message = _(
            "The archive holds %(rows)s rows, %(history)s history rows and %(files)s files."
        ) % {
            "rows": rows,
            "history": sum(result.counts.values()) - rows,
            "files": len(result.files),
        }
        if result.missing_files:
            message += " " + _("%(n)s files were missing from storage and are not in it.") % {
                "n": len(result.missing_files)
            }
        city = slugify(review.host_city.name) or "city"
        with path.open("rb") as archive:
            job.succeed(
                message,
                content=File(archive),
                name=f"critical-friend-review-{review.pk}-{city}.zip",
                content_type="application/zip",
            )


def register() -> None:
    kinds.register(ARCHIVE, label=gettext_lazy("Export a review archive"), run=run_export)
