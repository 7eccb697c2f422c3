"""The network's rules for personal data that belong to no single review: how long the
names of the people interviewed are kept after a report is published, unless a review says
otherwise (``Review.retention_months``). The work itself is in reviews/services/privacy.py."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.versioning import EditVersioned
from reviews.models.review import RETENTION_MAX_MONTHS

# Past both progress checkpoints (6 and 12 months), with a year to spare for the follow-up.
DEFAULT_RETENTION_MONTHS = 24


class PrivacySettings(EditVersioned):
    """One row for the whole network, edited by coordinators on the privacy page."""

    retention_months = models.PositiveSmallIntegerField(
        _("keep interviewees' names for (months after publication)"),
        default=DEFAULT_RETENTION_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(RETENTION_MAX_MONTHS)],
        help_text=_(
            "The default for every review; a coordinator can set another period on a review's edit page."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("privacy settings")
        verbose_name_plural = _("privacy settings")

    def __str__(self) -> str:
        return str(_("Privacy settings"))

    @classmethod
    def current(cls) -> PrivacySettings:
        """The network's row; unsaved defaults until a coordinator first saves it."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)
