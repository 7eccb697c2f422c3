"""Work on whole benchmark versions: import, export, copy to a new draft, compare.

Import and export share one plain data shape (the JSON files in
fixtures/benchmarks/ use it); the spreadsheet form is a flat view of the same
data. Every import runs in one transaction: a bad row leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


def _tr(prefix: str, texts: dict | str | None) -> dict[str, str]:
    """{"en": "...", "nl": "..."} -> {"name_en": "...", "name_nl": "..."}."""
    if texts is None:
        texts = {}
    if isinstance(texts, str):
        texts = {"en": texts}
    return {f"{prefix}_{lang}": (texts.get(lang) or "") for lang in LANGS}


def _texts(obj, prefix: str) -> dict[str, str]:
    return {lang: getattr(obj, f"{prefix}_{lang}") or "" for lang in LANGS}


@dataclass
class Problem:
    where: str
    message: str


class ImportRejected(Exception):
    """The data has problems; nothing was saved. `problems` lists each with its place."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem{'' if len(problems) == 1 else 's'}")
        self.problems = problems


def check_data(data: dict) -> list[Problem]:
    """Every problem in a benchmark's data, with where it is, before anything is saved."""
    problems: list[Problem] = []
    groups = [g.get("code") for g in data.get("groups", [])]
    values = [v.get("code") for v in data.get("values", [])]
    if not data.get("groups"):
        problems.append(Problem(_("groups"), _("A benchmark needs at least one group.")))
    for label, codes in ((_("group"), groups), (_("value"), values)):
        seen = set()
        for code in codes:
            if code in seen:
                problems.append(Problem(f"{label} {code}", _("The code is used twice.")))
            seen.add(code)
    tag_types = {
        t["code"]: {c["code"] for c in t.get("choices", [])} for t in data.get("tag_types", [])
    }
    cells: dict[str, str] = {}
    for index, ind in enumerate(data.get("indicators", [])):
        where = ind.get("_where") or _("indicator %(n)s") % {"n": index + 1}
        if ind.get("group") not in groups:
            problems.append(
                Problem(where, _("Unknown group %(code)r.") % {"code": ind.get("group")})
            )
        value = ind.get("value") or None
        if values and value is None:
            problems.append(Problem(where, _("This benchmark has values: the value is missing.")))
        elif value is not None and value not in values:
            problems.append(Problem(where, _("Unknown value %(code)r.") % {"code": value}))
        number = ind.get("number")
        if not isinstance(number, int) or number < 1:
            problems.append(
                Problem(
                    where, _("Column number: %(v)r is not a whole number from 1.") % {"v": number}
                )
            )
        else:
            code = Indicator.make_code(str(ind.get("group")), value, number)
            if code in cells:
                problems.append(
                    Problem(
                        where,
                        _("Number %(code)s is used twice (also at %(other)s).")
                        % {"code": code, "other": cells[code]},
                    )
                )
            cells[code] = where
        if not (ind.get("text") or {}).get("en", "").strip():
            problems.append(Problem(where, _("The English text is empty.")))
        for tag_type, choices in (ind.get("tags") or {}).items():
            if tag_type not in tag_types:
                problems.append(
                    Problem(where, _("Unknown tag type %(code)r.") % {"code": tag_type})
                )
                continue
            for choice in choices:
                if choice not in tag_types[tag_type]:
                    problems.append(Problem(where, _("Unknown tag %(code)r.") % {"code": choice}))
    if not data.get("indicators"):
        problems.append(Problem(_("indicators"), _("There are no indicators.")))
    return problems


@transaction.atomic
def import_version(
    data: dict, *, benchmark: Benchmark | None = None, publish: bool = False, by=None
) -> BenchmarkVersion:
    """Create a new version (draft unless `publish`) from data; the benchmark too if new."""
    problems = check_data(data)
    if problems:
        raise ImportRejected(problems)
    if benchmark is None:
        benchmark = Benchmark.objects.create(
            slug=data["slug"],
            **_tr("name", data["name"]),
            **_tr("description", data.get("description")),
            **_tr("group_label", data.get("group_label") or {"en": "Pillar", "nl": "Pijler"}),
            **_tr("value_label", data.get("value_label")),
        )
    number = (
        benchmark.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    version = BenchmarkVersion.objects.create(
        benchmark=benchmark, number=number, notes=data.get("notes", "")
    )
    groups = {
        g["code"]: Group.objects.create(
            version=version,
            code=g["code"],
            order=i,
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
            **_tr("text", ind["text"]),
            **_tr("guidance", ind.get("guidance")),
            **extra,
        )
    for i, entry in enumerate(data.get("glossary", [])):
        GlossaryEntry.objects.create(
            version=version,
            order=i,
            **_tr("term", entry["term"]),
            **_tr("definition", entry["definition"]),
        )
    add_scales(version, data.get("scales") or DEFAULT_SCALES)
    if publish:
        version.publish(by=by)
    return version


def import_as_draft(data: dict, *, benchmark: Benchmark | None = None, by=None) -> BenchmarkVersion:
    """Import a file's data as a new draft: of `benchmark`, or of a new benchmark named by the
    file's slug. Refuses (ImportRejected) a taken or missing slug, or a benchmark with a draft."""
    if benchmark is None:
        slug = data.get("slug") or ""
        if not slug:
            raise ImportRejected(
                [Problem(_("sheet benchmark"), _("The row 'slug' (short name) is missing."))]
            )
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
        "groups": [
            {"code": g.code, "name": _texts(g, "name"), "standard": _texts(g, "standard")}
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
                        "score": float(lv.score) if lv.score is not None else None,
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
