"""One new review walked through all seven steps in the browser, from opening to the host
city's response and action plan (issue 8).

Only the cast and a small published benchmark are created in the database; everything after
that happens through the pages, each person in their own browser context: the coordinator,
the host city, the team leader and two more peers from three other cities. axe-core checks
every distinct page on the way. The host city answers the recommendation with the keyboard
alone. On a failure every open page is saved to test-results/walk/<step>-<who>.png.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-pass-phrase"
TITLE = "Peer review of Rotterdam 2027"
# Dates from today, so the form's date checks see a training before the visit, both ahead.
TODAY = timezone.localdate()
TRAINING = TODAY + datetime.timedelta(days=30)
VISIT_START = TODAY + datetime.timedelta(days=60)
VISIT_END = VISIT_START + datetime.timedelta(days=3)
WALK_SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "walk"


class Walk:
    """The open pages by person, a per-step screenshot on failure, and axe once per page."""

    def __init__(self, check) -> None:
        self.pages: dict[str, Page] = {}
        self.checked: set[tuple[str, str]] = set()
        self._check = check

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        try:
            yield
        except BaseException:
            WALK_SHOTS.mkdir(parents=True, exist_ok=True)
            for who, page in self.pages.items():
                with suppress(Exception):
                    page.screenshot(path=str(WALK_SHOTS / f"{name}-{who}.png"), full_page=True)
            raise

    def axe(self, page: Page, state: str = "") -> None:
        """Run axe on this page unless the same page (ids ignored) in this state was checked."""
        key = (re.sub(r"\d+", "N", page.url.split("?")[0]), state)
        if key not in self.checked:
            self.checked.add(key)
            self._check(page)


def tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Press Tab until the target has the focus: keyboard only, no clicks."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            break
    expect(target).to_be_focused()


def test_a_new_review_walks_all_seven_steps_in_the_browser(
    page, browser, live_server, sign_in, make_user, make_city, make_benchmark, assert_accessible
):
    rotterdam = make_city(name="Rotterdam", country="Netherlands")
    make_user(email="coord@example.org", password=PASSWORD, name="Clara Coord", is_coordinator=True)
    make_user(email="host@example.org", password=PASSWORD, name="Anouk Host", city=rotterdam)
    make_user(
        email="leader@example.org",
        password=PASSWORD,
        name="Jan Berg",
        initials="JB",
        city=make_city(name="Ghent", country="Belgium"),
    )
    make_user(
        email="fatima@example.org",
        password=PASSWORD,
        name="Fatima Chahid",
        initials="FC",
        city=make_city(name="Antwerp", country="Belgium"),
    )
    make_user(
        email="mikko@example.org",
        password=PASSWORD,
        name="Mikko Laine",
        initials="ML",
        city=make_city(name="Helsinki", country="Finland"),
    )
    make_benchmark(slug="mini", indicators=3)
    # From here on: no database writes, only pages.

    walk = Walk(assert_accessible)
    contexts = []
    try:
        walk.pages["coordinator"] = page
        for who in ("host", "leader", "fatima", "mikko"):
            # en-US: the host types the deadline as mm/dd/yyyy into the date field.
            context = browser.new_context(locale="en-US")
            contexts.append(context)
            walk.pages[who] = context.new_page()
        _walk(walk, live_server, sign_in)
    finally:
        for context in contexts:
            context.close()


def _walk(walk: Walk, live_server, sign_in) -> None:
    pages = walk.pages
    coord, host, leader = pages["coordinator"], pages["host"], pages["leader"]
    fatima, mikko = pages["fatima"], pages["mikko"]
    team = {"leader": leader, "fatima": fatima, "mikko": mikko}

    def open_step(p: Page, number: int, name: str, button: str) -> None:
        """From anywhere: the review's page, the step, then one of the step's pages."""
        p.get_by_role("link", name="My reviews", exact=True).first.click()
        p.get_by_role("link", name=TITLE).click()
        walk.axe(p)
        p.get_by_role("link", name=f"Step {number}: {name}").click()
        walk.axe(p, f"step {number}")
        p.get_by_role("link", name=button, exact=True).click()
        walk.axe(p)

    def advance(to: int, name: str, lacking: str | None = None) -> None:
        """Through the confirmation, which lists what the step still lacks (if anything)."""
        coord.get_by_role("link", name="All reviews", exact=True).click()
        coord.get_by_role("link", name=TITLE).click()
        coord.get_by_role("link", name="Move the review to the next step").click()
        if lacking:
            expect(coord.get_by_role("heading", name=f"Step {to - 1} still lacks")).to_be_visible()
            expect(coord.get_by_text(lacking)).to_be_visible()
            coord.get_by_label("I know what this step still lacks").check()
        else:
            expect(coord.get_by_text(f"Step {to - 1} is complete.")).to_be_visible()
        walk.axe(coord, f"advance to {to}")
        coord.get_by_role("button", name=f"Move the review to step {to}").click()
        expect(coord.get_by_text(f"The review moved to step {to}: {name}.")).to_be_visible()

    # --- Step 1: the benchmark is published; the coordinator opens a review on it ----------
    with walk.step("01-open-review"):
        coord.goto(f"{live_server.url}/accounts/login/")
        walk.axe(coord)
        sign_in(coord, "coord@example.org", PASSWORD)
        walk.axe(coord, "coordinator")
        coord.get_by_role("link", name="Benchmarks", exact=True).click()
        walk.axe(coord)
        coord.get_by_role("link", name="Benchmark mini").first.click()
        walk.axe(coord)
        coord.get_by_role("link", name="All reviews", exact=True).click()
        walk.axe(coord)
        coord.get_by_role("link", name="Open a new review").click()
        coord.get_by_label("Title").fill(TITLE)
        coord.get_by_label("Host city").select_option(label="Rotterdam (Netherlands)")
        coord.get_by_label("Benchmark version").select_option(label="Benchmark mini v1")
        coord.get_by_label("Training").fill(TRAINING.isoformat())
        coord.get_by_label("Visit from").fill(VISIT_START.isoformat())
        coord.get_by_label("Visit to").fill(VISIT_END.isoformat())
        walk.axe(coord)
        coord.get_by_role("button", name="Open the review").click()
        expect(coord.get_by_role("heading", name="Scope of the review")).to_be_visible()
        coord.get_by_label("AA Alpha").check()
        walk.axe(coord)
        coord.get_by_role("button", name="Save the scope").click()
        expect(coord.get_by_text("The review covers 2 indicators.")).to_be_visible()

    # --- Step 2: team and training --------------------------------------------------------
    with walk.step("02-team-and-training"):
        coord.get_by_role("link", name="Team and training", exact=True).click()
        for person, role in (
            ("Anouk Host (Rotterdam)", "Host city"),
            ("Jan Berg (Ghent)", "Team leader"),
            ("Fatima Chahid (Antwerp)", "Peer"),
            ("Mikko Laine (Helsinki)", "Peer"),
        ):
            coord.get_by_label("Person").select_option(label=person)
            coord.get_by_role("radio", name=re.compile(f"^{role}:")).check()
            if role == "Host city":
                coord.get_by_label("Host lead").check()
            coord.get_by_role("button", name="Add", exact=True).click()
            expect(coord.get_by_text(f"{person.split(' (')[0]} joined the review.")).to_be_visible()
        walk.axe(coord)
        coord.get_by_role("link", name="Record a training session").click()
        coord.get_by_label("Date").fill(TRAINING.isoformat())
        coord.get_by_label("Place").fill("Brussels")
        coord.get_by_label("Topics").fill("Writing the inception report; interview practice.")
        for name in ("Anouk Host", "Jan Berg", "Fatima Chahid", "Mikko Laine"):
            coord.get_by_label(name).check()
        walk.axe(coord)
        coord.get_by_role("button", name="Save", exact=True).click()
        expect(coord.get_by_text("The training session is saved.")).to_be_visible()
        expect(
            coord.get_by_text("Trained: 3 of 3 peers, 1 of 1 host city members.")
        ).to_be_visible()
        # A leader and two peers: one short of the method's four.
        advance(3, "Inception report", lacking="The team has 3 peers, the team leader included")
        walk.axe(coord)

    # --- Step 3: the host city writes and submits the inception report --------------------
    with walk.step("03-inception-report"):
        sign_in(host, "host@example.org", PASSWORD)
        walk.axe(host, "member")
        open_step(host, 3, "Inception report", "Inception report")
        host.get_by_role("link", name="Key features of the municipality").click()
        host.get_by_label("Text").fill(
            "Rotterdam has **655,000 inhabitants** of 170 nationalities."
        )
        walk.axe(host)
        host.get_by_role("button", name="Save", exact=True).click()
        expect(host.get_by_text("Saved: Key features of the municipality.")).to_be_visible()

        host.get_by_role("link", name="AA Alpha").click()
        for code, rating, achieved in (
            ("AA/X/1", "Above the benchmark", "A strategic plan since 2023."),
            ("AA/Y/1", "Below the benchmark", "A yearly integration summit."),
        ):
            fieldset = host.locator("fieldset", has_text=code)
            fieldset.get_by_label("Self-rating").select_option(label=rating)
            fieldset.get_by_label("What has been achieved").fill(achieved)
            fieldset.get_by_label("Evidence").fill("Council decision 2023/114.")
            fieldset.get_by_label("Politically responsible").fill("Alderman Jonas Claes")
        walk.axe(host)
        host.get_by_role("button", name="Save this group").click()
        expect(host.get_by_text("Saved 2 indicators of Alpha.")).to_be_visible()

        host.get_by_role("navigation", name="Breadcrumb").get_by_role(
            "link", name="Inception report"
        ).click()
        host.get_by_role("link", name="Edit the provenance").click()
        host.get_by_label("Who wrote it, and how").fill("The integration team, in two workshops.")
        host.get_by_label("Political involvement").select_option(
            label="Consulted: politicians commented on it"
        )
        host.get_by_label("Signed off by").fill("Alderman Jonas Claes")
        walk.axe(host)
        host.get_by_role("button", name="Save", exact=True).click()
        expect(host.get_by_text("Saved who wrote the report and how.")).to_be_visible()

        host.get_by_role("link", name="See the list").click()
        walk.axe(host)
        host.get_by_role("link", name="Propose someone").click()
        host.get_by_label("Name").fill("Jonas Claes")
        host.get_by_label("Organisation and role").fill("Alderman")
        host.get_by_label("Kind").select_option(label="Politician")
        host.get_by_label("AA/X/1 Indicator text 0").check()
        host.get_by_label("AA/Y/1 Indicator text 1").check()
        walk.axe(host)
        host.get_by_role("button", name="Save", exact=True).click()
        expect(host.get_by_text("Saved Jonas Claes.")).to_be_visible()

        open_step(host, 3, "Inception report", "Inception report")
        expect(host.get_by_text("2 of 2 indicators assessed in full")).to_be_visible()
        # Submitting asks first: six background sections are still empty.
        host.get_by_role("link", name="Submit the inception report").click()
        expect(host.get_by_text("6 background sections not written")).to_be_visible()
        walk.axe(host)
        host.get_by_label("Reason for submitting it as it is").fill(
            "The other sections follow before the visit."
        )
        host.get_by_role("button", name="Submit anyway").click()
        expect(host.get_by_text("The inception report is submitted.")).to_be_visible()
        walk.axe(host, "submitted")
        advance(4, "Desk review")

    # --- Step 4: every peer writes and submits a desk review ------------------------------
    with walk.step("04-desk-review"):
        for who, email in (
            ("leader", "leader@example.org"),
            ("fatima", "fatima@example.org"),
            ("mikko", "mikko@example.org"),
        ):
            p = team[who]
            sign_in(p, email, PASSWORD)
            open_step(p, 4, "Desk review", "Desk review")
            p.get_by_role("link", name="AA Alpha").click()
            for code in ("AA/X/1", "AA/Y/1"):
                fieldset = p.locator("fieldset", has_text=code)
                fieldset.get_by_label("Performance").select_option(label="Above the benchmark")
                fieldset.get_by_label("Hypothesis to test on the visit").fill(
                    f"{who}: the plan for {code} is real; its monitoring is unclear."
                )
                fieldset.get_by_label("Questions to ask").fill("Who monitors it, and how often?")
            walk.axe(p)
            p.get_by_role("button", name="Save this group").click()
            expect(p.get_by_text("Saved 2 indicators of Alpha.")).to_be_visible()
            p.get_by_role("navigation", name="Breadcrumb").get_by_role(
                "link", name="Desk review"
            ).click()
            p.get_by_role("link", name="Submit my desk review").click()
            expect(p.get_by_role("heading", name="Submit your desk review?")).to_be_visible()
            walk.axe(p, "confirm")
            p.get_by_role("button", name="Submit my desk review").click()
            expect(p.get_by_text("Your desk review is submitted.")).to_be_visible()
            walk.axe(p, "submitted")
        leader.get_by_role("link", name="AA Alpha").click()
        expect(leader.get_by_role("heading", name="Team view: Alpha")).to_be_visible()
        walk.axe(leader)
        advance(5, "Site visit")

    # --- Step 5: the team leader plans two interviews of two peers each --------------------
    with walk.step("05-visit-plan"):
        open_step(leader, 5, "Site visit", "Visit timetable")
        for start, peers, number in (
            (f"{VISIT_START.isoformat()}T10:00", ("Jan Berg", "Fatima Chahid"), 1),
            (f"{VISIT_START.isoformat()}T11:00", ("Fatima Chahid", "Mikko Laine"), 2),
        ):
            leader.get_by_role("link", name="Add a session").click()
            leader.get_by_label("Starts").fill(start)
            for name in peers:
                leader.get_by_label(name).check()
            leader.get_by_label("Jonas Claes (Alderman)").check()
            leader.get_by_label("AA/X/1 Indicator text 0").check()
            leader.get_by_label("AA/Y/1 Indicator text 1").check()
            walk.axe(leader)
            leader.get_by_role("button", name="Save", exact=True).click()
            expect(leader.get_by_text(f"Saved Interview {number}.")).to_be_visible()
        expect(leader.get_by_text("No warnings")).to_be_visible()
        walk.axe(leader, "planned")
        advance(6, "Evaluation of evidence", lacking="The visit has not taken place yet")

    # --- Step 6: evidence from both interviews, then the team's evaluation ----------------
    with walk.step("06-evidence"):
        for p, interview, text, code in (
            (
                fatima,
                "Interview 1",
                "The alderman chairs a yearly integration summit.",
                "AA/Y/1 - Interview 1 - FC & JB",
            ),
            (
                mikko,
                "Interview 2",
                "Summit reports for 2023 and 2024 exist.",
                "AA/Y/1 - Interview 2 - FC & ML",
            ),
        ):
            open_step(p, 6, "Evaluation of evidence", "Record evidence")
            p.get_by_label("Session", exact=True).select_option(label=interview)
            p.get_by_label("AA/Y/1 Indicator text 1").check()
            p.get_by_label("Finding").fill(text)
            p.get_by_label("Meets or exceeds the benchmark").check()
            p.get_by_label("Fact backed by evidence").check()
            p.get_by_role("button", name="Record and add the next").click()
            expect(p.get_by_text(f"Recorded: {code}")).to_be_visible()
            walk.axe(p, "recorded")

        open_step(leader, 6, "Evaluation of evidence", "Evidence")
        leader.get_by_role("link", name="Overview by indicator").click()
        walk.axe(leader)
        chip = leader.locator(".status-chip", has_text="AA/Y/1")
        expect(chip).to_contain_text("Meets or exceeds the benchmark")
        chip.click()
        expect(leader.get_by_text("2 interviews, confirmed")).to_be_visible()
        leader.get_by_label("Rating").select_option(label="Above the benchmark")
        leader.get_by_label("Justification").fill("Two interviews confirm the yearly summit.")
        leader.get_by_label("The desk review's hypothesis is").select_option(label="Confirmed")
        leader.get_by_label("Evidence that settled it").fill("Summit reports 2023 and 2024.")
        walk.axe(leader)
        leader.get_by_role("button", name="Save the evaluation").click()
        expect(leader.get_by_text("The team's evaluation of AA/Y/1 is saved.")).to_be_visible()
        advance(7, "Feedback report", lacking="The team has rated 1 of 2 indicators.")

    # --- Step 7 on site: key conclusions agreed by every peer, preliminary feedback --------
    with walk.step("07a-conclusions"):
        open_step(leader, 7, "Feedback report", "Key conclusions on site")
        leader.get_by_role("textbox", name="Conclusion").fill(
            "Strong political leadership; monitoring is weak."
        )
        leader.get_by_label("AA Alpha").check()
        walk.axe(leader)
        leader.get_by_role("button", name="Add", exact=True).click()
        expect(leader.get_by_text("Every peer now agrees or dissents")).to_be_visible()
        for p in (leader, fatima, mikko):
            if p is not leader:
                open_step(p, 7, "Feedback report", "Key conclusions on site")
            p.get_by_label("I agree").check()
            p.get_by_role("button", name="Record my position").click()
        expect(
            mikko.get_by_text("Every peer agrees: the conclusions are locked.").first
        ).to_be_visible()
        walk.axe(mikko, "locked")
        leader.reload()
        leader.get_by_label("Presented on").fill(VISIT_END.isoformat())
        leader.get_by_label("Audience").fill("Alderman, integration team")
        leader.get_by_label("Preliminary observations presented").fill(
            "Three strengths, two concerns."
        )
        walk.axe(leader, "feedback")
        leader.get_by_role("button", name="Save", exact=True).click()
        # The walk runs before the visit's dates: the date is flagged, then kept on purpose.
        expect(leader.get_by_text("This date is in the future")).to_be_visible()
        walk.axe(leader, "date warning")
        leader.get_by_label("Save anyway").check()
        leader.get_by_role("button", name="Save", exact=True).click()
        expect(
            leader.get_by_text("The preliminary feedback to the city is recorded.")
        ).to_be_visible()

    # --- Step 7: the feedback report is written ------------------------------------------
    with walk.step("07b-report-writing"):
        open_step(leader, 7, "Feedback report", "Feedback report")
        walk.axe(leader, "not-started")
        leader.get_by_role("button", name="Start the report").click()
        expect(
            leader.get_by_text("The report has a section for every group in scope.")
        ).to_be_visible()
        leader.get_by_role("link", name="Summary", exact=True).click()
        leader.get_by_label("Summary").fill("Rotterdam leads on ambition; monitoring lags.")
        walk.axe(leader)
        leader.get_by_role("button", name="Save", exact=True).click()
        expect(leader.get_by_text("The summary is saved.")).to_be_visible()

        leader.get_by_role("link", name="AA Alpha").click()
        leader.get_by_label("The team's evaluation").fill("Alpha is well led; targets are vague.")
        walk.axe(leader)
        leader.get_by_role("button", name="Save the evaluation").click()
        expect(leader.get_by_text("The evaluation of AA is saved.")).to_be_visible()

        leader.get_by_role("link", name="Add a finding").click()
        leader.get_by_label("Strength").check()
        leader.get_by_label("Finding").fill("The alderman leads a yearly summit.")
        leader.get_by_label("AA/Y/1 - Interview 1 - FC & JB").check()
        walk.axe(leader)
        leader.get_by_role("button", name="Save", exact=True).click()
        expect(leader.get_by_text("The finding is saved.")).to_be_visible()

        leader.get_by_role("link", name="Add a recommendation").click()
        leader.get_by_label("Recommendation").fill("Publish yearly targets per district.")
        leader.get_by_label("AA/X/1 Indicator text 0").check()
        leader.get_by_label("Priority").select_option(label="High")
        leader.get_by_label("Suggested timeframe").select_option(label="Within a year")
        leader.get_by_label("Who in the city should act").fill("The integration department")
        leader.get_by_label("How progress shows").fill("Targets published on the city website.")
        walk.axe(leader)
        leader.get_by_role("button", name="Save", exact=True).click()
        expect(leader.get_by_text("The recommendation is saved.")).to_be_visible()
        walk.axe(leader, "written")

    # --- Step 7: a version is frozen and every peer approves it ---------------------------
    with walk.step("07c-report-approval"):
        leader.get_by_role("link", name="Back to the report").click()
        leader.get_by_role("link", name="Freeze a version for approval").click()
        expect(leader.get_by_role("main")).to_contain_text("AA Alpha: evaluation written")
        walk.axe(leader, "confirm")
        leader.get_by_role("button", name="Freeze version 1").click()
        expect(leader.get_by_text("Version 1 is frozen.")).to_be_visible()
        for p in (leader, fatima, mikko):
            if p is not leader:
                open_step(p, 7, "Feedback report", "Feedback report")
            p.get_by_label("I approve this version").check()
            walk.axe(p, "pending")
            p.get_by_role("button", name="Record my decision").click()
            expect(p.get_by_text("You approved version 1.")).to_be_visible()
        leader.get_by_role("link", name="Read version 1").click()
        walk.axe(leader)
        leader.go_back()

    # --- Step 7: the host city checks the facts; the team answers ------------------------
    with walk.step("07d-factual-round"):
        leader.reload()
        leader.get_by_role(
            "link", name="Send this version to the host city to check the facts"
        ).click()
        expect(leader.get_by_role("main")).to_contain_text("The host city: Anouk Host")
        walk.axe(leader, "confirm")
        leader.get_by_role("button", name="Send it to the host city").click()
        expect(
            leader.get_by_text(
                "Version 1 is sent: the host city can now comment on factual errors."
            )
        ).to_be_visible()
        walk.axe(leader)

        open_step(host, 7, "Feedback report", "Factual-accuracy round")
        host.get_by_label("Section").select_option(label="AA Alpha")
        host.get_by_role("textbox", name="Factual error").fill(
            "The summit started in 2022, not 2023."
        )
        walk.axe(host, "host")
        host.get_by_role("button", name="Send the comment").click()
        expect(host.get_by_text("Your comment is sent to the team.")).to_be_visible()

        open_step(fatima, 7, "Feedback report", "Factual-accuracy round")
        fatima.get_by_label("The team's answer").fill("Corrected: the summit started in 2022.")
        walk.axe(fatima, "answer")
        fatima.get_by_role("button", name="Answer").click()
        expect(fatima.get_by_text("Your answer is saved.")).to_be_visible()

        leader.reload()
        leader.get_by_role("link", name="Close the round").click()
        expect(leader.get_by_role("main")).to_contain_text("1 comment from the host city")
        walk.axe(leader, "confirm")
        leader.get_by_role("button", name="Close the round").click()
        expect(leader.get_by_text("The factual-accuracy round is closed.")).to_be_visible()
        leader.get_by_role("navigation", name="Breadcrumb").get_by_role(
            "link", name="Feedback report"
        ).click()
        leader.get_by_role("link", name="Make this version final").click()
        expect(leader.get_by_role("main")).to_contain_text("What becomes final")
        walk.axe(leader, "confirm")
        leader.get_by_role("button", name="Make version 1 final").click()
        expect(leader.get_by_text("Version 1 is the final report.")).to_be_visible()
        walk.axe(leader)

    # --- Step 7: the coordinator publishes the report -----------------------------------
    with walk.step("07e-publish"):
        coord.get_by_role("link", name="All reviews", exact=True).click()
        coord.get_by_role("link", name=TITLE).click()
        coord.get_by_role("link", name="Step 7: Feedback report").click()
        coord.get_by_role("link", name="Final report", exact=True).click()
        walk.axe(coord, "unpublished")
        coord.get_by_role("link", name="Publish to the host city").click()
        expect(coord.get_by_role("main")).to_contain_text("the host city (Anouk Host)")
        walk.axe(coord, "confirm")
        coord.get_by_role("button", name="Publish to the host city").click()
        expect(coord.get_by_text("The report is published to the host city.")).to_be_visible()

    # --- Step 7: the host city reads it and answers with the keyboard alone --------------
    deadline = timezone.localdate() + datetime.timedelta(days=200)
    with walk.step("07f-host-response-keyboard"):
        open_step(host, 7, "Feedback report", "Final report")
        walk.axe(host, "published")
        expect(host.get_by_text("Publish yearly targets per district.").first).to_be_visible()

        # Keyboard only from here: Tab, type, Space and Enter; no click() or fill().
        respond = host.get_by_role("link", name="Respond to the recommendations")
        tab_to(host, respond)
        host.keyboard.press("Enter")
        expect(host.get_by_role("heading", name="Your response to the report")).to_be_visible()
        walk.axe(host)
        answer = host.get_by_role("link", name="Answer recommendation 1", exact=True)
        tab_to(host, answer)
        host.keyboard.press("Enter")
        accept = host.get_by_label("Accept", exact=True)
        tab_to(host, accept)
        host.keyboard.press("Space")
        expect(accept).to_be_checked()
        owner = host.get_by_label("Owner")
        tab_to(host, owner)
        host.keyboard.type("Mrs. De Vries, head of integration")
        deadline_box = host.get_by_label("Deadline")
        tab_to(host, deadline_box)
        host.keyboard.type(deadline.strftime("%m%d%Y"))
        expect(deadline_box).to_have_value(deadline.isoformat())
        actions = host.get_by_label("First actions")
        tab_to(host, actions)
        host.keyboard.type("Appoint a project lead; draft targets with the districts.")
        walk.axe(host)
        save = host.get_by_role("button", name="Save the response")
        tab_to(host, save)
        host.keyboard.press("Enter")
        expect(host.get_by_text("Your response to recommendation 1 is saved.")).to_be_visible()
        walk.axe(host, "answered")
        plan = host.get_by_role("link", name="See the action plan")
        tab_to(host, plan)
        host.keyboard.press("Enter")

        expect(host.get_by_role("heading", name="Action plan of Rotterdam")).to_be_visible()
        commitments = host.get_by_role("table", name="Recommendations the city accepts")
        expect(
            commitments.get_by_role("cell", name="Mrs. De Vries, head of integration")
        ).to_be_visible()
        walk.axe(host)
