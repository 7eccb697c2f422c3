"""The learning across reviews, drawn and downloaded: the spread chart of a programme's
ratings (comparisons.matrix)."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from comparisons.matrix import CityMatrix, build_matrix
from reports.charts import spread_bars
from reviews.access import programme_view
from reviews.models import Programme


def spread_chart(matrix: CityMatrix) -> dict:
    return spread_bars(
        [
            (
                str(block.group),
                [(level.colour, level.label, n) for level, n in block.spread.entries],
            )
            for block in matrix.groups
        ]
    )


def svg_response(matrix: CityMatrix) -> HttpResponse:
    title = _("Spread of the final ratings per group, %(programme)s") % {
        "programme": matrix.programme.name
    }
    svg = render_to_string(
        "reports/_report_bars.svg", {"chart": spread_chart(matrix), "title": title}
    )
    return HttpResponse(svg, content_type="image/svg+xml")


@programme_view("reviews.see_programme")
def spread_svg(request, programme: Programme):
    matrix = build_matrix(programme, request.user, group_code=request.GET.get("group") or None)
    return svg_response(matrix)
