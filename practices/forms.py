from __future__ import annotations

import re

from django import forms
from django.db import transaction
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _

from benchmarks.models import Benchmark, BenchmarkVersion, Indicator
from cities.models import City
from core.forms import HelperMixin
from core.versioning import VersionedFormMixin
from practices.models import CRITERION_FIELDS, Practice, PracticeIndicator

CODE_SEPARATORS = re.compile(r"[\s,;]+")


def split_codes(text: str) -> list[str]:
    """ "GG/A/1, ac/i/3" -> ["GG/A/1", "AC/I/3"], each once, in the order typed."""
    codes = []
    for code in CODE_SEPARATORS.split(text or ""):
        code = code.strip().upper()
        if code and code not in codes:
            codes.append(code)
    return codes


def resolve_codes(codes: list[str], *, version=None, benchmark=None):
    """Each code's indicator: in `version` (a review's benchmark version) when given, else in
    the latest published version of `benchmark`, or of any benchmark that has the code.
    Returns ({code: indicator}, [error messages])."""
    if not codes:
        return {}, []
    if version is not None:
        found = {i.code: i for i in Indicator.objects.filter(version=version, code__in=codes)}
        errors = [
            _("%(code)s is not an indicator of %(version)s.") % {"code": code, "version": version}
            for code in codes
            if code not in found
        ]
        return found, errors
    candidates = Indicator.objects.filter(
        version__status=BenchmarkVersion.PUBLISHED, code__in=codes
    ).select_related("version__benchmark")
    if benchmark is not None:
        candidates = candidates.filter(version__benchmark=benchmark)
    latest: dict[tuple[str, int], Indicator] = {}
    for indicator in candidates.order_by("version__number"):
        latest[(indicator.code, indicator.version.benchmark_id)] = indicator
    found, errors = {}, []
    for code in codes:
        matches = [indicator for (c, _b), indicator in latest.items() if c == code]
        if not matches:
            errors.append(_("No published benchmark has an indicator %(code)s.") % {"code": code})
        elif len(matches) > 1:
            names = ", ".join(sorted(i.version.benchmark.name for i in matches))
            errors.append(
                _("%(code)s is in more than one benchmark (%(names)s): choose the benchmark.")
                % {"code": code, "names": names}
            )
        else:
            found[code] = matches[0]
    return found, errors


def save_indicator_links(practice: Practice, indicators: dict) -> None:
    """The practice illustrates exactly these indicators (by lineage)."""
    practice.indicator_links.exclude(code__in=list(indicators)).delete()
    known = set(practice.indicator_links.values_list("code", flat=True))
    PracticeIndicator.objects.bulk_create(
        PracticeIndicator(
            practice=practice,
            code=code,
            lineage=indicator.lineage,
            benchmark_id=indicator.version.benchmark_id,
        )
        for code, indicator in indicators.items()
        if code not in known
    )


class PracticeForm(HelperMixin, VersionedFormMixin, forms.ModelForm):
    """What the team leader completes: the texts in both languages, the indicators, the
    Annex I assessments, the contact role and the sources."""

    indicator_codes = forms.CharField(
        label=_("Indicators it illustrates"),
        required=False,
        help_text=_("Indicator codes, separated by commas, e.g. GG/A/1, AC/I/3."),
    )

    class Meta:
        model = Practice
        fields = [
            "title_en",
            "title_nl",
            "description_en",
            "description_nl",
            "transferability_en",
            "transferability_nl",
            *[f"{field}_{language}" for field in CRITERION_FIELDS for language in ("en", "nl")],
            "tags",
            "contact_role",
            "evidence_codes",
            "sources",
        ]
        widgets = {
            "tags": forms.CheckboxSelectMultiple,
            **{
                f"{field}_{language}": forms.Textarea(attrs={"rows": 2})
                for field in CRITERION_FIELDS
                for language in ("en", "nl")
            },
            "description_en": forms.Textarea(attrs={"rows": 5}),
            "description_nl": forms.Textarea(attrs={"rows": 5}),
            "transferability_en": forms.Textarea(attrs={"rows": 3}),
            "transferability_nl": forms.Textarea(attrs={"rows": 3}),
            "evidence_codes": forms.Textarea(attrs={"rows": 3}),
            "sources": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].required = False
        for name, field in self.fields.items():
            for language, label in (("en", _("English")), ("nl", _("Dutch"))):
                if name.endswith(f"_{language}"):
                    base = Practice._meta.get_field(name[: -len(language) - 1]).verbose_name
                    field.label = f"{capfirst(base)} ({label})"
        if self.instance.pk:
            self.fields["indicator_codes"].initial = ", ".join(
                link.code for link in self.instance.indicator_links.all()
            )
        self.indicators: dict = {}

    def indicator_scope(self) -> dict:
        """Where the codes are looked up: the review's benchmark version, if it has one."""
        review = self.instance.review if self.instance.review_id else None
        if review is not None and review.benchmark_version_id:
            return {"version": review.benchmark_version}
        return {}

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("title_en") or cleaned.get("title_nl")):
            self.add_error("title_en", _("Give the practice a title in at least one language."))
        if self.add_prefix("indicator_codes") not in self.data:
            self.indicators = None  # not on the form that was posted: the links stay
            return cleaned
        self.indicators, errors = resolve_codes(
            split_codes(cleaned.get("indicator_codes", "")), **self.indicator_scope()
        )
        for error in errors:
            self.add_error("indicator_codes", error)
        return cleaned

    @transaction.atomic
    def save(self, commit=True):
        practice = super().save(commit=commit)
        if self.indicators is not None:
            save_indicator_links(practice, self.indicators)
        return practice


class NewPracticeForm(PracticeForm):
    """A coordinator enters a practice directly (as from the sources), or for a review."""

    benchmark = forms.ModelChoiceField(
        label=_("Benchmark of the indicators"),
        queryset=Benchmark.objects.all(),
        required=False,
        help_text=_(
            "Only needed when a code is in more than one benchmark; with a review, its "
            "benchmark version is used."
        ),
    )

    class Meta(PracticeForm.Meta):
        fields = [
            "title_en",
            "title_nl",
            "slug",
            "cities",
            "organisation",
            "programme",
            "review",
            "theme",
            *PracticeForm.Meta.fields[2:],
        ]
        widgets = {**PracticeForm.Meta.widgets, "cities": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from reviews.models import Review

        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "Used in its web address; left empty, it is made from the title."
        )
        self.fields["cities"].queryset = City.objects.order_by("name")
        self.fields["review"].queryset = Review.objects.select_related("host_city").order_by(
            "title"
        )
        self.fields["review"].help_text = _(
            "A practice from a review is approved by the review's team before it is published."
        )
        order = [name for name in self.fields if name not in ("indicator_codes", "benchmark")]
        at = order.index("tags")
        order[at:at] = ["indicator_codes", "benchmark"]
        self.order_fields(order)

    def indicator_scope(self) -> dict:
        review = self.cleaned_data.get("review")
        if review is not None and review.benchmark_version_id:
            return {"version": review.benchmark_version}
        return {"benchmark": self.cleaned_data.get("benchmark")}

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("cities") or cleaned.get("organisation")):
            self.add_error("cities", _("Choose a city, or name the organisation."))
        if not cleaned.get("slug"):
            title = cleaned.get("title_en") or cleaned.get("title_nl") or ""
            cleaned["slug"] = self.free_slug(slugify(title)[:100] or "practice")
            self.instance.slug = cleaned["slug"]
        if cleaned.get("slug") == "new":
            self.add_error("slug", _("This short name is taken by the page for new practices."))
        review = cleaned.get("review")
        if review is not None and not cleaned.get("programme") and review.programme_id:
            cleaned["programme"] = review.programme.name
            self.instance.programme = cleaned["programme"]
        return cleaned

    @staticmethod
    def free_slug(base: str) -> str:
        slug, n = base, 1
        while slug == "new" or Practice.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug
