"""The rules of the visit timetable, as plain functions of sessions.

Refused outright (errors): a session that ends before it starts or crosses
midnight; a peer or interviewee booked in two sessions at once; an interview with
other than two peers without a stated reason. Only advised against (warnings):
more than five interviews a day for a peer; an indicator in scope covered by fewer
than two sessions (findings later need two interviews); people the desk reviews
asked to meet who are not scheduled.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

MAX_INTERVIEWS_A_DAY = 5
MIN_SESSIONS_PER_INDICATOR = 2
PEERS_PER_INTERVIEW = 2


@dataclass
class Slot:
    """What the rules need to know of a session."""

    key: object  # the session's pk, or None for one being created
    kind: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    peers: set = field(default_factory=set)  # user ids
    interviewees: set = field(default_factory=set)  # proposed interviewee ids
    indicators: set = field(default_factory=set)  # indicator ids
    peer_count_reason: str = ""


def overlaps(a: Slot, b: Slot) -> bool:
    """Sessions overlap when each starts before the other ends (back to back is fine)."""
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def errors_for(
    slot: Slot, others: Iterable[Slot], *, names: dict | None = None
) -> dict[str, list[str]]:
    """Why `slot` cannot be saved next to `others`, by form field; empty when it can."""
    from django.utils.translation import gettext as _

    names = names or {}
    errors: dict[str, list[str]] = defaultdict(list)
    if slot.ends_at <= slot.starts_at:
        errors["ends_at"].append(_("The session must end after it starts."))
    elif slot.ends_at.date() != slot.starts_at.date():
        errors["ends_at"].append(_("A session cannot cross midnight: split it over two days."))
    if (
        slot.kind == "interview"
        and len(slot.peers) != PEERS_PER_INTERVIEW
        and not slot.peer_count_reason.strip()
    ):
        errors["peer_count_reason"].append(
            _("The method asks for two peers per interview: give a reason for %(n)s.")
            % {"n": len(slot.peers)}
        )
    for other in others:
        if other.key == slot.key or not overlaps(slot, other):
            continue
        for person in sorted(slot.peers & other.peers, key=str):
            errors["peers"].append(
                _("%(who)s is already booked from %(start)s to %(end)s.")
                % {
                    "who": names.get(("peer", person), person),
                    "start": f"{other.starts_at:%H:%M}",
                    "end": f"{other.ends_at:%H:%M}",
                }
            )
        for person in sorted(slot.interviewees & other.interviewees, key=str):
            errors["interviewees"].append(
                _("%(who)s is already booked from %(start)s to %(end)s.")
                % {
                    "who": names.get(("interviewee", person), person),
                    "start": f"{other.starts_at:%H:%M}",
                    "end": f"{other.ends_at:%H:%M}",
                }
            )
    return dict(errors)


def overloaded_peers(slots: Iterable[Slot]) -> list[tuple[object, datetime.date, int]]:
    """(peer, day, interviews) for every peer with more than five interviews on a day."""
    per_day: Counter = Counter()
    for slot in slots:
        if slot.kind == "interview":
            for peer in slot.peers:
                per_day[(peer, slot.starts_at.date())] += 1
    return sorted(
        ((peer, day, n) for (peer, day), n in per_day.items() if n > MAX_INTERVIEWS_A_DAY),
        key=lambda row: (row[1], str(row[0])),
    )


def thin_coverage(slots: Iterable[Slot], indicators_in_scope: Iterable) -> list[tuple[object, int]]:
    """(indicator, sessions) for each indicator in scope covered by fewer than two sessions."""
    covered: Counter = Counter()
    for slot in slots:
        for indicator in slot.indicators:
            covered[indicator] += 1
    return [
        (indicator, covered[indicator])
        for indicator in indicators_in_scope
        if covered[indicator] < MIN_SESSIONS_PER_INDICATOR
    ]


def unscheduled(slots: Iterable[Slot], requested: Iterable) -> list:
    """People the desk reviews asked to meet who are in no session."""
    scheduled = set()
    for slot in slots:
        scheduled |= slot.interviewees
    return [person for person in requested if person not in scheduled]


def timetable(
    days, day_starts: datetime.time, day_ends: datetime.time, slot_minutes: int, sessions
):
    """Rows of the visit grid: (time, [sessions starting in that slot, one list per day]).

    Sessions before the first or after the last slot go into the first or last row, so
    nothing planned ever disappears from the grid.
    """
    step = datetime.timedelta(minutes=max(slot_minutes, 5))
    times = []
    current = datetime.datetime.combine(datetime.date.min, day_starts)
    end = datetime.datetime.combine(datetime.date.min, day_ends)
    while current < end:
        times.append(current.time())
        current += step
    times = times or [day_starts]
    cells = {(day, t): [] for day in days for t in times}
    for session in sessions:
        start = session.local_start
        if start.date() not in days:
            continue
        row = times[0]
        for t in times:
            if t <= start.time():
                row = t
        cells[(start.date(), row)].append(session)
    return [(t, [cells[(day, t)] for day in days]) for t in times]
