"""Step 7 on site: key conclusions agreed by every peer, and the preliminary feedback."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.versioning import save_or_conflict
from reviews.access import review_view
from reviews.forms.conclusions import ConclusionForm, FeedbackForm, VoteForm
from reviews.models import ConclusionVote, PreliminaryFeedback, Review
from reviews.models.conclusions import conclusions_locked, team_of


def _page(request, review: Review, *, status=200, **forms):
    return render(
        request, "reviews/conclusions/page.html", _context(request, review, **forms), status=status
    )


def _context(request, review: Review, *, form=None, vote_forms=None, feedback_form=None) -> dict:
    conclusions = list(review.conclusions.prefetch_related("votes", "groups", "indicators"))
    team = team_of(review)
    rows = []
    for conclusion in conclusions:
        votes = {v.peer_id: v for v in conclusion.votes.all()}
        rows.append(
            {
                "conclusion": conclusion,
                "votes": [(person, votes.get(person.pk)) for person in team],
                "mine": votes.get(request.user.pk),
                "vote_form": (vote_forms or {}).get(conclusion.pk)
                or VoteForm(prefix=f"v{conclusion.pk}"),
            }
        )
    feedback = PreliminaryFeedback.objects.filter(review=review).first()
    can_record = request.user.has_perm("reviews.record_feedback", review)
    return {
        "review": review,
        "rows": rows,
        "locked": conclusions_locked(review),
        "can_draft": request.user.has_perm("reviews.draft_conclusions", review),
        "can_vote": request.user.has_perm("reviews.vote_conclusions", review),
        "form": form or ConclusionForm(review=review),
        "feedback": feedback,
        "feedback_form": feedback_form
        or (
            FeedbackForm(instance=feedback or PreliminaryFeedback(review=review))
            if can_record
            else None
        ),
    }


@review_view("reviews.see_conclusions")
def page(request, review: Review):
    return _page(request, review)


@require_POST
@review_view("reviews.draft_conclusions")
def add(request, review: Review):
    form = ConclusionForm(request.POST, review=review)
    if not form.is_valid():
        return _page(request, review, form=form)
    form.instance.order = review.conclusions.count()
    form.save()
    messages.success(request, _("The conclusion is added. Every peer now agrees or dissents."))
    return redirect("reviews:conclusions", pk=review.pk)


@review_view("reviews.draft_conclusions")
def edit(request, review: Review, conclusion: int):
    instance = get_object_or_404(review.conclusions, pk=conclusion)
    form = ConclusionForm(request.POST or None, instance=instance, review=review)
    context = {"review": review, "form": form, "instance": instance}
    if request.method == "POST" and form.is_valid():
        _saved, conflict = save_or_conflict(
            request, form, template="reviews/conclusions/form.html", context=context
        )
        if conflict:
            return conflict
        messages.success(request, _("The conclusion is changed; the peers must agree to it again."))
        return redirect("reviews:conclusions", pk=review.pk)
    return render(request, "reviews/conclusions/form.html", context)


@require_POST
@review_view("reviews.vote_conclusions")
def vote(request, review: Review, conclusion: int):
    instance = get_object_or_404(review.conclusions, pk=conclusion)
    form = VoteForm(request.POST, prefix=f"v{instance.pk}")
    if not form.is_valid():
        return _page(request, review, vote_forms={instance.pk: form})
    ConclusionVote.objects.update_or_create(
        conclusion=instance,
        peer=request.user,
        defaults={"agrees": form.cleaned_data["agrees"], "dissent": form.cleaned_data["dissent"]},
    )
    review.__dict__.pop("_cf_locked", None)
    if conclusions_locked(review):
        messages.success(request, _("Every peer agrees: the conclusions are locked."))
    else:
        messages.success(request, _("Your position is recorded."))
    return redirect("reviews:conclusions", pk=review.pk)


@require_POST
@review_view("reviews.record_feedback")
def feedback(request, review: Review):
    instance = PreliminaryFeedback.objects.filter(review=review).first() or PreliminaryFeedback(
        review=review
    )
    form = FeedbackForm(request.POST, instance=instance)
    if not form.is_valid():
        return _page(request, review, feedback_form=form)
    context = _context(request, review, feedback_form=form)
    _saved, conflict = save_or_conflict(
        request, form, template="reviews/conclusions/page.html", context=context
    )
    if conflict:
        return conflict
    messages.success(request, _("The preliminary feedback to the city is recorded."))
    return redirect("reviews:conclusions", pk=review.pk)
