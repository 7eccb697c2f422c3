"""Step 6: evidence entries and the team's evaluation per indicator."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from benchmarks.models import RatingScale
from core.forms import HelperMixin
from core.versioning import VersionedFormMixin
from reviews.forms.inception import rating_choices
from reviews.models import (
    Evidence,
    IndicatorEvaluation,
    Review,
    VisitSession,
)


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
        in_scope = review.indicators_in_scope()
        # Plain values in matrix order (the text in the reader's language, with the same
        # fallback as on an indicator): a choice shows its code and text only.
        indicators = list(in_scope.values_list("pk", "code", "text"))
        planned = set(session.indicators.values_list("pk", flat=True)) if session else set()
        indicators.sort(key=lambda i: (i[0] not in planned,))
        self.fields["indicators"].queryset = in_scope
        self.fields["indicators"].choices = [
            (pk, f"{code} {text[:90]}" + (" ★" if pk in planned else ""))
            for pk, code, text in indicators
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
        fields = ["rating", "justification", "hypothesis_outcome", "settled_by", "benchmark_note"]
        widgets = {
            "justification": forms.Textarea(attrs={"rows": 3}),
            "settled_by": forms.Textarea(attrs={"rows": 2}),
            "benchmark_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        choices = rating_choices(review.benchmark_version)
        self.fields["rating"].queryset = choices["queryset"]
