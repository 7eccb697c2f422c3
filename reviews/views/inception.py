"""Step 3: the host city writes the inception report, group by group; the team reads it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from benchmarks.models import IndicatorComment
from core.versioning import (
    conflict_context,
    save_all_versioned,
    save_indicator_forms,
    save_or_conflict,
    unique_twin,
)
from reviews.access import review_view
from reviews.forms.inception import (
    BackgroundSectionForm,
    IntervieweeForm,
    ProvenanceForm,
    ReopenForm,
    SelfAssessmentForm,
    SubmitForm,
    rating_choices,
)
from reviews.models import BackgroundSection, Review, SelfAssessment
from reviews.models.inception import SECTION_HELP, SECTION_KEYS, SECTION_TITLES
from reviews.services import reopen_inception_report, submit_inception_report
from reviews.services.benchmark_notes import flag_if_changed
from reviews.services.inception import attach_chosen_file, reading_context


@review_view("reviews.see_inception")
def overview(request, review: Review):
    report = review.inception_report
    gaps = report.gaps()
    return render(
        request,
        "reviews/inception/overview.html",
        {
            "review": review,
            "report": report,
            "sections": report.sections_by_key(),
            "gaps": gaps,
            "progress": report.progress(gaps),
            "interviewee_count": review.proposed_interviewees.count(),
            "events": review.events.select_related("actor")[:10],
            "can_edit": request.user.has_perm("reviews.edit_inception", review),
            "can_reopen": request.user.has_perm("reviews.reopen_inception", review),
            "reopen_form": ReopenForm(),
        },
    )


@review_view("reviews.edit_inception")
def section_edit(request, review: Review, key: str):
    if key not in SECTION_KEYS:
        raise Http404
    report = review.inception_report
    section = report.backgroundsections.filter(key=key).first() or BackgroundSection(
        report=report, key=key
    )
    form = BackgroundSectionForm(
        request.POST or None,
        request.FILES or None,
        instance=section,
        review=review,
        user=request.user,
    )
    context = {
        "review": review,
        "section": section,
        "title": SECTION_TITLES[key],
        "help": SECTION_HELP[key],
        "form": form,
        "attachments": section.attachments.all() if section.pk else [],
    }
    if request.method == "POST" and form.is_valid():
        twin = None if section.pk else report.backgroundsections.filter(key=key).first()
        with transaction.atomic():
            conflicts = save_all_versioned([(form, twin)])
            if not conflicts:
                attach_chosen_file(
                    review=review, by=request.user, section=section, **form.chosen_file()
                )
        if conflicts:
            context.update(conflict_context(form, conflicts[0][1]))
            form.keep_chosen_file()
            return render(request, "reviews/inception/section_form.html", context, status=409)
        messages.success(request, _("Saved: %(title)s.") % {"title": SECTION_TITLES[key]})
        return redirect("reviews:inception", pk=review.pk)
    if request.method == "POST":
        form.keep_chosen_file()
    return render(request, "reviews/inception/section_form.html", context)


@review_view("reviews.edit_inception")
def group_edit(request, review: Review, group: int):
    report = review.inception_report
    indicators = list(review.indicators_in_scope().filter(group_id=group))
    if not indicators:
        raise Http404
    existing = SelfAssessment.objects.for_indicators(report, indicators)
    attachments: dict[int, list] = {}
    for attachment in review.attachments.filter(assessment__in=existing.values()).select_related(
        "assessment"
    ):
        attachments.setdefault(attachment.assessment.indicator_id, []).append(attachment)
    choices = rating_choices(review.benchmark_version)
    forms = [
        SelfAssessmentForm(
            request.POST or None,
            request.FILES or None,
            prefix=f"i{indicator.pk}",
            instance=existing.get(indicator.pk)
            or SelfAssessment(report=report, indicator=indicator),
            indicator=indicator,
            rating_choices=choices,
            review=review,
            user=request.user,
        )
        for indicator in indicators
    ]
    context = {
        "review": review,
        "group": indicators[0].group,
        "rows": [(f, attachments.get(f.indicator.pk, [])) for f in forms],
        "forms": forms,
        "progress": report.progress(),
    }
    if request.method == "POST" and all(f.is_valid() for f in forms):

        def attach(form):
            flag_if_changed(
                form, kind=IndicatorComment.SELF_ASSESSMENT, review=review, author=request.user
            )
            attach_chosen_file(
                review=review, by=request.user, assessment=form.instance, **form.chosen_file()
            )

        changed, conflicts = save_indicator_forms(
            forms, twin=unique_twin("report", "indicator"), after_save=attach
        )
        if conflicts:
            context["conflicts"] = conflicts
            for form in forms:
                form.keep_chosen_file()
            return render(request, "reviews/inception/group_form.html", context, status=409)
        messages.success(
            request,
            ngettext(
                "Saved %(n)s indicator of %(group)s.",
                "Saved %(n)s indicators of %(group)s.",
                len(changed),
            )
            % {"n": len(changed), "group": context["group"].name},
        )
        return redirect("reviews:inception_group", pk=review.pk, group=group)
    if request.method == "POST":
        context["invalid"] = [f for f in forms if f.errors]
        for form in forms:
            form.keep_chosen_file()
    return render(request, "reviews/inception/group_form.html", context)


@review_view("reviews.edit_inception")
def provenance_edit(request, review: Review):
    report = review.inception_report
    form = ProvenanceForm(request.POST or None, instance=report)
    context = {"review": review, "form": form}
    if request.method == "POST" and form.is_valid():
        _saved, conflict = save_or_conflict(
            request, form, template="reviews/inception/provenance_form.html", context=context
        )
        if conflict:
            return conflict
        messages.success(request, _("Saved who wrote the report and how."))
        return redirect("reviews:inception", pk=review.pk)
    return render(request, "reviews/inception/provenance_form.html", context)


@review_view("reviews.see_inception")
def interviewees(request, review: Review):
    return render(
        request,
        "reviews/inception/interviewees.html",
        {
            "review": review,
            "interviewees": review.proposed_interviewees.prefetch_related("indicators"),
            "can_edit": request.user.has_perm("reviews.edit_inception", review),
        },
    )


@review_view("reviews.edit_inception")
def interviewee_edit(request, review: Review, person: int | None = None):
    instance = get_object_or_404(review.proposed_interviewees, pk=person) if person else None
    form = IntervieweeForm(request.POST or None, instance=instance, review=review)
    context = {"review": review, "form": form, "instance": instance}
    if request.method == "POST" and form.is_valid():
        _saved, conflict = save_or_conflict(
            request, form, template="reviews/inception/interviewee_form.html", context=context
        )
        if conflict:
            return conflict
        messages.success(request, _("Saved %(name)s.") % {"name": form.instance.name})
        return redirect("reviews:interviewees", pk=review.pk)
    return render(request, "reviews/inception/interviewee_form.html", context)


@review_view("reviews.edit_inception")
def interviewee_delete(request, review: Review, person: int):
    """Asks first, naming who goes and the visit sessions they are planned in."""
    instance = get_object_or_404(review.proposed_interviewees, pk=person)
    if request.method == "POST":
        instance.delete()
        messages.success(request, _("Removed %(name)s from the list.") % {"name": instance.name})
        return redirect("reviews:interviewees", pk=review.pk)
    return render(
        request,
        "reviews/inception/interviewee_delete.html",
        {"review": review, "person": instance, "sessions": instance.sessions.order_by("starts_at")},
    )


@review_view("reviews.edit_inception")
def submit(request, review: Review):
    """Asks first, listing what is missing; an incomplete report goes only with a reason."""
    report = review.inception_report
    gaps = report.gaps()
    form = SubmitForm(request.POST or None, gaps=gaps)
    if request.method == "POST" and form.is_valid():
        try:
            submit_inception_report(
                review=review, by=request.user, reason=form.cleaned_data.get("reason", "")
            )
        except ValidationError as error:
            form.add_error("reason" if "reason" in form.fields else None, error)
        else:
            messages.success(
                request, _("The inception report is submitted. The team has been told.")
            )
            return redirect("reviews:inception", pk=review.pk)
    return render(
        request,
        "reviews/inception/submit.html",
        {"review": review, "report": report, "gaps": gaps, "form": form},
    )


@require_POST
@review_view("reviews.reopen_inception")
def reopen(request, review: Review):
    form = ReopenForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["reason"])
        reopen_inception_report(review=review, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The inception report is open again for the host city."))
    return redirect("reviews:inception", pk=review.pk)


@review_view("reviews.see_inception")
def read(request, review: Review):
    return render(request, "reviews/inception/read.html", reading_context(review))
