"""The comparative report of a programme on screen: writing it, freezing, approving and
publishing it (every one-way step through its confirmation page, core/confirm.py). Its PDF
and DOCX are in reports/views/syntheses.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.approvals import ApprovalForm, FrozenVersion, record_decision
from core.confirm import Confirmation, confirm_page
from core.versioning import save_or_conflict
from reviews.access import get_programme
from syntheses.content import build_content
from syntheses.forms import AssignForm, ChapterForm, StatementForm
from syntheses.models import ComparativeReport, Statement, ensure_report, existing_report
from syntheses.services import (
    assign_chapters,
    decision_recorded,
    freeze_version,
    programme_leaders,
    publish_report,
    reopen_report,
)

CONFIRM = "syntheses/confirm.html"


def _report(request, programme: int, permission: str) -> ComparativeReport:
    """The programme's report if the user may open the programme (else 404) and holds
    `permission` on the report (else 403); 404 when nobody has opened it yet."""
    found = get_programme(request.user, programme, "reviews.see_programme")
    report = existing_report(found)
    if report is None:
        raise Http404
    if not request.user.has_perm(permission, report):
        raise PermissionDenied
    return report


def _home(report: ComparativeReport) -> str:
    return reverse("syntheses:report", args=[report.programme_id])


def _names(people) -> str:
    return ", ".join(p.name for p in people) or _("nobody yet")


def _confirm(request, report, confirmation: Confirmation, *, status: int = 200):
    return confirm_page(
        request, confirmation, template=CONFIRM, status=status, programme=report.programme
    )


@login_required
def home(request, programme: int):
    found = get_programme(request.user, programme, "reviews.see_programme")
    report = existing_report(found)
    user = request.user
    if report is None:
        if not user.has_perm("syntheses.open_report", found):
            raise Http404
        return render(request, "syntheses/start.html", {"programme": found})
    if not user.has_perm("syntheses.see_report", report):
        # A member of the programme learns that it is being written, and nothing of it.
        return render(request, "syntheses/not_yet.html", {"programme": found})
    if report.is_published and not user.has_perm("syntheses.see_draft", report):
        return redirect(
            "syntheses:version", programme=found.pk, version=report.final_version.number
        )
    chapters = list(report.chapters.select_related("group", "assignee"))
    pending = report.pending_version
    approvals = {a.peer_id: a for a in pending.approvals.all()} if pending else {}
    return render(
        request,
        "syntheses/report.html",
        {
            "programme": found,
            "report": report,
            "content": build_content(report),
            "editable": {c.pk for c in chapters if user.has_perm("syntheses.edit_chapter", c)},
            "assign_form": AssignForm(parts=chapters, people=programme_leaders(found))
            if user.has_perm("syntheses.compose", report) and not report.is_final
            else None,
            "pending": pending,
            "final": report.final_version,
            "approval_rows": [(p, approvals.get(p.pk)) for p in report.approvers()],
            "may_approve": user.has_perm("syntheses.approve", report),
            "may_compose": user.has_perm("syntheses.compose", report),
            "versions": report.versions.all(),
        },
    )


@require_POST
@login_required
def start(request, programme: int):
    found = get_programme(request.user, programme, "syntheses.open_report")
    ensure_report(found)
    messages.success(request, _("The comparative report is open, with a chapter per group."))
    return redirect("syntheses:report", programme=found.pk)


@require_POST
@login_required
def assign(request, programme: int):
    report = _report(request, programme, "syntheses.compose")
    chapters = list(report.chapters.select_related("group"))
    form = AssignForm(request.POST, parts=chapters, people=programme_leaders(report.programme))
    if not form.is_valid():
        messages.error(request, _("Choose a team leader of the programme, or nobody."))
        return redirect(_home(report))
    try:
        assign_chapters(report=report, chapters=form.assignments(), by=request.user)
    except ValidationError as error:  # published meanwhile: its authors can no longer change
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The chapters are assigned."))
    return redirect(_home(report))


def _chapter(request, programme: int, chapter: int):
    report = _report(request, programme, "syntheses.see_draft")
    found = get_object_or_404(report.chapters.select_related("group"), pk=chapter)
    found.report = report
    if not request.user.has_perm("syntheses.edit_chapter", found):
        raise PermissionDenied
    return report, found


def _superseded_note(request, version) -> None:
    """After a change: say that the version that was waiting is superseded."""
    if version is not None:
        messages.info(
            request,
            _(
                "Version %(n)s was waiting for approval: this change starts a new version, "
                "which the authors approve again."
            )
            % {"n": version.number},
        )


@login_required
def chapter_edit(request, programme: int, chapter: int):
    report, found = _chapter(request, programme, chapter)
    form = ChapterForm(request.POST or None, instance=found)
    context = {"programme": report.programme, "report": report, "chapter": found, "form": form}
    if request.method == "POST" and form.is_valid():
        pending = report.pending_version
        _saved, conflict = save_or_conflict(
            request, form, template="syntheses/chapter_form.html", context=context
        )
        if conflict:
            return conflict
        report.forget()
        _superseded_note(request, pending if report.pending_version is None else None)
        messages.success(request, _("The chapter is saved."))
        return redirect(_home(report))
    return render(request, "syntheses/chapter_form.html", context)


@login_required
def statement_edit(request, programme: int, chapter: int, statement: int | None = None):
    report, found = _chapter(request, programme, chapter)
    instance = (
        get_object_or_404(found.statements, pk=statement) if statement else Statement(chapter=found)
    )
    form = StatementForm(request.POST or None, instance=instance, programme=report.programme)
    context = {
        "programme": report.programme,
        "report": report,
        "chapter": found,
        "statement": instance,
        "form": form,
    }
    if request.method == "POST" and form.is_valid():
        pending = report.pending_version
        _saved, conflict = save_or_conflict(
            request, form, template="syntheses/statement_form.html", context=context
        )
        if conflict:
            return conflict
        _superseded_note(request, pending)
        messages.success(request, _("The statement is saved."))
        return redirect(_home(report))
    status = 400 if request.method == "POST" else 200
    return render(request, "syntheses/statement_form.html", context, status=status)


@login_required
def statement_delete(request, programme: int, chapter: int, statement: int):
    report, found = _chapter(request, programme, chapter)
    instance = get_object_or_404(found.statements, pk=statement)
    if request.method != "POST":
        return _confirm(
            request,
            report,
            Confirmation(
                title=_("Delete this statement?"),
                confirm_label=_("Delete the statement"),
                cancel_url=_home(report),
                items_label=_("What is deleted"),
                items=[f"{instance.get_kind_display()}: {instance.text[:200]}"],
                notes=[_("A version waiting for approval is superseded by the deletion.")]
                if report.pending_version
                else [],
                undo=_("Nobody can undo this; its history keeps the text."),
            ),
        )
    instance.delete()
    messages.success(request, _("The statement is deleted."))
    return redirect(_home(report))


def _content_counts(content: dict) -> str:
    chapters = content["chapters"]
    statements = sum(len(c["challenges"]) + len(c["advice"]) + len(c["examples"]) for c in chapters)
    practices = sum(len(c["practices"]) for c in chapters)
    return ", ".join(
        [
            ngettext("%(n)s chapter", "%(n)s chapters", len(chapters)) % {"n": len(chapters)},
            ngettext("%(n)s statement", "%(n)s statements", statements) % {"n": statements},
            ngettext("%(n)s good practice", "%(n)s good practices", practices) % {"n": practices},
        ]
    )


@login_required
def freeze(request, programme: int):
    report = _report(request, programme, "syntheses.compose")
    if request.method != "POST":
        number = (report.latest_version.number if report.latest_version else 0) + 1
        blockers = []
        if report.is_final:
            blockers.append(report.locked_message)
        elif report.pending_version is not None:
            blockers.append(
                _("Version %(n)s is already frozen and waiting for approvals.")
                % {"n": report.pending_version.number}
            )
        unassigned = [
            str(c.group) for c in report.chapters.select_related("group") if not c.assignee_id
        ]
        return _confirm(
            request,
            report,
            Confirmation(
                title=_("Freeze version %(n)s for approval?") % {"n": number},
                confirm_label=_("Freeze version %(n)s") % {"n": number},
                cancel_url=_home(report),
                lead=_(
                    "Version %(n)s is a snapshot of the report as it stands now. Every "
                    "assigned author then approves it or comments: %(names)s."
                )
                % {"n": number, "names": _names(report.approvers())},
                items_label=_("What is frozen"),
                items=[_content_counts(build_content(report))],
                missing=[_("%(chapter)s has no author.") % {"chapter": c} for c in unassigned],
                notes=[
                    _(
                        "Any change to the text afterwards supersedes version %(n)s and clears "
                        "its approvals."
                    )
                    % {"n": number}
                ],
                undo=_("Freezing makes nothing final: the authors can go on writing."),
                blockers=blockers,
                danger=False,
            ),
        )
    try:
        version = freeze_version(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(_home(report))
    messages.success(
        request,
        _("Version %(n)s is frozen. Every author now approves it or comments.")
        % {"n": version.number},
    )
    return redirect(_home(report))


@login_required
def version_read(request, programme: int, version: int):
    found = get_programme(request.user, programme, "reviews.see_programme")
    report = existing_report(found)
    if report is None:
        raise Http404
    instance = get_object_or_404(report.versions.select_related("frozen_by"), number=version)
    may_draft = request.user.has_perm("syntheses.see_draft", report)
    if not (may_draft or (report.is_published and instance.state == FrozenVersion.FINAL)):
        raise PermissionDenied
    return render(
        request,
        "syntheses/version.html",
        {
            "programme": found,
            "report": report,
            "version": instance,
            "content": instance.content,
            "approvals": instance.approvals.select_related("peer") if may_draft else (),
            # The notification "waits for your approval" opens this page: the way to decide.
            "may_decide": instance.state == FrozenVersion.FROZEN
            and request.user.has_perm("syntheses.approve", report),
        },
    )


@login_required
def approve(request, programme: int, version: int):
    report = _report(request, programme, "syntheses.see_draft")
    instance = get_object_or_404(report.versions, number=version)
    form = ApprovalForm(request.POST or None)
    blockers = []
    if instance.state != FrozenVersion.FROZEN:
        blockers.append(
            _(
                "Version %(n)s no longer waits for approval: the text changed, or it is "
                "published. Nothing is recorded; copy your comment to use it on the next version."
            )
            % {"n": instance.number}
        )
    elif not request.user.has_perm("syntheses.approve", report):
        raise PermissionDenied
    confirmation = Confirmation(
        title=_("Approve version %(n)s, or comment?") % {"n": instance.number},
        confirm_label=_("Record my decision"),
        cancel_url=reverse("syntheses:version", args=[report.programme_id, instance.number]),
        lead=_(
            "Every assigned author approves the version or says what should change. Any "
            "change to the text afterwards clears the approvals."
        ),
        items=[_("Comment: %(text)s") % {"text": request.POST.get("comment", "")}]
        if blockers and request.POST.get("comment")
        else [],
        items_label=_("What you wrote"),
        undo=_("You can change your decision while the version waits for approval."),
        form=form,
        blockers=blockers,
        danger=False,
    )
    if blockers:
        return _confirm(request, report, confirmation, status=409)
    if request.method != "POST" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return _confirm(request, report, confirmation, status=status)
    approval = record_decision(request, version=instance, form=form)
    decision_recorded(version=instance, approval=approval, by=request.user)
    return redirect(_home(report))


@login_required
def publish(request, programme: int):
    report = _report(request, programme, "syntheses.publish")
    if request.method != "POST":
        pending = report.pending_version
        blockers = (
            [_("The comparative report is published already.")]
            if report.is_published
            else report.missing_for_publication()
        )
        return _confirm(
            request,
            report,
            Confirmation(
                title=_("Publish the comparative report?"),
                confirm_label=_("Publish to the network"),
                cancel_url=_home(report),
                lead=_(
                    "The approved version becomes final and is linked from the public network "
                    "page, for anyone to read and download."
                ),
                items_label=_("What is published"),
                items=[
                    _("Version %(n)s, approved by %(names)s")
                    % {"n": pending.number, "names": _names(report.approvers())},
                    _content_counts(pending.content),
                ]
                if pending and not blockers
                else [],
                undo=_("A coordinator can take it off the network page again (reopen)."),
                blockers=blockers,
                danger=False,
            ),
        )
    try:
        version = publish_report(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(_home(report))
    messages.success(
        request, _("Version %(n)s of the comparative report is published.") % {"n": version.number}
    )
    return redirect(_home(report))


@login_required
def reopen(request, programme: int):
    report = _report(request, programme, "syntheses.publish")
    if request.method != "POST":
        version = report.final_version
        return _confirm(
            request,
            report,
            Confirmation(
                title=_("Reopen the comparative report?"),
                confirm_label=_("Reopen the report"),
                cancel_url=_home(report),
                lead=_(
                    "The report leaves the public network page. Its version waits for approval "
                    "again, with the approvals it had; any change to the text starts a new "
                    "version, which the authors approve again."
                ),
                items_label=_("What changes"),
                items=[_("Version %(n)s: published → waiting for approval") % {"n": version.number}]
                if version
                else [],
                undo=_("Publish it again when the authors have approved."),
                blockers=[] if version else [_("The comparative report is not published.")],
            ),
        )
    try:
        reopen_report(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(_home(report))
    messages.success(request, _("The comparative report is reopened."))
    return redirect(_home(report))
