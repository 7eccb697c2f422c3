"""The personal data of the people interviewed, for coordinators: the privacy page (the
network's retention period, every review's, a search by name), a review's interviewees,
one person's data-subject access report, and their pseudonymisation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.versioning import save_or_conflict
from reviews.access import review_view
from reviews.forms.privacy import PrivacySettingsForm
from reviews.models import PrivacySettings, Review, ReviewEvent
from reviews.services.privacy import (
    access_report,
    find_people,
    people_of,
    person_of,
    plan,
    pseudonymise,
    pseudonyms,
    retention,
    reviews_with_retention,
)

PRIVACY_EVENTS = [ReviewEvent.RETENTION_ENDED, ReviewEvent.PERSON_PSEUDONYMISED]


@login_required
def overview(request):
    if not request.user.has_perm("reviews.handle_personal_data"):
        raise PermissionDenied
    if request.method == "POST":
        PrivacySettings.objects.get_or_create(pk=1)
    form = PrivacySettingsForm(request.POST or None, instance=PrivacySettings.current())
    query = request.GET.get("q", "").strip()
    done = dict(
        ReviewEvent.objects.filter(verb=ReviewEvent.RETENTION_ENDED)
        .values_list("review_id")
        .annotate(last=Max("created_at"))
    )
    context = {
        "form": form,
        "query": query,
        "found": find_people(query) if query else None,
        "reviews": [
            {"review": review, "retention": kept, "done": done.get(review.pk)}
            for review, kept in reviews_with_retention()
        ],
    }
    if request.method == "POST" and form.is_valid():
        _saved, conflict = save_or_conflict(
            request, form, template="reviews/privacy/overview.html", context=context
        )
        if conflict:
            return conflict
        messages.success(
            request,
            _("Interviewees' names are now kept %(n)s months after publication by default.")
            % {"n": form.cleaned_data["retention_months"]},
        )
        return redirect("reviews:privacy")
    return render(request, "reviews/privacy/overview.html", context)


@review_view("reviews.handle_personal_data")
def review_people(request, review: Review):
    people = people_of(review)
    names = pseudonyms(people)
    return render(
        request,
        "reviews/privacy/review_people.html",
        {
            "review": review,
            "retention": retention(review),
            "people": [(person, names[person.pk]) for person in people],
            "events": review.events.filter(verb__in=PRIVACY_EVENTS).select_related("actor"),
        },
    )


def _person(review: Review, pk: int):
    try:
        return person_of(review, pk)
    except LookupError:
        raise Http404 from None


@review_view("reviews.handle_personal_data")
def person_data(request, review: Review, person: int):
    found = _person(review, person)
    report = access_report(review, found, user=request.user)
    return render(
        request,
        "reviews/privacy/person.html",
        {"review": review, "person": found, "report": report},
    )


@review_view("reviews.handle_personal_data")
def person_pseudonymise(request, review: Review, person: int):
    """GET: what would change, and that it cannot be undone. POST: do it."""
    found = _person(review, person)
    if request.method == "POST":
        result = pseudonymise(review, [found.pk], by=request.user)
        messages.success(
            request,
            _(
                "The interviewee is now “%(pseudonym)s” everywhere in this review: %(n)s rows changed."
            )
            % {"pseudonym": result.pseudonyms[found.pk], "n": result.rows},
        )
        return redirect("reviews:person_data", pk=review.pk, person=found.pk)
    planned = plan(review, [found.pk])
    return render(
        request,
        "reviews/privacy/pseudonymise_confirm.html",
        {
            "review": review,
            "person": found,
            "plan": planned,
            "pseudonym": planned.pseudonyms[found.pk],
        },
    )
