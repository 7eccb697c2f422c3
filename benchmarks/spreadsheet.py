"""A benchmark version as a spreadsheet (openpyxl) and back.

Sheets: "indicators" (one row per indicator) and "groups" are required;
"benchmark", "values", "tag_types", "glossary" and "scales" are optional.

For an index benchmark: the "benchmark" sheet's row ``kind`` says ``index`` (missing or
empty: ``scale``, so older workbooks import as before), the "groups" sheet's ``weight``
column holds each group's weight (empty: 1), and the "scales" sheet (one row per level,
a scale's first row naming it) holds the answers with their ``score`` (0-100; empty: the
answer is not scored). Without a "scales" sheet a version gets the default scales. Reading turns
the workbook into the same data import_version takes, and lists every problem
by sheet, row and column instead of stopping at the first.
"""

from __future__ import annotations

import zipfile

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from benchmarks.models import answer_scores_text, parse_answer_scores
from benchmarks.schema import ImportRejected, Problem, parse_json
from benchmarks.services import LANGS, check_data
from core.spreadsheets import add_sheet, new_workbook, workbook_bytes

INDICATOR_COLUMNS = [
    "group",
    "value",
    "number",
    "code",
    *[f"{p}_{lang}" for p in ("text", "guidance") for lang in LANGS],
    "tags",
    "answer_scores",
]
GROUP_COLUMNS = [
    "code",
    *[f"{p}_{lang}" for p in ("name", "standard") for lang in LANGS],
    "weight",
]
SCALE_COLUMNS = [
    "purpose",
    *[f"name_{lang}" for lang in LANGS],
    "level",
    *[f"label_{lang}" for lang in LANGS],
    "colour",
    "score",
]
VALUE_COLUMNS = ["code", *[f"{p}_{lang}" for p in ("name", "description") for lang in LANGS]]
TAG_COLUMNS = [
    "type",
    *[f"type_name_{lang}" for lang in LANGS],
    "choice",
    *[f"choice_name_{lang}" for lang in LANGS],
]
GLOSSARY_COLUMNS = [f"{p}_{lang}" for p in ("term", "definition") for lang in LANGS]
REQUIRED = {"indicators": ["group", "number", "text_en"], "groups": ["code", "name_en"]}


def _sheet(wb, title: str, columns: list[str], rows: list[list]) -> None:
    add_sheet(wb, title, columns, rows)  # text stays text (core.spreadsheets)


def _t(item: dict, key: str, lang: str) -> str:
    return (item.get(key) or {}).get(lang, "")


def to_xlsx(data: dict) -> bytes:
    wb = new_workbook()
    meta = [
        ["slug", data["slug"]],
        ["version", data.get("version")],
        ["kind", data.get("kind") or "scale"],
    ]
    for key in ("name", "description", "group_label", "value_label"):
        meta += [[f"{key}_{lang}", _t(data, key, lang)] for lang in LANGS]
    _sheet(wb, "benchmark", ["key", "value"], meta)
    _sheet(
        wb,
        "indicators",
        INDICATOR_COLUMNS,
        [
            [
                i["group"],
                i.get("value") or "",
                i["number"],
                i.get("code", ""),
                *[_t(i, p, lang) for p in ("text", "guidance") for lang in LANGS],
                "; ".join(
                    f"{t}:{c}" for t, cs in sorted((i.get("tags") or {}).items()) for c in cs
                ),
                answer_scores_text(i.get("answer_scores") or {}).replace("\n", "; "),
            ]
            for i in data["indicators"]
        ],
    )
    _sheet(
        wb,
        "groups",
        GROUP_COLUMNS,
        [
            [
                g["code"],
                *[_t(g, p, lang) for p in ("name", "standard") for lang in LANGS],
                g.get("weight", 1),
            ]
            for g in data["groups"]
        ],
    )
    _sheet(
        wb,
        "values",
        VALUE_COLUMNS,
        [
            [v["code"], *[_t(v, p, lang) for p in ("name", "description") for lang in LANGS]]
            for v in data.get("values", [])
        ],
    )
    _sheet(
        wb,
        "tag_types",
        TAG_COLUMNS,
        [
            [
                t["code"],
                *[_t(t, "name", lang) for lang in LANGS],
                c["code"],
                *[_t(c, "name", lang) for lang in LANGS],
            ]
            for t in data.get("tag_types", [])
            for c in t["choices"]
        ],
    )
    _sheet(
        wb,
        "glossary",
        GLOSSARY_COLUMNS,
        [
            [_t(e, p, lang) for p in ("term", "definition") for lang in LANGS]
            for e in data.get("glossary", [])
        ],
    )
    _sheet(
        wb,
        "scales",
        SCALE_COLUMNS,
        [
            [
                scale["purpose"],
                *[_t(scale, "name", lang) for lang in LANGS],
                level["code"],
                *[_t(level, "label", lang) for lang in LANGS],
                level["colour"],
                level.get("score"),
            ]
            for scale in data.get("scales", [])
            for level in scale["levels"]
        ],
    )
    return workbook_bytes(wb)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _texts(row: dict, prefixes: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """{"name": {"en": row["name_en"], "nl": row["name_nl"]}, ...} for each prefix."""
    return {p: {lang: _text(row.get(f"{p}_{lang}")) for lang in LANGS} for p in prefixes}


def _whole_number(value):
    """A cell's number as an int; anything else as its text, for the schema to name."""
    if value is None or isinstance(value, bool):
        return _text(value) or None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return _text(value)
    if number.is_integer():
        return int(number)
    return number


def _rows(ws, name: str, problems: list[Problem]) -> list[tuple[int, dict]]:
    rows = list(ws.iter_rows(values_only=True))
    if not rows:
        problems.append(Problem(_("sheet %(s)s") % {"s": name}, _("The sheet is empty.")))
        return []
    header = [_text(h) for h in rows[0]]
    for column in REQUIRED.get(name, []):
        if column not in header:
            problems.append(
                Problem(
                    _("sheet %(s)s") % {"s": name}, _("Column %(c)r is missing.") % {"c": column}
                )
            )
    result = []
    for number, row in enumerate(rows[1:], start=2):
        if all(_text(c) == "" for c in row):
            continue
        result.append(
            (number, {header[i]: row[i] for i in range(min(len(header), len(row))) if header[i]})
        )
    return result


# Where a document's path comes from in the workbook: the key (the path's first steps)
# names a sheet and row, the rest of the path a column.
TAG_COLUMNS_BY_PATH = {"code": "type", "name": "type_name"}
CHOICE_COLUMNS_BY_PATH = {"code": "choice", "name": "choice_name"}


class Places:
    """Sheet, row and column of each place in the document read from a workbook."""

    def __init__(self) -> None:
        self.rows: dict[tuple, tuple[str, int]] = {}

    def add(self, path: tuple, sheet: str, row: int) -> None:
        self.rows.setdefault(path, (sheet, row))

    def __call__(self, path: tuple) -> str | None:
        for length in range(len(path), 0, -1):
            found = self.rows.get(tuple(path[:length]))
            if found is None:
                continue
            sheet, row = found
            column = self._column(path[:length], path[length:])
            if column:
                return _("sheet %(sheet)s, row %(row)s, column %(column)s") % {
                    "sheet": sheet,
                    "row": row,
                    "column": column,
                }
            return _("sheet %(sheet)s, row %(row)s") % {"sheet": sheet, "row": row}
        return None

    @staticmethod
    def _column(key: tuple, rest: tuple) -> str:
        if not rest:
            return ""
        first = str(rest[0])
        if key[0] == "scales" and "levels" in key:
            first = {"code": "level"}.get(first, first)
        if key[0] == "tag_types":
            first = (CHOICE_COLUMNS_BY_PATH if "choices" in key else TAG_COLUMNS_BY_PATH).get(
                first, first
            )
        if first == "tags" or len(rest) == 1:
            return first
        return f"{first}_{rest[1]}"


def read_upload(upload) -> dict:
    """A benchmark's data from an uploaded .xlsx or .json file, or ImportRejected.

    Either way the document has passed check_data: its shape and its cross-references."""
    head = upload.read(64)
    upload.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return from_xlsx(upload)
    if head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] in (b"{", b"["):
        data = parse_json(upload.read())
        problems = check_data(data)
        if problems:
            raise ImportRejected(problems)
        return data
    raise ImportRejected(
        [Problem(_("file"), _("This is neither an Excel spreadsheet (.xlsx) nor a JSON file."))]
    )


def _meta(sheets: dict, places: Places) -> dict[str, str]:
    """The benchmark sheet's key/value rows (a row without a value counts as empty)."""
    meta: dict[str, str] = {}
    if "benchmark" not in sheets:
        return meta
    for number, row in enumerate(sheets["benchmark"].iter_rows(min_row=2, values_only=True), 2):
        key = _text(row[0]) if row else ""
        if not key or key in meta:
            continue
        meta[key] = _text(row[1]) if len(row) > 1 else ""
        path = tuple(key.rsplit("_", 1)) if key.rsplit("_", 1)[-1] in LANGS else (key,)
        places.add(path, "benchmark", number)
    return meta


# What a broken workbook makes zipfile, openpyxl and its XML parsers raise (an XML
# ParseError is a SyntaxError).
UNREADABLE = (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, SyntaxError)
# A workbook may unpack to this much: a few megabytes of upload cannot ask for more.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024


def from_xlsx(upload) -> dict:
    """The document in a workbook, checked; or ImportRejected with every problem's place."""
    unreadable = ImportRejected(
        [Problem(_("file"), _("This file could not be read as an Excel spreadsheet."))]
    )
    try:
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
        upload.seek(0)
        if unpacked > MAX_UNPACKED_BYTES:
            raise unreadable
        wb = load_workbook(upload, read_only=True, data_only=True)
        try:
            # Worksheets only: a chart sheet has no rows.
            data, places, problems = _read_workbook({ws.title: ws for ws in wb.worksheets})
        finally:
            wb.close()
    except UNREADABLE as exc:
        raise unreadable from exc
    problems += check_data(data, locate=places)
    if problems:
        raise ImportRejected(problems)
    return data


def _read_workbook(sheets: dict) -> tuple[dict, Places, list[Problem]]:
    """The workbook's rows as a document, with their places and the problems of reading."""
    problems: list[Problem] = []
    for name in REQUIRED:
        if name not in sheets:
            problems.append(Problem(_("file"), _("The sheet %(s)r is missing.") % {"s": name}))
    if problems:
        raise ImportRejected(problems)
    places = Places()
    meta = _meta(sheets, places)
    data: dict = {
        **({"slug": meta["slug"]} if meta.get("slug") else {}),
        **({"kind": meta["kind"]} if meta.get("kind") else {}),
        **{
            key: {lang: meta.get(f"{key}_{lang}", "") for lang in LANGS}
            for key in ("name", "description", "group_label", "value_label")
        },
        "groups": [],
        "values": [],
        "tag_types": [],
        "indicators": [],
        "glossary": [],
    }
    for sheet, texts in (("groups", ("name", "standard")), ("values", ("name", "description"))):
        if sheet in sheets:
            for row_number, row in _rows(sheets[sheet], sheet, problems):
                places.add((sheet, len(data[sheet])), sheet, row_number)
                item = {"code": _text(row.get("code")).upper(), **_texts(row, texts)}
                if sheet == "groups" and _text(row.get("weight")):
                    item["weight"] = _number(row.get("weight"))
                data[sheet].append(item)
    if "tag_types" in sheets:
        data["tag_types"] = _read_tag_types(sheets["tag_types"], places, problems)
    if "scales" in sheets:
        scales = _read_scales(sheets["scales"], places, problems)
        if scales:
            data["scales"] = scales
    if "glossary" in sheets:
        for row_number, row in _rows(sheets["glossary"], "glossary", problems):
            places.add(("glossary", len(data["glossary"])), "glossary", row_number)
            data["glossary"].append(_texts(row, ("term", "definition")))
    for row_number, row in _rows(sheets["indicators"], "indicators", problems):
        places.add(("indicators", len(data["indicators"])), "indicators", row_number)
        data["indicators"].append(_read_indicator(row, row_number, problems))
    return data, places, problems


def _number(value):
    """A cell's number (int or float); anything else as its text, for the schema to name."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = _text(value)
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


def _read_scales(sheet, places: Places, problems: list[Problem]) -> list[dict]:
    """One row per level; a scale's first row names it."""
    scales: dict[str, dict] = {}
    for row_number, row in _rows(sheet, "scales", problems):
        purpose = _text(row.get("purpose"))
        if purpose not in scales:
            places.add(("scales", len(scales)), "scales", row_number)
        scale = scales.setdefault(
            purpose,
            {
                "purpose": purpose,
                "name": {lang: _text(row.get(f"name_{lang}")) for lang in LANGS},
                "levels": [],
            },
        )
        index = list(scales).index(purpose)
        places.add(("scales", index, "levels", len(scale["levels"])), "scales", row_number)
        score = row.get("score")
        scale["levels"].append(
            {
                "code": _text(row.get("level")),
                "label": {lang: _text(row.get(f"label_{lang}")) for lang in LANGS},
                "colour": _text(row.get("colour")),
                "score": None if _text(score) == "" else _number(score),
            }
        )
    return list(scales.values())


def _read_tag_types(sheet, places: Places, problems: list[Problem]) -> list[dict]:
    """One row per choice; a type's first row names it."""
    types: dict[str, dict] = {}
    for row_number, row in _rows(sheet, "tag_types", problems):
        code = _text(row.get("type"))
        if code not in types:
            places.add(("tag_types", len(types)), "tag_types", row_number)
        tag_type = types.setdefault(
            code,
            {
                "code": code,
                "name": {lang: _text(row.get(f"type_name_{lang}")) for lang in LANGS},
                "choices": [],
            },
        )
        index = list(types).index(code)
        places.add(
            ("tag_types", index, "choices", len(tag_type["choices"])), "tag_types", row_number
        )
        tag_type["choices"].append(
            {
                "code": _text(row.get("choice")),
                "name": {lang: _text(row.get(f"choice_name_{lang}")) for lang in LANGS},
            }
        )
    return list(types.values())


def _read_indicator(row: dict, row_number: int, problems: list[Problem]) -> dict:
    """An indicator row; its tags are written "type:choice; type:choice"."""
    where = _("sheet %(sheet)s, row %(row)s, column %(column)s") % {
        "sheet": "indicators",
        "row": row_number,
        "column": "tags",
    }
    tags: dict[str, list[str]] = {}
    for part in _text(row.get("tags")).split(";"):
        if ":" in part:
            tag_type, choice = (s.strip() for s in part.split(":", 1))
            tags.setdefault(tag_type, []).append(choice)
        elif part.strip():
            problems.append(
                Problem(where, _("Write tags as type:choice; %(v)r is not.") % {"v": part.strip()})
            )
    answer_scores, wrong = parse_answer_scores(_text(row.get("answer_scores")), None)
    answer_where = _("sheet %(sheet)s, row %(row)s, column %(column)s") % {
        "sheet": "indicators",
        "row": row_number,
        "column": "answer_scores",
    }
    problems += [Problem(answer_where, message) for message in wrong]
    return {
        "group": _text(row.get("group")).upper(),
        "value": _text(row.get("value")).upper() or None,
        "number": _whole_number(row.get("number")),
        **_texts(row, ("text", "guidance")),
        "tags": tags,
        "answer_scores": answer_scores,
    }
