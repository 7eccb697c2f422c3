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
    assert "created 6 cities, 8 users, 1 reviews, 7 memberships" in first
    counts = (
        Benchmark.objects.count(),
        Indicator.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        SelfAssessment.objects.count(),
    )
    assert _run("load_benchmarks").startswith("Benchmarks: Loaded none")
    assert "created 0 cities, 0 users, 0 reviews, 0 memberships." in _run("load_demo")
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
    review = Review.objects.get()
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
