from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.forms import HelperMixin
from core.versioning import VersionedFormMixin
from practices.models import CRITERION_FIELDS, Practice


class PracticeForm(HelperMixin, VersionedFormMixin, forms.ModelForm):
    """What the team leader completes: the texts in both languages, the Annex I assessments,
    the contact role and the sources."""

    class Meta:
        model = Practice
        fields = [
            "title_en",
            "title_nl",
            "description_en",
            "description_nl",
            "transferability_en",
            "transferability_nl",
            *[f"{field}_{language}" for field in CRITERION_FIELDS for language in ("en", "nl")],
            "tags",
            "contact_role",
            "evidence_codes",
            "sources",
        ]
        widgets = {
            "tags": forms.CheckboxSelectMultiple,
            **{
                f"{field}_{language}": forms.Textarea(attrs={"rows": 2})
                for field in CRITERION_FIELDS
                for language in ("en", "nl")
            },
            "description_en": forms.Textarea(attrs={"rows": 5}),
            "description_nl": forms.Textarea(attrs={"rows": 5}),
            "transferability_en": forms.Textarea(attrs={"rows": 3}),
            "transferability_nl": forms.Textarea(attrs={"rows": 3}),
            "evidence_codes": forms.Textarea(attrs={"rows": 3}),
            "sources": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].required = False
        for name, field in self.fields.items():
            for language, label in (("en", _("English")), ("nl", _("Dutch"))):
                if name.endswith(f"_{language}"):
                    base = Practice._meta.get_field(name[: -len(language) - 1]).verbose_name
                    field.label = f"{capfirst(base)} ({label})"

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("title_en") or cleaned.get("title_nl")):
            self.add_error("title_en", _("Give the practice a title in at least one language."))
        return cleaned
