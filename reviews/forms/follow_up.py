"""Step 7 after publication: the host city's response to each recommendation, its
progress updates, and the checkpoint dates. Layout only in crispy helpers; the rules of a
response (owner, deadline and first actions when accepted; a rationale when not in full) live
in ``HostResponse.clean``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, HelperMixin
from core.versioning import VersionedFormMixin
from reviews.models import (
    FeedbackReport,
    HostResponse,
    ProgressUpdate,
)


class HostResponseForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = HostResponse
        fields = ["decision", "rationale", "owner", "deadline", "first_actions"]
        widgets = {
            "decision": forms.RadioSelect,
            "rationale": forms.Textarea(attrs={"rows": 3}),
            "deadline": DateInput(),
            "first_actions": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "owner": _("A person or a post in the city. Needed when the city accepts it."),
            "deadline": _("When it should be done. Needed when the city accepts it."),
            "first_actions": _("What happens first. Needed when the city accepts it."),
            "rationale": _("Needed when the city accepts it in part or declines it."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = HostResponse.DECISION_CHOICES  # no empty radio


class ProgressUpdateForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["status", "note"]
        widgets = {"status": forms.RadioSelect, "note": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = ProgressUpdate.STATUS_CHOICES  # no empty radio


class CheckpointsForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = FeedbackReport
        fields = ["first_checkpoint", "second_checkpoint"]
        widgets = {"first_checkpoint": DateInput(), "second_checkpoint": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_checkpoint", "second_checkpoint"):
            self.fields[name].required = True

    def clean(self):
        data = super().clean()
        first, second = data.get("first_checkpoint"), data.get("second_checkpoint")
        if first and second and second <= first:
            self.add_error("second_checkpoint", _("The second update comes after the first one."))
        return data
