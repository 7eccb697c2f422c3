"""Step 4: each peer's desk review, the team's consolidated view and questions to the host."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from benchmarks.models import Indicator
from core.forms import HelperMixin, LeanFieldsMixin
from core.versioning import VersionedFormMixin
from reviews.forms.inception import ChosenFileMixin
from reviews.models import (
    ConsolidatedEntry,
    DeskReviewEntry,
    InformationRequest,
    Review,
)


class DeskReviewEntryForm(VersionedFormMixin, forms.ModelForm):
    """A peer's view of one indicator, with the host's self-assessment shown beside it."""

    ask_host = forms.BooleanField(
        label=_("Send these questions to the host city as an information request"), required=False
    )

    class Meta:
        model = DeskReviewEntry
        fields = ["performance", "hypothesis", "questions", "meet", "meet_others", "benchmark_note"]
        widgets = {
            "hypothesis": forms.Textarea(attrs={"rows": 3}),
            "questions": forms.Textarea(attrs={"rows": 3}),
            "benchmark_note": forms.Textarea(attrs={"rows": 2}),
            "meet": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, indicator: Indicator, rating_choices, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["performance"].queryset = rating_choices["queryset"]
        self.fields["performance"].choices = rating_choices["choices"]
        # The host's list is read once for the page, not once per indicator.
        self.fields["meet"].queryset = people["queryset"]
        self.fields["meet"].choices = people["choices"]

    def clean(self):
        data = super().clean()
        if data.get("ask_host") and not (data.get("questions") or "").strip():
            self.add_error("questions", _("Write the questions to send to the host city."))
        return data


def people_choices(review: Review) -> dict:
    people = list(review.proposed_interviewees.all())
    return {
        "queryset": review.proposed_interviewees.all(),
        "choices": [(p.pk, f"{p.name} ({p.organisation})") for p in people],
    }


class ConsolidatedForm(VersionedFormMixin, LeanFieldsMixin, forms.ModelForm):
    """One indicator's consolidated view; the team view shows one per indicator of the group,
    so it renders through templates/_lean_fields.html, not crispy-forms."""

    class Meta:
        model = ConsolidatedEntry
        fields = ["rating", "hypothesis", "key_questions"]
        widgets = {
            "hypothesis": forms.Textarea(attrs={"rows": 2}),
            "key_questions": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, indicator: Indicator, rating_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["rating"].queryset = rating_choices["queryset"]
        self.fields["rating"].choices = rating_choices["choices"]


class InformationRequestForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = InformationRequest
        fields = ["indicator", "question"]
        widgets = {"question": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = review.indicators_in_scope()
        self.fields["indicator"].label_from_instance = lambda i: f"{i.code} {i.text[:80]}"


class RequestAnswerForm(ChosenFileMixin, VersionedFormMixin, HelperMixin, forms.ModelForm):
    attachment = forms.FileField(label=_("Attach a document (optional)"), required=False)

    class Meta:
        model = InformationRequest
        fields = ["answer"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 5})}

    def clean_answer(self) -> str:
        answer = self.cleaned_data["answer"].strip()
        if not answer:
            raise ValidationError(_("Write an answer."))
        return answer
