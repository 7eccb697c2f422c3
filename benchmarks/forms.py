from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from benchmarks.models import Benchmark, Group, Indicator, Value
from cities.models import User
from reviews.concurrency import VersionedFormMixin

LANGS = [code for code, _name in settings.LANGUAGES]


def _translated(*names: str) -> list[str]:
    return [f"{name}_{lang}" for name in names for lang in LANGS]


class HelperMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class BenchmarkForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = Benchmark
        fields = ["slug", *_translated("name", "description", "group_label", "value_label")]


class CodedPartForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    """A group or a value: a code unique within the version and an English name at least."""

    duplicate_message = _("Another item already has this code.")

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.version = version
        self.fields["name_en"].required = True

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().upper()
        model = type(self.instance)
        clash = model.objects.filter(version=self.instance.version, code=code).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise forms.ValidationError(self.duplicate_message)
        return code


class GroupForm(CodedPartForm):
    duplicate_message = _("Another group already has this code.")

    class Meta:
        model = Group
        fields = ["code", *_translated("name", "standard")]


class ValueForm(CodedPartForm):
    duplicate_message = _("Another value already has this code.")

    class Meta:
        model = Value
        fields = ["code", *_translated("name", "description")]


class IndicatorForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["group", "value", "number", *_translated("text", "guidance")]
        widgets = {f"text_{lang}": forms.Textarea(attrs={"rows": 3}) for lang in LANGS} | {
            f"guidance_{lang}": forms.Textarea(attrs={"rows": 3}) for lang in LANGS
        }

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.version = version
        self.fields["group"].queryset = version.groups.all()
        self.fields["value"].queryset = version.values.all()
        if not version.values.exists():
            del self.fields["value"]
        else:
            self.fields["value"].required = True
        self.fields["text_en"].required = True
        self.tag_types = list(version.tagtypes.prefetch_related("choices"))
        for tag_type in self.tag_types:
            self.fields[f"tag_{tag_type.code}"] = forms.MultipleChoiceField(
                label=tag_type.name,
                required=False,
                choices=[(c.code, c.name) for c in tag_type.choices.all()],
                widget=forms.CheckboxSelectMultiple,
                initial=self.instance.tags.get(tag_type.code, []),
            )
        if self.instance.pk is None and "number" not in self.initial:
            self.initial["number"] = 1

    def save(self, commit=True):
        self.instance.tags = {
            t.code: self.cleaned_data[f"tag_{t.code}"]
            for t in self.tag_types
            if self.cleaned_data.get(f"tag_{t.code}")
        }
        return super().save(commit)


class PublishForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason for publishing before every reviewer approved"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CirculateForm(HelperMixin, forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        label=_("Peers who must approve this draft"),
        queryset=User.objects.filter(is_active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )


class CommentForm(HelperMixin, forms.Form):
    text = forms.CharField(
        label=_("Your comment on this indicator"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ImportForm(HelperMixin, forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx) or JSON file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.BENCHMARK_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (%(size)s KB; the limit is %(limit)s KB).")
                % {
                    "size": upload.size // 1024,
                    "limit": settings.BENCHMARK_IMPORT_MAX_BYTES // 1024,
                }
            )
        return upload


class CompareForm(forms.Form):
    old = forms.IntegerField(label=_("From version"), min_value=1)
    new = forms.IntegerField(label=_("To version"), min_value=1)
