"""Telling people: a dashboard entry and an e-mail each, in their own language.

The e-mail is queued (`mail.delivery.queue_email`): a background worker sends it after
the transaction commits, so a slow or broken mail server never slows or fails a request.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _

from mail.delivery import queue_email
from reviews.models import (
    Notification,
    Review,
)


def notify(
    *,
    review: Review | None,
    users,
    text: str,
    url: str,
    subject: str,
    params: dict | None = None,
) -> None:
    """A dashboard entry and a queued e-mail for each person, each in their own language.

    `text` and `subject` are untranslated message ids, translated per person for the e-mail
    and filled with `%(review)s` (the review's title) and `params` (dates written the
    person's way); the dashboard entry keeps the id and its values and translates them for
    whoever reads it, when they do. `review` is None for news about a programme's work, whose
    `params` name what it is about.
    """
    titled = {"review": review.title} if review is not None else {}
    stored = _storable({**titled, **(params or {})})
    with transaction.atomic():
        for user in users:
            with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
                values = {**titled, **_localised(params or {})}
                body = _(text) % values
                Notification.objects.create(
                    user=user, review=review, text=body, message=text, params=stored, url=url
                )
                queue_email(
                    to=user.email,
                    recipient=user,
                    subject=_(subject) % values,
                    body=email_body(body, url),
                )


def _storable(params: dict) -> dict:
    """The values as JSON keeps them: dates as ISO strings, named under "_dates"."""
    dates = sorted(k for k, v in params.items() if isinstance(v, datetime.date))
    stored = {k: v.isoformat() if k in dates else v for k, v in params.items()}
    return {**stored, "_dates": dates} if dates else stored


def _localised(params: dict) -> dict:
    return {
        key: formats.date_format(value, "DATE_FORMAT")
        if isinstance(value, datetime.date)
        else value
        for key, value in params.items()
    }


def email_body(text: str, url: str) -> str:
    """The text of a notification's e-mail, in the active language."""
    return "{}\n\n{} {}{}\n".format(text, _("Open it here:"), settings.SITE_URL, url)


def notify_after_commit(
    *,
    review: Review | None,
    users,
    url: str,
    text: str,
    subject: str,
    params: dict | None = None,
) -> None:
    """`notify` once the current transaction commits: nobody hears of a change that was
    rolled back."""
    users = list(users)
    if not users:
        return
    transaction.on_commit(
        lambda: notify(
            review=review, users=users, url=url, text=text, subject=subject, params=params
        )
    )
