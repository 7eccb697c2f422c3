from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from benchmarks.models import (
    SCORE_MAX,
    SCORE_MIN,
    Benchmark,
    GlossaryEntry,
    Group,
    Indicator,
    RatingScale,
    ScaleLevel,
    TagChoice,
    TagType,
    Value,
    answer_scores_text,
    parse_answer_scores,
    slug_code_validator,
)
from core.forms import HelperMixin
from core.languages import LANGS
from core.versioning import VersionedFormMixin


def _translated(*names: str) -> list[str]:
    return [f"{name}_{lang}" for name in names for lang in LANGS]


class BenchmarkForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = Benchmark
        fields = [
            "slug",
            *_translated("name", "description", "group_label", "value_label"),
            "kind",
        ]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].required = False  # not given: a rating scale, as before

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or Benchmark.SCALE


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
        fields = ["code", *_translated("name", "standard"), "weight"]

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, version=version, **kwargs)
        if not version.benchmark.is_index:
            del self.fields["weight"]  # only an index combines its groups


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
        self.answer_codes = []
        if version.benchmark.is_index:
            self.answer_codes = list(
                ScaleLevel.objects.filter(
                    scale__version=version, scale__purpose=RatingScale.PERFORMANCE
                )
                .order_by("order")
                .values_list("code", flat=True)
            )
            self.fields["answer_scores_text"] = forms.CharField(
                label=_("This question's own answers"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                initial=answer_scores_text(self.instance.answer_scores),
                help_text=_(
                    "Leave empty when the question's answers are the performance scale's "
                    "levels with their scores. Otherwise one answer a line, code=score "
                    "(0-100), or code= for an answer without a score; answers: %(codes)s."
                )
                % {"codes": ", ".join(self.answer_codes)},
            )

    def clean_answer_scores_text(self):
        text = self.cleaned_data["answer_scores_text"]
        scores, problems = parse_answer_scores(text, self.answer_codes)
        if problems:
            raise forms.ValidationError(problems)
        self.instance.answer_scores = scores
        return text

    @property
    def unscored(self) -> bool:
        """An index question whose own answers have no score at all: it scores nothing."""
        scores = self.instance.answer_scores
        return bool(scores) and all(v is None for v in scores.values())

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
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True).order_by("name")
        self.fields["reviewers"].queryset = users


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


class GlossaryForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = GlossaryEntry
        fields = _translated("term", "definition")
        widgets = {f"definition_{lang}": forms.Textarea(attrs={"rows": 3}) for lang in LANGS}

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.version = version
        self.fields["term_en"].required = True
        self.fields["definition_en"].required = True


class TagTypeForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    """A tag type and its choices, one choice a line: ``code | English name | Dutch name``."""

    choices_text = forms.CharField(
        label=_("Choices"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One a line: code | English name | Dutch name, e.g. housing | Housing | Huisvesting"
        ),
    )

    class Meta:
        model = TagType
        fields = ["code", *_translated("name")]

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.version = version
        self.fields["name_en"].required = True
        if self.instance.pk:
            self.fields["code"].disabled = True  # indicators refer to it
            self.initial["choices_text"] = "\n".join(
                " | ".join([c.code, *[getattr(c, f"name_{lang}") or "" for lang in LANGS]])
                for c in self.instance.choices.all()
            )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().lower()
        clash = TagType.objects.filter(version=self.instance.version, code=code).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise forms.ValidationError(_("Another tag type already has this code."))
        return code

    def clean_choices_text(self) -> list[dict]:
        choices, errors = [], []
        for number, line in enumerate(self.cleaned_data["choices_text"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            code = parts[0].lower()
            names = (parts[1:] + [""] * len(LANGS))[: len(LANGS)]
            if not slug_code_validator.regex.match(code) or not names[0]:
                errors.append(
                    _("Line %(n)s: write code | English name | Dutch name.") % {"n": number}
                )
            elif any(c["code"] == code for c in choices):
                errors.append(
                    _("Line %(n)s: the code %(code)s is used twice.") % {"n": number, "code": code}
                )
            else:
                choices.append({"code": code, "names": dict(zip(LANGS, names, strict=True))})
        if self.instance.pk:
            kept = {c["code"] for c in choices}
            for choice in self.instance.choices.exclude(code__in=kept):
                used = [
                    i.code
                    for i in self.instance.version.indicators.order_by("code")
                    if choice.code in i.tags.get(self.instance.code, [])
                ]
                if used:
                    errors.append(
                        _("%(choice)s is used by %(codes)s: remove those tags first.")
                        % {"choice": choice.code, "codes": ", ".join(used)}
                    )
        if errors:
            raise forms.ValidationError(errors)
        if not choices:
            raise forms.ValidationError(_("Give at least one choice."))
        return choices

    def save(self, commit=True):
        tag_type = super().save(commit)
        wanted = {c["code"]: c["names"] for c in self.cleaned_data["choices_text"]}
        tag_type.choices.exclude(code__in=wanted).delete()
        for code, names in wanted.items():
            TagChoice.objects.update_or_create(
                tag_type=tag_type,
                code=code,
                defaults={f"name_{lang}": name for lang, name in names.items()},
            )
        return tag_type


class ScaleForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = RatingScale
        fields = _translated("name")


class LevelForm(forms.ModelForm):
    NEW_COLOUR = "#000000"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A colour input always sends a value: give blank rows the one it sends, so an
        # untouched extra row counts as unchanged and is skipped.
        self.fields["colour"].initial = self.instance.colour or self.NEW_COLOUR

    def clean_score(self):
        """An index benchmark's answers score 0-100 (empty: the answer is not scored)."""
        score = self.cleaned_data.get("score")
        out_of_range = score is not None and not SCORE_MIN <= score <= SCORE_MAX
        if out_of_range and is_index_answer_scale(self.instance.scale):
            raise forms.ValidationError(
                _("An answer of an index scores from 0 to 100 (or leave it empty).")
            )
        return score


def is_index_answer_scale(scale: RatingScale) -> bool:
    """Whether the scale's levels are the answers of an index benchmark's questions."""
    return scale.purpose == RatingScale.PERFORMANCE and scale.version.benchmark.is_index


LevelFormSet = forms.inlineformset_factory(
    RatingScale,
    ScaleLevel,
    form=LevelForm,
    fields=["code", *_translated("label"), "colour", "score"],
    extra=1,
    can_delete=True,
    widgets={"colour": forms.TextInput(attrs={"type": "color"})},
)
