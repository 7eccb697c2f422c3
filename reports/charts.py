"""Pictures shared by pages and PDFs, as plain data an inline-SVG template draws."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from reviews.models.evidence import STATE_FILL
from reviews.services.report_content import state_label

CELL = 18  # one indicator's square, in px
GAP = 4
LABEL_WIDTH = 60
HEADER_HEIGHT = 22


@dataclass(frozen=True)
class Square:
    x: int
    y: int
    fill: str
    title: str


def evidence_matrix(matrix, statuses: dict, *, state_labels: dict) -> dict:
    """Groups as rows, values (or one column) as columns; one square per indicator in its
    status colour: the confirmed colour, purple when contradictory, grey when unconfirmed,
    white without evidence. Indicators without a status (outside the scope) are left out."""
    columns = [v.code for v in matrix.values] or [""]
    per_cell = [
        [
            [i for i in (cell if matrix.values else row.indicators) if i.pk in statuses]
            for cell in (row.cells if matrix.values else [row.indicators])
        ]
        for row in matrix.rows
    ]
    widest = max((len(cell) for row in per_cell for cell in row), default=1) or 1
    per_line = min(widest, 6)
    lines = max(-(-widest // per_line), 1)
    cell_w = per_line * (CELL + 2) + GAP
    cell_h = lines * (CELL + 2) + GAP
    squares, row_labels = [], []
    for r, (row, cells) in enumerate(zip(matrix.rows, per_cell, strict=True)):
        y0 = HEADER_HEIGHT + r * cell_h
        row_labels.append({"y": y0 + cell_h // 2, "text": row.group.code})
        for c, indicators in enumerate(cells):
            x0 = LABEL_WIDTH + c * cell_w
            for n, indicator in enumerate(indicators):
                status = statuses[indicator.pk]
                fill = (
                    status.confirmed[0].colour
                    if status.state == "confirmed"
                    else STATE_FILL[status.state]
                )
                label = (
                    status.confirmed[0].label
                    if status.state == "confirmed"
                    else state_labels[status.state]
                )
                squares.append(
                    Square(
                        x0 + (n % per_line) * (CELL + 2),
                        y0 + (n // per_line) * (CELL + 2),
                        fill,
                        f"{indicator.code}: {label}",
                    )
                )
    return {
        "width": LABEL_WIDTH + len(columns) * cell_w,
        "height": HEADER_HEIGHT + len(matrix.rows) * cell_h,
        "cell": CELL,
        "columns": [
            {"x": LABEL_WIDTH + c * cell_w, "text": code} for c, code in enumerate(columns)
        ],
        "rows": row_labels,
        "squares": squares,
    }


# --- The feedback report's pictures, drawn from a version's content (reviews.services.report_content) -----
# They read only the content dict, never the models: a frozen version draws the same later.

BAR_WIDTH = 360  # the longest group's bar, in px
BAR_HEIGHT = 16
BAR_GAP = 10
BAR_LABEL_WIDTH = 150
LABEL_LINE = 13  # one line of a bar's label (11 px type)
LABEL_CHARACTERS = 24  # what one line of BAR_LABEL_WIDTH holds


def label_lines(text: str) -> list[str]:
    """A group's label in lines of whole words that fit the label column; a single word
    longer than a line is the only thing ever broken."""
    return textwrap.wrap(text, LABEL_CHARACTERS) or [""]


LEGEND_ROW = 18
_LAST_STATES = ("contradictory", "unconfirmed", "none")


def _group_rows(content: dict) -> list[tuple[str, str]]:
    """(code, name) of each group: the report's sections in order, then any other group an
    indicator names (a content dict should not have any, but draw them rather than drop)."""
    rows = [(s["key"], s["name"]) for s in content.get("sections", [])]
    seen = {code for code, _name in rows}
    for indicator in content.get("indicators", []):
        if indicator["group"] not in seen:
            seen.add(indicator["group"])
            rows.append((indicator["group"], indicator["group"]))
    return rows


def _legend(content: dict) -> list[dict]:
    """One entry per colour used: confirmed colours in order of first use, then
    contradictory, unconfirmed and no evidence."""
    first, last = {}, {}
    for indicator in content.get("indicators", []):
        key = (indicator["fill"], state_label(indicator))
        target = last if indicator["state"] in _LAST_STATES else first
        target.setdefault(key, indicator["state"])
    ordered = list(first) + sorted(last, key=lambda k: _LAST_STATES.index(last[k]))
    return [{"fill": fill, "label": label} for fill, label in ordered]


def _place_legend(legend: list[dict], top: int) -> list[dict]:
    return [
        {**entry, "x": 0, "y": top + n * LEGEND_ROW, "text_y": top + n * LEGEND_ROW + 10}
        for n, entry in enumerate(legend)
    ]


def heatmap(content: dict) -> dict:
    """The evidence matrix of a report: groups as rows, values as columns (one column when
    the benchmark has none), one square per indicator in its status colour, and a legend.
    Same geometry as `evidence_matrix`, read from a content dict."""
    values = [v["code"] for v in content.get("values", [])]
    columns = values or [""]
    rows = _group_rows(content)
    cells: dict[tuple[str, str], list[dict]] = {}
    for indicator in content.get("indicators", []):
        column = indicator["value"] if values and indicator["value"] in values else columns[0]
        cells.setdefault((indicator["group"], column), []).append(indicator)
    widest = max((len(cell) for cell in cells.values()), default=1) or 1
    per_line = min(widest, 6)
    lines = max(-(-widest // per_line), 1)
    cell_w = per_line * (CELL + 2) + GAP
    cell_h = lines * (CELL + 2) + GAP
    squares, row_labels = [], []
    for r, (code, name) in enumerate(rows):
        y0 = HEADER_HEIGHT + r * cell_h
        row_labels.append({"y": y0 + cell_h // 2, "text": code, "name": name})
        for c, column in enumerate(columns):
            x0 = LABEL_WIDTH + c * cell_w
            for n, indicator in enumerate(cells.get((code, column), [])):
                squares.append(
                    Square(
                        x0 + (n % per_line) * (CELL + 2),
                        y0 + (n // per_line) * (CELL + 2),
                        indicator["fill"],
                        f"{indicator['code']}: {state_label(indicator)}",
                    )
                )
    grid_height = HEADER_HEIGHT + len(rows) * cell_h
    legend = _place_legend(_legend(content), grid_height + 8)
    return {
        "width": max(LABEL_WIDTH + len(columns) * cell_w, 260),
        "height": grid_height + 8 + len(legend) * LEGEND_ROW,
        "cell": CELL,
        "columns": [
            {"x": LABEL_WIDTH + c * cell_w, "text": code} for c, code in enumerate(columns)
        ],
        "rows": row_labels,
        "squares": squares,
        "legend": legend,
        "count": len(content.get("indicators", [])),
    }


def group_bars(content: dict, *, group: str | None = None) -> dict:
    """Per group a stacked horizontal bar: how many indicators are in each status colour,
    on one scale for all groups (the longest bar is the group with most indicators), with a
    legend. With `group`, only that group's bar (a report section's own picture)."""
    legend = _legend(content)
    order = {(e["fill"], e["label"]): n for n, e in enumerate(legend)}
    counts: dict[str, dict[tuple[str, str], int]] = {}
    for indicator in content.get("indicators", []):
        per_group = counts.setdefault(indicator["group"], {})
        key = (indicator["fill"], state_label(indicator))
        per_group[key] = per_group.get(key, 0) + 1
    rows = [r for r in _group_rows(content) if group is None or r[0] == group]
    longest = max((sum(counts.get(code, {}).values()) for code, _n in rows), default=0) or 1
    unit = BAR_WIDTH / longest
    label_width = BAR_LABEL_WIDTH if group is None else 0
    bars = []
    y = 0
    for code, name in rows:
        # The label in whole words, on as many lines as it needs (never cut mid-word).
        lines = label_lines(f"{code} {name}") if label_width else []
        row_height = max(BAR_HEIGHT, len(lines) * LABEL_LINE)
        x = label_width
        segments = []
        for key in sorted(counts.get(code, {}), key=order.__getitem__):
            count = counts[code][key]
            width = round(count * unit, 1)
            segments.append(
                {
                    "x": round(x, 1),
                    "width": width,
                    "fill": key[0],
                    "label": key[1],
                    "count": count,
                    "title": f"{code}: {key[1]}: {count}",
                }
            )
            x += width
        bars.append(
            {
                "code": code,
                "name": name,
                "label": [
                    {"text": text, "y": y + LABEL_LINE * n + 11} for n, text in enumerate(lines)
                ],
                "y": y,
                "text_y": y + BAR_HEIGHT // 2 + 4,
                "segments": segments,
                "total": sum(s["count"] for s in segments),
                "total_x": round(x, 1) + 6,
            }
        )
        y += row_height + BAR_GAP
    used: dict[tuple[str, str], int] = {}
    for bar in bars:
        for s in bar["segments"]:
            used[s["fill"], s["label"]] = used.get((s["fill"], s["label"]), 0) + s["count"]
    legend = [
        {**e, "count": used[e["fill"], e["label"]]}
        for e in legend
        if (e["fill"], e["label"]) in used
    ]
    top = y + 4
    return {
        "width": label_width + BAR_WIDTH + 40,
        "height": top + len(legend) * LEGEND_ROW,
        "bar_height": BAR_HEIGHT,
        "bars": bars,
        "legend": _place_legend(legend, top),
    }


# --- The spread of a programme's ratings across cities (comparisons.matrix) --------------


def spread_bars(rows: list[tuple[str, list[tuple[str, str, int]]]], *, share=False) -> dict:
    """Per row (a group) a stacked bar of how many ratings sit at each level of the scale,
    the levels in the scale's order and the rows in the benchmark's: a spread, never a rank.
    `rows` holds (label, [(colour, level label, count), ...]). With `share`, every bar is
    the full width (each level's share of the row's ratings), so rows of different sizes
    (one city, a network) compare; the number after a bar is still its count."""
    longest = max((sum(n for _c, _l, n in levels) for _label, levels in rows), default=0) or 1
    bars, y = [], 0
    for label, levels in rows:
        total = sum(n for _c, _l, n in levels)
        unit = BAR_WIDTH / ((total or 1) if share else longest)
        lines = label_lines(label)
        row_height = max(BAR_HEIGHT, len(lines) * LABEL_LINE)
        x = BAR_LABEL_WIDTH
        segments = []
        for colour, level_label, count in levels:
            if not count:
                continue
            width = round(count * unit, 1)
            segments.append(
                {
                    "x": round(x, 1),
                    "width": width,
                    "fill": colour,
                    "title": f"{label}: {level_label}: {count}",
                }
            )
            x += width
        bars.append(
            {
                "label": [
                    {"text": text, "y": y + LABEL_LINE * n + 11} for n, text in enumerate(lines)
                ],
                "y": y,
                "text_y": y + BAR_HEIGHT // 2 + 4,
                "segments": segments,
                "total": sum(n for _c, _l, n in levels),
                "total_x": round(x, 1) + 6,
            }
        )
        y += row_height + BAR_GAP
    top = y + 4
    legend = [
        {"fill": colour, "label": level_label, "count": None}
        for colour, level_label, _n in (rows[0][1] if rows else [])
    ]
    return {
        "width": BAR_LABEL_WIDTH + BAR_WIDTH + 40,
        "height": top + len(legend) * LEGEND_ROW,
        "bar_height": BAR_HEIGHT,
        "bars": bars,
        "legend": _place_legend(legend, top),
    }


# --- One city against the network, and its trend (comparisons.city) ---------------------


def network_bars(network: dict, *, city_label: str) -> dict:
    """The city against the network (`reviews.services.network`): per group two full-width
    bars, the city's ratings and the network's, each level's share in the scale's colours.
    Read from the plain dict only, so a frozen report annex draws the same later."""
    levels = network.get("levels", [])
    network_label = _("network")
    rows = []
    for group in network.get("groups", []):
        name = f"{group['code']} {group['name']}"
        for label, counts in ((city_label, group["city"]), (network_label, group["network"])):
            rows.append(
                (
                    f"{name}: {label}",
                    [(lv["colour"], lv["label"], n) for lv, n in zip(levels, counts, strict=True)],
                )
            )
    return spread_bars(rows, share=True)


INDEX_CITY = "#1f5f8b"  # the city's score
INDEX_NETWORK = "#adb5bd"  # the network's average


def index_bars(network: dict, *, city_label: str) -> dict:
    """The city against the network for an index benchmark (`reviews.services.network`
    `_index`): per group, then the index, a bar of the city's score and one of the
    network's average, both on 0-100 (100 is the full width). A missing score draws no
    bar and reads "—". Read from the plain dict only, like `network_bars`."""
    network_label = _("network average")
    rows = []
    for group in network.get("groups", []):
        average = (group.get("network") or {}).get("mean")
        rows.append((f"{group['code']} {group['name']}", group.get("city"), average))
    index = network.get("index") or {}
    rows.append((_("Index"), index.get("city"), (index.get("network") or {}).get("mean")))
    bars, y = [], 0
    for name, city, average in rows:
        for label, score, fill in (
            (city_label, city, INDEX_CITY),
            (network_label, average, INDEX_NETWORK),
        ):
            text = f"{name}: {label}"
            lines = label_lines(text)
            width = 0 if score is None else round(float(Decimal(score)) * BAR_WIDTH / 100, 1)
            shown = "—" if score is None else score
            bars.append(
                {
                    "label": [
                        {"text": t, "y": y + LABEL_LINE * n + 11} for n, t in enumerate(lines)
                    ],
                    "y": y,
                    "text_y": y + BAR_HEIGHT // 2 + 4,
                    "segments": [
                        {
                            "x": BAR_LABEL_WIDTH,
                            "width": width,
                            "fill": fill,
                            "title": f"{text}: {shown}",
                        }
                    ]
                    if width
                    else [],
                    "total": shown,
                    "total_x": round(BAR_LABEL_WIDTH + width, 1) + 6,
                }
            )
            y += max(BAR_HEIGHT, len(lines) * LABEL_LINE) + BAR_GAP
    top = y + 4
    legend = [
        {"fill": INDEX_CITY, "label": city_label, "count": None},
        {"fill": INDEX_NETWORK, "label": network_label, "count": None},
    ]
    return {
        "width": BAR_LABEL_WIDTH + BAR_WIDTH + 50,
        "height": top + len(legend) * LEGEND_ROW,
        "bar_height": BAR_HEIGHT,
        "bars": bars,
        "legend": _place_legend(legend, top),
    }


def against_network_bars(network: dict, *, city_label: str) -> dict:
    """The chart of either kind of `reviews.services.network.city_against_network`."""
    if network.get("kind") == "index":
        return index_bars(network, city_label=city_label)
    return network_bars(network, city_label=city_label)


CHANGE_UP = "#2f7d32"  # green: the rating went up
CHANGE_DOWN = "#b3261e"  # red: it went down


def signed(change) -> str:
    """A change as people write it: +1, -0.5, 0 (no trailing zeros)."""
    text = format(Decimal(change).normalize(), "f")
    return f"+{text}" if change > 0 else text


def change_bars(rows: list[tuple[str, object]]) -> dict:
    """A diverging bar per indicator: its change of score between two reviews, to the right
    of the middle line when it went up, to the left when down, all on one scale (the
    largest change is half the width). `rows` holds (label, change) in the order given."""
    largest = max((abs(change) for _label, change in rows), default=0) or 1
    half = BAR_WIDTH / 2
    middle = BAR_LABEL_WIDTH + half
    bars, y = [], 0
    for label, change in rows:
        width = round(float(abs(change)) * half / float(largest), 1)
        x = middle if change >= 0 else middle - width
        shown = signed(change)
        bars.append(
            {
                "label": [{"text": label, "y": y + 11}],
                "y": y,
                "text_y": y + BAR_HEIGHT // 2 + 4,
                "segments": [
                    {
                        "x": round(x, 1),
                        "width": width,
                        "fill": CHANGE_UP if change >= 0 else CHANGE_DOWN,
                        "title": f"{label}: {shown}",
                    }
                ],
                "total": shown,
                "total_x": round(middle + width, 1) + 6 if change >= 0 else round(middle, 1) + 6,
            }
        )
        y += BAR_HEIGHT + BAR_GAP
    return {
        "width": BAR_LABEL_WIDTH + BAR_WIDTH + 40,
        "height": max(y, BAR_HEIGHT),
        "bar_height": BAR_HEIGHT,
        "bars": bars,
        "legend": [],
        "middle": middle,
    }
