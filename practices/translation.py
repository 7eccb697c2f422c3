"""Practices in every UI language (django-modeltranslation); a missing text falls back to the
other language rather than showing nothing."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from practices.models import CRITERION_FIELDS, Practice, Tag


@register(Practice)
class PracticeTranslation(TranslationOptions):
    fields = ("title", "description", "transferability", *CRITERION_FIELDS)
    fallback_languages = {"default": ("en", "nl")}


@register(Tag)
class TagTranslation(TranslationOptions):
    fields = ("name",)
    fallback_languages = {"default": ("en", "nl")}


# History is registered here, not on the model, so the historical table gets the
# per-language columns that modeltranslation adds above (as benchmarks/translation.py does):
# who changed a practice's texts, and when, stays visible.
simple_history.register(Practice)
