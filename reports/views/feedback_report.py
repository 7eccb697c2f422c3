"""Step 7 printed: the feedback report as PDF and DOCX, and the pages of its public read link.

Which text a reader gets: the final version for whoever may see it (the team and
coordinators once final, the host city once published); otherwise the team and
coordinators get the live draft, or a frozen version with ``?version=<n>``. Both files
draw a version's content dict (``reviews.services.report_content``), never the rows people edit, so a
final version prints the same whenever it is downloaded: its PDF is rendered once and kept
in the media storage (``reports.stored``), here and behind the public link.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from reports.docx import build_docx
from reports.responses import pdf_response
from reports.stored import final_pdf_response, is_stored_kind, print_context, report_filename
from reviews.access import review_view
from reviews.models import FeedbackReport, ReportVersion, Review
from reviews.models.feedback_report import existing_report
from reviews.services.report_content import build_content

logger = logging.getLogger(__name__)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _chosen(request, review: Review) -> tuple[dict, ReportVersion | None, bool]:
    """(content, version or None for the live draft, is_draft) this user may download.
    Reads only: a report nobody has started prints as an empty draft."""
    user = request.user
    report = existing_report(review)
    final = report.final_version if report else None
    wanted = request.GET.get("version", "")
    may_draft = user.has_perm("reviews.see_report_draft", review)
    if may_draft and wanted:
        if not wanted.isdigit() or report is None:
            raise Http404
        version = report.versions.filter(number=int(wanted)).first()
        if version is None:
            raise Http404
        return version.content, version, version.state != ReportVersion.FINAL
    if final is not None and user.has_perm("reviews.see_final_report", review):
        return final.content, final, False
    if may_draft:
        return build_content(review, report), None, True
    raise PermissionDenied


def _pdf_response(request, *, content, version, draft, review, read_url="") -> HttpResponse:
    """The report's PDF inline, or the retry page (logged, never a traceback). Rendered in
    the version's own language, whoever downloads it: UI text matches the text written.
    A final version's PDF is rendered once and served from the media storage after that
    (`reports.stored`); drafts and frozen versions are rendered at every download."""
    if is_stored_kind(version):
        return final_pdf_response(
            request,
            version=version,
            filename=report_filename(review, version, "pdf"),
            review=review,
            read_url=read_url,
        )
    return pdf_response(
        request,
        template="reports/report_pdf.html",
        context=print_context(content, version, draft),
        filename=report_filename(review, version, "pdf"),
        review=review,
        read_url=read_url,
        language=content.get("language"),
    )


def _docx_response(review, content, version, draft) -> HttpResponse:
    with translation.override(content.get("language") or translation.get_language()):
        body = build_docx(content, draft=draft, version=version.number if version else None)
    response = HttpResponse(body, content_type=DOCX_TYPE)
    filename = report_filename(review, version, "docx")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@review_view("reviews.see_review")
def pdf(request, review: Review):
    content, version, draft = _chosen(request, review)
    if version is None:  # the live draft
        read_url = reverse("reviews:report", args=[review.pk])
    elif version.state == version.FINAL:
        read_url = reverse("reviews:report_final", args=[review.pk])
    else:
        read_url = reverse("reviews:report_version", args=[review.pk, version.number])
    return _pdf_response(
        request, content=content, version=version, draft=draft, review=review, read_url=read_url
    )


@review_view("reviews.see_review")
def docx(request, review: Review):
    content, version, draft = _chosen(request, review)
    return _docx_response(review, content, version, draft)


def _public_version(token: str) -> tuple[FeedbackReport, ReportVersion]:
    """The published report a public link opens, with its final version; else 404."""
    if not token:
        raise Http404
    report = (
        FeedbackReport.objects.filter(public_token=token)
        .exclude(public_token="")
        .select_related("review__host_city")
        .first()
    )
    if report is None or not report.is_published or report.final_version is None:
        raise Http404
    return report, report.final_version


def _not_indexed(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The token is in the URL: keep it out of other sites' logs.
    response["Referrer-Policy"] = "no-referrer"
    return response


def public(request, token: str):
    report, version = _public_version(token)
    return _not_indexed(
        render(
            request,
            "reviews/feedback_report/public.html",
            {"report": report, "version": version, "content": version.content, "token": token},
        )
    )


def public_pdf(request, token: str):
    report, version = _public_version(token)
    return _not_indexed(
        _pdf_response(
            request,
            content=version.content,
            version=version,
            draft=False,
            review=report.review,
            read_url=reverse("reports:public_report", args=[token]),
        )
    )
