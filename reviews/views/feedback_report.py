"""Step 7 after the visit: the team writes the feedback report section by section, freezes a
version that every peer approves, runs the host city's factual-accuracy round, makes it
final; the coordinator publishes it and the team leader records the presentation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.approvals import record_decision
from core.confirm import Confirmation, confirm_page
from core.limits import posts_left
from core.versioning import save_or_conflict
from reviews.access import review_view
from reviews.forms.feedback_report import (
    ApprovalForm,
    AssignForm,
    FactualAnswerForm,
    FactualCommentForm,
    FindingForm,
    PresentationForm,
    RecommendationForm,
    ReportSectionForm,
    SummaryForm,
)
from reviews.models import (
    Evidence,
    FactualComment,
    Finding,
    Recommendation,
    ReportVersion,
    Review,
)
from reviews.models.feedback_report import FeedbackReport, ReportLocked, existing_report
from reviews.services.feedback_report import (
    add_factual_comment,
    assign_sections,
    decision_recorded,
    ensure_report,
    finalise_report,
    freeze_version,
    open_factual_round,
    publish_report,
    reopen_final_report,
)
from reviews.services.report_content import all_recommendations
from reviews.steps import HOST


def _sections(report):
    return report.sections.select_related("group", "assignee")


def _report_or_404(review: Review) -> FeedbackReport:
    """The started report; pages and actions on its parts need one (reading never makes it)."""
    report = existing_report(review)
    if report is None:
        raise Http404
    return report


def _report_home(review: Review) -> str:
    return reverse("reviews:report", args=[review.pk])


def _confirm(request, review: Review, confirmation: Confirmation, *, status: int = 200):
    """A confirmation page under the report in the breadcrumbs."""
    return confirm_page(
        request,
        confirmation,
        template="reviews/confirm.html",
        status=status,
        review=review,
        parent_url=_report_home(review),
        parent_label=_("Feedback report"),
    )


def _names(people) -> str:
    return ", ".join(p.name for p in people) or "–"


def _pending_note(report) -> list[str]:
    pending = report.pending_version
    if pending is None:
        return []
    return [
        _(
            "Version %(n)s waits for approval: this change starts a new version, which the "
            "team approves again."
        )
        % {"n": pending.number}
    ]


@review_view("reviews.see_report_draft")
def home(request, review: Review):
    return _home(request, review)


def _home(request, review: Review, *, approval_form=None, assign_form=None, status=200):
    """The composer's front page; forms that failed validation are shown again in it."""
    user = request.user
    report = existing_report(review)
    if report is None:
        return render(
            request,
            "reviews/feedback_report/start.html",
            {"review": review, "can_compose": user.has_perm("reviews.compose_report", review)},
        )
    team = report.team()
    # The summary's writer is one of the team, already loaded: no query for the name.
    writer = next((p for p in team if p.pk == report.summary_assignee_id), None)
    if writer is not None:
        report.summary_assignee = writer
    comments = report.factual_comments.aggregate(
        total=Count("pk"), unanswered=Count("pk", filter=Q(answer=""))
    )
    sections = list(
        _sections(report).prefetch_related("findings", "recommendations").order_by("order", "pk")
    )
    pending = report.pending_version
    approvals = {}
    if pending:
        approvals = {a.peer_id: a for a in pending.approvals.all()}
    # Groups taken into scope after the report was started get their sections on request.
    unwritten = review.groups_in_scope().exclude(pk__in=[s.group_id for s in sections])
    return render(
        request,
        "reviews/feedback_report/home.html",
        {
            "review": review,
            "report": report,
            "sections": sections,
            "unwritten": list(unwritten),
            "pending": pending,
            "final": report.final_version,
            "versions": list(report.versions.select_related("frozen_by")),
            "approval_rows": [(p, approvals.get(p.pk)) for p in team],
            "my_approval": approvals.get(user.pk),
            "approval_form": approval_form
            or (ApprovalForm() if user.has_perm("reviews.approve_report", review) else None),
            "assign_form": assign_form
            or (
                AssignForm(report=report, sections=sections, team=team)
                if user.has_perm("reviews.assign_sections", review)
                else None
            ),
            "can_compose": user.has_perm("reviews.compose_report", review),
            "can_freeze": user.has_perm("reviews.freeze_report", review),
            "can_finalise": user.has_perm("reviews.finalise_report", review),
            "can_run_round": user.has_perm("reviews.run_factual_round", review),
            "can_publish": user.has_perm("reviews.publish_report", review),
            "can_reopen": user.has_perm("reviews.reopen_report", review),
            "can_choose_annex": user.has_perm("reviews.choose_report_annex", review),
            "missing_for_final": report.missing_for_final() if pending else [],
            "unanswered": comments["unanswered"],
            "comments": comments["total"],
        },
        status=status,
    )


def _edit_page(
    request,
    review,
    template,
    context,
    form,
    *,
    saved_message,
    next_url,
    permission="reviews.compose_report",
):
    """The shared GET/POST of a versioned form; the conflict page on a stale version."""
    context.update({"review": review, "form": form})
    user = request.user
    if not user.has_perm(permission, review):
        if request.method == "POST" and user.has_perm("reviews.was_composing", review):
            # The report became final while this person wrote: nothing is saved, and what
            # they typed stays on the page for them to keep elsewhere.
            form.is_valid()
            context["locked_out"] = True
            return render(request, template, context, status=409)
        raise PermissionDenied
    report = context.get("report")
    pending = report.pending_version if report is not None else None
    if request.method == "POST" and form.is_valid():
        try:
            _saved, conflict = save_or_conflict(request, form, template=template, context=context)
        except ReportLocked as locked:
            messages.error(request, locked.messages[0])
            return redirect(_report_home(review))
        if conflict:
            return conflict
        messages.success(request, saved_message)
        if pending is not None:
            messages.warning(
                request,
                _(
                    "Version %(n)s was waiting for approval: this change starts a new version, "
                    "which the team approves again."
                )
                % {"n": pending.number},
            )
        return redirect(next_url)
    return render(request, template, context, status=400 if form.errors else 200)


@require_POST
@review_view("reviews.compose_report")
def start(request, review: Review):
    """The report and a section for every group in scope (the groups added to the scope
    since, when it exists)."""
    ensure_report(review)
    messages.success(request, _("The report has a section for every group in scope."))
    return redirect(_report_home(review))


@review_view("reviews.see_report_draft")
def summary_edit(request, review: Review):
    report = _report_or_404(review)
    form = SummaryForm(request.POST or None, instance=report)
    return _edit_page(
        request,
        review,
        "reviews/feedback_report/summary_form.html",
        {"report": report, "conclusions": review.conclusions.all()},
        form,
        saved_message=_("The summary is saved."),
        next_url=_report_home(review),
    )


@review_view("reviews.see_report_draft")
def section_edit(request, review: Review, section: int):
    report = _report_or_404(review)
    instance = get_object_or_404(_sections(report), pk=section)
    can_compose = request.user.has_perm("reviews.compose_report", review)
    writing = can_compose or request.method == "POST"  # a POST too late is kept on screen
    form = ReportSectionForm(request.POST or None, instance=instance) if writing else None
    findings = list(
        instance.findings.prefetch_related(
            Prefetch(
                "evidence",
                # author: an entry without interviewers is signed by its author.
                queryset=Evidence.objects.select_related("session", "author").prefetch_related(
                    "indicators", "interviewers"
                ),
            )
        )
    )
    context = {
        "report": report,
        "section": instance,
        "can_compose": can_compose,
        "findings": findings,
        "recommendations": list(instance.recommendations.prefetch_related("indicators")),
        "evaluations": review.evaluations.filter(indicator__group=instance.group)
        .select_related("indicator", "rating")
        .order_by("indicator__number"),
    }
    if form is None:
        context["review"] = review
        return render(request, "reviews/feedback_report/section.html", context)
    return _edit_page(
        request,
        review,
        "reviews/feedback_report/section.html",
        context,
        form,
        saved_message=_("The evaluation of %(group)s is saved.") % {"group": instance.group.code},
        next_url=reverse("reviews:report_section", args=[review.pk, instance.pk]),
    )


def _row_edit(request, review, section, model, form_class, pk, *, titles, help_text, saved_message):
    """Add or edit a finding or a recommendation; `titles` is (add, edit)."""
    report = _report_or_404(review)
    parent = get_object_or_404(_sections(report), pk=section)
    instance = get_object_or_404(model.objects.filter(section=parent), pk=pk) if pk else None
    form = form_class(request.POST or None, instance=instance, section=parent)
    if instance is None:
        form.instance.order = model.objects.filter(section=parent).count()
    return _edit_page(
        request,
        review,
        "reviews/feedback_report/row_form.html",
        {
            "report": report,
            "section": parent,
            "instance": instance,
            "title": titles[instance is not None],
            "help_text": help_text,
        },
        form,
        saved_message=saved_message,
        next_url=reverse("reviews:report_section", args=[review.pk, parent.pk]),
    )


@review_view("reviews.see_report_draft")
def finding_edit(request, review: Review, section: int, finding: int | None = None):
    return _row_edit(
        request,
        review,
        section,
        Finding,
        FindingForm,
        finding,
        titles=(_("Add a finding"), _("Edit a finding")),
        help_text=_(
            "A strength, a weakness with the obstacles behind it, or a good practice other "
            "cities can learn from. Cite the evidence: only facts confirmed by two or more "
            "interviews count."
        ),
        saved_message=_("The finding is saved."),
    )


@review_view("reviews.see_report_draft")
def recommendation_edit(request, review: Review, section: int, rec: int | None = None):
    return _row_edit(
        request,
        review,
        section,
        Recommendation,
        RecommendationForm,
        rec,
        titles=(_("Add a recommendation"), _("Edit a recommendation")),
        help_text=_(
            "Make it SMART: specific, measurable, accepted by who must act, realistic, and "
            "tied to a time."
        ),
        saved_message=_("The recommendation is saved."),
    )


def _row_delete(request, review, section, model, pk, *, describe):
    """GET: what removing the finding or recommendation takes away; POST: remove it."""
    report = _report_or_404(review)
    parent = get_object_or_404(_sections(report).select_related("report"), pk=section)
    instance = get_object_or_404(model.objects.filter(section=parent), pk=pk)
    title, name, items = describe(instance, parent)
    section_url = reverse("reviews:report_section", args=[review.pk, parent.pk])
    if request.method != "POST":
        return confirm_page(
            request,
            Confirmation(
                title=title,
                confirm_label=_("Remove it"),
                cancel_url=section_url,
                items_label=_("What is removed"),
                items=items,
                notes=_pending_note(report),
                undo=_(
                    "This cannot be undone: write it again if it is needed. Versions frozen "
                    "before keep it as it was."
                ),
            ),
            template="reviews/confirm.html",
            review=review,
            parent_url=section_url,
            parent_label=parent.group.code,
        )
    try:
        instance.delete()
    except ReportLocked as locked:
        messages.error(request, locked.messages[0])
    else:
        messages.success(
            request,
            _("Removed %(what)s from %(section)s.") % {"what": name, "section": parent.group},
        )
    return redirect(section_url)


def _finding(finding: Finding, section):
    text = Truncator(finding.text).words(12)
    cited = finding.evidence.count()
    items = [
        _("%(kind)s in %(section)s: %(text)s")
        % {"kind": finding.get_kind_display(), "section": section.group, "text": finding.text},
        ngettext(
            "It cites %(n)s evidence entry; the entry stays in the evidence.",
            "It cites %(n)s evidence entries; the entries stay in the evidence.",
            cited,
        )
        % {"n": cited},
    ]
    name = _("the finding “%(text)s”") % {"text": text}
    return _("Remove this finding?"), name, items


def _recommendation(rec: Recommendation, section):
    codes = [i.code for i in rec.indicators.all()]
    items = [
        _("Recommendation %(n)s in %(section)s: %(text)s")
        % {"n": rec.number, "section": section.group, "text": rec.text},
        _("Who acts: %(actor)s; indicators: %(codes)s")
        % {"actor": rec.actor, "codes": ", ".join(codes) or "–"},
    ]
    name = _("recommendation %(n)s") % {"n": rec.number}
    return _("Remove recommendation %(n)s?") % {"n": rec.number}, name, items


@review_view("reviews.compose_report")
def finding_delete(request, review: Review, section: int, finding: int):
    return _row_delete(request, review, section, Finding, finding, describe=_finding)


@review_view("reviews.compose_report")
def recommendation_delete(request, review: Review, section: int, rec: int):
    return _row_delete(request, review, section, Recommendation, rec, describe=_recommendation)


@require_POST
@review_view("reviews.assign_sections")
def assign(request, review: Review):
    report = ensure_report(review)
    sections = list(_sections(report))
    form = AssignForm(request.POST, report=report, sections=sections, team=report.team())
    if not form.is_valid():
        return _home(request, review, assign_form=form, status=400)
    assign_sections(
        report=report,
        summary=form.person("summary"),
        sections={section: form.person(f"s{section.pk}") for section in sections},
        by=request.user,
    )
    messages.success(request, _("Who writes what is saved."))
    return redirect(_report_home(review))


def _freezing(review: Review, report) -> Confirmation:
    sections = list(
        _sections(report)
        .annotate(n_findings=Count("findings", distinct=True))
        .annotate(n_recs=Count("recommendations", distinct=True))
        .order_by("order", "pk")
    )
    number = (report.latest_version.number if report.latest_version else 0) + 1
    items = [_("Summary: written") if report.summary else _("Summary: empty")]
    missing = [] if report.summary else [_("The summary is empty.")]
    for section in sections:
        items.append(
            _("%(section)s: %(evaluation)s, %(findings)s, %(recs)s")
            % {
                "section": section.group,
                "evaluation": _("evaluation written") if section.evaluation else _("no evaluation"),
                "findings": ngettext("%(n)s finding", "%(n)s findings", section.n_findings)
                % {"n": section.n_findings},
                "recs": ngettext("%(n)s recommendation", "%(n)s recommendations", section.n_recs)
                % {"n": section.n_recs},
            }
        )
        if not section.evaluation:
            missing.append(_("%(section)s has no evaluation yet.") % {"section": section.group})
    blockers = []
    if report.is_final:
        blockers.append(_("The report is final; its text can no longer change."))
    elif report.pending_version is not None:
        blockers.append(
            _("Version %(n)s is already frozen and waiting for approvals.")
            % {"n": report.pending_version.number}
        )
    return Confirmation(
        title=_("Freeze version %(n)s for approval?") % {"n": number},
        confirm_label=_("Freeze version %(n)s") % {"n": number},
        cancel_url=_report_home(review),
        lead=_(
            "Version %(n)s is a snapshot of the report as it stands now. Every peer of the "
            "team then approves it or comments: %(names)s."
        )
        % {"n": number, "names": _names(report.team())},
        items_label=_("What is frozen"),
        items=items,
        missing=missing,
        notes=[
            _(
                "Any change to the text afterwards supersedes version %(n)s and clears its "
                "approvals."
            )
            % {"n": number}
        ],
        undo=_("Freezing makes nothing final: the team can go on writing."),
        blockers=blockers,
        danger=False,
    )


@review_view("reviews.freeze_report")
def freeze(request, review: Review):
    report = _report_or_404(review)
    if request.method != "POST":
        return _confirm(request, review, _freezing(review, report))
    try:
        version = freeze_version(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(_report_home(review))
    messages.success(
        request,
        _("Version %(n)s is frozen. Every peer now approves it or comments.")
        % {"n": version.number},
    )
    return redirect(_report_home(review))


def _version(review: Review, number: int) -> ReportVersion:
    report = _report_or_404(review)
    return get_object_or_404(report.versions.select_related("frozen_by"), number=number)


@review_view("reviews.see_report_draft")
def version_read(request, review: Review, version: int):
    instance = _version(review, version)
    return render(
        request,
        "reviews/feedback_report/version.html",
        {
            "review": review,
            "version": instance,
            "content": instance.content,
            "approvals": instance.approvals.select_related("peer"),
            # The notification "waits for your approval" opens this page: the way to decide.
            "may_decide": instance.state == ReportVersion.FROZEN
            and request.user.has_perm("reviews.approve_report", review),
        },
    )


@require_POST
@review_view("reviews.decide_on_versions")
def approve(request, review: Review, version: int):
    instance = _version(review, version)
    form = ApprovalForm(request.POST)
    if instance.state != ReportVersion.FROZEN:
        # The text changed while this peer decided: nothing is recorded, and their comment
        # stays on screen to use on the next version.
        form.is_valid()
        return render(
            request,
            "reviews/feedback_report/approval_late.html",
            {"review": review, "version": instance, "comment": request.POST.get("comment", "")},
            status=409,
        )
    if not form.is_valid():
        return _home(request, review, approval_form=form, status=400)
    approval = record_decision(request, version=instance, form=form)
    decision_recorded(version=instance, approval=approval, by=request.user)
    return redirect(_report_home(review))


# --- the factual-accuracy round -----------------------------------------------------------


@review_view("reviews.see_factual_round")
def factual(request, review: Review):
    report = existing_report(review)  # None before the report is started: no round yet
    version = report.factual_round_version if report else None
    user = request.user
    can_comment = user.has_perm("reviews.comment_factual", review)
    can_answer = user.has_perm("reviews.answer_factual", review)
    form = None
    status = 200
    if version is not None and can_comment:
        form = FactualCommentForm(request.POST or None, content=version.content)
    if request.method == "POST":
        if form is None and version is not None and user.has_perm("reviews.was_commenting", review):
            # The round closed while the host wrote: nothing is sent, the text stays here.
            form = FactualCommentForm(request.POST, content=version.content)
            form.add_error(
                None, _("The round closed while you were writing: your comment was not sent.")
            )
            status = 409
        elif form is None:
            raise PermissionDenied
        elif not posts_left(
            FactualComment.objects.all(), author_field="author", user=user, time_field="created_at"
        ):
            form.add_error(
                None, _("You have posted many comments in the last hour; wait a little.")
            )
        if status == 200 and form.is_valid():
            add_factual_comment(report=report, form=form, by=user)
            messages.success(request, _("Your comment is sent to the team."))
            return redirect("reviews:report_factual", pk=review.pk)
        status = max(status, 400)
    comments = (
        list(report.factual_comments.select_related("author", "answered_by")) if report else []
    )
    sections = {s["key"]: s["name"] for s in version.content["sections"]} if version else {}
    rows = [
        {
            "comment": c,
            "section": _("Summary")
            if c.section_key == FactualComment.SUMMARY
            else f"{c.section_key} {sections.get(c.section_key, '')}",
            "form": FactualAnswerForm(instance=c, prefix=f"a{c.pk}") if can_answer else None,
        }
        for c in comments
    ]
    return render(
        request,
        "reviews/feedback_report/factual.html",
        {
            "review": review,
            "report": report,
            "version": version,
            "content": version.content if version else None,
            "form": form,
            "rows": rows,
            "can_run_round": user.has_perm("reviews.run_factual_round", review),
            "is_host": not can_answer,
        },
        status=status,
    )


def _factual_url(review: Review) -> str:
    return reverse("reviews:report_factual", args=[review.pk])


@review_view("reviews.run_factual_round")
def factual_open(request, review: Review):
    report = _report_or_404(review)
    if request.method != "POST":
        pending = report.pending_version
        number = pending.number if pending else "–"
        hosts = review.members(HOST)
        return _confirm(
            request,
            review,
            Confirmation(
                title=_("Send version %(n)s to the host city?") % {"n": number},
                confirm_label=_("Send it to the host city"),
                cancel_url=_report_home(review),
                lead=_(
                    "The host city reads version %(n)s and points out factual errors per "
                    "section until the team leader closes the round."
                )
                % {"n": number},
                items_label=_("Who reads it"),
                items=[_("The host city: %(names)s") % {"names": _names(hosts)}],
                notes=[
                    _(
                        "The host city sees this version and the comments only: not the "
                        "drafts, the evidence or the approvals. The host members are told "
                        "by e-mail."
                    )
                ],
                undo=_(
                    "The team leader can close the round at any time, and open it again "
                    "while this version waits to become final."
                ),
                blockers=report.missing_for_factual_round(),
                danger=False,
            ),
        )
    try:
        open_factual_round(report=report)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(_report_home(review))
    messages.success(
        request,
        _("Version %(n)s is sent: the host city can now comment on factual errors.")
        % {"n": report.factual_round_version.number},
    )
    return redirect("reviews:report_factual", pk=review.pk)


@review_view("reviews.run_factual_round")
def factual_close(request, review: Review):
    report = _report_or_404(review)
    if request.method != "POST":
        comments = report.factual_comments.aggregate(
            total=Count("pk"), unanswered=Count("pk", filter=Q(answer=""))
        )
        return _confirm(
            request,
            review,
            Confirmation(
                title=_("Close the factual-accuracy round?"),
                confirm_label=_("Close the round"),
                cancel_url=_factual_url(review),
                lead=_("The host city can no longer comment on the version it was sent."),
                items_label=_("Comments so far"),
                items=[
                    ngettext(
                        "%(n)s comment from the host city",
                        "%(n)s comments from the host city",
                        comments["total"],
                    )
                    % {"n": comments["total"]},
                    ngettext(
                        "%(n)s not answered yet", "%(n)s not answered yet", comments["unanswered"]
                    )
                    % {"n": comments["unanswered"]},
                ],
                notes=[_("The team answers every comment before the report can be final.")],
                undo=_(
                    "The team leader can open the round again while the version waits to "
                    "become final."
                ),
                blockers=[]
                if report.factual_round_open
                else [_("The factual-accuracy round is not open.")],
                danger=False,
            ),
        )
    try:
        report.close_factual_round()
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The factual-accuracy round is closed."))
    return redirect("reviews:report_factual", pk=review.pk)


@require_POST
@review_view("reviews.decide_on_versions")
def factual_answer(request, review: Review, comment: int):
    report = _report_or_404(review)
    instance = get_object_or_404(report.factual_comments, pk=comment)
    form = FactualAnswerForm(request.POST, instance=instance, prefix=f"a{instance.pk}")
    if not request.user.has_perm("reviews.answer_factual", review):
        # The report became final while this person wrote the answer: kept on screen.
        form.is_valid()
        return render(
            request,
            "reviews/feedback_report/answer_form.html",
            {"review": review, "comment": instance, "form": form, "locked_out": True},
            status=409,
        )
    if form.is_valid():
        form.instance.answered_by = request.user
        form.instance.answered_at = timezone.now()
        context = {"review": review, "comment": instance, "form": form}
        _saved, conflict = save_or_conflict(
            request, form, template="reviews/feedback_report/answer_form.html", context=context
        )
        if conflict:
            return conflict
        messages.success(request, _("Your answer is saved."))
        return redirect("reviews:report_factual", pk=review.pk)
    return render(
        request,
        "reviews/feedback_report/answer_form.html",
        {"review": review, "comment": instance, "form": form},
        status=400,
    )


# --- final, publication, presentation -----------------------------------------------------


def _content_counts(content: dict) -> list[str]:
    sections = content.get("sections", [])
    findings = sum(len(s.get("findings", [])) for s in sections)
    recs = sum(len(s.get("recommendations", [])) for s in sections)
    return [
        ngettext("%(n)s section", "%(n)s sections", len(sections)) % {"n": len(sections)},
        ngettext("%(n)s finding", "%(n)s findings", findings) % {"n": findings},
        ngettext("%(n)s recommendation", "%(n)s recommendations", recs) % {"n": recs},
    ]


@review_view("reviews.finalise_report")
def finalise(request, review: Review):
    report = _report_or_404(review)
    if request.method != "POST":
        pending = report.pending_version
        approved = [a.peer for a in pending.approvals.filter(approves=True).select_related("peer")]
        comments = report.factual_comments.count()
        return _confirm(
            request,
            review,
            Confirmation(
                title=_("Make version %(n)s the final report?") % {"n": pending.number},
                confirm_label=_("Make version %(n)s final") % {"n": pending.number},
                cancel_url=_report_home(review),
                lead=_(
                    "Nothing in the report can change afterwards: the PDF, the Word file and "
                    "the host city read this version."
                ),
                items_label=_("What becomes final"),
                items=[
                    _("Version %(n)s, frozen %(when)s")
                    % {
                        "n": pending.number,
                        "when": formats.date_format(
                            timezone.localtime(pending.frozen_at), "DATETIME_FORMAT"
                        ),
                    },
                    ", ".join(_content_counts(pending.content)),
                    _("Approved by: %(names)s") % {"names": _names(approved)},
                    ngettext(
                        "%(n)s factual comment of the host city, answered",
                        "%(n)s factual comments of the host city, answered",
                        comments,
                    )
                    % {"n": comments},
                ],
                notes=[
                    _("The coordinators are told; a coordinator or the team leader publishes it.")
                ],
                undo=_("Until it is published, a coordinator can reopen it for changes."),
                blockers=report.missing_for_final(),
                danger=False,
            ),
        )
    try:
        version = finalise_report(report=report, by=request.user)
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
        return redirect(_report_home(review))
    messages.success(request, _("Version %(n)s is the final report.") % {"n": version.number})
    return redirect("reviews:report_final", pk=review.pk)


@review_view("reviews.reopen_report")
def reopen(request, review: Review):
    report = _report_or_404(review)
    version = report.final_version
    if request.method != "POST":
        return _confirm(
            request,
            review,
            Confirmation(
                title=_("Reopen the final report?"),
                confirm_label=_("Reopen the report"),
                cancel_url=reverse("reviews:report_final", args=[review.pk]),
                lead=_(
                    "Version %(n)s is no longer final: it waits for approval again, with the "
                    "approvals it had. Any change to the text then starts a new version, "
                    "which the team approves again."
                )
                % {"n": version.number},
                items_label=_("What changes"),
                items=[
                    _("Version %(n)s: final → waiting for approval") % {"n": version.number},
                    _("The team is told: %(names)s") % {"names": _names(report.team())},
                ],
                undo=_("The team leader can make it final again."),
                danger=False,
            ),
        )
    try:
        reopen_final_report(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("reviews:report_final", pk=review.pk)
    messages.success(
        request,
        _("Version %(n)s is no longer final: the team can change the report.")
        % {"n": version.number},
    )
    return redirect(_report_home(review))


@review_view("reviews.publish_report")
def publish(request, review: Review):
    report = _report_or_404(review)
    if request.method != "POST":
        version = report.final_version
        return _confirm(
            request,
            review,
            Confirmation(
                title=_("Publish the final report to the host city?"),
                confirm_label=_("Publish to the host city"),
                cancel_url=reverse("reviews:report_final", args=[review.pk]),
                lead=_(
                    "The host city reads the final report and answers each recommendation. "
                    "Its progress updates fall due six and twelve months after today, unless "
                    "a coordinator sets other dates."
                ),
                items_label=_("What is published"),
                items=[
                    _("Version %(n)s, final %(when)s")
                    % {
                        "n": version.number,
                        "when": formats.date_format(
                            timezone.localtime(version.final_at), "DATE_FORMAT"
                        ),
                    },
                    ", ".join(_content_counts(version.content)),
                    _("Told by e-mail: the host city (%(hosts)s) and the team (%(team)s)")
                    % {"hosts": _names(review.members(HOST)), "team": _names(report.team())},
                ],
                undo=_(
                    "Publishing cannot be withdrawn: the host city is told at once and starts "
                    "answering. A coordinator can still change the checkpoint dates."
                ),
                danger=False,
            ),
        )
    publish_report(report=report, by=request.user)  # sets the checkpoints at 6 and 12 months
    messages.success(
        request,
        _("The report is published to the host city.")
        + " "
        + _("Version %(n)s is what the city reads.") % {"n": report.final_version.number},
    )
    return redirect("reviews:report_final", pk=review.pk)


@review_view("reviews.see_final_report")
def final_read(request, review: Review):
    report = _report_or_404(review)
    version = report.final_version
    if version is None:
        raise Http404
    content = version.content
    return render(
        request,
        "reviews/feedback_report/final.html",
        {
            "review": review,
            "report": report,
            "version": version,
            "content": content,
            "recommendations": all_recommendations(content),
            "can_publish": request.user.has_perm("reviews.publish_report", review),
            "can_share": request.user.has_perm("reviews.share_report", review),
            "can_reopen": request.user.has_perm("reviews.reopen_report", review),
            "can_present": request.user.has_perm("reviews.record_presentation", review),
            "can_respond": request.user.has_perm("reviews.respond_to_report", review),
            "can_see_plan": request.user.has_perm("reviews.see_action_plan", review),
            "public_url": request.build_absolute_uri(
                reverse("reports:public_report", args=[report.public_token])
            )
            if report.public_token
            else "",
        },
    )


@review_view("reviews.record_presentation")
def presentation(request, review: Review):
    report = _report_or_404(review)
    form = PresentationForm(request.POST or None, instance=report)
    return _edit_page(
        request,
        review,
        "reviews/feedback_report/presentation_form.html",
        {"report": report},
        form,
        saved_message=_("The presentation to the city is recorded."),
        next_url=reverse("reviews:report_final", args=[review.pk]),
        permission="reviews.record_presentation",
    )


def _sharing(request, review: Review, report, action: str) -> Confirmation:
    back = reverse("reviews:report_final", args=[review.pk])
    if action == "create":
        return Confirmation(
            title=_("Create a public link to the final report?"),
            confirm_label=_("Create the public link"),
            cancel_url=back,
            lead=_(
                "Anyone who has the link can read the final report and download its PDF, "
                "without signing in."
            ),
            undo=_(
                "A coordinator can withdraw the link at any time; it then stops opening the report."
            ),
            blockers=[_("The report already has a public link.")] if report.public_token else [],
            hidden={"action": "create"},
            danger=False,
        )
    link = request.build_absolute_uri(reverse("reports:public_report", args=[report.public_token]))
    return Confirmation(
        title=_("Withdraw the public link?"),
        confirm_label=_("Withdraw the link"),
        cancel_url=back,
        lead=_(
            "The link stops opening the report at once: whoever saved or shared it can no "
            "longer read it. Members of the review still read it when signed in."
        ),
        items_label=_("What is withdrawn"),
        items=[link] if report.public_token else [],
        undo=_("A coordinator can create a new public link; it will be a different address."),
        blockers=[] if report.public_token else [_("The report has no public link.")],
        hidden={"action": "revoke"},
    )


@review_view("reviews.share_report")
def share(request, review: Review):
    report = _report_or_404(review)
    if request.method != "POST":
        action = request.GET.get("action")
        if action not in ("create", "revoke"):
            raise Http404
        return _confirm(request, review, _sharing(request, review, report, action))
    action = request.POST.get("action")
    if action == "create":
        if not report.public_token:
            report.new_public_token()
            report.save(update_fields=["public_token"])
        messages.success(
            request,
            _("Anyone with the public link can now read the final report, without signing in."),
        )
    elif action == "revoke":
        report.public_token = ""
        report.save(update_fields=["public_token"])
        messages.success(request, _("The public link is revoked: it no longer opens the report."))
    else:
        messages.error(request, _("Nothing was changed."))
    return redirect("reviews:report_final", review.pk)


@review_view("reviews.choose_report_annex")
@require_POST
def network_annex(request, review: Review):
    """Turn the network annex on or off; every version frozen from then on has it or not
    (a version already frozen keeps what it had)."""
    report = _report_or_404(review)
    report.network_annex = request.POST.get("annex") == "1"
    report.save(update_fields=["network_annex"])
    if report.network_annex:
        messages.success(
            request, _("The next version frozen has the annex on the city against the network.")
        )
    else:
        messages.success(request, _("Versions frozen from now on have no network annex."))
    return redirect("reviews:report", review.pk)
