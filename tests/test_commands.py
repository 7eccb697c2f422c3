"""The set-up commands `make run` calls: they load what exists and a second run changes nothing."""

import io

from django.core.management import call_command

from benchmarks.models import Benchmark, Indicator
from cities.models import User
from reviews.models import Membership, Review, SelfAssessment


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_benchmarks_and_demo_load_once_and_a_second_run_changes_nothing(db):
    _run("load_benchmarks")
    first = _run("load_demo")
    assert "created 8 cities, 13 users, 6 reviews, 7 memberships" in first
    assert "1 programmes" in first
    counts = (
        Benchmark.objects.count(),
        Indicator.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        SelfAssessment.objects.count(),
    )
    assert _run("load_benchmarks").startswith("Benchmarks: Loaded none")
    assert "created 0 cities, 0 users, 0 reviews, 0 memberships, 0 programmes." in _run("load_demo")
    assert counts == (
        Benchmark.objects.count(),
        Indicator.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        SelfAssessment.objects.count(),
    )


def test_demo_review_has_a_partly_written_inception_report(db):
    _run("load_benchmarks")
    _run("load_demo")
    review = Review.objects.get(title="Peer review of Rotterdam 2026")
    progress = review.inception_report.progress()
    assert review.benchmark_version.benchmark.slug == "inti-cities"
    assert 0 < progress["done"] < progress["total"] == 73
    assert 0 < progress["sections_written"] < 7
    assert review.proposed_interviewees.count() == 3


def test_demo_logins_lists_every_demo_person(db):
    _run("load_demo")
    printed = _run("demo_logins")
    assert "coordinator@example.org" in printed and "outsider@example.org" in printed
    assert "critical-friend-demo" in printed
    assert "host of the Leipzig review (step 7, report published)" in printed
    assert "peer4@example.org" in printed and "host5@example.org" in printed


def test_second_demo_review_is_at_step_5_with_desk_reviews_and_a_partly_planned_visit(db):
    from reviews.models import DeskReview, VisitSession

    _run("load_benchmarks")
    _run("load_demo")
    review = Review.objects.get(title="Peer review of Antwerp 2026")
    assert review.current_step == 5
    assert review.inception_report.is_submitted
    assert DeskReview.objects.filter(review=review, submitted_at__isnull=False).count() == 3
    assert VisitSession.objects.filter(review=review, kind="interview").count() == 4


def test_demo_evidence_covers_a_pillar_with_confirmed_and_contradictory_indicators(db):
    from reviews.models.evidence import indicator_statuses

    _run("load_benchmarks")
    _run("load_demo")
    review = Review.objects.get(title="Peer review of Antwerp 2026")
    indicators = list(review.indicators_in_scope())
    states = {s.state for s in indicator_statuses(review, indicators).values()}
    assert {"confirmed", "contradictory", "unconfirmed"} <= states
    assert "none" not in states  # the whole pillar has evidence


def test_third_demo_review_has_a_published_approved_report_and_host_response(db):
    from reviews.models import FeedbackReport, HostResponse

    _run("load_benchmarks")
    _run("load_demo")
    review = Review.objects.get(title="Peer review of Leipzig 2025")
    report = FeedbackReport.objects.get(review=review)
    final = report.final_version
    assert review.current_step == 7 and report.is_published
    team = {m.user_id for m in review.memberships.filter(role__in=("peer", "team_leader"))}
    assert set(final.approvals.filter(approves=True).values_list("peer_id", flat=True)) == team
    assert not report.factual_comments.filter(answer="").exists()
    recommendations = [r["text"] for s in final.content["sections"] for r in s["recommendations"]]
    assert len(recommendations) == 3
    assert HostResponse.objects.filter(recommendation__section__report=report).count() == 3
    # Every finding cites evidence confirmed by two interviews.
    from reviews.models.feedback_report import citation_problems

    for section in report.sections.all():
        for finding in section.findings.all():
            cited = list(finding.evidence.all())
            assert cited and citation_problems(review, cited) == {}


def test_the_demo_reviews_step_statuses_follow_their_data(db):
    from reviews.status import progress_of

    _run("load_benchmarks")
    _run("load_demo")
    states = {
        title: [s.state for s in progress_of(Review.objects.get(title=title)).steps]
        for title in (
            "Peer review of Rotterdam 2026",
            "Peer review of Antwerp 2026",
            "Peer review of Leipzig 2025",
        )
    }
    # Rotterdam: one host member missed the training; the inception report is being written.
    assert states["Peer review of Rotterdam 2026"][:4] == [
        "done",
        "incomplete",
        "current",
        "upcoming",
    ]
    # Antwerp: the team leader's desk review is not in; the visit is under way.
    assert states["Peer review of Antwerp 2026"][:5] == [
        "done",
        "done",
        "done",
        "incomplete",
        "current",
    ]
    # Leipzig is over: every step done, the report published and followed up.
    assert states["Peer review of Leipzig 2025"] == ["done"] * 6 + ["published"]
    leipzig = progress_of(Review.objects.get(title="Peer review of Leipzig 2025"))
    assert not leipzig.overdue
    assert leipzig.follow_up.answered == leipzig.follow_up.recommendations == 3


def test_the_demo_programme_shows_a_board_a_history_and_a_baseline(db):
    from django.utils import timezone

    from cities.models import City
    from reviews.models import Programme
    from reviews.services.history import baseline_of, city_history
    from reviews.services.programme import board_rows

    _run("load_benchmarks")
    _run("load_demo")
    programme = Programme.objects.get(name="INTI-CITIES 2025–2026")
    hosts = set(programme.reviews.values_list("host_city__name", flat=True))
    assert hosts == {"Rotterdam", "Antwerp", "Leipzig", "Ghent", "Malmö"}
    partners = set(programme.partners.values_list("name", flat=True))
    assert partners - hosts == {"Helsinki", "Lyon"}  # partners that host none
    ghent = Review.objects.get(title="Peer review of Ghent 2025")
    assert ghent.feedback_report.is_published
    assert programme.pool.count() == 5 and programme.training_sessions.count() == 1
    # The board: every review, the quiet Ghent one flagged.
    coordinator = User.objects.get(email="coordinator@example.org")
    rows = board_rows(programme, user=coordinator, today=timezone.localdate())
    assert len(rows) == 5
    assert [row.review.title for row in rows if row.stale] == ["Peer review of Ghent 2025"]
    # Leipzig, reviewed twice: its history and the later review's baseline.
    later = Review.objects.get(title="Peer review of Leipzig 2025")
    assert later.baseline.title == "Peer review of Leipzig 2023"
    assert any(e.rating and e.commitments for e in baseline_of(later).values())
    history = city_history(City.objects.get(name="Leipzig"), coordinator)
    assert [h.review.title for h in history.published] == [
        "Peer review of Leipzig 2023",
        "Peer review of Leipzig 2025",
    ]
    assert {row.change for row in history.indicators} >= {"better", "same"}


def test_the_demo_programme_has_three_published_reviews_rated_differently(db):
    from reviews.models import IndicatorEvaluation, Programme
    from reviews.status import progress_of

    _run("load_benchmarks")
    _run("load_demo")
    programme = Programme.objects.get(name="INTI-CITIES 2025–2026")
    published = list(
        programme.reviews.filter(feedback_report__published_at__isnull=False).order_by("title")
    )
    assert [review.host_city.name for review in published] == ["Ghent", "Leipzig", "Malmö"]
    ratings = {}
    for review in published:
        # As the method has it: the visit is over, the evidence coded, every peer approved.
        assert [s.state for s in progress_of(review).steps] == ["done"] * 6 + ["published"]
        assert review.evidence.exists()
        team = {m.user_id for m in review.memberships.filter(role__in=("peer", "team_leader"))}
        final = review.feedback_report.final_version
        assert set(final.approvals.filter(approves=True).values_list("peer_id", flat=True)) == team
        assert review.host_city_id not in {
            m.user.city_id for m in review.memberships.filter(role__in=("peer", "team_leader"))
        }
        ratings[review.host_city.name] = tuple(
            IndicatorEvaluation.objects.filter(review=review)
            .order_by("indicator__code")
            .values_list("indicator__code", "rating__code")
        )
    codes = {tuple(code for code, _level in rated) for rated in ratings.values()}
    assert len(codes) == 1  # the same indicators, so the cities compare
    assert len(set(ratings.values())) == 3  # and each city is rated differently


def test_the_demo_programme_has_a_comparative_report_waiting_for_one_author(db, client_for):
    from django.urls import reverse

    from reviews.models import FeedbackReport
    from syntheses.models import ComparativeReport, Statement, citation_problems

    _run("load_benchmarks")
    _run("load_demo")
    assert _run("load_comparative_demo") == "Demo comparative report: created 1.\n"
    report = ComparativeReport.objects.get()
    assert report.programme.name == "INTI-CITIES 2025–2026"
    written = {c.group.code: c.assignee.email for c in report.chapters.exclude(assignee=None)}
    assert written == {"GG": "leader@example.org", "IC": "peer2@example.org"}
    statements = list(Statement.objects.prefetch_related("reviews__host_city"))
    assert len(statements) == 4
    for statement in statements:  # each rests on published reviews of the programme, as a
        cited = list(statement.reviews.all())  # person would have to cite them
        assert citation_problems(statement.kind, cited) == [], statement.text
        assert {r.programme_id for r in cited} == {report.programme_id}
        published = FeedbackReport.objects.filter(review__in=cited, published_at__isnull=False)
        assert published.count() == len(cited)
    version = report.pending_version
    assert version.number == 1
    assert [p.email for p in version.waiting_for()] == ["peer2@example.org"]
    page = client_for(User.objects.get(email="peer2@example.org")).get(
        reverse("syntheses:report", kwargs={"programme": report.programme_id})
    )
    assert "Malmö measures its integration targets every year" in page.content.decode()
    assert _run("load_comparative_demo") == "Demo comparative report: created 0.\n"
    assert ComparativeReport.objects.get().versions.count() == 1
