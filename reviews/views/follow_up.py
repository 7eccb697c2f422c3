"""Step 7 after publication: the host city answers each recommendation of the final report,
its action plan (screen, PDF, XLSX), progress updates at two checkpoints, and the
coordinators' view of every city's commitments.

Recommendation rows are locked once the report is final, so they are what was published.
An action is overdue when its deadline is before today and its latest progress update is
neither done nor dropped. An update is due from 30 days before its checkpoint and missing
once the checkpoint has passed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reports.responses import pdf_response
from reviews.access import review_view
from reviews.concurrency import conflict_context, save_all_versioned
from reviews.follow_up_forms import CheckpointsForm, HostResponseForm, ProgressUpdateForm
from reviews.models import FeedbackReport, HostResponse, ProgressUpdate, Recommendation, Review
from reviews.models.composer import (
    CHECKPOINTS,
    checkpoint_dates,
    fill_default_checkpoints,
)
from reviews.services import notify_after_commit
from reviews.steps import COORDINATOR

DUE_AHEAD = datetime.timedelta(days=30)
FINISHED = (ProgressUpdate.DONE, ProgressUpdate.DROPPED)


# --- rows of the action plan -----------------------------------------------------------------


@dataclass
class CheckpointState:
    number: int
    date: datetime.date | None
    update: ProgressUpdate | None
    due: bool = False
    missing: bool = False


@dataclass
class PlanRow:
    recommendation: Recommendation
    response: HostResponse | None
    checkpoints: list[CheckpointState] = field(default_factory=list)
    latest: ProgressUpdate | None = None
    overdue: bool = False

    @property
    def committed(self) -> bool:
        return self.response is not None and self.response.committed

    @property
    def declined(self) -> bool:
        return self.response is not None and self.response.decision == HostResponse.DECLINE


def plan_rows(reports: list[FeedbackReport], today: datetime.date) -> dict[int, list[PlanRow]]:
    """Every recommendation of each report with its response and updates, in two queries."""
    by_report: dict[int, list[PlanRow]] = {r.pk: [] for r in reports}
    ids = list(by_report)
    dates = {r.pk: checkpoint_dates(r) for r in reports}
    recommendations = (
        Recommendation.objects.filter(section__report__in=ids)
        .select_related("section__group", "response")
        .order_by("number", "pk")
    )
    updates: dict[int, dict[int, ProgressUpdate]] = {}
    for update in ProgressUpdate.objects.filter(response__recommendation__section__report__in=ids):
        updates.setdefault(update.response_id, {})[update.checkpoint] = update
    for recommendation in recommendations:
        report_id = recommendation.section.report_id
        response = getattr(recommendation, "response", None)
        row = PlanRow(recommendation, response)
        if row.committed:
            mine = updates.get(response.pk, {})
            for n in CHECKPOINTS:
                day, update = dates[report_id][n], mine.get(n)
                row.checkpoints.append(
                    CheckpointState(
                        n,
                        day,
                        update,
                        due=bool(update is None and day and today <= day <= today + DUE_AHEAD),
                        missing=bool(update is None and day and day < today),
                    )
                )
            row.latest = mine.get(2) or mine.get(1)
            row.overdue = bool(
                response.deadline
                and response.deadline < today
                and (row.latest is None or row.latest.status not in FINISHED)
            )
        by_report[report_id].append(row)
    return by_report


def _published_report(review: Review) -> FeedbackReport:
    # The permission already required publication; this only fetches the row.
    return get_object_or_404(FeedbackReport, review=review, published_at__isnull=False)


def _plan_context(request, review: Review) -> dict:
    report = _published_report(review)
    fill_default_checkpoints(report)
    today = timezone.localdate()
    rows = plan_rows([report], today)[report.pk]
    return {
        "review": review,
        "report": report,
        "today": today,
        "checkpoints": checkpoint_dates(report),
        "committed": [row for row in rows if row.committed],
        "declined": [row for row in rows if row.declined],
        "unanswered": [row for row in rows if row.response is None],
        "overdue_count": sum(row.overdue for row in rows),
        "can_respond": request.user.has_perm("reviews.respond_to_report", review),
        "can_report": request.user.has_perm("reviews.report_progress", review),
        "can_set_checkpoints": request.user.has_perm("reviews.set_checkpoints", review),
    }


# --- the host city's response ----------------------------------------------------------------


@review_view("reviews.respond_to_report")
def responses(request, review: Review):
    context = _plan_context(request, review)
    rows = context["committed"] + context["declined"] + context["unanswered"]
    context["rows"] = sorted(rows, key=lambda row: row.recommendation.number)
    return render(request, "reviews/follow_up/responses.html", context)


@review_view("reviews.respond_to_report")
def response_edit(request, review: Review, rec: int):
    report = _published_report(review)
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
        with transaction.atomic():
            conflicts = save_all_versioned([(form, twin)])
            if not conflicts and is_new:
                _tell_coordinators_when_complete(review, report)
        if conflicts:
            context.update(conflict_context(form, conflicts[0][1]))
            return render(request, "reviews/follow_up/response_form.html", context, status=409)
        messages.success(
            request,
            _("Your response to recommendation %(n)s is saved.") % {"n": recommendation.number},
        )
        return redirect("reviews:responses", pk=review.pk)
    return render(request, "reviews/follow_up/response_form.html", context)


def _tell_coordinators_when_complete(review: Review, report: FeedbackReport) -> None:
    """Once every recommendation has an answer, the review's coordinators hear of it (once:
    only a first answer can complete the set)."""
    open_ = Recommendation.objects.filter(section__report=report, response__isnull=True)
    if open_.exists():
        return
    people = [
        m.user
        for m in review.memberships.filter(role=COORDINATOR).select_related("user")
        if m.user.is_active
    ]
    url = reverse("reviews:action_plan", args=[review.pk])
    notify_after_commit(
        review=review,
        users=people,
        url=url,
        text=gettext_noop(
            "The host city of %(review)s has answered every recommendation: "
            "its action plan is ready."
        ),
        subject=gettext_noop("Action plan ready: %(review)s"),
    )


# --- the action plan -------------------------------------------------------------------------


@review_view("reviews.see_action_plan")
def action_plan(request, review: Review):
    return render(request, "reviews/follow_up/action_plan.html", _plan_context(request, review))


@review_view("reviews.see_action_plan")
def action_plan_pdf(request, review: Review):
    return pdf_response(
        request,
        template="reports/action_plan_pdf.html",
        context=_plan_context(request, review),
        filename=f"action-plan-{review.pk}.pdf",
        review=review,
        read_url=reverse("reviews:action_plan", args=[review.pk]),
    )


@review_view("reviews.see_action_plan")
def action_plan_xlsx(request, review: Review):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    context = _plan_context(request, review)
    rows = context["committed"] + context["declined"] + context["unanswered"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Action plan"))[:31]
    sheet.append(
        [
            str(_("Number")),
            str(_("Section")),
            str(_("Recommendation")),
            str(_("Priority")),
            str(_("Decision")),
            str(_("Rationale")),
            str(_("Owner")),
            str(_("Deadline")),
            str(_("First actions")),
            str(_("First update")),
            str(_("Note")),
            str(_("Second update")),
            str(_("Note")),
            str(_("Overdue")),
        ]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sorted(rows, key=lambda row: row.recommendation.number):
        rec, response = row.recommendation, row.response
        updates = {c.number: c.update for c in row.checkpoints}
        progress = []
        for n in (1, 2):
            update = updates.get(n)
            progress += [update.get_status_display(), update.note] if update else ["", ""]
        sheet.append(
            [
                rec.number,
                rec.section.group.code,
                rec.text,
                rec.get_priority_display(),
                response.get_decision_display() if response else str(_("Not answered yet")),
                response.rationale if response else "",
                response.owner if response else "",
                response.deadline if response else None,
                response.first_actions if response else "",
                *progress,
                str(_("yes")) if row.overdue else "",
            ]
        )
    for cell in sheet["H"][1:]:
        cell.number_format = "yyyy-mm-dd"
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="action-plan-{review.pk}.xlsx"'
    workbook.save(response)
    return response


@review_view("reviews.report_progress")
def progress_edit(request, review: Review, response: int, checkpoint: int):
    if checkpoint not in CHECKPOINTS:
        raise Http404
    report = _published_report(review)
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
        conflicts = save_all_versioned([(form, twin)])
        if conflicts:
            context.update(conflict_context(form, conflicts[0][1]))
            return render(request, "reviews/follow_up/progress_form.html", context, status=409)
        messages.success(
            request,
            _("Progress on recommendation %(n)s is recorded.")
            % {"n": host_response.recommendation.number},
        )
        return redirect("reviews:action_plan", pk=review.pk)
    return render(request, "reviews/follow_up/progress_form.html", context)


@review_view("reviews.set_checkpoints")
def checkpoints(request, review: Review):
    report = _published_report(review)
    fill_default_checkpoints(report)
    form = CheckpointsForm(request.POST or None, instance=report)
    context = {"review": review, "report": report, "form": form}
    if request.method == "POST" and form.is_valid():
        conflicts = save_all_versioned([(form, None)])
        if conflicts:
            context.update(conflict_context(form, conflicts[0][1]))
            return render(request, "reviews/follow_up/checkpoints_form.html", context, status=409)
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
