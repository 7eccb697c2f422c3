"""Searching the library: full text in the reader's language, and the filters.

On PostgreSQL the text is matched with full-text search in the language's configuration
(English stems "assessments" to "assess", Dutch "evaluaties" to "evaluatie"); on SQLite,
which has none, each word of the query must occur in the title or the description.
An indicator code finds the practices linked to that indicator's lineage in any version of
any benchmark, and those linked to the code as it was written.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import get_language

from benchmarks.models import Indicator
from practices.models import CRITERIA

SEARCH_CONFIGS = {"en": "english", "nl": "dutch"}


def reader_language() -> str:
    language = (get_language() or "en").split("-")[0]
    return language if language in SEARCH_CONFIGS else "en"


def full_text(queryset: QuerySet, text: str) -> QuerySet:
    text = text.strip()
    if not text:
        return queryset
    language = reader_language()
    title, description = f"title_{language}", f"description_{language}"
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        config = SEARCH_CONFIGS[language]
        vector = SearchVector(title, weight="A", config=config) + SearchVector(
            description, weight="B", config=config
        )
        query = SearchQuery(text, config=config, search_type="websearch")
        return queryset.annotate(search=vector).filter(search=query)
    for word in text.split():
        queryset = queryset.filter(
            Q(**{f"{title}__icontains": word}) | Q(**{f"{description}__icontains": word})
        )
    return queryset


def by_indicator(queryset: QuerySet, code: str) -> QuerySet:
    code = code.strip().upper()
    if not code:
        return queryset
    lineages = Indicator.objects.filter(code__iexact=code).values("lineage")
    return queryset.filter(
        Q(indicator_links__lineage__in=lineages) | Q(indicator_links__code__iexact=code)
    ).distinct()


def by_criterion(queryset: QuerySet, criterion: str) -> QuerySet:
    """Practices with an assessment on the criterion (in either language)."""
    if criterion not in dict(CRITERIA):
        return queryset
    field = f"{criterion}_assessment"
    blank = Q()
    for language in SEARCH_CONFIGS:
        blank &= Q(**{f"{field}_{language}": ""}) | Q(**{f"{field}_{language}__isnull": True})
    return queryset.exclude(blank)
