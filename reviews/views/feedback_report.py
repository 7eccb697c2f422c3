"""Step 7 after the visit: the team writes the feedback report section by section, freezes a
version that every peer approves, runs the host city's factual-accuracy round, makes it
final; the coordinator publishes it and the team leader records the presentation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from reports.content import all_recommendations, build_content, ensure_report
from reviews.access import review_view
from reviews.concurrency import EditConflict, conflict_context, save_versioned
from reviews.limits import posts_left
from reviews.models import (
    Evidence,
    FactualComment,
    Finding,
    Recommendation,
    ReportApproval,
    ReportVersion,
    Review,
)
from reviews.models.composer import ReportLocked
from reviews.report_forms import (
    AnswerForm,
    ApprovalForm,
    AssignForm,
    FactualCommentForm,
    FindingForm,
    PresentationForm,
    RecommendationForm,
    SectionForm,
    SummaryForm,
)
from reviews.services import notify_after_commit
from reviews.steps import COORDINATOR, HOST, PEER, TEAM_LEADER


def _members(review: Review, *roles: str) -> list:
    return [
        m.user
        for m in review.memberships.select_related("user")
        if m.role in roles and m.user.is_active
    ]


def _sections(report):
    return report.sections.select_related("group", "assignee")


def _report_home(review: Review) -> str:
    return reverse("reviews:report", args=[review.pk])


@review_view("reviews.see_report_draft")
def home(request, review: Review):
    return _home(request, review)


def _home(request, review: Review, *, approval_form=None, assign_form=None, status=200):
    """The composer's front page; forms that failed validation are shown again in it."""
    report = ensure_report(review)
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
    user = request.user
    return render(
        request,
        "reviews/report/home.html",
        {
            "review": review,
            "report": report,
            "sections": sections,
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
            save_versioned(form)
        except EditConflict as conflict:
            context.update(conflict_context(form, conflict.current))
            return render(request, template, context, status=409)
        except ReportLocked as locked:
            messages.error(request, locked.messages[0])
            return redirect(_report_home(review))
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


@review_view("reviews.see_report_draft")
def summary_edit(request, review: Review):
    report = ensure_report(review)
    form = SummaryForm(request.POST or None, instance=report)
    return _edit_page(
        request,
        review,
        "reviews/report/summary_form.html",
        {"report": report, "conclusions": review.conclusions.all()},
        form,
        saved_message=_("The summary is saved."),
        next_url=_report_home(review),
    )


@review_view("reviews.see_report_draft")
def section_edit(request, review: Review, section: int):
    report = ensure_report(review, sections=False)
    instance = get_object_or_404(_sections(report), pk=section)
    can_compose = request.user.has_perm("reviews.compose_report", review)
    writing = can_compose or request.method == "POST"  # a POST too late is kept on screen
    form = SectionForm(request.POST or None, instance=instance) if writing else None
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
        return render(request, "reviews/report/section.html", context)
    return _edit_page(
        request,
        review,
        "reviews/report/section.html",
        context,
        form,
        saved_message=_("The evaluation of %(group)s is saved.") % {"group": instance.group.code},
        next_url=reverse("reviews:report_section", args=[review.pk, instance.pk]),
    )


def _row_edit(request, review, section, model, form_class, pk, *, titles, help_text, saved_message):
    """Add or edit a finding or a recommendation; `titles` is (add, edit)."""
    report = ensure_report(review, sections=False)
    parent = get_object_or_404(_sections(report), pk=section)
    instance = get_object_or_404(model.objects.filter(section=parent), pk=pk) if pk else None
    form = form_class(request.POST or None, instance=instance, section=parent)
    if instance is None:
        form.instance.order = model.objects.filter(section=parent).count()
    return _edit_page(
        request,
        review,
        "reviews/report/row_form.html",
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


def _row_delete(request, review, section, model, pk, message):
    report = ensure_report(review, sections=False)
    parent = get_object_or_404(_sections(report), pk=section)
    instance = get_object_or_404(model.objects.filter(section=parent), pk=pk)
    try:
        instance.delete()
    except ReportLocked as locked:
        messages.error(request, locked.messages[0])
    else:
        messages.success(request, message)
    return redirect("reviews:report_section", pk=review.pk, section=parent.pk)


@require_POST
@review_view("reviews.compose_report")
def finding_delete(request, review: Review, section: int, finding: int):
    return _row_delete(request, review, section, Finding, finding, _("The finding is removed."))


@require_POST
@review_view("reviews.compose_report")
def recommendation_delete(request, review: Review, section: int, rec: int):
    return _row_delete(
        request, review, section, Recommendation, rec, _("The recommendation is removed.")
    )


@require_POST
@review_view("reviews.assign_sections")
def assign(request, review: Review):
    report = ensure_report(review)
    sections = list(_sections(report))
    form = AssignForm(request.POST, report=report, sections=sections, team=report.team())
    if not form.is_valid():
        return _home(request, review, assign_form=form, status=400)
    newly = set()
    with transaction.atomic():
        person = form.person("summary")
        if person and person.pk != report.summary_assignee_id:
            newly.add(person)
        report.summary_assignee = person
        report.save(update_fields=["summary_assignee"])
        for section in sections:
            person = form.person(f"s{section.pk}")
            if person and person.pk != section.assignee_id:
                newly.add(person)
            section.assignee = person
            section.save(update_fields=["assignee"])
    newly.discard(request.user)
    if newly:
        url = _report_home(review)
        notify_after_commit(
            review=review,
            users=sorted(newly, key=lambda p: p.pk),
            url=url,
            text=gettext_noop("You are asked to write part of the report on %(review)s."),
            subject=gettext_noop("Your part of the report: %(review)s"),
        )
    messages.success(request, _("Who writes what is saved."))
    return redirect(_report_home(review))


@require_POST
@review_view("reviews.freeze_report")
def freeze(request, review: Review):
    report = ensure_report(review)
    try:
        version = report.freeze(by=request.user, content=build_content(review, report))
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(_report_home(review))
    url = reverse("reviews:report_version", args=[review.pk, version.number])
    team = [p for p in _members(review, PEER, TEAM_LEADER) if p != request.user]
    notify_after_commit(
        review=review,
        users=team,
        url=url,
        text=gettext_noop("A version of the report on %(review)s waits for your approval."),
        subject=gettext_noop("Report to approve: %(review)s"),
    )
    messages.success(
        request,
        _("Version %(n)s is frozen. Every peer now approves it or comments.")
        % {"n": version.number},
    )
    return redirect(_report_home(review))


def _version(review: Review, number: int) -> ReportVersion:
    report = ensure_report(review)
    return get_object_or_404(report.versions.select_related("frozen_by"), number=number)


@review_view("reviews.see_report_draft")
def version_read(request, review: Review, version: int):
    instance = _version(review, version)
    return render(
        request,
        "reviews/report/version.html",
        {
            "review": review,
            "version": instance,
            "content": instance.content,
            "approvals": instance.approvals.select_related("peer"),
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
            "reviews/report/approval_late.html",
            {"review": review, "version": instance, "comment": request.POST.get("comment", "")},
            status=409,
        )
    if not form.is_valid():
        return _home(request, review, approval_form=form, status=400)
    ReportApproval.objects.update_or_create(
        version=instance,
        peer=request.user,
        defaults={
            "approves": form.cleaned_data["approves"],
            "comment": form.cleaned_data["comment"],
        },
    )
    if form.cleaned_data["approves"]:
        messages.success(request, _("You approved version %(n)s.") % {"n": instance.number})
    else:
        messages.success(
            request, _("Your comments on version %(n)s are recorded.") % {"n": instance.number}
        )
    return redirect(_report_home(review))


# --- the factual-accuracy round -----------------------------------------------------------


@review_view("reviews.see_factual_round")
def factual(request, review: Review):
    report = ensure_report(review)
    version = report.factual_round_version
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
            form.instance.report = report
            form.instance.version = version
            form.instance.author = user
            form.save()
            url = reverse("reviews:report_factual", args=[review.pk])
            team = _members(review, PEER, TEAM_LEADER)
            notify_after_commit(
                review=review,
                users=team,
                url=url,
                text=gettext_noop("The host city commented on a fact in the report on %(review)s."),
                subject=gettext_noop("Factual comment: %(review)s"),
            )
            messages.success(request, _("Your comment is sent to the team."))
            return redirect(url)
        status = max(status, 400)
    comments = list(report.factual_comments.select_related("author", "answered_by"))
    sections = {s["key"]: s["name"] for s in version.content["sections"]} if version else {}
    rows = [
        {
            "comment": c,
            "section": _("Summary")
            if c.section_key == FactualComment.SUMMARY
            else f"{c.section_key} {sections.get(c.section_key, '')}",
            "form": AnswerForm(instance=c, prefix=f"a{c.pk}") if can_answer else None,
        }
        for c in comments
    ]
    return render(
        request,
        "reviews/report/factual.html",
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


@require_POST
@review_view("reviews.run_factual_round")
def factual_open(request, review: Review):
    report = ensure_report(review)
    try:
        report.open_factual_round()
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(_report_home(review))
    url = reverse("reviews:report_factual", args=[review.pk])
    hosts = _members(review, HOST)
    notify_after_commit(
        review=review,
        users=hosts,
        url=url,
        text=gettext_noop(
            "The peer review team asks you to check the facts in its report on %(review)s."
        ),
        subject=gettext_noop("Check the facts: %(review)s"),
    )
    messages.success(request, _("The host city can now comment on factual errors."))
    return redirect(url)


@require_POST
@review_view("reviews.run_factual_round")
def factual_close(request, review: Review):
    report = ensure_report(review)
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
    report = ensure_report(review)
    instance = get_object_or_404(report.factual_comments, pk=comment)
    form = AnswerForm(request.POST, instance=instance, prefix=f"a{instance.pk}")
    if not request.user.has_perm("reviews.answer_factual", review):
        # The report became final while this person wrote the answer: kept on screen.
        form.is_valid()
        return render(
            request,
            "reviews/report/answer_form.html",
            {"review": review, "comment": instance, "form": form, "locked_out": True},
            status=409,
        )
    if form.is_valid():
        form.instance.answered_by = request.user
        form.instance.answered_at = timezone.now()
        try:
            save_versioned(form)
        except EditConflict as conflict:
            context = {"review": review, "comment": instance, "form": form}
            context.update(conflict_context(form, conflict.current))
            return render(request, "reviews/report/answer_form.html", context, status=409)
        messages.success(request, _("Your answer is saved."))
        return redirect("reviews:report_factual", pk=review.pk)
    return render(
        request,
        "reviews/report/answer_form.html",
        {"review": review, "comment": instance, "form": form},
        status=400,
    )


# --- final, publication, presentation -----------------------------------------------------


@require_POST
@review_view("reviews.finalise_report")
def finalise(request, review: Review):
    report = ensure_report(review)
    try:
        version = report.make_final(by=request.user)
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
        return redirect(_report_home(review))
    coordinators = _members(review, COORDINATOR)
    url = reverse("reviews:report_final", args=[review.pk])
    notify_after_commit(
        review=review,
        users=coordinators,
        url=url,
        text=gettext_noop("The report on %(review)s is final and can be published."),
        subject=gettext_noop("Report final: %(review)s"),
    )
    messages.success(request, _("Version %(n)s is the final report.") % {"n": version.number})
    return redirect(url)


@require_POST
@review_view("reviews.publish_report")
def publish(request, review: Review):
    report = ensure_report(review)
    report.publish(by=request.user)  # and sets the progress checkpoints at 6 and 12 months
    url = reverse("reviews:report_final", args=[review.pk])
    everyone = _members(review, HOST, PEER, TEAM_LEADER)
    notify_after_commit(
        review=review,
        users=everyone,
        url=url,
        text=gettext_noop(
            "The report on %(review)s is published. The host city now answers each recommendation."
        ),
        subject=gettext_noop("Report published: %(review)s"),
    )
    messages.success(request, _("The report is published to the host city."))
    return redirect(url)


@review_view("reviews.see_final_report")
def final_read(request, review: Review):
    report = ensure_report(review)
    version = report.final_version
    if version is None:
        raise Http404
    content = version.content
    return render(
        request,
        "reviews/report/final.html",
        {
            "review": review,
            "report": report,
            "version": version,
            "content": content,
            "recommendations": all_recommendations(content),
            "can_publish": request.user.has_perm("reviews.publish_report", review),
            "can_share": request.user.has_perm("reviews.share_report", review),
            "can_present": request.user.has_perm("reviews.record_presentation", review),
            "can_respond": request.user.has_perm("reviews.respond_to_report", review),
            "can_see_plan": request.user.has_perm("reviews.see_action_plan", review),
            "public_url": request.build_absolute_uri(
                reverse("reviews:public_report", args=[report.public_token])
            )
            if report.public_token
            else "",
        },
    )


@review_view("reviews.record_presentation")
def presentation(request, review: Review):
    report = ensure_report(review)
    form = PresentationForm(request.POST or None, instance=report)
    return _edit_page(
        request,
        review,
        "reviews/report/presentation_form.html",
        {"report": report},
        form,
        saved_message=_("The presentation to the city is recorded."),
        next_url=reverse("reviews:report_final", args=[review.pk]),
        permission="reviews.record_presentation",
    )
