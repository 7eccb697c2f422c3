"""Who may see or change a practice. Rules take ``(user, practice)``.

Published practices are for everyone, signed in or not. A draft from a review is for its
team (peers, team leader) and coordinators; the team leader completes and publishes it.
Only a coordinator takes a practice out of the library again.
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
def is_practice_team(user, practice) -> bool:
    return practice is not None and role_in(user, practice.review) in (PEER, TEAM_LEADER)


@rules.predicate
def is_practice_leader(user, practice) -> bool:
    return practice is not None and role_in(user, practice.review) == TEAM_LEADER


rules.add_perm("practices.see_practice", is_published | is_coordinator | is_practice_team)
rules.add_perm("practices.edit_practice", ~is_published & (is_coordinator | is_practice_leader))
rules.add_perm("practices.publish_practice", ~is_published & (is_coordinator | is_practice_leader))
rules.add_perm("practices.unpublish_practice", is_published & is_coordinator)
