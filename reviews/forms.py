"""Forms of the review steps. Layout only in crispy helpers; validation lives on models."""

from __future__ import annotations

import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from benchmarks.models import BenchmarkVersion, Indicator, RatingScale, ScaleLevel
from cities.models import User
from reviews.concurrency import VersionedFormMixin
from reviews.models import (
    BackgroundSection,
    ConsolidatedEntry,
    DeskReviewEntry,
    Evidence,
    InceptionReport,
    IndicatorEvaluation,
    InformationRequest,
    KeyConclusion,
    Membership,
    PreliminaryFeedback,
    ProposedInterviewee,
    Review,
    SelfAssessment,
    TrainingSession,
    VisitSession,
)
from reviews.planning import Slot, errors_for
from reviews.steps import PEER, ROLE_CHOICES, TEAM_LEADER
from reviews.uploads import validate_upload


class HelperMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class DateInput(forms.DateInput):
    input_type = "date"


class ReviewForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = Review
        fields = [
            "title",
            "host_city",
            "benchmark_version",
            "training_date",
            "inception_due",
            "visit_start",
            "visit_end",
            "report_due",
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
        self.fields["benchmark_version"].required = True
        if self.instance.pk and self.instance.benchmark_version_id:
            self.fields["benchmark_version"].disabled = True  # tied for good
        for name in ["training_date", "inception_due", "visit_start", "visit_end", "report_due"]:
            self.fields[name].widget.format = "%Y-%m-%d"


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


class MemberForm(HelperMixin, forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"), queryset=User.objects.filter(is_active=True).select_related("city")
    )
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)
    is_host_lead = forms.BooleanField(label=_("Host lead"), required=False)

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
            )
            try:
                membership.full_clean(exclude=["review"])
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    target = field if field in self.fields else None
                    for message in messages:
                        self.add_error(target, message)
        return data


class TrainingSessionForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
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


class SectionForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
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


class LeanFieldsMixin:
    """For forms shown with templates/_lean_fields.html: the Bootstrap classes on widgets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if not widget.is_hidden:
                css = "form-select" if isinstance(widget, forms.Select) else "form-control"
                widget.attrs.setdefault("class", css)


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


class DeskReviewEntryForm(VersionedFormMixin, forms.ModelForm):
    """A peer's view of one indicator, with the host's self-assessment shown beside it."""

    ask_host = forms.BooleanField(
        label=_("Send these questions to the host city as an information request"), required=False
    )

    class Meta:
        model = DeskReviewEntry
        fields = ["performance", "hypothesis", "questions", "meet", "meet_others"]
        widgets = {
            "hypothesis": forms.Textarea(attrs={"rows": 3}),
            "questions": forms.Textarea(attrs={"rows": 3}),
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


class ConsolidatedForm(VersionedFormMixin, forms.ModelForm):
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


class AnswerForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
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

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            validate_upload(upload)
        return upload


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class SessionForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
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
            memberships__review=review, memberships__role__in=[PEER, TEAM_LEADER]
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


class VisitSettingsForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
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


class EvidenceForm(VersionedFormMixin, forms.ModelForm):
    """Quick entry during a visit: source, indicators, finding, colour, fact or opinion."""

    class Meta:
        model = Evidence
        fields = [
            "session",
            "document",
            "document_attachment",
            "indicators",
            "text",
            "colour",
            "basis",
            "is_weakness",
            "is_obstacle",
            "is_good_practice",
            "context",
        ]
        widgets = {
            "indicators": forms.CheckboxSelectMultiple,
            "text": forms.Textarea(attrs={"rows": 4}),
            "context": forms.Textarea(attrs={"rows": 2}),
            "colour": forms.RadioSelect,
            "basis": forms.RadioSelect,
        }

    def __init__(self, *args, review: Review, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review
        self.instance.review = review
        self.fields["session"].queryset = review.visit_sessions.filter(
            kind__in=[VisitSession.INTERVIEW, VisitSession.WORKSHOP]
        )
        self.fields["session"].required = False
        self.fields["document_attachment"].queryset = review.attachments.all()
        self.fields["document_attachment"].label = _("Which attached document")
        evidence_scale = RatingScale.objects.filter(
            version=review.benchmark_version, purpose=RatingScale.EVIDENCE
        ).first()
        self.fields["colour"].queryset = (
            evidence_scale.levels.all() if evidence_scale else RatingScale.objects.none()
        )
        self.fields["colour"].empty_label = None
        # The indicators the session was planned to cover come first.
        indicators = list(review.indicators_in_scope())
        planned = set(session.indicators.values_list("pk", flat=True)) if session else set()
        indicators.sort(key=lambda i: (i.pk not in planned,))
        self.fields["indicators"].queryset = review.indicators_in_scope()
        self.fields["indicators"].choices = [
            (i.pk, f"{i.code} {i.text[:90]}" + (" ★" if i.pk in planned else ""))
            for i in indicators
        ]
        if session is not None and not self.instance.pk:
            self.initial.setdefault("session", session.pk)

    def clean(self):
        data = super().clean()
        session, document = data.get("session"), data.get("document")
        if not session and not document:
            self.add_error(
                "session", _("Choose the session, or the document the finding comes from.")
            )
        if session and document:
            self.add_error("document", _("Choose either a session or a document, not both."))
        if document == "attachment" and not data.get("document_attachment"):
            self.add_error("document_attachment", _("Choose the attached document."))
        return data


class EvaluationForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = IndicatorEvaluation
        fields = ["rating", "justification", "hypothesis_outcome", "settled_by"]
        widgets = {
            "justification": forms.Textarea(attrs={"rows": 3}),
            "settled_by": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        choices = rating_choices(review.benchmark_version)
        self.fields["rating"].queryset = choices["queryset"]


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


class FeedbackForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = PreliminaryFeedback
        fields = ["presented_on", "audience", "observations"]
        widgets = {
            "presented_on": DateInput(format="%Y-%m-%d"),
            "observations": forms.Textarea(attrs={"rows": 4}),
        }
