"""Step 5: the visit's sessions and its days and time slots. The timetable rules
(reviews.planning) run in `SessionForm.clean()`."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import User
from core.dates import DateChecksMixin, as_date, shown
from core.forms import DateInput, DateTimeInput, HelperMixin
from core.versioning import VersionedFormMixin
from reviews.models import (
    ProposedInterviewee,
    Review,
    VisitSession,
)
from reviews.planning import Slot, errors_for
from reviews.steps import TEAM_ROLES


class SessionForm(DateChecksMixin, VersionedFormMixin, HelperMixin, forms.ModelForm):
    """A session of the visit. The timetable rules (reviews.planning) run in clean()."""

    ends_at = forms.DateTimeField(
        label=_("Ends"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Leave empty for one time slot, or two with an interpreter."),
    )
    new_interviewee = forms.CharField(
        label=_("Add someone not on the host's list: name"), required=False
    )
    new_interviewee_organisation = forms.CharField(
        label=_("Their organisation and role"), required=False
    )
    new_interviewee_kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", "—"), *ProposedInterviewee.KIND_CHOICES]
    )

    class Meta:
        model = VisitSession
        fields = [
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "location",
            "interpreter",
            "peers",
            "peer_count_reason",
            "interviewees",
            "indicators",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "peers": forms.CheckboxSelectMultiple,
            "interviewees": forms.CheckboxSelectMultiple,
            "indicators": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review
        self.instance.review = review
        self.fields["peers"].queryset = User.objects.filter(
            memberships__review=review, memberships__role__in=TEAM_ROLES
        ).order_by("name")
        self.fields["interviewees"].queryset = review.proposed_interviewees.all()
        self.fields["indicators"].queryset = review.indicators_in_scope()
        self.fields["indicators"].label_from_instance = lambda i: f"{i.code} {i.text[:70]}"

    def clean(self):
        data = super().clean()
        start = data.get("starts_at")
        if start is None:
            return data
        if not data.get("ends_at"):
            slots = 2 if data.get("interpreter") else 1
            data["ends_at"] = start + datetime.timedelta(minutes=self.review.slot_minutes * slots)
            self.instance.ends_at = data["ends_at"]
        if data.get("new_interviewee") and not data.get("new_interviewee_kind"):
            self.add_error("new_interviewee_kind", _("Say what kind of interviewee this is."))
        peers = {p.pk for p in data.get("peers") or []}
        people = {p.pk for p in data.get("interviewees") or []}
        slot = Slot(
            key=self.instance.pk,
            kind=data.get("kind", ""),
            starts_at=timezone.localtime(start),
            ends_at=timezone.localtime(data["ends_at"]),
            peers=peers,
            interviewees=people,
            indicators=set(),
            peer_count_reason=data.get("peer_count_reason", ""),
        )
        others = [
            s.as_slot()
            for s in self.review.visit_sessions.for_planner().exclude(pk=self.instance.pk)
        ]
        names = {("peer", p.pk): p.name for p in data.get("peers") or []}
        names |= {("interviewee", p.pk): p.name for p in data.get("interviewees") or []}
        for field, messages in errors_for(slot, others, names=names).items():
            for message in messages:
                self.add_error(field, message)
        return data

    def check_dates(self, data, checks) -> None:
        start = as_date(data.get("starts_at"))
        if start is None:
            return
        # Sessions are often entered after they were held: a past date alone is not odd,
        # one outside the visit's days (or, before they are set, before the review) is.
        checks.usual("starts_at", start, past=False)
        days = self.review.visit_days()
        opened = timezone.localdate(self.review.created_at)
        if days and start not in days:
            checks.warn(
                "starts_at",
                _("This is outside the visit days, %(start)s to %(end)s.")
                % {"start": shown(days[0]), "end": shown(days[-1])},
            )
        elif not days and start < opened:
            checks.warn(
                "starts_at",
                _("This is before the review opened (%(date)s).") % {"date": shown(opened)},
            )

    def save(self, commit=True):
        session = super().save(commit)
        name = self.cleaned_data.get("new_interviewee")
        if commit and name:
            person = ProposedInterviewee.objects.create(
                review=self.review,
                name=name,
                organisation=self.cleaned_data.get("new_interviewee_organisation", ""),
                kind=self.cleaned_data["new_interviewee_kind"],
            )
            session.interviewees.add(person)
        return session


class VisitSettingsForm(DateChecksMixin, VersionedFormMixin, HelperMixin, forms.ModelForm):
    """The visit's days and the timetable's time slots, set by the team leader."""

    class Meta:
        model = Review
        fields = ["visit_start", "visit_end", "day_starts", "day_ends", "slot_minutes"]
        widgets = {
            "visit_start": DateInput(format="%Y-%m-%d"),
            "visit_end": DateInput(format="%Y-%m-%d"),
            "day_starts": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "day_ends": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def clean(self):
        data = super().clean()
        if (
            data.get("day_starts")
            and data.get("day_ends")
            and data["day_ends"] <= data["day_starts"]
        ):
            self.add_error("day_ends", _("The day must end after it starts."))
        minutes = data.get("slot_minutes")
        if minutes is not None and not 15 <= minutes <= 240:
            self.add_error("slot_minutes", _("Use a slot of 15 to 240 minutes."))
        return data

    def check_dates(self, data, checks) -> None:
        start = data.get("visit_start")
        for name in ("visit_start", "visit_end"):
            checks.usual(name, data.get(name))
        inception = self.instance.inception_due
        if start and inception and start < inception:
            checks.warn(
                "visit_start",
                _("The inception report is due on %(date)s, after this: peers read it first.")
                % {"date": shown(inception)},
            )
