"""Step 7, on site: the main conclusions every peer agrees to before the team leaves,
and the preliminary observations presented to the city."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.versioning import EditVersioned
from reviews.models.review import Review


def team_of(review: Review) -> list:
    return review.team()


def conclusions_locked(review: Review) -> bool:
    """Locked once every peer agreed to every conclusion (and there is at least one)."""
    conclusions = list(review.conclusions.prefetch_related("votes"))
    team = {u.pk for u in team_of(review)}
    if not conclusions or not team:
        return False
    return all({v.peer_id for v in c.votes.all() if v.agrees} >= team for c in conclusions)


class KeyConclusion(EditVersioned):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="conclusions")
    order = models.PositiveIntegerField(default=0)
    text = models.TextField(_("conclusion"))
    groups = models.ManyToManyField(
        "benchmarks.Group", verbose_name=_("groups"), blank=True, related_name="+"
    )
    indicators = models.ManyToManyField(
        "benchmarks.Indicator", verbose_name=_("indicators"), blank=True, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[groups, indicators])

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def save(self, *args, **kwargs):
        if conclusions_locked(self.review):
            raise ValidationError(_("Every peer has agreed: the conclusions are locked."))
        with transaction.atomic():
            super().save(*args, **kwargs)
            # A changed conclusion must be agreed again.
            self.votes.all().delete()


class ConclusionVote(models.Model):
    conclusion = models.ForeignKey(KeyConclusion, on_delete=models.CASCADE, related_name="votes")
    peer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    agrees = models.BooleanField()
    dissent = models.TextField(_("dissent"), blank=True)
    at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conclusion", "peer"], name="one_vote")]

    def __str__(self) -> str:
        return f"{self.peer}: {'agrees' if self.agrees else 'dissents'}"


class PreliminaryFeedback(EditVersioned):
    review = models.OneToOneField(
        Review, on_delete=models.CASCADE, related_name="preliminary_feedback"
    )
    presented_on = models.DateField(_("presented on"))
    audience = models.CharField(_("audience"), max_length=300, blank=True)
    observations = models.TextField(_("preliminary observations presented"))
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.review} {self.presented_on}"
