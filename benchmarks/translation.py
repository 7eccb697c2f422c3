"""Benchmark content in every UI language (django-modeltranslation), English as fallback."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from benchmarks.models import (
    Benchmark,
    GlossaryEntry,
    Group,
    Indicator,
    RatingScale,
    ScaleLevel,
    TagChoice,
    TagType,
    Value,
)


@register(Benchmark)
class BenchmarkTranslation(TranslationOptions):
    fields = ("name", "description", "group_label", "value_label")


@register(Group)
class GroupTranslation(TranslationOptions):
    fields = ("name", "standard")


@register(Value)
class ValueTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("text", "guidance")


@register(TagType)
class TagTypeTranslation(TranslationOptions):
    fields = ("name",)


@register(TagChoice)
class TagChoiceTranslation(TranslationOptions):
    fields = ("name",)


@register(GlossaryEntry)
class GlossaryTranslation(TranslationOptions):
    fields = ("term", "definition")


@register(RatingScale)
class ScaleTranslation(TranslationOptions):
    fields = ("name",)


@register(ScaleLevel)
class LevelTranslation(TranslationOptions):
    fields = ("label",)


# History is registered here, not on the models, so the historical tables get the
# per-language columns that modeltranslation adds above.
for _model in (
    Benchmark,
    Group,
    Value,
    Indicator,
    TagType,
    TagChoice,
    GlossaryEntry,
    RatingScale,
    ScaleLevel,
):
    simple_history.register(_model)
