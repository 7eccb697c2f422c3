"""One column definition per table, read by its page, its PDF and its spreadsheet."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise | str
    # The plain value a spreadsheet cell holds (None for a column only pages draw).
    value: Callable | None = None
    screen: bool = True  # drawn in the page's and the PDF's table
    sheet: bool = True  # written to the spreadsheet

    def __post_init__(self):
        if self.sheet and self.value is None:
            raise ValueError(f"column {self.key} needs a value for the spreadsheet")


def screen_columns(columns: Sequence[Column]) -> list[Column]:
    return [c for c in columns if c.screen]


def sheet_header(columns: Sequence[Column]) -> list[str]:
    return [str(c.label) for c in columns if c.sheet]


def sheet_row(columns: Sequence[Column], row) -> list:
    return [_plain(c.value(row)) for c in columns if c.sheet]


def _plain(value):
    return str(value) if isinstance(value, Promise) else value
