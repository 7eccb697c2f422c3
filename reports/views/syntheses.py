"""The comparative report of a programme printed: PDF and DOCX, and the published PDF the
public network page links.

Which text: ``?version=<n>`` for whoever may read drafts; else the published version for
anyone who may read it, or the live draft for the coordinator and the programme's team
leaders. Files draw a content dict (syntheses.content), never the rows people edit.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.text import slugify

from core.approvals import FrozenVersion
from reports.docx import build_synthesis_docx
from reports.responses import pdf_response
from reports.stored import final_pdf_response, is_stored_kind
from reports.synthesis_print import TEMPLATE, print_context
from reviews.access import get_programme
from reviews.models import Programme
from syntheses.content import build_content
from syntheses.models import existing_report

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _chosen(request, programme: int):
    found = get_programme(request.user, programme, "reviews.see_programme")
    report = existing_report(found)
    if report is None:
        raise Http404
    user = request.user
    may_draft = user.has_perm("syntheses.see_draft", report)
    wanted = request.GET.get("version", "")
    if wanted:
        if not wanted.isdigit():
            raise Http404
        version = get_object_or_404(report.versions, number=int(wanted))
        if not (may_draft or (report.is_published and version.state == FrozenVersion.FINAL)):
            raise PermissionDenied
        return found, version.content, version, version.state != FrozenVersion.FINAL
    if report.is_published:
        return found, report.final_version.content, report.final_version, False
    if may_draft:
        return found, build_content(report), None, True
    raise PermissionDenied


def _filename(programme: Programme, version, extension: str) -> str:
    label = f"v{version.number}" if version else "draft"
    name = slugify(programme.name) or "programme"
    return f"critical-friend-{name}-comparative-report-{label}.{extension}"


def _pdf(request, programme, content, version, draft) -> HttpResponse:
    """The PDF inline; a published version's from storage (rendered once, reports.stored)."""
    if is_stored_kind(version):
        return final_pdf_response(
            request, version=version, filename=_filename(programme, version, "pdf")
        )
    return pdf_response(
        request,
        template=TEMPLATE,
        context=print_context(content, version, draft),
        filename=_filename(programme, version, "pdf"),
        review=None,
        language=content.get("language"),
    )


@login_required
def pdf(request, programme: int):
    found, content, version, draft = _chosen(request, programme)
    return _pdf(request, found, content, version, draft)


@login_required
def docx(request, programme: int):
    found, content, version, draft = _chosen(request, programme)
    with translation.override(content.get("language") or translation.get_language()):
        body = build_synthesis_docx(
            print_context(content, version, draft)["content"],
            draft=draft,
            version=version.number if version else None,
        )
    response = HttpResponse(body, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(found, version, "docx")}"'
    return response


def public_pdf(request, programme: int):
    """The published comparative report, for anyone (the network page links it)."""
    found = get_object_or_404(Programme, pk=programme)
    report = existing_report(found)
    if report is None or not report.is_published or report.final_version is None:
        raise Http404
    version = report.final_version
    return _pdf(request, found, version.content, version, False)
