"""Dates and times read the same way everywhere: day first, the month in words, a 24-hour
clock, each language's own day and month names (config/formats/<language>/formats.py)."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from benchmarks.models import BenchmarkVersion
from core.spreadsheets import add_sheet, csv_text, new_workbook, workbook_bytes
from reviews.models import Notification, TrainingSession, VisitSession
from tests.test_follow_up import publish_report

# Tuesday 1 December 2026, 08:15 in Amsterdam (07:15 UTC).
MOMENT = datetime.datetime(2026, 12, 1, 7, 15, tzinfo=datetime.UTC)

US_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")
TWELVE_HOUR = re.compile(r"\b[ap]\.m\.|\b(?:noon|midnight)\b|\d ?[AP]M\b")
ABBREVIATION_DOT = re.compile(r"\b(?:Jan|Feb|Aug|Sept|Oct|Nov|Dec)\.")
# "Jan" is left out: it is a Dutch first name too (the cast has a Jan).
ENGLISH_NAMES = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Monday|Tuesday|Wednesday"
    r"|Thursday|Friday|Saturday|Sunday|Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b"
)
DUTCH_NAMES = re.compile(
    r"\b(?:januari|februari|maart|juni|juli|augustus|oktober|maandag|dinsdag|woensdag"
    r"|donderdag|vrijdag|zaterdag|zondag|mrt|okt|mei)\b|\b(?:ma|di|wo|do|vr|za|zo) \d"
)
# What each language writes for MOMENT, in each of the formats the outputs use.
EXPECTED = {
    "en": {
        "date": "1 Dec 2026",
        "datetime": "1 Dec 2026 08:15",
        "day": "Tue 1 Dec 08:15",
        "long_day": "Tuesday 1 December",
        "long_day_date": "Tuesday 1 December 2026, 08:15",
        "published": "Published on 1 Dec 2026",
    },
    "nl": {
        "date": "1 dec 2026",
        "datetime": "1 dec 2026 08:15",
        "day": "di 1 dec 08:15",
        "long_day": "dinsdag 1 december",
        "long_day_date": "dinsdag 1 december 2026, 08:15",
        "published": "Gepubliceerd op 1 dec 2026",
    },
}


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", text.replace("&nbsp;", " "))


def pdf_text(content: bytes) -> str:
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text)


def date_problems(text: str, language: str) -> list[str]:
    """Every US-style date, 12-hour time and other language's day or month name."""
    other = DUTCH_NAMES if language == "en" else ENGLISH_NAMES
    found = []
    for pattern in (US_DATE, TWELVE_HOUR, ABBREVIATION_DOT, other):
        found += [m.group(0) for m in pattern.finditer(text)]
    return found


@pytest.fixture
def dated(review_work, review, host, peer, team_leader):
    """One moment in the review's work, shown by every page and output below."""
    review.visit_start = MOMENT.date()
    review.visit_end = MOMENT.date()
    review.save()
    visit = VisitSession.objects.get(review=review)
    visit.starts_at = MOMENT
    visit.ends_at = MOMENT + datetime.timedelta(hours=1)
    visit.save()
    TrainingSession.objects.filter(review=review).update(date=MOMENT.date())
    Notification.objects.filter(user=host).update(created_at=MOMENT)
    BenchmarkVersion.objects.filter(pk=review.benchmark_version_id).update(published_at=MOMENT)
    return visit


def pages(review, visit) -> list[tuple[str, str, str]]:
    """(who, url, which expected text) of pages that show a date."""
    version = review.benchmark_version
    return [
        ("host", reverse("reviews:dashboard"), "datetime"),
        ("team_leader", reverse("reviews:team", args=[review.pk]), "date"),
        ("peer", reverse("reviews:schedule", args=[review.pk]), "day"),
        ("team_leader", reverse("reviews:planner", args=[review.pk]), "long_day"),
        ("peer", reverse("reviews:brief", args=[review.pk, visit.pk]), "long_day_date"),
        ("peer", version.get_absolute_url(), "published"),
    ]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_pages_write_dates_day_first_with_a_24_hour_clock_in_the_readers_language(
    client_for, review, dated, host, peer, team_leader, language
):
    people = {"host": host, "peer": peer, "team_leader": team_leader}
    for who, url, expected in pages(review, dated):
        client = client_for(people[who])
        client.cookies["django_language"] = language
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        assert EXPECTED[language][expected] in text, (url, expected)
        assert date_problems(text, language) == [], url


@pytest.mark.parametrize("language", ["en", "nl"])
def test_pdfs_write_dates_day_first_with_a_24_hour_clock_in_the_readers_language(
    client_for, review, dated, peer, team_leader, language
):
    publish_report(review, by=team_leader, published_at=MOMENT)
    client = client_for(peer)
    client.cookies["django_language"] = language
    outputs = [
        (reverse("reports:timetable_pdf", args=[review.pk]), "long_day"),
        (reverse("reports:brief_pdf", args=[review.pk, dated.pk]), "long_day_date"),
        (reverse("reports:action_plan_pdf", args=[review.pk]), "date"),
    ]
    for url, expected in outputs:
        response = client.get(url)
        assert response["Content-Type"] == "application/pdf", url
        text = pdf_text(response.content)
        assert EXPECTED[language][expected] in text, (url, text)
        assert date_problems(text, language) == [], url


def test_spreadsheet_dates_are_real_dates_shown_day_first_with_the_month_in_words():
    workbook = new_workbook()
    add_sheet(workbook, "dates", ["day", "moment"], [[MOMENT.date(), MOMENT]])
    sheet = load_workbook(io.BytesIO(workbook_bytes(workbook))).active
    day, moment = sheet["A2"], sheet["B2"]
    assert day.is_date and day.number_format == "d mmm yyyy"
    assert day.value.date() == MOMENT.date()
    # Spreadsheets have no time zones: the time as it is in Amsterdam.
    assert moment.is_date and moment.number_format == "d mmm yyyy hh:mm"
    assert moment.value == datetime.datetime(2026, 12, 1, 8, 15)


def test_csv_writes_moments_as_local_iso_8601():
    assert csv_text([[MOMENT.date(), MOMENT]]) == "2026-12-01,2026-12-01 08:15\r\n"


@pytest.mark.parametrize("language", ["en", "nl"])
def test_every_named_format_the_templates_use_is_defined_in_each_language(language):
    from django.utils import formats

    names = ["DAY_FORMAT", "LONG_DAY_FORMAT", "LONG_DATE_FORMAT", "LONG_DAY_DATE_FORMAT"]
    with translation.override(language):
        for name in names:
            assert formats.get_format(name) != name, name
            assert formats.date_format(timezone.localtime(MOMENT), name)
