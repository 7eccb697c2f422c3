"""Scores of an index benchmark as a page shows them: rounded to one decimal, only here."""

from django import template

from benchmarks.scoring import display

register = template.Library()


@register.filter
def score(value):
    """A Fraction score rounded half up to one decimal ("66.7"); an em dash for none."""
    shown = display(value)
    return "—" if shown is None else shown
