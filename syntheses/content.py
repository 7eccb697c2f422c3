"""The snapshot a version of the comparative report freezes, and the PDF and DOCX print.

Built from the rows people edit, the cross-city matrix of the programme's published reviews
(what most cities do on each indicator, where they differ: a spread, never a rank) and the
published practices of the library linked to the chapter's indicators by lineage. Only
published material goes in, whoever freezes: the report is meant for the whole network.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from benchmarks.models import Indicator
from comparisons.matrix import build_matrix
from practices.models import Practice
from syntheses.models import ComparativeReport, Statement

SUMMARY_CHARACTERS = 280


def _spread_rows(block) -> list[dict]:
    rows = []
    for row in block.rows if block else ():
        entries = [(level, n) for level, n in row.spread.entries]
        counted = [(level, n) for level, n in entries if n]
        most = max(counted, key=lambda pair: pair[1]) if counted else None
        rows.append(
            {
                "code": row.indicator.code,
                "text": row.indicator.text,
                "levels": [[level.colour, str(level.label), n] for level, n in entries],
                "most": str(most[0].label) if most else "",
                "differ": len(counted) > 1,
            }
        )
    return rows


def _practices_by_group(version) -> dict[int, list[dict]]:
    group_of = dict(Indicator.objects.filter(version=version).values_list("lineage", "group_id"))
    found: dict[int, list[dict]] = {}
    practices = (
        Practice.objects.published()
        .filter(indicator_links__lineage__in=list(group_of))
        .prefetch_related("cities", "indicator_links")
        .distinct()
        .order_by("title")
    )
    for practice in practices:
        groups = {group_of[link.lineage] for link in practice.indicator_links.all()}
        groups.discard(None)
        for group_id in sorted(g for g in groups if g is not None):
            description = practice.description.strip()
            if len(description) > SUMMARY_CHARACTERS:
                description = description[:SUMMARY_CHARACTERS].rsplit(" ", 1)[0] + "…"
            found.setdefault(group_id, []).append(
                {
                    "title": practice.title,
                    "where": practice.where(),
                    "summary": description,
                    "url": practice.get_absolute_url(),
                }
            )
    return found


def _statement(statement: Statement) -> dict:
    cities = sorted({review.host_city.name for review in statement.reviews.all()})
    return {"pk": statement.pk, "text": statement.text, "cities": cities}


def build_content(report: ComparativeReport) -> dict:
    programme = report.programme
    version = programme.benchmark_version
    matrix = build_matrix(programme, AnonymousUser())
    blocks = {block.group.pk: block for block in matrix.groups}
    practices = _practices_by_group(version)
    chapters = report.chapters.select_related("group", "assignee").prefetch_related(
        "statements__reviews__host_city"
    )
    content_chapters = []
    for chapter in chapters:
        by_kind: dict[str, list[dict]] = {kind: [] for kind, _label in Statement.KIND_CHOICES}
        for statement in chapter.statements.all():
            by_kind[statement.kind].append(_statement(statement))
        spread = _spread_rows(blocks.get(chapter.group_id))
        content_chapters.append(
            {
                "pk": chapter.pk,
                "key": chapter.group.code,
                "name": chapter.group.name,
                "author": str(chapter.assignee) if chapter.assignee else "",
                "standard": chapter.standard,
                "approach": chapter.approach,
                "spread": spread,
                "challenges": by_kind[Statement.CHALLENGE],
                "advice": by_kind[Statement.ADVICE],
                "examples": by_kind[Statement.EXAMPLE],
                "practices": practices.get(chapter.group_id, []),
            }
        )
    return {
        "language": translation.get_language() or "en",
        "programme": programme.name,
        "network": programme.network,
        "benchmark": str(version),
        "cities": [review.host_city.name for review in matrix.published],
        "chapters": content_chapters,
    }
