"""Form helpers shared by every app: crispy layout without the form tag, date widgets."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from core.escaping import conditional_escape, escape


class HelperMixin:
    """Crispy for layout only: the `<form>`, CSRF token and buttons stay in the template."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class DateInput(forms.DateInput):
    """The browser's date picker; ISO values so the picker shows what is stored."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 - Django's own name
        super().__init__(attrs, format=format)


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker, to the minute."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


# Where a widget template writes `|stringformat:'s'` the value is always escaped (escape);
# elsewhere as autoescape does (conditional_escape).


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html."""
    return "".join(
        f" {conditional_escape(name)}" + ("" if value is True else f'="{escape(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{escape(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _textarea(widget: dict) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{value}</textarea>"
    )


def _file(widget: dict) -> str:
    """As clearable_file_input.html (and file.html) for a field with no file yet: a file
    input has no value to show."""
    if widget.get("is_initial") or widget["value"] is not None:
        raise _Fallback
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>'
    )


def _option(option: dict) -> str:
    return (
        f'<option value="{escape(option["value"])}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>\n"  # the template's last line ends
    )


def _select(widget: dict) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option["template_name"] != "django/forms/widgets/select_option.html":
                raise _Fallback
            parts.append("\n  " + _option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class _Fallback(Exception):
    """A widget the lean renderer does not know: render it with its template."""


# Django's own widget templates, written out in Python: the same HTML, without a template
# render per widget (a 24-form page renders almost 300 of them).
_LEAN_WIDGETS = {
    **{
        f"django/forms/widgets/{name}.html": _input
        for name in ("text", "number", "email", "url", "date", "datetime", "hidden", "password")
    },
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/clearable_file_input.html": _file,
    "django/forms/widgets/file.html": _file,
}


class LeanRenderer(DjangoTemplates):
    """Renders the common widgets in Python, every other template as Django does."""

    def render(self, template_name, context, request=None):
        lean = _LEAN_WIDGETS.get(template_name)
        widget = context.get("widget") if lean else None
        if widget is not None and widget.get("template_name") == template_name:
            try:
                return mark_safe(lean(widget).strip())  # noqa: S308 - every value escaped above
            except _Fallback:
                pass
        return super().render(template_name, context, request=request)


LEAN_RENDERER = LeanRenderer()


class LeanFieldsMixin:
    """For forms shown with templates/_lean_fields.html: the Bootstrap classes on widgets,
    and the common widgets rendered without a template each (`LeanRenderer`)."""

    default_renderer = LEAN_RENDERER

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if not widget.is_hidden:
                css = "form-select" if isinstance(widget, forms.Select) else "form-control"
                widget.attrs.setdefault("class", css)
