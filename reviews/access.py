"""The permission-scoped getter every review view goes through."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from reviews.models import Programme, Review


def get_review(user, pk: int, permission: str) -> Review:
    """The review if the user may open it (else 404) and holds `permission` (else 403)."""
    review = get_object_or_404(
        Review.objects.for_user(user).select_related(
            "host_city", "benchmark_version__benchmark", "inception_report", "programme"
        ),
        pk=pk,
    )
    if not user.has_perm(permission, review):
        raise PermissionDenied
    return review


def review_view(permission: str):
    """Decorate a view taking ``(request, review, ...)``; the URL passes ``pk``."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, pk: int, *args, **kwargs):
            review = get_review(request.user, pk, permission)
            return view(request, review, *args, **kwargs)

        return wrapper

    return decorator


def get_programme(user, pk: int, permission: str) -> Programme:
    """The programme if the user may open it (else 404) and holds `permission` (else 403)."""
    programme = get_object_or_404(
        Programme.objects.for_user(user).select_related("benchmark_version__benchmark"), pk=pk
    )
    if not user.has_perm(permission, programme):
        raise PermissionDenied
    return programme


def programme_view(permission: str):
    """Decorate a view taking ``(request, programme, ...)``; the URL passes ``programme``."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, programme: int, *args, **kwargs):
            return view(
                request, get_programme(request.user, programme, permission), *args, **kwargs
            )

        return wrapper

    return decorator
