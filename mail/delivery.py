"""Queueing and sending e-mails: the one place the app sends mail from.

`queue_email` writes the row and enqueues the `deliver` task once the transaction commits;
a request never talks to the mail server. `deliver` runs in a worker: it claims the row,
sends it, and on a refusal or a broken connection tries again later (EMAIL_RETRY_SECONDS,
doubling, EMAIL_MAX_ATTEMPTS in all) before marking it failed.
"""

from __future__ import annotations

import datetime
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from core.tasks import enqueue_on_commit
from mail.models import Delivery

logger = logging.getLogger(__name__)

SENT, SKIPPED, RETRYING, FAILED = "sent", "skipped", "retrying", "failed"


def queue_email(*, to: str, subject: str, body: str, recipient=None) -> Delivery:
    """Queue an e-mail, already in the recipient's language; sent after commit."""
    delivery = Delivery.objects.create(recipient=recipient, to=to, subject=subject[:300], body=body)
    enqueue_on_commit(deliver, delivery.pk)
    return delivery


@task()
def deliver(delivery_id: int) -> str:
    """The background task: send one queued e-mail (see `send_delivery`)."""
    return send_delivery(delivery_id)


def send_delivery(delivery_id: int) -> str:
    """Send the delivery if it is still queued; say what happened.

    The claim is one UPDATE from queued to sending: of two workers (or two tasks) only one
    changes the row, the other sends nothing. The row is marked sent only after the mail
    server accepted the message."""
    now = timezone.now()
    claimed = Delivery.objects.filter(pk=delivery_id, status=Delivery.QUEUED).update(
        status=Delivery.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return SKIPPED
    delivery = Delivery.objects.get(pk=delivery_id)
    try:
        message(delivery).send()
    except OSError as error:  # smtplib's errors, refused or dropped connections, timeouts
        return _attempt_failed(delivery, error)
    Delivery.objects.filter(pk=delivery_id).update(
        status=Delivery.SENT, sent_at=timezone.now(), next_attempt_at=None
    )
    return SENT


def message(delivery: Delivery) -> EmailMessage:
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    stamp = int(delivery.created_at.timestamp())
    return EmailMessage(
        delivery.subject,
        delivery.body,
        settings.DEFAULT_FROM_EMAIL,
        [delivery.to],
        # The same Message-ID on every attempt: a mail system that got it twice (a worker
        # killed between the server's "OK" and our "sent") can tell it is one message.
        headers={"Message-ID": f"<cf-delivery-{delivery.pk}-{stamp}@{domain}>"},
    )


def retry_delay(attempts: int) -> datetime.timedelta:
    """The pause after the `attempts`-th failed attempt: doubling from EMAIL_RETRY_SECONDS."""
    return datetime.timedelta(seconds=settings.EMAIL_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


def _attempt_failed(delivery: Delivery, error: OSError) -> str:
    text = f"{type(error).__name__}: {error}"[:2000]
    if delivery.attempts >= settings.EMAIL_MAX_ATTEMPTS:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.FAILED, last_error=text, next_attempt_at=None
        )
        logger.warning("E-mail %s failed for good: %s", delivery.pk, text)
        return FAILED
    next_at = timezone.now() + retry_delay(delivery.attempts)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.QUEUED, last_error=text, next_attempt_at=next_at
    )
    # A backend that cannot defer (immediate) leaves it queued for `retry_mail`.
    if deliver.get_backend().supports_defer:
        enqueue_on_commit(deliver, delivery.pk, run_after=next_at)
    return RETRYING


def send_again(delivery: Delivery) -> None:
    """A coordinator's "send again" for a failed or interrupted delivery: a fresh round
    of attempts, now."""
    if not delivery.can_send_again:
        return
    Delivery.objects.filter(pk=delivery.pk, status=delivery.status).update(
        status=Delivery.QUEUED, attempts=0, next_attempt_at=None
    )
    enqueue_on_commit(deliver, delivery.pk)


def enqueue_due(now: datetime.datetime | None = None) -> int:
    """Enqueue every queued delivery whose pause is over (after the queue itself was down,
    or on a backend that cannot defer). Harmless when a task is already waiting: a
    delivery is claimed once."""
    ids = list(Delivery.objects.due(now).values_list("pk", flat=True))
    for pk in ids:
        enqueue_on_commit(deliver, pk)
    return len(ids)
