"""No page nests a `<form>` in another or repeats an `id` (issue 12).

A `<form>` inside a `<form>` is closed by the browser at the first inner `</form>`: the
outer form's later fields and its submit button stop belonging to it, so "Save" sends
nothing. Duplicate ids break labels, error links and the `form` attribute of buttons.
Both are checked on every page the access matrix opens with 200 for any role, on a world
that also has files attached to self-assessments, and on every page of the demo reviews
for one member of each role.
"""

from __future__ import annotations

import io
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from reviews.demo import DEMO_REVIEW_TITLE, REPORTED_REVIEW_TITLE, VISIT_REVIEW_TITLE, load_demo
from reviews.models import Review, SelfAssessment
from reviews.services import add_attachment
from tests.conftest import PDF_BYTES
from tests.test_access_matrix import (
    ROLES,
    _url_for,
    all_url_names,
    no_pdf_rendering,  # noqa: F401 - the matrix's autouse fixture: PDFs are not rendered here
    row_for,
    world,  # noqa: F401 - the matrix's module-scoped world, extended below
)


class MarkupChecker(HTMLParser):
    """Collects forms opened inside a form (with their line) and every id attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open_forms: list[int] = []
        self.nested: list[str] = []
        self.ids: Counter[str] = Counter()

    def handle_starttag(self, tag, attrs) -> None:
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids[value] += 1
        if tag != "form":
            return
        line = self.getpos()[0]
        if self.open_forms:
            action = dict(attrs).get("action") or "(no action)"
            self.nested.append(
                f"<form action={action}> on line {line} inside the form of line "
                f"{self.open_forms[-1]}"
            )
        self.open_forms.append(line)

    def handle_startendtag(self, tag, attrs) -> None:
        # <form/> is not self-closing in HTML; count only its id.
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids[value] += 1

    def handle_endtag(self, tag) -> None:
        if tag == "form" and self.open_forms:
            self.open_forms.pop()


def markup_problems(html: str) -> list[str]:
    checker = MarkupChecker()
    checker.feed(html)
    checker.close()
    problems = [f"nested form: {entry}" for entry in checker.nested]
    duplicates = sorted(key for key, count in checker.ids.items() if count > 1)
    if duplicates:
        problems.append(f"duplicate ids: {duplicates}")
    return problems


def test_checker_finds_a_nested_form_and_duplicate_ids():
    html = (
        '<form id="outer" action="/save/"><input id="a">'
        '<form action="/remove/"><button>Remove</button></form>'
        '<input id="a"><input id="b"></form>'
    )
    assert markup_problems(html) == [
        "nested form: <form action=/remove/> on line 1 inside the form of line 1",
        "duplicate ids: ['a']",
    ]


def test_checker_accepts_sibling_forms_and_a_button_for_another_form():
    html = (
        '<form id="save"><input id="a"><button form="remove-1">Remove</button></form>'
        '<form id="remove-1" action="/remove/"></form>'
    )
    assert markup_problems(html) == []


def _html(response) -> str | None:
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return None
    return response.content.decode()


@pytest.fixture(scope="module")
def attached_world(world, django_db_blocker):  # noqa: F811 - the imported fixture
    """The matrix's world, plus self-assessments with files in the group the matrix opens
    (two on one indicator, one on another), so the attachment lists render."""
    with django_db_blocker.unblock():
        review = Review.objects.get(pk=world.review.pk)
        group = review.indicators_in_scope().first().group_id
        indicators = list(review.indicators_in_scope().filter(group_id=group)[:2])
        for indicator, names in zip(
            indicators, (["plan.pdf", "decision.pdf"], ["budget.pdf"]), strict=True
        ):
            assessment = SelfAssessment.objects.create(
                report=review.inception_report, indicator=indicator, achieved="A plan."
            )
            for name in names:
                add_attachment(
                    review=review,
                    upload=SimpleUploadedFile(name, PDF_BYTES),
                    by=world.cast["host"],
                    assessment=assessment,
                )
    return world


GET_NAMES = [name for name in all_url_names() if row_for(name).method == "get"]


@pytest.mark.parametrize("name", GET_NAMES)
def test_matrix_pages_have_no_nested_forms_or_duplicate_ids(name, attached_world, db, client):
    review = Review.objects.get(pk=attached_world.review.pk)
    url = _url_for(name, review, attached_world.versions)
    row = row_for(name)
    found = {}
    for role in ROLES:
        if getattr(row, role) != 200:
            continue
        if role in attached_world.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = attached_world.sessions[role]
        else:
            client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
        html = _html(client.get(url))
        if html is not None and (problems := markup_problems(html)):
            found[role] = problems
    assert found == {}, f"{url}: {found}"


def test_the_self_assessment_page_with_files_is_among_the_pages_checked(attached_world, db):
    """The case that started this: a group page listing attachments (issue 12)."""
    review = Review.objects.get(pk=attached_world.review.pk)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = attached_world.sessions["host"]
    html = client.get(_url_for("reviews:inception_group", review)).content.decode()
    assert "plan.pdf" in html and "budget.pdf" in html


def _demo_url(name: str, review) -> str | None:
    """The URL of `name` for a demo review, or None where the demo has no such object."""
    try:
        return _url_for(name, review)
    except (AttributeError, ObjectDoesNotExist):  # e.g. no visit session, no report yet
        return None


@pytest.fixture
def demo(db):
    """The demo reviews as `python manage.py load_demo` builds them (after the benchmarks)."""
    call_command("load_benchmarks", stdout=io.StringIO())
    load_demo(today=timezone.localdate())
    titles = [DEMO_REVIEW_TITLE, VISIT_REVIEW_TITLE, REPORTED_REVIEW_TITLE]
    return list(Review.objects.filter(title__in=titles).order_by("pk"))


# The review's pages (the files it serves are not HTML; reports: are all files).
DEMO_NAMES = [name for name in GET_NAMES if name.startswith("reviews:") and name != "reviews:file"]


def test_demo_review_pages_have_no_nested_forms_or_duplicate_ids(demo):
    """Every page of each demo review (steps 3, 5 and 7) for one member of each role."""
    assert len(demo) == 3
    found = {}
    checked = 0
    for review in demo:
        people = {}
        for membership in review.memberships.select_related("user").order_by("pk"):
            people.setdefault(membership.role, membership.user)
        urls = [url for name in DEMO_NAMES if (url := _demo_url(name, review)) is not None]
        for role, user in people.items():
            client = Client()
            client.force_login(user, backend="cities.backends.EmailBackend")
            for url in urls:
                html = _html(client.get(url))
                if html is None:
                    continue
                checked += 1
                if problems := markup_problems(html):
                    found[(review.title, role, url)] = problems
    assert found == {}
    assert checked > 100  # the walk reached the pages, not only refusals
