"""Practices in every UI language (django-modeltranslation); a missing text falls back to the
other language rather than showing nothing."""

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
