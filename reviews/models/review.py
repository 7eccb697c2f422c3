"""A review cycle: one host city, one team, seven steps."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cities.models import City
from core.versioning import EditVersioned
from reviews.steps import (
    COORDINATOR,
    HOST,
    PEER,
    ROLE_CHOICES,
    STEPS,
    TEAM_LEADER,
    TEAM_ROLES,
    Step,
    get_step,
)

# Twenty years: a longer retention period is a typing error.
RETENTION_MAX_MONTHS = 240


class ReviewQuerySet(models.QuerySet):
    def for_user(self, user) -> ReviewQuerySet:
        """The reviews a person may open: every review for coordinators, else their own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_coordinator:
            return self
        return self.filter(memberships__user=user).distinct()

    def baseline_candidates(self, review: Review) -> ReviewQuerySet:
        """The reviews `review` may start from: earlier reviews of its host city on a version
        of the same benchmark, whose report is published; the latest first."""
        if not (review.host_city_id and review.benchmark_version_id):
            return self.none()
        candidates = self.filter(
            host_city_id=review.host_city_id,
            benchmark_version__benchmark_id=review.benchmark_version.benchmark_id,
            feedback_report__published_at__isnull=False,
        )
        if review.pk is not None:
            candidates = candidates.exclude(pk=review.pk)
            if review.created_at:
                candidates = candidates.filter(created_at__lt=review.created_at)
        return candidates.order_by("-feedback_report__published_at", "-pk")

    def with_listing(self) -> ReviewQuerySet:
        return self.select_related("host_city").prefetch_related(
            models.Prefetch(
                "memberships",
                queryset=Membership.objects.with_roles(TEAM_LEADER).select_related("user"),
                to_attr="leader_memberships",
            )
        )


# The conflict-of-interest rule, written once: membership, the review form and a change of
# a person's city all ask it. Peers are critical friends from *other* cities (METHOD.md).
REFUSED, NEEDS_REASON = "refused", "needs_reason"


def conflict_of_interest(*, role: str, city_id: int | None, host_city_id: int | None) -> str | None:
    """May someone working for `city_id` hold `role` in a review hosted by `host_city_id`?

    A peer or team leader who works for the host city: REFUSED. A host city member who
    works for another city (or for no city on record): NEEDS_REASON, recorded on the
    membership. Otherwise None."""
    if role in TEAM_ROLES and city_id is not None and city_id == host_city_id:
        return REFUSED
    if role == HOST and city_id != host_city_id:
        return NEEDS_REASON
    return None


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
    programme = models.ForeignKey(
        "reviews.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        help_text=_("Optional: the round of peer reviews this one belongs to."),
    )
    baseline = models.ForeignKey(
        "self",
        verbose_name=_("baseline"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="re_reviews",
        help_text=_(
            "The earlier review of this city this one starts from: the peers see its final "
            "ratings and the city's commitments beside each indicator."
        ),
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
    # How long the names of the people interviewed are kept once the report is published
    # (reviews.services.privacy); empty: the network's default (PrivacySettings).
    retention_months = models.PositiveSmallIntegerField(
        _("keep interviewees' names for (months after publication)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(RETENTION_MAX_MONTHS)],
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ReviewQuerySet.as_manager()
    # Set by the review form when the host city changes: why the host city members who do
    # not work for the new host city stay on its side (then stored on their memberships).
    host_reason_for_move = ""

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
        self._check_programme()
        self._check_baseline()
        if self.visit_start and self.visit_end and self.visit_end < self.visit_start:
            raise ValidationError({"visit_end": _("The visit cannot end before it starts.")})
        if self.pk is not None and self.host_city_id:
            stored = (
                Review.objects.filter(pk=self.pk).values_list("host_city_id", flat=True).first()
            )
            if stored != self.host_city_id:
                problems = self.conflicts_of_interest(host_city_id=self.host_city_id)
                if problems:
                    raise ValidationError({"host_city": problems})

    def _check_programme(self) -> None:
        """A review in a programme uses the programme's version and is hosted by a partner."""
        programme = self.programme
        if programme is None:
            return
        errors = {}
        if (
            self.benchmark_version_id
            and self.benchmark_version_id != programme.benchmark_version_id
        ):
            errors["benchmark_version"] = _(
                "Every review of “%(programme)s” uses %(version)s: choose that version, or "
                "open the review outside the programme."
            ) % {"programme": programme.name, "version": programme.benchmark_version}
        if self.host_city_id and not programme.is_partner(self.host_city_id):
            errors["host_city"] = _(
                "%(city)s is not a partner city of “%(programme)s”: add it to the "
                "programme's partners first."
            ) % {"city": self.host_city.name, "programme": programme.name}
        if errors:
            raise ValidationError(errors)

    def _check_baseline(self) -> None:
        if self.baseline_id is None:
            return
        if not Review.objects.baseline_candidates(self).filter(pk=self.baseline_id).exists():
            raise ValidationError(
                {
                    "baseline": _(
                        "A baseline is an earlier review of the same city on the same "
                        "benchmark, with a published report."
                    )
                }
            )

    def link_baseline(self) -> Review | None:
        """On opening: take the latest earlier published review of this city on the same
        benchmark as the baseline, unless one is set. Returns the baseline."""
        if self.baseline_id is None:
            self.baseline = Review.objects.baseline_candidates(self).first()
            if self.baseline is not None:
                self.save(update_fields=["baseline"])
        return self.baseline

    def conflicts_of_interest(self, *, host_city_id: int | None = None) -> list[str]:
        """What the conflict-of-interest rule finds in this review's people, were it hosted by
        `host_city_id` (default: its host city)."""
        host_city_id = host_city_id or self.host_city_id
        host_city = City.objects.filter(pk=host_city_id).first()
        problems = []
        for membership in self.memberships.select_related("user__city").order_by("user__name"):
            problem = membership.conflict(host_city=host_city, reason=self.host_reason_for_move)
            if problem:
                problems.append(problem)
        return problems

    def record_host_reasons(self) -> None:
        """After a change of host city: store `host_reason_for_move` on the host city
        memberships that need one now."""
        reason = self.host_reason_for_move.strip()
        if not reason:
            return
        for membership in self.memberships.filter(role=HOST, host_reason="").select_related("user"):
            if conflict_of_interest(
                role=HOST, city_id=membership.user.city_id, host_city_id=self.host_city_id
            ):
                membership.host_reason = reason
                membership.save(update_fields=["host_reason"])

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

    def visit_days(self) -> list[datetime.date]:
        if not (self.visit_start and self.visit_end):
            return []
        days = (self.visit_end - self.visit_start).days + 1
        return [self.visit_start + datetime.timedelta(days=n) for n in range(max(days, 0))]

    @property
    def current(self) -> Step:
        return get_step(self.current_step)

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
    host_reason = models.CharField(
        _("why they join the host city's side"),
        max_length=300,
        blank=True,
        help_text=_("Needed for a host city member who works for another city."),
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

    def conflict(
        self, *, host_city: City | None, city: City | None | bool = False, reason: str = ""
    ) -> str | None:
        """The conflict-of-interest rule for this membership, said as a sentence (None: no
        conflict). `city` is where the person works (default: their city as stored);
        `reason` stands in for a host city member's reason not recorded yet."""
        if city is False:
            city = self.user.city
        kind = conflict_of_interest(
            role=self.role,
            city_id=city.pk if city else None,
            host_city_id=host_city.pk if host_city else None,
        )
        names = {
            "name": self.user.name,
            "city": city.name if city else "",
            "host": host_city.name if host_city else "",
        }
        if kind == REFUSED:
            return str(
                _(
                    "%(name)s works for %(host)s, the host city, and cannot be a peer or "
                    "team leader of its review (conflict of interest)."
                )
                % names
            )
        if kind == NEEDS_REASON and not (self.host_reason.strip() or reason.strip()):
            if city is None:
                return str(
                    _(
                        "%(name)s has no city on record, so does not work for the host city "
                        "%(host)s: say why they join the host city's side."
                    )
                    % names
                )
            return str(
                _(
                    "%(name)s works for %(city)s, not for the host city %(host)s: say why "
                    "they join the host city's side."
                )
                % names
            )
        return None

    def clean(self) -> None:
        if self.is_host_lead and self.role != HOST:
            raise ValidationError(
                {"is_host_lead": _("Only a host city member can be the host lead.")}
            )
        if self.user_id and self.review_id:
            problem = self.conflict(host_city=self.review.host_city)
            if problem:
                field = "host_reason" if self.role == HOST else "user"
                raise ValidationError({field: problem})
        if (
            self.role == TEAM_LEADER
            and Membership.objects.filter(review_id=self.review_id, role=TEAM_LEADER)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError({"role": _("This review already has a team leader.")})


__all__ = ["COORDINATOR", "HOST", "PEER", "TEAM_LEADER", "TEAM_ROLES", "Membership", "Review"]


def city_change_conflicts(user, city: City | None) -> tuple[list[str], list[Membership]]:
    """Re-check every review `user` is on as if they worked for `city`.

    Returns what is refused (a peer or team leader of a review that `city` hosts) and the
    host city memberships that would need a recorded reason (the person would no longer work
    for that review's host city)."""
    refused: list[str] = []
    need_reason: list[Membership] = []
    memberships = Membership.objects.filter(user=user).select_related("review__host_city", "user")
    for membership in memberships.order_by("review__title"):
        review = membership.review
        kind = conflict_of_interest(
            role=membership.role,
            city_id=city.pk if city else None,
            host_city_id=review.host_city_id,
        )
        if kind == REFUSED:
            refused.append(
                str(
                    _(
                        "%(name)s is %(role)s of “%(review)s”, which %(city)s hosts: a peer "
                        "cannot work for the host city (conflict of interest). Take them off "
                        "that review first."
                    )
                    % {
                        "name": user.name,
                        "role": membership.get_role_display().lower(),
                        "review": review.title,
                        "city": review.host_city.name,
                    }
                )
            )
        elif kind == NEEDS_REASON and not membership.host_reason.strip():
            need_reason.append(membership)
    return refused, need_reason
