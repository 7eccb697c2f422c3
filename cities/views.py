"""The personal profile and city pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from cities.forms import CityForm, ProfileForm
from cities.models import City
from core.versioning import save_or_conflict


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # Say it in the language the rest of the interface is now in.
        translation.activate(user.preferred_language)
        messages.success(request, _("Your profile is saved."))
        response = redirect("profile")
        # The switcher's cookie wins over the profile, so set it to the new preference.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
        return response
    return render(request, "cities/profile.html", {"form": form})


@login_required
def city_list(request):
    cities = City.objects.annotate(
        people_count=Count("people", distinct=True), hosted=Count("hosted_reviews", distinct=True)
    )
    return render(request, "cities/city_list.html", {"cities": cities})


@login_required
def city_create(request):
    if not request.user.has_perm("cities.add_city_page"):
        raise PermissionDenied
    form = CityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        city = form.save()
        messages.success(request, _("The city is added."))
        return redirect("city", pk=city.pk)
    return render(request, "cities/city_form.html", {"city": None, "form": form})


@login_required
def city_edit(request, pk: int):
    city = get_object_or_404(City, pk=pk)
    if not request.user.has_perm("cities.edit_city_profile", city):
        raise PermissionDenied
    form = CityForm(request.POST or None, instance=city)
    context = {"city": city, "form": form}
    if request.method == "POST" and form.is_valid():
        _saved, conflict = save_or_conflict(
            request, form, template="cities/city_form.html", context=context
        )
        if conflict:
            return conflict
        messages.success(request, _("The city profile is saved."))
        return redirect("city", pk=city.pk)
    return render(request, "cities/city_form.html", context)
