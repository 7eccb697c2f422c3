"""Telling people: a dashboard entry and an e-mail each, in their own language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from reviews.models import (
    Notification,
    Review,
)


def notify(*, review: Review, users, text: str, url: str, subject: str) -> None:
    """A dashboard entry and an e-mail for each person, each in their own language.

    `text` and `subject` are untranslated message ids, translated per person for the e-mail;
    the dashboard entry keeps the id and translates it for whoever reads it, when they do.
    """
    params = {"review": review.title}
    for user in users:
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            body = _(text) % params
            Notification.objects.create(
                user=user, review=review, text=body, message=text, params=params, url=url
            )
            send_mail(
                _(subject) % params,
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
