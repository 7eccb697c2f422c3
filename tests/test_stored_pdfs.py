"""A final report's PDF is rendered once, kept in the media storage and served from there:
to the team, the host city and through the public link; drafts render at every download."""

from __future__ import annotations

import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from reports.models import StoredPDF
from reviews.models import ReportApproval, Review
from reviews.services.feedback_report import (
    finalise_report,
    publish_report,
    reopen_final_report,
)

STUB = b"%PDF-1.7 stored once\n%%EOF\n"


@pytest.fixture
def renders(monkeypatch):
    """Count WeasyPrint renders (and keep the HTML each one got)."""
    calls: list[str] = []

    def render(html: str) -> bytes:
        calls.append(html)
        return STUB

    monkeypatch.setattr("reports.pdf.render_pdf", render)
    return calls


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _approve_and_close(report, team_leader) -> None:
    version = report.pending_version
    for member in report.team():
        ReportApproval.objects.create(version=version, peer=member, approves=True)
    report.factual_comments.filter(answer="").update(answer="Fixed.", answered_by=team_leader)
    report.factual_round_closed_at = timezone.now()
    report.save(update_fields=["factual_round_closed_at"])


@pytest.fixture
def final(report_draft, team_leader, media):
    """The report made final through the service, without running what it enqueued: no
    PDF is stored yet."""
    _approve_and_close(report_draft, team_leader)
    finalise_report(report=report_draft, by=team_leader)
    report_draft.forget()
    return report_draft


def _pdf(client, review: Review, **query):
    address = reverse("reports:report_pdf", args=[review.pk])
    if query:
        address += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return client.get(address)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_second_download_of_a_final_report_does_not_call_weasyprint(
    client_for, peer, review, final, renders
):
    client = client_for(peer)
    first = _pdf(client, review)
    second = _pdf(client, review)
    assert len(renders) == 1
    assert _body(first) == _body(second) == STUB
    assert second.streaming  # read from the storage, not rendered
    assert second["Content-Type"] == "application/pdf"
    assert second["Content-Disposition"] == (
        'inline; filename="critical-friend-rotterdam-report-v1.pdf"'
    )
    assert StoredPDF.objects.get(version=final.final_version).size == len(STUB)


def test_making_the_report_final_stores_its_pdf_in_a_task(
    client_for, report_draft, team_leader, peer, review, media, renders,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    _approve_and_close(report_draft, team_leader)
    with django_capture_on_commit_callbacks(execute=True):
        version = finalise_report(report=report_draft, by=team_leader)
    stored = StoredPDF.objects.get(version=version)
    assert (stored.language, stored.size) == ("en", len(STUB))
    assert default_storage.exists(stored.file.name)
    assert len(renders) == 1
    assert _body(_pdf(client_for(peer), review)) == STUB
    assert len(renders) == 1


def test_the_stored_file_has_a_name_nobody_can_guess(client_for, peer, review, final, renders):
    _pdf(client_for(peer), review)
    name = StoredPDF.objects.get().file.name
    assert re.fullmatch(r"reports/[0-9a-f]{32}\.pdf", name), name


def test_a_draft_always_renders_live(client_for, peer, review, report_draft, media, renders):
    client = client_for(peer)
    _pdf(client, review)
    _pdf(client, review)
    assert len(renders) == 2
    assert not StoredPDF.objects.exists()


def test_a_frozen_version_renders_live_and_is_not_stored(
    client_for, peer, review, report_draft, media, renders
):
    client = client_for(peer)
    assert _pdf(client, review, version=1).status_code == 200
    assert _pdf(client, review, version=1).status_code == 200
    assert len(renders) == 2
    assert not StoredPDF.objects.exists()


def test_a_missing_stored_file_is_rendered_on_demand_and_stored_again(
    client_for, peer, review, final, renders
):
    client = client_for(peer)
    _pdf(client, review)
    lost = StoredPDF.objects.get().file.name
    default_storage.delete(lost)  # e.g. a media folder restored from an older backup
    response = _pdf(client, review)
    assert _body(response) == STUB
    assert len(renders) == 2
    stored = StoredPDF.objects.get()
    assert stored.file.name != lost
    assert default_storage.exists(stored.file.name)
    _pdf(client, review)
    assert len(renders) == 2


def test_the_public_link_serves_the_stored_file(
    client_for, coordinator, review, final, renders, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish_report(report=final, by=coordinator)
    assert len(renders) == 1
    final.new_public_token()
    final.save(update_fields=["public_token"])
    response = client_for(None).get(reverse("reports:public_report_pdf", args=[final.public_token]))
    assert response.status_code == 200
    assert _body(response) == STUB
    assert response["X-Robots-Tag"].startswith("noindex")
    assert response["Content-Disposition"].startswith("inline; filename=")
    assert len(renders) == 1


def test_reopening_a_final_report_drops_its_stored_pdf(
    client_for, coordinator, peer, review, final, renders, django_capture_on_commit_callbacks
):
    _pdf(client_for(peer), review)
    name = StoredPDF.objects.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        reopen_final_report(report=final, by=coordinator)
    assert not StoredPDF.objects.exists()
    assert not default_storage.exists(name)
    # Frozen again: its PDF renders at every download until it is final once more.
    client = client_for(peer)
    _pdf(client, review)
    _pdf(client, review)
    assert len(renders) == 3


def test_the_stored_pdf_keeps_the_permission_checks(
    client_for, host, outsider, peer, review, final, renders
):
    _pdf(client_for(peer), review)
    assert StoredPDF.objects.exists()
    # Final but not published: the host city does not get it yet; others never.
    assert _pdf(client_for(host), review).status_code == 403
    assert _pdf(client_for(outsider), review).status_code == 404
    assert _pdf(client_for(None), review).status_code == 302
    assert len(renders) == 1


def test_a_version_written_in_dutch_is_stored_in_dutch(client_for, peer, review, final, renders):
    version = final.final_version
    version.content = {**version.content, "language": "nl"}
    version.save(update_fields=["content"])
    _pdf(client_for(peer), review)
    assert StoredPDF.objects.get().language == "nl"
    assert '<html lang="nl">' in renders[0]


def test_a_failed_render_shows_the_retry_page_and_stores_nothing(
    client_for, peer, review, final, monkeypatch
):
    def broken(html):
        raise OSError("no fonts")

    monkeypatch.setattr("reports.pdf.render_pdf", broken)
    response = _pdf(client_for(peer), review)
    assert response.status_code == 503
    assert "no fonts" not in response.content.decode()
    assert not StoredPDF.objects.exists()


def test_deleting_the_review_removes_the_stored_file(
    client_for, peer, review, final, renders, django_capture_on_commit_callbacks
):
    _pdf(client_for(peer), review)
    name = StoredPDF.objects.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        Review.objects.get(pk=review.pk).delete()
    assert not default_storage.exists(name)


# --- the comparative report of a programme ------------------------------------------------


@pytest.fixture
def synthesis(db, media):
    """A programme's comparative report, version 1 approved by both authors, not published."""
    from core.approvals import record_approval
    from syntheses.services import freeze_version
    from tests.conftest import new_cast_member
    from tests.synthesis_data import synthesis_programme

    programme, report, leaders = synthesis_programme()
    coordinator = new_cast_member("coordinator")
    version = freeze_version(report=report, by=coordinator)
    for leader in leaders[:2]:
        record_approval(version=version, by=leader, approves=True, comment="")
    report.forget()
    return {"programme": programme, "report": report, "coordinator": coordinator}


def _public_synthesis(client, programme):
    return client.get(reverse("reports:public_synthesis_pdf", args=[programme.pk]))


def test_publishing_a_comparative_report_stores_its_pdf_once_for_every_reader(
    client_for, synthesis, renders, django_capture_on_commit_callbacks
):
    from syntheses.services import publish_report

    programme = synthesis["programme"]
    with django_capture_on_commit_callbacks(execute=True):
        version = publish_report(report=synthesis["report"], by=synthesis["coordinator"])
    stored = StoredPDF.objects.get(comparative=version)
    assert (stored.version, stored.language, stored.size) == (None, "en", len(STUB))
    assert len(renders) == 1
    for _reader in range(3):
        response = _public_synthesis(client_for(None), programme)
        assert response.status_code == 200
        assert response.streaming  # from the storage
        assert _body(response) == STUB
    signed_in = client_for(synthesis["coordinator"]).get(
        reverse("reports:synthesis_pdf", args=[programme.pk])
    )
    assert _body(signed_in) == STUB
    assert signed_in["Content-Disposition"] == (
        f'inline; filename="critical-friend-{slugify(programme.name)}-comparative-report-v1.pdf"'
    )
    assert len(renders) == 1


def test_reopening_a_comparative_report_drops_its_stored_pdf(
    client_for, synthesis, renders, django_capture_on_commit_callbacks
):
    from syntheses.models import ComparativeReport
    from syntheses.services import publish_report, reopen_report

    with django_capture_on_commit_callbacks(execute=True):
        publish_report(report=synthesis["report"], by=synthesis["coordinator"])
    name = StoredPDF.objects.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        reopen_report(report=ComparativeReport.objects.get(), by=synthesis["coordinator"])
    assert not StoredPDF.objects.exists()
    assert not default_storage.exists(name)
    assert _public_synthesis(client_for(None), synthesis["programme"]).status_code == 404
    # Waiting for approval again: the coordinator's draft download renders live each time.
    client = client_for(synthesis["coordinator"])
    address = reverse("reports:synthesis_pdf", args=[synthesis["programme"].pk]) + "?version=1"
    client.get(address)
    client.get(address)
    assert len(renders) == 3
    assert not StoredPDF.objects.exists()


def test_a_stored_pdf_belongs_to_exactly_one_version(synthesis):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        StoredPDF.objects.create(language="en", size=1, file="reports/x.pdf")
