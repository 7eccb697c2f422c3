"""English dates as Europeans read them: day before month, month in words, 24-hour clock.

No all-number dates ("04/05/2026" is April to some readers and May to others). Besides
Django's own names, templates use the extra names below with the `date` filter, e.g.
`{{ day|date:"DAY_FORMAT" }}`; config/formats/nl/formats.py defines the same names.
"""

DATE_FORMAT = "j M Y"  # 1 Dec 2026
DATETIME_FORMAT = "j M Y, H:i"  # 1 Dec 2026, 08:15
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"

# The project's own names.
DAY_FORMAT = "D j M"  # Tue 1 Dec
LONG_DAY_FORMAT = "l j F"  # Tuesday 1 December
LONG_DATE_FORMAT = "j F Y"  # 1 December 2026
LONG_DAY_DATE_FORMAT = "l j F Y"  # Tuesday 1 December 2026

# Typed dates are read as ISO first (the date pickers send 2026-12-01), then day first.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y"]
