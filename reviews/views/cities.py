"""A city's page: its profile with the reviews it hosted and joined, as the viewer may see.

It lives here, not in `cities`, because it reads reviews: `cities` is below `reviews`.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from cities.models import City
from reviews.models import Membership, Review
from reviews.steps import TEAM_ROLES


@login_required
def city_detail(request, pk: int):
    city = get_object_or_404(City, pk=pk)
    visible = Review.objects.for_user(request.user)
    hosted = visible.filter(host_city=city).select_related("host_city")
    joined = (
        Membership.objects.filter(user__city=city, role__in=TEAM_ROLES, review__in=visible)
        .select_related("review__host_city", "user")
        .order_by("-review__created_at")
    )
    return render(
        request,
        "cities/city_detail.html",
        {
            "city": city,
            "hosted": hosted,
            "joined": joined,
            "people": city.people.filter(is_active=True),
            "can_edit": request.user.has_perm("cities.edit_city_profile", city),
        },
    )
