"""Role predicates every app may use. Roles within a review live in `reviews.rules`."""

from __future__ import annotations

import rules


@rules.predicate
def is_coordinator(user) -> bool:
    """Network staff: the one global role."""
    return bool(getattr(user, "is_authenticated", False) and user.is_coordinator)
