"""Playwright drives Debian's Chromium (never a downloaded browser) against live_server.

Every page a browser test opens must also fit a tablet: at 820 px wide nothing may stick
out sideways (`document.documentElement.scrollWidth <= clientWidth`). `assert_accessible`
checks the page as it is at that moment; after each test, every other page the test's
browser loaded is opened again at that width and checked too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

# A loaded 2-core machine (the suite and a PDF render at once) can take longer than
# Playwright's 5 s to show a page after a POST; a real failure still fails, later.
expect.set_options(timeout=15_000)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
# A desktop screen: the top bar is a row from 1400 px on, a menu below (templates/base.html).
DESKTOP = {"width": 1440, "height": 900}
TABLET_WIDTH = 820  # an iPad Air held upright

# None when the page fits; otherwise its width and the elements that stick out furthest.
SIDEWAYS_OVERFLOW_JS = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + [...el.classList].map((c) => "." + c).join("");
  const wide = [...document.body.querySelectorAll("*")]
    .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1)
    .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)
    .slice(0, 4).map(name);
  return `${root.scrollWidth} px wide (screen ${root.clientWidth} px): ${wide.join(", ")}`;
}"""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESKTOP}


@pytest.fixture(scope="session")
def browser(browser):
    """Contexts a test opens itself get the desktop screen as well (Playwright's own default,
    1280 px, would show the top bar as a menu)."""
    new_context = browser.new_context

    def desktop_context(**kwargs):
        kwargs.setdefault("viewport", DESKTOP)
        return new_context(**kwargs)

    browser.new_context = desktop_context
    return browser


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def sideways_overflow_on_a_tablet(page) -> str | None:
    """What sticks out of `page`, as it is now, on a screen 820 px wide (None: nothing)."""
    size = page.viewport_size or DESKTOP
    page.set_viewport_size({"width": TABLET_WIDTH, "height": size["height"]})
    try:
        return page.evaluate(SIDEWAYS_OVERFLOW_JS)
    finally:
        page.set_viewport_size(size)


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core on the current page and check that it fits a tablet; fail with the rule
    ids and nodes, or what sticks out, if anything is found."""

    def check(page) -> None:
        results = axe.run(page)
        violations = results.response["violations"]
        details = [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
            for v in violations
        ]
        assert not details, f"axe on {page.url}: {details}"
        overflow = sideways_overflow_on_a_tablet(page)
        assert overflow is None, f"at {TABLET_WIDTH} px, {page.url} is {overflow}"

    return check


class TabletCheck:
    """Notes every page the watched browser pages load, then opens each again at tablet
    width in the same browser context (so as the same signed-in person) and notes what
    sticks out. Only after a test that passed: a failure needs no second report."""

    def __init__(self, node) -> None:
        self.node = node
        self.urls: dict = {}  # context -> its loaded URLs in order, each once
        self.problems: list[str] = []

    def watch(self, page) -> None:
        urls = self.urls.setdefault(page.context, {})
        page.on("load", lambda loaded: urls.setdefault(loaded.url, None))

    def check(self, context) -> None:
        """Check the pages `context` loaded; call it before the context is closed."""
        urls = [u for u in self.urls.pop(context, {}) if u.startswith("http")]
        report = getattr(self.node, "rep_call", None)
        if not urls or report is None or not report.passed:
            return
        tablet = context.new_page()
        tablet.set_viewport_size({"width": TABLET_WIDTH, "height": DESKTOP["height"]})
        try:
            for url in urls:
                try:
                    response = tablet.goto(url)
                except PlaywrightError:  # an empty 405: a POST's answer, no page to GET
                    continue
                if response is not None and response.status == 405:
                    continue
                overflow = tablet.evaluate(SIDEWAYS_OVERFLOW_JS)
                if overflow:
                    self.problems.append(f"{url} is {overflow}")
        finally:
            tablet.close()


@pytest.fixture(autouse=True)
def every_page_fits_a_tablet(request):
    """After a browser test that passed, every page it loaded fits 820 px wide."""
    if "page" not in request.fixturenames:
        yield None
        return
    tablet_check = TabletCheck(request.node)
    page = request.getfixturevalue("page")
    tablet_check.watch(page)
    yield tablet_check
    tablet_check.check(page.context)
    assert not tablet_check.problems, f"at {TABLET_WIDTH} px: {tablet_check.problems}"


@pytest.fixture
def sign_in(live_server):
    def do(page, email: str, password: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("E-mail address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/reviews/")

    return do


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep a screenshot of the page when a browser test fails."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report  # every_page_fits_a_tablet checks only after a passed test
    if report.when == "call" and report.failed and "page" in item.funcargs:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        item.funcargs["page"].screenshot(path=str(SCREENSHOTS / f"{item.name}.png"), full_page=True)


@pytest.fixture
def second_page(browser, every_page_fits_a_tablet):
    """A page in its own browser context (another person), closed after the test; the pages
    it loads are checked at tablet width like the first page's."""
    context = browser.new_context()
    page = context.new_page()
    if every_page_fits_a_tablet is not None:
        every_page_fits_a_tablet.watch(page)
    yield page
    if every_page_fits_a_tablet is not None:
        every_page_fits_a_tablet.check(context)
    context.close()
