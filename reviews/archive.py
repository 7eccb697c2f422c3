"""One review in one zip file: export it from one database, import it into another.

What goes in (`export_review`):

- the review and everything that belongs to it, found the way Django finds what a
  delete would cascade to (`NestedObjects`), so models added to `reviews/` later are
  included without changing this module;
- whatever those rows point to (cities, the host city, the benchmark version), followed
  through foreign keys and many-to-many fields until nothing new turns up. A benchmark
  version travels whole: every row of the benchmarks app that belongs to it (groups,
  values, indicators, tags, scales, glossary);
- the people the review needs, and no one else: its members, and everyone its own rows
  or their change history name (an evidence author, an uploader, whoever changed a row
  of the review). Someone named only by a shared row (who edited the host city's page,
  who published the benchmark, who changed a member's profile) stays out: the change
  itself is kept, its author is left empty (``None``), as for a change made by a command.
  The manifest counts these under ``people_left_out``. A person travels with name,
  e-mail address, initials, city, role and language, but never with a password hash or
  the time they last signed in: the password is the unusable marker ``!``;
- the django-simple-history rows of all of these, with their many-to-many history;
- the stored files of every file field, under ``files/`` in the zip;
- of the review's programme (if any): the programme row, its partner cities, those of its
  pool who are in the archive anyway, and its joint training sessions (who attended them
  counts as trained on the review) with the attendees who are in the archive. The
  programme's other reviews stay out, and so does the review's baseline (an earlier review
  of the city is an archive of its own): ``Review.baseline`` is left empty and the
  manifest lists it under ``left_out``.

Never exported: sessions, login throttling, admin log, content types, Django's groups
and permissions (the app does not use them), and the drafting of benchmarks
(reviewers of a draft, comments on indicators), which belongs to no review.

Importing (`import_review`) keeps every primary key and bypasses models' own save():
rows are written as they were, the way `loaddata` does, so locked reports and agreed
conclusions load too, and no signal runs twice (a new review would otherwise get a
second, empty inception report and every many-to-many field a new history row).
Every person it adds gets an unusable password and no last sign-in, whatever the
archive holds (archives of the first exporter carry password hashes: they are ignored);
the command prints a password reset link for each, or e-mails it (``--send-reset``).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import importlib.metadata
import json
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.contrib.admin.utils import NestedObjects
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from reviews.models import Review

FORMAT = "critical-friend-review"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
OBJECTS = "objects.json"
HISTORY = "history.json"
FILES = "files/"

EXCLUDED_APPS = {"admin", "axes", "contenttypes", "sessions"}
EXCLUDED_MODELS = {
    "auth.group",
    "auth.permission",
    "benchmarks.indicatorcomment",
    "benchmarks.versionreviewer",
    "reviews.heldupload",  # a file waiting a few minutes for its form to be saved
    "reports.storedpdf",  # a final version's PDF, rendered again when it is missing
}
# Models whose rows travel with everything of their own app that belongs to them.
EXPORTED_WHOLE = {"benchmarks.benchmarkversion"}
# References an archive never follows: the row they point to is left out, the field empty.
NOT_FOLLOWED = {"reviews.review.baseline", "reviews.historicalreview.baseline"}
BATCH = 500


class ArchiveError(Exception):
    """The archive cannot be written or read, or this database cannot take it."""


@dataclass
class ExportResult:
    path: Path
    counts: dict[str, int]
    files: list[str]
    missing_files: list[str]
    people_left_out: dict[str, int] = field(default_factory=dict)


@dataclass
class ImportResult:
    review: Review
    inserted: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    files: int = 0
    people: list = field(default_factory=list)  # the users it added, without a password


# --- What a review is made of ------------------------------------------------------


def _label(model) -> str:
    return model._meta.label_lower


def _history_models() -> dict[type[models.Model], type[models.Model]]:
    """Tracked model -> its historical model, for every model simple_history registered."""
    found = {}
    for model in apps.get_models():
        attr = getattr(model._meta, "simple_history_manager_attribute", None)
        if attr and not model._meta.abstract:
            found[model] = getattr(model, attr).model
    return found


def _m2m_history_models(history_model) -> list[type[models.Model]]:
    return [getattr(history_model, f.name).model for f in history_model._history_m2m_fields]


@functools.cache
def _all_history_models() -> frozenset[type[models.Model]]:
    found = set()
    for history_model in _history_models().values():
        found.add(history_model)
        found.update(_m2m_history_models(history_model))
    return frozenset(found)


def _is_history(model) -> bool:
    return model in _all_history_models()


def _excluded(model) -> bool:
    """Not exported as rows. Many-to-many link tables travel in their fields' lists."""
    return (
        model._meta.auto_created
        or model._meta.app_label in EXCLUDED_APPS
        or _label(model) in EXCLUDED_MODELS
        or _is_history(model)
    )


def _chunks(items: Iterable, size: int = BATCH) -> Iterator[list]:
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _owned(obj: models.Model, *, same_app: bool = False) -> dict[type, set]:
    """What deleting `obj` would delete with it: the rows that belong to it."""
    collector = NestedObjects(using=DEFAULT_DB_ALIAS)
    collector.collect([obj])
    owned: dict[type, set] = defaultdict(set)
    for model, instances in collector.data.items():
        model = model._meta.concrete_model
        if _excluded(model) or (same_app and model._meta.app_label != obj._meta.app_label):
            continue
        owned[model].update(i.pk for i in instances)
    return owned


class _Collection:
    """Primary keys per model, and a to-do list of rows whose references are not followed yet.

    Of the users, only `people` are wanted: a reference to anyone else is left out.
    """

    def __init__(self, people: set) -> None:
        self.found: dict[type, set] = defaultdict(set)
        self.todo: dict[type, set] = defaultdict(set)
        self.people = people
        self.user_model = get_user_model()

    def want(self, model, pks: Iterable) -> None:
        model = model._meta.concrete_model
        if _excluded(model):
            return
        pks = {pk for pk in pks if pk is not None}
        if model is self.user_model:
            pks &= self.people
        new = pks - self.found[model]
        if new:
            self.found[model] |= new
            self.todo[model] |= new

    def want_targets(self, field, values: Iterable) -> None:
        """Rows of field's target model whose target field (usually the pk) has these values."""
        values = {v for v in values if v is not None}
        target, to = field.related_model, field.target_field
        if not values or _excluded(target):
            return
        if target is self.user_model and not field.null:
            self.people |= values  # a row that must name someone needs them
        if to.primary_key:
            self.want(target, values)
            return
        for chunk in _chunks(values):
            self.want(
                target,
                target._base_manager.filter(**{f"{to.attname}__in": chunk}).values_list(
                    "pk", flat=True
                ),
            )

    def follow(self) -> None:
        """Follow foreign keys and many-to-many fields of every new row until nothing is new."""
        while self.todo:
            model, pks = self.todo.popitem()
            manager = model._base_manager
            if _label(model) in EXPORTED_WHOLE:
                for obj in manager.filter(pk__in=pks):
                    for owned_model, owned_pks in _owned(obj, same_app=True).items():
                        self.want(owned_model, owned_pks)
            fks = [
                f
                for f in model._meta.concrete_fields
                if f.is_relation and f"{_label(model)}.{f.name}" not in NOT_FOLLOWED
            ]
            for chunk in _chunks(pks):
                if fks:
                    rows = manager.filter(pk__in=chunk).values_list(*[f.attname for f in fks])
                    rows = list(rows)
                    for index, fk in enumerate(fks):
                        self.want_targets(fk, (row[index] for row in rows))
                for m2m in model._meta.many_to_many:
                    through = m2m.remote_field.through
                    if _excluded(m2m.related_model) or not through._meta.auto_created:
                        continue
                    source = through._meta.get_field(m2m.m2m_field_name()).attname
                    target = through._meta.get_field(m2m.m2m_reverse_field_name()).attname
                    self.want(
                        m2m.related_model,
                        through._base_manager.filter(**{f"{source}__in": chunk}).values_list(
                            target, flat=True
                        ),
                    )


def _history_of(found: dict[type, set], review: Review) -> dict[type, set]:
    """History row ids of every collected row, and of the review's rows deleted since."""
    history: dict[type, set] = defaultdict(set)
    for model, history_model in _history_models().items():
        manager = history_model._base_manager
        tracked = model._meta.pk.attname
        for chunk in _chunks(found.get(model, ())):
            history[history_model].update(
                manager.filter(**{f"{tracked}__in": chunk}).values_list("pk", flat=True)
            )
        for f in history_model._meta.concrete_fields:
            if f.is_relation and f.related_model is Review:
                history[history_model].update(
                    manager.filter(**{f.attname: review.pk}).values_list("pk", flat=True)
                )
    for history_model, ids in list(history.items()):
        for m2m_model in _m2m_history_models(history_model):
            for chunk in _chunks(ids):
                history[m2m_model].update(
                    m2m_model._base_manager.filter(history_id__in=chunk).values_list(
                        "pk", flat=True
                    )
                )
    return {model: ids for model, ids in history.items() if ids}


def _user_references(model) -> tuple[list, list]:
    """(foreign keys, many-to-many fields) of `model` that point to a user."""
    user_model = get_user_model()
    fks = [
        f for f in model._meta.concrete_fields if f.is_relation and f.related_model is user_model
    ]
    m2ms = [
        f
        for f in model._meta.many_to_many
        if f.related_model is user_model and f.remote_field.through._meta.auto_created
    ]
    return fks, m2ms


def _people(review: Review, owned: dict[type, set]) -> set:
    """Who the review needs: everyone its own rows, or their history, name.

    Members are named by their memberships; the authors of the review's history are
    its audit trail. Who is named only by shared rows (a city, the benchmark, another
    person) is not needed.
    """
    people: set = set()
    rows = dict(owned)
    rows.update(_history_of(owned, review))
    for model, pks in rows.items():
        fks, m2ms = _user_references(model)
        for chunk in _chunks(pks):
            for fk in fks:
                people.update(
                    model._base_manager.filter(pk__in=chunk).values_list(fk.attname, flat=True)
                )
            for m2m in m2ms:
                through = m2m.remote_field.through
                source = through._meta.get_field(m2m.m2m_field_name()).attname
                target = through._meta.get_field(m2m.m2m_reverse_field_name()).attname
                people.update(
                    through._base_manager.filter(**{f"{source}__in": chunk}).values_list(
                        target, flat=True
                    )
                )
    return people - {None}


def _programme_rows(review: Review) -> dict[type, set]:
    """What of its programme a review needs besides the programme row (which its foreign
    key brings): the joint training sessions that count as its training."""
    from reviews.models import TrainingSession

    if review.programme_id is None:
        return {}
    sessions = TrainingSession.objects.filter(programme_id=review.programme_id)
    return {TrainingSession: set(sessions.values_list("pk", flat=True))}


def collect(review: Review) -> tuple[dict[type, set], dict[type, set]]:
    """(rows, history rows) of a review: primary keys per model."""
    owned = _owned(review)
    collection = _Collection(_people(review, owned))
    collection.want(get_user_model(), collection.people)
    for model, pks in owned.items():
        collection.want(model, pks)
    for model, pks in _programme_rows(review).items():
        collection.want(model, pks)
    while True:
        collection.follow()
        history = _history_of(collection.found, review)
        # Who made each change must exist too (the only history column with a constraint).
        for history_model, ids in history.items():
            fks = [
                f
                for f in history_model._meta.concrete_fields
                if f.is_relation and f.db_constraint and f.related_model is not history_model
            ]
            for chunk in _chunks(ids):
                rows = list(
                    history_model._base_manager.filter(pk__in=chunk).values_list(
                        *[f.attname for f in fks]
                    )
                )
                for index, fk in enumerate(fks):
                    collection.want_targets(fk, (row[index] for row in rows))
        if not collection.todo:
            return dict(collection.found), history


# --- Export ---------------------------------------------------------------------


def _serialize(
    found: dict[type, set], left_out: set[str], people: set, people_left_out: dict[str, int]
) -> list[dict]:
    """The rows as Django's serializer writes them, without what the archive never holds:
    references to people who are not in it (counted in `people_left_out`), password
    hashes and last sign-in times."""
    user_model = get_user_model()
    data = []
    for model in sorted(found, key=_label):
        dropped = [
            f.name
            for f in model._meta.many_to_many
            if _excluded(f.related_model) and f.remote_field.through._meta.auto_created
        ]
        fks, m2ms = _user_references(model)
        for chunk in _chunks(sorted(found[model])):
            rows = model._base_manager.filter(pk__in=chunk).order_by("pk")
            for row in serializers.serialize("python", rows):
                fields_ = row["fields"]
                for name in list(fields_):
                    if f"{_label(model)}.{name}" in NOT_FOLLOWED and fields_[name] is not None:
                        fields_[name] = None
                        left_out.add(f"{_label(model)}.{name}")
                for name in dropped:
                    if fields_.pop(name, None):
                        left_out.add(f"{_label(model)}.{name}")
                for fk in fks:
                    if fields_.get(fk.name) is not None and fields_[fk.name] not in people:
                        fields_[fk.name] = None
                        people_left_out[f"{_label(model)}.{fk.name}"] += 1
                for m2m in m2ms:
                    kept = [pk for pk in fields_.get(m2m.name, []) if pk in people]
                    if len(kept) != len(fields_.get(m2m.name, [])):
                        people_left_out[f"{_label(model)}.{m2m.name}"] += 1
                        fields_[m2m.name] = kept
                if model is user_model:
                    fields_["password"] = UNUSABLE_PASSWORD_PREFIX
                    fields_["last_login"] = None
                data.append(row)
    return data


def _file_fields(model) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _stored_files(found: dict[type, set]) -> list[tuple[models.FileField, str]]:
    files = []
    for model in sorted(found, key=_label):
        for file_field in _file_fields(model):
            for chunk in _chunks(sorted(found[model])):
                names = model._base_manager.filter(pk__in=chunk).values_list(
                    file_field.attname, flat=True
                )
                files.extend((file_field, name) for name in names if name)
    return files


class _Encoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a backup keeps the microseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _dump(data) -> bytes:
    return json.dumps(data, cls=_Encoder, ensure_ascii=False).encode()


def _applied_migrations(app_labels: Iterable[str]) -> dict[str, list[str]]:
    applied = MigrationRecorder(connection).applied_migrations()
    labels = set(app_labels)
    result: dict[str, list[str]] = defaultdict(list)
    for app_label, name in sorted(applied):
        if app_label in labels:
            result[app_label].append(name)
    return dict(result)


def _app_version() -> str:
    try:
        return importlib.metadata.version("critical-friend")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def export_review(
    review: Review, path: str | Path, *, progress: Callable[[int], None] | None = None
) -> ExportResult:
    """Write `review` and all it needs to a new zip file at `path` (never overwritten).
    `progress(percent)` hears how far it has come (rows collected, then file by file)."""
    report = progress or (lambda percent: None)
    target = Path(path)
    if target.exists():
        raise ArchiveError(f"{target} exists already; choose a new file name.")
    with transaction.atomic():  # one consistent view of the review
        found, history = collect(review)
        people = found.get(get_user_model(), set())
        left_out: set[str] = set()
        people_left_out: dict[str, int] = defaultdict(int)
        objects = _serialize(found, left_out, people, people_left_out)
        history_rows = _serialize(history, left_out, people, people_left_out)
        files = _stored_files(found)
    report(40)
    counts: dict[str, int] = defaultdict(int)
    for row in objects + history_rows:
        counts[row["model"]] += 1
    objects_json, history_json = _dump(objects), _dump(history_rows)
    written, missing = [], []
    partial = target.with_name(target.name + ".part")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(OBJECTS, objects_json)
            archive.writestr(HISTORY, history_json)
            for done, (file_field, name) in enumerate(files):
                report(50 + 45 * done // max(len(files), 1))
                if name in written:
                    continue
                if not file_field.storage.exists(name):
                    missing.append(name)
                    continue
                with (
                    file_field.storage.open(name, "rb") as source,
                    archive.open(FILES + name, "w", force_zip64=True) as sink,
                ):
                    for block in iter(lambda: source.read(1 << 20), b""):
                        sink.write(block)
                written.append(name)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "app_version": _app_version(),
                "created_at": timezone.now().isoformat(),
                "review": {"pk": review.pk, "title": review.title},
                "counts": dict(sorted(counts.items())),
                "sha256": {
                    OBJECTS: hashlib.sha256(objects_json).hexdigest(),
                    HISTORY: hashlib.sha256(history_json).hexdigest(),
                },
                "files": written,
                "missing_files": missing,
                "left_out": sorted(left_out),
                "people": len(people),
                "people_left_out": dict(sorted(people_left_out.items())),
                "migrations": _applied_migrations({m._meta.app_label for m in (*found, *history)}),
            }
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return ExportResult(
        path=target,
        counts=dict(counts),
        files=written,
        missing_files=missing,
        people_left_out=dict(people_left_out),
    )


# --- Import ---------------------------------------------------------------------


def _read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise ArchiveError(f"Not a review archive: it has no {MANIFEST}.") from None
    except ValueError as error:
        raise ArchiveError(f"{MANIFEST} is not valid JSON: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(f"Not a review archive: {MANIFEST} does not say format {FORMAT!r}.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveError(
            f"The archive has format version {manifest.get('format_version')!r}; "
            f"this version of Critical Friend reads version {FORMAT_VERSION}."
        )
    return manifest


def _read_rows(archive: zipfile.ZipFile, manifest: dict, name: str) -> list[dict]:
    try:
        raw = archive.read(name)
    except KeyError:
        raise ArchiveError(f"The archive has no {name}.") from None
    if hashlib.sha256(raw).hexdigest() != manifest.get("sha256", {}).get(name):
        raise ArchiveError(f"{name} does not match the manifest: the archive was changed.")
    return json.loads(raw)


def _check_archive(archive: zipfile.ZipFile, manifest: dict, rows: list[dict]) -> None:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row["model"]] += 1
    if dict(counts) != manifest.get("counts"):
        raise ArchiveError("The row counts do not match the manifest: the archive was changed.")
    names = set(archive.namelist())
    absent = [n for n in manifest.get("files", []) if FILES + n not in names]
    if absent:
        raise ArchiveError(f"Files listed in the manifest are not in the archive: {absent[:5]}")
    applied = MigrationRecorder(connection).applied_migrations()
    newer = [
        f"{app_label}.{name}"
        for app_label, migrations in manifest.get("migrations", {}).items()
        for name in migrations
        if (app_label, name) not in applied
    ]
    if newer:
        raise ArchiveError(
            "The archive comes from a newer version of Critical Friend; upgrade and "
            f"migrate this one first (missing migrations: {', '.join(newer[:5])})."
        )


def _deserialize(rows: list[dict]) -> dict[type, list]:
    by_model: dict[type, list] = defaultdict(list)
    try:
        for record in serializers.deserialize("python", rows):
            by_model[type(record.object)].append(record)
    except DeserializationError as error:
        raise ArchiveError(f"The archive does not fit this database: {error}") from None
    return by_model


def _identity_fields(model) -> list[tuple[str, ...]]:
    """Field sets that name one row: unique fields and unconditional unique constraints."""
    sets = [(f.attname,) for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    for names in model._meta.unique_together:
        sets.append(tuple(model._meta.get_field(n).attname for n in names))
    for constraint in model._meta.total_unique_constraints:
        sets.append(tuple(model._meta.get_field(n).attname for n in constraint.fields))
    return sets


def _compared_fields(model) -> list[str]:
    """What must be equal for a row already here to count as the archive's row."""
    identity = _identity_fields(model)
    if identity:
        return sorted({name for names in identity for name in names})
    return [
        f.attname
        for f in model._meta.concrete_fields
        if not (f.primary_key or getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
    ]


def _split_existing(by_model: dict[type, list]) -> dict[type, set]:
    """Primary keys of the archive's rows that exist here already as the same thing.

    Any row here with the same primary key but another identity, or with the identity
    of an archived row under another primary key, stops the import.
    """
    kept: dict[type, set] = defaultdict(set)
    conflicts = []
    for model, records in by_model.items():
        manager = model._base_manager
        if not manager.exists():
            continue
        compared = _compared_fields(model)
        pks = [r.object.pk for r in records]
        here = {}
        for chunk in _chunks(pks):
            here.update(manager.in_bulk(chunk))
        for record in records:
            obj = record.object
            existing = here.get(obj.pk)
            if existing is not None:
                ours = {n: getattr(existing, n) for n in compared}
                theirs = {n: getattr(obj, n) for n in compared}
                if ours == theirs:
                    kept[model].add(obj.pk)
                else:
                    conflicts.append(
                        f"{_label(model)} {obj.pk} is {ours} here but {theirs} in the archive"
                    )
                continue
            for names in _identity_fields(model):
                values = {n: getattr(obj, n) for n in names}
                if None in values.values():
                    continue
                other = manager.filter(**values).exclude(pk=obj.pk).values_list("pk", flat=True)
                if other:
                    conflicts.append(
                        f"{_label(model)} {values} exists here as {other[0]} "
                        f"but is {obj.pk} in the archive"
                    )
    if conflicts:
        shown = "\n  ".join(conflicts[:10])
        more = f"\n  ... and {len(conflicts) - 10} more" if len(conflicts) > 10 else ""
        raise ArchiveError(
            "Rows in this database clash with the archive; import into a database "
            f"without them:\n  {shown}{more}"
        )
    return kept


def _insert(model, objs: list) -> None:
    """Write rows as they are: bulk_create runs no save() and no signal."""
    stamped = [
        f.attname
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    stamps = [[getattr(obj, name) for name in stamped] for obj in objs]
    model._base_manager.bulk_create(objs, batch_size=BATCH)
    if stamped:  # bulk_create set them to now: put the archived times back
        for obj, values in zip(objs, stamps, strict=True):
            for name, value in zip(stamped, values, strict=True):
                setattr(obj, name, value)
        model._base_manager.bulk_update(objs, stamped, batch_size=BATCH)


def _insert_m2m(model, records: list) -> set[type]:
    throughs = set()
    for m2m in model._meta.many_to_many:
        through = m2m.remote_field.through
        if not through._meta.auto_created:
            continue
        source = through._meta.get_field(m2m.m2m_field_name()).attname
        target = through._meta.get_field(m2m.m2m_reverse_field_name()).attname
        links = [
            through(**{source: r.object.pk, target: pk})
            for r in records
            for pk in r.m2m_data.get(m2m.name, ())
        ]
        if links:
            through._base_manager.bulk_create(links, batch_size=BATCH)
            throughs.add(through)
    return throughs


def _renumber(model, objs: list) -> dict:
    """Archived history ids that are taken here get new ones; returns old -> new."""
    ids = [obj.pk for obj in objs]
    taken = set()
    for chunk in _chunks(ids):
        taken.update(model._base_manager.filter(pk__in=chunk).values_list("pk", flat=True))
    if not taken:
        return {}
    top = model._base_manager.aggregate(top=models.Max("pk"))["top"] or 0
    next_id = max(top, *ids) + 1
    renumbered = {}
    for obj in objs:
        if obj.pk in taken:
            renumbered[obj.pk] = next_id
            obj.pk = next_id
            next_id += 1
    return renumbered


def _insert_history(by_model: dict[type, list], kept: dict[type, set]) -> dict[str, int]:
    """History of the rows that were inserted (rows kept keep the history they have here)."""
    inserted: dict[str, int] = {}
    renumbered: dict[type, dict] = {}
    dropped: dict[type, set] = defaultdict(set)
    history_models = {h: m for m, h in _history_models().items()}
    for history_model, records in sorted(by_model.items(), key=lambda item: _label(item[0])):
        tracked = history_models.get(history_model)
        if tracked is None:
            continue
        tracked_attname = tracked._meta.pk.attname
        objs = []
        for record in records:
            if getattr(record.object, tracked_attname) in kept.get(tracked, ()):
                dropped[history_model].add(record.object.pk)
            else:
                objs.append(record.object)
        renumbered[history_model] = _renumber(history_model, objs)
        _insert(history_model, objs)
        inserted[_label(history_model)] = len(objs)
    for m2m_model, records in sorted(by_model.items(), key=lambda item: _label(item[0])):
        if m2m_model in history_models:
            continue
        parent = m2m_model._meta.get_field("history").related_model
        objs = []
        for record in records:
            obj = record.object
            if obj.history_id in dropped[parent]:
                continue
            obj.history_id = renumbered.get(parent, {}).get(obj.history_id, obj.history_id)
            objs.append(obj)
        _renumber(m2m_model, objs)
        _insert(m2m_model, objs)
        inserted[_label(m2m_model)] = len(objs)
    return inserted


def _check_files(archive: zipfile.ZipFile, manifest: dict, by_model: dict[type, list]) -> list:
    """(storage, name) of every archived file to restore; a different file here stops it."""
    storages = {}
    for model, records in by_model.items():
        for file_field in _file_fields(model):
            for record in records:
                name = getattr(record.object, file_field.attname)
                if name:
                    storages[name] = file_field.storage
    to_restore = []
    for name in manifest.get("files", []):
        parts = PurePosixPath(name).parts
        if name not in storages or PurePosixPath(name).is_absolute() or ".." in parts:
            raise ArchiveError(f"The archive holds a file no row refers to: {name}")
        storage = storages[name]
        if storage.exists(name):
            with storage.open(name, "rb") as here, archive.open(FILES + name) as archived:
                if here.read() != archived.read():
                    raise ArchiveError(f"A different file is stored here already as {name}.")
            continue
        to_restore.append((storage, name))
    return to_restore


def _restore_files(archive: zipfile.ZipFile, to_restore: list) -> list:
    written = []
    try:
        for storage, name in to_restore:
            saved = storage.save(name, ContentFile(archive.read(FILES + name)))
            written.append((storage, saved))
            if saved != name:
                raise ArchiveError(f"The storage saved {name} as {saved}.")
    except Exception:
        for storage, saved in written:
            storage.delete(saved)
        raise
    return written


def _reset_sequences(models_: Iterable[type]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def import_review(path: str | Path, *, dry_run: bool = False) -> ImportResult:
    """Load an archive into a database without reviews: everything or nothing.

    With `dry_run` every check and every insert runs, then the transaction is rolled
    back and no file is written.
    """
    if Review.objects.exists():
        raise ArchiveError(
            "This database has reviews already; import only into a database without any."
        )
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise ArchiveError(f"Cannot read {path} as a zip file: {error}") from None
    with archive:
        manifest = _read_manifest(archive)
        object_rows = _read_rows(archive, manifest, OBJECTS)
        history_rows = _read_rows(archive, manifest, HISTORY)
        _check_archive(archive, manifest, object_rows + history_rows)
        written: list = []
        try:
            with transaction.atomic():
                inserted, kept, to_restore, people = _load(
                    archive, manifest, object_rows, history_rows
                )
                review = Review.objects.get(pk=manifest["review"]["pk"])
                if dry_run:
                    transaction.set_rollback(True)
                else:
                    written = _restore_files(archive, to_restore)
        except Exception:
            for storage, name in written:  # the database rolled back: so do the files
                storage.delete(name)
            raise
    return ImportResult(
        review=review,
        inserted=inserted,
        kept={label: n for label, n in kept.items() if n},
        files=len(to_restore),
        people=people,
    )


def _without_passwords(objs: list) -> None:
    """People come in without a password or a last sign-in, whatever the archive says."""
    for user in objs:
        user.set_unusable_password()
        user.last_login = None


def _load(archive, manifest, object_rows, history_rows) -> tuple[dict, dict, list, list]:
    if Review.objects.exists():  # again, inside the transaction
        raise ArchiveError("This database has reviews already.")
    objects = _deserialize(object_rows)
    history = _deserialize(history_rows)
    kept = _split_existing(objects)
    to_restore = _check_files(archive, manifest, objects)
    inserted: dict[str, int] = {}
    touched: set[type] = set(history)
    people: list = []
    try:
        for model, records in sorted(objects.items(), key=lambda item: _label(item[0])):
            new = [r for r in records if r.object.pk not in kept.get(model, ())]
            if model is get_user_model():
                people = [r.object for r in new]
                _without_passwords(people)
            _insert(model, [r.object for r in new])
            touched |= _insert_m2m(model, new)
            touched.add(model)
            inserted[_label(model)] = len(new)
        inserted.update(_insert_history(history, kept))
        connection.check_constraints(table_names=sorted(m._meta.db_table for m in touched))
    except IntegrityError as error:
        raise ArchiveError(f"The archive does not fit this database: {error}") from None
    _reset_sequences(touched)
    return inserted, {_label(m): len(pks) for m, pks in kept.items()}, to_restore, people
