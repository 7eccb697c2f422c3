"""Step 6: recording evidence quickly during the visit, its history, and the evaluation of
each indicator against the two-interview rule."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from benchmarks.models import Indicator, IndicatorComment, RatingScale, ScaleLevel
from core.confirm import Confirmation, confirm_page
from core.escaping import conditional_escape as esc
from core.versioning import save_or_conflict, save_versioned
from reviews.access import review_view
from reviews.forms.evidence import EvaluationForm, EvidenceForm
from reviews.models import (
    ConsolidatedEntry,
    Evidence,
    IndicatorEvaluation,
    Review,
    SelfAssessment,
    VisitSession,
)
from reviews.models.evidence import entry_codes, indicator_statuses
from reviews.services.benchmark_notes import flag_if_changed
from reviews.services.history import baseline_of

SESSION_KEY = "cf_evidence_session_{}"
PER_PAGE = 100
# An entry's links on the list: reversed once with this number, which each entry's pk replaces.
_PLACEHOLDER = 2147483647
_PLACEHOLDER_TEXT = f"/{_PLACEHOLDER}/"


def _remembered_session(request, review: Review):
    """The session chosen in the link (?session=, from the timetable, a brief or a schedule)
    or the last one this person recorded in; only interviews and workshops have evidence."""
    pk = request.GET.get("session") or request.session.get(SESSION_KEY.format(review.pk))
    if not pk or not str(pk).isdigit():
        return None
    return review.visit_sessions.filter(
        pk=pk, kind__in=[VisitSession.INTERVIEW, VisitSession.WORKSHOP]
    ).first()


def _changeable(request, review: Review, evidence: int) -> Evidence:
    instance = get_object_or_404(review.evidence.live(), pk=evidence)
    if not request.user.has_perm("reviews.change_evidence", instance):
        raise PermissionDenied
    return instance


@review_view("reviews.record_evidence")
def add(request, review: Review):
    session = _remembered_session(request, review)
    form = EvidenceForm(request.POST or None, review=review, session=session)
    if request.method == "POST" and form.is_valid():
        evidence = form.save(commit=False)
        evidence.author = request.user
        evidence.save()
        form.save_m2m()
        if evidence.session_id:
            evidence.interviewers.set(evidence.session.peers.all())
            request.session[SESSION_KEY.format(review.pk)] = evidence.session_id
        messages.success(request, _("Recorded: %(codes)s") % {"codes": "; ".join(evidence.codes())})
        return redirect("reviews:evidence_add", pk=review.pk)
    # Codes and text only: the codes from plain values (as on the list), nothing prefetched.
    recent = _with_codes(
        list(
            review.evidence.live()
            .select_related("session", "author")
            .filter(author=request.user)[:5]
        )
    )
    return render(
        request,
        "reviews/evidence/form.html",
        {
            "review": review,
            "form": form,
            "session": session,
            "recent": recent,
            "sessions": review.visit_sessions.filter(
                kind__in=[VisitSession.INTERVIEW, VisitSession.WORKSHOP]
            ),
        },
    )


@review_view("reviews.record_evidence")
def edit(request, review: Review, evidence: int):
    instance = _changeable(request, review, evidence)
    form = EvidenceForm(
        request.POST or None, instance=instance, review=review, session=instance.session
    )
    context = {"review": review, "form": form, "instance": instance}
    if request.method == "POST" and form.is_valid():
        saved, conflict = save_or_conflict(
            request, form, template="reviews/evidence/form.html", context=context
        )
        if conflict:
            return conflict
        if saved.session_id:
            saved.interviewers.set(saved.session.peers.all())
        messages.success(request, _("Saved: %(codes)s") % {"codes": "; ".join(saved.codes())})
        return redirect("reviews:evidence", pk=review.pk)
    return render(request, "reviews/evidence/form.html", context)


def _deletion(review: Review, entry: Evidence) -> Confirmation:
    indicators = entry.indicators.count()
    cited = entry.findings.count()
    notes = [
        _(
            "It no longer counts for any indicator, the overview or the report. "
            "%(source)s and its other entries stay."
        )
        % {"source": entry.source_label}
    ]
    if cited:
        notes.append(
            ngettext(
                "One finding of the feedback report cites it; that finding loses this evidence.",
                "%(n)s findings of the feedback report cite it; they lose this evidence.",
                cited,
            )
            % {"n": cited}
        )
    return Confirmation(
        title=_("Delete this evidence entry?"),
        confirm_label=_("Delete the entry"),
        cancel_url=reverse("reviews:evidence", args=[review.pk]),
        items_label=_("What is deleted"),
        items=[
            ngettext(
                "Evidence entry %(codes)s: %(n)s indicator",
                "Evidence entry %(codes)s: %(n)s indicators",
                indicators,
            )
            % {"codes": entry.entry_label, "n": indicators},
            _("Finding: %(text)s") % {"text": Truncator(entry.text).words(30)},
            _("Colour: %(colour)s, %(basis)s")
            % {"colour": entry.colour.label, "basis": entry.get_basis_display().lower()},
        ],
        notes=notes,
        undo=_(
            "It can be restored by the team leader from the deleted entries at the foot of "
            "the evidence list; its history is kept."
        ),
    )


@review_view("reviews.record_evidence")
def delete(request, review: Review, evidence: int):
    instance = _changeable(request, review, evidence)
    if request.method != "POST":
        return confirm_page(
            request,
            _deletion(review, instance),
            template="reviews/confirm.html",
            review=review,
            parent_url=reverse("reviews:evidence", args=[review.pk]),
            parent_label=_("Evidence"),
        )
    label = instance.entry_label
    instance.soft_delete(by=request.user)
    messages.success(
        request,
        _("Evidence entry %(entry)s deleted. The team leader can restore it.") % {"entry": label},
    )
    return redirect("reviews:evidence", pk=review.pk)


@require_POST
@review_view("reviews.moderate_evidence")
def restore(request, review: Review, evidence: int):
    instance = get_object_or_404(review.evidence.filter(deleted_at__isnull=False), pk=evidence)
    instance.restore(by=request.user)
    messages.success(
        request, _("Evidence entry %(entry)s restored.") % {"entry": instance.entry_label}
    )
    return redirect("reviews:evidence", pk=review.pk)


@review_view("reviews.see_evidence")
def history(request, review: Review, evidence: int):
    instance = get_object_or_404(review.evidence, pk=evidence)
    records = instance.history.select_related("history_user").order_by("-history_date")
    return render(
        request,
        "reviews/evidence/history.html",
        {"review": review, "evidence": instance, "records": records},
    )


def _filtered(request, review: Review):
    items = review.evidence.live().for_list()
    get = request.GET
    if get.get("group", "").isdigit():
        items = items.filter(indicators__group_id=get["group"])
    if get.get("value", "").isdigit():
        items = items.filter(indicators__value_id=get["value"])
    if get.get("colour", "").isdigit():
        items = items.filter(colour_id=get["colour"])
    if get.get("peer", "").isdigit():
        items = items.filter(interviewers__id=get["peer"]) | items.filter(author_id=get["peer"])
    if get.get("session", "").isdigit():
        items = items.filter(session_id=get["session"])
    tag = get.get("tag")
    if tag in ("weakness", "obstacle", "good_practice"):
        items = items.filter(**{f"is_{tag}": True})
    return items.search(get.get("q", "").strip()).distinct()


@review_view("reviews.see_evidence")
def evidence_list(request, review: Review):
    version = review.benchmark_version
    # The filter's choices: the same objects are the entries' sessions, colours and authors.
    peers = review.team()
    sessions = list(
        review.visit_sessions.filter(kind__in=[VisitSession.INTERVIEW, VisitSession.WORKSHOP])
    )
    # One query: a version has one evidence scale (unique version and purpose).
    colours = (
        list(ScaleLevel.objects.filter(scale__version=version, scale__purpose=RatingScale.EVIDENCE))
        if version
        else []
    )
    # The list shows codes, colours and sources: the interviewees are not needed here (the
    # codes come from _with_codes), nor joined copies of objects the page has loaded.
    entries = _filtered(request, review).prefetch_related(None).select_related(None)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    _attach(items, "session", sessions)
    _attach(items, "colour", colours)
    _attach(items, "author", peers)
    items = _with_codes(items)
    user = request.user
    # Each row's codes, label and links, worked out once here rather than in the template.
    links = {
        name: reverse(f"reviews:evidence_{name}", args=[review.pk, _PLACEHOLDER])
        for name in ("edit", "history", "delete")
    }
    for entry in items:  # entry.review is this review: the viewer's role is looked up once
        entry.may_change = user.has_perm("reviews.change_evidence", entry)
        entry.label = "; ".join(entry.code_list) or entry.source_label  # as entry_label
        pk = str(entry.pk)
        entry.edit_url, entry.history_url, entry.delete_url = (
            links[name].replace(_PLACEHOLDER_TEXT, f"/{pk}/")
            for name in ("edit", "history", "delete")
        )
    rows = _list_rows(items)
    deleted = (
        review.evidence.filter(deleted_at__isnull=False)
        .select_related("session", "deleted_by")
        .prefetch_related("indicators", "interviewers")
        if user.has_perm("reviews.moderate_evidence", review)
        else []
    )
    return render(
        request,
        "reviews/evidence/list.html",
        {
            "review": review,
            "items": items,
            "rows": rows,
            "page": page,
            "groups": review.groups_in_scope(),
            "values": version.values.all() if version else [],
            "colours": colours,
            "peers": peers,
            "sessions": sessions,
            "deleted": deleted,
            "params": request.GET,
            "can_record": user.has_perm("reviews.record_evidence", review),
        },
    )


def _attach(entries: list, name: str, loaded: list) -> None:
    """Set each entry's `name` (a foreign key) from objects the page has already loaded, and
    the few it has not (an author who left the team) in one query: rather than a joined
    copy of the same session, colour or person on every row."""
    field = Evidence._meta.get_field(name)
    by_pk = {obj.pk: obj for obj in loaded}
    missing = {getattr(e, field.attname) for e in entries} - by_pk.keys() - {None}
    if missing:
        by_pk.update(field.related_model._base_manager.in_bulk(missing))
    for entry in entries:
        pk = getattr(entry, field.attname)
        if pk is not None:
            setattr(entry, name, by_pk[pk])


def _list_rows(entries: list) -> SafeString:
    """The list's table rows, written in Python: the markup the template's loop wrote (one
    include, four translations and a dozen lookups per row, for a hundred rows a page), with
    every value escaped once here."""
    opinion = f'<br><span class="badge text-bg-secondary">{esc(_("opinion"))}</span>'
    tags = (
        ("is_good_practice", "text-bg-success", esc(_("good practice"))),
        ("is_weakness", "text-bg-warning", esc(_("weakness"))),
        ("is_obstacle", "text-bg-dark", esc(_("obstacle"))),
    )
    edit, history, delete = (esc(_(word)) for word in ("Edit", "History", "Delete"))
    out = []
    for entry in entries:
        colour = entry.colour
        label = esc(entry.label)
        hidden = f'<span class="visually-hidden"> {label}</span></a>'
        changes = entry.may_change
        out.append(
            "\n    <tr><td>"
            + "".join(f"{esc(code)}<br>" for code in entry.code_list)
            + "</td>\n      <td>"
            f'<svg width="14" height="14" aria-hidden="true" focusable="false"><rect width="14" '
            f'height="14" rx="2" fill="{esc(colour.colour)}"/></svg>\n {esc(colour.label)}'
            + (opinion if entry.basis == Evidence.OPINION else "")
            + f"</td>\n      <td>{linebreaksbr(entry.text)}"
            + "".join(
                f' <span class="badge {css}">{word}</span>'
                for field, css, word in tags
                if getattr(entry, field)
            )
            + '</td>\n      <td class="text-nowrap">'
            + (
                f'<a class="btn btn-sm btn-link" href="{esc(entry.edit_url)}">{edit}{hidden}'
                if changes
                else ""
            )
            + f'\n        <a class="btn btn-sm btn-link" href="{esc(entry.history_url)}">'
            f"{history}{hidden}\n        "
            + (
                f'<a class="btn btn-sm btn-link text-danger" href="{esc(entry.delete_url)}">'
                f"{delete}{hidden}"
                if changes
                else ""
            )
            + "</td></tr>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value escaped above


def _codes_and_initials(ids: list[int]) -> tuple[dict, dict]:
    """Per entry, in two queries of plain values: its indicators' codes (in the indicators'
    order, as `Evidence.codes` lists them) and its interviewers' initials."""
    codes: dict[int, list[str]] = {}
    for entry_id, code in (
        Evidence.indicators.through.objects.filter(evidence_id__in=ids)
        .order_by(*(f"indicator__{key}" for key in Indicator._meta.ordering), "indicator_id")
        .values_list("evidence_id", "indicator__code")
    ):
        codes.setdefault(entry_id, []).append(code)
    initials: dict[int, list[str]] = {}
    for entry_id, person in Evidence.interviewers.through.objects.filter(
        evidence_id__in=ids
    ).values_list("evidence_id", "user__initials"):
        initials.setdefault(entry_id, []).append(person)
    return codes, initials


def _with_codes(entries: list) -> list:
    """Set each entry's `code_list` (as `Evidence.codes`) from two queries of plain values,
    not from prefetched indicators and people: the entries need their session and author
    loaded (select_related); the lists show hundreds of entries."""
    if not entries:
        return entries
    ids = [entry.pk for entry in entries]
    codes, initials = _codes_and_initials(ids)
    for entry in entries:
        # As Evidence.initials: the interviewers', else the author's.
        people = initials.get(entry.pk) or [entry.author.initials if entry.author else ""]
        mark = " & ".join(sorted(p for p in people if p))
        entry.code_list = entry_codes(entry.source_label, mark, codes.get(entry.pk, []))
    return entries


def _good_practice_lines(review: Review) -> list:
    """Each live good practice's line on the overview, as HTML: its codes, then its text.

    The codes as `_with_codes` makes them, but from plain values in three queries: the
    overview shows nothing else of the entries, and building a hundred and more entries
    with their sessions and authors cost more than the rest of the list."""
    rows = list(
        review.evidence.live()
        .filter(is_good_practice=True)
        .values_list(
            "pk",
            "text",
            "document_number",
            "session__kind",
            "session__number",
            "session__title",
            "author__initials",
        )
    )
    if not rows:
        return []
    ids = [row[0] for row in rows]
    codes, initials = _codes_and_initials(ids)
    sources: dict[tuple, str] = {}  # a session's label (as VisitSession.label), once each
    lines = []
    for pk, text, number, kind, session_number, title, author in rows:
        if kind is None:  # no session: as Evidence.source_label
            source = str(_("Document %(n)s") % {"n": number})
        else:
            key = (kind, session_number, title)
            if key not in sources:
                sources[key] = VisitSession(kind=kind, number=session_number, title=title).label
            source = sources[key]
        # As Evidence.initials: the interviewers', else the author's.
        people = initials.get(pk) or [author or ""]
        mark = " & ".join(sorted(p for p in people if p))
        lines.append(
            format_html("{}: {}", "; ".join(entry_codes(source, mark, codes.get(pk, []))), text)
        )
    return lines


# An indicator's chip on the overview, linking to its evaluation: the confirmed colour's
# swatch and label, else the state's word.
_CHIP = (
    '<a class="status-chip status-{} d-inline-block me-1 mb-1" href="{}">{} {} '
    '<span class="visually-hidden">: </span><span class="small">{}</span></a>'
)
_SWATCH = (
    '<svg width="14" height="14" aria-hidden="true" focusable="false">'
    '<rect width="14" height="14" rx="2" fill="{}"/></svg>'
)


def _status_chips(review: Review, matrix, statuses: dict) -> list:
    """Each matrix row with its cells' chips as HTML, written here once per indicator rather
    than by a template included for each of seventy indicators and more: one cell per value,
    or one with the whole row when the benchmark has no values. An indicator without a
    status (outside the scope) has no chip."""
    words = {
        "contradictory": _("contradictory"),
        "unconfirmed": _("unconfirmed"),
        "none": _("no evidence"),
    }
    link = reverse("reviews:evaluation", args=[review.pk, _PLACEHOLDER])
    chips = {}
    for pk, status in statuses.items():
        state = status.state
        if state == "confirmed":
            colour = status.confirmed[0]
            swatch, label = format_html(_SWATCH, colour.colour), colour.label
        else:
            swatch, label = "", words[state]
        url = link.replace(_PLACEHOLDER_TEXT, f"/{pk}/")
        chips[pk] = format_html(_CHIP, state, url, swatch, status.indicator.code, label)
    return [
        (
            row,
            [
                # A line each, as the included template wrote them.
                mark_safe("".join(f"{chips.get(i.pk, '')}\n" for i in cell))  # noqa: S308 - escaped
                for cell in (row.cells if matrix.values else [row.indicators])
            ],
        )
        for row in matrix.rows
    ]


@review_view("reviews.see_evidence")
def overview(request, review: Review):
    version = review.benchmark_version
    # Of each indicator the page shows its code only.
    matrix = version.matrix(indicator_fields=("code",)) if version else None
    scoped = set(review.indicators_in_scope().values_list("pk", flat=True))
    statuses = (
        indicator_statuses(
            review, [i for row in matrix.rows for i in row.indicators if i.pk in scoped]
        )
        if matrix
        else {}
    )
    counts = {"confirmed": 0, "unconfirmed": 0, "contradictory": 0, "none": 0}
    for status in statuses.values():
        counts[status.state] += 1
    return render(
        request,
        "reviews/evidence/overview.html",
        {
            "review": review,
            "matrix": matrix,
            "statuses": statuses,
            "counts": counts,
            "chip_rows": _status_chips(review, matrix, statuses) if matrix else [],
            "good_practices": _good_practice_lines(review),
        },
    )


@review_view("reviews.see_evidence")
def evaluation(request, review: Review, indicator: int):
    target = get_object_or_404(review.indicators_in_scope(), pk=indicator)
    status = indicator_statuses(review, [target])[target.pk]
    # The page shows each entry's source, basis and text: no codes, so no prefetches.
    entries = list(
        review.evidence.live()
        .select_related("session", "colour")
        .filter(indicators=target)
        .order_by("colour__order", "session__starts_at")
    )
    by_colour: dict = {}
    for entry in entries:
        by_colour.setdefault(entry.colour, []).append(entry)
    current = IndicatorEvaluation.objects.filter(review=review, indicator=target).first()
    can_evaluate = request.user.has_perm("reviews.evaluate", review)
    form = None
    if can_evaluate:
        form = EvaluationForm(
            request.POST or None,
            instance=current or IndicatorEvaluation(review=review, indicator=target),
            review=review,
        )
    context = {
        "review": review,
        "indicator": target,
        "status": status,
        "groups": [
            (
                colour,
                items,
                len(status.interviews_by_colour.get(colour, ())),
                colour in status.confirmed,
            )
            for colour, items in by_colour.items()
        ],
        "self": SelfAssessment.objects.filter(report=review.inception_report, indicator=target)
        .select_related("rating")
        .first(),
        # Drawn from the desk reviews: shown as step 4's rule allows.
        "consolidated": ConsolidatedEntry.objects.visible_to(request.user, review)
        .filter(indicator=target)
        .select_related("rating")
        .first(),
        "form": form,
        "earlier": baseline_of(review).get(target.lineage),
    }
    if request.method == "POST":
        if not can_evaluate:
            raise PermissionDenied
        if form.is_valid():

            def save(form):
                saved = save_versioned(form)
                flag_if_changed(
                    form, kind=IndicatorComment.EVALUATION, review=review, author=request.user
                )
                return saved

            _saved, conflict = save_or_conflict(
                request,
                form,
                template="reviews/evidence/evaluation.html",
                context=context,
                save=save,
            )
            if conflict:
                return conflict
            messages.success(
                request, _("The team's evaluation of %(code)s is saved.") % {"code": target.code}
            )
            return redirect("reviews:evaluation", pk=review.pk, indicator=target.pk)
    return render(request, "reviews/evidence/evaluation.html", context)
