"""The lean renderer (core.forms.LeanRenderer) writes the HTML Django's widget templates
write, for the widgets it knows, and leaves every other widget to its template."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import Context, Template
from django.template.loader import render_to_string

from core.forms import LEAN_RENDERER, LeanFieldsMixin
from reviews.forms.inception import SelfAssessmentForm, rating_choices
from reviews.models import SelfAssessment

TRICKY = 'Says "yes" & <b>means</b> it\'s done'


class StoredFile:
    """A file already saved, as a FileField's value is: a clearable file input links it."""

    url = "/media/plan.pdf"

    def __str__(self) -> str:
        return "plan & budget.pdf"


class EveryWidget(LeanFieldsMixin, forms.Form):
    text = forms.CharField(initial=TRICKY, help_text="Help")
    note = forms.CharField(widget=forms.Textarea, initial=TRICKY, required=False)
    empty = forms.CharField(widget=forms.Textarea, required=False)
    number = forms.IntegerField(initial=3, widget=forms.NumberInput(attrs={"min": 0}))
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    hidden = forms.CharField(widget=forms.HiddenInput, initial="<7>")
    choice = forms.ChoiceField(
        choices=[("", "---"), ("a", TRICKY), ("Group", [("b", "B & b"), ("c", "C")])],
        initial="b",
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], initial=["y"])
    flag = forms.BooleanField(required=False, initial=True)
    upload = forms.FileField(required=False)
    kept = forms.FileField(required=False, initial=StoredFile())
    document = forms.FileField(widget=forms.FileInput(attrs={"accept": ".pdf"}))
    radio = forms.ChoiceField(choices=[("1", "One")], widget=forms.RadioSelect, initial="1")


def html_of(form) -> list[str]:
    return [str(field) for field in form]


def as_django_renders(form_class, **kwargs) -> list[str]:
    form = form_class(**kwargs)
    form.renderer = DjangoTemplates()
    return html_of(form)


@pytest.mark.parametrize("data", [None, {"text": "", "number": "x", "choice": "zz", "note": "<i>"}])
def test_lean_widgets_write_the_html_of_djangos_templates(data):
    lean = EveryWidget(data)
    assert lean.renderer is LEAN_RENDERER
    if data:
        lean.is_valid()
    plain = EveryWidget(data)
    plain.renderer = DjangoTemplates()
    if data:
        plain.is_valid()
    assert html_of(lean) == html_of(plain)


def test_a_self_assessment_form_renders_as_with_djangos_templates(review_work, review, host):
    report = review.inception_report
    indicator = review.indicators_in_scope().first()
    instance = SelfAssessment.objects.filter(report=report, indicator=indicator).first()
    instance = instance or SelfAssessment(report=report, indicator=indicator)
    instance.achieved = TRICKY
    kwargs = {
        "prefix": "i1",
        "instance": instance,
        "indicator": indicator,
        "rating_choices": rating_choices(review.benchmark_version),
        "review": review,
        "user": host,
    }
    lean = SelfAssessmentForm(**kwargs)
    assert lean.renderer is LEAN_RENDERER
    assert html_of(lean) == as_django_renders(SelfAssessmentForm, **kwargs)


# templates/_lean_fields.html as it was, a template loop (after its comment).
LOOP = """
{% for error in form.non_field_errors %}<div class="alert alert-danger">{{ error }}</div>{% endfor %}
{% for field in form.hidden_fields %}{{ field }}{% endfor %}
{% for field in form.visible_fields %}<div class="mb-3" id="div_{{ field.auto_id }}">
<label for="{{ field.id_for_label }}" class="form-label{% if field.field.required %} requiredField{% endif %}">{{ field.label }}{% if field.field.required %}<span class="asteriskField">*</span>{% endif %}</label>
{{ field }}
{% if field.errors %}<div class="invalid-feedback d-block" id="{{ field.auto_id }}_error">{% for error in field.errors %}<strong>{{ error }}</strong>{% if not forloop.last %}<br>{% endif %}{% endfor %}</div>{% endif %}
{% if field.help_text %}<div class="form-text" id="{{ field.auto_id }}_helptext">{{ field.help_text|safe }}</div>{% endif %}
</div>
{% endfor %}
"""


@pytest.mark.parametrize("data", [None, {"text": "", "number": "x", "choice": "zz"}])
def test_lean_fields_tag_writes_the_markup_of_the_template_loop(data):
    form = EveryWidget(data)
    if data:
        form.is_valid()
        form.add_error(None, "Both <b>cannot</b> be empty.")
    expected = Template(LOOP).render(Context({"form": form}))
    assert render_to_string("_lean_fields.html", {"form": form}) == expected


class Choices(forms.Form):
    many = forms.MultipleChoiceField(
        choices=[("a", TRICKY), ("Group & co", [("b", "B & b"), ("c", "C")])],
        widget=forms.CheckboxSelectMultiple,
        initial=["b"],
        help_text="Help",
    )
    one = forms.ChoiceField(
        choices=[("1", "One"), ("2", TRICKY)], widget=forms.RadioSelect, initial="2"
    )
    number = forms.TypedChoiceField(
        choices=[(1000, "Thousand"), (2, "Two")], widget=forms.RadioSelect, coerce=int
    )

    def __init__(self, *args, inline=False, **kwargs):
        super().__init__(*args, **kwargs)
        from crispy_forms.bootstrap import InlineRadios
        from crispy_forms.helper import FormHelper
        from crispy_forms.layout import Layout

        self.helper = FormHelper()
        self.helper.form_tag = False
        if inline:
            self.helper.layout = Layout("many", InlineRadios("one"), "number")


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("inline", [False, True])
@pytest.mark.parametrize("data", [None, {"one": "zz", "number": "1000"}])
def test_crispy_choice_options_are_written_as_crispys_template_writes_them(
    data, inline, language, settings
):
    """templates/bootstrap5/layout/radio_checkbox_select.html writes the options in Python
    (lean_choice_options), as crispy-bootstrap5's own template does, errors or not."""
    from unittest import mock

    from django.test import override_settings
    from django.utils import translation

    from core.templatetags import lean_forms

    def render() -> str:
        form = Choices(data, inline=inline)
        return Template("{% load crispy_forms_tags %}{% crispy form %}").render(
            Context({"form": form})
        )

    with translation.override(language):
        with mock.patch.object(lean_forms, "optgroups", wraps=lean_forms.optgroups) as lean:
            ours = render()
        theirs_templates = [{**settings.TEMPLATES[0], "DIRS": []}]
        with override_settings(TEMPLATES=theirs_templates):
            theirs = render()
    assert ours == theirs
    assert 'value="1000"' in ours
    # The Python path is taken only for the fields without errors.
    assert lean.call_count == (1 if data else 3)
