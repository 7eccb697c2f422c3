"""How much one person may post in an hour: questions to the host city, benchmark comments.

A bound against mistakes and abuse (a script, a stuck key), far above what a peer writes.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone


def posts_left(queryset, *, author_field: str, user, time_field: str) -> int:
    """How many more posts `user` may make now, given the rows of `queryset` they made."""
    since = timezone.now() - datetime.timedelta(hours=1)
    recent = queryset.filter(**{author_field: user, f"{time_field}__gte": since}).count()
    return max(settings.POSTING_LIMIT_PER_HOUR - recent, 0)
