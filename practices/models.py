"""The good-practice library: what cities do that others can learn from.

A practice comes from the sources (fixtures/practices/, `manage.py load_practices`) or from a
published feedback report (each finding of kind "good practice" becomes a draft for the
review's team leader, practices/feed.py). It illustrates indicators by their lineage, so it
stays linked when a benchmark is revised and an indicator renumbered.

Cities are rows of cities.City; a network (EUROCITIES) that is no city goes in
`organisation`. Titles, descriptions, conditions and the Annex I assessments exist in
English and Dutch (practices/translation.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.versioning import EditVersioned

# The EC Handbook's Annex I criteria for judging a practice, in its order.
CRITERIA = [
    ("relevance", _("Relevance")),
    ("efficiency", _("Efficiency")),
    ("effectiveness", _("Effectiveness")),
    ("sustainability", _("Sustainability")),
    ("impact", _("Impact")),
    ("transferability", _("Transferability")),
]
CRITERION_FIELDS = [f"{code}_assessment" for code, _label in CRITERIA]


class Tag(models.Model):
    POLICY_AREA = "policy_area"
    TARGET_GROUP = "target_group"
    KIND = "kind"
    KIND_CHOICES = [
        (POLICY_AREA, _("Policy area")),
        (TARGET_GROUP, _("Target group")),
        (KIND, _("Kind of practice")),
    ]
    kind = models.CharField(_("tag type"), max_length=20, choices=KIND_CHOICES)
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="tag_unique_code")]

    def __str__(self) -> str:
        return self.name


class PracticeQuerySet(models.QuerySet):
    def published(self) -> PracticeQuerySet:
        return self.filter(state=Practice.PUBLISHED)

    def for_user(self, user) -> PracticeQuerySet:
        """Published practices for everyone; drafts for coordinators and the team of the
        review they came from (nothing of an unpublished review leaves its team)."""
        if getattr(user, "is_authenticated", False) and user.is_coordinator:
            return self.all()
        published = models.Q(state=Practice.PUBLISHED)
        if not getattr(user, "is_authenticated", False):
            return self.filter(published)
        team = models.Q(
            review__memberships__user=user,
            review__memberships__role__in=["peer", "team_leader"],
        )
        return self.filter(published | team).distinct()


class Practice(EditVersioned):
    DRAFT = "draft"
    APPROVED = "approved"
    PUBLISHED = "published"
    STATE_CHOICES = [
        (DRAFT, _("Draft")),
        (APPROVED, _("Approved by the review's team")),
        (PUBLISHED, _("Published")),
    ]

    slug = models.SlugField(
        _("short name"), max_length=120, unique=True, help_text=_("Used in its web address.")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    transferability = models.TextField(
        _("what makes it transferable, and under which conditions"), blank=True
    )
    cities = models.ManyToManyField(
        "cities.City", verbose_name=_("cities"), blank=True, related_name="practices"
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("A network or body that is not a city, e.g. EUROCITIES."),
    )
    programme = models.CharField(
        _("programme"), max_length=200, blank=True, help_text=_("E.g. INTI-CITIES, DIVE.")
    )
    review = models.ForeignKey(
        "reviews.Review",
        verbose_name=_("review"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practices",
    )
    finding = models.OneToOneField(
        "reviews.Finding",
        verbose_name=_("finding"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practice",
    )
    theme = models.CharField(_("theme"), max_length=20, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="practices")
    relevance_assessment = models.TextField(_("relevance"), blank=True)
    efficiency_assessment = models.TextField(_("efficiency"), blank=True)
    effectiveness_assessment = models.TextField(_("effectiveness"), blank=True)
    sustainability_assessment = models.TextField(_("sustainability"), blank=True)
    impact_assessment = models.TextField(_("impact"), blank=True)
    transferability_assessment = models.TextField(_("transferability"), blank=True)
    evidence_codes = models.TextField(
        _("evidence codes"),
        blank=True,
        help_text=_("One per line, e.g. AC/I/3 - Interview 17 - JB & FC."),
    )
    contact_role = models.CharField(
        _("contact"),
        max_length=200,
        blank=True,
        help_text=_("A role, e.g. head of the integration office; a name only with consent."),
    )
    sources = models.TextField(_("sources and links"), blank=True, help_text=_("One per line."))
    state = models.CharField(_("state"), max_length=12, choices=STATE_CHOICES, default=DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practices:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.state == self.PUBLISHED

    @property
    def is_approved(self) -> bool:
        return self.state == self.APPROVED

    @property
    def from_review(self) -> bool:
        return self.review_id is not None

    def approvers_needed(self) -> list:
        """Who must approve this version: every peer and the team leader of the review it
        came from (as every peer approves the feedback report), in name order. Entered
        directly (no review): nobody in particular; one coordinator's approval suffices."""
        if not self.review_id:
            return []
        from reviews.models import Membership

        members = Membership.objects.filter(
            review_id=self.review_id, role__in=["peer", "team_leader"]
        ).select_related("user")
        return sorted({m.user for m in members}, key=lambda user: (str(user), user.pk))

    def current_approvals(self):
        """Approvals of the text as it is now (a change to the practice supersedes them)."""
        return self.approvals.filter(version=self.edit_version).select_related("user")

    def state_from_data(self) -> str:
        """The state the data gives: published once someone published it; approved when the
        review's whole team (or, entered directly, a coordinator) approved this version;
        a draft otherwise. `state` stores it (practices/services.py refreshes it)."""
        if self.published_at is not None:
            return self.PUBLISHED
        approved_by = {approval.user_id for approval in self.current_approvals()}
        if not self.review_id:
            return self.APPROVED if approved_by else self.DRAFT
        needed = {user.pk for user in self.approvers_needed()}
        return self.APPROVED if needed and needed <= approved_by else self.DRAFT

    def assessments(self) -> list[tuple[str, str, str]]:
        """(code, label, text) of each Annex I criterion, in the Handbook's order."""
        return [(code, label, getattr(self, f"{code}_assessment")) for code, label in CRITERIA]

    def where(self) -> str:
        """The cities (and the organisation) in the reader's language, e.g. "Genua, Rotterdam"."""
        names = [city.name for city in self.cities.all()]
        if self.organisation:
            names.append(self.organisation)
        return ", ".join(names)


class PracticeApproval(models.Model):
    """Someone approved a practice as it was at `version` (its edit version then); a later
    change to the practice makes the approval stale, so the team approves the new text."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="approvals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    approved_at = models.DateTimeField(_("approved"), auto_now=True)

    class Meta:
        ordering = ["approved_at", "pk"]
        verbose_name = _("approval of a practice")
        verbose_name_plural = _("approvals of practices")
        constraints = [
            models.UniqueConstraint(fields=["practice", "user"], name="practice_approval_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.practice})"


class PracticeIndicator(models.Model):
    """An indicator a practice illustrates: its lineage (the same indicator in every version
    of its benchmark) and the code it had where the link was made."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="indicator_links")
    lineage = models.UUIDField(null=True, blank=True, db_index=True)
    code = models.CharField(_("indicator code"), max_length=30)
    benchmark = models.ForeignKey(
        "benchmarks.Benchmark", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator illustrated")
        verbose_name_plural = _("indicators illustrated")
        constraints = [
            models.UniqueConstraint(fields=["practice", "code"], name="practice_indicator_once")
        ]

    def __str__(self) -> str:
        return self.code
