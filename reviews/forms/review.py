"""Opening a review: its host city, benchmark version, dates and scope."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from benchmarks.models import BenchmarkVersion, Indicator
from core.forms import DateInput, HelperMixin
from core.versioning import VersionedFormMixin
from reviews.models import (
    PrivacySettings,
    Review,
)


class ReviewForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = Review
        fields = [
            "title",
            "host_city",
            "benchmark_version",
            "training_date",
            "inception_due",
            "visit_start",
            "visit_end",
            "report_due",
            "retention_months",
        ]
        widgets = {
            name: DateInput()
            for name in ["training_date", "inception_due", "visit_start", "visit_end", "report_due"]
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "benchmark_version"
        ].queryset = BenchmarkVersion.objects.published().select_related("benchmark")
        self.fields["benchmark_version"].required = True
        if self.instance.pk and self.instance.benchmark_version_id:
            self.fields["benchmark_version"].disabled = True  # tied for good
        for name in ["training_date", "inception_due", "visit_start", "visit_end", "report_due"]:
            self.fields[name].widget.format = "%Y-%m-%d"
        self.fields["retention_months"].help_text = _(
            "After this, the names of the people interviewed are replaced by their roles. Empty: the network's default, %(n)s months."
        ) % {"n": PrivacySettings.current().retention_months}


class ScopeForm(forms.Form):
    """Which indicators the review covers: whole groups, or single indicators, or all."""

    groups = forms.MultipleChoiceField(
        label=_("Whole groups"), required=False, widget=forms.CheckboxSelectMultiple
    )
    indicators = forms.MultipleChoiceField(
        label=_("Single indicators"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        version = review.benchmark_version
        self.all_indicators = list(version.indicators.for_matrix()) if version else []
        groups = list(version.groups.all()) if version else []
        self.fields["groups"].choices = [(str(g.pk), f"{g.code} {g.name}") for g in groups]
        self.fields["indicators"].choices = [
            (str(i.pk), f"{i.code} {i.text}") for i in self.all_indicators
        ]
        scoped = set(review.scope.values_list("pk", flat=True))
        if scoped:
            full = [
                str(g.pk)
                for g in groups
                if all(i.pk in scoped for i in self.all_indicators if i.group_id == g.pk)
            ]
            self.initial.setdefault("groups", full)
            self.initial.setdefault(
                "indicators",
                [
                    str(i.pk)
                    for i in self.all_indicators
                    if i.pk in scoped and str(i.group_id) not in full
                ],
            )

    def chosen_indicators(self) -> list[Indicator]:
        groups = {int(pk) for pk in self.cleaned_data["groups"]}
        singles = {int(pk) for pk in self.cleaned_data["indicators"]}
        return [i for i in self.all_indicators if i.group_id in groups or i.pk in singles]
