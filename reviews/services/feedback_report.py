"""Step 7, the feedback report: its transitions and who hears of them.

Views call these functions and never send notifications themselves. `ensure_report` (the
report's rows, created when the team starts the report; POST handlers only) lives with the
model and is re-exported here.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from reviews.models import FactualComment, FeedbackReport, ReportVersion, Review
from reviews.models.feedback_report import ensure_report
from reviews.services.notifications import notify_after_commit
from reviews.services.report_content import build_content
from reviews.signals import report_final, report_reopened
from reviews.steps import COORDINATOR, HOST, TEAM_ROLES

__all__ = ["ensure_report"]


def _report_url(name: str, review: Review, *args) -> str:
    return reverse(f"reviews:{name}", args=[review.pk, *args])


@transaction.atomic
def assign_sections(*, report: FeedbackReport, summary, sections: dict, by) -> None:
    """Who writes the summary and each section (`sections`: {section: person or None});
    the people newly asked hear of it."""
    review = report.review
    newly = set()
    if summary and summary.pk != report.summary_assignee_id:
        newly.add(summary)
    report.summary_assignee = summary
    report.save(update_fields=["summary_assignee"])
    for section, person in sections.items():
        if person and person.pk != section.assignee_id:
            newly.add(person)
        section.assignee = person
        section.save(update_fields=["assignee"])
    newly.discard(by)
    notify_after_commit(
        review=review,
        users=sorted(newly, key=lambda p: p.pk),
        url=_report_url("report", review),
        text=gettext_noop("You are asked to write part of the report on %(review)s."),
        subject=gettext_noop("Your part of the report: %(review)s"),
    )


@transaction.atomic
def freeze_version(*, report: FeedbackReport, by) -> ReportVersion:
    """Freeze the report as it stands into a version every peer approves (ValidationError
    when it cannot be frozen)."""
    review = report.review
    version = report.freeze(by=by, content=build_content(review, report))
    notify_after_commit(
        review=review,
        users=[p for p in review.members(*TEAM_ROLES, active=True) if p != by],
        url=_report_url("report_version", review, version.number),
        text=gettext_noop("A version of the report on %(review)s waits for your approval."),
        subject=gettext_noop("Report to approve: %(review)s"),
    )
    return version


def decision_recorded(*, version: ReportVersion, approval, by) -> None:
    """Whoever froze the version hears of a peer's comment at once, and of the approvals once
    every peer has approved: then it can go to the host city for the factual check."""
    review = version.report.review
    if version.frozen_by is None or version.frozen_by == by:
        return
    if not approval.approves:
        notify_after_commit(
            review=review,
            users=[version.frozen_by],
            url=_report_url("report_version", review, version.number),
            text=gettext_noop("%(who)s commented on version %(n)s of the report on %(review)s."),
            subject=gettext_noop("Comment on the report: %(review)s"),
            params={"who": str(by), "n": version.number},
        )
    elif not version.waiting_for():
        notify_after_commit(
            review=review,
            users=[version.frozen_by],
            url=_report_url("report_factual_open", review),
            text=gettext_noop(
                "Every peer approved version %(n)s of the report on %(review)s: it can go to "
                "the host city for the factual check."
            ),
            subject=gettext_noop("Report approved: %(review)s"),
            params={"n": version.number},
        )


@transaction.atomic
def add_factual_comment(*, report: FeedbackReport, form, by) -> FactualComment:
    """The host city's comment on a fact in the version sent for the round."""
    review = report.review
    form.instance.report = report
    form.instance.version = report.factual_round_version
    form.instance.author = by
    comment = form.save()
    notify_after_commit(
        review=review,
        users=review.members(*TEAM_ROLES, active=True),
        url=_report_url("report_factual", review),
        text=gettext_noop("The host city commented on a fact in the report on %(review)s."),
        subject=gettext_noop("Factual comment: %(review)s"),
    )
    return comment


@transaction.atomic
def open_factual_round(*, report: FeedbackReport) -> None:
    """Send the approved version to the host city for its factual-accuracy round."""
    review = report.review
    report.open_factual_round()
    notify_after_commit(
        review=review,
        users=review.members(HOST, active=True),
        url=_report_url("report_factual", review),
        text=gettext_noop(
            "The peer review team asks you to check the facts in its report on %(review)s."
        ),
        subject=gettext_noop("Check the facts: %(review)s"),
    )


@transaction.atomic
def finalise_report(*, report: FeedbackReport, by) -> ReportVersion:
    """Make the approved, fact-checked version final (ValidationError lists what is missing)."""
    review = report.review
    version = report.make_final(by=by)
    report_final.send(sender=FeedbackReport, version=version)
    notify_after_commit(
        review=review,
        users=review.members(COORDINATOR, active=True),
        url=_report_url("report_final", review),
        text=gettext_noop("The report on %(review)s is final and can be published."),
        subject=gettext_noop("Report final: %(review)s"),
    )
    return version


@transaction.atomic
def publish_report(*, report: FeedbackReport, by) -> None:
    """Publish the final version to the host city (and set the progress checkpoints)."""
    review = report.review
    report.publish(by=by)
    report_final.send(sender=FeedbackReport, version=report.final_version)
    notify_after_commit(
        review=review,
        users=review.members(HOST, *TEAM_ROLES, active=True),
        url=_report_url("report_final", review),
        text=gettext_noop(
            "The report on %(review)s is published. The host city now answers each recommendation."
        ),
        subject=gettext_noop("Report published: %(review)s"),
    )


@transaction.atomic
def reopen_final_report(*, report: FeedbackReport, by) -> ReportVersion:
    """Undo "make final" before publication; the team hears that the text may change again."""
    review = report.review
    version = report.reopen_final()
    report_reopened.send(sender=FeedbackReport, version=version)
    notify_after_commit(
        review=review,
        users=[p for p in review.members(*TEAM_ROLES, active=True) if p != by],
        url=_report_url("report", review),
        text=gettext_noop("The report on %(review)s is no longer final: it can change again."),
        subject=gettext_noop("Report reopened: %(review)s"),
    )
    return version
