"""The comparative report's transitions and who hears of them (views call these, and never
send notifications themselves). Everyone hears in their own language, on their dashboard
and by e-mail, once the change has been committed."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from reviews.services.notifications import notify_after_commit
from reviews.signals import report_final, report_reopened
from reviews.steps import TEAM_LEADER
from syntheses.content import build_content
from syntheses.models import ComparativeReport, ComparativeVersion


def programme_leaders(programme) -> list:
    """The team leaders of the programme's reviews: the people chapters go to."""
    return list(
        get_user_model()
        .objects.filter(memberships__role=TEAM_LEADER, memberships__review__programme=programme)
        .distinct()
        .order_by("name", "pk")
    )


def _tell(report: ComparativeReport, users, *, url: str, text: str, subject: str, **params):
    notify_after_commit(
        review=None,
        users=sorted({p.pk: p for p in users if p is not None}.values(), key=lambda p: p.pk),
        url=url,
        text=text,
        subject=subject,
        params={"programme": report.programme.name, **params},
    )


def _home(report: ComparativeReport) -> str:
    return reverse("syntheses:report", kwargs={"programme": report.programme_id})


def _version_url(version: ComparativeVersion) -> str:
    return reverse("syntheses:version", args=[version.report.programme_id, version.number])


@transaction.atomic
def assign_chapters(*, report: ComparativeReport, chapters: dict, by=None) -> None:
    """Who writes each chapter (`chapters`: {chapter: person or None}). Assigning changes
    who approves, so a waiting version is superseded when anyone changes. The people newly
    asked hear of it."""
    changed = [(c, p) for c, p in chapters.items() if (p.pk if p else None) != c.assignee_id]
    if changed:
        report.guard_change()
    for chapter, person in changed:
        chapter.assignee = person
        chapter.save(update_fields=["assignee"])
    _tell(
        report,
        [person for _chapter, person in changed if person is not None and person != by],
        url=_home(report),
        text=gettext_noop(
            "You are asked to write a chapter of the comparative report of %(programme)s."
        ),
        subject=gettext_noop("Your chapter of the comparative report: %(programme)s"),
    )


@transaction.atomic
def freeze_version(*, report: ComparativeReport, by) -> ComparativeVersion:
    """Freeze the report as it stands into a version every author approves; they hear of it."""
    version = report.freeze(by=by, content=build_content(report))
    _tell(
        report,
        [p for p in report.approvers() if p != by],
        url=_version_url(version),
        text=gettext_noop(
            "Version %(n)s of the comparative report of %(programme)s waits for your approval."
        ),
        subject=gettext_noop("Comparative report to approve: %(programme)s"),
        n=version.number,
    )
    return version


def decision_recorded(*, version: ComparativeVersion, approval, by) -> None:
    """Whoever froze the version hears of a comment at once, and of the approvals once every
    author has approved: then the report can be published."""
    report = version.report
    if version.frozen_by is None or version.frozen_by == by:
        return
    if not approval.approves:
        _tell(
            report,
            [version.frozen_by],
            url=_version_url(version),
            text=gettext_noop(
                "%(who)s commented on version %(n)s of the comparative report of %(programme)s."
            ),
            subject=gettext_noop("Comment on the comparative report: %(programme)s"),
            n=version.number,
            who=str(by),
        )
    elif not version.waiting_for():
        _tell(
            report,
            [version.frozen_by],
            url=reverse("syntheses:publish", kwargs={"programme": report.programme_id}),
            text=gettext_noop(
                "Every author approved version %(n)s of the comparative report of "
                "%(programme)s: it can be published."
            ),
            subject=gettext_noop("Comparative report approved: %(programme)s"),
            n=version.number,
        )


@transaction.atomic
def publish_report(*, report: ComparativeReport, by) -> ComparativeVersion:
    """The approved version becomes final and public; its authors hear of it."""
    version = report.publish(by=by)
    report_final.send(sender=ComparativeReport, version=version)  # reports stores its PDF
    _tell(
        report,
        [p for p in report.approvers() if p != by],
        url=_home(report),
        text=gettext_noop(
            "The comparative report of %(programme)s is published on the network page."
        ),
        subject=gettext_noop("Comparative report published: %(programme)s"),
    )
    return version


@transaction.atomic
def reopen_report(*, report: ComparativeReport, by) -> ComparativeVersion:
    """Take the report off the network page; its authors hear that it can change again."""
    version = report.reopen()
    report_reopened.send(sender=ComparativeReport, version=version)  # its stored PDF goes
    _tell(
        report,
        [p for p in report.approvers() if p != by],
        url=_home(report),
        text=gettext_noop(
            "The comparative report of %(programme)s is reopened: it is off the network page "
            "and can change again."
        ),
        subject=gettext_noop("Comparative report reopened: %(programme)s"),
    )
    return version
