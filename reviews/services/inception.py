"""Step 3: submitting and reopening the inception report, its attachments."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reviews.models import (
    Attachment,
    InceptionReport,
    Review,
    ReviewEvent,
    SelfAssessment,
)
from reviews.services.notifications import notify_after_commit
from reviews.steps import COORDINATOR, PEER, TEAM_LEADER
from reviews.uploads import download_name, validate_upload


@transaction.atomic
def submit_inception_report(*, review: Review, by) -> None:
    report = InceptionReport.objects.select_for_update().get(review=review)
    report.submit(by=by)
    ReviewEvent.objects.create(review=review, actor=by, verb=ReviewEvent.SUBMITTED)
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
    return {
        "review": review,
        "report": report,
        "sections": sections,
        "groups": groups,
        "interviewees": review.proposed_interviewees.prefetch_related("indicators"),
    }
