"""Who may see or change what in a review: the one place that decides.

Views name a permission (e.g. ``@review_view("reviews.see_review")``) and never
check roles themselves. Rules take ``(user, review)``; the user's role in that
review is looked up once per request and cached on the review object.
Someone else's review is a 404 (the scoped queryset hides it); a member who may
read but not act gets a 403.
"""

from __future__ import annotations

import rules

from core.roles import is_coordinator
from reviews.steps import COORDINATOR, HOST, PEER, TEAM_LEADER, TEAM_ROLES

_CACHE = "_cf_roles"


def role_in(user, review) -> str | None:
    """The user's role in the review, or None (coordinators without membership: None)."""
    if review is None or not getattr(user, "is_authenticated", False):
        return None
    cache = review.__dict__.setdefault(_CACHE, {})
    if user.pk not in cache:
        cache[user.pk] = review.memberships.filter(user=user).values_list("role", flat=True).first()
    return cache[user.pk]


def prime_roles(user, reviews) -> None:
    """Look up the user's role in many reviews in one query (pages across reviews)."""
    if not getattr(user, "is_authenticated", False):
        return
    from reviews.models import Membership

    found = dict(
        Membership.objects.filter(user=user, review__in=[r.pk for r in reviews]).values_list(
            "review_id", "role"
        )
    )
    for review in reviews:
        review.__dict__.setdefault(_CACHE, {})[user.pk] = found.get(review.pk)


@rules.predicate
def is_member(user, review) -> bool:
    return role_in(user, review) is not None


def has_role(*roles: str):
    @rules.predicate(name=f"has_role({', '.join(roles)})")
    def predicate(user, review) -> bool:
        return role_in(user, review) in roles

    return predicate


is_team_leader = has_role(TEAM_LEADER)
is_peer = has_role(PEER, TEAM_LEADER)
is_host = has_role(HOST)
is_review_coordinator = has_role(COORDINATOR)

rules.add_perm("reviews.see_all_reviews", is_coordinator)
rules.add_perm("reviews.see_review", is_coordinator | is_member)
rules.add_perm("reviews.see_step", is_coordinator | is_member)
rules.add_perm("reviews.advance_review", is_coordinator | is_review_coordinator)
rules.add_perm("reviews.move_review_back", is_coordinator | is_review_coordinator)
# The archive holds every person's name and e-mail address: network staff only.
rules.add_perm("reviews.export_archive", is_coordinator)


@rules.predicate
def inception_submitted(user, review) -> bool:
    return review is not None and review.inception_report.is_submitted


is_team = has_role(PEER, TEAM_LEADER)
may_manage = is_coordinator | is_review_coordinator

rules.add_perm("reviews.open_review", is_coordinator)
rules.add_perm("reviews.edit_review", may_manage)
rules.add_perm("reviews.manage_team", may_manage)
rules.add_perm("reviews.see_team", is_coordinator | is_member)
# Before submission only the host and coordinators see the inception report; then the team.
rules.add_perm("reviews.see_inception", may_manage | is_host | (is_team & inception_submitted))
rules.add_perm("reviews.edit_inception", is_host & ~inception_submitted)
rules.add_perm("reviews.reopen_inception", may_manage & inception_submitted)


@rules.predicate
def submitted_own_desk_review(user, review) -> bool:
    if review is None or not getattr(user, "is_authenticated", False):
        return False
    cache = review.__dict__.setdefault("_cf_desk_submitted", {})
    if user.pk not in cache:
        cache[user.pk] = review.desk_reviews.filter(peer=user, submitted_at__isnull=False).exists()
    return cache[user.pk]


@rules.predicate
def all_desk_reviews_submitted(user, review) -> bool:
    if review is None:
        return False
    team = review.memberships.with_roles(*TEAM_ROLES).values("user_id")
    pending = team.exclude(
        user_id__in=review.desk_reviews.filter(submitted_at__isnull=False).values("peer_id")
    )
    return team.exists() and not pending.exists()


# Step 4: peers write alone; they see the others' desk reviews once they submitted their own.
rules.add_perm("reviews.write_desk_review", is_team & inception_submitted)
rules.add_perm("reviews.see_desk_progress", (is_team | may_manage) & inception_submitted)
rules.add_perm(
    "reviews.see_team_desk_reviews",
    (is_team & submitted_own_desk_review) | (may_manage & all_desk_reviews_submitted),
)
rules.add_perm("reviews.consolidate", is_team_leader & submitted_own_desk_review)
# A submitted desk review can no longer change; a coordinator can give it back to its peer.
rules.add_perm("reviews.reopen_desk_review", may_manage & inception_submitted)
rules.add_perm("reviews.ask_host", is_team & inception_submitted)
rules.add_perm("reviews.see_requests", (is_team | is_host | may_manage) & inception_submitted)
rules.add_perm("reviews.answer_request", is_host & inception_submitted)

# Step 5: the host sees the timetable (it arranges the meetings); briefs are the team's.
rules.add_perm("reviews.see_visit", is_team | is_host | may_manage)
rules.add_perm("reviews.plan_visit", is_team_leader | may_manage)
rules.add_perm("reviews.see_briefs", is_team | may_manage)

# Step 6: the evidence is the team's; the host sees none of it before the report is out.
rules.add_perm("reviews.see_evidence", is_team | may_manage)
rules.add_perm("reviews.record_evidence", is_team)
rules.add_perm("reviews.moderate_evidence", is_team_leader)
rules.add_perm("reviews.evaluate", is_team)


@rules.predicate
def may_change_entry(user, evidence) -> bool:
    """An evidence entry (not a review): its author in the team, or the team leader."""
    if evidence is None or evidence.deleted_at is not None:
        return False
    review = evidence.review  # the list's own review object: the role is looked up once
    if not is_team.test(user, review):
        return False
    return evidence.author_id == user.pk or is_team_leader.test(user, review)


# Takes the entry itself: has_perm("reviews.change_evidence", entry).
rules.add_perm("reviews.change_evidence", may_change_entry)


@rules.predicate
def conclusions_locked(user, review) -> bool:
    if review is None:
        return False
    if "_cf_locked" not in review.__dict__:
        from reviews.models.conclusions import conclusions_locked as locked

        review.__dict__["_cf_locked"] = locked(review)
    return review.__dict__["_cf_locked"]


# Step 7 on site: the team leader drafts the main conclusions, every peer agrees or dissents;
# once all agree the list is locked and the preliminary feedback can be recorded.
rules.add_perm("reviews.see_conclusions", is_team | may_manage)
rules.add_perm("reviews.draft_conclusions", is_team_leader & ~conclusions_locked)
rules.add_perm("reviews.vote_conclusions", is_team & ~conclusions_locked)
rules.add_perm("reviews.record_feedback", is_team_leader & conclusions_locked)


# Step 7 after the visit: the feedback report. The team writes and approves it; the host
# city sees nothing of it until the factual-accuracy round (the version sent) and then the
# published final version.
def _report(review):
    if review is None:
        return None
    if "_cf_report" not in review.__dict__:
        from reviews.models import FeedbackReport, Review

        related = Review.feedback_report.related
        if related.is_cached(
            review
        ):  # loaded in this request (services.feedback_report.ensure_report)
            review.__dict__["_cf_report"] = related.get_cached_value(review)
        else:
            review.__dict__["_cf_report"] = (
                FeedbackReport.objects.filter(review=review)
                .select_related("factual_round_version")
                .first()
            )
    return review.__dict__["_cf_report"]


@rules.predicate
def report_final(user, review) -> bool:
    report = _report(review)
    return bool(report and report.is_final)


@rules.predicate
def report_pending(user, review) -> bool:
    report = _report(review)
    return bool(report and report.pending_version)


@rules.predicate
def report_published(user, review) -> bool:
    report = _report(review)
    return bool(report and report.is_published)


@rules.predicate
def factual_round_open(user, review) -> bool:
    report = _report(review)
    return bool(report and report.factual_round_open)


@rules.predicate
def factual_round_held(user, review) -> bool:
    report = _report(review)
    return bool(report and report.factual_round_opened_at)


rules.add_perm("reviews.see_report_draft", is_team | may_manage)
rules.add_perm("reviews.compose_report", is_team & ~report_final)
# A team member whose save arrives after the report became final (their text is kept).
rules.add_perm("reviews.was_composing", is_team & report_final)
rules.add_perm("reviews.assign_sections", is_team_leader & ~report_final)
rules.add_perm("reviews.freeze_report", is_team_leader & ~report_final & ~report_pending)
rules.add_perm("reviews.approve_report", is_team & report_pending)
# Posting a decision: refused with the text kept when the version changed meanwhile.
rules.add_perm("reviews.decide_on_versions", is_team)
rules.add_perm("reviews.run_factual_round", is_team_leader & ~report_final)
rules.add_perm("reviews.see_factual_round", (is_team | may_manage) | (is_host & factual_round_held))
rules.add_perm("reviews.comment_factual", is_host & factual_round_open)
# A host whose comment arrives after the round closed (their text is kept on screen).
rules.add_perm("reviews.was_commenting", is_host & factual_round_held & ~factual_round_open)
rules.add_perm("reviews.answer_factual", is_team & ~report_final)
rules.add_perm("reviews.finalise_report", is_team_leader & report_pending)
# The coordinator, or the team leader as the team's ambassador to the city, publishes it.
rules.add_perm(
    "reviews.publish_report", (may_manage | is_team_leader) & report_final & ~report_published
)
rules.add_perm("reviews.share_report", may_manage & report_published)
# The coordinator chooses the network annex while the report can still be frozen again.
rules.add_perm("reviews.choose_report_annex", may_manage & ~report_final)
# Until it is published a coordinator can undo "make final" (the team changes it again).
rules.add_perm("reviews.reopen_report", may_manage & report_final & ~report_published)
rules.add_perm(
    "reviews.see_final_report",
    ((is_team | may_manage) & report_final) | (is_host & report_published),
)
rules.add_perm("reviews.record_presentation", (is_team_leader | may_manage) & report_published)
# After publication: the host city answers each recommendation and reports progress.
rules.add_perm("reviews.see_action_plan", (is_member | may_manage) & report_published)
rules.add_perm("reviews.respond_to_report", is_host & report_published)
rules.add_perm("reviews.report_progress", is_host & report_published)
rules.add_perm("reviews.set_checkpoints", may_manage & report_published)
rules.add_perm("reviews.see_commitments", is_coordinator)
# The personal data of the people interviewed: the network answers access requests and
# erasures (coordinators only); the team and managers see how long names are kept.
rules.add_perm("reviews.handle_personal_data", is_coordinator)
rules.add_perm("reviews.see_retention", is_team | may_manage)


# Programmes: coordinators run them; whoever is on one of its reviews sees its board read-only.
# These rules take (user, programme).
@rules.predicate
def is_programme_member(user, programme) -> bool:
    if programme is None or not getattr(user, "is_authenticated", False):
        return False
    cache = programme.__dict__.setdefault("_cf_members", {})
    if user.pk not in cache:
        from reviews.models import Membership

        cache[user.pk] = Membership.objects.filter(user=user, review__programme=programme).exists()
    return cache[user.pk]


rules.add_perm("reviews.see_programme", is_coordinator | is_programme_member)
rules.add_perm("reviews.manage_programme", is_coordinator)
