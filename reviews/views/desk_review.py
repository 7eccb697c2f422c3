"""Step 4: independent desk reviews, the team view with consolidation, and
information requests to the host city."""

from __future__ import annotations

import html
from typing import NamedTuple

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import truncatewords
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from modeltranslation.utils import get_translation_fields

from benchmarks.models import IndicatorComment, ScaleLevel
from core.confirm import Confirmation, confirm_page
from core.limits import posts_left
from core.versioning import (
    save_indicator_forms,
    save_or_conflict,
    save_versioned,
    unique_twin,
)
from reviews.access import review_view
from reviews.forms.desk_review import (
    ConsolidatedForm,
    DeskReviewEntryForm,
    InformationRequestForm,
    RequestAnswerForm,
    people_choices,
)
from reviews.forms.inception import ReopenForm, rating_choices
from reviews.models import (
    ConsolidatedEntry,
    DeskReview,
    DeskReviewEntry,
    Review,
    SelfAssessment,
)
from reviews.models.desk_review import levels_disagree
from reviews.progress import progress_by_group
from reviews.services import ask_host, desk_review_for, submit_desk_review
from reviews.services.benchmark_notes import flag_if_changed
from reviews.services.desk_review import reopen_desk_review
from reviews.services.history import baseline_of
from reviews.services.inception import attach_chosen_file
from reviews.steps import TEAM_ROLES


def _group_indicators(review: Review, group: int) -> list:
    indicators = list(review.indicators_in_scope().filter(group_id=group))
    if not indicators:
        raise Http404
    return indicators


def _own_desk_review(review: Review, user) -> DeskReview:
    """The person's desk review, or an unsaved one to show before their first save."""
    return DeskReview.objects.filter(review=review, peer=user).first() or DeskReview(
        review=review, peer=user
    )


def _progress(review: Review, desk_review: DeskReview | None) -> list[dict]:
    """Complete entries per group in scope for one desk review."""
    indicators = list(review.indicators_in_scope())
    complete = set()
    if desk_review is not None:
        complete = {
            e.indicator_id
            for e in desk_review.entries.filter(indicator__in=indicators)
            if e.is_complete
        }
    return progress_by_group(indicators, complete)


@review_view("reviews.see_desk_progress")
def home(request, review: Review):
    is_writer = request.user.has_perm("reviews.write_desk_review", review)
    mine = _own_desk_review(review, request.user) if is_writer else None
    total = review.indicators_in_scope().count()
    team = list(review.memberships.with_roles(*TEAM_ROLES).select_related("user"))
    desk_reviews = {d.peer_id: d for d in review.desk_reviews.all()}
    counts = {
        row["desk_review"]: row["n"]
        for row in DeskReviewEntry.objects.filter(desk_review__review=review)
        .exclude(performance=None)
        .exclude(hypothesis="")
        .values("desk_review")
        .annotate(n=Count("pk"))
    }
    progress_all = [
        {
            "user": m.user,
            "member": m.pk,
            "done": counts.get(desk_reviews[m.user_id].pk, 0) if m.user_id in desk_reviews else 0,
            "submitted": desk_reviews.get(m.user_id) is not None
            and desk_reviews[m.user_id].is_submitted,
        }
        for m in team
    ]
    return render(
        request,
        "reviews/desk_review/home.html",
        {
            "review": review,
            "mine": mine,
            "groups": _progress(review, mine if mine and mine.pk else None),
            "total": total,
            "progress_all": progress_all,
            "can_see_team": request.user.has_perm("reviews.see_team_desk_reviews", review),
            "can_reopen": request.user.has_perm("reviews.reopen_desk_review", review),
            "groups_in_scope": review.groups_in_scope(),
        },
    )


@review_view("reviews.write_desk_review")
def group_edit(request, review: Review, group: int):
    # Created by the first save; reading the form writes nothing.
    if request.method == "POST":
        desk_review = desk_review_for(review=review, peer=request.user)
    else:
        desk_review = _own_desk_review(review, request.user)
    if desk_review.is_submitted:
        messages.info(request, _("Your desk review is submitted; it can no longer change."))
        return redirect("reviews:desk_review", pk=review.pk)
    indicators = _group_indicators(review, group)
    entries = {}
    if desk_review.pk:
        entries = {
            e.indicator_id: e
            for e in desk_review.entries.filter(indicator__in=indicators)
            .select_related("performance")
            .prefetch_related("meet")
        }
    assessments = SelfAssessment.objects.for_indicators(review.inception_report, indicators)
    choices = rating_choices(review.benchmark_version)
    people = people_choices(review)
    earlier = baseline_of(review)  # a re-review: the earlier final ratings, beside each form
    forms = [
        DeskReviewEntryForm(
            request.POST or None,
            prefix=f"i{indicator.pk}",
            instance=entries.get(indicator.pk)
            or DeskReviewEntry(desk_review=desk_review, indicator=indicator),
            indicator=indicator,
            rating_choices=choices,
            people=people,
        )
        for indicator in indicators
    ]
    context = {
        "review": review,
        "group": indicators[0].group,
        "rows": [
            (f, assessments.get(f.indicator.pk), earlier.get(f.indicator.lineage)) for f in forms
        ],
        "groups": _progress(review, desk_review if desk_review.pk else None),
    }
    flagged = [f for f in forms if f.is_bound and f.is_valid() and f.cleaned_data.get("ask_host")]
    if flagged and len(flagged) > _posts_left(review, request.user):
        for form in flagged:
            form.add_error(
                "ask_host", _("You have sent many questions this hour; please wait a while.")
            )
    if request.method == "POST" and all(f.is_valid() for f in forms):

        def send_questions(form):
            flag_if_changed(
                form, kind=IndicatorComment.DESK_REVIEW, review=review, author=request.user
            )
            if form.cleaned_data.get("ask_host"):
                ask_host(
                    review=review,
                    by=request.user,
                    question=form.cleaned_data["questions"],
                    indicator=form.indicator,
                )

        changed, conflicts = save_indicator_forms(
            forms, twin=unique_twin("desk_review", "indicator"), after_save=send_questions
        )
        if conflicts:
            context["conflicts"] = conflicts
            return render(request, "reviews/desk_review/group_form.html", context, status=409)
        messages.success(
            request,
            ngettext(
                "Saved %(n)s indicator of %(group)s.",
                "Saved %(n)s indicators of %(group)s.",
                len(changed),
            )
            % {"n": len(changed), "group": context["group"].name},
        )
        return redirect("reviews:desk_review_group", pk=review.pk, group=group)
    if request.method == "POST":
        context["invalid"] = [f for f in forms if f.errors]
    return render(request, "reviews/desk_review/group_form.html", context)


def _desk_home(review: Review) -> str:
    return reverse("reviews:desk_review", args=[review.pk])


def _confirm(request, review: Review, confirmation: Confirmation, *, status: int = 200):
    return confirm_page(
        request,
        confirmation,
        template="reviews/confirm.html",
        status=status,
        review=review,
        parent_url=_desk_home(review),
        parent_label=_("Desk review"),
    )


def _submission(review: Review, desk_review: DeskReview) -> Confirmation:
    indicators = list(review.indicators_in_scope())
    saved = desk_review.entries.filter(indicator__in=indicators) if desk_review.pk else []
    entries = {e.indicator_id: e for e in saved}
    complete = {pk for pk, e in entries.items() if e.is_complete}
    missing = [
        _("%(code)s: no rating or hypothesis yet") % {"code": i.code}
        for i in indicators
        if i.pk not in complete
    ]
    items = [
        _("%(group)s: %(done)s of %(total)s indicators done")
        % {"group": row["group"], "done": row["done"], "total": row["total"]}
        for row in progress_by_group(indicators, complete)
    ]
    return Confirmation(
        title=_("Submit your desk review?"),
        confirm_label=_("Submit my desk review"),
        cancel_url=_desk_home(review),
        lead=_(
            "After submitting you can no longer change it, and you see the desk reviews the "
            "other peers have submitted. The team leader is told."
        ),
        items_label=_("What you submit"),
        items=items,
        missing=missing,
        undo=_("A coordinator can reopen it for you if something must still change."),
        blockers=[_("Your desk review is submitted already.")] if desk_review.is_submitted else [],
        danger=False,
    )


@review_view("reviews.write_desk_review")
def submit(request, review: Review):
    if request.method != "POST":  # reading the confirmation writes nothing
        return _confirm(
            request, review, _submission(review, _own_desk_review(review, request.user))
        )
    desk_review_for(review=review, peer=request.user)
    try:
        submit_desk_review(review=review, peer=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Your desk review is submitted. You can now see the team's."))
    return redirect("reviews:desk_review", pk=review.pk)


@review_view("reviews.reopen_desk_review")
def reopen(request, review: Review, member: int):
    membership = get_object_or_404(
        review.memberships.with_roles(*TEAM_ROLES).select_related("user"), pk=member
    )
    person = membership.user
    desk_review = get_object_or_404(review.desk_reviews.submitted(), peer=person)
    form = ReopenForm(request.POST if request.method == "POST" else None)
    form.fields["reason"].label = _("Why is the desk review reopened?")
    if request.method == "POST" and form.is_valid():
        reopen_desk_review(
            review=review, peer=person, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request,
            _("%(name)s's desk review is open again; %(name)s is told.") % {"name": person.name},
        )
        return redirect("reviews:desk_review", pk=review.pk)
    done = desk_review.entries.exclude(performance=None).exclude(hypothesis="").count()
    return _confirm(
        request,
        review,
        Confirmation(
            title=_("Reopen %(name)s's desk review?") % {"name": person.name},
            confirm_label=_("Reopen the desk review"),
            cancel_url=_desk_home(review),
            lead=_(
                "%(name)s can change it again and must submit it again. Until then the team "
                "view leaves it out, and %(name)s no longer sees the others' desk reviews."
            )
            % {"name": person.name},
            items_label=_("What is reopened"),
            items=[
                ngettext(
                    "The desk review of %(name)s, submitted %(when)s: %(n)s indicator done",
                    "The desk review of %(name)s, submitted %(when)s: %(n)s indicators done",
                    done,
                )
                % {
                    "name": person.name,
                    "when": formats.date_format(
                        timezone.localtime(desk_review.submitted_at), "DATE_FORMAT"
                    ),
                    "n": done,
                }
            ],
            notes=[
                _("%(name)s is told; your reason is kept in the desk review's history.")
                % {"name": person.name}
            ],
            undo=_("%(name)s submits it again when it is ready.") % {"name": person.name},
            form=form,
            danger=False,
        ),
        status=400 if form.errors else 200,
    )


def _lines(text: str) -> str:
    """`text|linebreaksbr` for a plain text: the filter's own steps (newlines made "\\n",
    escaped, "<br>"), without its wrappers; the team view has a few hundred such cells."""
    return html.escape(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


# A rating's label in every language, as modeltranslation stores it ("label_en", ...).
_LABELS = get_translation_fields("label")


class _Levels:
    """Ratings read as plain values, with the columns `columns(path)` names: one unsaved
    ScaleLevel per level, so that its `label` follows the language (and modeltranslation's
    fallback) as a fetched level's does, and its label escaped once for the page."""

    def __init__(self):
        self._levels: dict[int, ScaleLevel] = {}
        self._labels: dict[int, str] = {}

    @staticmethod
    def columns(path: str) -> list[str]:
        """The rating at `path` (e.g. "performance"): its pk, order, score and labels."""
        return [f"{path}_id", f"{path}__order", f"{path}__score"] + [
            f"{path}__{name}" for name in _LABELS
        ]

    def get(self, pk, order, score, *labels) -> ScaleLevel | None:
        if pk is None:
            return None
        level = self._levels.get(pk)
        if level is None:
            level = ScaleLevel(
                pk=pk, order=order, score=score, **dict(zip(_LABELS, labels, strict=True))
            )
            self._levels[pk] = level
        return level

    def label(self, level: ScaleLevel | None) -> str:
        """A rating's label as the templates write `level.label|default:"—"`."""
        if level is None:
            return "—"
        if level.pk not in self._labels:
            self._labels[level.pk] = esc(level.label) if level.label else "—"
        return self._labels[level.pk]


class _Entry(NamedTuple):
    """One peer's desk review of one indicator, as the team view shows it."""

    level: ScaleLevel | None
    hypothesis: str
    questions: str
    meet: list  # the names of the host's interviewees the peer wants to meet
    meet_others: str


class _TeamTable:
    """Each indicator's table of the team view (the host's self-rating and every peer's
    desk review), written in Python: the template loop over a few hundred entries, with
    filters per cell, was most of the page's time. The markup is the one
    templates/reviews/desk_review/team_view.html wrote, text and whitespace alike."""

    def __init__(self, peers: list[str], levels: _Levels):
        self.peers = [esc(name) for name in peers]
        self.levels = levels
        self.disagree = (
            ' <span class="badge text-bg-warning">'
            f"{_('peers disagree by more than one level')}</span>"
        )
        self.head = (
            f'<thead><tr><th scope="col">{_("Who")}</th>'
            f'<th scope="col">{_("Performance")}</th>'
            f'<th scope="col">{_("Hypothesis")}</th>'
            f'<th scope="col">{_("Questions")}</th>'
            f'<th scope="col">{_("Whom to meet")}</th></tr></thead>'
        )
        self.host = _("Host city (self-rating)")
        self.no_entry = f'<td colspan="4">{_("No entry.")}</td>'

    def _entry(self, entry: _Entry | None) -> str:
        if entry is None:
            return self.no_entry
        meet = [esc(name) for name in entry.meet]
        if entry.meet_others:
            meet.append(esc(entry.meet_others))
        return (
            f"<td>{self.levels.label(entry.level)}</td>"
            f"<td>{_lines(entry.hypothesis)}</td>"
            f"<td>{_lines(entry.questions)}</td>"
            f"<td>{', '.join(meet)}</td>\n          "
        )

    def render(self, indicator, entries: list, disagree: bool, assessment) -> SafeString:
        """`entries`: each peer's entry (or None), in the order of the peers; `assessment`:
        the host's self-rating and what they achieved, or None."""
        pk, code = indicator.pk, esc(indicator.code)
        rating, achieved = assessment or (None, "")
        out = [
            f'<section class="border rounded p-3 mb-4" aria-labelledby="ind-{pk}">\n'
            f'    <h2 class="h5" id="ind-{pk}">{code}{self.disagree if disagree else ""}</h2>\n'
            f"    <p>{esc(indicator.text)}</p>\n"
            '    <div class="table-responsive">\n'
            '    <table class="table table-sm align-top">\n'
            '      <caption class="visually-hidden">'
            f"{_('Desk reviews of %(code)s') % {'code': code}}</caption>\n"
            f"      {self.head}\n"
            "      <tbody>\n"
            f'        <tr class="table-light"><th scope="row">{self.host}</th>'
            f"<td>{self.levels.label(rating)}</td>"
            f'<td colspan="3">{esc(truncatewords(achieved or "", 40))}</td></tr>\n'
            "        "
        ]
        for name, entry in zip(self.peers, entries, strict=True):
            out.append(
                f'\n        <tr><th scope="row">{name}</th>\n'
                f"          {self._entry(entry)}\n"
                "        </tr>\n        "
            )
        out.append("\n      </tbody>\n    </table>\n    </div>")
        return mark_safe("".join(out))  # noqa: S308 - every value escaped or the app's own


def _consolidated(label: str, hypothesis: str, key_questions: str) -> SafeString:
    """The team's consolidated view of one indicator, for those who cannot change it;
    `label`: the agreed rating's, escaped."""
    return mark_safe(  # noqa: S308 - every value escaped or the app's own
        f'<dl class="row mb-0"><dt class="col-sm-3">{_("Agreed first rating")}</dt>'
        f'<dd class="col-sm-9">{label}</dd>\n'
        f'      <dt class="col-sm-3">{_("Working hypothesis")}</dt>'
        f'<dd class="col-sm-9">{_lines(hypothesis or "—")}</dd>\n'
        f'      <dt class="col-sm-3">{_("Key questions")}</dt>'
        f'<dd class="col-sm-9">{_lines(key_questions or "—")}</dd></dl>'
    )


@review_view("reviews.see_team_desk_reviews")
def team_view(request, review: Review, group: int):
    # The indicators and the group tabs both ask whether a scope is set: read it once.
    prefetch_related_objects([review], "scope")
    indicators = _group_indicators(review, group)
    # Plain values, not model instances, where the page only shows a name or a text: it
    # shows a few hundred entries.
    submitted = list(
        review.desk_reviews.submitted()
        .order_by("peer__name")
        .values_list("pk", "peer_id", "peer__name")
    )
    levels = _Levels()
    entries = {}
    for row in (
        DeskReviewEntry.objects.visible_to(request.user, review)
        .filter(desk_review__in=[pk for pk, _peer, _name in submitted], indicator__in=indicators)
        .values_list(
            "pk",
            "indicator_id",
            "desk_review_id",
            "hypothesis",
            "questions",
            "meet_others",
            *_Levels.columns("performance"),
        )
    ):
        pk, indicator, desk_review, hypothesis, questions, others = row[:6]
        entries[pk] = (indicator, desk_review, levels.get(*row[6:]), hypothesis, questions, others)
    meet = {pk: [] for pk in entries}
    if entries:
        for pk, name in (
            DeskReviewEntry.meet.through.objects.filter(deskreviewentry_id__in=list(entries))
            .order_by("proposedinterviewee__name")
            .values_list("deskreviewentry_id", "proposedinterviewee__name")
        ):
            meet[pk].append(name)
    by_cell = {
        (indicator, desk_review): _Entry(level, hypothesis, questions, meet[pk], others)
        for pk, (indicator, desk_review, level, hypothesis, questions, others) in entries.items()
    }
    assessments = {
        row[0]: (levels.get(*row[2:]), row[1])
        for row in SelfAssessment.objects.filter(
            report=review.inception_report, indicator__in=indicators
        ).values_list("indicator_id", "achieved", *_Levels.columns("rating"))
    }
    visible = ConsolidatedEntry.objects.visible_to(request.user, review).filter(
        indicator__in=indicators
    )
    can_consolidate = request.user.has_perm("reviews.consolidate", review)
    forms = {}
    consolidated = {}
    if can_consolidate:  # only the forms need the rating scale
        saved = {c.indicator_id: c for c in visible.select_related("rating")}
        choices = rating_choices(review.benchmark_version)
        for indicator in indicators:
            forms[indicator.pk] = ConsolidatedForm(
                request.POST or None,
                prefix=f"c{indicator.pk}",
                instance=saved.get(indicator.pk)
                or ConsolidatedEntry(review=review, indicator=indicator),
                indicator=indicator,
                rating_choices=choices,
            )
    else:  # the others read it
        for row in visible.values_list(
            "indicator_id", "hypothesis", "key_questions", *_Levels.columns("rating")
        ):
            label = levels.label(levels.get(*row[3:]))
            consolidated[row[0]] = _consolidated(label, row[1], row[2])
    table = _TeamTable([name for _pk, _peer, name in submitted], levels)
    rows = []
    for indicator in indicators:
        peer_entries = [by_cell.get((indicator.pk, pk)) for pk, _peer, _name in submitted]
        disagree = levels_disagree(e.level for e in peer_entries if e)
        rows.append(
            {
                "indicator": indicator,
                "table": table.render(
                    indicator, peer_entries, disagree, assessments.get(indicator.pk)
                ),
                "consolidated": consolidated.get(indicator.pk, ""),
                "form": forms.get(indicator.pk),
            }
        )
    done = {peer for _pk, peer, _name in submitted}
    waiting = [  # the review team (Review.team()), by name
        name
        for user, name in review.memberships.with_roles(*TEAM_ROLES)
        .order_by("user__name")
        .values_list("user_id", "user__name")
        if user not in done
    ]
    context = {
        "review": review,
        "group": indicators[0].group,
        "waiting": waiting,
        "rows": rows,
        "can_consolidate": can_consolidate,
        "groups_in_scope": review.groups_in_scope(),
    }
    if request.method == "POST":
        if not can_consolidate:
            raise PermissionDenied
        all_forms = list(forms.values())
        if all(f.is_valid() for f in all_forms):
            changed, conflicts = save_indicator_forms(
                all_forms, twin=unique_twin("review", "indicator")
            )
            if conflicts:
                context["conflicts"] = conflicts
                return render(request, "reviews/desk_review/team_view.html", context, status=409)
            messages.success(
                request,
                ngettext(
                    "Saved the team's view of %(n)s indicator.",
                    "Saved the team's view of %(n)s indicators.",
                    len(changed),
                )
                % {"n": len(changed)},
            )
            return redirect("reviews:desk_review_team", pk=review.pk, group=group)
        context["invalid"] = [f for f in all_forms if f.errors]
    return render(request, "reviews/desk_review/team_view.html", context)


@review_view("reviews.see_requests")
def requests(request, review: Review):
    can_ask = request.user.has_perm("reviews.ask_host", review)
    form = InformationRequestForm(request.POST or None, review=review) if can_ask else None
    if request.method == "POST":
        if not can_ask:
            raise PermissionDenied
        if form.is_valid() and not _posts_left(review, request.user):
            form.add_error(None, _("You have sent many questions this hour; please wait a while."))
        elif form.is_valid():
            ask_host(
                review=review,
                by=request.user,
                question=form.cleaned_data["question"],
                indicator=form.cleaned_data["indicator"],
            )
            messages.success(request, _("The question is sent to the host city."))
            return redirect("reviews:requests", pk=review.pk)
    items = review.information_requests.select_related(
        "indicator", "asked_by", "answered_by"
    ).prefetch_related("attachments")
    return render(
        request,
        "reviews/desk_review/requests.html",
        {
            "review": review,
            "form": form,
            "open": [r for r in items if not r.is_answered],
            "answered": [r for r in items if r.is_answered],
            "can_answer": request.user.has_perm("reviews.answer_request", review),
        },
    )


@review_view("reviews.answer_request")
def answer(request, review: Review, item: int):
    info = get_object_or_404(review.information_requests.select_related("indicator"), pk=item)
    form = RequestAnswerForm(
        request.POST or None,
        request.FILES or None,
        instance=info,
        review=review,
        user=request.user,
    )
    context = {"review": review, "item": info, "form": form}
    if request.method == "POST" and form.is_valid():
        form.instance.answered_by = request.user
        form.instance.answered_at = timezone.now()

        def save(form):
            save_versioned(form)
            attach_chosen_file(review=review, by=request.user, request=info, **form.chosen_file())

        _saved, conflict = save_or_conflict(
            request,
            form,
            template="reviews/desk_review/answer_form.html",
            context=context,
            save=save,
            on_conflict=lambda form: form.keep_chosen_file(),
        )
        if conflict:
            return conflict
        messages.success(request, _("Your answer is saved and visible to the team."))
        return redirect("reviews:requests", pk=review.pk)
    if request.method == "POST":
        form.keep_chosen_file()
    return render(request, "reviews/desk_review/answer_form.html", context)


def _posts_left(review: Review, user) -> int:
    return posts_left(
        review.information_requests.all(), author_field="asked_by", user=user, time_field="asked_at"
    )
