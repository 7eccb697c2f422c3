"""Performance benchmark of Critical Friend's key pages and the inception report PDF.

Run it with ``make bench`` (or ``.venv/bin/python -m tests.perf.run`` from the project
folder). It is a measurement, not a pass/fail test: it always exits 0 when it ran to
the end, and prints a ``GOALS:`` line saying which performance goals are met.

What it does, in order:

1. Points Django at its own throwaway SQLite file (``/tmp/cf-bench-<pid>.sqlite3``),
   migrates it and loads the benchmarks; ``var/`` and the dev database are never used.
   The file is deleted at the end (``--keep-db`` keeps it).
2. Builds the SMALL data set with the project's own models and services, measures every
   page, then empties the database (``flush``), builds the LARGE data set and measures
   again. Each size has its own database contents, so "all reviews" lists 1 or 20 reviews.
3. Per page: the SQL query count of one request (after the warm-ups) and the median of
   ``--n`` timed requests through ``django.test.Client``, each paired with a request of
   the baseline page (the profile page) at the same size; the ratio is the page's median
   over the median of its paired baseline requests, so both saw the same machine load. At both sizes also
   the SQL queries of ``reviews.services.report_content.build_content`` (the feedback report's content).
4. The PDFs (LARGE), each in a forked child so that both start from the same state and
   each peak memory is its own: the inception report PDF view against WeasyPrint alone on
   the very HTML the view rendered; the final feedback report's PDF view against WeasyPrint
   alone on the same HTML rendered with the view's template and ``print_context``; page
   counts and peak memory; and the report's DOCX view against ``build_docx`` alone.
5. The load test (LARGE, unless ``--no-load``): gunicorn on 127.0.0.1 against the same
   file, and ``wrk`` with ``load.lua``: the profile page, then the evidence entry round
   trip (GET the form, POST an entry); requests/s, the ratio, latencies, errors.
6. Writes everything to ``tests/perf/results/latest.json``.

Data sets (see ``SIZES``):

- LARGE: the INTI-CITIES version (73 indicators, all in scope), 6 peers + 1 team leader +
  2 hosts + 1 coordinator; a submitted inception report with all 7 background sections and
  a self-assessment for every indicator; a submitted desk review for each of the 7 team
  members with an entry per indicator, and the team leader's consolidated view; 30
  interviews (two peers each, one proposed interviewee each, every indicator covered by two
  interviews) plus a preparation and a presentation session; 1,000 evidence entries spread
  over the 73 indicators and the 30 interviews (the first two of each indicator are facts
  of one colour from its two interviews, so every indicator is confirmed); 19 small extra
  reviews in the network (20 in all), the coordinator attached to each; and the finished
  feedback report (see ``build_report``): per section (4) an evaluation, a strength, a
  weakness with obstacles and a good practice citing 3 citable entries each, and 5
  recommendations with indicators; the team's rating of every indicator; version 1 frozen,
  approved by the whole team, through the factual round, final and published; the host
  city's answer to every recommendation.
- SMALL: the same shapes with 5 indicators in scope (``review.scope``), 2 peers, 3
  interviews, 10 evidence entries and 1 review; the report has 1 section, 1 citation per
  finding and 2 recommendations.

Choices worth knowing when reading the numbers:

- ``reviews:inception_group`` needs a draft report (only the host edits, and only before
  submission). The benchmark reopens the measured review's report with the model's
  ``InceptionReport.reopen()`` just for that page (host, first group in scope) and submits
  it again with ``InceptionReport.submit()`` afterwards; neither sends notifications, so
  the other pages see the same data.
- ``benchmarks:version`` does not depend on reviews: at SMALL size it shows a 5-indicator
  copy of INTI-CITIES (slug ``inti-cities-small``), at LARGE size INTI-CITIES itself.
- Page timings go through the test client in-process (no network, no WSGI server), with
  ``DEBUG`` off and without Django's test instrumentation of templates; only the load test
  goes through gunicorn and the loopback network.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import datetime
import io
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tests.perf.pdfs import first_download, time_against_weasyprint
from tests.perf.synthesis import measure_synthesis_pdf

ROOT = Path(__file__).resolve().parents[2]
RESULTS_DIR = Path(__file__).resolve().parent / "results"
DB_PATH = Path(f"/tmp/cf-bench-{os.getpid()}.sqlite3")

# Goals the GOALS line checks.
MAX_QUERIES = 15
MAX_PAGE_RATIO = 3.0
MAX_PDF_RATIO = 1.3
MAX_ROUND_TRIP_RATIO = 3.3  # an evidence entry costs at most 3.3 profile requests

# The NETWORK data set (--size network, or BENCH_SIZE=network): 50 reviews of 73 indicators
# with 50,000 evidence entries among them, all in one programme.
NETWORK_REVIEWS = 50
NETWORK_EVIDENCE = 50_000

BASELINE = "profile"


@dataclass(frozen=True)
class Size:
    name: str
    indicators: int | None  # None: every indicator of the version (no scope)
    peers: int
    interviews: int
    evidence: int
    reviews: int  # in the network, the measured one included
    # The feedback report: evidence entries each finding cites, recommendations per section.
    citations: int
    recommendations: int


SIZES = (
    Size(
        "small",
        indicators=5,
        peers=2,
        interviews=3,
        evidence=10,
        reviews=1,
        citations=1,
        recommendations=2,
    ),
    Size(
        "large",
        indicators=None,
        peers=6,
        interviews=30,
        evidence=1000,
        reviews=20,
        citations=3,
        recommendations=5,
    ),
)
# The measured review of the network is built as at LARGE size; `build_network` adds the rest.
NETWORK = Size(
    "network",
    indicators=None,
    peers=6,
    interviews=30,
    evidence=1000,
    reviews=1,
    citations=3,
    recommendations=5,
)


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- set-up


# PostgreSQL: with DATABASE_URL=postgres://... the bench creates its own database on that
# server (the URL's database name + "_bench_<pid>"), uses it and drops it at the end; the
# database the URL names is never written to. The URL's user needs CREATEDB.
POSTGRES_URL: str | None = None  # the throwaway database's URL, when on PostgreSQL
POSTGRES_ADMIN_URL: str | None = None  # the URL given, to create and drop it from


def _postgres_database(url: str) -> str:
    """Create the throwaway database next to the one `url` names; return its URL."""
    import psycopg2

    parts = urllib.parse.urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'postgres'}_bench_{os.getpid()}"
    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def _drop_postgres_database() -> None:
    import psycopg2

    name = urllib.parse.urlsplit(POSTGRES_URL).path.lstrip("/")
    connection = psycopg2.connect(POSTGRES_ADMIN_URL)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()


def configure_environment() -> None:
    """A throwaway database and test-like settings, before Django reads any setting."""
    global POSTGRES_URL, POSTGRES_ADMIN_URL
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql://")):
        POSTGRES_ADMIN_URL = given
        POSTGRES_URL = _postgres_database(given)
        os.environ["DATABASE_URL"] = POSTGRES_URL
    else:  # sqlite:////tmp/cf-bench-<pid>.sqlite3
        os.environ["DATABASE_URL"] = f"sqlite:///{DB_PATH}"
    os.environ["DJANGO_ENV"] = "test"
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["EMAIL_BACKEND"] = "locmem"  # notifications send mail: keep it in memory
    # config.test_settings makes its own temporary MEDIA_ROOT; this covers config.settings.
    os.environ.setdefault("MEDIA_ROOT", f"/tmp/cf-bench-media-{os.getpid()}")


def prepare_database() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_benchmarks", stdout=io.StringIO())


def reset_database() -> None:
    """Empty every table and load the benchmarks again (the schema stays)."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    call_command("load_benchmarks", stdout=io.StringIO())


def cleanup(settings_media: str | None) -> None:
    from django.db import connections

    connections.close_all()
    if POSTGRES_URL:
        _drop_postgres_database()
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = Path(f"{DB_PATH}{suffix}")
        if path.exists():
            path.unlink()
    for media in {settings_media, os.environ.get("MEDIA_ROOT")}:
        if media and Path(media).name.startswith(("cf-test-media-", "cf-bench-media-")):
            shutil.rmtree(media, ignore_errors=True)


# --------------------------------------------------------------------------- data


@dataclass
class World:
    size: Size
    review: object
    version: object
    coordinator: object
    leader: object
    peers: list
    hosts: list
    first_group: object
    first_indicator: object
    bench_version: object  # the benchmark version shown on benchmarks:version
    first_section: object = None  # the feedback report's first section
    programme: object = None  # NETWORK only: the programme holding every review
    cross_city: object = None  # the programme the cross-city pages show (build_cross_city)
    search_code: str = ""  # an indicator code the library search looks for
    counts: dict = field(default_factory=dict)


def _small_benchmark_copy(slug: str, indicators: int) -> dict:
    """INTI-CITIES' own file with only its first `indicators` indicators."""
    data = json.loads((ROOT / "fixtures/benchmarks/inti-cities.json").read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["slug"] = slug
    data["name"] = {lang: f"{text} (small copy)" for lang, text in data["name"].items()}
    data["indicators"] = data["indicators"][:indicators]
    return data


def build_world(size: Size) -> World:
    """One review at `size`, built the way the app builds it (models and services)."""
    from django.db import transaction
    from django.utils import timezone

    from benchmarks.models import BenchmarkVersion
    from benchmarks.services import import_version
    from cities.models import City, User
    from reviews.models import (
        BackgroundSection,
        ConsolidatedEntry,
        DeskReviewEntry,
        Evidence,
        ProposedInterviewee,
        Review,
        SelfAssessment,
        TrainingSession,
        VisitSession,
    )
    from reviews.models.inception import SECTIONS
    from reviews.services import (
        add_member,
        desk_review_for,
        submit_desk_review,
        submit_inception_report,
    )
    from reviews.steps import COORDINATOR, HOST, PEER, TEAM_LEADER

    today = timezone.localdate()

    def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    with transaction.atomic():
        version = (
            BenchmarkVersion.objects.published()
            .filter(benchmark__slug="inti-cities")
            .order_by("-number")
            .get()
        )
        if size.indicators is None:
            bench_version = version
        else:
            bench_version = import_version(
                _small_benchmark_copy("inti-cities-small", size.indicators), publish=True
            )

        host_city = City.objects.create(
            name="Rotterdam", country="Netherlands", population=655_000, languages="Dutch"
        )

        def person(n: int, name: str, initials: str, **fields) -> User:
            if "city" not in fields:
                fields["city"] = City.objects.create(name=f"Peer city {n}", country="Europe")
            return User.objects.create_user(
                f"{name.lower().replace(' ', '.')}@bench.example.org",
                None,
                name=name,
                initials=initials,
                **fields,
            )

        coordinator = person(
            0,
            "Clara Coordinator",
            "CC",
            is_coordinator=True,
            city=City.objects.create(name="Brussels", country="Belgium"),
        )
        leader = person(1, "Jan Leader", "JL")
        peers = [person(2 + n, f"Peer Number{n + 1}", f"P{chr(65 + n)}") for n in range(size.peers)]
        hosts = [
            person(90 + n, f"Host Number{n + 1}", f"H{chr(65 + n)}", city=host_city)
            for n in range(2)
        ]

        review = Review.objects.create(
            title="Peer review of Rotterdam (benchmark)",
            benchmark_version=version,
            host_city=host_city,
            current_step=6,
            training_date=today - datetime.timedelta(days=90),
            inception_due=today - datetime.timedelta(days=60),
            visit_start=today - datetime.timedelta(days=1),
            visit_end=today + datetime.timedelta(days=2),
            report_due=today + datetime.timedelta(days=60),
        )
        if size.indicators is not None:
            review.scope.set(list(version.indicators.for_matrix()[: size.indicators]))
        add_member(review=review, user=leader, role=TEAM_LEADER)
        for peer in peers:
            add_member(review=review, user=peer, role=PEER)
        for n, host in enumerate(hosts):
            add_member(review=review, user=host, role=HOST, is_host_lead=n == 0)
        add_member(review=review, user=coordinator, role=COORDINATOR)
        team = [leader, *peers]

        training = TrainingSession.objects.create(
            review=review, date=review.training_date, place="Brussels", topics="The method"
        )
        training.attendees.set([*team, *hosts])

        indicators = list(review.indicators_in_scope())
        scales = {s.purpose: list(s.levels.all()) for s in version.ratingscales.all()}
        performance = [lv for lv in scales["performance"] if lv.score is not None]
        colours = scales["evidence"]

        # Step 3: the inception report, complete, then submitted by the host lead.
        report = review.inception_report
        for key, title, _help in SECTIONS:
            BackgroundSection.objects.create(
                report=report,
                key=key,
                text=f"**{title}.** " + "The city describes this in a few paragraphs. " * 12,
            )
        report.written_by = "The integration team, with input from three departments."
        report.partners = "Migrant council; Refugee Work; the regional employment office."
        report.political_involvement = "consulted"
        report.sign_off = "Alderman for integration"
        report.save()
        for n, indicator in enumerate(indicators):
            SelfAssessment.objects.create(
                report=report,
                indicator=indicator,
                rating=performance[n % len(performance)],
                achieved=f"What {indicator.code} has achieved. " * 6,
                aspiration="What is still aspiration. " * 4,
                evidence="Council decision 2023/114; monitoring report 2024.",
                how_why_who="Who did it, how and why. " * 3,
                political_responsible="Alderman for integration",
                operational_responsible="Head of Social Development",
                links="https://example.org/plan\nhttps://example.org/monitor",
            )
        people = []
        for n in range(size.interviews):
            interviewee = ProposedInterviewee.objects.create(
                review=review,
                name=f"Interviewee {n + 1}",
                organisation=f"Organisation {n + 1}, head",
                kind=ProposedInterviewee.KIND_CHOICES[n % 5][0],
            )
            interviewee.indicators.set(indicators[n % len(indicators) :: size.interviews][:4])
            people.append(interviewee)
        submit_inception_report(review=review, by=hosts[0], reason="benchmark data")

        # Step 4: every team member's desk review, submitted; the leader consolidates.
        for m, member in enumerate(team):
            desk = desk_review_for(review=review, peer=member)
            for n, indicator in enumerate(indicators):
                entry = DeskReviewEntry.objects.create(
                    desk_review=desk,
                    indicator=indicator,
                    performance=performance[(n + m) % len(performance)],
                    hypothesis=f"{indicator.code}: the policy exists on paper; test practice.",
                    questions="Who is responsible, and how is progress followed up?",
                )
                entry.meet.add(people[n % len(people)])
            submit_desk_review(review=review, peer=member)
        for n, indicator in enumerate(indicators):
            ConsolidatedEntry.objects.create(
                review=review,
                indicator=indicator,
                rating=performance[n % len(performance)],
                hypothesis="The team's working hypothesis.",
                key_questions="The key questions for the visit.",
            )

        # Step 5: the visit: preparation, presentation, then the interviews in pairs.
        days = review.visit_days()
        VisitSession.objects.create(
            review=review,
            kind=VisitSession.PREPARATION,
            title="Team preparation",
            starts_at=at(days[0], 9),
            ends_at=at(days[0], 12),
        )
        VisitSession.objects.create(
            review=review,
            kind=VisitSession.PRESENTATION,
            title="The city presents itself",
            starts_at=at(days[0], 13),
            ends_at=at(days[0], 14),
        )
        # Disjoint pairs in turn: (0,1), (2,3), (4,5), (6,0), ...
        pairs = [
            (team[(2 * k) % len(team)], team[(2 * k + 1) % len(team)]) for k in range(len(team))
        ]
        covering: dict[int, list] = {i.pk: [] for i in indicators}
        interviews = []
        for n in range(size.interviews):
            # Two sessions side by side, five one-hour slots a day, from the second day.
            day = days[1 + (n // 10) % (len(days) - 1)]
            hour = (9, 10, 11, 14, 15)[(n // 2) % 5]
            session = VisitSession.objects.create(
                review=review,
                kind=VisitSession.INTERVIEW,
                location=f"City hall, room {n % 2 + 1}",
                starts_at=at(day, hour),
                ends_at=at(day, hour + 1),
            )
            session.peers.set(pairs[n % len(pairs)])
            session.interviewees.set([people[n]])
            interviews.append(session)
        # Every indicator is covered by two interviews.
        for j, indicator in enumerate(indicators):
            for session in {interviews[j % len(interviews)], interviews[(j + 7) % len(interviews)]}:
                covering[indicator.pk].append(session)
        for session in interviews:
            session.indicators.set([i for i in indicators if session in covering[i.pk]])

        # Step 6: the evidence, spread over the indicators and their interviews. The first
        # two entries of each indicator are facts of one colour from its two interviews, so
        # every indicator is confirmed (the report's findings may cite them); later entries
        # vary the colour, and some confirm a second colour (contradictory).
        for e in range(size.evidence):
            j, k = e % len(indicators), e // len(indicators)
            indicator = indicators[j]
            options = covering[indicator.pk]
            session = options[k % len(options)]
            session_peers = list(session.peers.all())
            evidence = Evidence.objects.create(
                review=review,
                session=session,
                colour=colours[(j if k < 2 else k + e) % len(colours)],
                text=f"{indicator.code}: finding {e + 1} from {session.label}. " * 3,
                basis=Evidence.OPINION if k >= 2 and e % 9 == 0 else Evidence.FACT,
                is_weakness=e % 11 == 0,
                is_obstacle=e % 13 == 0,
                is_good_practice=e % 7 == 0,
                context="Said in the second half of the interview." if e % 4 == 0 else "",
                author=session_peers[0],
            )
            linked = [indicator]
            if e % 5 == 0 and len(indicators) > 1:
                linked.append(indicators[(e + 1) % len(indicators)])
            evidence.indicators.set(linked)
            evidence.interviewers.set(session_peers)

        # The rest of the network: small reviews the coordinator is attached to.
        for n in range(size.reviews - 1):
            city = City.objects.create(name=f"Network city {n + 1}", country="Europe")
            extra = Review.objects.create(
                title=f"Peer review of network city {n + 1}",
                benchmark_version=version,
                host_city=city,
                current_step=1 + n % 7,
                training_date=today + datetime.timedelta(days=n * 10 - 100),
                inception_due=today + datetime.timedelta(days=n * 10 - 70),
                visit_start=today + datetime.timedelta(days=n * 10 - 40),
                visit_end=today + datetime.timedelta(days=n * 10 - 37),
                report_due=today + datetime.timedelta(days=n * 10),
            )
            add_member(review=extra, user=team[(n + 1) % len(team)], role=TEAM_LEADER)
            add_member(review=extra, user=team[n % len(team)], role=PEER)
            add_member(review=extra, user=coordinator, role=COORDINATOR)

    # Step 7: the feedback report, written, approved, final and published.
    report_counts = build_report(
        review, size, leader=leader, team=team, host=hosts[0], coordinator=coordinator
    )

    counts = {
        "indicators_in_scope": len(indicators),
        "team": len(team),
        "hosts": len(hosts),
        "self_assessments": report.selfassessments.count(),
        "desk_reviews": review.desk_reviews.count(),
        "desk_review_entries": DeskReviewEntry.objects.filter(desk_review__review=review).count(),
        "interviews": review.visit_sessions.filter(kind=VisitSession.INTERVIEW).count(),
        "visit_sessions": review.visit_sessions.count(),
        "evidence": review.evidence.count(),
        "reviews_in_network": Review.objects.count(),
        "benchmark_version_indicators": bench_version.indicators.count(),
        **report_counts,
    }
    first_group = review.groups_in_scope().first()
    first_section = review.feedback_report.sections.order_by("order", "pk").first()
    return World(
        size=size,
        review=review,
        version=version,
        coordinator=coordinator,
        leader=leader,
        peers=peers,
        hosts=hosts,
        first_group=first_group,
        first_indicator=indicators[0],
        bench_version=bench_version,
        first_section=first_section,
        counts=counts,
    )


def build_report(review, size: Size, *, leader, team, host, coordinator) -> dict:
    """The finished feedback report of `review`, built with the models' own methods.

    A summary; per section (one per group in scope) the team's evaluation, a strength, a
    weakness with its obstacles and a good practice, each citing `size.citations` entries
    that ``citation_problems`` allows (confirmed facts from interviews), and
    `size.recommendations` recommendations with indicators; the team's rating of every
    indicator. Then version 1 is frozen (``build_content``), every team member approves it,
    the host city's factual round is opened with one comment, answered, and closed, the
    team leader makes it final and the coordinator publishes it. The host city answers
    every recommendation (the action plan).
    """
    from django.db import transaction
    from django.utils import timezone

    from benchmarks.models import RatingScale
    from reviews.models import (
        FactualComment,
        Finding,
        HostResponse,
        IndicatorEvaluation,
        Recommendation,
        ReportApproval,
    )
    from reviews.models.feedback_report import citation_problems, fill_default_checkpoints
    from reviews.services.feedback_report import ensure_report
    from reviews.services.report_content import build_content

    today = timezone.localdate()
    with transaction.atomic():
        report = ensure_report(review)
        report.summary = (
            "**Main conclusions.** The city has a clear integration policy and the "
            "political backing to carry it; monitoring and the link to practice lag. " * 4
        )
        report.summary_assignee = leader
        report.save()

        indicators = list(review.indicators_in_scope())
        performance = [
            lv
            for lv in RatingScale.objects.get(
                version=review.benchmark_version, purpose=RatingScale.PERFORMANCE
            ).levels.all()
            if lv.score is not None
        ]
        IndicatorEvaluation.objects.bulk_create(
            [
                IndicatorEvaluation(
                    review=review,
                    indicator=indicator,
                    rating=performance[n % len(performance)],
                    justification=f"{indicator.code}: rated on the confirmed evidence.",
                    hypothesis_outcome="confirmed",
                )
                for n, indicator in enumerate(indicators)
            ]
        )

        live = list(
            review.evidence.live()
            .select_related("session", "colour")
            .prefetch_related("indicators")
            .order_by("pk")
        )
        problems = citation_problems(review, live)
        citable = [e for e in live if e.pk not in problems]
        kinds = (
            (Finding.STRENGTH, lambda e: not (e.is_weakness or e.is_obstacle)),
            (Finding.WEAKNESS, lambda e: e.is_weakness or e.is_obstacle),
            (Finding.GOOD_PRACTICE, lambda e: e.is_good_practice),
        )
        findings = citations = recommendations = 0
        sections = list(report.sections.select_related("group"))
        for s_n, section in enumerate(sections):
            section.evaluation = (
                f"**{section.group.code}.** How the city performs against the standard, "
                "and why, with the evidence codes the findings cite. " * 6
            )
            section.assignee = team[s_n % len(team)]
            section.save()
            group_indicators = [i for i in indicators if i.group_id == section.group_id]
            mine = [
                e
                for e in citable
                if any(i.group_id == section.group_id for i in e.indicators.all())
            ]
            used: set[int] = set()
            for f_n, (kind, prefer) in enumerate(kinds):
                # Entries tagged for this kind first, then any citable one of the group;
                # each finding of the section cites other entries while there are enough.
                ranked = sorted(mine, key=lambda e: (e.pk in used, not prefer(e)))
                cited = ranked[: size.citations]
                used.update(e.pk for e in cited)
                finding = Finding.objects.create(
                    section=section,
                    kind=kind,
                    order=f_n,
                    text=f"{section.group.code}: what the team found ({kind}). " * 4,
                    obstacles="No budget line; the departments work apart."
                    if kind == Finding.WEAKNESS
                    else "",
                )
                finding.evidence.set(cited)
                findings += 1
                citations += len(cited)
            for r_n in range(size.recommendations):
                rec = Recommendation.objects.create(
                    section=section,
                    order=r_n,
                    text=f"{section.group.code}: what the city should do, concretely ({r_n + 1}).",
                    priority=(Recommendation.HIGH, Recommendation.MEDIUM, Recommendation.LOW)[
                        r_n % 3
                    ],
                    timeframe=("6m", "12m", "24m", "longer")[r_n % 4],
                    actor="Department of Social Development",
                    measure="A yearly monitoring report shows the change.",
                )
                rec.indicators.set(
                    group_indicators[r_n % len(group_indicators) :: size.recommendations][:2]
                )
                recommendations += 1

        report.forget()
        version = report.freeze(by=leader, content=build_content(review, report))
        ReportApproval.objects.bulk_create(
            [ReportApproval(version=version, peer=member, approves=True) for member in team]
        )
        report.factual_round_opened_at = timezone.now()
        report.factual_round_version = version
        report.save(update_fields=["factual_round_opened_at", "factual_round_version"])
        FactualComment.objects.create(
            report=report,
            version=version,
            section_key=sections[0].group.code,
            text="The council adopted the plan in 2023, not in 2022.",
            author=host,
            answer="Corrected in the final text.",
            answered_by=leader,
            answered_at=timezone.now(),
        )
        report.factual_round_closed_at = timezone.now()
        report.save(update_fields=["factual_round_closed_at"])
        report.make_final(by=leader)
        report.published_at = timezone.now()
        report.published_by = coordinator
        report.save(update_fields=["published_at", "published_by"])
        fill_default_checkpoints(report)

        decisions = (HostResponse.ACCEPT, HostResponse.PARTLY, HostResponse.DECLINE)
        for r_n, rec in enumerate(Recommendation.objects.filter(section__report=report)):
            decision = decisions[r_n % 3]
            committed = decision != HostResponse.DECLINE
            HostResponse.objects.create(
                recommendation=rec,
                decision=decision,
                rationale="" if decision == HostResponse.ACCEPT else "Only the first part fits.",
                owner="Head of Social Development" if committed else "",
                deadline=today + datetime.timedelta(days=180) if committed else None,
                first_actions="A working group starts next month." if committed else "",
                responded_by=host,
            )
    return {
        "report_sections": len(sections),
        "report_findings": findings,
        "report_citations": citations,
        "report_citable_evidence": len(citable),
        "report_recommendations": recommendations,
        "report_version": version.number,
        "report_pdf_evidence_codes": len(version.content["evidence_index"]),
    }


# --------------------------------------------------------------------------- pages


@contextlib.contextmanager
def draft_report(world: World):
    """The host edits only a draft: reopen the report for the page, then submit it again."""
    from reviews.models import InceptionReport

    report = InceptionReport.objects.get(review=world.review)
    report.reopen(by=world.coordinator, reason="benchmark: measuring the host's editing page")
    try:
        yield
    finally:
        report.refresh_from_db()
        report.submit(by=world.hosts[0], reason="benchmark data")


def page_specs(world: World) -> list[tuple[str, str, object, object]]:
    """(label, url, user, context manager factory or None) for every measured page."""
    from django.urls import reverse

    pk = world.review.pk
    peer = world.peers[0]
    specs = [
        (BASELINE, reverse("profile"), peer, None),
        ("reviews:dashboard", reverse("reviews:dashboard"), world.coordinator, None),
        ("reviews:all", reverse("reviews:all"), world.coordinator, None),
        ("reviews:detail", reverse("reviews:detail", args=[pk]), world.leader, None),
        (
            "reviews:inception_group",
            reverse("reviews:inception_group", args=[pk, world.first_group.pk]),
            world.hosts[0],
            draft_report,
        ),
        (
            "reviews:desk_review_team",
            reverse("reviews:desk_review_team", args=[pk, world.first_group.pk]),
            peer,
            None,
        ),
        ("reviews:planner", reverse("reviews:planner", args=[pk]), world.leader, None),
        ("reviews:evidence", reverse("reviews:evidence", args=[pk]), world.leader, None),
        (
            "reviews:evidence_overview",
            reverse("reviews:evidence_overview", args=[pk]),
            peer,
            None,
        ),
        (
            "reviews:evaluation",
            reverse("reviews:evaluation", args=[pk, world.first_indicator.pk]),
            peer,
            None,
        ),
        (
            "benchmarks:version",
            reverse(
                "benchmarks:version",
                kwargs={
                    "slug": world.bench_version.benchmark.slug,
                    "number": world.bench_version.number,
                },
            ),
            peer,
            None,
        ),
        # Step 7, the report final and published.
        ("reviews:report", reverse("reviews:report", args=[pk]), world.leader, None),
        (
            "reviews:report_section",
            reverse("reviews:report_section", args=[pk, world.first_section.pk]),
            peer,
            None,
        ),
        ("reviews:report_final", reverse("reviews:report_final", args=[pk]), peer, None),
        ("reviews:action_plan", reverse("reviews:action_plan", args=[pk]), world.hosts[0], None),
    ] + (
        [
            (
                "reviews:programme",
                reverse("reviews:programme", args=[world.programme.pk]),
                world.coordinator,
                None,
            )
        ]
        if world.programme
        else []
    )
    return specs + cross_city_specs(world)


def cross_city_specs(world: World) -> list[tuple[str, str, object, object]]:
    """The learning across reviews: the programme's cross-city matrix (coordinator), the
    public network page (nobody signed in), the open data CSV (coordinator), and the
    good-practice library searched by full text and by an indicator code (a peer)."""
    from django.urls import reverse

    if world.cross_city is None:
        return []
    programme = world.cross_city.pk
    library = reverse("practices:library")
    return [
        (
            "comparisons:matrix",
            reverse("comparisons:matrix", args=[programme]),
            world.coordinator,
            None,
        ),
        ("comparisons:network", reverse("comparisons:network"), None, None),
        (
            "reports:programme_open_data",
            reverse("reports:programme_open_data", args=[programme, "csv"]),
            world.coordinator,
            None,
        ),
        ("practices:library?q=", f"{library}?q=welcome+district", world.peers[0], None),
        (
            "practices:library?indicator=",
            f"{library}?indicator={world.search_code}",
            world.peers[0],
            None,
        ),
    ]


def build_cross_city(world: World, reviews) -> dict:
    """What the cross-city pages read, around `reviews` (the measured one included): each
    review in one programme (world.programme at NETWORK size) with a published feedback
    report and the team's rating of every indicator (the measured review has its own from
    build_report), the levels varying by city and indicator; and two published practices
    per review in the library, each in its city, linked to two indicators by lineage, with
    the searched words in half of them. Sets ``world.cross_city`` and ``world.search_code``."""
    from django.db import transaction
    from django.utils import timezone

    from benchmarks.models import RatingScale
    from practices.models import Practice, PracticeIndicator
    from reviews.models import FeedbackReport, IndicatorEvaluation, Programme, Review

    now = timezone.now()
    indicators = list(world.review.indicators_in_scope())
    levels = list(
        RatingScale.objects.get(version=world.version, purpose=RatingScale.PERFORMANCE).levels.all()
    )
    reviews = list(reviews)
    with transaction.atomic():
        programme = world.programme or Programme.objects.create(
            name="Cross-city programme (benchmark)", benchmark_version=world.version
        )
        Review.objects.filter(pk__in=[r.pk for r in reviews]).update(programme=programme)
        programme.partners.add(*[r.host_city for r in reviews])
        rated = set(
            IndicatorEvaluation.objects.filter(review__in=reviews).values_list("review", flat=True)
        )
        reported = set(
            FeedbackReport.objects.filter(review__in=reviews).values_list("review", flat=True)
        )
        FeedbackReport.objects.bulk_create(
            [FeedbackReport(review=r, published_at=now) for r in reviews if r.pk not in reported]
        )
        FeedbackReport.objects.filter(review__in=reviews, published_at=None).update(
            published_at=now
        )
        IndicatorEvaluation.objects.bulk_create(
            [
                IndicatorEvaluation(
                    review=r, indicator=indicator, rating=levels[(n + i) % len(levels)]
                )
                for n, r in enumerate(reviews)
                if r.pk not in rated
                for i, indicator in enumerate(indicators)
            ],
            batch_size=1000,
        )
        practices = Practice.objects.bulk_create(
            [
                Practice(
                    slug=f"bench-{r.pk}-{k}",
                    title=f"{'A welcome desk in every district' if k else 'A council of newcomers'} of {r.host_city.name}",
                    title_en=f"{'A welcome desk in every district' if k else 'A council of newcomers'} of {r.host_city.name}",
                    description_en="What the city does, in a few sentences. " * 6,
                    programme=programme.name,
                    state=Practice.PUBLISHED,
                    published_at=now,
                )
                for r in reviews
                for k in (0, 1)
            ]
        )
        Practice.cities.through.objects.bulk_create(
            [
                Practice.cities.through(practice_id=p.pk, city_id=reviews[n // 2].host_city_id)
                for n, p in enumerate(practices)
            ]
        )
        PracticeIndicator.objects.bulk_create(
            [
                PracticeIndicator(
                    practice=p,
                    code=indicators[(n + j) % len(indicators)].code,
                    lineage=indicators[(n + j) % len(indicators)].lineage,
                    benchmark_id=world.version.benchmark_id,
                )
                for n, p in enumerate(practices)
                for j in (0, 1)
            ]
        )
    world.cross_city = programme
    world.search_code = indicators[1 % len(indicators)].code
    return {
        "cross_city_reviews": programme.reviews.count(),
        "cross_city_ratings": IndicatorEvaluation.objects.filter(
            review__programme=programme
        ).count(),
        "library_practices": Practice.objects.count(),
    }


def signed_in_client(user):
    from django.test import Client

    client = Client()
    if user is not None:  # None: a visitor who is not signed in
        client.force_login(user, backend="cities.backends.EmailBackend")
    return client


def measure_page(url: str, user, *, n: int, warmups: int, baseline=None) -> dict:
    """One page's query count and timings. With `baseline` (url, user), each timed request
    is paired with one of the baseline page, in turn: both see the same load on the
    machine, so the ratio holds when other processes compete for the CPUs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in_client(user)
    base_client = signed_in_client(baseline[1]) if baseline else None
    for _ in range(warmups):
        client.get(url)
        if base_client:
            base_client.get(baseline[0])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    # Read now: the next request resets the connection's query log.
    queries = len(captured.captured_queries)
    timings, base_timings = [], []
    for _ in range(n):
        if base_client:
            start = time.perf_counter()
            base_client.get(baseline[0])
            base_timings.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    result = {
        "status": response.status_code,
        "bytes": len(response.content),
        "queries": queries,
        "median_ms": statistics.median(timings),
        "min_ms": min(timings),
        "max_ms": max(timings),
    }
    if base_timings:
        result["baseline_median_ms"] = statistics.median(base_timings)
    return result


def measure_pages(
    world: World, *, n: int, warmups: int, only: list[str] | None = None
) -> list[dict]:
    """Every page of `page_specs`; with `only`, just those whose label contains one of its
    words (and the baseline page, which the ratios need)."""
    rows = []
    specs = page_specs(world)
    baseline = next((url, user) for label, url, user, _wrapper in specs if label == BASELINE)
    for label, url, user, wrapper in specs:
        if only and label != BASELINE and not any(word in label for word in only):
            continue
        with wrapper(world) if wrapper else contextlib.nullcontext():
            result = measure_page(
                url, user, n=n, warmups=warmups, baseline=None if label == BASELINE else baseline
            )
        if result["status"] != 200:
            log(f"WARNING: {label} ({world.size.name}) answered {result['status']}")
        rows.append(
            {
                "page": label,
                "size": world.size.name,
                "url": url,
                "user": user.email if user else "(not signed in)",
                **result,
            }
        )
        log(
            f"{world.size.name:5} {label:28} {result['queries']:3} queries "
            f"{result['median_ms']:8.1f} ms (status {result['status']})"
        )
    # Each page against the baseline requests timed beside its own (see measure_page).
    alone = next(r["median_ms"] for r in rows if r["page"] == BASELINE)
    for row in rows:
        row["ratio"] = row["median_ms"] / row.get("baseline_median_ms", alone)
    return rows


# --------------------------------------------------------------------------- PDF


def maxrss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def in_fresh_process(measure, *args, **kwargs) -> dict:
    """``measure(*args, **kwargs)`` in a forked child, its result (a JSON dict) sent back.

    Each PDF measurement starts from the same state (the parent's, after the pages) and its
    peak memory is its own: memory an earlier render left in the process's allocators
    would otherwise hide a later render's growth. The database connection is closed before
    the fork (both processes reconnect). Without ``os.fork`` it runs in this process.
    """
    from django.db import connections

    if not hasattr(os, "fork"):
        return measure(*args, **kwargs)
    connections.close_all()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: measure, write the result, leave without any clean-up
        os.close(read)
        code = 0
        try:
            payload = json.dumps(measure(*args, **kwargs), default=str)
        except BaseException as error:  # noqa: BLE001 - reported by the parent
            payload = json.dumps({"status": None, "error": repr(error)})
            code = 1
        with os.fdopen(write, "w", encoding="utf-8") as out:
            out.write(payload)
        os._exit(code)
    os.close(write)
    with os.fdopen(read, encoding="utf-8") as received:
        data = received.read()
    os.waitpid(pid, 0)
    result = json.loads(data) if data else {"status": None, "error": "no result"}
    if result.get("error"):
        log(f"WARNING: measurement failed: {result['error']}")
    return result


def reset_peak_rss() -> bool:
    """Linux: lower the process's peak RSS (which ru_maxrss reports) to its current RSS, so
    the next measurement sees its own peak and not an earlier one. False where not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def measure_pdf(world: World, *, runs: int) -> dict:
    """The PDF view against WeasyPrint alone on the HTML the view rendered."""
    from django.urls import reverse
    from pypdf import PdfReader

    url = reverse("reports:inception_pdf", args=[world.review.pk])
    user = world.peers[0]
    client = signed_in_client(user)
    peak_reset = reset_peak_rss()
    rss_before = maxrss_mb()

    # The warm-up keeps the final HTML (rendered from `_reading_context`); it also builds
    # the stylesheet and fonts once.
    response, html = first_download(client, url)
    if response.status_code != 200 or html is None:
        log(f"WARNING: the PDF view answered {response.status_code}")
        return {"status": response.status_code, "url": url}
    content = response.content
    view_times, alone_times = time_against_weasyprint(client, url, html, runs=runs)
    rss_after = maxrss_mb()
    view, alone = statistics.median(view_times), statistics.median(alone_times)
    pages = len(PdfReader(io.BytesIO(content)).pages)
    log(f"PDF: view {view:.2f} s, WeasyPrint alone {alone:.2f} s, {pages} pages")
    return {
        "status": response.status_code,
        "url": url,
        "user": user.email,
        "size": world.size.name,
        "runs": runs,
        "view_median_s": view,
        "weasyprint_median_s": alone,
        "ratio": view / alone,
        "view_s": view_times,
        "weasyprint_s": alone_times,
        "pages": pages,
        "pdf_bytes": len(content),
        "html_chars": len(html),
        "peak_rss_reset": peak_reset,
        "peak_rss_before_mb": rss_before,
        "peak_rss_after_mb": rss_after,
        "peak_rss_growth_mb": rss_after - rss_before,
    }


# --------------------------------------------------------------------------- feedback report


def _review_as_views_get_it(world: World):
    """The review as ``reviews.access.get_review`` loads it for a view."""
    from reviews.models import Review

    return Review.objects.select_related(
        "host_city", "benchmark_version__benchmark", "inception_report"
    ).get(pk=world.review.pk)


def measure_report_content(world: World, *, runs: int = 3) -> dict:
    """SQL queries and time of ``reviews.services.report_content.build_content`` (what a frozen version
    keeps and the draft PDF/DOCX draw), on a review loaded as the views load it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reviews.services.report_content import build_content

    build_content(_review_as_views_get_it(world))  # warm-up
    review = _review_as_views_get_it(world)
    with CaptureQueriesContext(connection) as captured:
        content = build_content(review)
    queries = len(captured.captured_queries)
    timings = []
    for _ in range(runs):
        review = _review_as_views_get_it(world)
        start = time.perf_counter()
        build_content(review)
        timings.append((time.perf_counter() - start) * 1000)
    result = {
        "size": world.size.name,
        "queries": queries,
        "median_ms": statistics.median(timings),
        "evidence_entries": world.counts.get("evidence"),
        "sections": len(content["sections"]),
        "findings": sum(len(s["findings"]) for s in content["sections"]),
        "recommendations": sum(len(s["recommendations"]) for s in content["sections"]),
        "evidence_codes_cited": len(content["evidence_index"]),
    }
    log(
        f"{world.size.name:5} build_content {queries} queries, {result['median_ms']:.1f} ms "
        f"({result['evidence_entries']} evidence entries)"
    )
    return result


def measure_report_outputs(world: World, *, runs: int) -> dict:
    """The final report's PDF view against WeasyPrint alone on the same HTML, and its DOCX
    view against python-docx alone; downloaded by a team member, like the inception PDF."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.urls import reverse
    from django.utils import translation
    from pypdf import PdfReader

    from reports.docx import build_docx
    from reports.stored import print_context
    from reviews.models import FeedbackReport

    version = FeedbackReport.objects.get(review_id=world.review.pk).final_version
    if version is None:
        log("WARNING: the feedback report has no final version")
        return {"status": None}
    content = version.content
    pk = world.review.pk
    url = reverse("reports:report_pdf", args=[pk])
    docx_url = reverse("reports:report_docx", args=[pk])
    user = world.peers[0]
    client = signed_in_client(user)
    peak_reset = reset_peak_rss()
    rss_before = maxrss_mb()

    # The view's HTML only to check that the HTML rendered below is the same.
    response, view_html = first_download(client, url)  # warm-up
    if response.status_code != 200 or response["Content-Type"] != "application/pdf":
        log(f"WARNING: the report PDF view answered {response.status_code}")
        return {"status": response.status_code, "url": url}
    body = response.content

    # The same HTML outside the view: the view's template and context helper, in the
    # version's language, with a request for the same user.
    request = RequestFactory().get(url)
    request.user = user
    with translation.override(content.get("language") or translation.get_language()):
        html = render_to_string(
            "reports/report_pdf.html", print_context(content, version, False), request=request
        )
    same_html = html == view_html
    if not same_html:
        log("WARNING: the HTML rendered outside the view differs from the view's")

    view_times, alone_times = time_against_weasyprint(client, url, html, runs=runs)
    rss_after = maxrss_mb()
    view, alone = statistics.median(view_times), statistics.median(alone_times)
    pages = len(PdfReader(io.BytesIO(body)).pages)
    # The warm-up rendered and stored the final version's PDF: these downloads serve it.
    log(f"report PDF: stored download {view:.2f} s, WeasyPrint alone {alone:.2f} s, {pages} pages")

    docx_response = client.get(docx_url)  # warm-up
    docx_view_times, docx_alone_times = [], []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(docx_url)
        docx_view_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        with translation.override(content.get("language") or translation.get_language()):
            build_docx(content, draft=False, version=version.number)
        docx_alone_times.append(time.perf_counter() - start)
    docx_view = statistics.median(docx_view_times)
    docx_alone = statistics.median(docx_alone_times)
    log(f"report DOCX: view {docx_view:.2f} s, python-docx alone {docx_alone:.2f} s")
    return {
        "status": response.status_code,
        "url": url,
        "user": user.email,
        "size": world.size.name,
        "version": version.number,
        "runs": runs,
        "sections": len(content["sections"]),
        "recommendations": sum(len(s["recommendations"]) for s in content["sections"]),
        "evidence_codes_cited": len(content["evidence_index"]),
        "view_median_s": view,
        "weasyprint_median_s": alone,
        "ratio": view / alone,
        "view_s": view_times,
        "weasyprint_s": alone_times,
        "same_html": same_html,
        "pages": pages,
        "pdf_bytes": len(body),
        "html_chars": len(html),
        "peak_rss_reset": peak_reset,
        "peak_rss_before_mb": rss_before,
        "peak_rss_after_mb": rss_after,
        "peak_rss_growth_mb": rss_after - rss_before,
        "docx": {
            "status": docx_response.status_code,
            "url": docx_url,
            "bytes": len(docx_response.content),
            "view_median_s": docx_view,
            "python_docx_median_s": docx_alone,
            "ratio": docx_view / docx_alone,
            "view_s": docx_view_times,
            "python_docx_s": docx_alone_times,
        },
    }


def synthesis_goal(synthesis: dict | None, result: dict) -> str:
    """The comparative report PDF's goal (view/WeasyPrint <= MAX_PDF_RATIO) into `result`,
    and its part of the GOALS line."""
    if synthesis and "ratio" in synthesis:
        ok = synthesis["ratio"] <= MAX_PDF_RATIO
        result["synthesis_pdf"] = {"ratio": synthesis["ratio"], "met": ok}
        return (
            f"; comparative report PDF view/WeasyPrint {synthesis['ratio']:.2f} <= "
            f"{MAX_PDF_RATIO:g}: {'yes' if ok else 'NO'}"
        )
    result["synthesis_pdf"] = {"met": None}
    return "; comparative report PDF: not measured"


def synthesis_line(synthesis: dict | None) -> str:
    if synthesis and "ratio" in synthesis:
        return (
            f"PDF comparative report ({synthesis['size']}, {synthesis['chapters']} chapters, "
            f"{synthesis['spread_rows']} indicators, {synthesis['practices']} practices, "
            f"coordinator, median of {synthesis['runs']}): view "
            f"{synthesis['view_median_s']:.2f} s, WeasyPrint alone "
            f"{synthesis['weasyprint_median_s']:.2f} s, ratio {synthesis['ratio']:.2f}, "
            f"{synthesis['pages']} pages; published, from storage "
            f"{synthesis['stored_median_s']:.3f} s"
            + ("" if synthesis["same_html"] else "; WARNING: HTML differs from the view's")
        )
    if synthesis:
        return f"PDF comparative report: the view answered {synthesis['status']}"
    return "PDF comparative report: not measured (--no-pdf)"


# --------------------------------------------------------------------------- load test

LOAD_SCRIPT = Path(__file__).resolve().parent / "load.lua"
# gunicorn's output (its log and Django's warnings and errors), kept for reading after a run.
GUNICORN_LOG = RESULTS_DIR / "gunicorn.log"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def session_cookie(user, form_url: str) -> tuple[str, str]:
    """A signed-in session for `user` in the bench database: (Cookie header, a CSRF token)."""
    import re

    from django.conf import settings

    client = signed_in_client(user)
    response = client.get(form_url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    if response.status_code != 200 or not token:
        raise RuntimeError(f"the evidence form answered {response.status_code} without a token")
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    csrf = client.cookies[settings.CSRF_COOKIE_NAME].value
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"
    return cookie, token.group(1)


def evidence_body(world: World) -> str:
    """A valid new evidence entry (without the CSRF token): a fact from an interview."""
    from benchmarks.models import RatingScale
    from reviews.models import VisitSession

    session = (
        world.review.visit_sessions.filter(kind=VisitSession.INTERVIEW, peers=world.peers[0])
        .order_by("starts_at")
        .first()
    ) or world.review.visit_sessions.filter(kind=VisitSession.INTERVIEW).first()
    indicator = session.indicators.first() or world.first_indicator
    colour = RatingScale.objects.get(
        version=world.review.benchmark_version, purpose=RatingScale.EVIDENCE
    ).levels.first()
    return urllib.parse.urlencode(
        {
            "session": session.pk,
            "indicators": indicator.pk,
            "text": "Load test: the council adopted the plan; minutes seen.",
            "colour": colour.pk,
            "basis": "fact",
            "context": "",
            "edit_version": 0,
        }
    )


@contextlib.contextmanager
def gunicorn_server(*, workers: int):
    """gunicorn on a free loopback port against the bench database; always stopped."""
    from django.db import connections

    connections.close_all()  # the workers open the SQLite file themselves
    port = free_port()
    module = os.environ["DJANGO_SETTINGS_MODULE"]
    env = {
        **os.environ,
        # config.test_settings only swaps the hasher, e-mail and a temporary MEDIA_ROOT
        # per process; the server runs the real settings on the same environment.
        "DJANGO_SETTINGS_MODULE": "config.settings" if module == "config.test_settings" else module,
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    with GUNICORN_LOG.open("wb") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--timeout",
                "60",
                "--error-logfile",
                "-",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so the workers go too
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {process.returncode}: {GUNICORN_LOG.read_text()[-2000:]}"
                )
            # The master listens before its workers have booted: wait for a real answer.
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).close()
                break
            except urllib.error.HTTPError:
                break  # an answer all the same
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not listen within 30 s")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run_wrk(base: str, args: list[str], *, seconds: int, connections: int, threads: int) -> dict:
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=30s",
        f"--script={LOAD_SCRIPT}",
        base + args[1],
        "--",
        *args,
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("CFLOAD ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    result = json.loads(line.removeprefix("CFLOAD "))
    seconds_run = result["duration_us"] / 1e6
    errors = result["errors"]
    return {
        "requests": result["requests"],
        "seconds": seconds_run,
        "requests_per_s": result["requests"] / seconds_run,
        "p50_ms": result["latency_us"]["p50"] / 1000,
        "p90_ms": result["latency_us"]["p90"] / 1000,
        "p99_ms": result["latency_us"]["p99"] / 1000,
        "max_ms": result["latency_us"]["max"] / 1000,
        # wrk counts a status of 400 or more as an error: everything but 2xx and 3xx.
        "non_2xx_3xx": errors["status"],
        "non_2xx_3xx_by_status": result["other_statuses"],
        "socket_errors": {k: v for k, v in errors.items() if k != "status"},
        "status_200": result["status_200"],
        "status_302": result["status_302"],
        "posts_sent": result["posts"],
    }


def measure_load(
    world: World, *, seconds: int, warmup: int, connections: int, workers: int
) -> dict:
    """Throughput under gunicorn: the baseline page, then the evidence entry round trip."""
    from django.urls import reverse

    from reviews.models import Evidence

    peer = world.peers[0]
    form_url = reverse("reviews:evidence_add", args=[world.review.pk])
    baseline_url = reverse(BASELINE)
    cookie, token = session_cookie(peer, form_url)
    runs = {
        "baseline": ["get", baseline_url, cookie],
        "roundtrip": ["roundtrip", form_url, cookie, token, evidence_body(world)],
    }
    threads = min(connections, 2)
    results = {}
    with gunicorn_server(workers=workers) as base:
        log(f"load: gunicorn {workers} workers at {base}; wrk {connections} connections")
        for name, args in runs.items():
            if warmup:  # first requests per worker compile templates and fill caches
                run_wrk(base, args, seconds=warmup, connections=connections, threads=threads)
            if name == "roundtrip":
                before = Evidence.objects.filter(review=world.review).count()
            results[name] = run_wrk(
                base, args, seconds=seconds, connections=connections, threads=threads
            )
            log(f"load: {name} {results[name]['requests_per_s']:.1f} req/s")
    baseline, roundtrip = results["baseline"], results["roundtrip"]
    created = Evidence.objects.filter(review=world.review).count() - before
    # One round trip is a GET of the form and a POST whose 302 leads back to it.
    roundtrip["round_trips_per_s"] = roundtrip["requests_per_s"] / 2
    roundtrip["entries_created"] = created
    ratio = baseline["requests_per_s"] / roundtrip["round_trips_per_s"]
    log(
        f"load: evidence round trip {roundtrip['round_trips_per_s']:.1f}/s "
        f"({roundtrip['requests_per_s']:.1f} req/s), {created} entries created"
    )
    return {
        "size": world.size.name,
        "user": peer.email,
        "server": f"gunicorn, {workers} sync workers, 127.0.0.1",
        "load_generator": (
            f"wrk, {threads} threads, {connections} connections, {seconds} s each "
            f"after {warmup} s of warm-up"
        ),
        "baseline": {"page": BASELINE, "url": baseline_url, **baseline},
        "evidence_round_trip": {"url": form_url, **roundtrip},
        # How many baseline requests the server answers in the time of one round trip.
        "ratio": ratio,
    }


def load_lines(load: dict) -> str:
    base, trip = load["baseline"], load["evidence_round_trip"]
    header = (
        f"{'load test (' + load['size'] + ')':34} {'req/s':>7} {'trips/s':>8} "
        f"{'p50 ms':>7} {'p99 ms':>7} {'non-2xx/3xx':>11}"
    )
    lines = [
        header,
        "-" * len(header),
        f"{BASELINE + ' (GET)':34} {base['requests_per_s']:7.1f} {'':>8} "
        f"{base['p50_ms']:7.1f} {base['p99_ms']:7.1f} {base['non_2xx_3xx']:11d}",
        f"{'evidence entry (GET form + POST)':34} {trip['requests_per_s']:7.1f} "
        f"{trip['round_trips_per_s']:8.1f} {trip['p50_ms']:7.1f} {trip['p99_ms']:7.1f} "
        f"{trip['non_2xx_3xx']:11d}",
        f"ratio: an evidence round trip costs {load['ratio']:.1f}x a {BASELINE} request "
        f"({base['requests_per_s']:.1f} / {trip['round_trips_per_s']:.1f}); "
        f"{trip['entries_created']} entries created from {trip['status_302']} POSTs "
        f"answered 302; {load['server']}; {load['load_generator']}",
    ]
    for name, run in ((BASELINE, base), ("evidence", trip)):
        sockets = sum(run["socket_errors"].values())
        if run["non_2xx_3xx"] or sockets:
            lines.append(
                f"{name}: answers by status {run['non_2xx_3xx_by_status']}, socket errors "
                f"{run['socket_errors']}; see {GUNICORN_LOG.relative_to(ROOT)}"
            )
    return "\n".join(lines)


# --------------------------------------------------------------------------- network


def build_network(world: World) -> dict:
    """The NETWORK data set around `world` (built at NETWORK size): NETWORK_REVIEWS - 1
    more reviews of the same 73 indicators, each with its team, 30 interviews and its share
    of the NETWORK_EVIDENCE entries, written in bulk (no history rows: nothing measured
    reads them), and a programme holding all the reviews. Sets ``world.programme``."""
    from django.db import transaction
    from django.utils import timezone

    from benchmarks.models import RatingScale
    from cities.models import City
    from reviews.models import Evidence, Programme, Review, VisitSession
    from reviews.services import add_member
    from reviews.steps import COORDINATOR, PEER, TEAM_LEADER

    today = timezone.localdate()
    version = world.version
    indicators = list(world.review.indicators_in_scope())
    colours = list(
        RatingScale.objects.get(version=version, purpose=RatingScale.EVIDENCE).levels.all()
    )
    team = [world.leader, *world.peers]
    others = NETWORK_REVIEWS - 1
    per_review = (NETWORK_EVIDENCE - world.review.evidence.count()) // others
    interviews = world.size.interviews
    Through = Evidence.indicators.through
    Interviewers = Evidence.interviewers.through
    SessionPeers = VisitSession.peers.through
    with transaction.atomic():
        programme = Programme.objects.create(
            name="Network programme (benchmark)",
            benchmark_version=version,
            starts_on=today - datetime.timedelta(days=200),
            ends_on=today + datetime.timedelta(days=300),
        )
        cities = [world.review.host_city]
        programme.pool.set(team)
        Review.objects.filter(pk=world.review.pk).update(programme=programme)
        for n in range(others):
            city = City.objects.create(name=f"Programme city {n + 1}", country="Europe")
            cities.append(city)
            programme.partners.add(city)
            start = today + datetime.timedelta(days=(n % 25) * 8 - 100)
            review = Review.objects.create(
                title=f"Peer review of programme city {n + 1}",
                benchmark_version=version,
                host_city=city,
                programme=programme,
                current_step=1 + n % 7,
                training_date=start,
                inception_due=start + datetime.timedelta(days=30),
                visit_start=start + datetime.timedelta(days=60),
                visit_end=start + datetime.timedelta(days=63),
                report_due=start + datetime.timedelta(days=120),
            )
            pair = (team[n % len(team)], team[(n + 1) % len(team)])
            add_member(review=review, user=pair[0], role=TEAM_LEADER)
            add_member(review=review, user=pair[1], role=PEER)
            add_member(review=review, user=world.coordinator, role=COORDINATOR)
            day = timezone.make_aware(
                datetime.datetime.combine(review.visit_start, datetime.time(9))
            )
            sessions = VisitSession.objects.bulk_create(
                [
                    VisitSession(
                        review=review,
                        kind=VisitSession.INTERVIEW,
                        location="City hall",
                        starts_at=day + datetime.timedelta(hours=s),
                        ends_at=day + datetime.timedelta(hours=s, minutes=50),
                    )
                    for s in range(interviews)
                ]
            )
            SessionPeers.objects.bulk_create(
                [SessionPeers(visitsession_id=s.pk, user_id=p.pk) for s in sessions for p in pair]
            )
            entries = Evidence.objects.bulk_create(
                [
                    Evidence(
                        review=review,
                        session=sessions[e % interviews],
                        colour=colours[(e // len(indicators)) % len(colours)],
                        text=f"Finding {e + 1} of programme city {n + 1}. " * 3,
                        basis=Evidence.OPINION if e % 9 == 0 else Evidence.FACT,
                        is_good_practice=e % 7 == 0,
                        is_weakness=e % 11 == 0,
                        author=pair[0],
                    )
                    for e in range(per_review)
                ],
                batch_size=500,
            )
            Through.objects.bulk_create(
                [
                    Through(evidence_id=entry.pk, indicator_id=indicators[e % len(indicators)].pk)
                    for e, entry in enumerate(entries)
                ],
                batch_size=1000,
            )
            Interviewers.objects.bulk_create(
                [
                    Interviewers(evidence_id=entry.pk, user_id=p.pk)
                    for entry in entries
                    for p in pair
                ],
                batch_size=1000,
            )
        programme.partners.add(world.review.host_city)
    world.programme = programme
    return {
        "programme_reviews": programme.reviews.count(),
        "programme_partners": programme.partners.count(),
        "network_evidence": Evidence.objects.count(),
        "network_reviews": Review.objects.count(),
    }


def network_reviews(world: World):
    """Every review of the network: its programme's at NETWORK size, else all of them (the
    measured one and the small ones of build_world, all on the same version)."""
    from reviews.models import Review

    if world.programme is not None:
        return world.programme.reviews.select_related("host_city")
    return Review.objects.filter(benchmark_version=world.version).select_related("host_city")


# config.test_settings runs tasks at once; the queue measurement enqueues in the database.
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def measure_queue(**kwargs) -> dict:
    from django.test import override_settings

    with override_settings(TASKS=DATABASE_QUEUE):
        return _measure_queue(**kwargs)


def _measure_queue(*, burst: int, steady_rate: float, steady_seconds: float) -> dict:
    """The background queue through one real ``db_worker`` on the bench database.

    1. A burst of `burst` e-mails queued in one transaction (``queue_email``, as the app
       queues them), then one worker started: tasks per second from the first task started
       to the last finished (the worker's start-up is left out), from the task results.
    2. Under a steady load of `steady_rate` e-mails a second for `steady_seconds`, queued
       one per transaction as requests queue them: the longest any task waited for the
       worker (``config.health.oldest_waiting_task``, sampled every 0.1 s), against the
       health check's HEALTH_TASK_MAX_WAIT.
    The worker sends with the in-memory mail backend (``EMAIL_BACKEND=locmem``)."""
    from django.conf import settings
    from django.db import connections, transaction
    from django.db.models import Max, Min
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from config.health import oldest_waiting_task
    from mail.delivery import queue_email
    from mail.models import Delivery

    def sent() -> int:
        return Delivery.objects.filter(status=Delivery.SENT).count()

    DBTaskResult.objects.all().delete()
    Delivery.objects.all().delete()
    with transaction.atomic():
        for n in range(burst):
            queue_email(to=f"person{n}@bench.example.org", subject="Bench", body="A message.")
    connections.close_all()
    module = os.environ["DJANGO_SETTINGS_MODULE"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings" if module == "config.test_settings" else module,
        "EMAIL_BACKEND": "locmem",
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    with (RESULTS_DIR / "worker.log").open("wb") as log_file:
        worker = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.1",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 120 + burst / 5
        while sent() < burst:
            if worker.poll() is not None:
                raise RuntimeError(f"db_worker exited with {worker.returncode}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the worker sent {sent()} of {burst} e-mails in time")
            time.sleep(0.2)
        span = DBTaskResult.objects.aggregate(first=Min("started_at"), last=Max("finished_at"))
        if span["first"] is None:
            raise RuntimeError("the e-mails were sent without the queue: no task results")
        seconds = (span["last"] - span["first"]).total_seconds()
        per_second = burst / seconds if seconds else float("inf")
        log(f"queue: {burst} e-mails in {seconds:.1f} s ({per_second:.0f}/s)")

        # Steady load: one e-mail per transaction at steady_rate a second.
        waits = []
        total = int(steady_rate * steady_seconds)
        start = time.monotonic()
        for n in range(total):
            queue_email(to=f"steady{n}@bench.example.org", subject="Bench", body="A message.")
            since = oldest_waiting_task()
            waits.append((timezone.now() - since).total_seconds() if since else 0.0)
            pause = start + (n + 1) / steady_rate - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        queued_for = time.monotonic() - start
        drain_deadline = time.monotonic() + 60 + total / 5
        while sent() < burst + total and time.monotonic() < drain_deadline:
            since = oldest_waiting_task()
            waits.append((timezone.now() - since).total_seconds() if since else 0.0)
            time.sleep(0.1)
        drained = sent() - burst
        log(f"queue: steady {steady_rate:g}/s, oldest wait max {max(waits):.2f} s")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
    return {
        "workers": 1,
        "mail_backend": "locmem",
        "burst": burst,
        "burst_seconds": seconds,
        "tasks_per_s": per_second,
        "steady_rate_per_s": steady_rate,
        "steady_queued": total,
        "steady_queued_in_s": queued_for,
        "steady_sent": drained,
        "oldest_wait_max_s": max(waits) if waits else 0.0,
        "oldest_wait_median_s": statistics.median(waits) if waits else 0.0,
        "health_max_wait_s": settings.HEALTH_TASK_MAX_WAIT,
    }


# --------------------------------------------------------------------------- report


def goals(
    rows: list[dict],
    pdf: dict | None,
    content: list[dict],
    report: dict | None,
    load: dict | None = None,
    queue: dict | None = None,
) -> tuple[str, dict]:
    by_page: dict[str, dict[str, dict]] = {}
    for row in rows:
        by_page.setdefault(row["page"], {})[row["size"]] = row
    page_goals = {}
    parts = []
    for page, sizes in by_page.items():
        small, large = sizes.get("small"), sizes.get("large")
        if not (small and large):
            continue
        equal = small["queries"] == large["queries"]
        within = max(small["queries"], large["queries"]) <= MAX_QUERIES
        met = equal and within
        page_goals[page] = {
            "queries_small": small["queries"],
            "queries_large": large["queries"],
            "equal": equal,
            f"at_most_{MAX_QUERIES}": within,
            "met": met,
        }
        parts.append(f"{page} {'yes' if met else 'NO'} ({small['queries']}/{large['queries']})")
    pages_only = [r for r in rows if r["page"] != BASELINE and r["size"] == "large"]
    heaviest = max(pages_only, key=lambda r: r["ratio"]) if pages_only else None
    line = f"GOALS: queries equal at small/large and <= {MAX_QUERIES} (small/large): " + ", ".join(
        parts
    )
    result = {"pages": page_goals}
    if heaviest:
        ok = heaviest["ratio"] <= MAX_PAGE_RATIO
        over = sorted(
            (r for r in pages_only if r["ratio"] > MAX_PAGE_RATIO), key=lambda r: -r["ratio"]
        )
        result["heaviest"] = {
            "page": heaviest["page"],
            "ratio": heaviest["ratio"],
            "over": {r["page"]: r["ratio"] for r in over},
            "met": ok,
        }
        line += (
            f"; every key page (large) <= {MAX_PAGE_RATIO:g}x baseline: {'yes' if ok else 'NO'} "
            f"(heaviest {heaviest['page']} {heaviest['ratio']:.1f}x"
            + (
                ", over: " + ", ".join(f"{r['page']} {r['ratio']:.1f}x" for r in over)
                if over
                else ""
            )
            + ")"
        )
    if load:
        ok = load["ratio"] <= MAX_ROUND_TRIP_RATIO
        result["round_trip"] = {"ratio": load["ratio"], "met": ok}
        line += (
            f"; evidence round trip (gunicorn) {load['ratio']:.1f}x a profile request "
            f"<= {MAX_ROUND_TRIP_RATIO:g}x: {'yes' if ok else 'NO'}"
        )
    else:
        result["round_trip"] = {"met": None}
        line += "; evidence round trip: not measured"
    if pdf and "ratio" in pdf:
        ok = pdf["ratio"] <= MAX_PDF_RATIO
        result["pdf"] = {"ratio": pdf["ratio"], "met": ok}
        line += f"; inception PDF view/WeasyPrint {pdf['ratio']:.2f} <= {MAX_PDF_RATIO:g}: {'yes' if ok else 'NO'}"
    else:
        result["pdf"] = {"met": None}
        line += "; inception PDF: not measured"
    sizes = {row["size"]: row["queries"] for row in content}
    if "small" in sizes and "large" in sizes:
        ok = sizes["small"] == sizes["large"]
        result["report_content"] = {
            "queries_small": sizes["small"],
            "queries_large": sizes["large"],
            "equal": ok,
            "met": ok,
        }
        line += (
            f"; report context (build_content) queries equal at small/large "
            f"({sizes['small']}/{sizes['large']}): {'yes' if ok else 'NO'}"
        )
    if report and "ratio" in report:
        ok = report["ratio"] <= MAX_PDF_RATIO
        result["report_pdf"] = {"ratio": report["ratio"], "met": ok}
        line += (
            f"; report PDF view/WeasyPrint {report['ratio']:.2f} <= {MAX_PDF_RATIO:g}: "
            f"{'yes' if ok else 'NO'}"
        )
    else:
        result["report_pdf"] = {"met": None}
        line += "; report PDF: not measured"
    network = [r for r in rows if r["size"] == "network" and r["page"] != BASELINE]
    if network:
        board = next((r for r in network if r["page"] == "reviews:programme"), None)
        worst = max(network, key=lambda r: r["ratio"])
        ok = worst["ratio"] <= MAX_PAGE_RATIO and max(r["queries"] for r in network) <= MAX_QUERIES
        result["network"] = {
            "programme_board_ratio": board["ratio"] if board else None,
            "programme_board_queries": board["queries"] if board else None,
            "heaviest": worst["page"],
            "heaviest_ratio": worst["ratio"],
            "met": ok,
        }
        line += (
            f"; network ({NETWORK_REVIEWS} reviews, {NETWORK_EVIDENCE:,} entries) pages "
            f"<= {MAX_PAGE_RATIO:g}x and <= {MAX_QUERIES} queries: {'yes' if ok else 'NO'} "
            + (
                f"(programme board {board['ratio']:.1f}x, {board['queries']} queries; "
                if board
                else "("
            )
            + f"heaviest {worst['page']} {worst['ratio']:.1f}x)"
        )
    else:
        result["network"] = {"met": None}
        line += "; network: not measured (--size network)"
    if queue:
        ok = queue["oldest_wait_max_s"] <= queue["health_max_wait_s"] and (
            queue["steady_sent"] == queue["steady_queued"]
        )
        result["queue"] = {
            "tasks_per_s": queue["tasks_per_s"],
            "oldest_wait_max_s": queue["oldest_wait_max_s"],
            "met": ok,
        }
        line += (
            f"; queue (1 db_worker, e-mail) {queue['tasks_per_s']:.0f} tasks/s, oldest wait "
            f"{queue['oldest_wait_max_s']:.1f} s at {queue['steady_rate_per_s']:g}/s "
            f"<= {queue['health_max_wait_s']} s (HEALTH_TASK_MAX_WAIT), all sent: "
            f"{'yes' if ok else 'NO'}"
        )
    else:
        result["queue"] = {"met": None}
        line += "; queue: not measured"
    return line, result


def table(rows: list[dict]) -> str:
    header = f"{'page':28} {'size':5} {'queries':>7} {'median ms':>10} {'ratio':>6}"
    lines = [header, "-" * len(header)]
    order = {page: n for n, page in enumerate(dict.fromkeys(r["page"] for r in rows))}
    for row in sorted(rows, key=lambda r: (order[r["page"]], r["size"] != "small")):
        flag = "" if row["status"] == 200 else f"  (status {row['status']})"
        lines.append(
            f"{row['page']:28} {row['size']:5} {row['queries']:7d} "
            f"{row['median_ms']:10.1f} {row['ratio']:5.1f}x{flag}"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.perf.run", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--n", type=int, default=15, help="timed requests per page (15)")
    parser.add_argument("--warmups", type=int, default=2, help="warm-up requests per page (2)")
    parser.add_argument("--pdf-runs", type=int, default=3, help="timed PDF renders (3)")
    parser.add_argument(
        "--no-pdf",
        action="store_true",
        help="skip the PDF measurements (inception and feedback report) and the report DOCX",
    )
    parser.add_argument("--keep-db", action="store_true", help="keep the /tmp database file")
    parser.add_argument(
        "--no-load",
        action="store_true",
        help="skip the load test (gunicorn + wrk), which runs by default",
    )
    # --load was the opt-in; the load test is the default now and the flag changes nothing.
    parser.add_argument("--load", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--load-seconds", type=int, default=10, help="wrk run per endpoint, in seconds (10)"
    )
    parser.add_argument(
        "--load-warmup", type=int, default=2, help="unmeasured wrk run before each, in s (2)"
    )
    parser.add_argument(
        "--load-connections", type=int, default=4, help="concurrent wrk connections (4)"
    )
    parser.add_argument("--load-workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument(
        "--size",
        choices=("large", "network"),
        default=os.environ.get("BENCH_SIZE") or "large",
        help="large (default): small and large; network: also the NETWORK data set "
        f"({NETWORK_REVIEWS} reviews, {NETWORK_EVIDENCE:,} evidence entries, a programme); "
        "or set BENCH_SIZE",
    )
    parser.add_argument(
        "--no-queue", action="store_true", help="skip the background queue measurement"
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="measure only the pages whose label contains NAME (repeatable; the profile "
        "page, the baseline, always); every page without it",
    )
    parser.add_argument("--queue-burst", type=int, default=500, help="e-mails queued at once (500)")
    parser.add_argument(
        "--queue-rate", type=float, default=20, help="steady e-mails per second (20)"
    )
    parser.add_argument(
        "--queue-seconds", type=float, default=10, help="seconds of steady load (10)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    # Stopped with SIGTERM, still clean up (the throwaway database, gunicorn, the worker).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    configure_environment()

    import django

    django.setup()
    from django.conf import settings
    from django.utils import translation

    translation.activate("en")
    database = POSTGRES_URL.rsplit("@", 1)[-1] if POSTGRES_URL else DB_PATH
    log(f"database {database}; settings {os.environ['DJANGO_SETTINGS_MODULE']}")
    load_start = os.getloadavg()[0]
    settings_media = str(settings.MEDIA_ROOT)
    try:
        prepare_database()
        rows: list[dict] = []
        datasets: dict = {}
        pdf = None
        report = None
        synthesis = None
        content_rows: list[dict] = []
        load = None
        load_note = "load test: not run (--no-load)"
        queue = None
        sizes = (*SIZES, NETWORK) if args.size == "network" else SIZES
        for n, size in enumerate(sizes):
            if n:
                reset_database()
            t0 = time.perf_counter()
            world = build_world(size)
            if size is NETWORK:
                world.counts.update(build_network(world))
            world.counts.update(build_cross_city(world, network_reviews(world)))
            datasets[size.name] = {**world.counts, "build_s": time.perf_counter() - t0}
            log(f"{size.name}: built in {datasets[size.name]['build_s']:.1f} s: {world.counts}")
            rows += measure_pages(world, n=args.n, warmups=args.warmups, only=args.only)
            content_rows.append(measure_report_content(world))
            if size is NETWORK:
                continue  # the pages only: the PDFs and the load test are per review
            if size.name == "large" and not args.no_pdf:
                pdf = in_fresh_process(measure_pdf, world, runs=args.pdf_runs)
                report = in_fresh_process(measure_report_outputs, world, runs=args.pdf_runs)
                synthesis = in_fresh_process(
                    measure_synthesis_pdf,
                    world,
                    runs=args.pdf_runs,
                    client_for=signed_in_client,
                    log=log,
                )
            if size.name == "large" and not args.no_load:
                if shutil.which("wrk") is None:
                    load_note = "load test: not run (wrk is missing: apt-get install wrk)"
                else:
                    load = measure_load(
                        world,
                        seconds=args.load_seconds,
                        warmup=args.load_warmup,
                        connections=args.load_connections,
                        workers=args.load_workers,
                    )
                    load_note = load_lines(load)
        queue_error = None
        if not args.no_queue:  # on the last data set built (network or large)
            try:
                queue = measure_queue(
                    burst=args.queue_burst,
                    steady_rate=args.queue_rate,
                    steady_seconds=args.queue_seconds,
                )
            except Exception as error:  # noqa: BLE001 - keep the pages' figures; say why
                queue_error = f"{type(error).__name__}: {error}"
                log(f"queue: FAILED: {queue_error}")

        goals_line, goals_result = goals(rows, pdf, content_rows, report, load, queue)
        goals_line += synthesis_goal(synthesis, goals_result)
        elapsed = time.perf_counter() - started

        print(table(rows))
        print()
        if pdf and "ratio" in pdf:
            print(
                f"PDF inception report ({pdf['size']}, team member, median of {pdf['runs']}): "
                f"view {pdf['view_median_s']:.2f} s, WeasyPrint alone "
                f"{pdf['weasyprint_median_s']:.2f} s, ratio {pdf['ratio']:.2f}, "
                f"{pdf['pages']} pages, peak RSS {pdf['peak_rss_before_mb']:.0f} -> "
                f"{pdf['peak_rss_after_mb']:.0f} MB (+{pdf['peak_rss_growth_mb']:.0f} MB)"
            )
        elif pdf:
            print(f"PDF inception report: the view answered {pdf['status']}")
        else:
            print("PDF inception report: not measured (--no-pdf)")
        print(
            "report context (build_content, queries): "
            + ", ".join(
                f"{c['size']} {c['queries']} ({c['evidence_entries']} evidence entries, "
                f"{c['evidence_codes_cited']} codes cited, {c['median_ms']:.0f} ms)"
                for c in content_rows
            )
        )
        if report and "ratio" in report:
            docx = report["docx"]
            print(
                f"PDF feedback report ({report['size']}, final version {report['version']}, "
                f"team member, median of {report['runs']}): view {report['view_median_s']:.2f} s, "
                f"WeasyPrint alone {report['weasyprint_median_s']:.2f} s, ratio "
                f"{report['ratio']:.2f}, {report['pages']} pages, peak RSS "
                f"{report['peak_rss_before_mb']:.0f} -> {report['peak_rss_after_mb']:.0f} MB "
                f"(+{report['peak_rss_growth_mb']:.0f} MB)"
                + ("" if report["same_html"] else "; WARNING: HTML differs from the view's")
            )
            print(
                f"DOCX feedback report ({report['size']}, median of {report['runs']}): view "
                f"{docx['view_median_s']:.2f} s, python-docx alone "
                f"{docx['python_docx_median_s']:.2f} s, ratio {docx['ratio']:.2f}, "
                f"{docx['bytes'] / 1024:.0f} KB"
            )
        elif report:
            print(f"PDF feedback report: the view answered {report['status']}")
        else:
            print("PDF/DOCX feedback report: not measured (--no-pdf)")
        print(synthesis_line(synthesis))
        print(load_note)
        if queue:
            print(
                f"queue ({world.size.name}, 1 db_worker, locmem mail): {queue['burst']} e-mails "
                f"in {queue['burst_seconds']:.1f} s, {queue['tasks_per_s']:.0f} tasks/s; at "
                f"{queue['steady_rate_per_s']:g} e-mails/s for {queue['steady_queued']} e-mails "
                f"the oldest task waited at most {queue['oldest_wait_max_s']:.2f} s (median "
                f"{queue['oldest_wait_median_s']:.2f} s), {queue['steady_sent']} sent"
            )
        elif queue_error:
            print(f"queue: FAILED ({queue_error}); see tests/perf/results/worker.log")
        else:
            print("queue: not measured (--no-queue)")
        load_end = os.getloadavg()[0]
        busy = max(load_start, load_end) > (os.cpu_count() or 1)
        print(
            f"machine: {os.cpu_count()} CPUs, load average {load_start:.1f} at start, "
            f"{load_end:.1f} at end"
            + (" (other processes competed for the CPUs: times are noisy)" if busy else "")
        )
        print(goals_line)

        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        out = RESULTS_DIR / "latest.json"
        out.write_text(
            json.dumps(
                {
                    "generated_at": datetime.datetime.now(datetime.UTC).isoformat(),
                    "elapsed_s": elapsed,
                    "machine": {
                        "python": platform.python_version(),
                        "django": django.get_version(),
                        "platform": platform.platform(),
                        "cpus": os.cpu_count(),
                        "load_average_start": load_start,
                        "load_average_end": load_end,
                    },
                    "settings": {
                        "module": os.environ["DJANGO_SETTINGS_MODULE"],
                        "database": str(database),
                        "debug": settings.DEBUG,
                    },
                    "method": {
                        "timed_requests": args.n,
                        "warmups": args.warmups,
                        "statistic": "median",
                        "baseline": BASELINE,
                        "pdf_runs": args.pdf_runs,
                    },
                    "datasets": datasets,
                    "pages": rows,
                    "pdf": pdf,
                    "report_content": content_rows,
                    "report_outputs": report,
                    "synthesis_pdf": synthesis,
                    "load_test": load or load_note,
                    "queue": queue or queue_error,
                    "goals": goals_result,
                    "goals_line": goals_line,
                },
                indent=2,
                default=str,
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"results: {out.relative_to(ROOT)} ({elapsed:.0f} s)")
    finally:
        if args.keep_db:
            log(f"kept {DB_PATH}")
        else:
            cleanup(settings_media)
    return 0


if __name__ == "__main__":
    sys.exit(main())
