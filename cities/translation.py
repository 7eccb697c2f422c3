"""City and country names in every UI language (django-modeltranslation): "Antwerp (Belgium)"
reads "Antwerpen (België)" in Dutch. English is required; a missing name falls back to the
other language rather than showing nothing."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from cities.models import City


@register(City)
class CityTranslation(TranslationOptions):
    fields = ("name", "country")
    required_languages = ("en",)
    fallback_languages = {"default": ("en", "nl")}


# History is registered here, not on the model, so the historical table gets the
# per-language columns that modeltranslation adds above (as benchmarks/translation.py does).
simple_history.register(City)
