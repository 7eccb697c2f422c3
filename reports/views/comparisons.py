"""The learning across reviews, drawn and downloaded: the spread chart of a programme's
ratings (comparisons.matrix) and its published ratings as open data (comparisons.open_data)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from cities.models import City
from comparisons.city import city_reviews, trend
from comparisons.matrix import CityMatrix, build_matrix
from comparisons.models import OpenData
from comparisons.open_data import HEADER, SCHEMA, published_rows
from reports.charts import against_network_bars, change_bars, spread_bars
from reports.spreadsheets import csv_response, xlsx_response
from reviews.access import get_programme, programme_view
from reviews.models import Programme, Review
from reviews.services.network import city_against_network


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


def open_data(request, programme: int, fmt: str):
    """Coordinators always; anyone, signed in or not, once the programme's data are open.
    Closed: sign in (anonymous), 404 (not on the programme) or 403 (on it)."""
    if fmt not in ("csv", "json", "xlsx"):
        raise Http404
    target = (
        Programme.objects.select_related("benchmark_version__benchmark")
        .filter(pk=programme)
        .first()
    )
    if target is None or not OpenData.objects.is_open(target):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        target = get_programme(request.user, programme, "reviews.manage_programme")
    rows = published_rows(target)
    filename = f"programme-{target.pk}-ratings.{fmt}"
    if fmt == "csv":
        return csv_response(filename, [HEADER, *rows])
    if fmt == "xlsx":
        return xlsx_response(
            filename, _("Ratings"), HEADER, rows, date_columns=[HEADER.index("published_on")]
        )
    document = {
        "programme": target.name,
        "benchmark": str(target.benchmark_version),
        "schema": [
            {"name": f.name, "type": f.kind, "description": str(f.description)} for f in SCHEMA
        ],
        "rows": [dict(zip(HEADER, row, strict=True)) for row in rows],
    }
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def public_spread_svg(request, programme: int):
    """The spread chart of the public network page: published reviews only, for anyone."""
    target = get_object_or_404(
        Programme.objects.filter(reviews__feedback_report__published_at__isnull=False)
        .distinct()
        .select_related("benchmark_version__benchmark"),
        pk=programme,
    )
    response = svg_response(build_matrix(target, AnonymousUser()))
    if settings.NOINDEX_PUBLIC_PAGES:
        response["X-Robots-Tag"] = "noindex"
    return response


def trend_chart(rows) -> dict:
    """The top improved, then the top of concern, as bars of their change."""
    return change_bars([(row.indicator.code, row.change) for row in rows])


def _svg(chart: dict, title: str) -> HttpResponse:
    svg = render_to_string("reports/_report_bars.svg", {"chart": chart, "title": title})
    return HttpResponse(svg, content_type="image/svg+xml")


@login_required
def review_network_svg(request, pk: int):
    """A review's ratings against its programme's other published reviews; the review's own
    ratings only when the viewer may see them (published, or its team and coordinators)."""
    review = get_object_or_404(Review.objects.select_related("host_city"), pk=pk)
    shown = {c.review.pk: c.review for c in city_reviews(review.host_city, request.user)}
    network = city_against_network(shown[pk]) if pk in shown else None
    if network is None:
        raise Http404
    title = _("%(city)s against the network, per group") % {"city": review.host_city.name}
    return _svg(against_network_bars(network, city_label=review.host_city.name), title)


@login_required
def city_trend_svg(request, city: int):
    """The city's top improved and top of concern indicators between its two latest reviews
    the viewer may see."""
    target = get_object_or_404(City, pk=city)
    found = trend(city_reviews(target, request.user))
    if not found.comparable:
        raise Http404
    title = _("Change of the final rating between the two latest reviews of %(city)s") % {
        "city": target.name
    }
    return _svg(trend_chart(found.improved + found.concern), title)
