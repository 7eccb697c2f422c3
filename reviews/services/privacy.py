"""The personal data of the people interviewed: where a review holds it, how long, and
pseudonymisation.

Interviewees (``ProposedInterviewee``) are named in their own rows, in the sessions and desk
review entries that list them, in the change history of all of these, in the frozen report
versions' content (the interviewees annex, the timetable) and in whatever people wrote
(evidence, notes, questions, comments). This module finds all of it for one review and
rewrites it:

- **the rows of a review** are every row of the reviews app that a chain of foreign keys
  leads from the review to, live or in the change history (the history of a deleted row
  still belongs to the review), found without naming the models, so a model added later is
  covered (``review_rows``);
- **a person is pseudonymised** when every name they were ever given (their row and each of
  its history rows) becomes their pseudonym, their kind's label and a number stable within
  the review ("Politician 2"), in their own rows and wherever the name occurs as a whole
  word, in any case, in the text and JSON columns of the review's rows; their contact is
  emptied; their organisation and role, kind and attribution stay;
- **the retention period** (``retention``) runs from publication; once it has ended, every
  interviewee of the review is pseudonymised and the desk reviews' "others to meet" are
  emptied (that field only names people who are not on the list, whom nothing can tell
  apart from other words).

Rows are rewritten with querysets: no ``save()`` runs (locked reports and agreed conclusions
change too) and no history row is added, since the history is rewritten the same way. A
live row that people edit gets a new edit version, so a form opened before cannot put a
name back without the conflict page. One event in the review's history records each pass.
Nothing here can be undone.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.versioning import EditVersioned
from reviews.models import (
    DeskReviewEntry,
    Evidence,
    FeedbackReport,
    PrivacySettings,
    ProposedInterviewee,
    ReportVersion,
    Review,
    ReviewEvent,
    VisitSession,
)
from reviews.models.feedback_report import add_months
from reviews.models.privacy import DEFAULT_RETENTION_MONTHS

BATCH = 500
# Shorter names are not looked for in free text: they are words, not names.
SHORTEST_NAME = 2
EXCERPT = 60
UNKNOWN = object()


def _chunks(items: Iterable, size: int = BATCH) -> Iterator[list]:
    items = sorted(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- The retention period ------------------------------------------------------------


@dataclass(frozen=True)
class Retention:
    months: int
    from_default: bool  # the network's default, not the review's own period
    published_on: datetime.date | None
    ends_on: datetime.date | None  # None until the report is published

    def has_ended(self, today: datetime.date | None = None) -> bool:
        return self.ends_on is not None and self.ends_on <= (today or timezone.localdate())


def retention(
    review: Review,
    *,
    published_at: datetime.datetime | None | object = UNKNOWN,
    default_months: int | None = None,
) -> Retention:
    """How long the review keeps its interviewees' names: months after publication, its own
    period or the network's. Pass `published_at` (None: not published) and `default_months`
    when they are known already."""
    if published_at is UNKNOWN:
        published_at = (
            FeedbackReport.objects.filter(review=review)
            .values_list("published_at", flat=True)
            .first()
        )
    if default_months is None:
        default_months = PrivacySettings.current().retention_months
    months = review.retention_months or default_months
    published_on = timezone.localdate(published_at) if published_at else None
    return Retention(
        months=months,
        from_default=not review.retention_months,
        published_on=published_on,
        ends_on=add_months(published_on, months) if published_on else None,
    )


def retention_with_end(review: Review) -> tuple[Retention, datetime.datetime | None]:
    """The review's retention period and when the retention pass replaced its names (None:
    not yet), in one query (for the review's page)."""
    done = ReviewEvent.objects.filter(
        review=OuterRef("pk"), verb=ReviewEvent.RETENTION_ENDED
    ).order_by("-created_at")
    row = (
        Review.objects.filter(pk=review.pk)
        .annotate(
            published=F("feedback_report__published_at"),
            default_months=Subquery(
                PrivacySettings.objects.filter(pk=1).values("retention_months")
            ),
            done=Subquery(done.values("created_at")[:1]),
        )
        .values("published", "default_months", "done")
        .get()
    )
    kept = retention(
        review,
        published_at=row["published"],
        default_months=row["default_months"] or DEFAULT_RETENTION_MONTHS,
    )
    return kept, row["done"]


def reviews_with_retention() -> list[tuple[Review, Retention]]:
    """Every review with its retention period, in a fixed number of queries."""
    default = PrivacySettings.current().retention_months
    reviews = Review.objects.select_related("host_city").annotate(
        published=F("feedback_report__published_at")
    )
    return [(r, retention(r, published_at=r.published, default_months=default)) for r in reviews]


def retention_ended(today: datetime.date | None = None) -> list[Review]:
    """The reviews whose retention period has ended, oldest publication first."""
    ended = [(r, kept) for r, kept in reviews_with_retention() if kept.has_ended(today)]
    return [r for r, _kept in sorted(ended, key=lambda pair: (pair[1].published_on, pair[0].pk))]


# --- The rows of a review ------------------------------------------------------------


def _history_model(model) -> type[models.Model] | None:
    attr = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, attr).model if attr else None


def _live_models() -> list[type[models.Model]]:
    """The reviews app's own models: neither change history nor many-to-many link tables."""
    found = list(apps.get_app_config("reviews").get_models())
    history = set()
    for model in found:
        history_model = _history_model(model)
        if history_model is not None:
            history.add(history_model)
            history.update(
                getattr(history_model, f.name).model
                for f in getattr(history_model, "_history_m2m_fields", [])
            )
    return [m for m in found if m not in history and not m._meta.auto_created]


def review_rows(review: Review) -> dict[type[models.Model], set[int]]:
    """Primary keys per model of every row that belongs to `review`: reached from it by
    foreign keys, in the live tables or in the change history (deleted rows too)."""
    live = _live_models()
    inside = set(live)
    edges = [
        (model, fk)
        for model in live
        for fk in model._meta.concrete_fields
        if fk.is_relation
        and (fk.many_to_one or fk.one_to_one)
        and fk.related_model in inside
        and fk.related_model is not model
    ]
    found: dict[type, set[int]] = defaultdict(set)
    found[Review] = {review.pk}
    new: dict[type, set[int]] = {Review: {review.pk}}
    while new:  # each round follows the keys to the rows found in the round before
        grown: dict[type, set[int]] = defaultdict(set)
        for model, fk in edges:
            parents = new.get(fk.related_model)
            if not parents:
                continue
            history = _history_model(model)
            for chunk in _chunks(parents):
                lookup = {f"{fk.attname}__in": chunk}
                pks = set(model._base_manager.filter(**lookup).values_list("pk", flat=True))
                if history is not None:
                    pks |= set(
                        history._base_manager.filter(**lookup).values_list(
                            model._meta.pk.attname, flat=True
                        )
                    )
                grown[model] |= pks - found[model]
        for model, pks in grown.items():
            found[model] |= pks
        new = {model: pks for model, pks in grown.items() if pks}
    return dict(found)


def _columns(model) -> tuple[list[str], list[str]]:
    """(text columns, JSON columns) that can hold a name: free text, not choices or keys."""
    texts, jsons = [], []
    for f in model._meta.concrete_fields:
        if f.is_relation or f.choices:
            continue
        if isinstance(f, models.JSONField):
            jsons.append(f.attname)
        elif isinstance(f, models.CharField | models.TextField):
            texts.append(f.attname)
    return texts, jsons


@dataclass(frozen=True)
class Cell:
    """One text or JSON value of one row of a review."""

    model: type[models.Model]  # a live or a historical model
    tracked: type[models.Model]  # the live model
    pk: int  # the row's primary key (a history row's history_id)
    column: str
    value: object
    is_json: bool

    @property
    def is_history(self) -> bool:
        return self.model is not self.tracked


def _cells(rows: dict[type, set[int]]) -> Iterator[Cell]:
    """Every non-empty text and JSON value of the rows and of their history rows."""
    for tracked in sorted(rows, key=lambda m: m._meta.label):
        history = _history_model(tracked)
        tables = [(tracked, "pk")]
        if history is not None:
            tables.append((history, tracked._meta.pk.attname))
        for model, key in tables:
            texts, jsons = _columns(model)
            columns = texts + jsons
            if not columns:
                continue
            for chunk in _chunks(rows[tracked]):
                values = (
                    model._base_manager.filter(**{f"{key}__in": chunk})
                    .order_by("pk")
                    .values_list("pk", *columns)
                )
                for row in values:
                    for column, value in zip(columns, row[1:], strict=True):
                        if value:
                            yield Cell(model, tracked, row[0], column, value, column in jsons)


# --- The people ------------------------------------------------------------------------


@dataclass
class Person:
    """An interviewee of one review, as the review holds them now (the live row, or the
    last history row of someone deleted), with every name and contact they were given."""

    pk: int
    review_id: int
    name: str
    organisation: str
    kind: str
    contact: str
    attribution: str
    deleted: bool
    names: set[str] = field(default_factory=set)
    contacts: set[str] = field(default_factory=set)

    @property
    def all_names(self) -> list[str]:
        return sorted(self.names, key=str.casefold)

    @property
    def kind_label(self) -> str:
        return str(dict(ProposedInterviewee.KIND_CHOICES).get(self.kind, self.kind))

    @property
    def attribution_label(self) -> str:
        return str(dict(ProposedInterviewee.ATTRIBUTION_CHOICES).get(self.attribution, ""))

    @property
    def is_pseudonymised(self) -> bool:
        return bool(_pseudonym_pattern(self.kind).fullmatch(self.name)) and not any(self.contacts)


HistoricalInterviewee = ProposedInterviewee.history.model
PERSON_FIELDS = ("name", "organisation", "kind", "contact", "attribution")


def people_of(review: Review) -> list[Person]:
    """Everyone the review has or had as an interviewee, by id."""
    people: dict[int, Person] = {}
    history = (
        HistoricalInterviewee.objects.filter(review=review)
        .order_by("history_date", "history_id")
        .values("id", *PERSON_FIELDS)
    )
    live = ProposedInterviewee.objects.filter(review=review).values("id", *PERSON_FIELDS)
    # Oldest first, the live row last: what stands now is what the last row says.
    for row, deleted in [*((row, True) for row in history), *((row, False) for row in live)]:
        fields = {key: row[key] for key in PERSON_FIELDS}
        person = people.setdefault(
            row["id"], Person(pk=row["id"], review_id=review.pk, deleted=deleted, **fields)
        )
        for key, value in fields.items():
            setattr(person, key, value)
        person.deleted = deleted
        person.names.add(row["name"])
        person.contacts.add(row["contact"])
    return sorted(people.values(), key=lambda p: p.pk)


def person_of(review: Review, pk: int) -> Person:
    """One interviewee of the review (also someone deleted since), or LookupError."""
    for person in people_of(review):
        if person.pk == pk:
            return person
    raise LookupError(pk)


def find_people(text: str) -> list[tuple[Review, Person]]:
    """Interviewees of every review with `text` in one of their names (any case)."""
    needle = text.strip().casefold()
    if len(needle) < SHORTEST_NAME:
        return []
    rows = set(HistoricalInterviewee.objects.values_list("review_id", "id", "name"))
    rows |= set(ProposedInterviewee.objects.values_list("review_id", "id", "name"))
    wanted: dict[int, set[int]] = defaultdict(set)
    for review_id, pk, name in rows:
        if needle in name.casefold():
            wanted[review_id].add(pk)
    found = []
    for review in Review.objects.filter(pk__in=wanted).select_related("host_city"):
        found.extend((review, p) for p in people_of(review) if p.pk in wanted[review.pk])
    return sorted(found, key=lambda pair: (pair[1].name.casefold(), pair[0].pk, pair[1].pk))


def _kind_labels() -> dict[str, str]:
    """Pseudonyms are stored in the site's language, whoever makes them."""
    with translation.override(settings.LANGUAGE_CODE):
        return {key: str(label) for key, label in ProposedInterviewee.KIND_CHOICES}


def _pseudonym_pattern(kind: str) -> re.Pattern:
    label = _kind_labels().get(kind, kind)
    return re.compile(rf"{re.escape(label)} \d+")


def pseudonyms(people: list[Person]) -> dict[int, str]:
    """Each person's pseudonym: the one they have if pseudonymised already; else their
    kind's label and their place among the review's people of that kind, by id (or the
    next number nobody has)."""
    labels = _kind_labels()
    result = {p.pk: p.name for p in people if p.is_pseudonymised}
    taken = {name.casefold() for name in result.values()}
    by_kind: dict[str, list[Person]] = defaultdict(list)
    for person in sorted(people, key=lambda p: p.pk):
        by_kind[person.kind].append(person)
    for kind, group in by_kind.items():
        for place, person in enumerate(group, start=1):
            if person.pk in result:
                continue
            number = place
            while f"{labels.get(kind, kind)} {number}".casefold() in taken:
                number += 1
            result[person.pk] = f"{labels.get(kind, kind)} {number}"
            taken.add(result[person.pk].casefold())
    return result


class Names:
    """Finds people's names in text, as whole words in any case, and replaces those of the
    people in `targets` (person pk -> replacement). Everyone's names are in one pattern,
    longest first, so that someone else's longer name ("Ayse Demir-Jansen") stays whole."""

    def __init__(self, people: list[Person], targets: dict[int, str]) -> None:
        entries: dict[str, tuple[str, str | None]] = {}
        for person in people:
            new = targets.get(person.pk)
            for name in person.names:
                name = name.strip()
                key = name.casefold()
                if len(name) < SHORTEST_NAME or (new is not None and key == new.casefold()):
                    continue
                if key not in entries or new is not None:
                    entries[key] = (name, new)
        ordered = sorted(entries.values(), key=lambda entry: len(entry[0]), reverse=True)
        self._replacements = [new for _name, new in ordered]
        self.pattern = (
            re.compile(
                r"(?<!\w)(?:"
                + "|".join(f"({re.escape(name)})" for name, _new in ordered)
                + r")(?!\w)",
                re.IGNORECASE,
            )
            if any(new is not None for _name, new in ordered)
            else None
        )

    def _replacement(self, match: re.Match) -> str | None:
        return self._replacements[match.lastindex - 1]

    def sub(self, text: str) -> str:
        if self.pattern is None:
            return text
        return self.pattern.sub(lambda m: self._replacement(m) or m.group(0), text)

    def first(self, text: str) -> re.Match | None:
        """The first occurrence of a target's name in `text`."""
        if self.pattern is None:
            return None
        for match in self.pattern.finditer(text):
            if self._replacement(match) is not None:
                return match
        return None

    def sub_json(self, value):
        if isinstance(value, str):
            return self.sub(value)
        if isinstance(value, list):
            return [self.sub_json(v) for v in value]
        if isinstance(value, dict):
            return {k: self.sub_json(v) for k, v in value.items()}
        return value


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


# --- Pseudonymisation ------------------------------------------------------------------


@dataclass
class Plan:
    """What a pass changes: new values per row (model, pk) and column."""

    review: Review
    people: list[Person]  # who is pseudonymised (or already was)
    pseudonyms: dict[int, str]
    changes: dict[tuple[type, int], dict[str, object]] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return len(self.changes)

    def counts(self) -> list[tuple[type, str, int]]:
        """(model, column, rows changed), by model label and column."""
        counted: dict[tuple[type, str], int] = defaultdict(int)
        for (model, _pk), values in self.changes.items():
            for column in values:
                counted[(model, column)] += 1
        return [
            (model, column, n)
            for (model, column), n in sorted(
                counted.items(), key=lambda item: (item[0][0]._meta.label, item[0][1])
            )
        ]

    def summary(self) -> list[dict]:
        """The counts as people read them: model, field, live row or history, rows."""
        return [
            {
                "model": str(getattr(model, "instance_type", model)._meta.verbose_name),
                "field": _verbose(model, column),
                "is_history": hasattr(model, "instance_type"),
                "rows": rows,
            }
            for model, column, rows in self.counts()
        ]

    def newly_pseudonymised(self) -> list[Person]:
        return [p for p in self.people if not p.is_pseudonymised]


def _fit(model, column: str, value):
    """A replacement longer than the name must still fit a limited column."""
    max_length = getattr(model._meta.get_field(column), "max_length", None)
    if isinstance(value, str) and max_length:
        return value[:max_length]
    return value


def plan(review: Review, people: Iterable[int] | None = None, *, unlisted: bool = False) -> Plan:
    """What pseudonymising `people` (person pks; everyone when None) would change.
    `unlisted`: also empty the desk reviews' "others to meet" (the retention pass)."""
    everyone = people_of(review)
    wanted = None if people is None else set(people)
    chosen = everyone if wanted is None else [p for p in everyone if p.pk in wanted]
    names = pseudonyms(everyone)
    targets = {p.pk: names[p.pk] for p in chosen}
    matcher = Names(everyone, targets)
    result = Plan(review=review, people=chosen, pseudonyms=targets)
    changes: dict[tuple[type, int], dict[str, object]] = defaultdict(dict)
    rows = review_rows(review)
    interviewee_tables = (ProposedInterviewee, HistoricalInterviewee)
    for cell in _cells(rows):
        if cell.model in interviewee_tables and cell.column == "name":
            continue  # a person's own name is set below; someone else's stays whole
        new = matcher.sub_json(cell.value) if cell.is_json else matcher.sub(cell.value)
        if new != cell.value:
            changes[(cell.model, cell.pk)][cell.column] = _fit(cell.model, cell.column, new)
    for person in chosen:
        pseudonym = targets[person.pk]
        for model, key in ((ProposedInterviewee, "pk"), (HistoricalInterviewee, "id")):
            for pk, name, contact in model._base_manager.filter(**{key: person.pk}).values_list(
                "pk", "name", "contact"
            ):
                values = changes[(model, pk)]
                if name != pseudonym:
                    values["name"] = pseudonym
                if contact:
                    values["contact"] = ""
                else:
                    values.pop("contact", None)
    if unlisted:
        for model in (DeskReviewEntry, _history_model(DeskReviewEntry)):
            key = "pk" if model is DeskReviewEntry else "id"
            for chunk in _chunks(rows.get(DeskReviewEntry, ())):
                for pk in (
                    model._base_manager.filter(**{f"{key}__in": chunk})
                    .exclude(meet_others="")
                    .values_list("pk", flat=True)
                ):
                    changes[(model, pk)]["meet_others"] = ""
    result.changes = {key: values for key, values in changes.items() if values}
    return result


def _apply(changes: dict[tuple[type, int], dict[str, object]]) -> None:
    for (model, pk), values in changes.items():
        update = dict(values)
        if issubclass(model, EditVersioned):
            update["edit_version"] = F("edit_version") + 1
        model._base_manager.filter(pk=pk).update(**update)


def pseudonymise(
    review: Review,
    people: Iterable[int] | None = None,
    *,
    by=None,
    dry_run: bool = False,
) -> Plan:
    """Pseudonymise `people` of the review (person pks), or, with None, everyone at the end
    of the retention period. One transaction; an event in the review's history when
    anything changed; a second run changes nothing. `dry_run`: only say what would change."""
    everyone = people is None
    with transaction.atomic():
        Review.objects.select_for_update().filter(pk=review.pk).first()  # one pass at a time
        result = plan(review, people, unlisted=everyone)
        if dry_run or not result.changes:
            return result
        _apply(result.changes)
        ReviewEvent.objects.create(
            review=review,
            actor=by,
            verb=ReviewEvent.RETENTION_ENDED if everyone else ReviewEvent.PERSON_PSEUDONYMISED,
            note=", ".join(result.pseudonyms[p.pk] for p in result.newly_pseudonymised()),
        )
    return result


# --- The data-subject access report ----------------------------------------------------


@dataclass(frozen=True)
class Place:
    """One row where the review holds something of the person."""

    model: type[models.Model]  # the live model (history rows say so in `is_history`)
    what: str  # the columns, as people call them
    is_history: bool
    pk: int
    label: str
    excerpt: str = ""
    url: str = ""


@dataclass
class AccessReport:
    person: Person
    pseudonym: str
    places: list[Place]

    def groups(self) -> list[dict]:
        """Places by model, what and live or history, with their counts."""
        grouped: dict[tuple, list[Place]] = {}
        for place in self.places:
            key = (str(place.model._meta.verbose_name), place.what, place.is_history)
            grouped.setdefault(key, []).append(place)
        return [
            {
                "model": model,
                "what": what,
                "is_history": history,
                "count": len(places),
                "places": places,
            }
            for (model, what, history), places in grouped.items()
        ]

    @property
    def history_rows(self) -> int:
        return sum(1 for p in self.places if p.is_history)


# Pages where a coordinator can see a row of the review: model -> (URL name, permission,
# the URL's arguments after the review's pk).
PAGES: dict[str, tuple[str, str, Callable[[int], list]]] = {
    "reviews.review": ("reviews:detail", "reviews.see_review", lambda pk: []),
    "reviews.proposedinterviewee": ("reviews:interviewees", "reviews.see_inception", lambda pk: []),
    "reviews.inceptionreport": ("reviews:inception_read", "reviews.see_inception", lambda pk: []),
    "reviews.backgroundsection": ("reviews:inception_read", "reviews.see_inception", lambda pk: []),
    "reviews.selfassessment": ("reviews:inception_read", "reviews.see_inception", lambda pk: []),
    "reviews.trainingsession": ("reviews:team", "reviews.see_team", lambda pk: []),
    "reviews.informationrequest": ("reviews:requests", "reviews.see_requests", lambda pk: []),
    "reviews.visitsession": ("reviews:brief", "reviews.see_briefs", lambda pk: [pk]),
    "reviews.evidence": ("reviews:evidence_history", "reviews.see_evidence", lambda pk: [pk]),
    "reviews.keyconclusion": ("reviews:conclusions", "reviews.see_conclusions", lambda pk: []),
    "reviews.preliminaryfeedback": (
        "reviews:conclusions",
        "reviews.see_conclusions",
        lambda pk: [],
    ),
    "reviews.feedbackreport": ("reviews:report", "reviews.see_report_draft", lambda pk: []),
    "reviews.reportsection": ("reviews:report", "reviews.see_report_draft", lambda pk: []),
    "reviews.finding": ("reviews:report", "reviews.see_report_draft", lambda pk: []),
    "reviews.recommendation": ("reviews:report", "reviews.see_report_draft", lambda pk: []),
    "reviews.factualcomment": (
        "reviews:report_factual",
        "reviews.see_factual_round",
        lambda pk: [],
    ),
}


class _Links:
    def __init__(self, review: Review, user) -> None:
        self.review, self.user = review, user
        self.version_numbers: dict[int, int] | None = None
        # Step 4's blindness holds here too: the desk-review entries this person may not
        # read yet are listed as places, never loaded nor quoted.
        entries = DeskReviewEntry.objects.filter(desk_review__review=review)
        self.hidden_entries = set(entries.values_list("pk", flat=True)) - set(
            DeskReviewEntry.objects.visible_to(user, review).values_list("pk", flat=True)
        )

    def hides(self, cell: Cell) -> bool:
        if cell.tracked is not DeskReviewEntry or not self.hidden_entries:
            return False
        return cell.is_history or cell.pk in self.hidden_entries

    def url(self, model, pk: int) -> str:
        label = model._meta.label_lower
        if label == "reviews.reportversion":
            if not self.user.has_perm("reviews.see_report_draft", self.review):
                return ""
            if self.version_numbers is None:
                self.version_numbers = dict(
                    ReportVersion.objects.filter(report__review=self.review).values_list(
                        "pk", "number"
                    )
                )
            number = self.version_numbers.get(pk)
            return (
                reverse("reviews:report_version", args=[self.review.pk, number]) if number else ""
            )
        if label not in PAGES:
            return ""
        name, permission, args = PAGES[label]
        if not self.user.has_perm(permission, self.review):
            return ""
        return reverse(name, args=[self.review.pk, *args(pk)])


HIDDEN_ENTRY = gettext_lazy(
    "A peer's desk review entry: its text is shown once the rule of step 4 lets you read it."
)


def _excerpt(text: str, match: re.Match) -> str:
    start, end = max(match.start() - EXCERPT, 0), min(match.end() + EXCERPT, len(text))
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _verbose(model, column: str) -> str:
    try:
        return str(model._meta.get_field(column).verbose_name)
    except LookupError:
        return column


def access_report(review: Review, person: Person, *, user) -> AccessReport:
    """Every row of the review that holds something of `person`: their own row and its
    history, the rows that list them and that history, the evidence from their sessions,
    and every text or JSON value with one of their names in it (live and history)."""
    everyone = people_of(review)
    pseudonym = pseudonyms(everyone)[person.pk]
    links = _Links(review, user)
    places: list[Place] = []
    own = ", ".join(_verbose(ProposedInterviewee, f) for f in PERSON_FIELDS)
    if not person.deleted:
        places.append(
            Place(
                ProposedInterviewee,
                own,
                False,
                person.pk,
                person.name,
                url=links.url(ProposedInterviewee, person.pk),
            )
        )
    for pk, when, name in (
        HistoricalInterviewee.objects.filter(id=person.pk)
        .order_by("history_date", "history_id")
        .values_list("history_id", "history_date", "name")
    ):
        places.append(Place(ProposedInterviewee, own, True, pk, _when(when), excerpt=name))
    places.extend(_listings(review, person, links))
    places.extend(_evidence_heard(review, person, links))
    matcher = Names(everyone, {person.pk: pseudonym})
    found: list[tuple[Cell, str]] = []
    for cell in _cells(review_rows(review)):
        if cell.model in (ProposedInterviewee, HistoricalInterviewee) and (
            cell.column in ("name", "contact")
        ):
            continue  # listed above
        for text in _strings(cell.value) if cell.is_json else [cell.value]:
            match = matcher.first(text)
            if match:
                found.append(
                    (cell, str(HIDDEN_ENTRY) if links.hides(cell) else _excerpt(text, match))
                )
                break
    dates = _history_dates(cell for cell, _excerpt_ in found)
    for cell, excerpt in found:
        places.append(
            Place(
                cell.tracked,
                _verbose(cell.model, cell.column),
                cell.is_history,
                cell.pk,
                _when(dates[(cell.model, cell.pk)]) if cell.is_history else f"#{cell.pk}",
                excerpt=excerpt,
                url="" if cell.is_history else links.url(cell.tracked, cell.pk),
            )
        )
    return AccessReport(person=person, pseudonym=pseudonym, places=places)


def _when(moment) -> str:
    return str(
        _("changed on %(date)s") % {"date": timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")}
    )


def _history_dates(cells: Iterable[Cell]) -> dict[tuple[type, int], datetime.datetime]:
    wanted: dict[type, set[int]] = defaultdict(set)
    for cell in cells:
        if cell.is_history:
            wanted[cell.model].add(cell.pk)
    dates = {}
    for model, pks in wanted.items():
        for chunk in _chunks(pks):
            for pk, when in model._base_manager.filter(pk__in=chunk).values_list(
                "pk", "history_date"
            ):
                dates[(model, pk)] = when
    return dates


def _listings(review: Review, person: Person, links: _Links) -> Iterator[Place]:
    """The rows whose many-to-many fields list the person (sessions, desk review entries),
    and the history of those lists."""
    for model in _live_models():
        for m2m in model._meta.many_to_many:
            if m2m.related_model is not ProposedInterviewee:
                continue
            through = m2m.remote_field.through
            source = through._meta.get_field(m2m.m2m_field_name()).attname
            target = through._meta.get_field(m2m.m2m_reverse_field_name()).attname
            what = str(m2m.verbose_name)
            pks = through._base_manager.filter(**{target: person.pk}).values_list(source, flat=True)
            pks = set(pks)
            if model is DeskReviewEntry:
                for pk in sorted(pks & links.hidden_entries):
                    yield Place(model, what, False, pk, f"#{pk}", excerpt=str(HIDDEN_ENTRY))
                pks -= links.hidden_entries
            rows = model._base_manager.filter(pk__in=list(pks)).order_by("pk")
            for row in rows:
                yield Place(model, what, False, row.pk, str(row), url=links.url(model, row.pk))
            history = _history_model(model)
            m2m_history = getattr(history, m2m.name, None) if history is not None else None
            if m2m_history is None:
                continue
            link_model = m2m_history.model
            person_column = next(
                f.attname
                for f in link_model._meta.concrete_fields
                if f.is_relation and f.related_model is ProposedInterviewee
            )
            for pk, when in (
                link_model._base_manager.filter(**{person_column: person.pk})
                .order_by("pk")
                .values_list("pk", "history__history_date")
            ):
                yield Place(model, what, True, pk, _when(when))


def _evidence_heard(review: Review, person: Person, links: _Links) -> Iterator[Place]:
    """The evidence recorded in the interviews and workshops they took part in."""
    sessions = VisitSession.objects.filter(review=review, interviewees=person.pk).order_by(
        "starts_at", "pk"
    )
    for session in sessions:
        count = Evidence.objects.filter(session=session).count()
        if not count:
            continue
        url = ""
        if links.user.has_perm("reviews.see_evidence", review):
            url = reverse("reviews:evidence", args=[review.pk]) + f"?session={session.pk}"
        yield Place(
            Evidence,
            str(_("entries recorded in a session they took part in")),
            False,
            session.pk,
            session.label,
            excerpt=str(ngettext("%(n)s entry", "%(n)s entries", count) % {"n": count}),
            url=url,
        )
