"""Drawing a feedback report's content dict (``reviews.services.report_content``) in any template.

``{% report_heatmap content %}``, ``{% report_bars content %}`` (all groups) and
``{% report_bars content section %}`` (one section's own bar) draw the inline-SVG pictures;
``section.findings|findings_of:"weakness"`` picks findings of one kind;
``content|recommendations`` lists every recommendation with its section;
``content.visit_start|as_date`` turns the content's ISO dates back into dates.
"""

from __future__ import annotations

import datetime

from django import template
from django.utils.translation import gettext as _

from reports import charts
from reviews.services.report_content import all_recommendations

register = template.Library()


@register.inclusion_tag("reports/_evidence_matrix.svg")
def evidence_matrix(matrix, statuses: dict) -> dict:
    """The evidence overview's picture, drawn from a benchmark matrix and live statuses."""
    labels = {
        "contradictory": _("contradictory"),
        "unconfirmed": _("unconfirmed"),
        "none": _("no evidence"),
    }
    return {"chart": charts.evidence_matrix(matrix, statuses, state_labels=labels)}


@register.inclusion_tag("reports/_report_heatmap.svg")
def report_heatmap(content: dict) -> dict:
    return {"chart": charts.heatmap(content)}


@register.inclusion_tag("reports/_report_bars.svg")
def report_bars(content: dict, section: dict | None = None) -> dict:
    if section is None:
        return {"chart": charts.group_bars(content), "single": ""}
    return {
        "chart": charts.group_bars(content, group=section["key"]),
        "single": f"{section['key']} {section['name']}",
    }


@register.filter
def findings_of(findings: list[dict], kind: str) -> list[dict]:
    return [f for f in findings or () if f.get("kind") == kind]


@register.filter
def recommendations(content: dict) -> list[dict]:
    return all_recommendations(content)


@register.filter
def as_date(value: str | None) -> datetime.date | datetime.datetime | None:
    """An ISO date or date-time from the content dict; None when empty or malformed."""
    if not value:
        return None
    try:
        if len(value) <= 10:
            return datetime.date.fromisoformat(value)
        return datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
