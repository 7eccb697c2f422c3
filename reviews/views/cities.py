"""A city's page: its profile, its history as a host (every review with the final ratings per
indicator, what changed and its commitments) and the reviews its people joined, as the
viewer may see them.

It lives here, not in `cities`, because it reads reviews: `cities` is below `reviews`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cities.models import City, User
from reviews.forms.team import PersonCityForm
from reviews.models import Membership, Review
from reviews.services.history import city_history
from reviews.services.team import set_person_city
from reviews.steps import TEAM_ROLES


@login_required
def city_detail(request, pk: int):
    city = get_object_or_404(City, pk=pk)
    visible = Review.objects.for_user(request.user)
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
            "history": city_history(city, request.user),
            "joined": joined,
            "people": city.people.filter(is_active=True),
            "can_edit": request.user.has_perm("cities.edit_city_profile", city),
        },
    )


@login_required
def people(request):
    """Everyone and the city they work for; coordinators set it from here."""
    if not request.user.has_perm("cities.set_person_city"):
        raise PermissionDenied
    everyone = User.objects.select_related("city").order_by("name")
    return render(request, "cities/people.html", {"people": everyone})


@login_required
def person_city(request, pk: int):
    if not request.user.has_perm("cities.set_person_city"):
        raise PermissionDenied
    person = get_object_or_404(User.objects.select_related("city"), pk=pk)
    form = PersonCityForm(request.POST if request.method == "POST" else None, person=person)
    if request.method == "POST" and form.is_valid():
        set_person_city(
            person=person,
            city=form.cleaned_data["city"],
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            request,
            _("%(name)s now works for %(city)s.")
            % {"name": person.name, "city": person.city.name if person.city else _("no city")},
        )
        return redirect("person_city", pk=person.pk)
    memberships = Membership.objects.filter(user=person).select_related("review__host_city")
    return render(
        request,
        "cities/person_city.html",
        {
            "person": person,
            "form": form,
            "memberships": memberships.order_by("review__title"),
            "changes": _city_changes(person),
        },
    )


def _city_changes(person) -> list[dict]:
    """Each change of the person's city, newest first, from their history."""
    records = list(person.history.select_related("history_user").order_by("history_date"))
    cities = City.objects.in_bulk({r.city_id for r in records if r.city_id})
    changes = []
    for before, after in zip(records, records[1:], strict=False):
        if before.city_id != after.city_id:
            changes.append(
                {
                    "at": after.history_date,
                    "by": after.history_user,
                    "city": cities.get(after.city_id),
                    "note": after.history_change_reason or "",
                }
            )
    return changes[::-1]
