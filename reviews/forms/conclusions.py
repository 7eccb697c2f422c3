"""Step 7 on site: the key conclusions, each peer's vote and the preliminary feedback."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import DateChecksMixin, shown
from core.forms import DateInput, HelperMixin
from core.versioning import VersionedFormMixin
from reviews.models import (
    KeyConclusion,
    PreliminaryFeedback,
    Review,
)


class ConclusionForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = KeyConclusion
        fields = ["text", "groups", "indicators"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "groups": forms.CheckboxSelectMultiple,
            "indicators": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.review = review
        self.fields["groups"].queryset = review.groups_in_scope()
        self.fields["indicators"].queryset = review.indicators_in_scope()
        self.fields["indicators"].label_from_instance = lambda i: f"{i.code} {i.text[:70]}"


class VoteForm(forms.Form):
    agrees = forms.TypedChoiceField(
        label=_("Your position"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("I agree")), ("no", _("I dissent"))],
        widget=forms.RadioSelect,
    )
    dissent = forms.CharField(
        label=_("Why you dissent"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("agrees") is False and not (data.get("dissent") or "").strip():
            self.add_error("dissent", _("Say why you dissent, so the team can discuss it."))
        return data


class FeedbackForm(DateChecksMixin, VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = PreliminaryFeedback
        fields = ["presented_on", "audience", "observations"]
        widgets = {
            "presented_on": DateInput(format="%Y-%m-%d"),
            "observations": forms.Textarea(attrs={"rows": 4}),
        }

    def check_dates(self, data, checks) -> None:
        day, review = data.get("presented_on"), self.instance.review
        if day and review.visit_start and day < review.visit_start:
            checks.refuse(
                "presented_on",
                _("The team presents its first feedback at the visit, which starts on %(date)s.")
                % {"date": shown(review.visit_start)},
            )
        if day and day > checks.today:
            checks.warn("presented_on", _("This date is in the future: record it once it is held."))
        days = review.visit_days()
        if day and days and day not in days:
            checks.warn(
                "presented_on",
                _("This is outside the visit days, %(start)s to %(end)s.")
                % {"start": shown(days[0]), "end": shown(days[-1])},
            )
