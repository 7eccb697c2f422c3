"""The `markdown` filter: text people wrote, rendered and sanitised (core.richtext)."""

from django import template

from core.richtext import markdown

register = template.Library()
register.filter("markdown", markdown)
