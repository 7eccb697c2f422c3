"""The review shell: my dashboard, all reviews, one review's seven steps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from benchmarks.models import VersionReviewer
from reviews.access import review_view
from reviews.models import Membership, Notification, Review
from reviews.rules import role_in
from reviews.steps import ROLE_LABELS, STEP_NUMBERS, get_step


@login_required
def dashboard(request):
    memberships = list(Membership.objects.for_dashboard(request.user))
    today = timezone.localdate()
    rows = [
        {
            "review": m.review,
            "role": ROLE_LABELS[m.role],
            "next_action": m.review.next_action_for(m.role),
            "overdue": m.review.is_overdue(today),
        }
        for m in memberships
    ]
    awaiting = VersionReviewer.objects.awaiting(request.user)
    notifications = Notification.objects.unread_for(request.user)[:20]
    return render(
        request,
        "reviews/dashboard.html",
        {"rows": rows, "awaiting": awaiting, "notifications": notifications},
    )


@require_POST
@login_required
def notification_open(request, pk: int):
    """Mark one of my notifications read and go where it points."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    notification.read_at = timezone.now()
    notification.save(update_fields=["read_at"])
    return redirect(notification.url)


@login_required
def all_reviews(request):
    if not request.user.has_perm("reviews.see_all_reviews"):
        raise PermissionDenied
    today = timezone.localdate()
    reviews = list(Review.objects.with_listing())
    rows = [
        {"review": r, "overdue": r.is_overdue(today), "due": r.step_due(r.current)} for r in reviews
    ]
    overdue_count = sum(1 for row in rows if row["overdue"])
    return render(
        request, "reviews/all_reviews.html", {"rows": rows, "overdue_count": overdue_count}
    )


@review_view("reviews.see_review")
def review_detail(request, review: Review):
    role = role_in(request.user, review)
    members = review.memberships.select_related("user", "user__city")
    return render(
        request,
        "reviews/review_detail.html",
        {
            "review": review,
            "statuses": review.step_statuses(),
            "members": members,
            "my_role": ROLE_LABELS.get(role) if role else None,
            "next_action": review.next_action_for(role),
            "can_advance": request.user.has_perm("reviews.advance_review", review),
            "can_manage": request.user.has_perm("reviews.edit_review", review),
        },
    )


@review_view("reviews.see_step")
def step_detail(request, review: Review, number: int):
    if number not in STEP_NUMBERS:
        raise Http404
    step = get_step(number)
    status = review.step_statuses()[number - 1]
    pages = [
        (reverse(name, args=[review.pk]), label)
        for name, label, permission in step.pages
        if request.user.has_perm(permission, review)
    ]
    return render(
        request,
        "reviews/step_detail.html",
        {"review": review, "step": step, "status": status, "pages": pages},
    )


@require_POST
@review_view("reviews.advance_review")
def advance_step(request, review: Review):
    try:
        review.advance_step(by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The review moved to step %(n)s: %(name)s.")
            % {"n": review.current_step, "name": review.current.name},
        )
    return redirect("reviews:detail", pk=review.pk)
