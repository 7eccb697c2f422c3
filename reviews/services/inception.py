"""Step 3: submitting and reopening the inception report, its attachments."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reviews.models import (
    Attachment,
    HeldUpload,
    InceptionReport,
    Review,
    ReviewEvent,
    SelfAssessment,
)
from reviews.services.notifications import notify_after_commit
from reviews.steps import COORDINATOR, PEER, TEAM_LEADER
from reviews.uploads import download_name, validate_upload

HELD_FOR = datetime.timedelta(days=1)


@transaction.atomic
def submit_inception_report(*, review: Review, by, reason: str = "") -> None:
    """Lock the report and tell the team. An incomplete report needs `reason`; it is
    kept as the note of the submission in the review's history."""
    report = InceptionReport.objects.select_for_update().get(review=review)
    report.submit(by=by, reason=reason)
    ReviewEvent.objects.create(
        review=review, actor=by, verb=ReviewEvent.SUBMITTED, note=reason.strip()
    )
    team = review.members(PEER, TEAM_LEADER, COORDINATOR, active=True)
    url = reverse("reviews:inception_read", args=[review.pk])
    notify_after_commit(
        review=review,
        users=team,
        url=url,
        text=gettext_noop("The inception report of %(review)s is submitted: you can read it now."),
        subject=gettext_noop("Inception report submitted: %(review)s"),
    )


@transaction.atomic
def reopen_inception_report(*, review: Review, by, reason: str) -> None:
    if not reason.strip():
        raise ValidationError(_("Say why the report is reopened."))
    report = InceptionReport.objects.select_for_update().get(review=review)
    report.reopen(by=by, reason=reason)
    ReviewEvent.objects.create(review=review, actor=by, verb=ReviewEvent.REOPENED, note=reason)


@transaction.atomic
def add_attachment(
    *, review: Review, upload, by, section=None, assessment=None, request=None
) -> Attachment:
    """Store an uploaded file after checking its content, name and size; its name gets the
    extension of the type its content shows."""
    if request is None:
        review.inception_report.assert_editable()
    kind = validate_upload(upload)
    attachment = Attachment(
        review=review,
        section=section,
        assessment=assessment,
        request=request,
        kind=kind,
        original_name=download_name(upload.name or "", kind),
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(attachment.original_name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def hold_upload(*, review: Review, upload, by, replaces: HeldUpload | None = None) -> HeldUpload:
    """Keep a valid chosen file for a form that was not saved, until it is (see HeldUpload)."""
    kind = validate_upload(upload)
    HeldUpload.objects.filter(created_at__lt=timezone.now() - HELD_FOR).delete()
    if replaces is not None:
        replaces.delete()
    held = HeldUpload(review=review, uploaded_by=by, kind=kind, original_name=upload.name[:255])
    held.file.save(upload.name, upload, save=False)
    held.save()
    return held


@transaction.atomic
def attach_chosen_file(
    *, review: Review, by, upload=None, held: HeldUpload | None = None, **owner
) -> Attachment | None:
    """Attach the file chosen now, else the one held from an earlier try (a new choice
    replaces a held one). `owner`: section=, assessment= or request=."""
    if upload:
        if held is not None:
            held.delete()
        return add_attachment(review=review, upload=upload, by=by, **owner)
    if held is None:
        return None
    with held.file.open("rb") as stored:
        attachment = add_attachment(
            review=review, upload=File(stored, name=held.original_name), by=by, **owner
        )
    held.delete()
    return attachment


def reading_context(review: Review) -> dict:
    """The whole inception report as the team reads it (page and PDF)."""
    report = review.inception_report
    indicators = list(review.indicators_in_scope())
    assessments = SelfAssessment.objects.for_indicators(report, indicators)
    attachments: dict[int, list] = {}
    for attachment in review.attachments.filter(assessment__isnull=False):
        attachments.setdefault(attachment.assessment_id, []).append(attachment)
    groups: list[dict] = []
    for indicator in indicators:
        if not groups or groups[-1]["group"].pk != indicator.group_id:
            groups.append({"group": indicator.group, "rows": []})
        assessment = assessments.get(indicator.pk)
        groups[-1]["rows"].append(
            (indicator, assessment, attachments.get(assessment.pk, []) if assessment else [])
        )
    section_files: dict[int, list] = {}
    for attachment in review.attachments.filter(section__isnull=False):
        section_files.setdefault(attachment.section_id, []).append(attachment)
    sections = [
        (key, title, section, section_files.get(section.pk, []) if section else [])
        for key, title, section in report.sections_by_key()
    ]
    submission = review.events.filter(verb=ReviewEvent.SUBMITTED).first()
    return {
        "review": review,
        "report": report,
        # Why it was submitted incomplete, if it was (the latest submission's note).
        "submitted_note": submission.note if report.is_submitted and submission else "",
        "sections": sections,
        "groups": groups,
        "interviewees": review.proposed_interviewees.prefetch_related("indicators"),
    }
