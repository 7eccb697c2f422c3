"""PDF responses for views: render a print template, or say plainly that it failed."""

from __future__ import annotations

import logging
from contextlib import nullcontext

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation

from reports import pdf

logger = logging.getLogger(__name__)


def pdf_inline(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def pdf_failed(request, *, review, read_url: str = "") -> HttpResponse:
    """The 503 page with a retry link (never a traceback)."""
    return render(
        request,
        "reports/pdf_failed.html",
        {"review": review, "retry": request.path, "read_url": read_url},
        status=503,
    )


def pdf_response(
    request,
    *,
    template: str,
    context: dict,
    filename: str,
    review,
    read_url: str = "",
    language: str | None = None,
) -> HttpResponse:
    """The rendered PDF inline, or a 503 page with a retry link (never a traceback).
    `language`: render the template in it rather than the reader's."""
    with translation.override(language) if language else nullcontext():
        html = render_to_string(template, context, request=request)
    try:
        content = pdf.render_pdf(html)
    except Exception:  # any rendering failure becomes a friendly page, and is logged
        logger.exception("PDF rendering failed for %s", request.path)
        return pdf_failed(request, review=review, read_url=read_url)
    return pdf_inline(content, filename)
