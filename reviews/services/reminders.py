"""Reminders of what is due, by e-mail and on the dashboard, in each person's language.

`send_reminders` finds every reminder due today and sends each one once: a `Reminder` row
per person, kind, thing and due date (a unique constraint) is written in the same
transaction as the person's dashboard entry and queued e-mail, so running it twice, or on
two machines at once, sends nothing twice. People who turned reminders off get none.

What is reminded, and to whom (`REMINDER_DAYS_AHEAD` days before the date, "ahead"):

- the inception report, from `inception_due` - ahead until it is submitted: the host city;
- each desk review, from `visit_start` - ahead until the visit starts, once the inception
  report is in: each peer who has not submitted one;
- a frozen report version that waited `REMINDER_APPROVAL_DAYS`: each peer who has not
  approved it;
- the factual-accuracy round, from its closing day - ahead while it is open: the host city;
- committed actions, from their deadline - ahead while one of them is not done or
  dropped: the host city (one reminder per deadline);
- each progress checkpoint, from its date - ahead (due) and once it has passed (late),
  while a committed action has no update for it: the host city.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from reviews.models import FeedbackReport, Reminder, ReportVersion, Review
from reviews.models.feedback_report import CHECKPOINTS, checkpoint_dates
from reviews.services.follow_up import FINISHED, plan_rows
from reviews.services.notifications import notify
from reviews.steps import HOST, TEAM_ROLES


@dataclass(frozen=True)
class Due:
    """One reminder for one person."""

    user: object
    review: Review
    kind: str
    about: str
    due: datetime.date
    url: str
    text: str  # untranslated message ids, with %(review)s, %(date)s and `params`
    subject: str
    params: dict = field(default_factory=dict)


TEXTS = {
    Reminder.INCEPTION_DUE: (
        gettext_noop("The inception report of %(review)s is due on %(date)s."),
        gettext_noop("Reminder: inception report due %(date)s (%(review)s)"),
    ),
    Reminder.DESK_REVIEW_DUE: (
        gettext_noop("Your desk review of %(review)s is due before the visit on %(date)s."),
        gettext_noop("Reminder: desk review due %(date)s (%(review)s)"),
    ),
    Reminder.APPROVAL_PENDING: (
        gettext_noop(
            "A version of the report on %(review)s has waited for your approval since %(since)s."
        ),
        gettext_noop("Reminder: the report on %(review)s waits for your approval"),
    ),
    Reminder.FACTUAL_ROUND_CLOSING: (
        gettext_noop(
            "The factual-accuracy round of the report on %(review)s closes on %(date)s: send "
            "your comments before then."
        ),
        gettext_noop("Reminder: factual-accuracy round closes %(date)s (%(review)s)"),
    ),
    Reminder.ACTIONS_DUE: (
        gettext_noop(
            "Actions your city committed to in answer to the report on %(review)s are due on "
            "%(date)s."
        ),
        gettext_noop("Reminder: committed actions due %(date)s (%(review)s)"),
    ),
    Reminder.UPDATE_DUE: (
        gettext_noop("A progress update on the report on %(review)s is due on %(date)s."),
        gettext_noop("Reminder: progress update due %(date)s (%(review)s)"),
    ),
    Reminder.UPDATE_LATE: (
        gettext_noop(
            "The progress update on the report on %(review)s was due on %(date)s and is late."
        ),
        gettext_noop("Reminder: progress update late since %(date)s (%(review)s)"),
    ),
}


def _people(review: Review, *roles: str) -> list:
    return [u for u in review.members(*roles, active=True) if u.wants_reminders]


def _due(
    user, review: Review, kind: str, about: str, due: datetime.date, url: str, **params
) -> Due:
    text, subject = TEXTS[kind]
    return Due(user, review, kind, about, due, url, text, subject, params)


def reminders_due(today: datetime.date | None = None) -> list[Due]:
    """Every reminder that is due today, sent before or not."""
    today = today or timezone.localdate()
    ahead = datetime.timedelta(days=settings.REMINDER_DAYS_AHEAD)
    found: list[Due] = []
    reviews = Review.objects.select_related("inception_report", "feedback_report")
    for review in reviews.filter(inception_due__lte=today + ahead):
        if not review.inception_report.is_submitted:
            url = reverse("reviews:inception", args=[review.pk])
            found += [
                _due(u, review, Reminder.INCEPTION_DUE, "review", review.inception_due, url)
                for u in _people(review, HOST)
            ]
    for review in reviews.filter(visit_start__gte=today, visit_start__lte=today + ahead):
        if review.inception_report.is_submitted:
            done = set(
                review.desk_reviews.filter(submitted_at__isnull=False).values_list(
                    "peer_id", flat=True
                )
            )
            url = reverse("reviews:desk_review", args=[review.pk])
            found += [
                _due(u, review, Reminder.DESK_REVIEW_DUE, "review", review.visit_start, url)
                for u in _people(review, *TEAM_ROLES)
                if u.pk not in done
            ]
    found += _approvals(today)
    found += _follow_up(today, ahead)
    return found


def _approvals(today: datetime.date) -> list[Due]:
    wait = datetime.timedelta(days=settings.REMINDER_APPROVAL_DAYS)
    found = []
    versions = ReportVersion.objects.filter(state=ReportVersion.FROZEN).select_related(
        "report__review"
    )
    for version in versions:
        frozen = timezone.localdate(version.frozen_at)
        due = frozen + wait
        if due > today:
            continue
        review = version.report.review
        approved = set(version.approvals.filter(approves=True).values_list("peer_id", flat=True))
        url = reverse("reviews:report_version", args=[review.pk, version.number])
        found += [
            _due(
                u,
                review,
                Reminder.APPROVAL_PENDING,
                f"version:{version.pk}",
                due,
                url,
                since=frozen,
            )
            for u in _people(review, *TEAM_ROLES)
            if u.pk not in approved
        ]
    return found


def _follow_up(today: datetime.date, ahead: datetime.timedelta) -> list[Due]:
    found = []
    reports = list(
        FeedbackReport.objects.filter(
            factual_round_opened_at__isnull=False, factual_round_closed_at__isnull=True
        ).select_related("review")
    )
    for report in reports:
        closes = report.factual_round_closes_on
        if closes and closes - ahead <= today:
            url = reverse("reviews:report_factual", args=[report.review_id])
            found += [
                _due(u, report.review, Reminder.FACTUAL_ROUND_CLOSING, "round", closes, url)
                for u in _people(report.review, HOST)
            ]
    published = list(
        FeedbackReport.objects.filter(published_at__isnull=False).select_related("review")
    )
    rows = plan_rows(published, today)
    for report in published:
        review = report.review
        hosts = _people(review, HOST)
        if not hosts:
            continue
        url = reverse("reviews:action_plan", args=[review.pk])
        committed = [row for row in rows[report.pk] if row.committed]
        deadlines = {
            row.response.deadline
            for row in committed
            if row.response.deadline
            and row.response.deadline - ahead <= today
            and (row.latest is None or row.latest.status not in FINISHED)
        }
        for deadline in sorted(deadlines):
            found += [
                _due(u, review, Reminder.ACTIONS_DUE, "actions", deadline, url) for u in hosts
            ]
        for n in CHECKPOINTS:
            day = checkpoint_dates(report)[n]
            missing = any(
                c.update is None for row in committed for c in row.checkpoints if c.number == n
            )
            if not (day and missing and day - ahead <= today):
                continue
            kind = Reminder.UPDATE_DUE if today <= day else Reminder.UPDATE_LATE
            found += [_due(u, review, kind, f"checkpoint:{n}", day, url) for u in hosts]
    return found


@dataclass
class Summary:
    sent: Counter
    already: int = 0

    @property
    def total(self) -> int:
        return sum(self.sent.values())


def send_reminders(*, today: datetime.date | None = None, dry_run: bool = False) -> Summary:
    """Send every reminder due today that was not sent before (see the module's text)."""
    summary = Summary(Counter())
    for due in reminders_due(today):
        key = {
            "user": due.user,
            "review": due.review,
            "kind": due.kind,
            "about": due.about,
            "due": due.due,
        }
        if dry_run:
            if Reminder.objects.filter(**key).exists():
                summary.already += 1
            else:
                summary.sent[due.kind] += 1
            continue
        try:
            with transaction.atomic():
                Reminder.objects.create(**key)
                notify(
                    review=due.review,
                    users=[due.user],
                    text=due.text,
                    subject=due.subject,
                    url=due.url,
                    params={"date": due.due, **due.params},
                )
        except IntegrityError:  # sent before, or by a run at the same moment
            summary.already += 1
        else:
            summary.sent[due.kind] += 1
    return summary
