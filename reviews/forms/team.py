"""Step 2: the team and its training."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cities.models import City, User
from core.dates import DateChecksMixin, shown
from core.forms import DateInput, HelperMixin
from core.versioning import VersionedFormMixin
from reviews.models import (
    Membership,
    Review,
    TrainingSession,
)
from reviews.models.review import city_change_conflicts
from reviews.steps import COORDINATOR, HOST, PEER, TEAM_LEADER

# Most people added are peers: the choice starts there, each role said with what it means.
MEMBER_ROLE_CHOICES = [
    (PEER, _("Peer: reviews the city, from another city")),
    (TEAM_LEADER, _("Team leader: the one peer who leads the team")),
    (HOST, _("Host city: writes the inception report and answers the report")),
    (COORDINATOR, _("Coordinator: network staff who run the review")),
]


class MemberForm(HelperMixin, forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"), queryset=User.objects.filter(is_active=True).select_related("city")
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=MEMBER_ROLE_CHOICES, initial=PEER, widget=forms.RadioSelect
    )
    is_host_lead = forms.BooleanField(label=_("Host lead"), required=False)
    host_reason = forms.CharField(
        label=_("Why they join the host city's side"),
        required=False,
        max_length=300,
        help_text=_(
            "Only for a host city member who does not work for the host city, "
            "e.g. a consultant who wrote the inception report."
        ),
    )

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review
        self.fields["user"].queryset = (
            self.fields["user"].queryset.exclude(memberships__review=review).order_by("name")
        )
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.name} ({u.city.name if u.city else '—'})"
        )

    def clean(self):
        data = super().clean()
        if data.get("user") and data.get("role"):
            membership = Membership(
                review=self.review,
                user=data["user"],
                role=data["role"],
                is_host_lead=data.get("is_host_lead", False),
                host_reason=data.get("host_reason", ""),
            )
            try:
                membership.full_clean(exclude=["review"])
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    target = field if field in self.fields else None
                    for message in messages:
                        self.add_error(target, message)
        return data


class TrainingSessionForm(DateChecksMixin, VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ["date", "place", "topics", "attendees"]
        widgets = {
            "date": DateInput(format="%Y-%m-%d"),
            "attendees": forms.CheckboxSelectMultiple,
            "topics": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.review = review
        self.fields["attendees"].queryset = User.objects.filter(
            memberships__review=review
        ).order_by("name")

    def check_dates(self, data, checks) -> None:
        day, start = data.get("date"), self.instance.review.visit_start
        checks.usual("date", day)
        if day and start and day > start:
            checks.warn(
                "date",
                _("This is after the visit starts (%(date)s); the method trains before it.")
                % {"date": shown(start)},
            )


class PersonCityForm(HelperMixin, forms.Form):
    """A coordinator sets the city a person works for; every review they are on is re-checked."""

    city = forms.ModelChoiceField(
        label=_("City they work for"),
        queryset=City.objects.order_by("name"),
        required=False,
        empty_label=_("No city"),
    )
    reason = forms.CharField(
        label=_("Why they stay on the host city's side"),
        required=False,
        max_length=300,
        help_text=_(
            "Needed when they are a host city member of a review hosted by a city they would "
            "no longer work for."
        ),
    )

    def __init__(self, *args, person: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.initial.setdefault("city", person.city_id)
        self.need_reason: list[Membership] = []

    def clean(self):
        data = super().clean()
        if "city" not in data:
            return data
        refused, self.need_reason = city_change_conflicts(self.person, data["city"])
        for problem in refused:
            self.add_error("city", problem)
        if self.need_reason and not data.get("reason", "").strip():
            self.add_error(
                "reason",
                _("%(name)s is on the host city's side of %(reviews)s: say why they stay there.")
                % {
                    "name": self.person.name,
                    "reviews": ", ".join(f"“{m.review.title}”" for m in self.need_reason),
                },
            )
        return data
