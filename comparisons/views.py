"""The learning across reviews: the cross-city matrix of a programme."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comparisons.matrix import build_matrix
from comparisons.models import OpenData
from comparisons.open_data import SCHEMA
from reviews.access import programme_view
from reviews.models import Programme


@programme_view("reviews.see_programme")
def matrix(request, programme: Programme):
    result = build_matrix(programme, request.user, group_code=request.GET.get("group") or None)
    return render(
        request,
        "comparisons/matrix.html",
        {
            "programme": programme,
            "matrix": result,
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
