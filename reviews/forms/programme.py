"""A programme: its details and partners, its peer pool, its teams and its joint training."""

from __future__ import annotations

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from benchmarks.models import BenchmarkVersion
from cities.models import City, User
from core.dates import DateChecksMixin, shown
from core.forms import DateInput, HelperMixin
from core.versioning import Difference, VersionedFormMixin
from reviews.models import Membership, Programme, TrainingSession
from reviews.services.programme import (
    TeamChanges,
    apply_team_changes,
    conflict_in_cell,
    team_changes,
)
from reviews.steps import PEER, ROLE_LABELS, TEAM_LEADER, TEAM_ROLES


def _person_label(person) -> str:
    return f"{person.name} ({person.city.name if person.city else '—'})"


class ProgrammeForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "name",
            "description",
            "theme",
            "network",
            "benchmark_version",
            "starts_on",
            "ends_on",
            "partners",
            "visits_per_peer",
            "show_ranking",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "partners": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "benchmark_version"
        ].queryset = BenchmarkVersion.objects.published().select_related("benchmark")
        self.fields["partners"].queryset = City.objects.order_by("name")
        self.fields["visits_per_peer"].min_value = 1
        self.fields["visits_per_peer"].widget.attrs["min"] = 1

    def clean(self):
        data = super().clean()
        if "partners" in data:
            for problem in self.instance.partner_removal_problems(data["partners"]):
                self.add_error("partners", problem)
        return data


class PoolForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    """The programme's peers: people of the partner cities first; anyone else may join (the
    page then warns that their city is not a partner)."""

    class Meta:
        model = Programme
        fields = ["pool"]
        widgets = {"pool": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        partner = self.instance.partners.filter(pk=OuterRef("city_id"))
        self.fields["pool"].queryset = (
            User.objects.filter(is_active=True)
            .select_related("city")
            .annotate(partner=Exists(partner))
            .order_by("-partner", "city__name", "name")
        )
        self.fields["pool"].label_from_instance = _person_label
        self.fields["pool"].help_text = _(
            "People of the partner cities come first. Someone from another city can join; the "
            "page says so."
        )


NO_ROLE = ""
CELL_CHOICES = [(NO_ROLE, "—"), (PEER, ROLE_LABELS[PEER]), (TEAM_LEADER, ROLE_LABELS[TEAM_LEADER])]


class TeamsForm(VersionedFormMixin, forms.ModelForm):
    """Every team of the programme at once: one choice per person and review (none, peer or
    team leader). Saved in one transaction against the programme's edit version, so two
    coordinators never overwrite each other. Conflicts of interest are refused in their
    cell; removing someone from a team is asked first."""

    confirm_removals = forms.BooleanField(
        label=_("Yes, take these people off those teams"), required=False
    )

    class Meta:
        model = Programme
        fields: list[str] = []

    def __init__(self, *args, people, reviews, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {p.pk: p for p in people}
        self.reviews = {r.pk: r for r in reviews}
        self.current = {(m.user_id, m.review_id): m for m in memberships}
        self.changes = TeamChanges()
        self.grid = []
        for person in people:
            cells = []
            for review in reviews:
                membership = self.current.get((person.pk, review.pk))
                if membership is not None and membership.role not in TEAM_ROLES:
                    # A host city member or a coordinator of that review: not a team cell.
                    cells.append((review, None, membership.get_role_display()))
                    continue
                name = self.cell_name(person.pk, review.pk)
                self.fields[name] = forms.ChoiceField(
                    label=_("%(name)s in %(review)s")
                    % {"name": person.name, "review": review.title},
                    choices=CELL_CHOICES,
                    required=False,
                    initial=membership.role if membership else NO_ROLE,
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                )
                cells.append((review, name, ""))
            self.grid.append((person, cells))

    @staticmethod
    def cell_name(user_id: int, review_id: int) -> str:
        return f"c{user_id}_{review_id}"

    def rows(self):
        """(person, [(review, bound field or None, fixed label)]) for the template."""
        return [
            (
                person,
                [(review, self[name] if name else None, fixed) for review, name, fixed in cells],
            )
            for person, cells in self.grid
        ]

    def wanted(self) -> dict:
        wanted = {}
        for person, cells in self.grid:
            for review, name, _fixed in cells:
                if name and name in self.cleaned_data:
                    wanted[(person.pk, review.pk)] = self.cleaned_data[name]
        return wanted

    def clean(self):
        data = super().clean()
        wanted = self.wanted()
        leaders: dict[int, list[str]] = {}
        for (user_id, review_id), role in wanted.items():
            if role == TEAM_LEADER:
                leaders.setdefault(review_id, []).append(self.cell_name(user_id, review_id))
            if role:
                problem = conflict_in_cell(self.people[user_id], self.reviews[review_id])
                if problem:
                    self.add_error(self.cell_name(user_id, review_id), problem)
        # Leaders not in the grid (e.g. added on the review's team page) count too.
        for (user_id, review_id), m in self.current.items():
            if m.role == TEAM_LEADER and (user_id, review_id) not in wanted:
                leaders.setdefault(review_id, []).append(None)
        for review_id, cells in leaders.items():
            if len(cells) > 1:
                for name in filter(None, cells):
                    self.add_error(
                        name,
                        _("%(review)s can have one team leader.")
                        % {"review": self.reviews[review_id].title},
                    )
        if self.errors:
            return data
        self.changes = team_changes(wanted, self.current, self.people, self.reviews)
        # Someone saved the teams meanwhile: the save shows both versions first (and nothing
        # is removed on the way); the removals are asked once the person saves again.
        stale = data.get("edit_version") != self.instance.edit_version
        if self.changes.removed and not stale and not data.get("confirm_removals"):
            self.add_error(
                "confirm_removals",
                _("Tick the box to take these people off their teams, or choose their role again."),
            )
        return data

    def save(self, commit=True):
        programme = super().save(commit)
        if commit:
            apply_team_changes(self.changes)
        return programme

    def differences_from(self, memberships) -> list[Difference]:
        """What this form wants that differs from the teams saved meanwhile."""
        saved = {(m.user_id, m.review_id): m.role for m in memberships}
        labels = dict(CELL_CHOICES)
        differences = []
        for (user_id, review_id), role in self.wanted().items():
            now = saved.get((user_id, review_id), NO_ROLE)
            now = now if now in TEAM_ROLES else NO_ROLE
            if now != role:
                differences.append(
                    Difference(
                        f"{self.people[user_id].name}, {self.reviews[review_id].title}",
                        str(labels[role]),
                        str(labels[now]),
                    )
                )
        return differences


class ProgrammeTrainingForm(DateChecksMixin, VersionedFormMixin, HelperMixin, forms.ModelForm):
    """The joint training of the programme's teams and host cities, recorded once: whoever
    attended counts as trained on every review of the programme they are on."""

    class Meta:
        model = TrainingSession
        fields = ["date", "place", "topics", "attendees"]
        widgets = {
            "date": DateInput(),
            "attendees": forms.CheckboxSelectMultiple,
            "topics": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.programme = programme
        members = Membership.objects.filter(review__programme=programme).values("user_id")
        self.fields["attendees"].queryset = (
            (
                User.objects.filter(pk__in=programme.pool.values("pk"))
                | User.objects.filter(pk__in=members)
            )
            .distinct()
            .select_related("city")
            .order_by("name")
        )
        self.fields["attendees"].label_from_instance = _person_label
        self.fields["attendees"].help_text = _(
            "The pool and everyone on the programme's reviews, host city members included."
        )

    def check_dates(self, data, checks) -> None:
        day = data.get("date")
        checks.usual("date", day)
        first = (
            self.programme.reviews.filter(visit_start__isnull=False)
            .order_by("visit_start")
            .values_list("visit_start", flat=True)
            .first()
        )
        if day and first and day > first:
            checks.warn(
                "date",
                _(
                    "This is after the programme's first visit (%(date)s); the method trains "
                    "every team together once, a month before the first visit."
                )
                % {"date": shown(first)},
            )
