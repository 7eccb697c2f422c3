"""Two app servers and two task workers on one PostgreSQL database, as in production.

Two gunicorn instances (two processes each) and two `db_worker` processes, all on the test
database, with an SMTP sink for the mail. Requests go to both servers at once:

- peers enter evidence concurrently: every entry is saved;
- eight people save one shared form (the host city's profile) from the same version: one
  save wins, the seven others answer 409 with their own text on the page to choose from,
  and the profile's version moved once;
- six planners book the same peers for the same hour: one session is saved, five refused;
- the host city posts factual comments, each telling the two peers of the team by e-mail:
  every e-mail arrives exactly once.

Skipped unless DATABASE_URL points at PostgreSQL (CI's second `make test`).
"""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from cities.models import City
from mail.models import Delivery
from reviews.models import Evidence, FactualComment, VisitSession
from tests.smtp_sink import SmtpSink, free_port
from tests.workers import ROOT, SharedDatabase, start, stop, wait_until, worker_env

pytestmark = pytest.mark.django_db(transaction=True)

CSRF = "a" * 32  # an unmasked CSRF secret: the cookie and the form field carry the same
EVIDENCE, SAVES, BOOKINGS, COMMENTS = 40, 8, 6, 10


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(_NoRedirect)


def post(port: int, path: str, data: dict, session: str) -> tuple[int, str]:
    body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": CSRF}, doseq=True).encode()
    request = urllib.request.Request(  # noqa: S310 (loopback)
        f"http://127.0.0.1:{port}{path}",
        data=body,
        headers={
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={CSRF}"
        },
    )
    try:
        with OPENER.open(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.read().decode()


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2) as r:  # noqa: S310
            return r.status == 200
    except OSError:
        return False


def signed_in(user) -> str:
    client = Client()
    client.force_login(user, backend="cities.backends.EmailBackend")
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def gunicorn(port: int, env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_two_servers_and_two_workers_lose_nothing_and_send_every_email_once(
    review_work, report_draft, review, host, peer, team_leader, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...): SQLite serves one machine")
    review.current_step = 6
    review.visit_start, review.visit_end = "2027-03-01", "2027-03-04"
    review.save()
    visit = review.visit_sessions.get()
    indicator = review.indicators_in_scope().first()
    colour = review.benchmark_version.ratingscales.get(purpose="evidence").levels.first()
    city = City.objects.get(pk=review.host_city_id)
    evidence_before = Evidence.objects.count()
    sessions = {person.pk: signed_in(person) for person in (host, peer, team_leader)}

    shared = SharedDatabase(tmp_path)
    logs = {name: tmp_path / f"{name}.log" for name in ("web1", "web2", "worker1", "worker2")}
    ports = [free_port(), free_port()]
    with SmtpSink() as sink:
        env = worker_env(shared.url, sink.port)
        processes = [gunicorn(port, env, logs[f"web{n}"]) for n, port in enumerate(ports, 1)]
        processes += [
            start(
                "db_worker",
                "--no-reload",
                "--interval",
                "0.2",
                f"--worker-id=worker-{n}",
                env=env,
                log=logs[f"worker{n}"],
            )
            for n in (1, 2)
        ]
        try:
            assert wait_until(lambda: all(answers(p) for p in ports), timeout=60), [
                log.read_text() for log in logs.values()
            ]
            jobs = []
            with ThreadPoolExecutor(max_workers=8) as pool:
                for n in range(max(EVIDENCE, SAVES, BOOKINGS, COMMENTS)):
                    port = ports[n % 2]
                    if n < EVIDENCE:
                        author = (peer, team_leader)[n % 2]
                        data = {
                            "session": visit.pk,
                            "indicators": [indicator.pk],
                            "text": f"Finding number {n}",
                            "colour": colour.pk,
                            "basis": "fact",
                            "edit_version": 0,
                        }
                        path = reverse("reviews:evidence_add", args=[review.pk])
                        jobs.append(
                            (
                                "evidence",
                                n,
                                pool.submit(post, port, path, data, sessions[author.pk]),
                            )
                        )
                    if n < SAVES:
                        data = {
                            "name": city.name,
                            "country": city.country,
                            "profile": f"Profile text {n}",
                            "edit_version": city.edit_version,
                        }
                        path = reverse("city_edit", args=[city.pk])
                        jobs.append(
                            ("save", n, pool.submit(post, port, path, data, sessions[host.pk]))
                        )
                    if n < BOOKINGS:
                        data = {
                            "kind": "interview",
                            "starts_at": "2027-03-02T14:00",
                            "peers": [peer.pk, team_leader.pk],
                            "location": f"Room {n}",
                            "edit_version": 0,
                        }
                        path = reverse("reviews:session_add", args=[review.pk])
                        jobs.append(
                            (
                                "booking",
                                n,
                                pool.submit(post, port, path, data, sessions[team_leader.pk]),
                            )
                        )
                    if n < COMMENTS:
                        data = {"section_key": "summary", "text": f"Fact {n} is wrong."}
                        path = reverse("reviews:report_factual", args=[review.pk])
                        jobs.append(
                            ("comment", n, pool.submit(post, port, path, data, sessions[host.pk]))
                        )
                answered = [(kind, n, job.result()) for kind, n, job in jobs]
            expected_mail = 2 * COMMENTS  # the peer and the team leader, per comment
            assert sink.wait_for(expected_mail, timeout=60), [
                log.read_text() for log in logs.values()
            ]
            waiting = "SELECT COUNT(*) FROM mail_delivery WHERE status <> 'sent'"
            assert wait_until(lambda: shared.scalar(waiting) == 0, timeout=30)
            wait_until(lambda: sink.count() > expected_mail, timeout=2)  # none more comes
        finally:
            for process in processes:
                stop(process)

    def codes(kind):
        return sorted(status for k, _n, (status, _body) in answered if k == kind)

    assert codes("evidence") == [302] * EVIDENCE
    texts = set(Evidence.objects.values_list("text", flat=True))
    assert Evidence.objects.count() == evidence_before + EVIDENCE
    assert {f"Finding number {n}" for n in range(EVIDENCE)} <= texts

    assert codes("save") == [302] + [409] * (SAVES - 1)
    city.refresh_from_db()
    assert city.edit_version == 2
    for kind, n, (status, body) in answered:
        if kind == "save" and status == 409:
            assert f"Profile text {n}" in body  # the loser's text is on the page, not lost
            assert city.profile in body  # beside what the winner saved
    assert city.profile in {f"Profile text {n}" for n in range(SAVES)}

    assert codes("booking") == [200] * (BOOKINGS - 1) + [302]
    assert VisitSession.objects.filter(review=review, starts_at__date="2027-03-02").count() == 1
    refused = [body for kind, _n, (status, body) in answered if kind == "booking" and status == 200]
    assert all("already booked" in body for body in refused)

    assert codes("comment") == [302] * COMMENTS
    assert FactualComment.objects.filter(report=report_draft).count() == 1 + COMMENTS
    assert sink.count() == 2 * COMMENTS
    assert len(set(sink.message_ids())) == 2 * COMMENTS
    assert Delivery.objects.filter(status=Delivery.SENT).count() == 2 * COMMENTS
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}
    delivered = sorted((r, m["Subject"]) for recipients, m in sink.messages for r in recipients)
    assert delivered == sorted(
        (person.email, f"Factual comment: {review.title}")
        for person in (peer, team_leader)
        for _ in range(COMMENTS)
    )
