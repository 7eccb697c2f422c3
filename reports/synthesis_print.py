"""The comparative report's print context: its content with each chapter's spread chart
drawn. The PDF views and the stored final PDF (reports.stored) render from it."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from reports.charts import spread_bars
from syntheses.models import ComparativeVersion

TEMPLATE = "reports/synthesis_pdf.html"


def print_context(content: dict, version: ComparativeVersion | None, draft: bool) -> dict:
    """The template's context: the content with each chapter's spread chart drawn."""
    chapters = []
    for chapter in content["chapters"]:
        rows = [
            (row["code"], [tuple(level) for level in row["levels"]]) for row in chapter["spread"]
        ]
        chart_title = _("Spread of the cities' ratings per indicator, %(group)s") % {
            "group": chapter["name"]
        }
        chapters.append({**chapter, "chart": spread_bars(rows), "chart_title": chart_title})
    when = version.final_at or version.frozen_at if version else timezone.now()
    return {
        "content": {**content, "chapters": chapters},
        "draft": draft,
        "version_number": version.number if version else None,
        "version_date": timezone.localtime(when).date(),
    }
