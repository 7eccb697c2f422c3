"""`{% two_factor_on user as on %}`: whether a person signs in with a second factor."""

from django import template

from cities.two_factor import has_two_factor

register = template.Library()


@register.simple_tag
def two_factor_on(user) -> bool:
    return has_two_factor(user)
