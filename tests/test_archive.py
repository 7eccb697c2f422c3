"""A whole review to one zip file and back: export, wipe the database and the files, import."""

from __future__ import annotations

import io
import json
import pathlib
import shutil
import zipfile

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from benchmarks.models import Benchmark, Indicator
from cities.models import City, User
from reviews.archive import ArchiveError, collect, export_review, import_review
from reviews.demo import VISIT_REVIEW_TITLE, load_demo
from reviews.models import (
    Attachment,
    ConclusionVote,
    Evidence,
    InformationRequest,
    KeyConclusion,
    Membership,
    Review,
    SelfAssessment,
)
from reviews.models.conclusions import conclusions_locked, team_of
from reviews.services import add_attachment
from tests.conftest import PDF_BYTES


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def antwerp(db, media) -> Review:
    """The demo review during its visit, with an answered request's file and locked conclusions."""
    call_command("load_benchmarks", stdout=io.StringIO())
    load_demo(today=timezone.localdate())
    review = Review.objects.get(title=VISIT_REVIEW_TITLE)
    host = review.memberships.get(role="host").user
    peers = team_of(review)
    request = InformationRequest.objects.create(
        review=review, question="How many staff work on integration?", asked_by=peers[0]
    )
    add_attachment(
        review=review, upload=SimpleUploadedFile("staff.pdf", PDF_BYTES), by=host, request=request
    )
    conclusion = KeyConclusion.objects.create(review=review, text="Strong leadership.")
    for peer in peers:
        ConclusionVote.objects.create(conclusion=conclusion, peer=peer, agrees=True)
    assert conclusions_locked(review) and review.inception_report.is_submitted
    return review


def _snapshot(review: Review) -> dict:
    """Every exported row, serialized, by model: what must come back identical."""
    from django.core import serializers

    found, history = collect(review)
    return {
        model._meta.label_lower: serializers.serialize(
            "python", model._base_manager.filter(pk__in=pks).order_by("pk")
        )
        for model, pks in {**found, **history}.items()
    }


def _assert_same_rows(after: dict, before: dict) -> None:
    assert sorted(after) == sorted(before)
    sizes = {label: (len(rows), len(after[label])) for label, rows in before.items()}
    assert {label: n for label, n in sizes.items() if n[0] != n[1]} == {}
    for label, rows in before.items():
        for old, new in zip(rows, after[label], strict=True):
            changed = {
                name: (value, new["fields"].get(name))
                for name, value in old["fields"].items()
                if new["fields"].get(name) != value
            }
            assert (new["pk"], changed) == (old["pk"], {}), label


def _evidence(review: Review) -> list:
    rows = Evidence._base_manager.filter(review=review).prefetch_related("indicators")
    return sorted((e.codes(), e.text, e.colour_id) for e in rows)


def _wipe_everything(media) -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        # Deferred foreign-key checks still pending in the test's transaction block TRUNCATE.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # back to Django's default, as a real import has
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    shutil.rmtree(media, ignore_errors=True)
    assert not Review.objects.exists() and not User.objects.exists()


def test_a_review_comes_back_identical_after_export_wipe_and_import(
    antwerp, media, tmp_path, client
):
    archive = tmp_path / "antwerp.zip"
    before = _snapshot(antwerp)
    evidence = _evidence(antwerp)
    ratings = sorted(
        SelfAssessment.objects.filter(report__review=antwerp).values_list(
            "indicator__code", "rating__code"
        )
    )
    roles = sorted(antwerp.memberships.values_list("user__email", "role", "is_host_lead"))
    attachment = Attachment.objects.get(review=antwerp)
    review_pk = antwerp.pk

    exported = export_review(antwerp, archive)
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["counts"]["reviews.review"] == 1
    assert manifest["counts"]["reviews.evidence"] == len(evidence) > 0
    assert manifest["counts"]["reviews.historicalevidence"] > 0
    assert manifest["files"] == [attachment.file.name] == exported.files
    assert "benchmarks.versionreviewer" not in manifest["counts"]
    assert "sessions.session" not in manifest["counts"]

    _wipe_everything(media)
    result = import_review(archive)

    assert result.review.pk == review_pk and result.files == 1
    _assert_same_rows(_snapshot(result.review), before)
    for label, count in manifest["counts"].items():
        assert apps.get_model(label)._base_manager.count() == count, label
    review = Review.objects.get(pk=review_pk)
    assert _evidence(review) == evidence
    assert (
        sorted(
            SelfAssessment.objects.filter(report__review=review).values_list(
                "indicator__code", "rating__code"
            )
        )
        == ratings
    )
    assert sorted(review.memberships.values_list("user__email", "role", "is_host_lead")) == roles
    assert review.history.count() == len(before["reviews.historicalreview"])
    assert conclusions_locked(review) and review.inception_report.is_submitted
    assert Indicator.objects.filter(version=review.benchmark_version).count() == 73

    restored = Attachment.objects.get(pk=attachment.pk)
    assert (media / restored.file.name).read_bytes() == PDF_BYTES
    peer = review.memberships.filter(role="peer").first().user
    client.force_login(peer, backend="cities.backends.EmailBackend")
    response = client.get(reverse("reviews:file", args=[review.pk, restored.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES

    # Sequences were moved past the imported keys: new rows get new keys.
    city = City.objects.create(name="Lisbon", country="Portugal")
    assert city.pk > max(c["pk"] for c in before["cities.city"])
    person = User.objects.create_user("new@example.org", "x-secret-1", name="New", city=city)
    membership = Membership.objects.create(review=review, user=person, role="host")
    assert membership.pk not in {m["pk"] for m in before["reviews.membership"]}


def test_an_existing_identical_benchmark_is_kept_and_the_rest_imported(antwerp, media, tmp_path):
    from reviews.archive import _all_history_models

    archive = tmp_path / "antwerp.zip"
    before = _snapshot(antwerp)
    export_review(antwerp, archive)
    # A database after `make setup`: the benchmarks, nothing else.
    Review.objects.all().delete()
    User.objects.all().delete()
    City.objects.all().delete()
    for history_model in _all_history_models():
        if history_model._meta.app_label != "benchmarks":
            history_model._base_manager.all().delete()
    shutil.rmtree(media)
    indicators = Indicator.objects.count()

    result = import_review(archive)

    assert result.kept["benchmarks.indicator"] == 73
    assert result.inserted["benchmarks.indicator"] == 0
    assert Indicator.objects.count() == indicators
    after = _snapshot(result.review)
    for label, rows in before.items():
        if not label.startswith("benchmarks."):
            _assert_same_rows({label: after[label]}, {label: rows})


def test_import_refuses_a_database_with_reviews(antwerp, tmp_path):
    archive = tmp_path / "antwerp.zip"
    export_review(antwerp, archive)
    with pytest.raises(ArchiveError, match="has reviews already"):
        import_review(archive)


def test_a_second_import_is_refused_and_changes_nothing(antwerp, media, tmp_path):
    archive = tmp_path / "antwerp.zip"
    export_review(antwerp, archive)
    _wipe_everything(media)
    import_review(archive)
    counts = (Review.objects.count(), User.objects.count(), Evidence._base_manager.count())
    with pytest.raises(ArchiveError, match="has reviews already"):
        import_review(archive)
    assert counts == (Review.objects.count(), User.objects.count(), Evidence._base_manager.count())


def _rewrite(source, target, **changes) -> None:
    """Copy an archive, replacing (or with None: dropping) some of its members."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            if item.filename in changes:
                if changes[item.filename] is not None:
                    new.writestr(item.filename, changes[item.filename](old.read(item)))
            else:
                new.writestr(item, old.read(item))


def _edit_manifest(**fields):
    def edit(raw: bytes) -> bytes:
        manifest = json.loads(raw)
        manifest.update(fields)
        return json.dumps(manifest).encode()

    return edit


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"manifest.json": None}, "no manifest.json"),
        ({"manifest.json": _edit_manifest(format_version=2)}, "format version 2"),
        ({"manifest.json": _edit_manifest(format="something-else")}, "Not a review archive"),
        ({"manifest.json": _edit_manifest(counts={"reviews.review": 1})}, "counts do not match"),
        ({"manifest.json": lambda raw: b"{not json"}, "not valid JSON"),
        ({"objects.json": lambda raw: raw.replace(b"Antwerp", b"Antwerpen")}, "was changed"),
    ],
)
def test_a_tampered_archive_is_refused_and_nothing_is_imported(
    antwerp, media, tmp_path, changes, message
):
    archive, tampered = tmp_path / "antwerp.zip", tmp_path / "tampered.zip"
    export_review(antwerp, archive)
    _rewrite(archive, tampered, **changes)
    _wipe_everything(media)
    with pytest.raises(ArchiveError, match=message):
        import_review(tampered)
    assert not User.objects.exists() and not Indicator.objects.exists()


def test_a_person_here_under_another_key_stops_the_import(antwerp, media, tmp_path):
    archive = tmp_path / "antwerp.zip"
    export_review(antwerp, archive)
    peer = antwerp.memberships.filter(role="peer").first().user
    email, pk = peer.email, peer.pk
    _wipe_everything(media)
    User.objects.create_user(email, "x-secret-1", name="Someone", pk=pk + 1000)
    with pytest.raises(ArchiveError, match=email):
        import_review(archive)
    assert not Benchmark.objects.exists()
    assert list(media.rglob("*.pdf")) == []  # no file of the archive was written


def test_commands_export_and_import_and_refuse_with_a_clear_message(antwerp, media, tmp_path):
    archive = tmp_path / "antwerp.zip"
    out = io.StringIO()
    call_command("export_review", str(antwerp.pk), str(archive), stdout=out)
    assert f"Wrote {VISIT_REVIEW_TITLE} to {archive}" in out.getvalue()
    assert "1 files" in out.getvalue()

    with pytest.raises(CommandError, match="exists already"):
        call_command("export_review", str(antwerp.pk), str(archive))
    with pytest.raises(CommandError, match="No review 999999"):
        call_command("export_review", "999999", str(tmp_path / "other.zip"))
    with pytest.raises(CommandError, match="Nothing imported. This database has reviews"):
        call_command("import_review", str(archive))

    _wipe_everything(media)
    out = io.StringIO()
    call_command("import_review", str(archive), "--dry-run", stdout=out)
    assert f"Would import {VISIT_REVIEW_TITLE}" in out.getvalue()
    assert not Review.objects.exists() and not User.objects.exists()
    assert list(media.rglob("*.pdf")) == []  # no file of the archive was written

    out = io.StringIO()
    call_command("import_review", str(archive), stdout=out)
    assert f"Imported {VISIT_REVIEW_TITLE} (review {antwerp.pk})" in out.getvalue()
    assert Review.objects.get().title == VISIT_REVIEW_TITLE


def test_import_refuses_a_file_that_is_not_an_archive(db, tmp_path):
    path = tmp_path / "notes.zip"
    path.write_text("not a zip")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_review", str(path))


ARCHIVES = pathlib.Path(__file__).parent / "fixtures" / "archives"


@pytest.mark.parametrize(
    ("name", "title", "counts"),
    [
        # Made by `export_review` at commit 16e32fe (archive format 1), from the demo data.
        ("leipzig-format1.zip", "Peer review of Leipzig 2025", {"recommendations": 3}),
        ("antwerp-format1.zip", "Peer review of Antwerp 2026", {"recommendations": 0}),
    ],
)
def test_an_archive_made_by_the_previous_version_still_imports(db, media, name, title, counts):
    from reviews.models import Recommendation

    manifest = json.loads(zipfile.ZipFile(ARCHIVES / name).read("manifest.json"))
    assert manifest["format_version"] == 1
    import_review(ARCHIVES / name)
    review = Review.objects.get(title=title)
    expected = manifest["counts"]
    assert review.memberships.count() == expected["reviews.membership"]
    assert Evidence._base_manager.filter(review=review).count() == expected.get(
        "reviews.evidence", 0
    )
    assert SelfAssessment.objects.filter(report__review=review).count() == expected.get(
        "reviews.selfassessment", 0
    )
    assert (
        Recommendation.objects.filter(section__report__review=review).count()
        == counts["recommendations"]
    )
    assert review.benchmark_version.indicators.count() == expected["benchmarks.indicator"]
