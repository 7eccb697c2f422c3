"""The learning across reviews: the cross-city matrix of a programme, opening its data, and
the network's public page."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from benchmarks.models import BenchmarkVersion
from cities.models import City
from comparisons.city import against_network, city_reviews, trend
from comparisons.index import build_index
from comparisons.matrix import build_matrix, compare_reviews
from comparisons.models import OpenData
from comparisons.open_data import SCHEMA
from core.roles import is_coordinator
from reviews.access import programme_view
from reviews.models import Programme, Review


@programme_view("reviews.see_programme")
def matrix(request, programme: Programme):
    result = build_matrix(programme, request.user, group_code=request.GET.get("group") or None)
    index = None
    if programme.benchmark_version.benchmark.is_index:
        index = build_index(result, show_ranking=programme.ranking_shown)
    return render(
        request,
        "comparisons/matrix.html",
        {
            "programme": programme,
            "matrix": result,
            "index": index,
            "can_manage": request.user.has_perm("reviews.manage_programme", programme),
            "data_open": OpenData.objects.is_open(programme),
            "schema": SCHEMA,
        },
    )


@programme_view("reviews.manage_programme")
@require_POST
def open_data_toggle(request, programme: Programme):
    """Open the programme's published ratings to anyone, or close them again."""
    opened = request.POST.get("open") == "1"
    OpenData.objects.update_or_create(
        programme=programme, defaults={"is_open": opened, "changed_by": request.user}
    )
    if opened:
        messages.success(request, _("Anyone may now download the programme's published ratings."))
    else:
        messages.success(request, _("Only coordinators may now download the ratings."))
    return redirect("comparisons:matrix", programme.pk)


@dataclass
class PublicProgramme:
    programme: Programme
    reviews: list
    matrix: object
    data_open: bool
    index: object = None  # comparisons.index.IndexTable of an index benchmark, no ranking


def network(request):
    """The network's public page, without sign-in: every programme with a published report,
    its published reports and the spread of its published results (for an index benchmark,
    the average and spread of its group scores and index). Nothing unpublished is
    on it or reachable from it: the matrix is built for nobody in particular (published
    reviews only) and its list of excluded reviews is never shown."""
    anonymous = AnonymousUser()
    programmes = (
        Programme.objects.filter(reviews__feedback_report__published_at__isnull=False)
        .distinct()
        .select_related("benchmark_version__benchmark")
        .order_by("-starts_on", "name", "pk")
    )
    opened = set(OpenData.objects.filter(is_open=True).values_list("programme_id", flat=True))
    entries = []
    for programme in programmes:
        matrix = build_matrix(programme, anonymous)
        entries.append(
            PublicProgramme(
                programme,
                matrix.published,
                matrix,
                programme.pk in opened,
                # The network's average and spread only: the public page ranks no city.
                build_index(matrix) if matrix.version.benchmark.is_index else None,
            )
        )
    response = render(
        request,
        "comparisons/network.html",
        {"entries": entries, "noindex": settings.NOINDEX_PUBLIC_PAGES},
    )
    if settings.NOINDEX_PUBLIC_PAGES:
        response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def compare_chosen(request):
    """A coordinator's own set of reviews on one benchmark, on any of its versions: the rows
    are the latest chosen version's indicators, matched to the others through lineage."""
    if not is_coordinator(request.user):
        raise PermissionDenied
    chosen = [int(pk) for pk in request.GET.getlist("review") if pk.isdigit()]
    reviews = Review.objects.filter(pk__in=chosen, benchmark_version__isnull=False)
    versions = list(
        BenchmarkVersion.objects.filter(reviews__in=reviews)
        .distinct()
        .select_related("benchmark")
        .order_by("-number")
    )
    problem = ""
    result = None
    if len({v.benchmark_id for v in versions}) > 1:
        problem = _(
            "Choose reviews on one benchmark: its versions are compared, not two benchmarks."
        )
    elif versions:
        result = compare_reviews(
            reviews, versions[0], request.user, group_code=request.GET.get("group") or None
        )
    candidates = (
        Review.objects.filter(evaluations__rating__isnull=False)
        .distinct()
        .select_related("host_city", "benchmark_version__benchmark")
        .order_by("benchmark_version__benchmark__slug", "host_city__name", "pk")
    )
    return render(
        request,
        "comparisons/chosen.html",
        {
            "matrix": result,
            "programme": None,
            "candidates": candidates,
            "chosen": set(chosen),
            "problem": problem,
        },
    )


@login_required
def city(request, city: int):
    """One city against the network (per review in a programme: its ratings per group beside
    the spread of the programme's other published reviews) and its trend between its two
    latest reviews. Ratings of an unpublished review only for its team and coordinators."""
    target = get_object_or_404(City, pk=city)
    columns = city_reviews(target, request.user)
    return render(
        request,
        "comparisons/city.html",
        {"city": target, "against": against_network(columns), "trend": trend(columns)},
    )
