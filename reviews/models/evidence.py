"""Step 6: the evidence database. Every finding is coded to indicators, colour-coded, and
kept with its source and history; nothing is ever really deleted."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.versioning import EditVersioned
from reviews.models.review import Review
from reviews.models.visit import VisitSession

# A colour is confirmed by this many distinct interviews (METHOD.md, step 7).
CONFIRMING_INTERVIEWS = 2
# Sessions whose evidence counts towards confirmation: a workshop is a group interview.
INTERVIEW_KINDS = (VisitSession.INTERVIEW, VisitSession.WORKSHOP)


# How an indicator without one confirmed colour is drawn: in pages, PDFs and charts alike.
STATE_FILL = {"contradictory": "#6f42c1", "unconfirmed": "#adb5bd", "none": "#ffffff"}


class EvidenceQuerySet(models.QuerySet):
    def live(self) -> EvidenceQuerySet:
        return self.filter(deleted_at__isnull=True)

    def for_list(self) -> EvidenceQuerySet:
        return self.select_related(
            "session", "colour", "author", "document_attachment"
        ).prefetch_related("indicators", "interviewers", "session__interviewees")

    def search(self, text: str) -> EvidenceQuerySet:
        if not text:
            return self
        return self.filter(Q(text__icontains=text) | Q(context__icontains=text))


def entry_codes(source_label: str, initials: str, indicator_codes) -> list[str]:
    """An entry's codes (`Evidence.codes`) from its parts, for lists read as plain values."""
    suffix = " - ".join(p for p in (source_label, initials) if p)
    return [f"{code} - {suffix}" for code in indicator_codes]


class Evidence(EditVersioned):
    FACT = "fact"
    OPINION = "opinion"
    BASIS_CHOICES = [
        (FACT, _("Fact backed by evidence")),
        (OPINION, _("Opinion of the interviewee")),
    ]
    DOCUMENT_CHOICES = [
        ("inception", _("The inception report")),
        ("attachment", _("An attached document")),
        ("request", _("An answer to an information request")),
    ]

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="evidence")
    session = models.ForeignKey(
        VisitSession,
        verbose_name=_("session"),
        on_delete=models.RESTRICT,  # a session with evidence stays; a deleted review takes both
        null=True,
        blank=True,
        related_name="evidence",
    )
    document = models.CharField(_("document"), max_length=12, choices=DOCUMENT_CHOICES, blank=True)
    document_attachment = models.ForeignKey(
        "reviews.Attachment", on_delete=models.RESTRICT, null=True, blank=True, related_name="+"
    )
    document_number = models.PositiveIntegerField(default=0, editable=False)
    indicators = models.ManyToManyField(
        "benchmarks.Indicator", verbose_name=_("indicators"), related_name="+"
    )
    text = models.TextField(_("finding"))
    colour = models.ForeignKey(
        "benchmarks.ScaleLevel",
        verbose_name=_("colour"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    basis = models.CharField(_("basis"), max_length=8, choices=BASIS_CHOICES, default=FACT)
    is_weakness = models.BooleanField(_("weakness"), default=False)
    is_obstacle = models.BooleanField(_("obstacle"), default=False)
    is_good_practice = models.BooleanField(_("good practice"), default=False)
    context = models.TextField(_("context note"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    interviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[indicators])

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.source_label

    def save(self, *args, **kwargs):
        if self.document and not self.document_number:
            last = Evidence.objects.filter(review_id=self.review_id).aggregate(
                n=models.Max("document_number")
            )["n"]
            self.document_number = (last or 0) + 1
        super().save(*args, **kwargs)

    @property
    def source_label(self) -> str:
        if self.session_id:
            return self.session.label
        return str(_("Document %(n)s") % {"n": self.document_number})

    @property
    def counts_for_findings(self) -> bool:
        """Facts from interviews and workshops; opinions and documents never confirm."""
        return (
            self.basis == self.FACT
            and self.deleted_at is None
            and self.session_id is not None
            and self.session.kind in INTERVIEW_KINDS
        )

    def initials(self) -> str:
        people = list(self.interviewers.all()) or ([self.author] if self.author else [])
        return " & ".join(sorted(p.initials for p in people if p.initials))

    def codes(self) -> list[str]:
        """In the source's form: "AC/I/3 - Interview 17 - JB & FC", one per indicator."""
        return entry_codes(
            self.source_label, self.initials(), [i.code for i in self.indicators.all()]
        )

    @property
    def entry_label(self) -> str:
        """The entry named by its codes ("AC/I/3 - Interview 17 - JB & FC; AC/I/4 - ..."),
        never by its session alone: one interview has many entries."""
        return "; ".join(self.codes()) or self.source_label

    @transaction.atomic
    def soft_delete(self, *, by) -> None:
        self.deleted_at = timezone.now()
        self.deleted_by = by
        self._change_reason = "deleted"
        self.save(update_fields=["deleted_at", "deleted_by"])

    @transaction.atomic
    def restore(self, *, by) -> None:
        self.deleted_at = None
        self.deleted_by = None
        self._change_reason = "restored"  # the history page says it; history_user says who
        self.save(update_fields=["deleted_at", "deleted_by"])


@dataclass
class IndicatorStatus:
    """What the evidence says about one indicator."""

    indicator: object
    interviews_by_colour: dict = field(default_factory=dict)  # colour -> set of session ids
    entries: int = 0

    @property
    def confirmed(self) -> list:
        return [
            c
            for c, sessions in self.interviews_by_colour.items()
            if len(sessions) >= CONFIRMING_INTERVIEWS
        ]

    @property
    def state(self) -> str:
        confirmed = self.confirmed
        if len(confirmed) > 1:
            return "contradictory"
        if confirmed:
            return "confirmed"
        return "unconfirmed" if self.entries else "none"


def indicator_statuses(review: Review, indicators) -> dict[int, IndicatorStatus]:
    """Status of each indicator from the review's live evidence, in two queries.

    Reads plain values, not model instances: a review has a thousand entries or more, and
    this runs on the overview, the evaluation, the composer and the report."""
    from benchmarks.models import ScaleLevel

    statuses = {i.pk: IndicatorStatus(i) for i in indicators}
    # The indicators are matched as "indicator_id + 0": on the plain column SQLite looks each
    # of the review's entries up once per indicator asked for (73,000 index searches for a
    # thousand entries and the whole matrix, most of the overview's time); this way it reads
    # each entry's links once and keeps the ones asked for.
    rows = (
        Evidence.indicators.through.objects.filter(
            evidence__review=review, evidence__deleted_at__isnull=True
        )
        .alias(asked=F("indicator_id") + 0)
        .filter(asked__in=statuses)
        .values_list(
            "indicator_id",
            "evidence__session_id",
            "evidence__session__kind",
            "evidence__basis",
            "evidence__colour_id",
        )
    )
    by_colour_id: dict[int, dict[int, set]] = {}
    for indicator_id, session_id, kind, basis, colour_id in rows:
        statuses[indicator_id].entries += 1
        # As Evidence.counts_for_findings: facts from interviews and workshops.
        if basis == Evidence.FACT and session_id is not None and kind in INTERVIEW_KINDS:
            found = by_colour_id.setdefault(indicator_id, {})
            found.setdefault(colour_id, set()).add(session_id)
    colour_ids = {c for found in by_colour_id.values() for c in found}
    colours = ScaleLevel.objects.in_bulk(colour_ids) if colour_ids else {}
    for indicator_id, found in by_colour_id.items():
        statuses[indicator_id].interviews_by_colour = {
            colours[c]: sessions for c, sessions in found.items()
        }
    return statuses


class IndicatorEvaluation(EditVersioned):
    """The team's judgement of one indicator after the visit."""

    OUTCOME_CHOICES = [
        ("confirmed", _("Confirmed")),
        ("refuted", _("Refuted")),
        ("inconclusive", _("Inconclusive")),
    ]
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="evaluations")
    indicator = models.ForeignKey(
        "benchmarks.Indicator", on_delete=models.PROTECT, related_name="+"
    )
    rating = models.ForeignKey(
        "benchmarks.ScaleLevel",
        verbose_name=_("rating"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    justification = models.TextField(
        _("justification"), blank=True, help_text=_("Cite the evidence codes it rests on.")
    )
    hypothesis_outcome = models.CharField(
        _("the desk review's hypothesis is"), max_length=12, choices=OUTCOME_CHOICES, blank=True
    )
    settled_by = models.TextField(_("evidence that settled it"), blank=True)
    benchmark_note = models.TextField(
        _("remark on the indicator itself, for the benchmark"),
        blank=True,
        help_text=_(
            "Optional: is the indicator unclear, too prescriptive or hard to evidence? "
            "The coordinators see it when they revise the benchmark."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "indicator"], name="evaluation_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} – {self.review}"
