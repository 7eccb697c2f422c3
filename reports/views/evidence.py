"""Step 6 exported: the evidence database as XLSX or CSV (attribution respected)."""

from __future__ import annotations

from django.http import Http404

from reports.spreadsheets import csv_response, xlsx_response
from reviews.access import review_view
from reviews.models import Review
from reviews.services.evidence import export_rows


@review_view("reviews.see_evidence")
def export(request, review: Review, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    header, *rows = export_rows(review)
    if fmt == "csv":
        return csv_response(f"evidence-{review.pk}.csv", [header, *rows])
    return xlsx_response(f"evidence-{review.pk}.xlsx", "evidence", header, rows)
