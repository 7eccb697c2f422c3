"""Django's `escape` and `conditional_escape` for markup written in Python, without the
check for lazy arguments (`keep_lazy`) that costs more than the escaping itself on pages
that escape thousands of values (a form's widgets, long tables).

Both return plain text: for markup assembled as text and marked safe as a whole."""

from __future__ import annotations

import html

from django.utils.functional import Promise


def escape(text) -> str:
    """As django.utils.html.escape: always escaped, safe text or not."""
    return html.escape(str(text))


def conditional_escape(text) -> str:
    """As django.utils.html.conditional_escape: safe text (``__html__``) as it is."""
    if isinstance(text, Promise):
        text = str(text)
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))
