"""The learning across reviews: the cross-city matrix of a programme."""

from __future__ import annotations

from django.shortcuts import render

from comparisons.matrix import build_matrix
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
        },
    )
