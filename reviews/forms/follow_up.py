"""Step 7 after publication: the host city's response to each recommendation, its
progress updates, and the checkpoint dates. Layout only in crispy helpers; the rules of a
response (owner, deadline and first actions when accepted; a rationale when not in full) live
in ``HostResponse.clean``."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import DateChecksMixin, shown
from core.forms import DateInput, HelperMixin
from core.versioning import VersionedFormMixin
from reviews.models import (
    FeedbackReport,
    HostResponse,
    ProgressUpdate,
)


def _published_on(report):
    return timezone.localdate(report.published_at) if report.published_at else None


class HostResponseForm(DateChecksMixin, VersionedFormMixin, HelperMixin, forms.ModelForm):
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

    def check_dates(self, data, checks) -> None:
        deadline = data.get("deadline")
        published = _published_on(self.instance.recommendation.section.report)
        if deadline and published and deadline < published:
            checks.refuse(
                "deadline",
                _(
                    "A commitment made after the report cannot be due before it was published "
                    "(%(date)s)."
                )
                % {"date": shown(published)},
            )
        checks.usual("deadline", deadline, years_ahead=10)


class ProgressUpdateForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["status", "note"]
        widgets = {"status": forms.RadioSelect, "note": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = ProgressUpdate.STATUS_CHOICES  # no empty radio


class CheckpointsForm(DateChecksMixin, VersionedFormMixin, HelperMixin, forms.ModelForm):
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

    def check_dates(self, data, checks) -> None:
        published = _published_on(self.instance)
        for name in ("first_checkpoint", "second_checkpoint"):
            day = data.get(name)
            if day and published and day <= published:
                checks.refuse(
                    name,
                    _("A progress update comes after the report was published (%(date)s).")
                    % {"date": shown(published)},
                )
            checks.usual(name, day, years_ahead=5)
