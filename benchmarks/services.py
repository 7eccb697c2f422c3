"""Work on whole benchmark versions: import, export, copy to a new draft, compare.

Import and export share one plain data shape (the JSON files in
fixtures/benchmarks/ use it); the spreadsheet form is a flat view of the same
data. Every import runs in one transaction: a bad row leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from benchmarks.models import (
    Benchmark,
    BenchmarkVersion,
    GlossaryEntry,
    Group,
    Indicator,
    RatingScale,
    ScaleLevel,
    TagChoice,
    TagType,
    Value,
)
from benchmarks.schema import ImportRejected, Problem, cut, document_problems
from core.languages import LANGS

# The INTI-CITIES method's scales, used when a benchmark file brings none.
DEFAULT_SCALES = [
    {
        "purpose": RatingScale.PERFORMANCE,
        "name": {
            "en": "Performance against the benchmark",
            "nl": "Prestatie ten opzichte van de benchmark",
        },
        "levels": [
            {
                "code": "below",
                "label": {"en": "Below the benchmark", "nl": "Onder de benchmark"},
                "colour": "#c0392b",
                "score": 1,
            },
            {
                "code": "above",
                "label": {"en": "Above the benchmark", "nl": "Boven de benchmark"},
                "colour": "#e6a700",
                "score": 2,
            },
            {
                "code": "well_above",
                "label": {"en": "Well above the benchmark", "nl": "Ruim boven de benchmark"},
                "colour": "#1e8449",
                "score": 3,
            },
            {
                "code": "more_info",
                "label": {"en": "More information needed", "nl": "Meer informatie nodig"},
                "colour": "#7f8c8d",
                "score": None,
            },
        ],
    },
    {
        "purpose": RatingScale.EVIDENCE,
        "name": {"en": "Evidence colour code", "nl": "Kleurcode bewijs"},
        "levels": [
            {
                "code": "meets",
                "label": {
                    "en": "Meets or exceeds the benchmark",
                    "nl": "Voldoet aan of overtreft de benchmark",
                },
                "colour": "#1e8449",
                "score": 1,
            },
            {
                "code": "does_not_meet",
                "label": {
                    "en": "Does not meet the benchmark",
                    "nl": "Voldoet niet aan de benchmark",
                },
                "colour": "#c0392b",
                "score": 0,
            },
            {
                "code": "inconclusive",
                "label": {"en": "Inconclusive", "nl": "Niet overtuigend"},
                "colour": "#e6a700",
                "score": None,
            },
        ],
    },
]


def default_scales(kind: str) -> list[dict]:
    """The scales a new version gets when no file brings any. An index's answers start
    without scores: the coordinator gives them (0-100), and until then the editor says no
    question can be scored."""
    if kind != Benchmark.INDEX:
        return DEFAULT_SCALES
    return [
        {
            **scale,
            "levels": [
                {**level, "score": None} if scale["purpose"] == RatingScale.PERFORMANCE else level
                for level in scale["levels"]
            ],
        }
        for scale in DEFAULT_SCALES
    ]


def _tr(prefix: str, texts: dict | str | None) -> dict[str, str]:
    """{"en": "...", "nl": "..."} -> {"name_en": "...", "name_nl": "..."}."""
    if texts is None:
        texts = {}
    if isinstance(texts, str):
        texts = {"en": texts}
    return {f"{prefix}_{lang}": (texts.get(lang) or "") for lang in LANGS}


def _texts(obj, prefix: str) -> dict[str, str]:
    return {lang: getattr(obj, f"{prefix}_{lang}") or "" for lang in LANGS}


def _english(texts) -> str:
    return ((texts or {}).get("en") or "").strip()


def _twice(codes: list, label: str) -> list[Problem]:
    """A problem for each code that comes again."""
    problems, seen = [], set()
    for code in codes:
        if code in seen:
            problems.append(Problem(f"{label} {cut(code)}", _("The code is used twice.")))
        seen.add(code)
    return problems


def check_data(data, *, locate: Callable[[tuple], str | None] | None = None) -> list[Problem]:
    """Every problem in a benchmark's data, with where it is, before anything is saved.

    First the shape (benchmarks/schema.py); only a document of the right shape has its
    cross-references checked. `locate` names a place ("sheet groups, row 3") by its path.
    """
    problems = document_problems(data, locate=locate)
    if problems:
        return problems

    def place(path: tuple, default: str) -> str:
        return (locate(path) if locate else None) or default

    groups = [g["code"] for g in data["groups"]]
    values = [v["code"] for v in data.get("values", [])]
    if not groups:
        problems.append(Problem(_("groups"), _("A benchmark needs at least one group.")))
    problems += _twice(groups, _("group")) + _twice(values, _("value"))
    tag_types = data.get("tag_types", [])
    problems += _twice([t["code"] for t in tag_types], _("tag type"))
    for t in tag_types:
        problems += _twice(
            [c["code"] for c in t["choices"]], _("tag %(type)s") % {"type": t["code"]}
        )
    problems += _english_names(data, place)
    problems += _scale_problems(data.get("scales") or [])
    if data.get("kind") == Benchmark.INDEX:
        problems += _index_score_problems(data.get("scales") or [])
    problems += _answer_scores_problems(data)
    problems += _indicator_problems(data, groups, values, tag_types, place)
    if not data["indicators"]:
        problems.append(Problem(_("indicators"), _("There are no indicators.")))
    return problems


def _indicator_problems(
    data: dict, groups: list, values: list, tag_types: list, place: Callable[[tuple, str], str]
) -> list[Problem]:
    """Each indicator's group, value, number, English text, lineage and tags."""
    problems: list[Problem] = []
    choices_of = {t["code"]: {c["code"] for c in t["choices"]} for t in tag_types}
    cells: dict[str, str] = {}
    lineages: set[str] = set()
    for index, ind in enumerate(data["indicators"]):
        where = place(("indicators", index), _("indicator %(n)s") % {"n": index + 1})
        if ind["group"] not in groups:
            problems.append(
                Problem(where, _("Unknown group %(code)r.") % {"code": cut(ind["group"])})
            )
        value = ind.get("value") or None
        if values and value is None:
            problems.append(Problem(where, _("This benchmark has values: the value is missing.")))
        elif value is not None and value not in values:
            problems.append(Problem(where, _("Unknown value %(code)r.") % {"code": cut(value)}))
        problems += _number_problems(ind, value, where, cells)
        if not _english(ind["text"]):
            problems.append(Problem(where, _("The English text is empty.")))
        if lineage := ind.get("lineage"):
            if lineage.lower() in lineages:
                problems.append(Problem(where, _("The lineage is used by another indicator.")))
            lineages.add(lineage.lower())
        problems += _tag_problems(ind, where, choices_of)
    return problems


def _number_problems(ind: dict, value, where: str, cells: dict[str, str]) -> list[Problem]:
    """A whole number, unique within its group and value (`cells` remembers the codes)."""
    number = ind["number"]
    if not isinstance(number, int):  # 2.0 passes as an integer in JSON Schema
        return [
            Problem(where, _("Column number: %(v)r is not a whole number from 1.") % {"v": number})
        ]
    code = Indicator.make_code(ind["group"], value, number)
    problems = []
    if code in cells:
        problems.append(
            Problem(
                where,
                _("Number %(code)s is used twice (also at %(other)s).")
                % {"code": cut(code), "other": cells[code]},
            )
        )
    cells[code] = where
    return problems


def _tag_problems(ind: dict, where: str, choices_of: dict[str, set]) -> list[Problem]:
    problems = []
    for tag_type, chosen in (ind.get("tags") or {}).items():
        if tag_type not in choices_of:
            problems.append(
                Problem(where, _("Unknown tag type %(code)r.") % {"code": cut(tag_type)})
            )
            continue
        for choice in chosen:
            if choice not in choices_of[tag_type]:
                problems.append(Problem(where, _("Unknown tag %(code)r.") % {"code": cut(choice)}))
    return problems


def _english_names(data: dict, place: Callable[[tuple, str], str]) -> list[Problem]:
    """The names the editing forms require in English must not be empty in a file either."""
    problems = []
    named = [
        ("groups", "name", _("group %(n)s")),
        ("values", "name", _("value %(n)s")),
        ("tag_types", "name", _("tag type %(n)s")),
        ("glossary", "term", _("glossary entry %(n)s")),
        ("glossary", "definition", _("glossary entry %(n)s")),
    ]
    for key, text, label in named:
        for index, item in enumerate(data.get(key, [])):
            if not _english(item[text]):
                where = place((key, index, text, "en"), label % {"n": index + 1})
                problems.append(Problem(where, _("The English text is empty.")))
    for t_index, tag_type in enumerate(data.get("tag_types", [])):
        for c_index, choice in enumerate(tag_type["choices"]):
            if not _english(choice["name"]):
                where = place(
                    ("tag_types", t_index, "choices", c_index, "name", "en"),
                    _("tag %(type)s %(n)s") % {"type": tag_type["code"], "n": c_index + 1},
                )
                problems.append(Problem(where, _("The English text is empty.")))
    return problems


def _scale_problems(scales: list[dict]) -> list[Problem]:
    """A file that brings scales brings one for each purpose, each level code once."""
    if not scales:
        return []
    purposes = [s["purpose"] for s in scales]
    problems = []
    for purpose in (RatingScale.PERFORMANCE, RatingScale.EVIDENCE):
        if purposes.count(purpose) != 1:
            problems.append(
                Problem(
                    _("scales"),
                    _("Give exactly one scale for %(purpose)s (found %(n)s).")
                    % {"purpose": purpose, "n": purposes.count(purpose)},
                )
            )
    for scale in scales:
        problems += _twice(
            [level["code"] for level in scale["levels"]],
            _("level of %(purpose)s") % {"purpose": scale["purpose"]},
        )
    return problems


@transaction.atomic
def _answer_scores_problems(data: dict) -> list[Problem]:
    """A question's own answers (`Indicator.answer_scores`) are levels of the performance
    scale, each scored 0-100 or not at all."""
    codes = {
        level["code"]
        for scale in data.get("scales") or []
        if scale["purpose"] == RatingScale.PERFORMANCE
        for level in scale["levels"]
    }
    problems = []
    for ind in data["indicators"]:
        where = _("indicator %(group)s/%(number)s") % {
            "group": cut(str(ind.get("group"))),
            "number": ind.get("number"),
        }
        for code, score in (ind.get("answer_scores") or {}).items():
            if code not in codes:
                problems.append(
                    Problem(
                        where,
                        _("%(code)s is not an answer of the performance scale.")
                        % {"code": cut(code)},
                    )
                )
            elif score is not None and not 0 <= score <= 100:
                problems.append(
                    Problem(
                        where,
                        _("The score of %(code)s must be a number from 0 to 100 (or empty).")
                        % {"code": cut(code)},
                    )
                )
    return problems


def _index_score_problems(scales: list[dict]) -> list[Problem]:
    """An index's answers (the performance scale's levels) score 0-100 or not at all."""
    return [
        Problem(
            _("level %(code)s") % {"code": cut(level["code"])},
            _("An answer of an index scores from 0 to 100 (or leave it empty)."),
        )
        for scale in scales
        if scale["purpose"] == RatingScale.PERFORMANCE
        for level in scale["levels"]
        if level.get("score") is not None and not 0 <= level["score"] <= 100
    ]


@transaction.atomic
def import_version(
    data: dict, *, benchmark: Benchmark | None = None, publish: bool = False, by=None
) -> BenchmarkVersion:
    """Create a new version (draft unless `publish`) from data; the benchmark too if new.

    Nothing is written before the whole document has passed check_data."""
    problems = check_data(data)
    if not problems and benchmark is None:
        problems = _new_benchmark_problems(data)
    if (
        not problems
        and benchmark is not None
        and data.get("kind", benchmark.kind) != benchmark.kind
    ):
        problems = [
            Problem(
                _("sheet benchmark"),
                _("The file is of kind %(file)r but the benchmark is of kind %(kind)r.")
                % {"file": data["kind"], "kind": benchmark.kind},
            )
        ]
    if problems:
        raise ImportRejected(problems)
    if benchmark is None:
        benchmark = _create_benchmark(data)
    number = (
        benchmark.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    version = BenchmarkVersion.objects.create(
        benchmark=benchmark, number=number, notes=data.get("notes", "")
    )
    _create_indicators(version, data)
    for i, entry in enumerate(data.get("glossary", [])):
        GlossaryEntry.objects.create(
            version=version,
            order=i,
            **_tr("term", entry["term"]),
            **_tr("definition", entry["definition"]),
        )
    add_scales(version, data.get("scales") or default_scales(benchmark.kind))
    if publish:
        version.publish(by=by)
    return version


def _create_benchmark(data: dict) -> Benchmark:
    return Benchmark.objects.create(
        slug=data["slug"],
        kind=data.get("kind") or Benchmark.SCALE,
        **_tr("name", data["name"]),
        **_tr("description", data.get("description")),
        **_tr("group_label", data.get("group_label") or {"en": "Pillar", "nl": "Pijler"}),
        **_tr("value_label", data.get("value_label")),
    )


def _create_indicators(version: BenchmarkVersion, data: dict) -> None:
    """The version's groups, values, tag types and indicators, in the document's order."""
    groups = {
        g["code"]: Group.objects.create(
            version=version,
            code=g["code"],
            order=i,
            weight=Decimal(str(g.get("weight", 1))),
            **_tr("name", g["name"]),
            **_tr("standard", g.get("standard")),
        )
        for i, g in enumerate(data["groups"])
    }
    values = {
        v["code"]: Value.objects.create(
            version=version,
            code=v["code"],
            order=i,
            **_tr("name", v["name"]),
            **_tr("description", v.get("description")),
        )
        for i, v in enumerate(data.get("values", []))
    }
    for t in data.get("tag_types", []):
        tag_type = TagType.objects.create(version=version, code=t["code"], **_tr("name", t["name"]))
        for c in t.get("choices", []):
            TagChoice.objects.create(tag_type=tag_type, code=c["code"], **_tr("name", c["name"]))
    for ind in data["indicators"]:
        extra = {"lineage": ind["lineage"]} if ind.get("lineage") else {}
        Indicator.objects.create(
            version=version,
            group=groups[ind["group"]],
            value=values.get(ind.get("value")) if ind.get("value") else None,
            number=ind["number"],
            tags={k: list(v) for k, v in (ind.get("tags") or {}).items() if v},
            answer_scores=dict(ind.get("answer_scores") or {}),
            **_tr("text", ind["text"]),
            **_tr("guidance", ind.get("guidance")),
            **extra,
        )


def _new_benchmark_problems(data: dict) -> list[Problem]:
    problems = []
    if not data.get("slug"):
        problems.append(Problem(_("sheet benchmark"), _("The row 'slug' (short name) is missing.")))
    if not _english(data.get("name")):
        problems.append(
            Problem(_("sheet benchmark"), _("The row 'name_en' (the English name) is empty."))
        )
    return problems


def import_as_draft(data, *, benchmark: Benchmark | None = None, by=None) -> BenchmarkVersion:
    """Import a file's data as a new draft: of `benchmark`, or of a new benchmark named by the
    file's slug. Refuses (ImportRejected) a document of the wrong shape, a taken or missing
    slug, or a benchmark with a draft."""
    problems = check_data(data)
    if problems:
        raise ImportRejected(problems)
    if benchmark is None:
        if problems := _new_benchmark_problems(data):
            raise ImportRejected(problems)
        slug = data["slug"]
        if Benchmark.objects.filter(slug=slug).exists():
            raise ImportRejected(
                [
                    Problem(
                        _("sheet benchmark"),
                        _("A benchmark called %(s)r exists: import into it from its page.")
                        % {"s": slug},
                    )
                ]
            )
    elif benchmark.versions.filter(status=BenchmarkVersion.DRAFT).exists():
        raise ImportRejected(
            [
                Problem(
                    _("benchmark"),
                    _("This benchmark already has a draft: finish or delete it first."),
                )
            ]
        )
    return import_version(data, benchmark=benchmark, by=by)


def add_scales(version: BenchmarkVersion, scales: list[dict]) -> None:
    """Give a version its rating scales (the method's defaults unless a file brings others)."""
    for scale_data in scales:
        scale = RatingScale.objects.create(
            version=version, purpose=scale_data["purpose"], **_tr("name", scale_data["name"])
        )
        for i, level in enumerate(scale_data["levels"]):
            ScaleLevel.objects.create(
                scale=scale,
                order=i,
                code=level["code"],
                colour=level["colour"],
                score=level.get("score"),
                **_tr("label", level["label"]),
            )


def save_levels(scale: RatingScale, levels) -> None:
    """Save a valid level formset in its on-screen order; blank extra rows are ignored."""
    for form in levels.deleted_forms:
        if form.instance.pk:
            form.instance.delete()
    kept = [
        form.instance
        for form in levels.forms
        if form not in levels.deleted_forms and (form.instance.pk or form.has_changed())
    ]
    for order, level in enumerate(kept):
        level.scale = scale
        level.order = order
        level.save()


def _number(value: Decimal | None) -> int | float | None:
    """A stored decimal as JSON writes it: 50 rather than 50.0, 12.5 as is."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def export_version(version: BenchmarkVersion) -> dict:
    """The version as plain data, in the shape import_version reads."""
    benchmark = version.benchmark
    tag_types = list(version.tagtypes.prefetch_related("choices"))
    scales = list(version.ratingscales.prefetch_related("levels"))
    return {
        "slug": benchmark.slug,
        "version": version.number,
        "status": version.status,
        "name": _texts(benchmark, "name"),
        "description": _texts(benchmark, "description"),
        "group_label": _texts(benchmark, "group_label"),
        "value_label": _texts(benchmark, "value_label"),
        "kind": benchmark.kind,
        "groups": [
            {
                "code": g.code,
                "name": _texts(g, "name"),
                "standard": _texts(g, "standard"),
                "weight": _number(g.weight),
            }
            for g in version.groups.all()
        ],
        "values": [
            {"code": v.code, "name": _texts(v, "name"), "description": _texts(v, "description")}
            for v in version.values.all()
        ],
        "tag_types": [
            {
                "code": t.code,
                "name": _texts(t, "name"),
                "choices": [{"code": c.code, "name": _texts(c, "name")} for c in t.choices.all()],
            }
            for t in tag_types
        ],
        "indicators": [
            {
                "group": i.group.code,
                "value": i.value.code if i.value_id else None,
                "number": i.number,
                "code": i.code,
                "lineage": str(i.lineage),
                "text": _texts(i, "text"),
                "guidance": _texts(i, "guidance"),
                "tags": i.tags,
                "answer_scores": i.answer_scores,
            }
            for i in version.indicators.for_matrix()
        ],
        "glossary": [
            {"term": _texts(e, "term"), "definition": _texts(e, "definition")}
            for e in version.glossaryentrys.all()
        ],
        "scales": [
            {
                "purpose": s.purpose,
                "name": _texts(s, "name"),
                "levels": [
                    {
                        "code": lv.code,
                        "label": _texts(lv, "label"),
                        "colour": lv.colour,
                        "score": _number(lv.score),
                    }
                    for lv in s.levels.all()
                ],
            }
            for s in scales
        ],
    }


@transaction.atomic
def start_new_draft(version: BenchmarkVersion, *, by=None) -> BenchmarkVersion:
    """A new draft with the same content; indicators keep their lineage for the diff."""
    if not version.is_published:
        raise ValidationError(_("Start a new version from a published one."))
    if version.benchmark.versions.filter(status=BenchmarkVersion.DRAFT).exists():
        raise ValidationError(_("This benchmark already has a draft: finish or delete it first."))
    data = export_version(version)
    draft = import_version(data, benchmark=version.benchmark)
    draft.based_on = version
    draft.save(update_fields=["based_on"])
    return draft


@dataclass
class Change:
    code: str
    old_code: str = ""
    old_text: str = ""
    new_text: str = ""


@dataclass
class VersionDiff:
    added: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    reworded: list[Change] = field(default_factory=list)
    moved: list[Change] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.reworded or self.moved)


def compare_versions(old: BenchmarkVersion, new: BenchmarkVersion) -> VersionDiff:
    """Indicators added, removed, reworded (any language) and moved (code changed)."""
    before = {i.lineage: i for i in old.indicators.for_matrix()}
    after = {i.lineage: i for i in new.indicators.for_matrix()}
    diff = VersionDiff()
    for lineage, ind in after.items():
        if lineage not in before:
            diff.added.append(Change(ind.code, new_text=ind.text))
            continue
        prev = before[lineage]
        if prev.code != ind.code:
            diff.moved.append(Change(ind.code, old_code=prev.code, new_text=ind.text))
        if _texts(prev, "text") != _texts(ind, "text"):
            diff.reworded.append(
                Change(ind.code, old_code=prev.code, old_text=prev.text, new_text=ind.text)
            )
    for lineage, ind in before.items():
        if lineage not in after:
            diff.removed.append(Change(ind.code, old_text=ind.text))
    return diff
