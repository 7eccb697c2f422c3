"""Work on a review that spans models or has side effects (e-mail, notifications)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reviews.models import (
    Attachment,
    DeskReview,
    InceptionReport,
    InformationRequest,
    Membership,
    Notification,
    Review,
    ReviewEvent,
)
from reviews.steps import COORDINATOR, HOST, PEER, TEAM_LEADER
from reviews.uploads import validate_upload


@transaction.atomic
def add_member(*, review: Review, user, role: str, is_host_lead: bool = False) -> Membership:
    """Add a person to the review; the conflict-of-interest and one-leader rules apply."""
    membership = Membership(review=review, user=user, role=role, is_host_lead=is_host_lead)
    membership.full_clean()
    membership.save()
    return membership


def notify(*, review: Review, users, text: str, url: str, subject: str) -> None:
    """A dashboard entry and an e-mail for each person, each in their own language.

    `text` and `subject` are untranslated message ids; they are translated per person.
    """
    for user in users:
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            body = _(text) % {"review": review.title}
            Notification.objects.create(user=user, review=review, text=body, url=url)
            send_mail(
                _(subject) % {"review": review.title},
                "{}\n\n{} {}{}\n".format(body, _("Open it here:"), settings.SITE_URL, url),
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
                fail_silently=True,
            )


def notify_after_commit(*, review: Review, users, url: str, text: str, subject: str) -> None:
    """`notify` once the current transaction commits: nobody hears of a change that was
    rolled back."""
    users = list(users)
    transaction.on_commit(
        lambda: notify(review=review, users=users, url=url, text=text, subject=subject)
    )


@transaction.atomic
def submit_inception_report(*, review: Review, by) -> None:
    report = InceptionReport.objects.select_for_update().get(review=review)
    report.submit(by=by)
    ReviewEvent.objects.create(review=review, actor=by, verb=ReviewEvent.SUBMITTED)
    team = [
        m.user
        for m in review.memberships.select_related("user")
        if m.role in (PEER, TEAM_LEADER, COORDINATOR) and m.user.is_active
    ]
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
    """Store an uploaded file after checking its content type and size."""
    if request is None:
        review.inception_report.assert_editable()
    kind = validate_upload(upload)
    attachment = Attachment(
        review=review,
        section=section,
        assessment=assessment,
        request=request,
        kind=kind,
        original_name=upload.name[:255],
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


def desk_review_for(*, review: Review, peer) -> DeskReview:
    desk_review, _created = DeskReview.objects.get_or_create(review=review, peer=peer)
    return desk_review


@transaction.atomic
def submit_desk_review(*, review: Review, peer) -> DeskReview:
    desk_review = DeskReview.objects.select_for_update().get(review=review, peer=peer)
    desk_review.submit()
    leaders = [
        m.user
        for m in review.memberships.select_related("user")
        if m.role == TEAM_LEADER and m.user != peer
    ]
    url = reverse("reviews:desk_review", args=[review.pk])
    notify_after_commit(
        review=review,
        users=leaders,
        url=url,
        text=gettext_noop("A peer submitted a desk review of %(review)s."),
        subject=gettext_noop("Desk review submitted: %(review)s"),
    )
    return desk_review


@transaction.atomic
def ask_host(*, review: Review, by, question: str, indicator=None) -> InformationRequest:
    request = InformationRequest.objects.create(
        review=review, indicator=indicator, question=question, asked_by=by
    )
    hosts = [m.user for m in review.memberships.select_related("user") if m.role == HOST]
    url = reverse("reviews:requests", args=[review.pk])
    notify_after_commit(
        review=review,
        users=hosts,
        url=url,
        text=gettext_noop("The review team of %(review)s asks you for information."),
        subject=gettext_noop("Question from the review team: %(review)s"),
    )
    return request
