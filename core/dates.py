"""Dates people type: refuse the impossible, warn about the odd, next to the field.

A form with `DateChecksMixin` says, in `check_dates(data)`, which dates cannot be (a
deadline before the review opened, a visit that ends before it starts) and which are only
odd (a date in the past, years ahead). An impossible date is a field error: nothing is
saved. An odd one never blocks for good: the first save comes back with the warning under
its field and a "Save anyway" box; saving again with the box ticked keeps the dates as typed.
Nothing typed is lost either way (the form is shown again as it was sent).

Warnings are only given for dates the person changed, so an old review's past dates do not
nag at every later edit.
"""

from __future__ import annotations

import datetime

from django import forms
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

SAVE_ANYWAY = "save_anyway"


def as_date(value) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def shown(value) -> str:
    return formats.date_format(as_date(value), "DATE_FORMAT")


class DateChecks:
    """What `check_dates` fills in: `refuse` and `warn`, field by field."""

    def __init__(self, changed: set[str], today: datetime.date) -> None:
        self.changed = changed
        self.today = today
        self.errors: dict[str, str] = {}
        self.warnings: dict[str, str] = {}

    def refuse(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def warn(self, name: str, message: str) -> None:
        if name in self.changed:
            self.warnings.setdefault(name, message)

    def usual(self, name: str, value, *, years_ahead: int = 3, past: bool = True) -> None:
        """The odd dates of any field: in the past, or more than `years_ahead` years ahead."""
        day = as_date(value)
        if day is None:
            return
        if past and day < self.today:
            self.warn(name, _("This date is in the past."))
        if day > self.today + datetime.timedelta(days=365 * years_ahead):
            self.warn(
                name,
                _("This date is more than %(n)s years ahead.") % {"n": years_ahead},
            )


class DateChecksMixin:
    def check_dates(self, data: dict, checks: DateChecks) -> None:  # pragma: no cover
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        checks = DateChecks(set(self.changed_data), timezone.localdate())
        self.check_dates(data, checks)
        for name, message in checks.errors.items():
            if name in data:  # a field already in error keeps its own message
                self.add_error(name, message)
        warnings = {n: m for n, m in checks.warnings.items() if n not in self.errors}
        self.date_warnings = warnings
        for name, message in warnings.items():
            field = self.fields[name]
            field.help_text = format_html(
                '<strong class="text-warning-emphasis">{} {}</strong> {}',
                _("Check:"),
                message,
                field.help_text,
            )
            # The bound field read the help text when it was first built (during cleaning).
            self[name].help_text = field.help_text
        if warnings and not self.errors and not self.data.get(SAVE_ANYWAY):
            self.fields[SAVE_ANYWAY] = forms.BooleanField(
                label=_("Save anyway"),
                required=False,
                help_text=_("The dates marked “Check” are as intended."),
            )
            self.add_error(
                SAVE_ANYWAY,
                _("Some dates look odd: correct them, or tick this box to keep them."),
            )
        return data
