"""Opening a review: its host city, benchmark version, dates and scope."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from benchmarks.models import BenchmarkVersion, Indicator
from core.dates import DateChecksMixin, shown
from core.forms import DateInput, HelperMixin
from core.versioning import VersionedFormMixin
from reviews.models import (
    PrivacySettings,
    Programme,
    Review,
)


class ReviewForm(DateChecksMixin, VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = Review
        fields = [
            "title",
            "programme",
            "host_city",
            "benchmark_version",
            "baseline",
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
        self.fields["programme"].queryset = Programme.objects.select_related(
            "benchmark_version__benchmark"
        )
        # In a programme the version is the programme's; outside one it must be chosen.
        self.fields["benchmark_version"].help_text = _(
            "A review stays tied to this published version for good. In a programme, leave it "
            "empty to take the programme's version."
        )
        if self.instance.pk:
            self.fields["baseline"].queryset = Review.objects.baseline_candidates(
                self.instance
            ).select_related("host_city")
        else:  # linked on opening: the latest earlier published review of the city
            del self.fields["baseline"]
        if self.instance.pk and self.instance.benchmark_version_id:
            self.fields["benchmark_version"].disabled = True  # tied for good
        for name in ["training_date", "inception_due", "visit_start", "visit_end", "report_due"]:
            self.fields[name].widget.format = "%Y-%m-%d"
        self.fields["retention_months"].help_text = _(
            "After this, the names of the people interviewed are replaced by their roles. Empty: the network's default, %(n)s months."
        ) % {"n": PrivacySettings.current().retention_months}
        if self.instance.pk:
            self.fields["host_reason"] = forms.CharField(
                label=_("Why host city members from elsewhere stay on its side"),
                required=False,
                max_length=300,
                help_text=_(
                    "Only when you change the host city and some of its members on this "
                    "review do not work for the new one. Kept on their membership."
                ),
            )

    def clean(self):
        data = super().clean()
        programme, version = data.get("programme"), data.get("benchmark_version")
        if version is None and "benchmark_version" not in self.errors:
            if programme is not None:
                data["benchmark_version"] = programme.benchmark_version
            elif not self.fields["benchmark_version"].disabled:
                self.add_error("benchmark_version", _("Choose a published benchmark version."))
        # Read by Review.clean, which re-checks conflicts of interest on a new host city.
        self.instance.host_reason_for_move = data.get("host_reason", "")
        return data

    def save(self, commit=True):
        review = super().save(commit)
        if commit:
            review.record_host_reasons()
        return review

    def check_dates(self, data, checks) -> None:
        opened = timezone.localdate(self.instance.created_at) if self.instance.pk else checks.today
        training, inception = data.get("training_date"), data.get("inception_due")
        start, end, report = data.get("visit_start"), data.get("visit_end"), data.get("report_due")
        for name in ("inception_due", "report_due"):
            if data.get(name) and data[name] < opened and name in checks.changed:
                checks.refuse(
                    name,
                    _("A deadline cannot fall before the review opened (%(date)s).")
                    % {"date": shown(opened)},
                )
        if inception and start and inception > start:
            checks.refuse(
                "inception_due",
                _("The peers read the inception report before the visit: it is due by %(date)s.")
                % {"date": shown(start)},
            )
        if training and start and training > start:
            checks.refuse(
                "training_date",
                _("The training comes before the visit, which starts on %(date)s.")
                % {"date": shown(start)},
            )
        if report and (end or start) and report < (end or start):
            checks.refuse(
                "report_due",
                _("The report is written after the visit: it cannot be due before %(date)s.")
                % {"date": shown(end or start)},
            )
        for name in ("training_date", "inception_due", "visit_start", "visit_end", "report_due"):
            checks.usual(name, data.get(name))
        if training and start and (start - training).days < 14:
            checks.warn(
                "training_date",
                _("The method trains the teams about a month before the visit."),
            )


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


class AdvanceForm(HelperMixin, forms.Form):
    """Moving a review on: confirmed explicitly when the current step still lacks something."""

    confirm = forms.BooleanField(
        label=_("I know what this step still lacks; move the review on anyway."), required=False
    )

    def __init__(self, *args, lacks: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.lacks = lacks
        if not lacks:
            del self.fields["confirm"]

    def clean(self):
        data = super().clean()
        if self.lacks and not data.get("confirm"):
            self.add_error(
                "confirm", _("Tick the box to move on although this step is incomplete.")
            )
        return data


class MoveBackForm(HelperMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why does the review go back a step?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Kept in the review's history, with your name and the date."),
    )
