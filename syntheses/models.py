"""The comparative report of a programme: what its cities learnt, group by group.

As in the INTI-CITIES synthesis (source 001, Part C) and DIVE's findings (004): one chapter
per group (pillar, role) of the programme's benchmark, each with the standard, how the cities
approach it (drawn from the cross-city matrix), the challenges met, advice, and the chapter's
good practices from the library. A challenge or an advice cites the reviews it rests on and
needs two cities or more, the way a finding needs two interviews; what one city does is a
city example.

Written and approved like the feedback report (core/approvals.py): the coordinator assigns
each chapter to a team leader of the programme's reviews, freezes a version, every assigned
author approves it (or comments), any change supersedes it; the approved version is
published.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from core.approvals import FrozenVersion, GuardedRow, VersionApproval, VersionedDocument
from core.versioning import EditVersioned

# A shared challenge or an advice rests on this many cities at least.
SHARED_BY_CITIES = 2


class ComparativeReport(VersionedDocument, EditVersioned):
    programme = models.OneToOneField(
        "reviews.Programme", on_delete=models.CASCADE, related_name="comparative_report"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    locked_message = _("The comparative report is published; its text can no longer change.")

    class Meta:
        verbose_name = _("comparative report")
        verbose_name_plural = _("comparative reports")

    def __str__(self) -> str:
        return str(self.programme)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def approvers(self) -> list:
        """Every author a chapter is assigned to, once each."""
        chapters = self.chapters.select_related("assignee").filter(assignee__isnull=False)
        people = {chapter.assignee_id: chapter.assignee for chapter in chapters}
        return [people[pk] for pk in sorted(people)]

    def missing_for_publication(self) -> list[str]:
        pending = self.pending_version
        if pending is None:
            return [str(_("Freeze a version first: the authors approve a frozen version."))]
        waiting = pending.waiting_for()
        if waiting:
            return [
                str(_("Not every author has approved version %(n)s: %(names)s."))
                % {"n": pending.number, "names": ", ".join(str(p) for p in waiting)}
            ]
        return []

    @transaction.atomic
    def publish(self, *, by) -> ComparativeVersion:
        """The approved version becomes final and public."""
        problems = self.missing_for_publication()
        if problems:
            raise ValidationError(problems)
        version = self.pending_version
        version.state = FrozenVersion.FINAL
        version.final_at = timezone.now()
        version.save(update_fields=["state", "final_at"])
        self.published_at = timezone.now()
        self.published_by = by
        self.save(update_fields=["published_at", "published_by"])
        self.forget()
        return version

    @transaction.atomic
    def reopen(self) -> ComparativeVersion:
        """Take the report off the network page: its version waits for approval again (the
        approvals are kept), so the text can change (a new version) or be published again."""
        version = self.final_version
        if version is None:
            raise ValidationError(_("The comparative report is not published."))
        version.state = FrozenVersion.FROZEN
        version.final_at = None
        version.save(update_fields=["state", "final_at"])
        self.published_at = None
        self.published_by = None
        self.save(update_fields=["published_at", "published_by"])
        self.forget()
        return version


class Chapter(GuardedRow):
    """One group of the benchmark: its standard and how the cities approach it."""

    report = models.ForeignKey(ComparativeReport, on_delete=models.CASCADE, related_name="chapters")
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
    standard = models.TextField(
        _("the standard"),
        blank=True,
        help_text=_("Markdown. The benchmark's standard for this group, summarised."),
    )
    approach = models.TextField(
        _("how the cities approach it"),
        blank=True,
        help_text=_("Markdown. What most cities do and where they differ (see the spread)."),
    )
    history = HistoricalRecords()

    guarded_fields = ("standard", "approach")

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        constraints = [
            models.UniqueConstraint(fields=["report", "group"], name="one_chapter_per_group")
        ]

    def __str__(self) -> str:
        return str(self.group)

    def document(self) -> ComparativeReport:
        return self.report


class Statement(GuardedRow):
    """A challenge, an advice or a city example of a chapter, with the reviews it rests on."""

    CHALLENGE, ADVICE, EXAMPLE = "challenge", "advice", "example"
    KIND_CHOICES = [
        (CHALLENGE, _("Challenge")),
        (ADVICE, _("Advice")),
        (EXAMPLE, _("City example")),
    ]
    SHARED = (CHALLENGE, ADVICE)
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="statements")
    kind = models.CharField(_("kind"), max_length=12, choices=KIND_CHOICES)
    text = models.TextField(_("text"))
    reviews = models.ManyToManyField(
        "reviews.Review", verbose_name=_("reviews it rests on"), related_name="+"
    )
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords(m2m_fields=[reviews])

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def __str__(self) -> str:
        return self.text[:80]

    def document(self) -> ComparativeReport:
        return self.chapter.report


def citation_problems(kind: str, reviews) -> list[str]:
    """Why a statement of `kind` may not rest on `reviews` (empty when it may): a shared
    challenge or an advice needs reviews of two cities or more; a city example one city."""
    cities = {review.host_city_id for review in reviews}
    if not cities:
        return [str(_("Cite the reviews (cities) it rests on."))]
    if kind in Statement.SHARED and len(cities) < SHARED_BY_CITIES:
        return [
            ngettext(
                "It rests on %(found)s city; a shared challenge or an advice needs %(n)s. "
                "Make it a city example, or cite another city's review.",
                "It rests on %(found)s cities; a shared challenge or an advice needs %(n)s. "
                "Make it a city example, or cite another city's review.",
                len(cities),
            )
            % {"found": len(cities), "n": SHARED_BY_CITIES}
        ]
    if kind == Statement.EXAMPLE and len(cities) > 1:
        return [str(_("A city example is about one city; cite the review of that city only."))]
    return []


class ComparativeVersion(FrozenVersion):
    report = models.ForeignKey(ComparativeReport, on_delete=models.CASCADE, related_name="versions")
    history = HistoricalRecords()

    class Meta(FrozenVersion.Meta):
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="comparative_version_once")
        ]


class ComparativeApproval(VersionApproval):
    version = models.ForeignKey(
        ComparativeVersion, on_delete=models.CASCADE, related_name="approvals"
    )
    peer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "peer"], name="one_comparative_approval_per_author"
            )
        ]


def existing_report(programme) -> ComparativeReport | None:
    report = ComparativeReport.objects.filter(programme=programme).first()
    if report is not None:
        report.programme = programme
    return report


def ensure_report(programme) -> ComparativeReport:
    """The programme's comparative report with a chapter per group of its benchmark version,
    the standard taken from the version: for POST handlers, after their permission check."""
    report, _created = ComparativeReport.objects.get_or_create(programme=programme)
    report.programme = programme
    have = set(report.chapters.values_list("group_id", flat=True))
    groups = programme.benchmark_version.groups.exclude(pk__in=have)
    Chapter.objects.bulk_create(
        [Chapter(report=report, group=g, order=g.order, standard=g.standard) for g in groups]
    )
    return report
