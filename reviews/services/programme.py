"""A programme's board, its peer pool and the forming of every team at once.

The board reads each review's state from `reviews.status` (one function decides a step's
state and who must act) and its last activity from `reviews.activity`, for all the
programme's reviews together: its number of queries does not grow with the reviews.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cities.models import User
from reviews.activity import last_activity
from reviews.models import Membership, Programme, Review
from reviews.models.review import conflict_of_interest
from reviews.services.team import add_member
from reviews.status import Acting, ReviewProgress, progress_of_many, with_progress
from reviews.steps import PEER, TEAM_LEADER, TEAM_ROLES

# A review nobody touched for this long is flagged on the board.
STALE_AFTER = datetime.timedelta(days=14)


# --- the board -------------------------------------------------------------------------------


@dataclass
class BoardRow:
    review: Review
    progress: ReviewProgress
    acting: Acting
    last_activity: datetime.datetime | None
    stale: bool
    days_overdue: int
    # The viewer is on this review (or coordinates the programme): they see its internals.
    open_to_viewer: bool

    @property
    def current(self):
        return self.progress.current

    def behind(self) -> tuple:
        """Furthest behind first: the most days past the current step's due date, then
        reviews nobody touched for two weeks, then the soonest due, then the earliest step."""
        due = self.current.due if self.current.state != "published" else None
        return (
            -self.days_overdue,
            not self.stale,
            due or datetime.date.max,
            self.review.current_step,
            self.review.title,
        )


def board_rows(programme: Programme, *, user, today: datetime.date | None = None) -> list:
    """Every review of the programme, furthest behind first, with what the viewer may see."""
    today = today or timezone.localdate()
    reviews = list(with_progress(programme.reviews.all()))
    progress = progress_of_many(reviews, today)
    activity = last_activity([r.pk for r in reviews])
    coordinates = user.has_perm("reviews.manage_programme", programme)
    mine = (
        set()
        if coordinates
        else set(
            Membership.objects.filter(user=user, review__programme=programme).values_list(
                "review_id", flat=True
            )
        )
    )
    now = timezone.now()
    rows = []
    for review in reviews:
        state = progress[review.pk]
        current = state.current
        at = activity.get(review.pk)
        overdue = (today - current.due).days if current.overdue else 0
        rows.append(
            BoardRow(
                review=review,
                progress=state,
                acting=state.who_acts(),
                last_activity=at,
                stale=at is None or now - at > STALE_AFTER,
                days_overdue=overdue,
                open_to_viewer=coordinates or review.pk in mine,
            )
        )
    return sorted(rows, key=BoardRow.behind)


@dataclass
class Partner:
    city: object
    hosted: list = field(default_factory=list)  # titles of the reviews it hosts


def partners_of(programme: Programme, reviews) -> list[Partner]:
    """Each partner city with the programme's reviews it hosts (some host none)."""
    partners = {c.pk: Partner(c) for c in programme.partners.order_by("name")}
    for review in reviews:
        if review.host_city_id in partners:
            partners[review.host_city_id].hosted.append(review.title)
    return list(partners.values())


# --- the pool and the teams -----------------------------------------------------------------


def people_for_teams(programme: Programme) -> list:
    """The pool, and whoever is on a team of the programme without being in it, by city."""
    on_teams = Membership.objects.filter(review__programme=programme, role__in=TEAM_ROLES)
    people = User.objects.filter(pk__in=programme.pool.values("pk")) | User.objects.filter(
        pk__in=on_teams.values("user_id")
    )
    return list(people.distinct().select_related("city").order_by("city__name", "name"))


def pool_warnings(programme: Programme, people) -> list[str]:
    """Peers from a city that is not a partner (allowed: said, not refused)."""
    warnings = []
    for person in people:
        if person.city_id is None:
            warnings.append(
                _(
                    "%(name)s has no city on record: the conflict-of-interest rule cannot check them."
                )
                % {"name": person.name}
            )
        elif not programme.is_partner(person.city_id):
            warnings.append(
                _("%(name)s works for %(city)s, which is not a partner city of the programme.")
                % {"name": person.name, "city": person.city.name}
            )
    return warnings


def team_warnings_of(programme: Programme, reviews, memberships, people) -> list[str]:
    """What the method advises against in the programme's teams (shown, never refused):
    a peer on more visits than the programme allows, two peers of one team from one city."""
    names = {p.pk: p for p in people}
    visits: dict[int, list[str]] = {}
    cities: dict[tuple[int, int], list[str]] = {}
    titles = {r.pk: r for r in reviews}
    for m in memberships:
        if m.role not in TEAM_ROLES:
            continue
        person = names.get(m.user_id) or m.user
        visits.setdefault(m.user_id, []).append(titles[m.review_id].host_city.name)
        if person.city_id:
            cities.setdefault((m.review_id, person.city_id), []).append(person.name)
    warnings = []
    for user_id, hosts in visits.items():
        if len(hosts) > programme.visits_per_peer:
            person = names.get(user_id)
            warnings.append(
                ngettext(
                    "%(name)s is on %(n)s visits (%(cities)s); the programme plans at most "
                    "%(max)s per peer.",
                    "%(name)s is on %(n)s visits (%(cities)s); the programme plans at most "
                    "%(max)s per peer.",
                    len(hosts),
                )
                % {
                    "name": person.name if person else user_id,
                    "n": len(hosts),
                    "cities": ", ".join(sorted(hosts)),
                    "max": programme.visits_per_peer,
                }
            )
    for (review_id, _city), same in cities.items():
        if len(same) > 1:
            warnings.append(
                _("The team of %(review)s draws %(names)s from one city.")
                % {"review": titles[review_id].title, "names": " & ".join(sorted(same))}
            )
    return warnings


def conflict_in_cell(person, review) -> str | None:
    """The conflict-of-interest rule (`conflict_of_interest`) for a person joining a review's
    team, said as the team page says it (None: no conflict)."""
    if conflict_of_interest(role=PEER, city_id=person.city_id, host_city_id=review.host_city_id):
        return Membership(review=review, user=person, role=PEER).conflict(
            host_city=review.host_city, city=person.city
        )
    return None


@dataclass
class TeamChanges:
    added: list = field(default_factory=list)  # (person, review, role)
    changed: list = field(default_factory=list)
    removed: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def team_changes(wanted: dict, current: dict, people: dict, reviews: dict) -> TeamChanges:
    """What turns the teams as they are (`current`, (person, review) -> membership) into the
    teams wanted ((person, review) -> a team role, or "" for none)."""
    changes = TeamChanges()
    for (user_id, review_id), role in wanted.items():
        membership = current.get((user_id, review_id))
        person, review = people[user_id], reviews[review_id]
        if membership is None:
            if role:
                changes.added.append((person, review, role))
        elif membership.role in TEAM_ROLES:
            if not role:
                changes.removed.append((person, review, membership))
            elif role != membership.role:
                changes.changed.append((person, review, membership, role))
    return changes


@transaction.atomic
def apply_team_changes(changes: TeamChanges) -> None:
    """Write the changes in one transaction: first who steps down or leaves (so a review
    never has two leaders on the way), then who joins or takes the lead."""
    for _person, _review, membership in changes.removed:
        membership.delete()
    for _person, _review, membership, role in changes.changed:
        if role != TEAM_LEADER:
            membership.role = role
            membership.save(update_fields=["role"])
    for _person, _review, membership, role in changes.changed:
        if role == TEAM_LEADER:
            membership.role = role
            membership.full_clean()
            membership.save(update_fields=["role"])
    for person, review, role in changes.added:
        add_member(review=review, user=person, role=role)
