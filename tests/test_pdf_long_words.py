"""Nothing a person wrote is cut off in a PDF: a 2,000-character word wraps inside the page,
a long note in a table row runs on to the next page, and codes stay in one piece.

pypdf's text extraction puts a line break where the text wraps, so the text is compared with
all whitespace removed; and since it also extracts text drawn beyond the page's edge, no
extracted line may be longer than a page's line can be. A narrow table column cannot hold a
2,000-letter word on one page: the cell runs on to the next, where the page's header and the
other cells of the row come in between, so there the word is made of one letter that
appears nowhere else and its letters are counted.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reviews.models import (
    BackgroundSection,
    Finding,
    HostResponse,
    ProposedInterviewee,
    Recommendation,
    VisitSession,
)
from reviews.services.feedback_report import ensure_report
from tests.test_follow_up import publish_report

# One "word" of 2,000 letters, and one that ends in digits so it is easy to tell apart.
LONG_WORD = "Integratie" + "beleidsmonitoring" * 117 + "X2000"
# For narrow columns: 2,000 of one letter no page has otherwise, and of another one.
NARROW = "Ŵ" * 190  # still far wider than a column; fits the 200-character fields on PostgreSQL
OTHER_NARROW = "Ŷ" * 2000
# A note of 800 words: longer than a landscape page, so its table row must break.
LONG_NOTE = " ".join(f"stap{n}" for n in range(800))


# A line across a landscape A4 page in the smallest print size holds far fewer characters.
LONGEST_LINE = 250


def pdf_text(content: bytes) -> str:
    """The PDF's text without whitespace; fails if a line runs off the page."""
    text = "\n".join(pdf_pages(content))
    longest = max(text.splitlines(), key=len)
    assert len(longest) < LONGEST_LINE, f"a line runs off the page: {longest[:80]}..."
    return re.sub(r"\s+", "", text)


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def wordy(review_work, review, host, peer, team_leader):
    """Review work in which people wrote one very long word everywhere a PDF shows it."""
    review.visit_start = review.visit_end = datetime.date(2027, 3, 1)
    review.save()
    BackgroundSection.objects.filter(report=review.inception_report).update(
        text=f"The port city. {LONG_WORD} And more."
    )
    person = ProposedInterviewee.objects.get(review=review)
    person.organisation = f"Council {NARROW}"
    person.save()
    session = VisitSession.objects.get(review=review)
    session.location = f"Room {NARROW}"
    session.save()
    report = ensure_report(review)
    section = report.sections.first()
    Finding.objects.create(section=section, kind="strength", text=f"Strong {LONG_WORD} plan.")
    first = Recommendation.objects.create(
        section=section,
        text=f"Monitor {LONG_WORD} yearly (GG/A/2).",
        priority=Recommendation.HIGH,
        timeframe="12m",
        actor="Integration department",
        measure="A yearly monitoring report",
    )
    _report, (second,) = publish_report(review, by=team_leader, recommendations=1)
    HostResponse.objects.create(
        recommendation=first,
        decision=HostResponse.ACCEPT,
        owner=f"Office {NARROW}",
        first_actions=LONG_NOTE,
    )
    HostResponse.objects.create(
        recommendation=second,
        decision=HostResponse.DECLINE,
        rationale=f"Not now: {OTHER_NARROW}.",
    )
    return session


def render(client, name: str, *args) -> bytes:
    response = client.get(reverse(f"reports:{name}", args=args))
    assert response["Content-Type"] == "application/pdf", name
    return response.content


def test_a_long_word_is_never_cut_off_in_the_inception_brief_and_timetable_pdfs(
    client_for, review, wordy, peer, coordinator
):
    inception = pdf_text(render(client_for(coordinator), "inception_pdf", review.pk))
    assert f"Theportcity.{LONG_WORD}Andmore." in inception
    assert inception.count("Ŵ") == len(NARROW)  # the interviewees' narrow column
    timetable = pdf_text(render(client_for(peer), "timetable_pdf", review.pk))
    assert timetable.count("Ŵ") == len(NARROW)  # the session's place, in its day's column
    brief = pdf_text(render(client_for(peer), "brief_pdf", review.pk, wordy.pk))
    assert brief.count("Ŵ") == 2 * len(NARROW)  # the place and the interviewee's organisation


def test_a_long_word_and_a_long_note_are_never_cut_off_in_the_action_plan_pdf(
    client_for, review, wordy, host
):
    pdf = render(client_for(host), "action_plan_pdf", review.pk)
    text = pdf_text(pdf)
    assert text.count("Ŵ") == len(NARROW)  # the owner's column
    assert text.count("Ŷ") == len(OTHER_NARROW)  # the reason a recommendation is declined
    # The note runs on over the next pages: every one of its words is there.
    assert set(re.findall(r"stap\d+", text)) == set(LONG_NOTE.split())
    # The code stays whole: "GG/A/2", never "GG/A/" at the end of one line and "2" on the next.
    assert "(GG/A/2)" in " ".join(pdf_pages(pdf))


def test_a_long_word_is_never_cut_off_in_the_report_pdf(client_for, review, wordy, team_leader):
    text = pdf_text(render(client_for(team_leader), "report_pdf", review.pk))
    assert f"Strong{LONG_WORD}plan." in text
    assert f"Monitor{LONG_WORD}yearly(GG/A/2)." in text
