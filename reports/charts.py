"""Pictures shared by pages and PDFs, as plain data an inline-SVG template draws."""

from __future__ import annotations

from dataclasses import dataclass

STATE_FILL = {"contradictory": "#b02a37", "unconfirmed": "#adb5bd", "none": "#ffffff"}
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
    status colour: the confirmed colour, red when contradictory, grey when unconfirmed,
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
