"""A programme: a round of peer reviews in a network, on one benchmark version.

In the sources reviews come in programmes: INTI-CITIES brought together peers from twelve
cities and visited six of them, with all teams trained together once; DIVE had five
partner cities of which four were reviewed (METHOD.md, "Above one review"). A programme
holds its partner cities (some never host), a pool of peers to form every team from, its
joint training sessions (`TrainingSession.programme`) and its reviews (`Review.programme`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from core.versioning import EditVersioned

# "A peer on too many visits": more reviews of one programme than this, by default.
VISITS_PER_PEER = 2


class ProgrammeQuerySet(models.QuerySet):
    def for_user(self, user) -> ProgrammeQuerySet:
        """Every programme for coordinators; else those with a review the person is on."""
        if not user.is_authenticated:
            return self.none()
        if user.is_coordinator:
            return self
        return self.filter(reviews__memberships__user=user).distinct()

    def with_listing(self) -> ProgrammeQuerySet:
        return self.select_related("benchmark_version__benchmark").annotate(
            review_count=models.Count("reviews", distinct=True),
            partner_count=models.Count("partners", distinct=True),
        )


class Programme(EditVersioned):
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    theme = models.CharField(
        _("theme"),
        max_length=200,
        blank=True,
        help_text=_("Optional, e.g. anti-discrimination: MIXITIES ran one programme per theme."),
    )
    network = models.CharField(
        _("network running it"),
        max_length=200,
        blank=True,
        help_text=_("For example EUROCITIES with the Migration Policy Group."),
    )
    benchmark_version = models.ForeignKey(
        "benchmarks.BenchmarkVersion",
        verbose_name=_("benchmark version"),
        on_delete=models.PROTECT,
        related_name="programmes",
        limit_choices_to={"status": "published"},
        help_text=_(
            "Every review of the programme uses this published version; it cannot change "
            "once a review is opened in the programme."
        ),
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    partners = models.ManyToManyField(
        "cities.City",
        verbose_name=_("partner cities"),
        blank=True,
        related_name="programmes",
        help_text=_(
            "The cities taking part; a review's host city must be one of them, but some "
            "partners never host."
        ),
    )
    pool = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("peer pool"),
        blank=True,
        related_name="peer_pools",
        help_text=_("The peers every team of the programme is formed from."),
    )
    visits_per_peer = models.PositiveSmallIntegerField(
        _("visits per peer"),
        default=VISITS_PER_PEER,
        help_text=_("A peer on more reviews of the programme than this is flagged (not refused)."),
    )
    show_ranking = models.BooleanField(
        _("show a ranking of the cities"),
        default=False,
        help_text=_(
            "Index benchmarks only: list the cities in the order of their index beside the "
            "spread. Off by default; a rating-scale benchmark is never ranked."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[partners, pool])

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reviews:programme", kwargs={"programme": self.pk})

    @property
    def ranking_allowed(self) -> bool:
        """Whether the benchmark can be ranked at all: only an index benchmark can."""
        return self.benchmark_version.benchmark.is_index

    @property
    def ranking_shown(self) -> bool:
        """A rank order of the cities: for an index benchmark, when the coordinator turned
        it on; never for a rating-scale benchmark, whatever is stored."""
        return self.show_ranking and self.ranking_allowed

    def clean(self) -> None:
        errors = {}
        if self.benchmark_version_id and not self.benchmark_version.is_published:
            errors["benchmark_version"] = _("Choose a published benchmark version.")
        elif self.pk is not None and self.benchmark_version_id:
            stored = (
                Programme.objects.filter(pk=self.pk)
                .values_list("benchmark_version_id", flat=True)
                .first()
            )
            opened = self.reviews.count()
            if stored != self.benchmark_version_id and opened:
                errors["benchmark_version"] = ngettext(
                    "The benchmark version cannot change: %(n)s review is open in the "
                    "programme, and a review stays on its version for good.",
                    "The benchmark version cannot change: %(n)s reviews are open in the "
                    "programme, and a review stays on its version for good.",
                    opened,
                ) % {"n": opened}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The programme cannot end before it starts.")
        if self.show_ranking and self.benchmark_version_id and not self.ranking_allowed:
            errors["show_ranking"] = _(
                "Only an index benchmark can be ranked: this programme's benchmark rates "
                "indicators on a scale, and its comparisons show the spread, never a rank."
            )
        if errors:
            raise ValidationError(errors)

    def partner_removal_problems(self, partners) -> list[str]:
        """Why these cities cannot all stay out of the partners: each hosts a review of the
        programme (empty when nothing is in the way)."""
        if self.pk is None:
            return []
        keep = {city.pk for city in partners}
        hosting = self.reviews.exclude(host_city__in=keep).select_related("host_city")
        return [
            str(
                _(
                    "%(city)s hosts “%(review)s” in this programme, so it stays a partner "
                    "city. Take the review out of the programme first."
                )
                % {"city": review.host_city.name, "review": review.title}
            )
            for review in hosting.order_by("host_city__name", "title")
        ]

    def is_partner(self, city_id: int | None) -> bool:
        if city_id is None:
            return False
        partners = getattr(self, "_cf_partner_ids", None)
        if partners is None:
            partners = self._cf_partner_ids = set(self.partners.values_list("pk", flat=True))
        return city_id in partners
