"""Reminders of due dates: one row per person, kind, thing and due date, so a reminder goes
once however often the reminder job runs (`manage.py send_reminders`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reviews.models.review import Review


class Reminder(models.Model):
    INCEPTION_DUE = "inception_due"
    DESK_REVIEW_DUE = "desk_review_due"
    APPROVAL_PENDING = "approval_pending"
    FACTUAL_ROUND_CLOSING = "factual_round_closing"
    ACTIONS_DUE = "actions_due"
    UPDATE_DUE = "update_due"
    UPDATE_LATE = "update_late"
    KIND_CHOICES = [
        (INCEPTION_DUE, _("Inception report due")),
        (DESK_REVIEW_DUE, _("Desk review due")),
        (APPROVAL_PENDING, _("Report approval pending")),
        (FACTUAL_ROUND_CLOSING, _("Factual-accuracy round closing")),
        (ACTIONS_DUE, _("Committed actions due")),
        (UPDATE_DUE, _("Progress update due")),
        (UPDATE_LATE, _("Progress update late")),
    ]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=24, choices=KIND_CHOICES)
    # What in the review it is about, e.g. "review", "version:3", "checkpoint:1".
    about = models.CharField(max_length=40)
    due = models.DateField(_("due"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "review", "about", "due"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_kind_display()} – {self.due}"
