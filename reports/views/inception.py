"""Step 3 printed: the inception report as a PDF."""

from __future__ import annotations

from django.urls import reverse

from reports.responses import pdf_response
from reviews.access import review_view
from reviews.models import Review
from reviews.services.inception import reading_context


@review_view("reviews.see_inception")
def pdf(request, review: Review):
    return pdf_response(
        request,
        template="reports/inception_pdf.html",
        context=reading_context(review),
        filename=f"inception-report-{review.pk}.pdf",
        review=review,
        read_url=reverse("reviews:inception_read", args=[review.pk]),
    )
