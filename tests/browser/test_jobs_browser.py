"""A job's page follows the work without a reload (its script polls the status URL) and
shows the result once the job has finished. (The <noscript> text is checked in
tests/test_jobs.py: Chromium with scripts turned off still parses it as scripted.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jobs.models import Job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-pass-phrase"


def test_the_job_page_follows_progress_and_shows_the_result(
    page, live_server, sign_in, make_user, assert_accessible
):
    coordinator = make_user(email="coord@example.org", password=PASSWORD, is_coordinator=True)
    job = Job.objects.create(kind="benchmark_import", started_by=coordinator)
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    sign_in(page, "coord@example.org", PASSWORD)
    page.goto(f"{live_server.url}{job.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Import a benchmark")).to_be_visible()
    expect(page.locator("#job-status")).to_have_text("Waiting to start")
    assert_accessible(page)

    job.start()
    job.report(40, "Checking and saving 3 indicators.")
    expect(page.locator("#job-percent")).to_have_text("40 %", timeout=10_000)
    expect(page.get_by_role("status")).to_have_text("Checking and saving 3 indicators.")
    expect(page.locator("#job-status")).to_have_text("Running")

    job.succeed("Imported 3 indicators as draft version 1.", url="/benchmarks/")
    expect(page.get_by_text("Imported 3 indicators as draft version 1.")).to_be_visible(
        timeout=10_000
    )
    expect(page.get_by_role("link", name="Open the result")).to_have_attribute(
        "href", "/benchmarks/"
    )
    assert_accessible(page)
    assert errors == []  # nothing the CSP refused, no script error
