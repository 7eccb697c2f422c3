"""A review cycle: one host city, one team, seven steps."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from cities.models import City
from core.versioning import EditVersioned
from reviews.steps import (
    COORDINATOR,
    HOST,
    LAST_STEP,
    PEER,
    ROLE_CHOICES,
    STEPS,
    TEAM_LEADER,
    TEAM_ROLES,
    Step,
    get_step,
)


class ReviewQuerySet(models.QuerySet):
    def for_user(self, user) -> ReviewQuerySet:
        """The reviews a person may open: every review for coordinators, else their own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_coordinator:
            return self
        return self.filter(memberships__user=user).distinct()

    def with_listing(self) -> ReviewQuerySet:
        return self.select_related("host_city").prefetch_related(
            models.Prefetch(
                "memberships",
                queryset=Membership.objects.with_roles(TEAM_LEADER).select_related("user"),
                to_attr="leader_memberships",
            )
        )


@dataclass(frozen=True)
class StepStatus:
    step: Step
    state: str  # "done", "current" or "upcoming"
    due: datetime.date | None
    overdue: bool

    @property
    def state_label(self) -> str:
        return str(
            {"done": _("Done"), "current": _("In progress"), "upcoming": _("Not started")}[
                self.state
            ]
        )


class Review(EditVersioned):
    title = models.CharField(_("title"), max_length=200)
    host_city = models.ForeignKey(
        City, verbose_name=_("host city"), on_delete=models.PROTECT, related_name="hosted_reviews"
    )
    benchmark_version = models.ForeignKey(
        "benchmarks.BenchmarkVersion",
        verbose_name=_("benchmark version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        limit_choices_to={"status": "published"},
        help_text=_("A review stays tied to this published version for good."),
    )
    scope = models.ManyToManyField(
        "benchmarks.Indicator",
        verbose_name=_("indicators in scope"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty to review every indicator of the benchmark version."),
    )
    current_step = models.PositiveSmallIntegerField(
        _("current step"), default=1, choices=[(s.number, s.name) for s in STEPS]
    )
    training_date = models.DateField(_("training"), null=True, blank=True)
    inception_due = models.DateField(_("inception report due"), null=True, blank=True)
    visit_start = models.DateField(_("visit from"), null=True, blank=True)
    visit_end = models.DateField(_("visit to"), null=True, blank=True)
    report_due = models.DateField(_("report due"), null=True, blank=True)
    # The visit timetable's grid: rows of `slot_minutes` from `day_starts` to `day_ends`.
    day_starts = models.TimeField(_("visit days start at"), default=datetime.time(9, 0))
    day_ends = models.TimeField(_("visit days end at"), default=datetime.time(18, 0))
    slot_minutes = models.PositiveSmallIntegerField(_("time slot (minutes)"), default=60)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reviews:detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.benchmark_version_id and not self.benchmark_version.is_published:
            raise ValidationError({"benchmark_version": _("Choose a published benchmark version.")})
        self._check_version_tie()
        if self.visit_start and self.visit_end and self.visit_end < self.visit_start:
            raise ValidationError({"visit_end": _("The visit cannot end before it starts.")})

    def _check_version_tie(self) -> None:
        """Once a review has a benchmark version, it keeps it for good."""
        if self.pk is None:
            return
        stored = (
            Review.objects.filter(pk=self.pk).values_list("benchmark_version_id", flat=True).first()
        )
        if stored and stored != self.benchmark_version_id:
            raise ValidationError(
                {
                    "benchmark_version": _(
                        "A review stays tied to the benchmark version it started with."
                    )
                }
            )

    def save(self, *args, **kwargs):
        self._check_version_tie()
        super().save(*args, **kwargs)

    def indicators_in_scope(self):
        """The indicators this review covers, in matrix order (all of them when no scope is set)."""
        from benchmarks.models import Indicator

        if self.benchmark_version_id is None:
            return Indicator.objects.none()
        indicators = self.benchmark_version.indicators.for_matrix()
        if self.scope.exists():
            indicators = indicators.filter(pk__in=self.scope.values("pk"))
        return indicators

    def groups_in_scope(self):
        from benchmarks.models import Group

        return Group.objects.filter(pk__in=self.indicators_in_scope().values("group_id")).order_by(
            "order", "code"
        )

    def team_warnings(self) -> list[str]:
        """What the method advises against in the team as it stands (not refused)."""
        members = list(self.memberships.select_related("user__city"))
        leaders = [m for m in members if m.role == TEAM_LEADER]
        peers = [m for m in members if m.role in (PEER, TEAM_LEADER)]
        warnings = []
        if not leaders:
            warnings.append(str(_("The team has no team leader yet.")))
        if len(peers) < 3:
            warnings.append(
                ngettext(
                    "The team has %(n)s peer; the method advises at least three.",
                    "The team has %(n)s peers; the method advises at least three.",
                    len(peers),
                )
                % {"n": len(peers)}
            )
        cities: dict[int, list[str]] = {}
        for m in peers:
            if m.user.city_id:
                cities.setdefault(m.user.city_id, []).append(m.user.name)
        for names in cities.values():
            if len(names) > 1:
                warnings.append(
                    str(
                        _("%(names)s come from the same city.")
                        % {"names": " & ".join(sorted(names))}
                    )
                )
        return warnings

    def visit_days(self) -> list[datetime.date]:
        if not (self.visit_start and self.visit_end):
            return []
        days = (self.visit_end - self.visit_start).days + 1
        return [self.visit_start + datetime.timedelta(days=n) for n in range(max(days, 0))]

    def step_due(self, step: Step) -> datetime.date | None:
        return getattr(self, step.due_field) if step.due_field else None

    def step_statuses(self, today: datetime.date | None = None) -> list[StepStatus]:
        today = today or timezone.localdate()
        result = []
        for step in STEPS:
            if step.number < self.current_step:
                state = "done"
            elif step.number == self.current_step:
                state = "current"
            else:
                state = "upcoming"
            due = self.step_due(step)
            result.append(
                StepStatus(step, state, due, state != "done" and due is not None and due < today)
            )
        return result

    @property
    def current(self) -> Step:
        return get_step(self.current_step)

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        due = self.step_due(self.current)
        return due is not None and due < (today or timezone.localdate())

    def next_action_for(self, role: str | None) -> str:
        """What a person in this role should do now, in one sentence."""
        step = self.current
        if role in step.actors or (role == TEAM_LEADER and PEER in step.actors):
            return str(step.action)
        return str(
            _("Nothing for you now: %(actors)s are working on step %(n)s.")
            % {"actors": ", ".join(step.actor_labels), "n": step.number}
        )

    @transaction.atomic
    def advance_step(self, *, by) -> None:
        if self.current_step >= LAST_STEP:
            raise ValidationError(_("This review is already at the last step."))
        self.current_step += 1
        self._change_reason = f"advanced to step {self.current_step} by {by}"
        self.save(update_fields=["current_step"])

    def members(self, *roles: str, active: bool = False) -> list:
        """The people who hold one of `roles` in this review, by name; `active=True` leaves
        out deactivated accounts (nobody notifies them)."""
        memberships = self.memberships.with_roles(*roles).select_related("user")
        if active:
            memberships = memberships.filter(user__is_active=True)
        return [m.user for m in memberships.order_by("user__name")]

    def team(self) -> list:
        """The review team: the peers, one of whom leads."""
        return self.members(*TEAM_ROLES)

    @property
    def team_leader(self):
        leaders = getattr(self, "leader_memberships", None)
        if leaders is None:
            leaders = list(self.memberships.with_roles(TEAM_LEADER).select_related("user"))
        return leaders[0].user if leaders else None


class MembershipQuerySet(models.QuerySet):
    def with_roles(self, *roles: str) -> MembershipQuerySet:
        """Memberships holding one of `roles` (e.g. ``with_roles(*TEAM_ROLES)``)."""
        return self.filter(role__in=roles)

    def for_dashboard(self, user) -> MembershipQuerySet:
        return (
            self.filter(user=user)
            .select_related("review__host_city")
            .order_by("-review__created_at")
        )


class Membership(models.Model):
    """A person's role in one review. Roles are per review, never global (but coordinator)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=ROLE_CHOICES)
    is_host_lead = models.BooleanField(
        _("host lead"), default=False, help_text=_("The host city's integration coordinator.")
    )
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["role", "user__name"]
        verbose_name = _("review member")
        verbose_name_plural = _("review members")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "user"], name="membership_one_role_per_review"
            ),
            models.UniqueConstraint(
                fields=["review"],
                condition=Q(role=TEAM_LEADER),
                name="membership_one_team_leader",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.review}"

    def clean(self) -> None:
        if self.is_host_lead and self.role != HOST:
            raise ValidationError(
                {"is_host_lead": _("Only a host city member can be the host lead.")}
            )
        if (
            self.role in (PEER, TEAM_LEADER)
            and self.user_id
            and self.user.city_id
            and self.user.city_id == self.review.host_city_id
        ):
            raise ValidationError(
                {
                    "user": _(
                        "%(name)s works for the host city and cannot be a peer or team leader "
                        "of its review (conflict of interest)."
                    )
                    % {"name": self.user.name}
                }
            )
        if (
            self.role == TEAM_LEADER
            and Membership.objects.filter(review_id=self.review_id, role=TEAM_LEADER)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError({"role": _("This review already has a team leader.")})


__all__ = ["COORDINATOR", "HOST", "PEER", "TEAM_LEADER", "TEAM_ROLES", "Membership", "Review"]
