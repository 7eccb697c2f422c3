"""Spreadsheet and CSV responses; every cell goes through `core.spreadsheets`."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpResponse

from core.spreadsheets import CSV_TYPE, XLSX_TYPE, add_sheet, csv_text, new_workbook, workbook_bytes


def xlsx_response(
    filename: str, title: str, header: Sequence, rows, *, date_columns: Sequence[int] = ()
) -> HttpResponse:
    workbook = new_workbook()
    add_sheet(workbook, title, header, rows, date_columns=date_columns)
    return _download(workbook_bytes(workbook), XLSX_TYPE, filename)


def csv_response(filename: str, rows) -> HttpResponse:
    return _download(csv_text(rows), CSV_TYPE, filename)


def _download(body, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
