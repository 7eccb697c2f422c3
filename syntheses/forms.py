"""The comparative report's forms: a chapter's text, its statements, who writes what."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.approvals import AuthorsForm
from core.forms import HelperMixin
from core.versioning import VersionedFormMixin
from syntheses.models import Chapter, Statement, citation_problems


class ChapterForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = Chapter
        fields = ["standard", "approach"]
        widgets = {
            "standard": forms.Textarea(attrs={"rows": 4}),
            "approach": forms.Textarea(attrs={"rows": 8}),
        }


class ReviewChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, review) -> str:
        return f"{review.host_city.name}: {review.title}"


class StatementForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = Statement
        fields = ["kind", "text", "reviews"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviews"] = ReviewChoice(
            label=_("Reviews (cities) it rests on"),
            queryset=programme.reviews.select_related("host_city").order_by("host_city__name"),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text=_("A challenge or an advice rests on two cities or more."),
        )
        self.fields["kind"].choices = Statement.KIND_CHOICES

    def clean(self):
        data = super().clean()
        if "kind" in data and "reviews" in data:
            for problem in citation_problems(data["kind"], data["reviews"]):
                self.add_error("reviews", problem)
        return data


class AssignForm(AuthorsForm):
    """Who writes each chapter, among the team leaders of the programme's reviews."""

    part_prefix = "c"
