"""Step 7 after the visit: the feedback report the team writes together, its frozen versions
and every peer's approval, the host city's factual-accuracy round, and publication.

The report is written in rows people edit (summary, a section per group, findings,
recommendations). Freezing takes a snapshot of everything (``ReportVersion.content``,
built by ``reviews.services.report_content.build_content``); approvals belong to that snapshot, so any
change afterwards supersedes it and the approvals with it. The final version is the one
the PDF, the DOCX and the host city read.
"""

from __future__ import annotations

import calendar
import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from core.approvals import (
    DocumentLocked,
    FrozenVersion,
    GuardedRow,
    VersionApproval,
    VersionedDocument,
)
from core.versioning import EditVersioned
from reviews.models.evidence import CONFIRMING_INTERVIEWS, Evidence, indicator_statuses
from reviews.models.review import Review

ReportLocked = DocumentLocked


class FeedbackReport(VersionedDocument, EditVersioned):
    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="feedback_report")
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("Markdown. The main conclusions in a page.")
    )
    summary_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    factual_round_opened_at = models.DateTimeField(null=True, blank=True)
    factual_round_closed_at = models.DateTimeField(null=True, blank=True)
    factual_round_version = models.ForeignKey(
        "reviews.ReportVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    public_token = models.CharField(max_length=64, blank=True, db_index=True)
    presented_on = models.DateField(_("presented on"), null=True, blank=True)
    presentation_audience = models.CharField(
        _("audience"),
        max_length=300,
        blank=True,
        help_text=_("For example: city staff, partners, stakeholders, press."),
    )
    first_checkpoint = models.DateField(
        _("first progress update due"), null=True, blank=True, help_text=_("Six months by default.")
    )
    second_checkpoint = models.DateField(
        _("second progress update due"),
        null=True,
        blank=True,
        help_text=_("Twelve months by default."),
    )
    # The coordinator's choice: the city against the network as an annex, frozen into each
    # version's content from then on (reviews.services.network).
    network_annex = models.BooleanField(
        _("annex: the city against the network"),
        default=False,
        help_text=_(
            "Adds the city's ratings per group beside the spread of the programme's other "
            "published reviews."
        ),
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return str(self.review)

    # --- state -----------------------------------------------------------------------------

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def factual_round_open(self) -> bool:
        return bool(self.factual_round_opened_at and not self.factual_round_closed_at)

    @property
    def factual_round_closes_on(self) -> datetime.date | None:
        """The day the host city's comments are due: FACTUAL_ROUND_DAYS after it opened."""
        if not self.factual_round_opened_at:
            return None
        opened = timezone.localdate(self.factual_round_opened_at)
        return opened + datetime.timedelta(days=settings.FACTUAL_ROUND_DAYS)

    def save(self, *args, **kwargs):
        if self.pk and not kwargs.get("update_fields"):
            before = FeedbackReport.objects.filter(pk=self.pk).values_list("summary", flat=True)
            if before and before[0] != self.summary:
                self.guard_change()
        super().save(*args, **kwargs)

    def team(self) -> list:
        from reviews.models.conclusions import team_of

        return team_of(self.review)

    def approvers(self) -> list:
        """Every peer of the team approves each version."""
        return self.team()

    def missing_for_final(self) -> list[str]:
        """What stops the team leader from making the pending version final."""
        problems = []
        pending = self.pending_version
        if pending is None:
            problems.append(str(_("Freeze a version first.")))
        else:
            waiting = pending.waiting_for()
            if waiting:
                problems.append(
                    str(_("Not every peer has approved version %(n)s: %(names)s."))
                    % {"n": pending.number, "names": ", ".join(str(p) for p in waiting)}
                )
        if not self.factual_round_opened_at:
            problems.append(str(_("The host city has not had its factual-accuracy round.")))
        elif self.factual_round_open:
            problems.append(str(_("The factual-accuracy round is still open.")))
        unanswered = self.factual_comments.filter(answer="").count()
        if unanswered:
            problems.append(
                ngettext(
                    "%(n)s factual comment of the host city is not answered yet.",
                    "%(n)s factual comments of the host city are not answered yet.",
                    unanswered,
                )
                % {"n": unanswered}
            )
        return problems

    @transaction.atomic
    def make_final(self, *, by) -> ReportVersion:
        problems = self.missing_for_final()
        if problems:
            raise ValidationError(problems)
        version = self.pending_version
        version.state = ReportVersion.FINAL
        version.final_at = timezone.now()
        version.save(update_fields=["state", "final_at"])
        self.forget()
        return version

    def missing_for_factual_round(self) -> list[str]:
        """What stops the team leader from sending the pending version to the host city."""
        pending = self.pending_version
        if pending is None:
            return [str(_("Freeze a version first: the host city reads a frozen version."))]
        if self.factual_round_open:
            return [str(_("The factual-accuracy round is already open."))]
        waiting = pending.waiting_for()
        if waiting:
            return [
                str(
                    _(
                        "The team approves a version before the host city reads it. Waiting for: %(names)s."
                    )
                )
                % {"names": ", ".join(p.name for p in waiting)}
            ]
        return []

    @transaction.atomic
    def open_factual_round(self) -> ReportVersion:
        """Send the pending version, approved by the whole team, to the host city."""
        problems = self.missing_for_factual_round()
        if problems:
            raise ValidationError(problems)
        pending = self.pending_version
        self.factual_round_version = pending
        self.factual_round_opened_at = timezone.now()
        self.factual_round_closed_at = None
        self.save(
            update_fields=[
                "factual_round_version",
                "factual_round_opened_at",
                "factual_round_closed_at",
            ]
        )
        return pending

    def close_factual_round(self) -> None:
        if not self.factual_round_open:
            raise ValidationError(_("The factual-accuracy round is not open."))
        self.factual_round_closed_at = timezone.now()
        self.save(update_fields=["factual_round_closed_at"])

    @transaction.atomic
    def reopen_final(self) -> ReportVersion:
        """Undo making a version final, before publication: it waits for approvals again
        (they are kept), so the team can change the text (a new version) or finalise it."""
        if self.is_published:
            raise ValidationError(_("A published report cannot be reopened."))
        version = self.final_version
        if version is None:
            raise ValidationError(_("The report is not final."))
        version.state = ReportVersion.FROZEN
        version.final_at = None
        version._change_reason = "reopened"
        version.save(update_fields=["state", "final_at"])
        self.forget()
        return version

    @transaction.atomic
    def publish(self, *, by) -> None:
        """The final version goes to the host city; progress checkpoints are set."""
        if not self.is_final:
            raise ValidationError(_("Only a final report can be published."))
        self.published_at = timezone.now()
        self.published_by = by
        self.save(update_fields=["published_at", "published_by"])
        fill_default_checkpoints(self)

    def new_public_token(self) -> str:
        self.public_token = secrets.token_urlsafe(24)
        return self.public_token


class ReportSection(GuardedRow):
    """One group (pillar, role) of the report: the team's evaluation and what hangs off it."""

    report = models.ForeignKey(FeedbackReport, on_delete=models.CASCADE, related_name="sections")
    group = models.ForeignKey(
        "benchmarks.Group", verbose_name=_("group"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveIntegerField(default=0)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    evaluation = models.TextField(
        _("the team's evaluation"),
        blank=True,
        help_text=_("Markdown. How the city performs against the standard, and why."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "group"], name="one_section_per_group")
        ]

    def __str__(self) -> str:
        return str(self.group)

    guarded_fields = ("evaluation",)

    def document(self) -> FeedbackReport:
        return self.report


class ContentRow(GuardedRow):
    """A finding or a recommendation: any change or removal supersedes a frozen version."""

    order = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def document(self) -> FeedbackReport:
        return self.section.report


class Finding(ContentRow):
    STRENGTH = "strength"
    WEAKNESS = "weakness"
    GOOD_PRACTICE = "good_practice"
    KIND_CHOICES = [
        (STRENGTH, _("Strength")),
        (WEAKNESS, _("Weakness")),
        (GOOD_PRACTICE, _("Good practice")),
    ]
    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("kind"), max_length=16, choices=KIND_CHOICES)
    text = models.TextField(_("finding"))
    obstacles = models.TextField(
        _("obstacles behind it"),
        blank=True,
        help_text=_("For a weakness: what stands in the city's way."),
    )
    evidence = models.ManyToManyField(
        Evidence, verbose_name=_("evidence cited"), related_name="findings"
    )
    history = HistoricalRecords(m2m_fields=[evidence])

    class Meta(ContentRow.Meta):
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return self.text[:80]


class Recommendation(ContentRow):
    HIGH, MEDIUM, LOW = "high", "medium", "low"
    PRIORITY_CHOICES = [(HIGH, _("High")), (MEDIUM, _("Medium")), (LOW, _("Low"))]
    TIMEFRAME_CHOICES = [
        ("6m", _("Within 6 months")),
        ("12m", _("Within a year")),
        ("24m", _("Within two years")),
        ("longer", _("Longer term")),
    ]
    section = models.ForeignKey(
        ReportSection, on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.PositiveIntegerField(_("number"), default=0, editable=False)
    text = models.TextField(
        _("recommendation"), help_text=_("Specific: what the city should do, concretely.")
    )
    indicators = models.ManyToManyField(
        "benchmarks.Indicator",
        verbose_name=_("indicators it moves towards the benchmark"),
        related_name="+",
    )
    priority = models.CharField(_("priority"), max_length=8, choices=PRIORITY_CHOICES)
    timeframe = models.CharField(_("suggested timeframe"), max_length=8, choices=TIMEFRAME_CHOICES)
    actor = models.CharField(
        _("who in the city should act"),
        max_length=200,
        help_text=_("A department, a post or a body: someone who can accept it."),
    )
    measure = models.CharField(
        _("how progress shows"),
        max_length=300,
        help_text=_("Measurable: what will be different when it is done."),
    )
    history = HistoricalRecords(m2m_fields=[indicators])

    class Meta(ContentRow.Meta):
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:70]}"

    def save(self, *args, **kwargs):
        if not self.number:
            last = Recommendation.objects.filter(
                section__report_id=self.section.report_id
            ).aggregate(n=models.Max("number"))["n"]
            self.number = (last or 0) + 1
        super().save(*args, **kwargs)


class ReportVersion(FrozenVersion):
    report = models.ForeignKey(FeedbackReport, on_delete=models.CASCADE, related_name="versions")
    history = HistoricalRecords()

    class Meta(FrozenVersion.Meta):
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_once")
        ]


class ReportApproval(VersionApproval):
    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="approvals")
    peer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "peer"], name="one_approval_per_peer")
        ]


class FactualComment(EditVersioned):
    """The host city points out a factual error in a section; the team answers each one."""

    SUMMARY = "summary"
    report = models.ForeignKey(
        FeedbackReport, on_delete=models.CASCADE, related_name="factual_comments"
    )
    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="+")
    # "summary" or a group code, as the version's content names its sections.
    section_key = models.CharField(_("section"), max_length=40)
    text = models.TextField(_("factual error"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("the team's answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


# --- progress checkpoints after publication ----------------------------------------------

CHECKPOINTS = (1, 2)
DEFAULT_MONTHS = {1: 6, 2: 12}


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def checkpoint_dates(report: FeedbackReport) -> dict[int, datetime.date | None]:
    """The two checkpoint dates: as set, else 6 and 12 months after publication."""
    published = timezone.localdate(report.published_at) if report.published_at else None
    stored = {1: report.first_checkpoint, 2: report.second_checkpoint}
    return {
        n: stored[n] or (add_months(published, DEFAULT_MONTHS[n]) if published else None)
        for n in CHECKPOINTS
    }


def fill_default_checkpoints(report: FeedbackReport, *, save: bool = True) -> None:
    """Set the default dates where none is stored: saved at publication; `save=False` for
    a form that shows them (saved with the form)."""
    if report.published_at and not (report.first_checkpoint and report.second_checkpoint):
        dates = checkpoint_dates(report)
        report.first_checkpoint, report.second_checkpoint = dates[1], dates[2]
        if save:
            report.save(update_fields=["first_checkpoint", "second_checkpoint"])


# --- the two-interview rule for citations ------------------------------------------------


def citation_problems(review: Review, evidence: list[Evidence]) -> dict[int, str]:
    """Why each entry may not be cited (entry pk -> reason); citable entries are absent.

    An entry may back a finding only when it is a fact from an interview or workshop and
    its colour is confirmed, for one of its indicators, by at least two distinct interviews.
    """
    indicators = {i.pk: i for e in evidence for i in e.indicators.all()}
    statuses = indicator_statuses(review, indicators.values())
    problems = {}
    for entry in evidence:
        code = entry.codes()[0] if entry.indicators.all() else entry.source_label
        if entry.deleted_at is not None:
            problems[entry.pk] = _("%(code)s was deleted.") % {"code": code}
        elif entry.basis != Evidence.FACT:
            problems[entry.pk] = _(
                "%(code)s is an interviewee's opinion; only facts can back a finding."
            ) % {"code": code}
        elif not entry.counts_for_findings:
            problems[entry.pk] = _(
                "%(code)s does not come from an interview or workshop; a finding needs "
                "%(n)s interviews."
            ) % {"code": code, "n": CONFIRMING_INTERVIEWS}
        else:
            best = max(
                (
                    len(statuses[i.pk].interviews_by_colour.get(entry.colour, ()))
                    for i in entry.indicators.all()
                ),
                default=0,
            )
            if best < CONFIRMING_INTERVIEWS:
                problems[entry.pk] = ngettext(
                    '%(code)s is not confirmed: %(found)s interview found "%(colour)s", '
                    "a finding needs %(n)s.",
                    '%(code)s is not confirmed: %(found)s interviews found "%(colour)s", '
                    "a finding needs %(n)s.",
                    best,
                ) % {
                    "code": code,
                    "found": best,
                    "colour": entry.colour.label,
                    "n": CONFIRMING_INTERVIEWS,
                }
    return problems


def existing_report(review) -> FeedbackReport | None:
    """The review's report if the team has started it; reading never creates it."""
    report = FeedbackReport.objects.filter(review=review).first()
    if report is not None:
        # The caller's review, with what it already loaded; the review knows its report
        # (reviews.rules reads it from there).
        report.review = review
    return report


def ensure_report(review, *, sections: bool = True) -> FeedbackReport:
    """The review's report, with a section for every group in scope, created if missing:
    for POST handlers only, after their permission check (pages read `existing_report`).
    `sections=False` skips the sections."""
    report, _created = FeedbackReport.objects.get_or_create(review=review)
    # The caller's review, with what it already loaded: `report.review` costs no query, and
    # the review knows its report (reviews.rules reads it from there).
    report.review = review
    if not sections:
        return report
    missing = list(review.groups_in_scope().exclude(pk__in=report.sections.values("group_id")))
    if missing:
        ReportSection.objects.bulk_create(
            [ReportSection(report=report, group=g, order=g.order) for g in missing]
        )
    return report
