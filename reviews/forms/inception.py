"""Step 3: the inception report's background, self-assessment, provenance and proposed
interviewees."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from benchmarks.models import BenchmarkVersion, Indicator, RatingScale, ScaleLevel
from core.forms import HelperMixin, LeanFieldsMixin
from core.versioning import VersionedFormMixin
from reviews.models import (
    BackgroundSection,
    InceptionReport,
    ProposedInterviewee,
    Review,
    SelfAssessment,
)
from reviews.uploads import validate_upload


class BackgroundSectionForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    attachment = forms.FileField(label=_("Attach a file (optional)"), required=False)

    class Meta:
        model = BackgroundSection
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 12})}

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            validate_upload(upload)
        return upload


class ProvenanceForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = InceptionReport
        fields = ["written_by", "partners", "political_involvement", "sign_off"]
        widgets = {
            "written_by": forms.Textarea(attrs={"rows": 3}),
            "partners": forms.Textarea(attrs={"rows": 3}),
        }


class SelfAssessmentForm(VersionedFormMixin, LeanFieldsMixin, forms.ModelForm):
    """One indicator's self-assessment; the group page shows one per indicator in scope."""

    attachment = forms.FileField(label=_("Attach a document"), required=False)

    class Meta:
        model = SelfAssessment
        fields = [
            "rating",
            "achieved",
            "aspiration",
            "evidence",
            "how_why_who",
            "political_responsible",
            "operational_responsible",
            "links",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ["achieved", "aspiration", "evidence", "how_why_who", "links"]
        }

    def __init__(self, *args, indicator: Indicator, rating_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        # The scale's levels are read once for the whole page, not once per form.
        self.fields["rating"].queryset = rating_choices["queryset"]
        self.fields["rating"].choices = rating_choices["choices"]

    def clean_links(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        validator = forms.URLField(assume_scheme="https").clean
        for line in lines:
            try:
                validator(line)
            except ValidationError as error:
                raise ValidationError(
                    _("%(link)s is not a web address.") % {"link": line}
                ) from error
        return "\n".join(lines)

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            validate_upload(upload)
        return upload


def rating_choices(version: BenchmarkVersion) -> dict:
    # One query: the levels of the version's performance scale (the queryset is only run
    # again to validate a posted choice).
    queryset = ScaleLevel.objects.filter(
        scale__version=version, scale__purpose=RatingScale.PERFORMANCE
    )
    levels = list(queryset)
    return {
        "queryset": queryset,
        "choices": [("", "—"), *[(level.pk, level.label) for level in levels]],
    }


class IntervieweeForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = ProposedInterviewee
        fields = ["name", "organisation", "kind", "contact", "attribution", "indicators"]
        widgets = {"indicators": forms.CheckboxSelectMultiple}

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.review = review
        self.fields["indicators"].queryset = review.indicators_in_scope()
        self.fields["indicators"].label_from_instance = lambda i: f"{i.code} {i.text[:90]}"


class ReopenForm(HelperMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the report reopened?"), widget=forms.Textarea(attrs={"rows": 2})
    )
