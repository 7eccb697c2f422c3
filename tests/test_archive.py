"""A whole review to one zip file and back: export, wipe the database and the files, import."""

from __future__ import annotations

import io
import json
import pathlib
import shutil
import zipfile

import pytest
from django.apps import apps
from django.conf import settings
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
    Programme,
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
    snapshot = {
        model._meta.label_lower: serializers.serialize(
            "python", model._base_manager.filter(pk__in=pks).order_by("pk")
        )
        for model, pks in {**found, **history}.items()
    }
    for row in snapshot["cities.user"]:  # an archive never holds these (tested below)
        del row["fields"]["password"], row["fields"]["last_login"]
    return _as_archived(snapshot)


def _as_archived(snapshot: dict) -> dict:
    """The rows as an archive holds them: no one named who is not in it (a programme's pool
    beyond this review's people), no reference it never follows (the review's baseline)."""
    from reviews.archive import NOT_FOLLOWED

    people = {row["pk"] for row in snapshot["cities.user"]}
    for label, rows in snapshot.items():
        model = apps.get_model(label)
        to_people = [
            f.name
            for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
            if f.is_relation and f.related_model is User
        ]
        for row in rows:
            fields_ = row["fields"]
            for name in to_people:
                value = fields_.get(name)
                if isinstance(value, list):
                    fields_[name] = [pk for pk in value if pk in people]
                elif value is not None and value not in people:
                    fields_[name] = None
            for name in fields_:
                if f"{label}.{name}" in NOT_FOLLOWED:
                    fields_[name] = None
    return snapshot


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
    Programme.objects.all().delete()  # and its joint training
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
    # Format 1 archives carried password hashes: they are ignored on import.
    assert not any(user.has_usable_password() for user in User.objects.all())


# --- Who is in an archive, and without what


def _archived_users(archive) -> list[dict]:
    with zipfile.ZipFile(archive) as zf:
        return [row for row in json.loads(zf.read("objects.json")) if row["model"] == "cities.user"]


def _history_rows(archive, model: str) -> list[dict]:
    with zipfile.ZipFile(archive) as zf:
        return [row for row in json.loads(zf.read("history.json")) if row["model"] == model]


def _named_by_the_reviews_rows(review: Review) -> set[int]:
    named = set(Evidence._base_manager.filter(review=review).values_list("author_id", flat=True))
    named |= set(Attachment.objects.filter(review=review).values_list("uploaded_by_id", flat=True))
    named |= set(
        InformationRequest.objects.filter(review=review).values_list("asked_by_id", flat=True)
    )
    named |= set(
        Evidence.history.filter(review_id=review.pk).values_list("history_user_id", flat=True)
    )
    return named - {None}


def members_and_named(review: Review) -> set[int]:
    members = set(review.memberships.values_list("user_id", flat=True))
    return members | _named_by_the_reviews_rows(review)


def test_someone_who_only_edited_the_host_citys_page_is_not_in_the_archive(
    antwerp, media, tmp_path
):
    editor = User.objects.create_user("editor@example.org", "x-secret-1", name="Eddie Editor")
    city = antwerp.host_city
    city.profile = "A port city on the Scheldt."
    city._history_user = editor
    city.save()
    archive = tmp_path / "antwerp.zip"
    export_review(antwerp, archive)

    emails = {row["fields"]["email"] for row in _archived_users(archive)}
    assert "editor@example.org" not in emails
    members = set(antwerp.memberships.values_list("user__email", flat=True))
    assert members <= emails
    assert {row["pk"] for row in _archived_users(archive)} <= members_and_named(antwerp)
    change = next(
        row
        for row in _history_rows(archive, "cities.historicalcity")
        if row["fields"]["profile"] == "A port city on the Scheldt."
    )
    assert change["fields"]["history_user"] is None  # the change stays, by nobody named
    with zipfile.ZipFile(archive) as zf:
        assert b"editor@example.org" not in zf.read("objects.json") + zf.read("history.json")
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["people_left_out"]["cities.historicalcity.history_user"] >= 1


def test_the_archive_holds_no_password_hash_and_no_last_sign_in(antwerp, tmp_path):
    peer = antwerp.memberships.filter(role="peer").first().user
    peer.last_login = timezone.now()
    peer.save()
    archive = tmp_path / "antwerp.zip"
    export_review(antwerp, archive)
    users = _archived_users(archive)
    assert users
    assert {row["fields"]["password"] for row in users} == {"!"}
    assert {row["fields"]["last_login"] for row in users} == {None}
    with zipfile.ZipFile(archive) as zf:
        assert peer.password.encode() not in zf.read("objects.json")


def test_imported_people_have_no_password_and_each_gets_a_reset_link(
    antwerp, media, tmp_path, client
):
    archive = tmp_path / "antwerp.zip"
    export_review(antwerp, archive)
    emails = sorted(row["fields"]["email"] for row in _archived_users(archive))
    _wipe_everything(media)
    out = io.StringIO()
    call_command("import_review", str(archive), stdout=out)

    assert not any(u.has_usable_password() for u in User.objects.all())
    assert set(User.objects.values_list("last_login", flat=True)) == {None}
    lines = [line for line in out.getvalue().splitlines() if "/password/reset/" in line]
    assert sorted(line.split()[0] for line in lines) == emails
    link = lines[0].split()[-1]
    response = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    assert "new_password1" in response.content.decode()


def test_import_with_send_reset_mails_each_imported_person_a_link(antwerp, media, tmp_path):
    from django.core import mail

    archive = tmp_path / "antwerp.zip"
    export_review(antwerp, archive)
    emails = sorted(row["fields"]["email"] for row in _archived_users(archive))
    _wipe_everything(media)
    out = io.StringIO()
    call_command("import_review", str(archive), "--send-reset", stdout=out)

    assert sorted(address for m in mail.outbox for address in m.to) == emails
    assert "/password/reset/" in mail.outbox[0].body
    assert "/password/reset/" not in out.getvalue()


def _with_old_user_rows(raw: bytes) -> bytes:
    """objects.json as the first exporter wrote it: hashes and last sign-in included."""
    rows = json.loads(raw)
    for row in rows:
        if row["model"] == "cities.user":
            row["fields"]["password"] = "md5$salt$0123456789abcdef0123456789abcdef"
            row["fields"]["last_login"] = "2026-11-02T09:15:00+00:00"
    return json.dumps(rows).encode()


def test_an_archive_that_holds_password_hashes_imports_without_them(antwerp, media, tmp_path):
    import hashlib

    archive, old = tmp_path / "antwerp.zip", tmp_path / "old.zip"
    export_review(antwerp, archive)
    with zipfile.ZipFile(archive) as zf:
        objects = _with_old_user_rows(zf.read("objects.json"))

    def manifest(raw: bytes) -> bytes:
        data = json.loads(raw)
        data["sha256"]["objects.json"] = hashlib.sha256(objects).hexdigest()
        data.pop("people_left_out", None)
        return json.dumps(data).encode()

    _rewrite(archive, old, **{"objects.json": lambda raw: objects, "manifest.json": manifest})
    _wipe_everything(media)
    import_review(old)

    assert User.objects.exists()
    assert not any(u.has_usable_password() for u in User.objects.all())
    assert set(User.objects.values_list("last_login", flat=True)) == {None}


def test_an_imported_person_can_ask_for_a_reset_link_on_the_sign_in_page(
    antwerp, media, tmp_path, client
):
    from django.core import mail

    archive = tmp_path / "antwerp.zip"
    export_review(antwerp, archive)
    email = antwerp.memberships.filter(role="peer").first().user.email
    _wipe_everything(media)
    import_review(archive)

    response = client.post(reverse("password_reset"), {"email": email})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[email]]


# --- A review in a programme


def test_a_review_in_a_programme_carries_its_programme_and_joint_training_not_its_baseline(
    review_work, review, peer, team_leader, host, make_user, media, tmp_path
):
    from reviews.models import Programme, TrainingSession
    from reviews.status import progress_of
    from tests.conftest import build_programme

    stranger = make_user(email="stranger@example.org", name="Only In The Pool")
    build_programme(review, peers=[peer, team_leader, stranger])
    earlier = Review.objects.create(
        title="Review of Rotterdam 2023", host_city=review.host_city, current_step=7
    )
    Review.objects.filter(pk=review.pk).update(baseline=earlier)
    review.refresh_from_db()
    lacks = progress_of(review).step(2).lacks
    before = _snapshot(review)
    archive = tmp_path / "rotterdam.zip"
    export_review(review, archive)
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["counts"]["reviews.review"] == 1
    assert manifest["counts"]["reviews.programme"] == 1
    assert "reviews.review.baseline" in manifest["left_out"]
    assert manifest["people_left_out"]["reviews.programme.pool"] == 1

    _wipe_everything(media)
    result = import_review(archive)

    imported = result.review
    assert imported.baseline is None
    assert list(Review.objects.values_list("title", flat=True)) == [review.title]
    programme = Programme.objects.get()
    assert imported.programme == programme and programme.name == "INTI-CITIES 2026"
    assert list(programme.partners.all()) == [imported.host_city]
    assert set(programme.pool.values_list("email", flat=True)) == {peer.email, team_leader.email}
    joint = TrainingSession.objects.get(programme=programme)
    assert set(joint.attendees.values_list("email", flat=True)) == {peer.email, team_leader.email}
    assert progress_of(imported).step(2).lacks == lacks
    _assert_same_rows(_snapshot(imported), before)
