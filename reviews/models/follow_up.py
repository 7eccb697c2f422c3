"""Step 7 after publication: the host city's answer to each recommendation, the action plan
it makes, and progress updates at the checkpoints (six and twelve months by default)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.versioning import EditVersioned
from reviews.models.feedback_report import Recommendation


class HostResponse(EditVersioned):
    ACCEPT, PARTLY, DECLINE = "accept", "partly", "decline"
    DECISION_CHOICES = [
        (ACCEPT, _("Accept")),
        (PARTLY, _("Accept in part")),
        (DECLINE, _("Decline")),
    ]
    recommendation = models.OneToOneField(
        Recommendation, on_delete=models.CASCADE, related_name="response"
    )
    decision = models.CharField(_("decision"), max_length=8, choices=DECISION_CHOICES)
    rationale = models.TextField(
        _("rationale"), blank=True, help_text=_("Why, and for a part: which part.")
    )
    owner = models.CharField(
        _("owner"), max_length=200, blank=True, help_text=_("Who in the city carries it out.")
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    first_actions = models.TextField(_("first actions"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    responded_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recommendation__number"]

    def __str__(self) -> str:
        return f"{self.recommendation.number}: {self.get_decision_display()}"

    @property
    def committed(self) -> bool:
        return self.decision in (self.ACCEPT, self.PARTLY)

    def clean(self) -> None:
        errors = {}
        if self.committed:
            for name, message in (
                ("owner", _("Name who carries it out.")),
                ("deadline", _("Give a deadline.")),
                ("first_actions", _("Describe the first actions.")),
            ):
                if not getattr(self, name):
                    errors[name] = message
        if self.decision in (self.PARTLY, self.DECLINE) and not self.rationale.strip():
            errors["rationale"] = _("Explain why the city does not accept it in full.")
        if errors:
            raise ValidationError(errors)


class ProgressUpdate(EditVersioned):
    NOT_STARTED, ON_TRACK, DELAYED, DONE, DROPPED = (
        "not_started",
        "on_track",
        "delayed",
        "done",
        "dropped",
    )
    STATUS_CHOICES = [
        (NOT_STARTED, _("Not started")),
        (ON_TRACK, _("On track")),
        (DELAYED, _("Delayed")),
        (DONE, _("Done")),
        (DROPPED, _("Dropped")),
    ]
    response = models.ForeignKey(HostResponse, on_delete=models.CASCADE, related_name="updates")
    checkpoint = models.PositiveSmallIntegerField(
        _("checkpoint"), choices=[(1, _("First update")), (2, _("Second update"))]
    )
    status = models.CharField(_("status"), max_length=12, choices=STATUS_CHOICES)
    note = models.TextField(_("what happened"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["checkpoint"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "checkpoint"], name="one_update_per_checkpoint"
            )
        ]

    def __str__(self) -> str:
        return f"{self.response} @{self.checkpoint}: {self.status}"
