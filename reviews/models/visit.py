"""Step 5: the site visit's timetable: sessions with their peers, interviewees and indicators."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.versioning import EditVersioned
from reviews.models.inception import ProposedInterviewee
from reviews.models.review import Review
from reviews.planning import Slot


class VisitSessionQuerySet(models.QuerySet):
    def for_planner(self) -> VisitSessionQuerySet:
        return self.order_by("starts_at", "pk").prefetch_related(
            "peers", "interviewees", "indicators"
        )


class VisitSession(EditVersioned):
    PREPARATION = "preparation"
    PRESENTATION = "presentation"
    INTERVIEW = "interview"
    WORKSHOP = "workshop"
    DEBRIEF = "debrief"
    FEEDBACK = "feedback"
    KIND_CHOICES = [
        (PREPARATION, _("Preparation")),
        (PRESENTATION, _("Host presentation")),
        (INTERVIEW, _("Interview")),
        (WORKSHOP, _("Workshop")),
        (DEBRIEF, _("Team debrief")),
        (FEEDBACK, _("Feedback presentation")),
    ]

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="visit_sessions")
    kind = models.CharField(_("kind"), max_length=20, choices=KIND_CHOICES, default=INTERVIEW)
    number = models.PositiveIntegerField(_("number"), editable=False, default=0)
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    interpreter = models.BooleanField(
        _("with an interpreter"),
        default=False,
        help_text=_("Interpretation roughly doubles the time."),
    )
    peers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("peers"), blank=True, related_name="+"
    )
    peer_count_reason = models.CharField(
        _("reason for other than two peers"), max_length=300, blank=True
    )
    interviewees = models.ManyToManyField(
        ProposedInterviewee, verbose_name=_("interviewees"), blank=True, related_name="sessions"
    )
    indicators = models.ManyToManyField(
        "benchmarks.Indicator", verbose_name=_("indicators covered"), blank=True, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[peers, interviewees, indicators])

    objects = VisitSessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("visit session")
        verbose_name_plural = _("visit sessions")

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        if not self.number and self.kind in (self.INTERVIEW, self.WORKSHOP):
            last = (
                VisitSession.objects.filter(review_id=self.review_id, kind=self.kind).aggregate(
                    n=models.Max("number")
                )["n"]
                or 0
            )
            self.number = last + 1
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """As evidence codes cite it: "Interview 17", "Workshop 2"; else kind and title."""
        if self.kind == self.INTERVIEW:
            return str(_("Interview %(n)s") % {"n": self.number})
        if self.kind == self.WORKSHOP:
            return str(_("Workshop %(n)s") % {"n": self.number})
        return self.title or str(self.get_kind_display())

    @property
    def takes_evidence(self) -> bool:
        """Evidence is recorded from interviews and workshops (a group interview)."""
        return self.kind in (self.INTERVIEW, self.WORKSHOP)

    @property
    def local_start(self) -> datetime.datetime:
        return timezone.localtime(self.starts_at)

    @property
    def local_end(self) -> datetime.datetime:
        return timezone.localtime(self.ends_at)

    def as_slot(self) -> Slot:
        """For the timetable rules; uses the prefetched relations."""
        return Slot(
            key=self.pk,
            kind=self.kind,
            starts_at=self.local_start,
            ends_at=self.local_end,
            peers={p.pk for p in self.peers.all()},
            interviewees={p.pk for p in self.interviewees.all()},
            indicators={i.pk for i in self.indicators.all()},
            peer_count_reason=self.peer_count_reason,
        )
