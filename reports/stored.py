"""Final PDFs, rendered once and served from the media storage: a feedback report's final
version (`ReportVersion`) and a programme's published comparative report
(`ComparativeVersion`).

A final version's text, its date and its language cannot change, so its PDF is the same at
every download: `store_final_pdfs` renders it (a task when the version is made final, when
it is published, and when a comparative report is published) and `final_pdf_response`
serves the stored file, rendering and storing it first if it is missing. Drafts and frozen
versions are always rendered live (`reports.responses.pdf_response`). Callers check
permissions first; this module does not.
"""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import FileResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from core.approvals import FrozenVersion
from reports import pdf
from reports.models import StoredPDF
from reports.responses import pdf_failed, pdf_inline
from reports.synthesis_print import TEMPLATE as SYNTHESIS_TEMPLATE
from reports.synthesis_print import print_context as synthesis_context
from reviews.models import ReportVersion
from syntheses.models import ComparativeVersion

logger = logging.getLogger(__name__)

TEMPLATE = "reports/report_pdf.html"


# Which StoredPDF column holds each kind of final version, by the name the task is given.
KINDS = {"report": (ReportVersion, "version"), "synthesis": (ComparativeVersion, "comparative")}


def kind_of(version: FrozenVersion) -> str:
    return "synthesis" if isinstance(version, ComparativeVersion) else "report"


def _of(version: FrozenVersion) -> dict:
    """The StoredPDF filter for `version`'s files."""
    return {KINDS[kind_of(version)][1]: version}


def offered_languages(version: FrozenVersion) -> list[str]:
    """The languages a version's PDF is offered in: the language its text was written in."""
    return [version.content.get("language") or "en"]


def report_filename(review, version: ReportVersion | None, extension: str) -> str:
    city = slugify(review.host_city.name) or "city"
    label = f"v{version.number}" if version else "draft"
    return f"critical-friend-{city}-report-{label}.{extension}"


def print_context(content: dict, version: ReportVersion | None, draft: bool) -> dict:
    if version is None:
        day = timezone.localdate()
    else:
        day = timezone.localtime(version.final_at or version.frozen_at).date()
    return {
        "content": content,
        "draft": draft,
        "version_number": version.number if version else None,
        "version_date": day,
    }


def render_final(version: FrozenVersion, language: str) -> bytes:
    """The PDF of a final version, in `language`: the same bytes whoever asks."""
    if isinstance(version, ComparativeVersion):
        template, context = SYNTHESIS_TEMPLATE, synthesis_context
    else:
        template, context = TEMPLATE, print_context
    with translation.override(language):
        html = render_to_string(template, context(version.content, version, False))
    return pdf.render_pdf(html)


def stored_pdf(version: FrozenVersion, language: str) -> StoredPDF | None:
    """The stored PDF, if its row and its file are both there."""
    found = StoredPDF.objects.filter(**_of(version), language=language).first()
    if found is None:
        return None
    if not found.file.storage.exists(found.file.name):
        logger.warning("Stored PDF %s is missing from storage; rendering it again", found.pk)
        found.delete()
        return None
    return found


def store(version: FrozenVersion, language: str, body: bytes) -> StoredPDF | None:
    """Keep `body` as the version's PDF in `language`; None if the version is no longer
    final or another process stored it first (its file is then the one kept)."""
    stored = StoredPDF(**_of(version), language=language, size=len(body))
    stored.file.save("report.pdf", ContentFile(body), save=False)
    try:
        with transaction.atomic():
            still_final = (
                type(version).objects.filter(pk=version.pk, state=FrozenVersion.FINAL).exists()
            )
            if still_final:
                stored.save()
                return stored
    except IntegrityError:
        pass
    stored.file.storage.delete(stored.file.name)
    return None


def store_final_pdfs(version_id: int, kind: str = "report") -> int:
    """Render and store every language of a final version (of `kind`, see KINDS) that is
    not stored yet; the number rendered. A version that is not final (any more) is left
    alone."""
    model = KINDS[kind][0]
    version = model.objects.filter(pk=version_id, state=FrozenVersion.FINAL).first()
    if version is None:
        return 0
    rendered = 0
    for language in offered_languages(version):
        if stored_pdf(version, language) is None:
            store(version, language, render_final(version, language))
            rendered += 1
    return rendered


def drop_stored_pdfs(version: FrozenVersion) -> None:
    """The version is no longer final: its PDF goes (files removed once this commits)."""
    for stored in StoredPDF.objects.filter(**_of(version)):
        stored.delete()


def final_pdf_response(
    request, *, version: FrozenVersion, filename: str, review=None, read_url: str = ""
):
    """The final version's PDF inline: the stored file, else rendered now and stored.
    `review` (None for a comparative report) and `read_url` shape the retry page."""
    language = offered_languages(version)[0]
    found = stored_pdf(version, language)
    if found is not None:
        return FileResponse(
            found.file.open("rb"), filename=filename, content_type="application/pdf"
        )
    try:
        body = render_final(version, language)
    except Exception:  # any rendering failure becomes a friendly page, and is logged
        logger.exception("PDF rendering failed for %s", request.path)
        return pdf_failed(request, review=review, read_url=read_url)
    try:
        store(version, language, body)
    except Exception:  # storage down: the reader still gets the PDF; the next download retries
        logger.exception("Could not store the PDF of %s %s", kind_of(version), version.pk)
    return pdf_inline(body, filename)


def is_stored_kind(version: FrozenVersion | None) -> bool:
    """Whether downloads of this version are served from storage (final versions only)."""
    return version is not None and version.state == FrozenVersion.FINAL
