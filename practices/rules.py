"""Who may see or change a practice. Rules take ``(user, practice)``.

Published practices are for everyone, signed in or not. A draft from a review is for its
team (peers, team leader) and coordinators; the team leader completes it, every member of
the team approves it, then the team leader or a coordinator publishes it. A practice
entered directly (no review) is the coordinators': they enter, approve and publish it.
Only a coordinator takes a practice out of the library again. (The states:
practices/services.py.)
"""

from __future__ import annotations

import rules

from core.roles import is_coordinator
from reviews.rules import role_in
from reviews.steps import PEER, TEAM_LEADER


@rules.predicate
def is_published(user, practice) -> bool:
    return practice is not None and practice.is_published


@rules.predicate
def is_approved(user, practice) -> bool:
    return practice is not None and practice.is_approved


@rules.predicate
def is_from_review(user, practice) -> bool:
    return practice is not None and practice.from_review


@rules.predicate
def is_practice_team(user, practice) -> bool:
    return practice is not None and role_in(user, practice.review) in (PEER, TEAM_LEADER)


@rules.predicate
def is_practice_leader(user, practice) -> bool:
    return practice is not None and role_in(user, practice.review) == TEAM_LEADER


# Who approves: the review's team (each member for themselves), or for a practice entered
# directly, a coordinator.
approver = (is_from_review & is_practice_team) | (~is_from_review & is_coordinator)
publisher = is_coordinator | is_practice_leader

rules.add_perm("practices.add_practice", is_coordinator)
rules.add_perm("practices.see_practice", is_published | is_coordinator | is_practice_team)
rules.add_perm("practices.edit_practice", ~is_published & publisher)
rules.add_perm("practices.approve_practice", ~is_published & approver)
rules.add_perm("practices.reopen_practice", is_approved & publisher)
rules.add_perm("practices.publish_practice", is_approved & publisher)
rules.add_perm("practices.unpublish_practice", is_published & is_coordinator)
