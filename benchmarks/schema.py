"""The one shape of a benchmark file, checked whole before anything is written.

A JSON file and a spreadsheet (which `spreadsheet.from_xlsx` reads into the same
document) are both checked against BENCHMARK_SCHEMA, a JSON Schema (draft 2020-12)
checked with jsonschema: it reports every error with its path in one pass, and the
schema itself documents the file format. Two keywords of our own keep the rules in
one place:

- ``"field": "Model.field"`` runs that model field's own validators, so a slug is held
  to the rule of the benchmark form (both come from ``Benchmark.slug``), a code to the
  rule of the group form, and every text to its column's length;
- ``"storable": true`` refuses text no database can store (a NUL character, or half of
  a UTF-16 surrogate pair, which JSON's ``\\ud800`` escapes can produce).

Cross-references (an indicator's group, a duplicated code) are checked afterwards, in
``services.check_data``, once the shape is known to be right.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError as SchemaError

from core.languages import LANGS

# Deeper than any benchmark file needs (a scale level's label is six levels down), far
# below what Python's JSON reader and the checks can walk without running out of stack.
MAX_DEPTH = 20
# Names and numbers shown back in a message are cut to this many characters.
SHOWN = 40
INTEGER_MAX = 2_147_483_647  # a PositiveIntegerField on every database
SCORE_LIMIT = 9999.99  # ScaleLevel.score: six digits, two after the point
WEIGHT_MAX = 9999.99  # Group.weight: likewise


@dataclass
class Problem:
    where: str
    message: str


class ImportRejected(Exception):
    """The data has problems; nothing was saved. `problems` lists each with its place."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


# --- The schema -------------------------------------------------------------------


def _text(field: str | None = None) -> dict:
    schema: dict = {"type": "string", "storable": True}
    if field:
        schema["field"] = field
    return schema


def _translated(field: str) -> dict:
    """{"en": "...", "nl": "..."}: each language held to its own column's rules."""
    return {
        "type": "object",
        "properties": {lang: _text(f"{field}_{lang}") for lang in LANGS},
        "additionalProperties": False,
    }


def _items(item: dict) -> dict:
    return {"type": "array", "items": item}


def _record(properties: dict, required: list[str]) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


GROUP = _record(
    {
        "code": _text("Group.code"),
        "name": _translated("Group.name"),
        "standard": _translated("Group.standard"),
        # An index benchmark's weight of the group (default 1; 0 leaves it out of the index).
        "weight": {"type": "number", "minimum": 0, "maximum": WEIGHT_MAX},
    },
    ["code", "name"],
)
VALUE = _record(
    {
        "code": _text("Value.code"),
        "name": _translated("Value.name"),
        "description": _translated("Value.description"),
    },
    ["code", "name"],
)
TAG_TYPE = _record(
    {
        "code": _text("TagType.code"),
        "name": _translated("TagType.name"),
        "choices": _items(
            _record(
                {"code": _text("TagChoice.code"), "name": _translated("TagChoice.name")},
                ["code", "name"],
            )
        ),
    },
    ["code", "name", "choices"],
)
INDICATOR = _record(
    {
        "group": _text(),
        "value": {"type": ["string", "null"], "storable": True},
        "number": {"type": "integer", "minimum": 1, "maximum": INTEGER_MAX},
        "code": _text(),  # written by the export, worked out again on import
        "lineage": {"type": "string", "format": "uuid"},
        "text": _translated("Indicator.text"),
        "guidance": _translated("Indicator.guidance"),
        "tags": {"type": "object", "additionalProperties": _items(_text())},
        # An index question's own answers: {level code: score 0-100 or null}.
        "answer_scores": {
            "type": "object",
            "additionalProperties": {"type": ["number", "null"], "minimum": 0, "maximum": 100},
        },
    },
    ["group", "number", "text"],
)
GLOSSARY_ENTRY = _record(
    {
        "term": _translated("GlossaryEntry.term"),
        "definition": _translated("GlossaryEntry.definition"),
    },
    ["term", "definition"],
)
SCALE = _record(
    {
        "purpose": {"type": "string", "enum": ["performance", "evidence"]},
        "name": _translated("RatingScale.name"),
        "levels": {
            **_items(
                _record(
                    {
                        "code": _text("ScaleLevel.code"),
                        "label": _translated("ScaleLevel.label"),
                        "colour": _text("ScaleLevel.colour"),
                        "score": {
                            "type": ["number", "null"],
                            "minimum": -SCORE_LIMIT,
                            "maximum": SCORE_LIMIT,
                        },
                    },
                    ["code", "label", "colour"],
                )
            ),
            "minItems": 1,
        },
    },
    ["purpose", "name", "levels"],
)

BENCHMARK_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "A Critical Friend benchmark version",
    **_record(
        {
            "slug": _text("Benchmark.slug"),
            "version": {"type": ["integer", "null"]},  # written by the export; not read
            "status": _text(),  # likewise
            "name": _translated("Benchmark.name"),
            "description": _translated("Benchmark.description"),
            "group_label": _translated("Benchmark.group_label"),
            "value_label": _translated("Benchmark.value_label"),
            # "scale" (the default when missing) or "index"
            "kind": {"type": "string", "enum": ["scale", "index"]},
            "notes": _text("BenchmarkVersion.notes"),
            "groups": _items(GROUP),
            "values": _items(VALUE),
            "tag_types": _items(TAG_TYPE),
            "indicators": _items(INDICATOR),
            "glossary": _items(GLOSSARY_ENTRY),
            "scales": _items(SCALE),
        },
        ["groups", "indicators"],
    ),
}


# --- Our two keywords -------------------------------------------------------------


def _field_keyword(validator, field_name: str, instance, schema) -> Iterator[SchemaError]:
    if not validator.is_type(instance, "string"):
        return  # "type" reports it
    model_name, name = field_name.split(".")
    field = apps.get_model("benchmarks", model_name)._meta.get_field(name)
    try:
        field.run_validators(instance)
    except DjangoValidationError as error:
        for message in error.messages:
            yield SchemaError(message)


def _storable_keyword(validator, storable: bool, instance, schema) -> Iterator[SchemaError]:
    if storable and isinstance(instance, str) and not _is_storable(instance):
        yield SchemaError(
            _("The text holds a character that cannot be stored (a NUL or a lone surrogate).")
        )


def _is_storable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


BenchmarkValidator = validators.extend(
    Draft202012Validator, {"field": _field_keyword, "storable": _storable_keyword}
)
Draft202012Validator.check_schema(BENCHMARK_SCHEMA)
_VALIDATOR = BenchmarkValidator(
    BENCHMARK_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER
)


# --- Reading and checking ---------------------------------------------------------

TYPE_NAMES = {
    "object": gettext_lazy("an object {…}"),
    "array": gettext_lazy("a list […]"),
    "string": gettext_lazy("text"),
    "integer": gettext_lazy("a whole number"),
    "number": gettext_lazy("a number"),
    "boolean": gettext_lazy("true or false"),
    "null": gettext_lazy("nothing (null)"),
}


def _found(instance) -> str:
    if isinstance(instance, bool):
        kind = "boolean"
    elif isinstance(instance, int):
        kind = "integer"
    elif isinstance(instance, float):
        kind = "number"
    else:
        kind = {dict: "object", list: "array", str: "string", type(None): "null"}.get(
            type(instance), ""
        )
    return str(TYPE_NAMES.get(kind, type(instance).__name__))


def cut(text: str) -> str:
    """Text as a message shows it: at most SHOWN characters."""
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def shorten(value) -> str:
    """A value as a message shows it: its repr, cut to SHOWN characters."""
    return cut(repr(value))


def _messages(error: SchemaError) -> Iterator[str]:
    keyword, expected, instance = error.validator, error.validator_value, error.instance
    if keyword == "type":
        wanted = [expected] if isinstance(expected, str) else expected
        either = " " + _("or") + " "
        yield _("Expected %(expected)s, found %(found)s.") % {
            "expected": either.join(str(TYPE_NAMES[t]) for t in wanted),
            "found": _found(instance),
        }
    elif keyword == "required":
        for key in expected:
            if key not in instance:
                yield _("The key %(key)s is missing.") % {"key": shorten(key)}
    elif keyword == "additionalProperties":
        known = list(error.schema.get("properties", {}))
        for key in instance:
            if key not in known:
                yield _("Unknown key %(key)s; the keys here are: %(known)s.") % {
                    "key": shorten(key),
                    "known": ", ".join(known),
                }
    elif keyword == "enum":
        yield _("%(value)s is not one of: %(choices)s.") % {
            "value": shorten(instance),
            "choices": ", ".join(expected),
        }
    elif keyword == "minimum":
        yield _("The number must be at least %(n)s.") % {"n": expected}
    elif keyword == "maximum":
        yield _("The number must be at most %(n)s.") % {"n": expected}
    elif keyword == "minItems":
        yield _("The list needs at least %(n)s item.") % {"n": expected}
    elif keyword == "format":
        yield _("%(value)s is not a valid %(format)s.") % {
            "value": shorten(instance),
            "format": expected.upper(),
        }
    else:  # "field" and "storable" say it in their own words
        yield error.message


def _too_deep(data) -> bool:
    """Whether lists and objects nest deeper than MAX_DEPTH (walked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                return True
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items)
    return False


def too_deep_problem() -> Problem:
    return Problem(
        _("file"),
        _("The file is nested too deeply (more than %(n)s levels of lists and objects).")
        % {"n": MAX_DEPTH},
    )


def document_problems(
    data, *, locate: Callable[[tuple], str | None] | None = None
) -> list[Problem]:
    """Every place where `data` does not have the shape of a benchmark file.

    Each problem names its place as a JSON path ($.indicators[2].text), or as `locate`
    names it (a spreadsheet's sheet, row and column).
    """
    if _too_deep(data):
        return [too_deep_problem()]
    problems: list[Problem] = []
    seen = set()
    for error in _VALIDATOR.iter_errors(data):
        where = (locate(tuple(error.absolute_path)) if locate else None) or error.json_path
        for message in _messages(error):
            if (where, message) not in seen:
                seen.add((where, message))
                problems.append(Problem(where, message))
    return sorted(problems, key=lambda p: (p.where, p.message))


def _no_constant(name: str):
    raise ValueError(_("%(name)s is not a number JSON allows.") % {"name": name})


def parse_json(raw: bytes):
    """The document in a JSON file, or ImportRejected saying why it cannot be read."""
    try:
        return json.loads(raw.decode("utf-8-sig"), parse_constant=_no_constant)
    except RecursionError:
        raise ImportRejected([too_deep_problem()]) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ImportRejected(
            [Problem(_("file"), _("This is not valid JSON: %(e)s") % {"e": exc})]
        ) from exc
