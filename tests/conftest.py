"""The cast every test can use, and small factories with overridable defaults."""

from __future__ import annotations

import itertools
import os

import pytest

from cities.models import City, User
from reviews.models import Membership, Review
from reviews.steps import COORDINATOR, HOST, PEER, TEAM_LEADER

# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

_seq = itertools.count(1)


def new_city(**fields) -> City:
    n = next(_seq)
    fields.setdefault("name", f"City {n}")
    fields.setdefault("country", "Testland")
    return City.objects.create(**fields)


def new_user(**fields) -> User:
    n = next(_seq)
    fields.setdefault("email", f"person{n}@example.org")
    fields.setdefault("name", f"Person {n}")
    fields.setdefault("initials", "P" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[n % 26])
    password = fields.pop("password", "secret-pass-123")
    return User.objects.create_user(password=password, **fields)


def new_review(**fields) -> Review:
    fields.setdefault("title", f"Review {next(_seq)}")
    if "host_city" not in fields:
        fields["host_city"] = new_city()
    return Review.objects.create(**fields)


# The named cast: who they are and their role in `review` (None: no membership).
CAST = {
    "coordinator": ({"email": "coord@example.org", "name": "Clara Coordinator"}, None),
    "team_leader": (
        {"email": "leader@example.org", "name": "Jan Leader", "initials": "JB"},
        TEAM_LEADER,
    ),
    "peer": ({"email": "peer@example.org", "name": "Fatima Peer", "initials": "FC"}, PEER),
    "host": ({"email": "host@example.org", "name": "Anouk Host"}, HOST),
    "review_coordinator": ({"email": "expert@example.org", "name": "Eve Expert"}, COORDINATOR),
    "outsider": ({"email": "outsider@example.org", "name": "Olga Outsider"}, None),
}


def new_cast_member(key: str, review: Review | None = None) -> User:
    """One of the named cast, with their membership of `review`."""
    fields, role = CAST[key]
    fields = dict(fields)
    if key == "coordinator":
        fields["is_coordinator"] = True
    if key == "host":
        fields["city"] = review.host_city
    user = new_user(**fields)
    if role is not None:
        Membership.objects.create(review=review, user=user, role=role, is_host_lead=role == HOST)
    return user


@pytest.fixture
def make_city(db):
    return new_city


@pytest.fixture
def make_user(db):
    return new_user


@pytest.fixture
def make_review(db):
    return new_review


@pytest.fixture
def host_city(make_city) -> City:
    return make_city(name="Rotterdam", country="Netherlands")


@pytest.fixture
def review(make_review, host_city) -> Review:
    return make_review(title="Review of Rotterdam", host_city=host_city, current_step=3)


@pytest.fixture
def coordinator(db) -> User:
    return new_cast_member("coordinator")


@pytest.fixture
def team_leader(review) -> User:
    return new_cast_member("team_leader", review)


@pytest.fixture
def peer(review) -> User:
    return new_cast_member("peer", review)


@pytest.fixture
def host(review) -> User:
    return new_cast_member("host", review)


@pytest.fixture
def review_coordinator(review) -> User:
    """Network staff attached to one review, without the global coordinator role."""
    return new_cast_member("review_coordinator", review)


@pytest.fixture
def outsider(db) -> User:
    return new_cast_member("outsider")


@pytest.fixture
def cast(coordinator, team_leader, peer, host, outsider) -> dict[str, User | None]:
    return {
        "anonymous": None,
        "outsider": outsider,
        "host": host,
        "peer": peer,
        "team_leader": team_leader,
        "coordinator": coordinator,
    }


@pytest.fixture
def client_for(client):
    """A test client signed in as the given user (or anonymous for None)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user, backend="cities.backends.EmailBackend")
        return client

    return sign_in


def small_benchmark_data(slug: str = "mini", indicators: int = 3) -> dict:
    """A benchmark with 2 groups and 2 values; `indicators` spread over its cells."""
    cells = [("AA", "X"), ("AA", "Y"), ("BB", "X"), ("BB", "Y")]
    rows = []
    for n in range(indicators):
        group, value = cells[n % 4]
        rows.append(
            {
                "group": group,
                "value": value,
                "number": n // 4 + 1,
                "text": {"en": f"Indicator text {n}", "nl": f"Indicatortekst {n}"},
            }
        )
    return {
        "slug": slug,
        "name": {"en": f"Benchmark {slug}", "nl": f"Benchmark {slug} (nl)"},
        "group_label": {"en": "Pillar", "nl": "Pijler"},
        "value_label": {"en": "Value", "nl": "Waarde"},
        "groups": [
            {
                "code": "AA",
                "name": {"en": "Alpha", "nl": "Alfa"},
                "standard": {"en": "Alpha standard"},
            },
            {"code": "BB", "name": {"en": "Beta", "nl": "Bèta"}},
        ],
        "values": [
            {"code": "X", "name": {"en": "Ex", "nl": "Iks"}},
            {"code": "Y", "name": {"en": "Why", "nl": "Ei"}},
        ],
        "indicators": rows,
    }


def new_benchmark(slug: str = "mini", indicators: int = 3, publish: bool = True):
    from benchmarks.services import import_version

    return import_version(small_benchmark_data(slug, indicators), publish=publish)


@pytest.fixture
def make_benchmark(db):
    return new_benchmark


def build_benchmark_versions(peer):
    """A published v1 and a draft v2 of one benchmark, the draft circulated to `peer`."""
    from benchmarks.models import VersionReviewer
    from benchmarks.services import start_new_draft

    published = new_benchmark()
    draft = start_new_draft(published)
    VersionReviewer.objects.create(version=draft, user=peer)
    return published, draft


@pytest.fixture
def benchmark_versions(db, peer):
    return build_benchmark_versions(peer)


@pytest.fixture(autouse=True)
def english_by_default():
    """Requests activate a language on the thread; start every test in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def review_work(review, host, peer, team_leader, coordinator):
    return build_review_work(review, host=host, peer=peer, team_leader=team_leader)


def build_review_work(review, *, host, peer, team_leader):
    """The review with a benchmark version and a little of each step's work in it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reviews.models import BackgroundSection, ProposedInterviewee, TrainingSession
    from reviews.services import add_attachment

    review.benchmark_version = new_benchmark(slug="review-benchmark", indicators=5)
    review.save()
    report = review.inception_report
    section = BackgroundSection.objects.create(report=report, key="features", text="A port city.")
    session = TrainingSession.objects.create(review=review, date="2026-10-01", place="Brussels")
    session.attendees.set([peer, host])
    person = ProposedInterviewee.objects.create(
        review=review,
        name="Ayse Demir",
        organisation="Migrant council, chair",
        kind="immigrant_org",
    )
    attachment = add_attachment(
        review=review,
        upload=SimpleUploadedFile("structure.pdf", PDF_BYTES),
        by=host,
        section=section,
    )
    from reviews.models import InformationRequest, Notification

    InformationRequest.objects.create(review=review, question="How many staff?", asked_by=peer)

    from reviews.models import KeyConclusion, VisitSession

    KeyConclusion.objects.create(review=review, text="Strong leadership, weak monitoring.")

    visit = VisitSession.objects.create(
        review=review,
        kind="interview",
        starts_at="2027-03-01T10:00:00Z",
        ends_at="2027-03-01T11:00:00Z",
    )
    visit.peers.set([peer, team_leader])
    visit.interviewees.set([person])
    from reviews.models import Evidence

    colour = review.benchmark_version.ratingscales.get(purpose="evidence").levels.first()
    evidence = Evidence.objects.create(
        review=review,
        session=visit,
        text="The plan is monitored yearly.",
        colour=colour,
        author=peer,
    )
    evidence.indicators.set(review.indicators_in_scope()[:1])
    evidence.interviewers.set([peer, team_leader])
    Notification.objects.create(
        user=host, review=review, text="Something new", url=review.get_absolute_url()
    )
    return {"section": section, "session": session, "person": person, "attachment": attachment}


@pytest.fixture
def report_draft(review_work, review, team_leader, host):
    return build_report_draft(review, team_leader=team_leader, host=host)


def build_report_draft(review, *, team_leader, host):
    """Step 7: a draft report, version 1 frozen and sent to the host city, one comment on it."""
    from django.utils import timezone

    from reviews.models import FactualComment, Finding, Recommendation
    from reviews.services.feedback_report import ensure_report
    from reviews.services.report_content import build_content

    feedback = ensure_report(review)
    section = feedback.sections.first()
    Finding.objects.create(section=section, kind="strength", text="Leadership is strong.")
    recommendation = Recommendation.objects.create(
        section=section,
        text="Measure every target yearly.",
        priority="high",
        timeframe="12m",
        actor="Integration office",
        measure="A yearly monitoring report",
    )
    recommendation.indicators.set(review.indicators_in_scope()[:1])
    version = feedback.freeze(by=team_leader, content=build_content(review, feedback))
    feedback.factual_round_version = version
    feedback.factual_round_opened_at = timezone.now()
    feedback.save()
    FactualComment.objects.create(
        report=feedback, version=version, section_key="summary", author=host, text="A typo."
    )
    return feedback


@pytest.fixture
def post_job(django_capture_on_commit_callbacks):
    """POST a form that starts a job (jobs/), let its task run (it is enqueued on commit;
    without a TASKS setting django-tasks runs it at once) and GET the job's page. Answers
    the POST's own response when it started no job (a form error, a refusal)."""

    def post(client, url, data):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        if response.status_code != 302 or "/jobs/" not in response["Location"]:
            return response
        return client.get(response["Location"])

    return post


def build_programme(review, *, peers=(), name="INTI-CITIES 2026"):
    """A programme on the review's benchmark version with the review in it, its host city
    a partner, `peers` in its pool and one joint training they attended."""
    from reviews.models import Programme, TrainingSession

    programme = Programme.objects.create(name=name, benchmark_version=review.benchmark_version)
    programme.partners.add(review.host_city)
    programme.pool.set(peers)
    review.programme = programme
    review.save()
    joint = TrainingSession.objects.create(
        programme=programme, date="2026-09-15", place="Brussels", topics="Interviewing"
    )
    joint.attendees.set(peers)
    return programme
