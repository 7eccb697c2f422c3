"""Form helpers shared by every app: crispy layout without the form tag, date widgets."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms


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


class LeanFieldsMixin:
    """For forms shown with templates/_lean_fields.html: the Bootstrap classes on widgets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if not widget.is_hidden:
                css = "form-select" if isinstance(widget, forms.Select) else "form-control"
                widget.attrs.setdefault("class", css)
