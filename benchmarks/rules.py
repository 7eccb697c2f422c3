"""Who may see or change benchmarks: coordinators edit drafts; peers see drafts circulated to them;
everyone signed in sees published versions."""

import rules

from core.roles import is_coordinator


@rules.predicate
def is_published(user, version) -> bool:
    return version is not None and version.is_published


@rules.predicate
def is_draft(user, version) -> bool:
    return version is not None and not version.is_published


@rules.predicate
def is_circulated_to(user, version) -> bool:
    if version is None or not user.is_authenticated:
        return False
    cache = version.__dict__.setdefault("_cf_reviewer", {})
    if user.pk not in cache:
        cache[user.pk] = version.reviewers.filter(user=user).exists()
    return cache[user.pk]


is_signed_in = rules.is_authenticated

rules.add_perm("benchmarks.manage_benchmarks", is_coordinator)
rules.add_perm(
    "benchmarks.see_version", is_signed_in & (is_published | is_coordinator | is_circulated_to)
)
rules.add_perm("benchmarks.edit_version", is_coordinator & is_draft)
rules.add_perm("benchmarks.publish_version", is_coordinator & is_draft)
rules.add_perm("benchmarks.approve_version", is_draft & is_circulated_to)
rules.add_perm("benchmarks.comment_version", is_draft & (is_coordinator | is_circulated_to))
