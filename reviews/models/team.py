"""Step 2: training of the review team and the host city."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.versioning import EditVersioned
from reviews.models.review import Review


class TrainingSession(EditVersioned):
    """A training of one review's team and host city, or a joint training of a programme's
    teams (all trained together once, a month before the first visit: 001, ~l.474). Who
    attended a joint training counts as trained on every review of the programme."""

    review = models.ForeignKey(
        Review,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="training_sessions",
    )
    programme = models.ForeignKey(
        "reviews.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="training_sessions",
    )
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
        constraints = [
            models.CheckConstraint(
                condition=Q(review__isnull=False, programme__isnull=True)
                | Q(review__isnull=True, programme__isnull=False),
                name="training_of_a_review_or_a_programme",
            )
        ]

    @property
    def is_joint(self) -> bool:
        return self.programme_id is not None

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.place}"
