"""Step 7: the feedback report composer, its approvals and the factual-accuracy round."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.approvals import (
    ApprovalForm,  # noqa: F401 - the form of every approval
    AuthorsForm,
)
from core.dates import DateChecksMixin, shown
from core.forms import HelperMixin
from core.versioning import VersionedFormMixin
from reviews.models import (
    Evidence,
    FactualComment,
    FeedbackReport,
    Finding,
    Recommendation,
    ReportSection,
)
from reviews.models.feedback_report import citation_problems


class SummaryForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = FeedbackReport
        fields = ["summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 12})}


class AssignForm(AuthorsForm):
    """Who writes what: the summary and each section, among the team."""

    part_prefix = "s"

    def __init__(self, *args, report: FeedbackReport, sections, team, **kwargs):
        super().__init__(*args, parts=sections, people=team, **kwargs)
        self.sections = self.parts
        self.team = self.people
        summary = self.author_field(_("Summary"), report.summary_assignee_id)
        self.fields = {"summary": summary, **self.fields}


class EvidenceChoice(forms.ModelMultipleChoiceField):
    def __init__(self, *args, problems: dict, **kwargs):
        self.problems = problems
        super().__init__(*args, **kwargs)

    def label_from_instance(self, entry: Evidence) -> str:
        code = "; ".join(entry.codes())
        state = _("not confirmed") if entry.pk in self.problems else _("confirmed")
        return f"{code} [{entry.colour.label}, {state}]: {entry.text[:120]}"


class FindingForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["kind", "text", "obstacles", "evidence"]
        widgets = {
            "kind": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 4}),
            "obstacles": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, section: ReportSection, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.section = section
        self.review = section.report.review
        self.fields["kind"].choices = Finding.KIND_CHOICES  # no empty radio button
        candidates = list(
            Evidence.objects.live()
            .filter(review=self.review, indicators__group=section.group)
            .distinct()
            .for_list()
            .order_by("pk")
        )
        if self.instance.pk:  # keep what is cited even if it was deleted since
            cited = [e for e in self.instance.evidence.all() if e not in candidates]
            candidates += cited
        self.problems = citation_problems(self.review, candidates)
        self.fields["evidence"] = EvidenceChoice(
            queryset=Evidence.objects.filter(pk__in=[e.pk for e in candidates]).for_list(),
            problems=self.problems,
            label=_("Evidence cited"),
            help_text=_(
                "Only confirmed evidence can back a finding: a fact found by at least two "
                "interviews."
            ),
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": _("Cite the evidence this finding rests on.")},
        )

    def clean(self):
        data = super().clean()
        if data.get("kind") == Finding.WEAKNESS and not (data.get("obstacles") or "").strip():
            self.add_error("obstacles", _("Name the obstacles behind this weakness."))
        chosen = list(data.get("evidence") or [])
        if chosen:
            problems = citation_problems(self.review, chosen)
            if problems:
                self.add_error("evidence", [str(reason) for reason in problems.values()])
        return data


class RecommendationForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["text", "indicators", "priority", "timeframe", "actor", "measure"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "indicators": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, section: ReportSection, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.section = section
        review = section.report.review
        self.fields["indicators"].queryset = review.indicators_in_scope().filter(
            group=section.group
        )
        self.fields["indicators"].label_from_instance = lambda i: f"{i.code} {i.text[:90]}"
        self.fields["indicators"].error_messages["required"] = _(
            "Choose the indicators this recommendation moves towards the benchmark."
        )


class FactualCommentForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = FactualComment
        fields = ["section_key", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, content: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(FactualComment.SUMMARY, _("Summary"))] + [
            (s["key"], f"{s['key']} {s['name']}") for s in content["sections"]
        ]
        self.fields["section_key"] = forms.ChoiceField(label=_("Section"), choices=choices)
        self.fields["text"].help_text = _(
            "A factual error: a wrong figure, name, date or description. Opinions and "
            "conclusions are the team's."
        )


class PresentationForm(DateChecksMixin, VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = FeedbackReport
        fields = ["presented_on", "presentation_audience"]
        widgets = {"presented_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presented_on"].required = True
        self.fields["presentation_audience"].required = True

    def check_dates(self, data, checks) -> None:
        day, review = data.get("presented_on"), self.instance.review
        visited = review.visit_end or review.visit_start
        if day and visited and day < visited:
            checks.refuse(
                "presented_on",
                _("The report is presented after the visit, which ended on %(date)s.")
                % {"date": shown(visited)},
            )
        if day and day > checks.today:
            checks.warn("presented_on", _("This date is in the future: record it once it is held."))
        published = self.instance.published_at
        if day and published and day < timezone.localdate(published):
            checks.warn(
                "presented_on",
                _("This is before the report was published (%(date)s).")
                % {"date": shown(published)},
            )


class ReportSectionForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = ReportSection
        fields = ["evaluation"]
        widgets = {"evaluation": forms.Textarea(attrs={"rows": 10})}


class FactualAnswerForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = FactualComment
        fields = ["answer"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].required = True
        self.fields["answer"].help_text = _("What the team changed, or why the text stands.")
