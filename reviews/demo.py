"""The demo network: a handful of cities, people in every role, reviews at every stage, and
a programme of four of them (with a partner city that hosts none, a peer pool and a joint
training); Leipzig is reviewed twice, so its later review has a baseline.

Idempotent: running it again finds what exists and changes nothing, so
passwords that people changed stay changed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from benchmarks.models import BenchmarkVersion
from cities.models import City, User
from reviews.models import (
    BackgroundSection,
    DeskReview,
    DeskReviewEntry,
    Evidence,
    IndicatorEvaluation,
    Membership,
    ProposedInterviewee,
    Review,
    SelfAssessment,
    TrainingSession,
    VisitSession,
)
from reviews.steps import COORDINATOR, HOST, PEER, TEAM_LEADER

DEMO_PASSWORD = "critical-friend-demo"  # noqa: S105 - printed for local demo use only
DEMO_REVIEW_TITLE = "Peer review of Rotterdam 2026"
VISIT_REVIEW_TITLE = "Peer review of Antwerp 2026"
REPORTED_REVIEW_TITLE = "Peer review of Leipzig 2025"
EARLIER_REVIEW_TITLE = "Peer review of Leipzig 2023"
GHENT_REVIEW_TITLE = "Peer review of Ghent 2025"
MALMO_REVIEW_TITLE = "Peer review of Malmö 2025"
PROGRAMME_NAME = "INTI-CITIES 2025–2026"
# The programme's reviews and its partner cities: Helsinki and Lyon host none. Three are
# published (Leipzig, Ghent, Malmö), rated differently, so every cross-city view compares.
PROGRAMME_REVIEWS = [
    DEMO_REVIEW_TITLE,
    VISIT_REVIEW_TITLE,
    REPORTED_REVIEW_TITLE,
    GHENT_REVIEW_TITLE,
    MALMO_REVIEW_TITLE,
]
PROGRAMME_PARTNERS = ["Rotterdam", "Antwerp", "Leipzig", "Ghent", "Malmö", "Helsinki", "Lyon"]
PROGRAMME_POOL = [
    "leader@example.org",
    "peer1@example.org",
    "peer2@example.org",
    "peer3@example.org",
    "peer4@example.org",
]

# (English name, English country, Dutch name, Dutch country, population, languages)
CITIES = [
    ("Rotterdam", "Netherlands", "Rotterdam", "Nederland", 655_000, "Dutch, English"),
    ("Malmö", "Sweden", "Malmö", "Zweden", 360_000, "Swedish, English"),
    ("Helsinki", "Finland", "Helsinki", "Finland", 675_000, "Finnish, Swedish, English"),
    ("Lyon", "France", "Lyon", "Frankrijk", 520_000, "French"),
    ("Ghent", "Belgium", "Gent", "België", 265_000, "Dutch, French"),
    ("Brussels", "Belgium", "Brussel", "België", 1_200_000, "French, Dutch, English"),
    ("Antwerp", "Belgium", "Antwerpen", "België", 530_000, "Dutch"),
    ("Leipzig", "Germany", "Leipzig", "Duitsland", 620_000, "German, English"),
]


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    initials: str
    city: str
    role: str | None  # role in the demo review
    is_coordinator: bool = False
    is_host_lead: bool = False
    language: str = "en"
    label: str = ""  # how demo_logins describes the person, when not their role


PEOPLE = [
    DemoPerson(
        "coordinator@example.org",
        "Clara Dupont",
        "CD",
        "Brussels",
        COORDINATOR,
        is_coordinator=True,
    ),
    DemoPerson("leader@example.org", "Jan Berg", "JB", "Malmö", TEAM_LEADER),
    DemoPerson("peer1@example.org", "Fatima Chahid", "FC", "Ghent", PEER, language="nl"),
    DemoPerson("peer2@example.org", "Mikko Laine", "ML", "Helsinki", PEER),
    DemoPerson("peer3@example.org", "Sophie Martin", "SM", "Lyon", PEER),
    DemoPerson(
        "host@example.org",
        "Anouk de Vries",
        "AV",
        "Rotterdam",
        HOST,
        is_host_lead=True,
        language="nl",
    ),
    DemoPerson("host2@example.org", "Pieter Janssen", "PJ", "Rotterdam", HOST, language="nl"),
    DemoPerson("outsider@example.org", "Olga Nowak", "ON", "Helsinki", None),
    DemoPerson(
        "host3@example.org",
        "Lotte Peeters",
        "LP",
        "Antwerp",
        None,
        language="nl",
        label="host of the Antwerp review (step 5)",
    ),
    DemoPerson(
        "host4@example.org",
        "Katrin Vogel",
        "KV",
        "Leipzig",
        None,
        label="host of the Leipzig review (step 7, report published)",
    ),
    DemoPerson(
        "peer4@example.org",
        "Marta Rossi",
        "MR",
        "Antwerp",
        None,
        label="peer of the Ghent review (programme pool)",
    ),
    DemoPerson(
        "host5@example.org",
        "Elke Maes",
        "EM",
        "Ghent",
        None,
        language="nl",
        label="host of the Ghent review (step 7, report published)",
    ),
    DemoPerson(
        "host6@example.org",
        "Sara Lindqvist",
        "SL",
        "Malmö",
        None,
        label="host of the Malmö review (step 7, report published)",
    ),
]


@transaction.atomic
def load_demo(*, today: datetime.date) -> dict[str, int]:
    created = {"cities": 0, "users": 0, "reviews": 0, "memberships": 0}
    cities = {}
    for name, country, name_nl, country_nl, population, languages in CITIES:
        city, new = City.objects.get_or_create(
            name_en=name,
            country_en=country,
            defaults={
                "name_nl": name_nl,
                "country_nl": country_nl,
                "population": population,
                "languages": languages,
            },
        )
        if not new and not (city.name_nl and city.country_nl):  # loaded before Dutch names
            city.name_nl, city.country_nl = city.name_nl or name_nl, city.country_nl or country_nl
            city.save(update_fields=["name_nl", "country_nl"])
        cities[name] = city
        created["cities"] += new
    users = {}
    for person in PEOPLE:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            user = User.objects.create_user(
                person.email,
                DEMO_PASSWORD,
                name=person.name,
                initials=person.initials,
                city=cities[person.city],
                is_coordinator=person.is_coordinator,
                preferred_language=person.language,
            )
            created["users"] += 1
        users[person.email] = user
    inti = (
        BenchmarkVersion.objects.published()
        .filter(benchmark__slug="inti-cities")
        .order_by("-number")
        .first()
    )
    review = Review.objects.filter(title=DEMO_REVIEW_TITLE).first()
    if review is None:
        review = Review.objects.create(
            title=DEMO_REVIEW_TITLE,
            benchmark_version=inti,
            host_city=cities["Rotterdam"],
            current_step=3,
            training_date=today - datetime.timedelta(days=30),
            inception_due=today + datetime.timedelta(days=14),
            visit_start=today + datetime.timedelta(days=45),
            visit_end=today + datetime.timedelta(days=48),
            report_due=today + datetime.timedelta(days=90),
        )
        created["reviews"] += 1
    for person in PEOPLE:
        if person.role is None:
            continue
        _, new = Membership.objects.get_or_create(
            review=review,
            user=users[person.email],
            defaults={"role": person.role, "is_host_lead": person.is_host_lead},
        )
        created["memberships"] += new
    if not review.training_sessions.exists():
        _demo_training(
            review, day=today - datetime.timedelta(days=30), absent={"host2@example.org"}
        )
    report = review.inception_report
    if review.benchmark_version_id and not report.backgroundsections.exists():
        _demo_inception(review, host=users["host@example.org"])
        created["inception sections"] = report.backgroundsections.count()
    # The later reviews need INTI-CITIES (load_benchmarks), whatever the first one has.
    if not Review.objects.filter(title=VISIT_REVIEW_TITLE).exists() and inti:
        _demo_visit_review(cities=cities, users=users, version=inti, today=today)
        created["reviews"] += 1
    if inti is None:
        return created
    programme, created["programmes"] = _demo_programme(
        cities=cities, users=users, version=inti, today=today
    )
    for spec in (LEIPZIG_2025, LEIPZIG_2023, GHENT_2025, MALMO_2025):
        if not Review.objects.filter(title=spec.title).exists():
            in_programme = programme if spec.title in PROGRAMME_REVIEWS else None
            _demo_published_review(
                spec, cities=cities, users=users, version=inti, today=today, programme=in_programme
            )
            created["reviews"] += 1
    # Leipzig was reviewed twice: its 2025 review starts from the 2023 one.
    leipzig = Review.objects.filter(title=REPORTED_REVIEW_TITLE).first()
    if leipzig is not None and leipzig.baseline_id is None:
        leipzig.link_baseline()
    return created


def _demo_programme(*, cities, users, version, today: datetime.date):
    """The programme of the reviews of Rotterdam, Antwerp, Leipzig and Ghent, its partner
    cities (three host none), its pool and one joint training. Returns (programme, 1 if it
    was created now); an existing one is left as it is, but takes in demo reviews outside
    any programme."""
    from reviews.models import Programme

    programme = Programme.objects.filter(name=PROGRAMME_NAME).first()
    new = programme is None
    if new:
        programme = Programme.objects.create(
            name=PROGRAMME_NAME,
            description=(
                "Peers of seven cities review four of them against the INTI-CITIES "
                "benchmark: all teams trained together once, a month before the first visit."
            ),
            network="EUROCITIES",
            benchmark_version=version,
            starts_on=today - datetime.timedelta(days=420),
            ends_on=today + datetime.timedelta(days=180),
        )
        programme.partners.set([cities[name] for name in PROGRAMME_PARTNERS])
        pool = [users[email] for email in PROGRAMME_POOL]
        programme.pool.set(pool)
        joint = TrainingSession.objects.create(
            programme=programme,
            date=today - datetime.timedelta(days=405),
            place="Brussels",
            topics="The benchmark and its indicators; interviewing in pairs; coding evidence",
        )
        joint.attendees.set(pool)
    waiting = Review.objects.filter(
        title__in=PROGRAMME_REVIEWS, benchmark_version=version, programme__isnull=True
    )
    for review in waiting:
        review.programme = programme
        review.save(update_fields=["programme"])
    return programme, int(new)


def _demo_visit_review(*, cities, users, version, today: datetime.date) -> None:
    """A second review, at step 5: three desk reviews in, the visit partly planned."""
    review = Review.objects.create(
        title=VISIT_REVIEW_TITLE,
        benchmark_version=version,
        host_city=cities["Antwerp"],
        current_step=5,
        training_date=today - datetime.timedelta(days=60),
        inception_due=today - datetime.timedelta(days=30),
        visit_start=today - datetime.timedelta(days=1),
        visit_end=today + datetime.timedelta(days=2),
        report_due=today + datetime.timedelta(days=60),
    )
    review.scope.set(version.indicators.filter(group__code="GG"))
    team = {
        "leader@example.org": TEAM_LEADER,
        "peer1@example.org": PEER,
        "peer2@example.org": PEER,
        "peer3@example.org": PEER,
        "coordinator@example.org": COORDINATOR,
    }
    for email, role in team.items():
        Membership.objects.create(review=review, user=users[email], role=role)
    host = users["host3@example.org"]
    Membership.objects.create(review=review, user=host, role=HOST, is_host_lead=True)
    _demo_training(review, day=review.training_date)
    indicators = list(review.indicators_in_scope())
    levels = {lv.code: lv for lv in version.ratingscales.get(purpose="performance").levels.all()}
    report = review.inception_report
    BackgroundSection.objects.create(
        report=report,
        key="features",
        text="Antwerp is a port city of 530,000 people from 179 nationalities.",
    )
    for n, indicator in enumerate(indicators[:12]):
        SelfAssessment.objects.create(
            report=report,
            indicator=indicator,
            rating=levels[("above", "well_above", "below")[n % 3]],
            achieved=f"Achievement recorded by the city for {indicator.code}.",
            evidence="Council documents 2024.",
        )
    people = [
        ProposedInterviewee.objects.create(review=review, name=name, organisation=org, kind=kind)
        for name, org, kind in [
            ("Jonas Claes", "Alderman for integration", "politician"),
            ("Sara El Amrani", "Head of the integration service", "staff"),
            ("Ward Janssens", "Public employment service", "partner"),
            ("Fatou Diallo", "Federation of migrant organisations", "immigrant_org"),
            ("Tom Wouters", "Newcomers' reception desk, team lead", "staff"),
        ]
    ]
    report.submit(by=host, reason="The budgets follow after the council's vote in spring.")
    ratings = {
        "peer1@example.org": ("above", "below", "well_above"),
        "peer2@example.org": ("above", "above", "below"),
        "peer3@example.org": ("well_above", "more_info", "above"),
        "leader@example.org": ("above", "below", "above"),
    }
    for email, pattern in ratings.items():
        desk = DeskReview.objects.create(review=review, peer=users[email])
        written = indicators if email != "leader@example.org" else indicators[:8]
        for n, indicator in enumerate(written):
            entry = DeskReviewEntry.objects.create(
                desk_review=desk,
                indicator=indicator,
                performance=levels[pattern[n % 3]],
                hypothesis=f"{indicator.code}: the policy exists on paper; practice to be tested.",
                questions="Who is responsible, and how is progress followed up?",
            )
            entry.meet.add(people[n % len(people)])
        if email != "leader@example.org":
            desk.submit()
    day = review.visit_start
    plan = [
        (9, 12, VisitSession.PREPARATION, [], [], "Team preparation"),
        (13, 14, VisitSession.PRESENTATION, [], [], "The city presents itself"),
    ]
    for start, end, kind, _p, _i, title in plan:
        VisitSession.objects.create(
            review=review,
            kind=kind,
            title=title,
            location="City hall",
            starts_at=_at(day, start),
            ends_at=_at(day, end),
        )
    pairs = [
        ("leader@example.org", "peer1@example.org"),
        ("peer2@example.org", "peer3@example.org"),
    ]
    next_day = day + datetime.timedelta(days=1)
    interviews = []
    for n, person in enumerate(people[:4]):
        session = VisitSession.objects.create(
            review=review,
            kind=VisitSession.INTERVIEW,
            location="City hall, room 2",
            starts_at=_at(next_day, 9 + n),
            ends_at=_at(next_day, 10 + n),
        )
        session.peers.set([users[e] for e in pairs[n % 2]])
        session.interviewees.set([person])
        session.indicators.set(indicators[n * 6 : n * 6 + 6])
        interviews.append(session)
    # The visit ends with the team's first impressions for the city, on its last day: the
    # visit stays under way whatever the hour `make run` is started.
    VisitSession.objects.create(
        review=review,
        kind=VisitSession.FEEDBACK,
        title="First impressions for the city",
        location="City hall",
        starts_at=_at(review.visit_end, 14),
        ends_at=_at(review.visit_end, 15),
    )
    _demo_evidence(review, interviews, indicators)


def _demo_evaluations(review: Review, indicators: list, levels: dict, pattern=None) -> None:
    """The team's rating of every indicator in scope, after the visit (step 6 done)."""
    pattern = pattern or ("above", "below", "well_above")
    for n, indicator in enumerate(indicators):
        IndicatorEvaluation.objects.create(
            review=review,
            indicator=indicator,
            rating=levels[pattern[n % len(pattern)]],
            justification=f"Rated from the interviews coded to {indicator.code}.",
        )


@dataclass(frozen=True)
class PublishedReview:
    """A finished demo review: who was on it, when its report was published, what it says
    and how the host city answered it."""

    title: str
    city: str
    host: str  # e-mail of the host lead
    team: tuple[str, ...]  # e-mails, the team leader first
    published_days_ago: int
    background: str
    people: tuple[tuple[str, str, str, str], ...]  # name, organisation, kind, attribution
    summary: str
    evaluation: str
    ratings: tuple[str, ...]  # performance levels, repeated over the indicators in scope
    recommendations: tuple[tuple[str, str, str, str, str, tuple[int, ...]], ...]
    # text, priority, timeframe, actor, measure, the indicators (positions in scope) it is on
    answers: tuple[tuple[str, str, str, int, str], ...]
    # decision, rationale, owner, deadline (days after publication), first actions
    progress: tuple[tuple[int, int, str, str], ...]  # answer, checkpoint, status, note
    quiet_days: int | None = None  # nobody did anything in it since (its history says so)


def _leipzig_review(*, third_person: tuple[str, str, str, str], **fields) -> PublishedReview:
    """A review of Leipzig (reviewed twice): the same host lead, team and three of the four
    people interviewed each time; `third_person` is the one who differs."""
    return PublishedReview(
        city="Leipzig",
        host="host4@example.org",
        team=("leader@example.org", "peer1@example.org", "peer2@example.org", "peer3@example.org"),
        people=(
            ("Martin Koch", "Mayor's office, integration adviser", "staff", "named"),
            ("Aylin Yilmaz", "Migrant council, chair", "immigrant_org", "named"),
            third_person,
            ("Name withheld", "Refugee support network", "immigrant_org", "off_record"),
        ),
        **fields,
    )


LEIPZIG_2025 = _leipzig_review(
    title=REPORTED_REVIEW_TITLE,
    published_days_ago=213,
    background="Leipzig grew by 100,000 people in ten years.",
    third_person=("Jens Richter", "Job centre, team lead", "partner", "anonymised"),
    summary=(
        "Leipzig has a clear integration strategy with political backing. Its weak point is "
        "follow-up: targets are rarely measured, and partners are consulted late."
    ),
    evaluation="The city **meets** the benchmark on leadership and falls short on monitoring.",
    ratings=("above", "below", "well_above"),
    recommendations=(
        (
            "Give every target of the integration plan an owner and a yearly measurement.",
            "high",
            "12m",
            "Office for Migration and Integration",
            "Yearly monitoring report to the council",
            (0, 1),
        ),
        (
            "Involve the statistics office in the monitoring of the plan.",
            "medium",
            "6m",
            "Statistics office",
            "Data agreement signed",
            (0, 1),
        ),
        (
            "Consult partner organisations before drafting the yearly plan, not after.",
            "medium",
            "12m",
            "Mayor's office",
            "Consultation round in the calendar",
            (0, 1),
        ),
    ),
    answers=(
        (
            "accept",
            "",
            "Office for Migration and Integration, head of unit",
            300,
            "Owners named for the first ten targets.",
        ),
        ("accept", "", "Statistics office, deputy director", 150, "First meeting held."),
        (
            "partly",
            "Consultation yes, but the council keeps its own calendar.",
            "Mayor's office",
            365,
            "Partners get the draft plan a month before the council.",
        ),
    ),
    progress=(
        (0, 1, "on_track", "Owners named for all targets; the first measurement is planned."),
    ),
)

# Leipzig's first review, two years before: the baseline of its 2025 review.
LEIPZIG_2023 = _leipzig_review(
    title=EARLIER_REVIEW_TITLE,
    published_days_ago=760,
    background="Leipzig has grown by 60,000 people in six years; a first integration plan is due.",
    third_person=("Petra Lang", "Adult education centre, director", "partner", "named"),
    summary=(
        "Leipzig is writing its first integration plan. Leadership is committed, but the "
        "plan has no targets yet and the migrant council is not consulted."
    ),
    evaluation="The city falls **below** the benchmark on ambition and meets it on leadership.",
    ratings=("below", "below", "above"),
    recommendations=(
        (
            "Set measurable targets in the integration plan before the council adopts it.",
            "high",
            "6m",
            "Office for Migration and Integration",
            "Targets in the adopted plan",
            (0,),
        ),
        (
            "Give the migrant council a formal say on the yearly plan.",
            "medium",
            "12m",
            "Mayor's office",
            "The council's opinion attached to each plan",
            (1, 2),
        ),
        (
            "Publish a yearly report on the plan's progress.",
            "medium",
            "12m",
            "Office for Migration and Integration",
            "A report each spring",
            (0, 3),
        ),
    ),
    answers=(
        (
            "accept",
            "",
            "Office for Migration and Integration",
            180,
            "Targets drafted with partners.",
        ),
        ("accept", "", "Mayor's office", 365, "Statute of the migrant council to be amended."),
        ("decline", "The council reports through the city's yearly budget instead.", "", 0, ""),
    ),
    progress=(
        (0, 1, "done", "The plan adopted in 2024 has twelve measurable targets."),
        (0, 2, "done", "All targets have owners."),
        (1, 1, "delayed", "The statute change waits for the new council."),
    ),
    quiet_days=400,
)

# A fourth host city of the programme, finished: its last update came six weeks ago.
GHENT_2025 = PublishedReview(
    title=GHENT_REVIEW_TITLE,
    city="Ghent",
    host="host5@example.org",
    team=("peer2@example.org", "leader@example.org", "peer3@example.org", "peer4@example.org"),
    published_days_ago=290,
    background="Ghent counts 265,000 inhabitants from 160 nationalities.",
    people=(
        ("Elke Maes", "Alderwoman for diversity", "politician", "named"),
        ("Youssef Amrani", "Integration service, coordinator", "staff", "named"),
        ("Bram De Smet", "Public employment service, team lead", "partner", "anonymised"),
        ("Name withheld", "Newcomers' association", "immigrant_org", "off_record"),
    ),
    summary=(
        "Ghent's integration policy is ambitious and well resourced. Departments work in "
        "parallel rather than together, and results are not yet evaluated."
    ),
    evaluation="The city is **well above** the benchmark on ambition; cooperation lags behind.",
    ratings=("well_above", "above", "below"),
    recommendations=(
        (
            "Create one steering group of the departments that serve newcomers.",
            "high",
            "6m",
            "City manager",
            "Steering group meeting every quarter",
            (2, 3),
        ),
        (
            "Evaluate the language programme with its participants.",
            "medium",
            "12m",
            "Integration service",
            "Evaluation report to the council",
            (0,),
        ),
    ),
    answers=(
        ("accept", "", "City manager", 120, "Members of the steering group named."),
        ("accept", "", "Integration service", 330, "Questionnaire drafted."),
    ),
    progress=((0, 1, "on_track", "The steering group met twice."),),
    quiet_days=40,
)


# The third published review of the programme. Its team comes from four other cities (the
# team leader Jan Berg works for Malmö, so Mikko Laine of Helsinki leads it).
MALMO_2025 = PublishedReview(
    title=MALMO_REVIEW_TITLE,
    city="Malmö",
    host="host6@example.org",
    team=("peer2@example.org", "peer1@example.org", "peer3@example.org", "peer4@example.org"),
    published_days_ago=120,
    background="Malmö counts 360,000 inhabitants; one in three was born abroad.",
    people=(
        ("Anders Holm", "City office, integration strategist", "staff", "named"),
        ("Leila Haddad", "Newcomers' network, chair", "immigrant_org", "named"),
        ("Erik Sandberg", "Employment service, team lead", "partner", "anonymised"),
        ("Name withheld", "Housing association", "partner", "off_record"),
    ),
    summary=(
        "Malmö measures its integration targets every year and publishes the results. "
        "Its weak point is leadership: the strategy has no political owner since 2024."
    ),
    evaluation=(
        "The city is **below** the benchmark on leadership and **well above** it on monitoring."
    ),
    ratings=("below", "well_above", "above", "below"),
    recommendations=(
        (
            "Name one member of the executive committee as the owner of the strategy.",
            "high",
            "6m",
            "Executive committee",
            "Owner named in the council's minutes",
            (0, 1),
        ),
        (
            "Discuss the yearly monitoring report in the council, not only in the office.",
            "medium",
            "12m",
            "City office",
            "Report on the council's agenda each spring",
            (2,),
        ),
    ),
    answers=(
        ("accept", "", "Executive committee", 90, "The chair takes the strategy on."),
        (
            "partly",
            "The council discusses it every second year, with the budget.",
            "City office",
            365,
            "First debate planned.",
        ),
    ),
    progress=((0, 1, "on_track", "The chair of the executive committee owns the strategy."),),
)


def _demo_published_review(
    spec: PublishedReview, *, cities, users, version, today: datetime.date, programme=None
) -> Review:
    """A finished review: the report approved by all, checked by the host city, published
    `published_days_ago`, answered recommendation by recommendation, with progress updates."""
    from reviews.activity import backdate
    from reviews.models import (
        FactualComment,
        Finding,
        HostResponse,
        KeyConclusion,
        ProgressUpdate,
        Recommendation,
        ReportApproval,
        ReportVersion,
    )
    from reviews.models.feedback_report import citation_problems
    from reviews.services.feedback_report import ensure_report
    from reviews.services.report_content import build_content

    published = today - datetime.timedelta(days=spec.published_days_ago)
    visit = published - datetime.timedelta(days=75)
    review = Review.objects.create(
        title=spec.title,
        benchmark_version=version,
        programme=programme,
        host_city=cities[spec.city],
        current_step=7,
        training_date=visit - datetime.timedelta(days=60),
        inception_due=visit - datetime.timedelta(days=30),
        visit_start=visit,
        visit_end=visit + datetime.timedelta(days=3),
        report_due=published - datetime.timedelta(days=7),
    )
    review.scope.set(version.indicators.filter(group__code="GG", value__code__in=["A", "L"]))
    # Four peers from four cities, one of whom leads (METHOD.md).
    team = [users[e] for e in spec.team]
    leader, peer1, peer2, peer3 = team
    for user, role in zip(team, (TEAM_LEADER, PEER, PEER, PEER), strict=True):
        Membership.objects.create(review=review, user=user, role=role)
    Membership.objects.create(
        review=review, user=users["coordinator@example.org"], role=COORDINATOR
    )
    host = users[spec.host]
    Membership.objects.create(review=review, user=host, role=HOST, is_host_lead=True)
    indicators = list(review.indicators_in_scope())
    report = review.inception_report
    BackgroundSection.objects.create(report=report, key="features", text=spec.background)
    people = [
        ProposedInterviewee.objects.create(
            review=review, name=name, organisation=org, kind=kind, attribution=attribution
        )
        for name, org, kind, attribution in spec.people
    ]
    report.submit(by=host, reason="Some indicators are outside the city's powers.")
    _demo_training(review, day=review.training_date)
    levels = {lv.code: lv for lv in version.ratingscales.get(purpose="performance").levels.all()}
    for peer in team:
        desk = DeskReview.objects.create(review=review, peer=peer)
        for n, indicator in enumerate(indicators):
            DeskReviewEntry.objects.create(
                desk_review=desk,
                indicator=indicator,
                performance=levels[("above", "below", "more_info")[n % 3]],
                hypothesis=f"{indicator.code}: the plan is ambitious; its follow-up is unclear.",
                questions="Who follows the targets up, and how often?",
            )
        desk.submit()
    interviews = []
    for n, person in enumerate(people):
        session = VisitSession.objects.create(
            review=review,
            kind=VisitSession.INTERVIEW,
            location="City hall",
            starts_at=_at(visit + datetime.timedelta(days=1), 9 + n),
            ends_at=_at(visit + datetime.timedelta(days=1), 10 + n),
        )
        session.peers.set([leader, peer1] if n % 2 == 0 else [peer2, leader])
        session.interviewees.set([person])
        session.indicators.set(indicators)
        interviews.append(session)
    # The visit ends with the team's first impressions for the city, on its last day: the
    # visit stays under way whatever the hour `make run` is started.
    VisitSession.objects.create(
        review=review,
        kind=VisitSession.FEEDBACK,
        title="First impressions for the city",
        location="City hall",
        starts_at=_at(review.visit_end, 14),
        ends_at=_at(review.visit_end, 15),
    )
    _demo_evidence(review, interviews, indicators)
    _demo_evaluations(review, indicators, levels, spec.ratings)
    conclusion = KeyConclusion.objects.create(review=review, text=spec.summary.split(". ")[0] + ".")
    for person in team:
        conclusion.votes.create(peer=person, agrees=True)

    feedback = ensure_report(review)
    feedback.summary = spec.summary
    feedback.summary_assignee = leader
    feedback.save()
    section = feedback.sections.get()
    section.assignee = peer1
    section.evaluation = spec.evaluation
    section.save()
    live = list(review.evidence.live().for_list())
    problems = citation_problems(review, live)
    citable = [e for e in live if e.pk not in problems]
    meets = [e for e in citable if e.colour.code == "meets"]
    short = [e for e in citable if e.colour.code != "meets"]
    for kind, text, obstacles, cited in [
        (Finding.STRENGTH, "The council adopted the strategy unanimously.", "", meets[:2]),
        (
            Finding.WEAKNESS,
            "Targets of the action plan are not measured.",
            "No data owner; the statistics office is not involved.",
            short[:2],
        ),
        (Finding.GOOD_PRACTICE, "The migrant council co-signs every yearly plan.", "", meets[2:4]),
    ]:
        finding = Finding.objects.create(section=section, kind=kind, text=text, obstacles=obstacles)
        finding.evidence.set(cited)
    recommendations = []
    for text, priority, timeframe, actor, measure, on in spec.recommendations:
        rec = Recommendation.objects.create(
            section=section,
            text=text,
            priority=priority,
            timeframe=timeframe,
            actor=actor,
            measure=measure,
        )
        rec.indicators.set([indicators[n] for n in on])
        recommendations.append(rec)
    version = feedback.freeze(by=leader, content=build_content(review, feedback))
    for person in team:
        ReportApproval.objects.create(version=version, peer=person, approves=True)
    # The report's own dates, in the weeks before publication.
    now = timezone.now() - datetime.timedelta(days=spec.published_days_ago)

    def before(days: int) -> datetime.datetime:
        return now - datetime.timedelta(days=days)

    FactualComment.objects.create(
        report=feedback,
        version=version,
        section_key="summary",
        author=host,
        text="The strategy was adopted in 2023, not 2022.",
        answer="Checked: the summary gives no year; nothing to change.",
        answered_by=leader,
        answered_at=before(10),
    )
    feedback.factual_round_version = version
    feedback.factual_round_opened_at = before(20)
    feedback.factual_round_closed_at = before(8)
    feedback.save(
        update_fields=[
            "factual_round_version",
            "factual_round_opened_at",
            "factual_round_closed_at",
        ]
    )
    feedback.make_final(by=leader)
    ReportVersion.objects.filter(pk=version.pk).update(frozen_at=before(24), final_at=before(3))
    FactualComment.objects.filter(report=feedback).update(created_at=before(15))
    feedback.published_at = now
    feedback.published_by = users["coordinator@example.org"]
    feedback.presented_on = published + datetime.timedelta(days=14)
    feedback.presentation_audience = "City staff, partner organisations and local press"
    feedback.first_checkpoint = published + datetime.timedelta(days=182)
    feedback.second_checkpoint = published + datetime.timedelta(days=365)
    feedback.save()
    responses = []
    for rec, (decision, rationale, owner, deadline, actions) in zip(
        recommendations, spec.answers, strict=True
    ):
        responses.append(
            HostResponse.objects.create(
                recommendation=rec,
                decision=decision,
                rationale=rationale,
                owner=owner,
                deadline=published + datetime.timedelta(days=deadline) if owner else None,
                first_actions=actions,
                responded_by=host,
            )
        )
    for answer, checkpoint, status, note in spec.progress:
        ProgressUpdate.objects.create(
            response=responses[answer],
            checkpoint=checkpoint,
            status=status,
            note=note,
            reported_by=host,
        )
    if spec.quiet_days is not None:
        # Opened before its visit; nothing happened in it for `quiet_days`.
        Review.objects.filter(pk=review.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=spec.published_days_ago + 150)
        )
        backdate(review.pk, timezone.now() - datetime.timedelta(days=spec.quiet_days))
    return review


def _demo_evidence(review: Review, interviews: list, indicators: list) -> None:
    """Evidence for the whole pillar in scope: confirmed, contradictory and open cases."""
    colours = {
        lv.code: lv
        for lv in review.benchmark_version.ratingscales.get(purpose="evidence").levels.all()
    }
    patterns = {
        0: [("meets", 0), ("meets", 1)],  # confirmed: two interviews agree
        1: [("does_not_meet", 1), ("does_not_meet", 2)],  # confirmed the other way
        2: [
            ("meets", 0),
            ("meets", 1),
            ("does_not_meet", 2),
            ("does_not_meet", 3),
        ],  # contradictory
        3: [("meets", 2), ("meets", 2)],  # one interview twice: not confirmed
    }
    for n, indicator in enumerate(indicators):
        for colour_code, which in patterns[n % 4]:
            session = interviews[(which + n) % len(interviews)]
            peers = list(session.peers.all())
            evidence = Evidence.objects.create(
                review=review,
                session=session,
                colour=colours[colour_code],
                text=f"{indicator.code}: finding from {session.label}.",
                author=peers[0],
                is_good_practice=(n % 7 == 0 and colour_code == "meets"),
            )
            evidence.indicators.set([indicator])
            evidence.interviewers.set(peers)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _demo_training(review: Review, *, day: datetime.date, absent: set[str] = frozenset()) -> None:
    session = TrainingSession.objects.create(
        review=review,
        date=day,
        place="Brussels",
        topics="The benchmark; writing the inception report; interview practice",
    )
    session.attendees.set(
        [m.user for m in review.memberships.select_related("user") if m.user.email not in absent]
    )


SECTIONS_TEXT = {
    "features": (
        "Rotterdam has about **655,000 inhabitants** from some 170 nationalities. "
        "About half of the population has a migration background.\n\n"
        "- A port city with a large logistics sector\n- A young population\n- High unemployment in the south"
    ),
    "structure": (
        "The municipality delivers integration services through its Social Development department. "
        "The diagram of the political, administrative and operational structure follows."
    ),
    "strategy": (
        "The integration strategy *Rotterdam Together* runs from 2023 to 2027. "
        "The city defines an *immigrant* as a resident born abroad or with at least one parent born abroad."
    ),
}


def _demo_inception(review: Review, *, host) -> None:
    report = review.inception_report
    for key, text in SECTIONS_TEXT.items():
        BackgroundSection.objects.create(report=report, key=key, text=text)
    report.written_by = (
        "The integration team of Social Development, with input from three departments."
    )
    report.partners = "Migrant council; Refugee Work; the regional employment office."
    report.political_involvement = "consulted"
    report.save()
    scale = review.benchmark_version.ratingscales.get(purpose="performance")
    levels = {level.code: level for level in scale.levels.all()}
    answers = [
        (
            "GG/A/1",
            "above",
            "A strategic plan was adopted by the council in 2023.",
            "A needs assessment covering all districts.",
            "Council decision 2023/114; needs assessment 2022.",
        ),
        ("GG/A/2", "below", "", "Targets per district are being drafted.", ""),
        (
            "GG/L/1",
            "well_above",
            "The alderman for integration chairs a yearly integration summit.",
            "",
            "Summit reports 2023 and 2024.",
        ),
    ]
    for code, level, achieved, aspiration, evidence in answers:
        indicator = review.benchmark_version.indicators.filter(code=code).first()
        if indicator is None:
            continue
        SelfAssessment.objects.create(
            report=report,
            indicator=indicator,
            rating=levels.get(level),
            achieved=achieved,
            aspiration=aspiration,
            evidence=evidence,
            political_responsible="Alderman for integration",
            operational_responsible="Head of Social Development",
        )
    people = [
        ("Karim Bouzid", "Alderman for integration", "politician", ["GG/A/1", "GG/L/1"]),
        ("Marloes de Wit", "Head of Social Development", "staff", ["GG/A/1", "GG/A/2"]),
        ("Ayse Demir", "Migrant council, chair", "immigrant_org", ["GG/L/1"]),
    ]
    for name, organisation, kind, codes in people:
        person = ProposedInterviewee.objects.create(
            review=review, name=name, organisation=organisation, kind=kind
        )
        person.indicators.set(review.benchmark_version.indicators.filter(code__in=codes))
