"""Beside each indicator of a desk review: the published practices linked to it.

``{% published_practices_for group as library %}`` reads, in two queries whatever the number
of indicators, the published practices linked to the lineage of any indicator of the group
(in any version of the benchmark); ``library|beside:indicator`` gives one indicator's.
`reviews` templates use it so that `reviews` code never imports the library.
"""

from __future__ import annotations

from collections import defaultdict

from django import template
from django.db.models import Prefetch

from benchmarks.models import Indicator
from practices.models import Practice, PracticeIndicator

register = template.Library()


@register.simple_tag
def published_practices_for(group) -> dict:
    links = (
        PracticeIndicator.objects.filter(
            lineage__in=Indicator.objects.filter(group=group).values("lineage"),
            practice__state=Practice.PUBLISHED,
        )
        .select_related("practice")
        .prefetch_related(Prefetch("practice__cities"))
        .order_by("practice__title", "practice__pk")
    )
    by_lineage: dict = defaultdict(list)
    for link in links:
        by_lineage[str(link.lineage)].append(link.practice)
    return dict(by_lineage)


@register.filter
def beside(library: dict, indicator) -> list:
    return library.get(str(indicator.lineage), []) if library else []
