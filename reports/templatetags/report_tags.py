"""Drawing a feedback report's content dict (``reviews.services.report_content``) in any template.

``{% report_heatmap content %}``, ``{% report_bars content %}`` (all groups) and
``{% report_bars content section %}`` (one section's own bar) draw the inline-SVG pictures;
``section.findings|findings_of:"weakness"`` picks findings of one kind;
``content|recommendations`` lists every recommendation with its section;
``rec.indicators|codes`` joins codes, each one unbreakable;
``content.visit_start|as_date`` turns the content's ISO dates back into dates.
"""

from __future__ import annotations

import datetime

from django import template
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
    chart = charts.evidence_matrix(matrix, statuses, state_labels=labels)
    return {
        "chart": chart,
        # The squares written here, not by a loop in the template: one for each of seventy
        # indicators and more, with six values each, drew more slowly than the rest of the page.
        "squares": format_html_join(
            "",
            '<rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="{}" stroke="#495057" '
            'stroke-width="1"><title>{}</title></rect>',
            ((s.x, s.y, chart["cell"], chart["cell"], s.fill, s.title) for s in chart["squares"]),
        ),
        "title": _("Evidence status per indicator: groups as rows, values as columns"),
    }


# The pictures' names for screen readers are written here, not in the .svg templates:
# makemessages reads only .html, .txt and .py files.


@register.inclusion_tag("reports/_report_heatmap.svg")
def report_heatmap(content: dict) -> dict:
    chart = charts.heatmap(content)
    return {
        "chart": chart,
        "label": _("Evidence status per indicator: groups as rows, values as columns"),
        "title": ngettext(
            "Evidence status of %(n)s indicator: groups as rows, values as columns",
            "Evidence status of %(n)s indicators: groups as rows, values as columns",
            chart["count"],
        )
        % {"n": chart["count"]},
    }


@register.inclusion_tag("reports/_report_bars.svg")
def report_bars(content: dict, section: dict | None = None) -> dict:
    if section is None:
        return {
            "chart": charts.group_bars(content),
            "single": "",
            "title": _("Indicators of each group by evidence status"),
        }
    group = f"{section['key']} {section['name']}"
    return {
        "chart": charts.group_bars(content, group=section["key"]),
        "single": group,
        "title": _("Indicators of %(group)s by evidence status") % {"group": group},
    }


@register.inclusion_tag("reports/_report_bars.svg")
def report_network(content: dict) -> dict:
    """The network annex's picture, from the network frozen into the content."""
    return {
        "chart": charts.against_network_bars(
            content["network"], city_label=content["network"]["city"]
        ),
        "single": "",
        "title": _("%(city)s against the network, per group")
        % {"city": content["network"]["city"]},
    }


@register.filter
def findings_of(findings: list[dict], kind: str) -> list[dict]:
    return [f for f in findings or () if f.get("kind") == kind]


@register.filter
def codes(values, separator: str = ", "):
    """Codes (GG/A/2, evidence codes) joined by `separator`, each kept whole on one line:
    `.code` in print.css never breaks inside one."""
    return format_html_join(separator, '<span class="code">{}</span>', ((v,) for v in values or ()))


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
