"""Step 7 after publication: the host city answers each recommendation of the final report,
its action plan (screen, PDF, XLSX), progress updates at two checkpoints, and the
coordinators' view of every city's commitments.

Recommendation rows are locked once the report is final, so they are what was published.
An action is overdue when its deadline is before today and its latest progress update is
neither done nor dropped. An update is due from 30 days before its checkpoint and missing
once the checkpoint has passed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.versioning import save_or_conflict, save_versioned
from reviews.access import review_view
from reviews.forms.follow_up import CheckpointsForm, HostResponseForm, ProgressUpdateForm
from reviews.models import FeedbackReport, HostResponse, ProgressUpdate, Recommendation, Review
from reviews.models.feedback_report import (
    CHECKPOINTS,
    checkpoint_dates,
    fill_default_checkpoints,
)
from reviews.services.follow_up import (
    plan_context,
    plan_rows,
    published_report,
    tell_coordinators_when_complete,
)

# --- the host city's response ----------------------------------------------------------------


@review_view("reviews.respond_to_report")
def responses(request, review: Review):
    context = plan_context(review=review, user=request.user)
    rows = context["committed"] + context["declined"] + context["unanswered"]
    context["rows"] = sorted(rows, key=lambda row: row.recommendation.number)
    return render(request, "reviews/follow_up/responses.html", context)


@review_view("reviews.respond_to_report")
def response_edit(request, review: Review, rec: int):
    report = published_report(review)
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("section__group"), pk=rec, section__report=report
    )
    instance = HostResponse.objects.filter(recommendation=recommendation).first()
    is_new = instance is None
    instance = instance or HostResponse(recommendation=recommendation)
    form = HostResponseForm(request.POST or None, instance=instance)
    context = {"review": review, "recommendation": recommendation, "form": form}
    if request.method == "POST" and form.is_valid():
        form.instance.responded_by = request.user
        twin = (
            HostResponse.objects.filter(recommendation=recommendation).first() if is_new else None
        )

        def save(form):
            saved = save_versioned(form)
            if is_new:
                tell_coordinators_when_complete(review=review, report=report)
            return saved

        _saved, conflict = save_or_conflict(
            request,
            form,
            template="reviews/follow_up/response_form.html",
            context=context,
            save=save,
            twin=twin,
        )
        if conflict:
            return conflict
        messages.success(
            request,
            _("Your response to recommendation %(n)s is saved.") % {"n": recommendation.number},
        )
        return redirect("reviews:responses", pk=review.pk)
    return render(request, "reviews/follow_up/response_form.html", context)


# --- the action plan -------------------------------------------------------------------------


@review_view("reviews.see_action_plan")
def action_plan(request, review: Review):
    return render(
        request,
        "reviews/follow_up/action_plan.html",
        plan_context(review=review, user=request.user),
    )


@review_view("reviews.report_progress")
def progress_edit(request, review: Review, response: int, checkpoint: int):
    if checkpoint not in CHECKPOINTS:
        raise Http404
    report = published_report(review)
    host_response = get_object_or_404(
        HostResponse.objects.select_related("recommendation__section__group"),
        pk=response,
        recommendation__section__report=report,
        decision__in=(HostResponse.ACCEPT, HostResponse.PARTLY),
    )
    instance = host_response.updates.filter(checkpoint=checkpoint).first()
    is_new = instance is None
    instance = instance or ProgressUpdate(response=host_response, checkpoint=checkpoint)
    form = ProgressUpdateForm(request.POST or None, instance=instance)
    context = {
        "review": review,
        "host_response": host_response,
        "recommendation": host_response.recommendation,
        "checkpoint": checkpoint,
        "checkpoint_date": checkpoint_dates(report)[checkpoint],
        "form": form,
    }
    if request.method == "POST" and form.is_valid():
        form.instance.reported_by = request.user
        twin = host_response.updates.filter(checkpoint=checkpoint).first() if is_new else None
        _saved, conflict = save_or_conflict(
            request,
            form,
            template="reviews/follow_up/progress_form.html",
            context=context,
            twin=twin,
        )
        if conflict:
            return conflict
        messages.success(
            request,
            _("Progress on recommendation %(n)s is recorded.")
            % {"n": host_response.recommendation.number},
        )
        return redirect("reviews:action_plan", pk=review.pk)
    return render(request, "reviews/follow_up/progress_form.html", context)


@review_view("reviews.set_checkpoints")
def checkpoints(request, review: Review):
    report = published_report(review)
    fill_default_checkpoints(report, save=False)  # shown in the form, saved with it
    form = CheckpointsForm(request.POST or None, instance=report)
    context = {"review": review, "report": report, "form": form}
    if request.method == "POST" and form.is_valid():
        _saved, conflict = save_or_conflict(
            request, form, template="reviews/follow_up/checkpoints_form.html", context=context
        )
        if conflict:
            return conflict
        messages.success(request, _("The dates of the progress updates are saved."))
        return redirect("reviews:action_plan", pk=review.pk)
    return render(request, "reviews/follow_up/checkpoints_form.html", context)


# --- every city's commitments ----------------------------------------------------------------


@dataclass
class Commitments:
    report: FeedbackReport
    accepted: int = 0
    partly: int = 0
    declined: int = 0
    unanswered: int = 0
    overdue: int = 0
    # Per checkpoint: (number, date, updates in, due, missing)
    checkpoints: list[tuple] = field(default_factory=list)


@login_required
def commitments(request):
    if not request.user.has_perm("reviews.see_commitments"):
        raise PermissionDenied
    today = timezone.localdate()
    reports = list(
        FeedbackReport.objects.filter(published_at__isnull=False)
        .select_related("review__host_city")
        .order_by("-published_at")
    )
    rows_by_report = plan_rows(reports, today)
    table = []
    for report in reports:
        line = Commitments(report)
        rows = rows_by_report[report.pk]
        for row in rows:
            if row.response is None:
                line.unanswered += 1
            elif row.response.decision == HostResponse.ACCEPT:
                line.accepted += 1
            elif row.response.decision == HostResponse.PARTLY:
                line.partly += 1
            else:
                line.declined += 1
            line.overdue += row.overdue
        dates = checkpoint_dates(report)
        for n in CHECKPOINTS:
            states = [row.checkpoints[n - 1] for row in rows if row.committed]
            line.checkpoints.append(
                (
                    n,
                    dates[n],
                    sum(s.update is not None for s in states),
                    sum(s.due for s in states),
                    sum(s.missing for s in states),
                )
            )
        table.append(line)
    return render(request, "reviews/follow_up/commitments.html", {"table": table, "today": today})
