"""Dutch dates: day before month, month in words (lower case, as Dutch writes them), 24-hour
clock. The same names as config/formats/en/formats.py."""

DATE_FORMAT = "j b Y"  # 1 dec 2026
DATETIME_FORMAT = "j b Y, H:i"  # 1 dec 2026, 08:15
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "j b Y"
SHORT_DATETIME_FORMAT = "j b Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"

# The project's own names.
DAY_FORMAT = "D j b"  # di 1 dec
LONG_DAY_FORMAT = "l j F"  # dinsdag 1 december
LONG_DATE_FORMAT = "j F Y"  # 1 december 2026
LONG_DAY_DATE_FORMAT = "l j F Y"  # dinsdag 1 december 2026
