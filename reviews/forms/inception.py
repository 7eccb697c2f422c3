"""Step 3: the inception report's background, self-assessment, provenance and proposed
interviewees."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from benchmarks.models import BenchmarkVersion, Indicator, RatingScale, ScaleLevel
from core.forms import HelperMixin, LeanFieldsMixin
from core.versioning import VersionedFormMixin
from reviews.models import (
    BackgroundSection,
    HeldUpload,
    InceptionReport,
    ProposedInterviewee,
    Review,
    SelfAssessment,
)
from reviews.services.inception import hold_upload
from reviews.uploads import validate_upload


class ChosenFileMixin:
    """For a form with an optional `attachment` file field: a file chosen on a try that
    was not saved (an error elsewhere on the page, or an edit conflict) is kept.

    Browsers cannot fill a file field again, so the view calls `keep_chosen_file()`
    before it shows the form again: the file is held (HeldUpload) in a hidden field, and
    named next to the file field; the next save attaches it (`chosen_file()`).
    """

    def __init__(self, *args, review: Review, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review
        self.user = user
        self.fields["held_attachment"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False
        )

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            validate_upload(upload)
        return upload

    def clean_held_attachment(self) -> HeldUpload | None:
        pk = self.cleaned_data.get("held_attachment")
        if not pk:
            return None
        held = HeldUpload.objects.of(review=self.review, user=self.user).filter(pk=pk).first()
        if held is None:
            self.add_error(
                "attachment", _("The file you chose before is no longer kept: choose it again.")
            )
        return held

    def chosen_file(self) -> dict:
        """The file to attach on saving: `upload` chosen now, `held` from an earlier try."""
        return {
            "upload": self.cleaned_data.get("attachment"),
            "held": self.cleaned_data.get("held_attachment"),
        }

    def keep_chosen_file(self) -> None:
        """The form is shown again unsaved: hold a valid chosen file and say so at its field."""
        cleaned = getattr(self, "cleaned_data", {})
        held = cleaned.get("held_attachment")
        if upload := cleaned.get("attachment"):
            held = hold_upload(review=self.review, upload=upload, by=self.user, replaces=held)
        if held is None:
            return
        self.data = self.data.copy()
        self.data[self.add_prefix("held_attachment")] = held.pk
        # Shown unescaped by the field templates: the file's name is escaped here. The bound
        # field copied the help text when the form was validated, so it is set there too.
        note = format_html(
            str(
                _("Kept: {name}. It is attached when you save; choose another file to replace it.")
            ),
            name=held.original_name,
        )
        self.fields["attachment"].help_text = note
        self["attachment"].help_text = note


class BackgroundSectionForm(ChosenFileMixin, VersionedFormMixin, HelperMixin, forms.ModelForm):
    attachment = forms.FileField(label=_("Attach a file (optional)"), required=False)

    class Meta:
        model = BackgroundSection
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 12})}


class ProvenanceForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = InceptionReport
        fields = ["written_by", "partners", "political_involvement", "sign_off"]
        widgets = {
            "written_by": forms.Textarea(attrs={"rows": 3}),
            "partners": forms.Textarea(attrs={"rows": 3}),
        }


class SelfAssessmentForm(ChosenFileMixin, VersionedFormMixin, LeanFieldsMixin, forms.ModelForm):
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
            "benchmark_note",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ["achieved", "aspiration", "evidence", "how_why_who", "links"]
        } | {"benchmark_note": forms.Textarea(attrs={"rows": 2})}

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


class SubmitForm(HelperMixin, forms.Form):
    """Submitting the inception report; with anything missing, only with a reason."""

    reason = forms.CharField(
        label=_("Reason for submitting it as it is"),
        help_text=_("The team reads this with the report, in its history."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, gaps, **kwargs):
        super().__init__(*args, **kwargs)
        self.gaps = gaps
        self.fields["seen"].initial = gaps.fingerprint()
        if not gaps:
            del self.fields["reason"]

    def clean(self):
        cleaned = super().clean()
        if self.gaps and cleaned.get("seen") != self.gaps.fingerprint():
            raise ValidationError(
                _(
                    "What is missing changed while this page was open: check the list again. "
                    "Nothing was submitted."
                )
            )
        return cleaned


class ReopenForm(HelperMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the report reopened?"), widget=forms.Textarea(attrs={"rows": 2})
    )
