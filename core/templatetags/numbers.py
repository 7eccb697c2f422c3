"""The `plain` filter: a stored decimal as a person writes it ("2", "0.5", "0,5" in Dutch),
without the trailing zeros of its database column ("2.00", "0.50")."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def plain(value, empty: str = "—") -> str:
    """The number without trailing zeros, in the active language's notation; `empty` for
    None or anything that is not a number."""
    if value is None or value == "":
        return empty
    try:
        number = Decimal(str(value)).normalize()
    except InvalidOperation:
        return empty
    if not number.is_finite():
        return empty
    return formats.number_format(number + 0)  # + 0 turns -0 into 0
