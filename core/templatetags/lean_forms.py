"""`{% lean_fields form %}`: a form's fields with Bootstrap markup, written in Python.

The markup is the one templates/_lean_fields.html wrote as a template loop (the same labels,
ids, error and help blocks that aria-describedby points at); a 24-form page spent most of
its time in that loop. Widgets carry their own classes (core.forms.LeanFieldsMixin) and
render through core.forms.LeanRenderer."""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_filters import optgroups
from django import template
from django.templatetags.l10n import unlocalize
from django.utils.safestring import SafeString, mark_safe

from core.escaping import conditional_escape as esc
from core.escaping import escape

register = template.Library()

_ASTERISK = '<span class="asteriskField">*</span>'


@register.simple_tag
def lean_fields(form) -> SafeString:
    out = [
        f'<div class="alert alert-danger">{esc(error)}</div>' for error in form.non_field_errors()
    ]
    out.append("\n")
    out.extend(str(field) for field in form.hidden_fields())
    out.append("\n")
    for field in form.visible_fields():
        required = field.field.required
        auto_id = esc(field.auto_id)
        out.append(
            f'<div class="mb-3" id="div_{auto_id}">\n'
            f'<label for="{esc(field.id_for_label)}" class="form-label'
            f'{" requiredField" if required else ""}">{esc(field.label)}'
            f"{_ASTERISK if required else ''}</label>\n{field}\n"
        )
        errors = field.errors
        if errors:
            out.append(
                f'<div class="invalid-feedback d-block" id="{auto_id}_error">'
                + "<br>".join(f"<strong>{esc(error)}</strong>" for error in errors)
                + "</div>"
            )
        out.append("\n")
        if field.help_text:  # as the template's |safe: help texts are the app's own
            out.append(f'<div class="form-text" id="{auto_id}_helptext">{field.help_text}</div>')
        out.append("\n</div>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value escaped or already safe


@register.simple_tag(takes_context=True)
def lean_choice_options(context, field) -> SafeString | None:
    """The options of crispy-bootstrap5's radio_checkbox_select.html (templates/bootstrap5/
    layout/), as its loop writes them, whitespace and all; None for a field with errors,
    which that loop writes itself (the last option carries the error block)."""
    if field.errors:
        return None
    inline = " form-check-inline" if context.get("inline_class") else ""
    name = esc(field.html_name)
    out = ["\n\n    "]
    for group, options, _index in optgroups(field):
        out.append("\n    ")
        if group:
            out.append(f"<strong>{esc(group)}</strong>")
        out.append("\n    ")
        for option in options:
            attrs = "".join(
                f" {esc(key)}" + ("" if value is True else f'="{escape(value)}"')
                for key, value in option["attrs"].items()
                if value is not False
            )
            out.append(
                f'\n      <div class="form-check{inline}">\n'
                f'        <input type="{esc(option["type"])}" class="form-check-input"  '
                f'name="{name}" value="{esc(unlocalize(option["value"]))}" {attrs}>\n'
                f'        <label for="{esc(option["attrs"].get("id", ""))}" '
                f'class="form-check-label">\n'
                f"            {esc(unlocalize(option['label']))}\n"
                "        </label>\n        \n     </div>\n    "
            )
        out.append("\n    ")
    return mark_safe("".join(out))  # noqa: S308 - every value escaped above
