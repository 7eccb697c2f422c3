"""An e-mail is a row: written in the recipient's language when it is queued, sent by a
background task, tried again with growing pauses while the mail server is down.

"Exactly once" rests on the row: a task claims it by switching it from queued to sending
in one UPDATE that only one process can win, and marks it sent only after the mail server
accepted it. Two tasks for one row (a retry, a coordinator's "send again", two workers)
send it once.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A delivery still "sending" after this long lost its worker (a crash, a kill): nobody
# knows whether the mail server took it, so a coordinator decides whether to send it again.
STALE_AFTER = datetime.timedelta(minutes=15)


class DeliveryQuerySet(models.QuerySet):
    def needing_attention(self, now: datetime.datetime | None = None) -> DeliveryQuerySet:
        """Failed for good, or interrupted while sending."""
        now = now or timezone.now()
        return self.filter(
            Q(status=Delivery.FAILED) | Q(status=Delivery.SENDING, claimed_at__lt=now - STALE_AFTER)
        )

    def due(self, now: datetime.datetime | None = None) -> DeliveryQuerySet:
        """Queued and waiting for no pause: ready to be sent now."""
        now = now or timezone.now()
        return self.filter(status=Delivery.QUEUED).filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
        )


class Delivery(models.Model):
    QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
    STATUS_CHOICES = [
        (QUEUED, _("Queued")),
        (SENDING, _("Sending")),
        (SENT, _("Sent")),
        (FAILED, _("Failed")),
    ]

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=8, choices=STATUS_CHOICES, default=QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"

    @property
    def can_send_again(self) -> bool:
        """Failed for good, or interrupted while sending: a coordinator may send it again."""
        return self.status == self.FAILED or self.interrupted

    @property
    def interrupted(self) -> bool:
        return bool(
            self.status == self.SENDING
            and self.claimed_at
            and self.claimed_at < timezone.now() - STALE_AFTER
        )
