"""Every spreadsheet and CSV the app writes goes through here, so that text people typed
stays text.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be
read by Excel or LibreOffice as a formula (OWASP, "CSV Injection"): a host city's text
could run in a coordinator's spreadsheet. In XLSX such text is written as a string cell
with Excel's own quote prefix, so it shows exactly as typed and never calculates; in CSV,
which has no types, it gets a leading apostrophe, as OWASP advises. Numbers, dates and
booleans are left alone.

Dates and times are stored as real spreadsheet dates (they sort and calculate) and shown
day first with the month in words and a 24-hour clock, as the pages show them: never as
"04/05/2026", which readers on either side of the Atlantic read differently.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
DATE_NUMBER_FORMAT = "d mmm yyyy"  # 1 Dec 2026
DATETIME_NUMBER_FORMAT = "d mmm yyyy hh:mm"  # 1 Dec 2026 08:15


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value):
    """The value as CSV should hold it: formula-like text behind an apostrophe."""
    if value is None:
        return ""
    kind = type(value)  # the common kinds first: a network's CSV has ~50,000 cells
    if kind is str:
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if kind is int or kind is float:
        return value
    if isinstance(value, datetime.datetime):
        # CSV has no types: ISO 8601, which no reader takes for another date.
        return _plain(value).isoformat(" ", "minutes")
    if isinstance(value, str | int | float | datetime.date):
        return "'" + value if is_formula_like(value) else value
    return str(value)


def csv_text(rows: Iterable[Sequence]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue()


def append_row(sheet: Worksheet, values: Sequence, *, bold: bool = False) -> None:
    """Append one row; text is always stored as text (never as a formula)."""
    sheet.append([_plain(value) for value in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if is_formula_like(cell.value):
                cell.quotePrefix = True
        elif isinstance(cell.value, datetime.datetime):
            cell.number_format = DATETIME_NUMBER_FORMAT
        elif isinstance(cell.value, datetime.date):
            cell.number_format = DATE_NUMBER_FORMAT
        if bold:
            cell.font = Font(bold=True)


def add_sheet(
    workbook: Workbook,
    title: str,
    header: Sequence,
    rows: Iterable[Sequence],
    *,
    date_columns: Sequence[int] = (),
) -> Worksheet:
    """A sheet with a bold header row. Date cells always show as dates; `date_columns`
    (0-based) also give that format to the column's empty cells."""
    sheet = workbook.create_sheet(_sheet_title(title))
    append_row(sheet, header, bold=True)
    for row in rows:
        append_row(sheet, row)
    for index in date_columns:
        for cell in list(sheet.iter_cols(min_col=index + 1, max_col=index + 1, min_row=2))[0]:
            cell.number_format = DATE_NUMBER_FORMAT
    return sheet


def new_workbook() -> Workbook:
    """An empty workbook (without openpyxl's default sheet)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _plain(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        # Spreadsheets have no time zones: the time as people here read it.
        return timezone.localtime(value).replace(tzinfo=None)
    if value is None or isinstance(value, str | int | float | bool | datetime.date):
        return value
    return str(value)


def _sheet_title(title: str) -> str:
    # Excel allows 31 characters and none of []:*?/\ in a sheet's name.
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(title))
    return cleaned[:31] or "Sheet"
