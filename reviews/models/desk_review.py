"""Step 4: each peer's independent desk review, the team's consolidated view, and the
information the team asks the host city for."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.versioning import EditVersioned
from reviews.models.inception import ProposedInterviewee
from reviews.models.review import Review


class DeskReviewQuerySet(models.QuerySet):
    def submitted(self) -> DeskReviewQuerySet:
        return self.filter(submitted_at__isnull=False)


class DeskReview(models.Model):
    """One peer's desk review of one review: written alone, shared once submitted."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="desk_reviews")
    peer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    history = HistoricalRecords()

    objects = DeskReviewQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "peer"], name="desk_review_once")]

    def __str__(self) -> str:
        return f"{self.peer} – {self.review}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    def assert_editable(self) -> None:
        if self.is_submitted:
            raise ValidationError(_("This desk review is submitted and can no longer change."))

    @transaction.atomic
    def submit(self) -> None:
        self.assert_editable()
        self.submitted_at = timezone.now()
        self.save(update_fields=["submitted_at"])

    @transaction.atomic
    def reopen(self, *, by, reason: str) -> None:
        """Back to a draft its peer can change (and must submit again)."""
        if not self.is_submitted:
            raise ValidationError(_("This desk review is not submitted."))
        self.submitted_at = None
        self._change_reason = f"reopened by {by}: {reason}"
        self.save(update_fields=["submitted_at"])


class DeskReviewEntryQuerySet(models.QuerySet):
    def visible_to(self, user, review: Review) -> DeskReviewEntryQuerySet:
        """The one rule of step 4, for every page, PDF and export that shows desk-review
        entries: a person sees their own entries; a peer sees the others' (submitted) ones
        only after submitting their own, a coordinator only once every peer has
        (``reviews.see_team_desk_reviews``)."""
        entries = self.filter(desk_review__review=review)
        own = Q(desk_review__peer=user)
        if user.has_perm("reviews.see_team_desk_reviews", review):
            return entries.filter(own | Q(desk_review__submitted_at__isnull=False))
        return entries.filter(own)


class DeskReviewEntry(EditVersioned):
    desk_review = models.ForeignKey(DeskReview, on_delete=models.CASCADE, related_name="entries")
    indicator = models.ForeignKey(
        "benchmarks.Indicator", on_delete=models.PROTECT, related_name="+"
    )
    performance = models.ForeignKey(
        "benchmarks.ScaleLevel",
        verbose_name=_("performance"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    hypothesis = models.TextField(_("hypothesis to test on the visit"), blank=True)
    questions = models.TextField(_("questions to ask"), blank=True)
    meet = models.ManyToManyField(
        ProposedInterviewee, verbose_name=_("whom to meet"), blank=True, related_name="+"
    )
    meet_others = models.CharField(
        _("others to meet"),
        max_length=300,
        blank=True,
        help_text=_("People not on the host's list."),
    )
    benchmark_note = models.TextField(
        _("remark on the indicator itself, for the benchmark"),
        blank=True,
        help_text=_(
            "Optional: is the indicator unclear, too prescriptive or hard to evidence? "
            "The coordinators see it when they revise the benchmark."
        ),
    )
    history = HistoricalRecords(m2m_fields=[meet])

    objects = DeskReviewEntryQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["desk_review", "indicator"], name="desk_entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} – {self.desk_review.peer}"

    def save(self, *args, **kwargs):
        DeskReview.objects.get(pk=self.desk_review_id).assert_editable()
        super().save(*args, **kwargs)

    @property
    def is_complete(self) -> bool:
        return bool(self.performance_id and self.hypothesis.strip())


class ConsolidatedEntryQuerySet(models.QuerySet):
    def visible_to(self, user, review: Review) -> ConsolidatedEntryQuerySet:
        """The team's consolidated view is drawn from every desk review: it follows the same
        rule as the others' entries (``reviews.see_team_desk_reviews``), or nothing."""
        if not user.has_perm("reviews.see_team_desk_reviews", review):
            return self.none()
        return self.filter(review=review)


class ConsolidatedEntry(EditVersioned):
    """The team's agreed first view of one indicator, recorded by the team leader."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="consolidated_entries"
    )
    indicator = models.ForeignKey(
        "benchmarks.Indicator", on_delete=models.PROTECT, related_name="+"
    )
    rating = models.ForeignKey(
        "benchmarks.ScaleLevel",
        verbose_name=_("agreed first rating"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    hypothesis = models.TextField(_("working hypothesis"), blank=True)
    key_questions = models.TextField(_("key questions"), blank=True)
    history = HistoricalRecords()

    objects = ConsolidatedEntryQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "indicator"], name="consolidated_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} – {self.review}"


class InformationRequestQuerySet(models.QuerySet):
    def open(self) -> InformationRequestQuerySet:
        return self.filter(answered_at__isnull=True)


class InformationRequest(EditVersioned):
    """A question the team sends the host city before the visit."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="information_requests"
    )
    indicator = models.ForeignKey(
        "benchmarks.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    history = HistoricalRecords()

    objects = InformationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-asked_at", "-pk"]
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")

    def __str__(self) -> str:
        return self.question[:80]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


def levels_disagree(levels) -> bool:
    """True when ratings lie more than one level apart on the scale.

    Only levels with a score count: "more information needed" is not a position.
    """
    orders = [level.order for level in levels if level is not None and level.score is not None]
    return bool(orders) and max(orders) - min(orders) > 1
