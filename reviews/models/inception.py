"""Step 3: the host city's inception report (background, self-assessment per
indicator, provenance) and the people it proposes the peers meet."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.versioning import EditVersioned
from reviews.models.review import Review
from reviews.progress import progress_by_group

# The seven background sections of the method's template (METHOD.md, step 3).
SECTIONS = [
    (
        "features",
        _("Key features of the municipality"),
        _("Population, economy, geography, the composition of the population."),
    ),
    (
        "structure",
        _("Role and structure of the municipality"),
        _(
            "Its role in policy and services, with a diagram of its political, administrative and operational structure (attach it)."
        ),
    ),
    (
        "levels",
        _("Division of responsibilities"),
        _(
            "What the local, regional and national governments are each responsible for in integration."
        ),
    ),
    (
        "politics",
        _("Political decision-making and balance"),
        _("How decisions are made and the political balance in the council."),
    ),
    (
        "strategy",
        _("Strategies, plans and the definition of 'immigrant'"),
        _(
            "Strategies, plans and actions for integration, including the city's own definition of 'immigrant'."
        ),
    ),
    (
        "cooperation",
        _("Cooperation arrangements"),
        _("How stakeholders cooperate: partners, networks, agreements."),
    ),
    (
        "budgets",
        _("Budgets for integration"),
        _("Budgets by source: local, regional, national, EU."),
    ),
]
SECTION_KEYS = [key for key, _title, _help in SECTIONS]
SECTION_TITLES = {key: title for key, title, _help in SECTIONS}
SECTION_HELP = {key: help_text for key, _title, help_text in SECTIONS}

# What the method asks of every indicator's self-assessment, and how a gap is named.
ASSESSMENT_PARTS = {
    "rating": _("self-rating"),
    "achieved": _("what has been achieved"),
    "evidence": _("evidence"),
}


def missing_parts(rating_id, achieved: str, evidence: str) -> list[str]:
    """`SelfAssessment.missing` from the three values it reads."""
    filled = {
        "rating": bool(rating_id),
        "achieved": bool(achieved.strip()),
        "evidence": bool(evidence.strip()),
    }
    return [key for key in ASSESSMENT_PARTS if not filled[key]]


# The provenance the peers must know: who wrote the report, how, with what political
# involvement (METHOD.md, step 3).
PROVENANCE_PARTS = {
    "written_by": _("who wrote it, and how"),
    "political_involvement": _("political involvement"),
}


@dataclass(frozen=True)
class IndicatorGap:
    indicator: object  # benchmarks.Indicator
    missing: tuple[str, ...]  # keys of ASSESSMENT_PARTS

    @property
    def labels(self) -> list[str]:
        return [str(ASSESSMENT_PARTS[key]) for key in self.missing]

    @property
    def not_started(self) -> bool:
        return len(self.missing) == len(ASSESSMENT_PARTS)


@dataclass(frozen=True)
class ReportGaps:
    """What the inception report still lacks; empty (false) when nothing is missing.

    The one rule behind the overview's progress, the submit confirmation and the refusal
    to submit an incomplete report without a reason.
    """

    sections: list[tuple[str, str]]  # (key, title) of background sections not written
    indicators: list[IndicatorGap]  # in scope, in matrix order, with a part missing
    provenance: list[str]  # keys of PROVENANCE_PARTS not filled in
    in_scope: list = field(default_factory=list)  # every indicator in scope, matrix order

    def __bool__(self) -> bool:
        return bool(self.sections or self.indicators or self.provenance)

    @property
    def complete(self) -> set[int]:
        """The pks of the indicators in scope assessed in full."""
        lacking = {gap.indicator.pk for gap in self.indicators}
        return {indicator.pk for indicator in self.in_scope if indicator.pk not in lacking}

    def _lacking(self, part: str) -> list:
        return [gap.indicator for gap in self.indicators if part in gap.missing]

    @property
    def unrated(self) -> list:
        return self._lacking("rating")

    @property
    def without_evidence(self) -> list:
        return self._lacking("evidence")

    @property
    def without_achievements(self) -> list:
        return self._lacking("achieved")

    @property
    def provenance_labels(self) -> list[str]:
        return [str(PROVENANCE_PARTS[key]) for key in self.provenance]

    def by_group(self) -> list[dict]:
        """The indicator gaps grouped as the group pages are: [{group, gaps}]."""
        groups: list[dict] = []
        for gap in self.indicators:
            if not groups or groups[-1]["group"].pk != gap.indicator.group_id:
                groups.append({"group": gap.indicator.group, "gaps": []})
            groups[-1]["gaps"].append(gap)
        return groups

    def fingerprint(self) -> str:
        """Short and stable: tells whether what is missing changed since a page showed it."""
        parts = [
            *(f"s:{key}" for key, _title in self.sections),
            *(f"i:{g.indicator.pk}:{','.join(g.missing)}" for g in self.indicators),
            *(f"p:{key}" for key in self.provenance),
        ]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


class InceptionReport(EditVersioned):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    STATUS_CHOICES = [(DRAFT, _("Being written")), (SUBMITTED, _("Submitted"))]
    INVOLVEMENT_CHOICES = [
        ("none", _("None: written by officials only")),
        ("informed", _("Informed: politicians were told about it")),
        ("consulted", _("Consulted: politicians commented on it")),
        ("approved", _("Approved: signed off by the responsible politician")),
    ]

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="inception_report")
    status = models.CharField(_("status"), max_length=12, choices=STATUS_CHOICES, default=DRAFT)
    written_by = models.TextField(_("who wrote it, and how"), blank=True)
    partners = models.TextField(_("partners who contributed"), blank=True)
    political_involvement = models.CharField(
        _("political involvement"), max_length=12, choices=INVOLVEMENT_CHOICES, blank=True
    )
    sign_off = models.CharField(_("signed off by"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inception report")
        verbose_name_plural = _("inception reports")

    def __str__(self) -> str:
        return str(_("Inception report of %(review)s") % {"review": self.review})

    @property
    def is_submitted(self) -> bool:
        return self.status == self.SUBMITTED

    def assert_editable(self) -> None:
        if self.is_submitted:
            raise ValidationError(
                _("The inception report is submitted and locked. A coordinator can reopen it.")
            )

    def sections_by_key(self) -> list[tuple[str, str, BackgroundSection | None]]:
        """The seven sections in the template's order, None where nothing is written yet."""
        found = {s.key: s for s in self.backgroundsections.all()}
        return [(key, str(title), found.get(key)) for key, title, _help in SECTIONS]

    def _filled(self, indicators) -> dict[int, tuple]:
        """Plain values, not instances: per indicator assessed, the parts `missing_parts`
        reads."""
        return {
            row[0]: row[1:]
            for row in SelfAssessment.objects.filter(
                report=self, indicator__in=indicators
            ).values_list("indicator_id", "rating_id", "achieved", "evidence")
        }

    def _written(self) -> set[str]:
        """The keys of the background sections written."""
        return {s.key for s in self.backgroundsections.all() if s.is_written}

    def gaps(self) -> ReportGaps:
        """Background sections not written, indicators in scope not assessed in full (and
        what each lacks), provenance not given."""
        indicators = list(self.review.indicators_in_scope())
        filled = self._filled(indicators)
        indicator_gaps = []
        for indicator in indicators:
            parts = filled.get(indicator.pk)
            missing = missing_parts(*parts) if parts else list(ASSESSMENT_PARTS)
            if missing:
                indicator_gaps.append(IndicatorGap(indicator, tuple(missing)))
        written = self._written()
        return ReportGaps(
            sections=[(key, str(title)) for key, title, _h in SECTIONS if key not in written],
            indicators=indicator_gaps,
            provenance=[key for key in PROVENANCE_PARTS if not str(getattr(self, key)).strip()],
            in_scope=indicators,
        )

    def progress(self, gaps: ReportGaps | None = None) -> dict:
        """Completed self-assessments per group in scope, overall, and sections written:
        counted by the rule of `gaps()` (`missing_parts`, `is_written`), so progress and the
        submit confirmation always agree. Without `gaps`, from plain values: the group pages
        show the counts only, and building every indicator in scope cost them more than the
        rest of their data."""
        if gaps is not None:
            in_scope, complete = gaps.in_scope, gaps.complete
            sections_missing = len(gaps.sections)
        else:
            from benchmarks.models import Group

            rows = list(self.review.indicators_in_scope().values_list("pk", "group_id"))
            filled = self._filled([pk for pk, _group in rows])
            complete = {
                pk for pk, _group in rows if pk in filled and not missing_parts(*filled[pk])
            }
            groups = Group.objects.in_bulk({group for _pk, group in rows})
            in_scope = [
                SimpleNamespace(pk=pk, group_id=group, group=groups[group]) for pk, group in rows
            ]
            sections_missing = len(set(SECTION_KEYS) - self._written())
        total = len(in_scope)
        return {
            "groups": progress_by_group(in_scope, complete),
            "done": len(complete),
            "total": total,
            "percent": round(100 * len(complete) / total) if total else 0,
            "sections_written": len(SECTIONS) - sections_missing,
            "sections_total": len(SECTIONS),
        }

    @transaction.atomic
    def submit(self, *, by, reason: str = "") -> None:
        """Lock the report for the team to read. With anything missing (see `gaps()`),
        only with a reason: it is recorded in the report's history."""
        self.assert_editable()
        reason = reason.strip()
        if self.gaps() and not reason:
            raise ValidationError(
                _("The report is not complete: say why you submit it as it is."),
                code="reason_needed",
            )
        self.status = self.SUBMITTED
        self.submitted_at = timezone.now()
        self.submitted_by = by
        self.edit_version += 1
        self._change_reason = f"submitted incomplete: {reason}" if reason else "submitted"
        self.save()

    @transaction.atomic
    def reopen(self, *, by, reason: str) -> None:
        if not self.is_submitted:
            raise ValidationError(_("The inception report is not submitted."))
        self.status = self.DRAFT
        self.edit_version += 1
        self._change_reason = f"reopened by {by}: {reason}"
        self.save()


class ReportPart(EditVersioned):
    """A piece of the inception report: it cannot change once the report is submitted."""

    report = models.ForeignKey(InceptionReport, on_delete=models.CASCADE, related_name="%(class)ss")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        InceptionReport.objects.get(pk=self.report_id).assert_editable()
        super().save(*args, **kwargs)


class BackgroundSection(ReportPart):
    key = models.CharField(max_length=20, choices=[(k, t) for k, t, _h in SECTIONS])
    text = models.TextField(
        _("text"),
        blank=True,
        help_text=_("Formatting: Markdown (**bold**, *italic*, lists with -, links)."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="section_once")]

    def __str__(self) -> str:
        return str(SECTION_TITLES[self.key])

    @property
    def title(self) -> str:
        return str(SECTION_TITLES[self.key])

    @property
    def is_written(self) -> bool:
        return bool(self.text.strip())


class SelfAssessmentQuerySet(models.QuerySet):
    def for_indicators(self, report, indicators) -> dict[int, SelfAssessment]:
        rows = self.filter(report=report, indicator__in=indicators).select_related("rating")
        return {row.indicator_id: row for row in rows}


class SelfAssessment(ReportPart):
    indicator = models.ForeignKey(
        "benchmarks.Indicator", on_delete=models.PROTECT, related_name="+"
    )
    rating = models.ForeignKey(
        "benchmarks.ScaleLevel",
        verbose_name=_("self-rating"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    achieved = models.TextField(_("what has been achieved"), blank=True)
    aspiration = models.TextField(_("what is still aspiration"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    how_why_who = models.TextField(_("how, why and who"), blank=True)
    political_responsible = models.CharField(
        _("politically responsible"), max_length=200, blank=True
    )
    operational_responsible = models.CharField(
        _("operationally responsible"), max_length=200, blank=True
    )
    links = models.TextField(_("links"), blank=True, help_text=_("One web address a line."))
    benchmark_note = models.TextField(
        _("remark on the indicator itself, for the benchmark"),
        blank=True,
        help_text=_(
            "Optional: is the indicator unclear, too prescriptive or hard to evidence? "
            "The coordinators see it when they revise the benchmark."
        ),
    )
    history = HistoricalRecords()

    objects = SelfAssessmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="assessment_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} – {self.report.review}"

    def missing(self) -> list[str]:
        """The parts the method asks of every indicator that are still empty (keys of
        ASSESSMENT_PARTS): the self-rating, what has been achieved, the evidence."""
        return missing_parts(self.rating_id, self.achieved, self.evidence)

    @property
    def is_complete(self) -> bool:
        """Rated, with achievements and evidence: what the method asks of every indicator."""
        return not self.missing()

    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class ProposedInterviewee(EditVersioned):
    KIND_CHOICES = [
        ("staff", _("City staff")),
        ("politician", _("Politician")),
        ("partner", _("Partner organisation")),
        ("immigrant_org", _("Immigrant organisation")),
        ("service_user", _("Service user")),
    ]
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="proposed_interviewees"
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation and role"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=KIND_CHOICES)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    NAMED = "named"
    ANONYMISED = "anonymised"
    OFF_RECORD = "off_record"
    ATTRIBUTION_CHOICES = [
        (NAMED, _("Named: may be quoted with name")),
        (ANONYMISED, _("Anonymised: shown by role and organisation only")),
        (OFF_RECORD, _("Off the record: never quoted or attributed")),
    ]
    attribution = models.CharField(
        _("attribution and consent"), max_length=12, choices=ATTRIBUTION_CHOICES, default=NAMED
    )
    indicators = models.ManyToManyField(
        "benchmarks.Indicator",
        verbose_name=_("indicators they can speak to"),
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(m2m_fields=[indicators])

    class Meta:
        ordering = ["name"]
        verbose_name = _("proposed interviewee")
        verbose_name_plural = _("proposed interviewees")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    @property
    def public_name(self) -> str:
        """How outputs may name this person: by name, by role only, or not at all."""
        if self.attribution == self.NAMED:
            return f"{self.name} ({self.organisation})"
        if self.attribution == self.ANONYMISED:
            return self.organisation
        return ""


@receiver(post_save, sender=Review)
def give_every_review_its_report(sender, instance: Review, created: bool, **kwargs) -> None:
    if created:
        InceptionReport.objects.create(review=instance)
