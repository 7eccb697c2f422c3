"""Rules every URL keeps, checked by walking all of them (the access matrix's URL names) as
every role, in one world built once for the module:

- step 4's blindness: no page, PDF, DOCX, spreadsheet or calendar shows, or even loads,
  another peer's desk-review entry or the team's consolidated view unless `may_see` (the
  rule, written out here independently of the code) allows it;
- GET and HEAD never write to the database;
- PUT, PATCH and DELETE get 405 before any view runs;
- every response says ``Cache-Control: private, no-store``.

The world holds three reviews of one city, with the same cast in the same roles:

- "worked": the access matrix's review (a little of every step's work, its report in the
  factual round) with the inception report submitted and step 4 under way: the peer has
  submitted a desk review, the team leader has not; the team's consolidated view of the
  first indicator exists (written directly: the rule does not depend on who wrote it).
  Every desk-review text is a marker naming its owner.
- "fresh": the inception report submitted and nothing else: nobody has a desk review and
  there is no report, so a page that creates either when read is caught.
- "published": its report published before checkpoint dates were stored, and shared by a
  public link.

PDFs are not rendered in the walk: `reports.pdf.render_pdf` returns the HTML it was given,
so the walk reads exactly what would be printed (one test renders the brief for real).
HEAD is walked on the worked review only: every view here runs its GET code for it.
"""

from __future__ import annotations

import io
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from unittest import mock

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.db.models.signals import post_init
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reviews.models import (
    ConsolidatedEntry,
    DeskReviewEntry,
    FeedbackReport,
    Membership,
    ReportApproval,
    Review,
)
from reviews.services import desk_review_for, submit_inception_report
from reviews.services.feedback_report import ensure_report
from reviews.services.report_content import build_content
from tests.conftest import (
    build_benchmark_versions,
    build_programme,
    build_report_draft,
    build_review_work,
    new_cast_member,
    new_city,
    new_review,
)
from tests.test_access_matrix import (
    ROLES,
    _comparative_record,
    _job_record,
    _login_records,
    _mail_records,
    _pattern,
    _practice_record,
    _two_factor_records,
    _url_for,
    all_url_names,
)

# Every test reads the module's world (and pytest-django sets up the test database only
# for modules that ask for it).
pytestmark = pytest.mark.django_db

TEAM = ("peer", "team_leader")
# Who in the worked review has submitted a desk review.
SUBMITTED = {"peer"}
MEMBERS = ("host", "peer", "team_leader")
READS = ("get", "head")
REFUSED = ("put", "patch", "delete")
# URL arguments the fresh and published reviews can fill (they have no sessions, people,
# evidence or report rows to point at).
REVIEW_KEYS = {"pk", "number", "group", "indicator", "fmt", "key"}
# A session is the visitor's own state (the evidence page's remembered visit session, a
# password-reset token), not the application's data: it may change on a read.
# A final report's PDF is rendered once and kept (reports.StoredPDF): the first download
# stores a rendering of a version that cannot change, a cache, not a change of data.
EXEMPT_TABLES = {"django_session", "reports_storedpdf"}
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE")


@dataclass(frozen=True)
class Item:
    """A desk-review text somebody may or may not see: an entry (owned by a peer) or the
    team's consolidated view (owner None)."""

    kind: str  # "entry" or "consolidated"
    pk: int
    owner: str | None
    markers: tuple[str, ...]


def may_see(role: str, item: Item) -> bool:
    """Step 4's rule: a person sees their own entries; a peer sees the others' submitted
    entries and the consolidated view once they submitted their own; a coordinator once
    every peer has; nobody else ever."""
    if item.owner == role:
        return True
    # Shared: the others' work is open to this person.
    team_member_done = role in TEAM and role in SUBMITTED
    coordinator_after_all = role == "coordinator" and set(TEAM) <= SUBMITTED
    shared = team_member_done or coordinator_after_all
    if item.kind == "consolidated":
        return shared
    return shared and item.owner in SUBMITTED


@dataclass
class Hit:
    review: str
    name: str
    role: str
    method: str
    url: str
    status: int
    headers: dict
    markers: set = field(default_factory=set)  # markers found in the body
    loaded: set = field(default_factory=set)  # (kind, pk) of items instantiated
    writes: list = field(default_factory=list)  # SQL statements that write
    counts: dict = field(default_factory=dict)  # table -> (before, after) where changed


@dataclass
class Walk:
    items: list[Item]
    reviews: dict[str, Review]
    hits: list[Hit]

    def find(self, review: str, name: str, role: str, method: str = "get") -> Hit:
        return next(
            h
            for h in self.hits
            if (h.review, h.name, h.role, h.method) == (review, name, role, method)
        )


# --- building the world --------------------------------------------------------------------


def _write_desk_reviews(review, cast) -> list[Item]:
    indicator = review.indicators_in_scope().first()
    person = review.proposed_interviewees.first()
    items = []
    for role, label in (("peer", "PEER"), ("team_leader", "LEADER")):
        desk = desk_review_for(review=review, peer=cast[role])
        markers = tuple(f"MARK{label}{part}" for part in ("HYPOTHESIS", "QUESTIONS", "MEET"))
        entry = DeskReviewEntry.objects.create(
            desk_review=desk,
            indicator=indicator,
            performance=review.benchmark_version.ratingscales.get(purpose="performance")
            .levels.filter(score__isnull=False)
            .first(),
            hypothesis=markers[0],
            questions=markers[1],
            meet_others=markers[2],
        )
        entry.meet.set([person])
        if role in SUBMITTED:
            desk.submit()
        items.append(Item("entry", entry.pk, role, markers))
    consolidated = ConsolidatedEntry.objects.create(
        review=review,
        indicator=indicator,
        hypothesis="MARKTEAMHYPOTHESIS",
        key_questions="MARKTEAMQUESTIONS",
    )
    items.append(
        Item("consolidated", consolidated.pk, None, ("MARKTEAMHYPOTHESIS", "MARKTEAMQUESTIONS"))
    )
    # The brief of the visit's interview covers the indicator and meets the person.
    review.visit_sessions.first().indicators.set([indicator])
    return items


def _join(review, cast) -> None:
    for role in ("host", "peer", "team_leader"):
        Membership.objects.create(review=review, user=cast[role], role=role)


def _publish_without_checkpoints(review, cast) -> FeedbackReport:
    report = ensure_report(review)
    version = report.freeze(by=cast["team_leader"], content=build_content(review, report))
    for role in TEAM:
        ReportApproval.objects.create(version=version, peer=cast[role], approves=True)
    report.factual_round_opened_at = report.factual_round_closed_at = timezone.now()
    report.save(update_fields=["factual_round_opened_at", "factual_round_closed_at"])
    report.make_final(by=cast["team_leader"])
    # Published before the dates were stored at publication: the action plan and the
    # checkpoint form show the default dates without saving them.
    FeedbackReport.objects.filter(pk=report.pk).update(
        published_at=timezone.now(), public_token=report.new_public_token()
    )
    report.refresh_from_db()
    return report


# --- walking -------------------------------------------------------------------------------


def _tables() -> list[str]:
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables - EXEMPT_TABLES)


def _row_counts(tables: list[str]) -> dict[str, int]:
    """Rows per table, in one query."""
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


@contextmanager
def _writes():
    """Every SQL statement that writes meanwhile (sessions excepted)."""
    seen: list[str] = []

    def record(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(WRITES) and not any(t in sql for t in EXEMPT_TABLES):
            seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield seen


@contextmanager
def _loaded_items():
    """Every desk-review entry and consolidated view instantiated meanwhile, as (kind, pk):
    catches a view that loads what it must not show, also when it does not show it."""
    kinds = {
        DeskReviewEntry: "entry",
        DeskReviewEntry.history.model: "entry",
        ConsolidatedEntry: "consolidated",
        ConsolidatedEntry.history.model: "consolidated",
    }
    seen: set[tuple[str, int]] = set()

    def record(sender, instance, **kwargs):
        if instance.id is not None:
            seen.add((kinds[sender], instance.id))

    for model in kinds:
        post_init.connect(record, sender=model, weak=False, dispatch_uid=f"walk-{model}")
    try:
        yield seen
    finally:
        for model in kinds:
            post_init.disconnect(sender=model, dispatch_uid=f"walk-{model}")


def _body(response) -> bytes:
    if response.streaming:
        # Reading it to the end closes it, as the test client arranges: a second close()
        # would fire request_finished and close the walk's connection (on PostgreSQL, its
        # transaction with it).
        return b"".join(response.streaming_content)
    return response.content


def body_text(response) -> str:
    """The response as text; a DOCX or XLSX (a zip) as the text of every part in it."""
    body = _body(response)
    if body.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return body.decode("utf-8", "replace")


def _urls(review_label: str, review: Review, versions) -> list[tuple[str, str]]:
    names = all_url_names()
    if review_label == "worked":
        return [(name, _url_for(name, review, versions)) for name in names]
    found = []
    for name in names:
        if not name.startswith(("reviews:", "reports:")) or name == "reviews:notification":
            continue
        if set(_pattern(name).pattern.regex.groupindex) <= REVIEW_KEYS:
            found.append((name, _url_for(name, review, versions)))
    return found


def _walk(reviews: dict, versions, clients: dict, items: list[Item], public: list) -> list[Hit]:
    markers = [m for item in items for m in item.markers]
    tables = _tables()
    hits = []
    plan = []
    for label, review in reviews.items():
        urls = _urls(label, review, versions)
        if label == "published":
            urls += public
        for name, url in urls:
            for role in ROLES:
                # HEAD runs a view's GET code (no view here tells them apart): walked on
                # one review, to keep the walk short.
                for method in READS if label == "worked" else ("get",):
                    plan.append((label, name, url, role, method))
                if label == "worked" and role in ("coordinator", *MEMBERS):
                    for method in REFUSED:
                        plan.append((label, name, url, role, method))
    for label, name, url, role, method in plan:
        before = _row_counts(tables)
        with _writes() as writes, _loaded_items() as loaded:
            response = getattr(clients[role], method)(url)
        after = _row_counts(tables)
        text = body_text(response) if label == "worked" and method == "get" else ""
        hits.append(
            Hit(
                review=label,
                name=name,
                role=role,
                method=method,
                url=url,
                status=response.status_code,
                headers=dict(response.headers),
                markers={m for m in markers if m in text},
                loaded=set(loaded),
                writes=writes,
                counts={t: (before[t], after[t]) for t in tables if before[t] != after[t]},
            )
        )
    return hits


@pytest.fixture(scope="module")
def walk(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        city = new_city(name="Rotterdam", country="Netherlands")
        worked = new_review(title="Review of Rotterdam", host_city=city, current_step=4)
        cast = {key: new_cast_member(key, worked) for key in ROLES if key != "anonymous"}
        build_review_work(
            worked, host=cast["host"], peer=cast["peer"], team_leader=cast["team_leader"]
        )
        build_report_draft(worked, team_leader=cast["team_leader"], host=cast["host"])
        build_programme(worked, peers=[cast["peer"], cast["team_leader"]])
        submit_inception_report(review=worked, by=cast["host"], reason="For the test.")
        items = _write_desk_reviews(worked, cast)
        versions = build_benchmark_versions(cast["peer"])
        _login_records()
        _practice_record(worked)
        _comparative_record(worked, cast)
        _two_factor_records()
        _mail_records(cast["peer"])
        _job_record(cast["peer"])
        reviews = {"worked": worked}
        for label, step in (("fresh", 4), ("published", 7)):
            review = new_review(
                title=f"Review of Rotterdam ({label})",
                host_city=city,
                current_step=step,
                benchmark_version=worked.benchmark_version,
            )
            _join(review, cast)
            submit_inception_report(review=review, by=cast["host"], reason="For the test.")
            reviews[label] = review
        report = _publish_without_checkpoints(reviews["published"], cast)
        public = [
            (name, reverse(name, args=[report.public_token]))
            for name in ("reports:public_report", "reports:public_report_pdf")
        ]
        clients = {"anonymous": Client()}
        for key, person in cast.items():
            clients[key] = Client()
            clients[key].force_login(person, backend="cities.backends.EmailBackend")
        with mock.patch("reports.pdf.render_pdf", side_effect=lambda html: html.encode()):
            hits = _walk(reviews, versions, clients, items, public)
        yield Walk(items, reviews, hits)
        transaction.set_rollback(True)


def _reads(walk: Walk, review: str | None = None) -> list[Hit]:
    return [h for h in walk.hits if h.method in READS and (review is None or h.review == review)]


# --- step 4's blindness --------------------------------------------------------------------


def test_no_output_shows_desk_review_text_the_viewer_may_not_see(walk):
    owner = {m: item for item in walk.items for m in item.markers}
    leaks = [
        (h.name, h.role, marker)
        for h in _reads(walk, "worked")
        for marker in sorted(h.markers)
        if not may_see(h.role, owner[marker])
    ]
    assert leaks == []


def test_no_view_loads_desk_review_entries_the_viewer_may_not_see(walk):
    """The admin is exempt, as the review archive is: it is the coordinators' database tool,
    and its delete pages load every row a deletion would remove to list them by name (an
    indicator and a peer, never the text; the test above checks the admin's pages too)."""
    items = {(item.kind, item.pk): item for item in walk.items}
    loads = [
        (h.name, h.role, h.method, key)
        for h in _reads(walk, "worked")
        for key in sorted(h.loaded)
        if key in items and not may_see(h.role, items[key]) and not h.name.startswith("admin:")
    ]
    assert loads == []


def test_the_walk_sees_desk_review_text_where_the_rule_allows(walk):
    """The markers are found where they may be: the walk would see a leak."""
    peer, leader = walk.items[0], walk.items[1]
    team = walk.items[2]
    assert leader.markers[1] in walk.find("worked", "reviews:brief", "team_leader").markers
    assert leader.markers[1] in walk.find("worked", "reports:brief_pdf", "team_leader").markers
    team_view = walk.find("worked", "reviews:desk_review_team", "peer").markers
    assert set(peer.markers) <= team_view
    assert team.markers[0] in walk.find("worked", "reviews:evaluation", "peer").markers


@pytest.mark.parametrize(("role", "sees", "misses"), [("team_leader", 1, 0), ("peer", 0, 1)])
def test_brief_pdf_prints_only_what_the_rule_allows(walk, client, role, sees, misses):
    review = walk.reviews["worked"]
    session = review.visit_sessions.first()
    person = Membership.objects.get(review=review, role=role).user
    client.force_login(person, backend="cities.backends.EmailBackend")
    response = client.get(reverse("reports:brief_pdf", args=[review.pk, session.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    # The team leader reads their own questions only; the peer's own, not the leader's
    # (not submitted).
    assert walk.items[sees].markers[1] in text
    assert walk.items[misses].markers[1] not in text


# --- reads never write; other methods are refused ------------------------------------------


def test_get_and_head_never_write(walk):
    writes = [(h.review, h.name, h.role, h.method, h.writes, h.counts) for h in _reads(walk)]
    assert [w for w in writes if w[4] or w[5]] == []


def test_every_url_was_walked_for_every_review_state(walk):
    assert {h.review for h in walk.hits} == {"worked", "fresh", "published"}
    assert {h.name for h in walk.hits if h.review == "worked"} == set(all_url_names())
    assert {"reviews:desk_review", "reports:report_pdf", "reviews:checkpoints"} <= {
        h.name for h in walk.hits if h.review != "worked"
    }


def test_put_patch_and_delete_are_refused_before_anything_runs(walk):
    refused = [h for h in walk.hits if h.method in REFUSED]
    assert {h.role for h in refused} == {"coordinator", *MEMBERS}
    answers = [
        (h.name, h.role, h.method, h.status, h.headers.get("Allow"))
        for h in refused
        if h.status != 405 or h.headers.get("Allow") != "GET, HEAD, POST"
    ]
    assert answers == []
    assert [(h.name, h.method, h.writes, h.counts) for h in refused if h.writes or h.counts] == []


def test_options_is_refused(client):
    response = client.options(reverse("login"))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"


# --- caching -------------------------------------------------------------------------------


def _cache_directives(hit: Hit) -> set[str]:
    value = hit.headers.get("Cache-Control", "")
    return {part.strip().split("=")[0] for part in value.split(",") if part.strip()}


def test_every_response_is_private_and_never_stored(walk):
    missing = [
        (h.review, h.name, h.role, h.method, h.headers.get("Cache-Control"))
        for h in walk.hits
        if not {"private", "no-store"} <= _cache_directives(h)
    ]
    assert missing == []


def test_public_report_link_is_not_cached_anywhere(walk):
    """The link is a secret a coordinator can withdraw: no shared cache may keep the report
    (it would outlive the withdrawal) and no browser stores it on disk."""
    for name in ("reports:public_report", "reports:public_report_pdf"):
        hit = walk.find("published", name, "anonymous")
        assert hit.status == 200
        assert {"private", "no-store"} <= _cache_directives(hit)
        assert "public" not in _cache_directives(hit)


def test_sign_in_page_is_not_stored(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    directives = {p.strip().split("=")[0] for p in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
