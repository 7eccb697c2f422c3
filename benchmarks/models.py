"""The standards: a benchmark, its versions, and what a version holds.

A version holds groups (pillars, roles, themes), an optional cross-cutting
dimension of values, indicators, tag types, a glossary and rating scales.
Models with translated fields get their history in translation.py, after
django-modeltranslation has added the per-language columns.
A draft is editable; publishing freezes it, and the freeze is enforced here in
save() and delete(), not only in the views. Reviews are tied to one published
version for good.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.versioning import EditVersioned

code_validator = RegexValidator(
    r"^[A-Z0-9]{1,8}$", _("Use one to eight capital letters or digits, e.g. GG or A.")
)
slug_code_validator = RegexValidator(
    r"^[a-z0-9_]{1,40}$", _("Use lower-case letters, digits and underscores.")
)


WEIGHT_MAX = 9999  # Group.weight: six digits, two after the point
SCORE_MIN, SCORE_MAX = Decimal(0), Decimal(100)  # an index answer's score


class FrozenVersionError(ValidationError):
    def __init__(self):
        super().__init__(_("This version is published and can no longer be changed."))


class Benchmark(models.Model):
    """A standard. Of one of two kinds:

    - a rating scale (the default; INTI-CITIES, DIVE): the team rates every indicator on
      the version's performance scale, and comparisons show the spread of the levels,
      never a rank;
    - an index (as the Intercultural Cities Index: 66 questions in 14 indicators, each
      scored 0-100 and combined into one index): every indicator is a question, the
      performance scale's levels are its answers and each answer's ``score`` (0-100) is
      what the question scores; each group weighs ``Group.weight`` in the city's index.
      The arithmetic is in ``benchmarks.scoring``.
    """

    SCALE = "scale"
    INDEX = "index"
    KIND_CHOICES = [
        (SCALE, _("Rating scale: indicators rated on a scale, no scores combined")),
        (INDEX, _("Index: answers scored 0-100, groups weighted into one index")),
    ]

    slug = models.SlugField(_("short name"), unique=True, help_text=_("Used in web addresses."))
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    group_label = models.CharField(
        _("group label"), max_length=40, default="Pillar", help_text=_("Pillar, role, theme, ...")
    )
    value_label = models.CharField(
        _("value label"),
        max_length=40,
        blank=True,
        help_text=_(
            "Name of the cross-cutting dimension, e.g. Value. Leave empty if there is none."
        ),
    )
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=KIND_CHOICES,
        default=SCALE,
        help_text=_(
            "An index scores each answer 0-100 and combines the groups, by their weights, "
            "into one index per city; only an index can be ranked."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("benchmark")
        verbose_name_plural = _("benchmarks")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("benchmarks:benchmark", kwargs={"slug": self.slug})

    @property
    def is_index(self) -> bool:
        return self.kind == self.INDEX


@dataclass
class MatrixRow:
    group: Group
    cells: list[list[Indicator]]  # one list per value; empty when the benchmark has none
    indicators: list[Indicator]  # every indicator of the group, in matrix order

    @property
    def total(self) -> int:
        return len(self.indicators)


@dataclass
class Matrix:
    """A version's groups x values, each cell with its indicators, in three queries."""

    values: list[Value]
    rows: list[MatrixRow]

    @property
    def value_totals(self) -> list[int]:
        return [sum(len(row.cells[i]) for row in self.rows) for i in range(len(self.values))]

    @property
    def indicator_count(self) -> int:
        return sum(row.total for row in self.rows)


class VersionQuerySet(models.QuerySet):
    def published(self) -> VersionQuerySet:
        return self.filter(status=BenchmarkVersion.PUBLISHED)

    def for_user(self, user) -> VersionQuerySet:
        """Published versions for everyone signed in; drafts for coordinators and their reviewers."""
        if not user.is_authenticated:
            return self.none()
        if user.is_coordinator:
            return self
        return self.filter(
            Q(status=BenchmarkVersion.PUBLISHED) | Q(reviewers__user=user)
        ).distinct()


class BenchmarkVersion(models.Model):
    DRAFT = "draft"
    PUBLISHED = "published"
    STATUS_CHOICES = [(DRAFT, _("Draft")), (PUBLISHED, _("Published"))]

    benchmark = models.ForeignKey(Benchmark, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=12, choices=STATUS_CHOICES, default=DRAFT)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="successors"
    )
    notes = models.TextField(_("notes on this version"), blank=True)
    circulated_at = models.DateTimeField(_("circulated"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    override_reason = models.TextField(
        _("reason for publishing without every approval"), blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["benchmark__name", "number"]
        verbose_name = _("benchmark version")
        verbose_name_plural = _("benchmark versions")
        constraints = [
            models.UniqueConstraint(fields=["benchmark", "number"], name="version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.benchmark.name} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "benchmarks:version", kwargs={"slug": self.benchmark.slug, "number": self.number}
        )

    @property
    def is_published(self) -> bool:
        return self.status == self.PUBLISHED

    def assert_editable(self) -> None:
        if self.is_published:
            raise FrozenVersionError

    @property
    def has_values(self) -> bool:
        return self.values.exists()

    def matrix(self, *, indicator_fields: tuple[str, ...] = ()) -> Matrix:
        """The version's matrix. With `indicator_fields`, each indicator is loaded with only
        those fields (and its place in the matrix), for a page that shows no more of it."""
        groups = list(self.groups.all())
        values = list(self.values.all())
        by_group: dict[int, list[Indicator]] = {g.pk: [] for g in groups}
        # Each indicator gets its group and value from the two lists above, not a copy of
        # them joined in on every row of the query.
        values_by_pk = {v.pk: v for v in values}
        groups_by_pk = {g.pk: g for g in groups}
        indicators = self.indicators.for_matrix().select_related(None)
        if indicator_fields:
            indicators = indicators.only("version", "group", "value", "number", *indicator_fields)
        for indicator in indicators:
            indicator.group = groups_by_pk[indicator.group_id]
            if indicator.value_id in values_by_pk:
                indicator.value = values_by_pk[indicator.value_id]
            by_group[indicator.group_id].append(indicator)
        rows = [
            MatrixRow(
                group=g,
                cells=[[i for i in by_group[g.pk] if i.value_id == v.pk] for v in values],
                indicators=by_group[g.pk],
            )
            for g in groups
        ]
        return Matrix(values=values, rows=rows)

    def pending_reviewers(self):
        return self.reviewers.filter(approved_at__isnull=True)

    def publish(self, *, by, override_reason: str = "") -> None:
        """Freeze the version. Without every reviewer's approval a recorded reason is needed."""
        self.assert_editable()
        if not self.indicators.exists():
            raise ValidationError(
                _("A version needs at least one indicator before it is published.")
            )
        pending = list(self.pending_reviewers().select_related("user"))
        if pending and not override_reason.strip():
            names = ", ".join(r.user.name for r in pending)
            raise ValidationError(
                _(
                    "Not every reviewer has approved (waiting for: %(names)s). Give a reason to publish anyway."
                )
                % {"names": names}
            )
        self.status = self.PUBLISHED
        self.published_at = timezone.now()
        self.published_by = by
        self.override_reason = override_reason.strip() if pending else ""
        self._change_reason = "published" + (" with override" if pending else "")
        super().save()

    def save(self, *args, **kwargs):
        if self.pk and not getattr(self, "_allow_frozen_save", False):
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.PUBLISHED:
                raise FrozenVersionError
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_published:
            raise FrozenVersionError
        return super().delete(*args, **kwargs)


class FrozenGuard(models.Model):
    """Saving or deleting anything inside a version first checks the version is a draft."""

    class Meta:
        abstract = True

    def _version(self) -> BenchmarkVersion:
        raise NotImplementedError

    def save(self, *args, **kwargs):
        self._version().assert_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._version().assert_editable()
        return super().delete(*args, **kwargs)


class VersionPart(FrozenGuard):
    version = models.ForeignKey(
        BenchmarkVersion, on_delete=models.CASCADE, related_name="%(class)ss"
    )

    class Meta:
        abstract = True

    def _version(self) -> BenchmarkVersion:
        return self.version


class OrderedPart(VersionPart):
    """A part with a place in its version's list (groups, values, glossary terms)."""

    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        abstract = True

    def deletion_blocker(self) -> str | None:
        return None

    @transaction.atomic
    def move(self, direction: str) -> None:
        """Swap places with the neighbour above ("up") or below ("down"), if any."""
        items = list(type(self).objects.filter(version=self.version))
        index = next(i for i, item in enumerate(items) if item.pk == self.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(items):
            return
        items[index], items[other] = items[other], items[index]
        for order, item in enumerate(items):
            if item.order != order:
                item.order = order
                item.save(update_fields=["order"])


class Group(OrderedPart, EditVersioned):
    code = models.CharField(_("code"), max_length=8, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    standard = models.TextField(_("standard"), blank=True, help_text=_("The benchmark sentence."))
    # Only an index benchmark reads it: the group's weight in the city's index (0 = shown
    # but not counted).
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(WEIGHT_MAX))],
        help_text=_(
            "Index benchmarks only: how much the group counts in the city's index, relative "
            "to the other groups. 0 shows the group's score but leaves it out of the index."
        ),
    )

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="group_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def deletion_blocker(self) -> str | None:
        if self.indicators.exists():
            return str(
                _("%(what)s still has indicators: move or delete them first.") % {"what": self}
            )
        return None


class Value(OrderedPart, EditVersioned):
    code = models.CharField(_("initial"), max_length=8, validators=[code_validator])
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("value")
        verbose_name_plural = _("values")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="value_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def deletion_blocker(self) -> str | None:
        if self.indicators.exists():
            return str(
                _("%(what)s still has indicators: move or delete them first.") % {"what": self}
            )
        return None


class IndicatorQuerySet(models.QuerySet):
    def for_matrix(self) -> IndicatorQuerySet:
        return self.select_related("group", "value").order_by(
            "group__order", "group__code", "value__order", "value__code", "number"
        )


def answer_scores_text(scores: dict) -> str:
    """`Indicator.answer_scores` as people type it: one "code=score" a line ("code=" for an
    answer without a score)."""
    return "\n".join(
        f"{code}={'' if score is None else format(Decimal(str(score)).normalize(), 'f')}"
        for code, score in (scores or {}).items()
    )


def parse_answer_scores(text: str, codes) -> tuple[dict, list[str]]:
    """The answer scores typed as `answer_scores_text` writes them (lines or "; "), and
    what is wrong with them: a code that is not one of `codes` (the performance scale's
    levels; None: not checked here, as the spreadsheet leaves it to `check_data`), a score that is not a number from 0 to 100, a code given twice."""
    scores: dict = {}
    problems: list[str] = []
    for part in text.replace(";", "\n").splitlines():
        if not part.strip():
            continue
        code, sep, score = (p.strip() for p in part.partition("="))
        if not sep:
            problems.append(
                _("Write each answer as code=score; %(v)r is not.") % {"v": part.strip()}
            )
            continue
        if codes is not None and code not in codes:
            problems.append(
                _("%(code)s is not an answer of the performance scale.") % {"code": code}
            )
            continue
        if code in scores:
            problems.append(_("%(code)s is given twice.") % {"code": code})
            continue
        if score == "":
            scores[code] = None
            continue
        try:
            number = Decimal(score.replace(",", "."))
        except ArithmeticError:
            number = None
        if number is None or not number.is_finite() or not SCORE_MIN <= number <= SCORE_MAX:
            problems.append(
                _("The score of %(code)s must be a number from 0 to 100 (or empty).")
                % {"code": code}
            )
            continue
        number = number.quantize(Decimal("0.01"))
        scores[code] = int(number) if number == number.to_integral_value() else float(number)
    return scores, problems


class Indicator(VersionPart, EditVersioned):
    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.PROTECT, related_name="indicators"
    )
    value = models.ForeignKey(
        Value,
        verbose_name=_("value"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
    )
    number = models.PositiveIntegerField(_("number"))
    code = models.CharField(_("code"), max_length=30, editable=False)
    text = models.TextField(_("text"))
    guidance = models.TextField(_("guidance"), blank=True)
    tags = models.JSONField(_("tags"), default=dict, blank=True)
    # Only an index benchmark reads it: this question's own answers and their scores,
    # {level code: score 0-100 or None}, the codes levels of the performance scale. Empty:
    # the question's answers are the scale's levels with their scores.
    answer_scores = models.JSONField(_("answer scores"), default=dict, blank=True)
    # The same indicator across versions keeps its lineage: how the diff tells
    # "reworded" or "moved" from "removed and added".
    lineage = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["group__order", "value__order", "number"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="indicator_unique_code"),
            models.UniqueConstraint(fields=["version", "lineage"], name="indicator_unique_lineage"),
        ]

    def __str__(self) -> str:
        return self.code

    @staticmethod
    def make_code(group_code: str, value_code: str | None, number: int) -> str:
        """The source's style: GG/A/1 with a value, PS/1 without."""
        return "/".join(p for p in (group_code, value_code, str(number)) if p)

    def clean(self) -> None:
        errors = {}
        if self.group_id and self.group.version_id != self.version_id:
            errors["group"] = _("This group belongs to another version.")
        if self.value_id and self.value.version_id != self.version_id:
            errors["value"] = _("This value belongs to another version.")
        if self.version_id and self.value_id is None and self.version.values.exists():
            errors["value"] = _("This benchmark has values: choose one.")
        if self.text is not None and not self.text.strip():
            errors["text"] = _("The indicator needs a text.")
        if self.group_id and self.number:
            code = self.make_code(
                self.group.code, self.value.code if self.value_id else None, self.number
            )
            clash = Indicator.objects.filter(version_id=self.version_id, code=code).exclude(
                pk=self.pk
            )
            if clash.exists():
                errors["number"] = _("Number %(n)s is already used in this cell (%(code)s).") % {
                    "n": self.number,
                    "code": code,
                }
        if errors:
            raise ValidationError(errors)

    def answer_options(self, scale_scores: dict) -> dict:
        """This question's answers and their scores for `benchmarks.scoring.Question`: its
        own `answer_scores` when it has them, else the performance scale's (`scale_scores`,
        {code: score}). A code the scale no longer has is not an answer."""
        if not self.answer_scores:
            return scale_scores
        return {
            code: None if score is None else Decimal(str(score))
            for code, score in self.answer_scores.items()
            if code in scale_scores
        }

    def save(self, *args, **kwargs):
        self.code = self.make_code(
            self.group.code, self.value.code if self.value_id else None, self.number
        )
        super().save(*args, **kwargs)

    def deletion_blocker(self) -> str | None:
        return None

    @transaction.atomic
    def move(self, direction: str) -> None:
        """Swap numbers with the neighbour in the same cell: its code changes, its lineage stays."""
        cell = Indicator.objects.filter(version=self.version, group=self.group, value=self.value)
        if direction == "up":
            neighbour = cell.filter(number__lt=self.number).order_by("-number").first()
        else:
            neighbour = cell.filter(number__gt=self.number).order_by("number").first()
        if neighbour is None:
            return
        mine, theirs = self.number, neighbour.number
        self.number = 0  # a free code while the two swap
        self.save()
        neighbour.number = mine
        neighbour.save()
        self.number = theirs
        self.save()

    def get_absolute_url(self) -> str:
        return reverse(
            "benchmarks:indicator",
            kwargs={
                "slug": self.version.benchmark.slug,
                "number": self.version.number,
                "pk": self.pk,
            },
        )


class TagType(VersionPart, EditVersioned):
    code = models.CharField(_("code"), max_length=40, validators=[slug_code_validator])
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["code"]
        verbose_name = _("tag type")
        verbose_name_plural = _("tag types")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="tagtype_unique_code")
        ]

    def __str__(self) -> str:
        return self.name

    def users(self) -> list[str]:
        """Codes of the indicators that carry a tag of this type."""
        return [i.code for i in self.version.indicators.order_by("code") if i.tags.get(self.code)]

    def deletion_blocker(self) -> str | None:
        if used := self.users():
            return str(
                _("%(what)s is used by %(codes)s: remove those tags first.")
                % {"what": self, "codes": ", ".join(used)}
            )
        return None


class TagChoice(FrozenGuard):
    tag_type = models.ForeignKey(TagType, on_delete=models.CASCADE, related_name="choices")
    code = models.CharField(_("code"), max_length=40, validators=[slug_code_validator])
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["tag_type", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tag_type", "code"], name="tagchoice_unique_code")
        ]

    def __str__(self) -> str:
        return self.name

    def _version(self) -> BenchmarkVersion:
        return self.tag_type.version


class GlossaryEntry(OrderedPart, EditVersioned):
    term = models.CharField(_("term"), max_length=200)
    definition = models.TextField(_("definition"))

    class Meta:
        ordering = ["order", "term"]
        verbose_name = _("glossary entry")
        verbose_name_plural = _("glossary entries")

    def __str__(self) -> str:
        return self.term


class RatingScale(VersionPart, EditVersioned):
    PERFORMANCE = "performance"
    EVIDENCE = "evidence"
    PURPOSE_CHOICES = [
        (PERFORMANCE, _("Performance (self-assessment, desk review, evaluation)")),
        (EVIDENCE, _("Evidence colour")),
    ]
    purpose = models.CharField(_("used for"), max_length=20, choices=PURPOSE_CHOICES)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["purpose"]
        verbose_name = _("rating scale")
        verbose_name_plural = _("rating scales")
        constraints = [
            models.UniqueConstraint(fields=["version", "purpose"], name="scale_unique_purpose")
        ]

    def __str__(self) -> str:
        return self.name


class ScaleLevel(FrozenGuard):
    scale = models.ForeignKey(RatingScale, on_delete=models.CASCADE, related_name="levels")
    order = models.PositiveIntegerField(_("order"))
    code = models.CharField(_("code"), max_length=40, validators=[slug_code_validator])
    label = models.CharField(_("label"), max_length=120)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use #rrggbb."))],
    )
    score = models.DecimalField(
        _("score"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Used to aggregate; empty for levels such as 'more information needed'."),
    )

    class Meta:
        ordering = ["scale", "order"]
        constraints = [models.UniqueConstraint(fields=["scale", "code"], name="level_unique_code")]

    def __str__(self) -> str:
        return self.label

    def _version(self) -> BenchmarkVersion:
        return self.scale.version


class VersionReviewerQuerySet(models.QuerySet):
    def awaiting(self, user) -> VersionReviewerQuerySet:
        """Drafts circulated to this person that they have not approved yet."""
        return self.filter(
            user=user, approved_at__isnull=True, version__status=BenchmarkVersion.DRAFT
        ).select_related("version__benchmark")


class VersionReviewer(models.Model):
    """A peer a draft was circulated to, and whether they approved it."""

    version = models.ForeignKey(
        BenchmarkVersion, on_delete=models.CASCADE, related_name="reviewers"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    history = HistoricalRecords()

    objects = VersionReviewerQuerySet.as_manager()

    class Meta:
        ordering = ["user__name"]
        constraints = [models.UniqueConstraint(fields=["version", "user"], name="reviewer_once")]

    def __str__(self) -> str:
        return f"{self.user} – {self.version}"


class IndicatorCommentQuerySet(models.QuerySet):
    def on_drafts(self) -> IndicatorCommentQuerySet:
        """Comments of the peers a draft was circulated to."""
        return self.filter(kind=IndicatorComment.DRAFT)

    def from_use(self) -> IndicatorCommentQuerySet:
        """Remarks made while the benchmark was used in reviews, flagged for the benchmark."""
        return self.exclude(kind=IndicatorComment.DRAFT)

    def for_next_draft(self, version: BenchmarkVersion) -> IndicatorCommentQuerySet:
        """The remarks from use on earlier versions' indicators that this version still has
        (matched by lineage): what its coordinator weighs when revising them."""
        return (
            self.from_use()
            .filter(
                indicator__version__benchmark_id=version.benchmark_id,
                indicator__version__number__lt=version.number,
                indicator__lineage__in=version.indicators.values("lineage"),
            )
            .select_related("author", "indicator__version")
            .order_by("indicator__lineage", "created_at")
        )


class IndicatorComment(models.Model):
    """A comment on an indicator: by a peer on a circulated draft, or a remark made while a
    review used the indicator and flagged for the benchmark (the reviews app keeps each one
    in step with the desk review entry, evaluation or self-assessment it comes from)."""

    DRAFT = "draft"
    DESK_REVIEW = "desk_review"
    EVALUATION = "evaluation"
    SELF_ASSESSMENT = "self_assessment"
    KIND_CHOICES = [
        (DRAFT, _("Comment on the draft")),
        (DESK_REVIEW, _("Desk review")),
        (EVALUATION, _("Evaluation")),
        (SELF_ASSESSMENT, _("Self-assessment of the host city")),
    ]

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("comment"))
    kind = models.CharField(_("made in"), max_length=20, choices=KIND_CHOICES, default=DRAFT)
    origin = models.CharField(
        _("where"), max_length=300, blank=True, help_text=_("For example the review it came from.")
    )
    # The row a remark from use comes from, e.g. "reviews.deskreviewentry:12" (one comment each).
    source = models.CharField(max_length=80, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = IndicatorCommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source"], condition=~Q(source=""), name="indicator_comment_one_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.indicator}"

    @property
    def is_from_use(self) -> bool:
        return self.kind != self.DRAFT
