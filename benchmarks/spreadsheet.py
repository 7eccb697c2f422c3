"""A benchmark version as a spreadsheet (openpyxl) and back.

Sheets: "indicators" (one row per indicator) and "groups" are required;
"benchmark", "values", "tag_types" and "glossary" are optional. Reading turns
the workbook into the same data import_version takes, and lists every problem
by sheet, row and column instead of stopping at the first.
"""

from __future__ import annotations

import json
import zipfile

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from benchmarks.services import LANGS, ImportRejected, Problem, check_data
from core.spreadsheets import add_sheet, new_workbook, workbook_bytes

INDICATOR_COLUMNS = [
    "group",
    "value",
    "number",
    "code",
    *[f"{p}_{lang}" for p in ("text", "guidance") for lang in LANGS],
    "tags",
]
GROUP_COLUMNS = ["code", *[f"{p}_{lang}" for p in ("name", "standard") for lang in LANGS]]
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
    meta = [["slug", data["slug"]], ["version", data.get("version")]]
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
            ]
            for i in data["indicators"]
        ],
    )
    _sheet(
        wb,
        "groups",
        GROUP_COLUMNS,
        [
            [g["code"], *[_t(g, p, lang) for p in ("name", "standard") for lang in LANGS]]
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
    return workbook_bytes(wb)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _texts(row: dict, prefixes: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """{"name": {"en": row["name_en"], "nl": row["name_nl"]}, ...} for each prefix."""
    return {p: {lang: _text(row.get(f"{p}_{lang}")) for lang in LANGS} for p in prefixes}


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


def read_upload(upload) -> dict:
    """A benchmark's data from an uploaded .xlsx or .json file, or ImportRejected."""
    head = upload.read(4)
    upload.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return from_xlsx(upload)
    if head.lstrip()[:1] in (b"{",):
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ImportRejected(
                [Problem(_("file"), _("This is not valid JSON: %(e)s") % {"e": exc})]
            ) from exc
    raise ImportRejected(
        [Problem(_("file"), _("This is neither an Excel spreadsheet (.xlsx) nor a JSON file."))]
    )


def from_xlsx(upload) -> dict:
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportRejected(
            [Problem(_("file"), _("This file could not be read as an Excel spreadsheet."))]
        ) from exc
    problems: list[Problem] = []
    for name in REQUIRED:
        if name not in wb.sheetnames:
            problems.append(Problem(_("file"), _("The sheet %(s)r is missing.") % {"s": name}))
    if problems:
        raise ImportRejected(problems)
    meta = {}
    if "benchmark" in wb.sheetnames:
        meta = {
            _text(k): _text(v)
            for k, v, *_rest in wb["benchmark"].iter_rows(min_row=2, values_only=True)
            if k
        }
    data: dict = {
        "slug": meta.get("slug", ""),
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
        if sheet in wb.sheetnames:
            for _n, row in _rows(wb[sheet], sheet, problems):
                data[sheet].append({"code": _text(row.get("code")).upper(), **_texts(row, texts)})
    if "tag_types" in wb.sheetnames:
        types: dict[str, dict] = {}
        for _n, row in _rows(wb["tag_types"], "tag_types", problems):
            code = _text(row.get("type"))
            tag_type = types.setdefault(
                code,
                {
                    "code": code,
                    "name": {lang: _text(row.get(f"type_name_{lang}")) for lang in LANGS},
                    "choices": [],
                },
            )
            tag_type["choices"].append(
                {
                    "code": _text(row.get("choice")),
                    "name": {lang: _text(row.get(f"choice_name_{lang}")) for lang in LANGS},
                }
            )
        data["tag_types"] = list(types.values())
    if "glossary" in wb.sheetnames:
        for _n, row in _rows(wb["glossary"], "glossary", problems):
            data["glossary"].append(_texts(row, ("term", "definition")))
    for row_number, row in _rows(wb["indicators"], "indicators", problems):
        where = _("sheet indicators, row %(r)s") % {"r": row_number}
        raw_number = row.get("number")
        try:
            number = (
                int(raw_number)
                if raw_number is not None and float(raw_number) == int(float(raw_number))
                else None
            )
        except (TypeError, ValueError):
            number = None
        tags: dict[str, list[str]] = {}
        for part in _text(row.get("tags")).split(";"):
            if ":" in part:
                tag_type, choice = (s.strip() for s in part.split(":", 1))
                tags.setdefault(tag_type, []).append(choice)
            elif part.strip():
                problems.append(
                    Problem(
                        f"{where}, {_('column')} tags",
                        _("Write tags as type:choice; %(v)r is not.") % {"v": part.strip()},
                    )
                )
        data["indicators"].append(
            {
                "_where": where,
                "group": _text(row.get("group")).upper(),
                "value": _text(row.get("value")).upper() or None,
                "number": number,
                **_texts(row, ("text", "guidance")),
                "tags": tags,
            }
        )
    problems += check_data(data)
    if problems:
        raise ImportRejected(problems)
    return data
