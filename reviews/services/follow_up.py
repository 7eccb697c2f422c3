"""Step 7 after publication: the host city's action plan, its progress and who hears of it.

An action is overdue when its deadline is before today and its latest progress update is
neither done nor dropped. An update is due from 30 days before its checkpoint and missing
once the checkpoint has passed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.tables import Column, screen_columns, sheet_header, sheet_row
from reviews.models import FeedbackReport, HostResponse, ProgressUpdate, Recommendation, Review
from reviews.models.feedback_report import CHECKPOINTS, checkpoint_dates
from reviews.services.notifications import notify_after_commit
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


def published_report(review: Review) -> FeedbackReport:
    # The permission already required publication; this only fetches the row.
    return get_object_or_404(FeedbackReport, review=review, published_at__isnull=False)


def plan_context(*, review: Review, user) -> dict:
    """The action plan as its page and PDF show it (rows split by decision)."""
    report = published_report(review)  # checkpoint_dates gives the defaults where unset
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
        "columns": screen_columns(ACTION_PLAN_COLUMNS),
        "can_respond": user.has_perm("reviews.respond_to_report", review),
        "can_report": user.has_perm("reviews.report_progress", review),
        "can_set_checkpoints": user.has_perm("reviews.set_checkpoints", review),
    }


def tell_coordinators_when_complete(*, review: Review, report: FeedbackReport) -> None:
    """Once every recommendation has an answer, the review's coordinators hear of it (once:
    only a first answer can complete the set)."""
    open_ = Recommendation.objects.filter(section__report=report, response__isnull=True)
    if open_.exists():
        return
    people = review.members(COORDINATOR, active=True)
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


def _response(attribute: str):
    def value(row: PlanRow):
        return getattr(row.response, attribute) if row.response else ""

    return value


def _update(number: int, attribute: str):
    def value(row: PlanRow):
        update = next((c.update for c in row.checkpoints if c.number == number), None)
        if update is None:
            return ""
        return update.get_status_display() if attribute == "status" else update.note

    return value


# The action plan's table: its page and PDF draw the `screen` columns, the spreadsheet
# writes the `sheet` ones.
ACTION_PLAN_COLUMNS = [
    Column("number", _("No."), lambda row: row.recommendation.number),
    Column(
        "section", _("Section"), lambda row: row.recommendation.section.group.code, screen=False
    ),
    Column("recommendation", _("Recommendation"), lambda row: row.recommendation.text),
    Column(
        "priority",
        _("Priority"),
        lambda row: row.recommendation.get_priority_display(),
        screen=False,
    ),
    Column(
        "decision",
        _("Decision"),
        lambda row: row.response.get_decision_display() if row.response else _("Not answered yet"),
    ),
    Column("rationale", _("Rationale"), _response("rationale"), screen=False),
    Column("owner", _("Owner"), _response("owner")),
    Column("deadline", _("Deadline"), lambda row: row.response.deadline if row.response else None),
    Column("first_actions", _("First actions"), _response("first_actions")),
    Column("update_1", _("First update"), _update(1, "status"), screen=False),
    Column("note_1", _("Note on the first update"), _update(1, "note"), screen=False),
    Column("update_2", _("Second update"), _update(2, "status"), screen=False),
    Column("note_2", _("Note on the second update"), _update(2, "note"), screen=False),
    Column("progress", _("Progress"), sheet=False),
    Column("overdue", _("Overdue"), lambda row: _("yes") if row.overdue else "", screen=False),
]


def action_plan_sheet(context: dict) -> tuple[list[str], list[list]]:
    """(header, rows) of the action plan's spreadsheet, every recommendation by number."""
    rows = context["committed"] + context["declined"] + context["unanswered"]
    rows.sort(key=lambda row: row.recommendation.number)
    return sheet_header(ACTION_PLAN_COLUMNS), [sheet_row(ACTION_PLAN_COLUMNS, r) for r in rows]
