"""The demo network: a handful of cities, people in every role, one review.

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
    if not Review.objects.filter(title=REPORTED_REVIEW_TITLE).exists() and inti:
        _demo_reported_review(cities=cities, users=users, version=inti, today=today)
        created["reviews"] += 1
    return created


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
    _demo_evidence(review, interviews, indicators)


def _demo_evaluations(review: Review, indicators: list, levels: dict) -> None:
    """The team's rating of every indicator in scope, after the visit (step 6 done)."""
    for n, indicator in enumerate(indicators):
        IndicatorEvaluation.objects.create(
            review=review,
            indicator=indicator,
            rating=levels[("above", "below", "well_above")[n % 3]],
            justification=f"Rated from the interviews coded to {indicator.code}.",
        )


def _demo_reported_review(*, cities, users, version, today: datetime.date) -> None:
    """A third review, finished: the report approved by all, checked by the host city,
    published seven months ago, answered recommendation by recommendation, and one progress
    update in (the other one is late)."""
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

    published = today - datetime.timedelta(days=213)
    visit = published - datetime.timedelta(days=75)
    review = Review.objects.create(
        title=REPORTED_REVIEW_TITLE,
        benchmark_version=version,
        host_city=cities["Leipzig"],
        current_step=7,
        training_date=visit - datetime.timedelta(days=60),
        inception_due=visit - datetime.timedelta(days=30),
        visit_start=visit,
        visit_end=visit + datetime.timedelta(days=3),
        report_due=published - datetime.timedelta(days=7),
    )
    review.scope.set(version.indicators.filter(group__code="GG", value__code__in=["A", "L"]))
    # Four peers from four cities, one of whom leads (METHOD.md).
    leader, peer1, peer2, peer3 = (
        users[e]
        for e in (
            "leader@example.org",
            "peer1@example.org",
            "peer2@example.org",
            "peer3@example.org",
        )
    )
    for user, role in ((leader, TEAM_LEADER), (peer1, PEER), (peer2, PEER), (peer3, PEER)):
        Membership.objects.create(review=review, user=user, role=role)
    Membership.objects.create(
        review=review, user=users["coordinator@example.org"], role=COORDINATOR
    )
    host = users["host4@example.org"]
    Membership.objects.create(review=review, user=host, role=HOST, is_host_lead=True)
    indicators = list(review.indicators_in_scope())
    report = review.inception_report
    BackgroundSection.objects.create(
        report=report, key="features", text="Leipzig grew by 100,000 people in ten years."
    )
    people = [
        ProposedInterviewee.objects.create(
            review=review, name=name, organisation=org, kind=kind, attribution=attribution
        )
        for name, org, kind, attribution in [
            ("Martin Koch", "Mayor's office, integration adviser", "staff", "named"),
            ("Aylin Yilmaz", "Migrant council, chair", "immigrant_org", "named"),
            ("Jens Richter", "Job centre, team lead", "partner", "anonymised"),
            ("Name withheld", "Refugee support network", "immigrant_org", "off_record"),
        ]
    ]
    report.submit(by=host, reason="Some indicators are outside the city's powers.")
    _demo_training(review, day=review.training_date)
    levels = {lv.code: lv for lv in version.ratingscales.get(purpose="performance").levels.all()}
    for peer in (leader, peer1, peer2, peer3):
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
            location="Neues Rathaus",
            starts_at=_at(visit + datetime.timedelta(days=1), 9 + n),
            ends_at=_at(visit + datetime.timedelta(days=1), 10 + n),
        )
        session.peers.set([leader, peer1] if n % 2 == 0 else [peer2, leader])
        session.interviewees.set([person])
        session.indicators.set(indicators)
        interviews.append(session)
    _demo_evidence(review, interviews, indicators)
    _demo_evaluations(review, indicators, levels)
    conclusion = KeyConclusion.objects.create(
        review=review, text="Strong political commitment; follow-up of plans is weak."
    )
    for person in (leader, peer1, peer2, peer3):
        conclusion.votes.create(peer=person, agrees=True)

    feedback = ensure_report(review)
    feedback.summary = (
        "Leipzig has a clear integration strategy with political backing. Its weak point is "
        "follow-up: targets are rarely measured, and partners are consulted late."
    )
    feedback.summary_assignee = leader
    feedback.save()
    section = feedback.sections.get()
    section.assignee = peer1
    section.evaluation = (
        "The city **meets** the benchmark on leadership and falls short on monitoring."
    )
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
    for text, priority, timeframe, actor, measure in [
        (
            "Give every target of the integration plan an owner and a yearly measurement.",
            Recommendation.HIGH,
            "12m",
            "Office for Migration and Integration",
            "Yearly monitoring report to the council",
        ),
        (
            "Involve the statistics office in the monitoring of the plan.",
            Recommendation.MEDIUM,
            "6m",
            "Statistics office",
            "Data agreement signed",
        ),
        (
            "Consult partner organisations before drafting the yearly plan, not after.",
            Recommendation.MEDIUM,
            "12m",
            "Mayor's office",
            "Consultation round in the calendar",
        ),
    ]:
        rec = Recommendation.objects.create(
            section=section,
            text=text,
            priority=priority,
            timeframe=timeframe,
            actor=actor,
            measure=measure,
        )
        rec.indicators.set(indicators[:2])
        recommendations.append(rec)
    version = feedback.freeze(by=leader, content=build_content(review, feedback))
    for person in (leader, peer1, peer2, peer3):
        ReportApproval.objects.create(version=version, peer=person, approves=True)
    FactualComment.objects.create(
        report=feedback,
        version=version,
        section_key="summary",
        author=host,
        text="The strategy was adopted in 2023, not 2022.",
        answer="Checked: the summary gives no year; nothing to change.",
        answered_by=leader,
        answered_at=timezone.now() - datetime.timedelta(days=223),
    )
    # The report's own dates, in the weeks before publication.
    now = timezone.now() - datetime.timedelta(days=213)

    def before(days: int) -> datetime.datetime:
        return now - datetime.timedelta(days=days)

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
    answers = [
        (
            HostResponse.ACCEPT,
            "",
            "Office for Migration and Integration, head of unit",
            published + datetime.timedelta(days=300),
            "Owners named for the first ten targets.",
        ),
        (
            HostResponse.ACCEPT,
            "",
            "Statistics office, deputy director",
            published + datetime.timedelta(days=150),
            "First meeting held.",
        ),
        (
            HostResponse.PARTLY,
            "Consultation yes, but the council keeps its own calendar.",
            "Mayor's office",
            published + datetime.timedelta(days=365),
            "Partners get the draft plan a month before the council.",
        ),
    ]
    responses = []
    for rec, (decision, rationale, owner, deadline, actions) in zip(
        recommendations, answers, strict=True
    ):
        responses.append(
            HostResponse.objects.create(
                recommendation=rec,
                decision=decision,
                rationale=rationale,
                owner=owner,
                deadline=deadline,
                first_actions=actions,
                responded_by=host,
            )
        )
    ProgressUpdate.objects.create(
        response=responses[0],
        checkpoint=1,
        status=ProgressUpdate.ON_TRACK,
        note="Owners named for all targets; the first measurement is planned.",
        reported_by=host,
    )


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
