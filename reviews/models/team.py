"""Step 2: training of the review team and the host city."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.versioning import EditVersioned
from reviews.models.review import Review


class TrainingSession(EditVersioned):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="training_sessions")
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    topics = models.TextField(_("topics"), blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("attended"), blank=True, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.place}"
