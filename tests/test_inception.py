"""Step 3: the inception report, written by the host, read by the team after submission."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from benchmarks.services import import_version
from reviews.models import (
    Attachment,
    BackgroundSection,
    InceptionReport,
    Notification,
    ReviewEvent,
    SelfAssessment,
)
from reviews.models.inception import SECTION_KEYS
from tests.conftest import PDF_BYTES, small_benchmark_data


@pytest.fixture
def ready(review_work, review):
    """The review of the cast with a 5-indicator benchmark and some work (see conftest)."""
    return review


def group_url(review, code="AA"):
    group = review.benchmark_version.groups.get(code=code)
    return reverse("reviews:inception_group", args=[review.pk, group.pk])


def assessment_data(review, code: str, edit_version: int = 0, **fields) -> dict:
    indicator = review.benchmark_version.indicators.get(code=code)
    prefix = f"i{indicator.pk}"
    data = {f"{prefix}-edit_version": edit_version}
    for name, value in fields.items():
        data[f"{prefix}-{name}"] = value
    return data


def untouched(review, code: str) -> dict:
    return assessment_data(review, code)


def submit_url(review) -> str:
    return reverse("reviews:inception_submit", args=[review.pk])


def submit_anyway(client, review, reason: str = "The budgets follow in May."):
    """Post the confirmation page as the host sees it: what is missing, and a reason."""
    seen = InceptionReport.objects.get(review=review).gaps().fingerprint()
    return client.post(submit_url(review), {"reason": reason, "seen": seen})


def test_host_writes_a_background_section_rendered_safely(client_for, host, ready):
    client = client_for(host)
    url = reverse("reviews:inception_section", args=[ready.pk, "strategy"])
    response = client.post(
        url,
        {"text": "We define *immigrant* as...\n\n<script>alert('x')</script>", "edit_version": 1},
    )
    assert response.status_code == 302
    html = client.get(reverse("reviews:inception_read", args=[ready.pk])).content.decode()
    assert "<em>immigrant</em>" in html
    assert "<script>alert" not in html


def test_self_assessment_per_group_saves_only_what_changed(client_for, host, ready):
    data = {
        **assessment_data(
            ready,
            "AA/X/1",
            achieved="A strategic plan since 2019",
            evidence="Council decision 2019/12",
        ),
        **untouched(ready, "AA/X/2"),
        **untouched(ready, "AA/Y/1"),
    }
    response = client_for(host).post(group_url(ready), data)
    assert response.status_code == 302
    saved = SelfAssessment.objects.get()
    assert (saved.indicator.code, saved.achieved) == ("AA/X/1", "A strategic plan since 2019")


def test_bad_input_is_shown_at_the_field_and_nothing_is_saved(client_for, host, ready):
    data = {
        **assessment_data(ready, "AA/X/1", achieved="Good text that must not be lost"),
        **assessment_data(ready, "AA/X/2", links="not a link"),
        **untouched(ready, "AA/Y/1"),
    }
    response = client_for(host).post(group_url(ready), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "not a link is not a web address" in html
    assert "Nothing was saved" in html
    assert "Good text that must not be lost" in html
    assert not SelfAssessment.objects.exists()


def test_two_hosts_saving_one_indicator_see_a_conflict(client_for, host, ready, make_user):
    from reviews.models import Membership

    colleague = make_user(name="Pieter", city=ready.host_city)
    Membership.objects.create(review=ready, user=colleague, role="host")
    first = {
        **assessment_data(ready, "AA/X/1", achieved="Written by Anouk"),
        **untouched(ready, "AA/X/2"),
        **untouched(ready, "AA/Y/1"),
    }
    assert client_for(host).post(group_url(ready), first).status_code == 302
    # Pieter loaded the page before Anouk saved: his form still says version 1 / new row.
    second = {
        **assessment_data(ready, "AA/X/1", achieved="Written by Pieter"),
        **untouched(ready, "AA/X/2"),
        **untouched(ready, "AA/Y/1"),
    }
    response = client_for(colleague).post(group_url(ready), second)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Written by Anouk" in html and "Written by Pieter" in html
    assert SelfAssessment.objects.get().achieved == "Written by Anouk"
    # He chooses his version: the page now carries the saved version number.
    version = re.search(r'name="i\d+-edit_version" value="(\d+)"', html)
    assert version is not None
    first_version = SelfAssessment.objects.get().edit_version
    third = {
        **assessment_data(
            ready, "AA/X/1", edit_version=first_version, achieved="Written by Pieter"
        ),
        **untouched(ready, "AA/X/2"),
        **untouched(ready, "AA/Y/1"),
    }
    assert client_for(colleague).post(group_url(ready), third).status_code == 302
    assert SelfAssessment.objects.get().achieved == "Written by Pieter"


def test_an_edit_of_an_existing_row_from_a_stale_page_conflicts(client_for, host, ready):
    client = client_for(host)
    base = {**untouched(ready, "AA/X/2"), **untouched(ready, "AA/Y/1")}
    client.post(group_url(ready), {**assessment_data(ready, "AA/X/1", achieved="v1"), **base})
    row = SelfAssessment.objects.get()
    client.post(
        group_url(ready),
        {**assessment_data(ready, "AA/X/1", edit_version=row.edit_version, achieved="v2"), **base},
    )
    stale = client.post(
        group_url(ready),
        {**assessment_data(ready, "AA/X/1", edit_version=row.edit_version, achieved="v3"), **base},
    )
    assert stale.status_code == 409
    assert SelfAssessment.objects.get().achieved == "v2"


def test_submit_locks_notifies_the_team_and_opens_it_to_peers(
    client_for, host, peer, team_leader, coordinator, ready, django_capture_on_commit_callbacks
):
    assert (
        client_for(peer).get(reverse("reviews:inception_read", args=[ready.pk])).status_code == 403
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = submit_anyway(client_for(host), ready)
    assert response.status_code == 302
    report = InceptionReport.objects.get(review=ready)
    assert report.is_submitted and report.submitted_by == host
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([peer.email, team_leader.email])
    assert "Inception report submitted" in mail.outbox[0].subject
    assert Notification.objects.filter(user=peer, review=ready).exists()
    assert not Notification.objects.filter(user=host, text__contains="submitted").exists()
    # Locked: the host can no longer edit, in the views and in the model.
    assert client_for(host).get(group_url(ready)).status_code == 403
    with pytest.raises(ValidationError):
        BackgroundSection.objects.create(report=report, key="budgets", text="late")
    # The team reads it now, on screen and as PDF.
    assert (
        client_for(peer).get(reverse("reviews:inception_read", args=[ready.pk])).status_code == 200
    )
    pdf = client_for(peer).get(reverse("reports:inception_pdf", args=[ready.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    dashboard = client_for(peer).get(reverse("reviews:dashboard")).content.decode()
    assert "is submitted: you can read it now" in dashboard


def test_notifications_are_written_in_each_persons_language(
    client_for, host, peer, ready, django_capture_on_commit_callbacks
):
    peer.preferred_language = "nl"
    peer.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit_anyway(client_for(host), ready)
    message = next(m for m in mail.outbox if m.to == [peer.email])
    assert message.subject == "Startrapport ingediend: Review of Rotterdam"
    assert "je kunt het nu lezen" in message.body
    assert "Open het hier:" in message.body


def test_coordinator_reopens_with_a_recorded_reason(client_for, host, coordinator, ready):
    submit_anyway(client_for(host), ready)
    url = reverse("reviews:inception_reopen", args=[ready.pk])
    response = client_for(coordinator).post(url, {"reason": ""}, follow=True)
    assert "This field is required" in response.content.decode()
    assert InceptionReport.objects.get(review=ready).is_submitted
    client_for(coordinator).post(url, {"reason": "Budget figures are missing"})
    report = InceptionReport.objects.get(review=ready)
    assert not report.is_submitted
    event = ReviewEvent.objects.get(verb=ReviewEvent.REOPENED)
    assert (event.actor, event.note) == (coordinator, "Budget figures are missing")
    assert "Budget figures are missing" in report.history.first().history_change_reason
    assert (
        "Budget figures are missing"
        in client_for(host).get(reverse("reviews:inception", args=[ready.pk])).content.decode()
    )


def test_a_pdf_attachment_is_stored_and_served_to_the_host(client_for, host, ready):
    url = reverse("reviews:inception_section", args=[ready.pk, "structure"])
    upload = SimpleUploadedFile("organigram.pdf", PDF_BYTES)
    response = client_for(host).post(
        url, {"text": "See the diagram.", "edit_version": 1, "attachment": upload}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(original_name="organigram.pdf")
    assert "organigram" not in attachment.file.name  # stored under an unguessable name
    download = client_for(host).get(reverse("reviews:file", args=[ready.pk, attachment.pk]))
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert "organigram.pdf" in download["Content-Disposition"]


def test_a_file_renamed_to_pdf_is_refused(client_for, host, ready):
    url = reverse("reviews:inception_section", args=[ready.pk, "structure"])
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 this is a Windows program")
    response = client_for(host).post(
        url, {"text": "Text stays.", "edit_version": 1, "attachment": fake}
    )
    html = response.content.decode()
    assert "This file type is not accepted" in html
    assert "Text stays." in html
    assert not Attachment.objects.filter(original_name="report.pdf").exists()
    assert not BackgroundSection.objects.filter(key="structure").exclude(text="").exists()


def test_an_oversized_file_is_refused(client_for, host, ready, settings):
    settings.UPLOAD_MAX_BYTES = 100
    url = reverse("reviews:inception_section", args=[ready.pk, "structure"])
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 200)
    response = client_for(host).post(url, {"text": "x", "edit_version": 1, "attachment": big})
    assert "The file is too large" in response.content.decode()
    assert not Attachment.objects.filter(original_name="big.pdf").exists()


def test_outsiders_get_404_and_peers_403_for_a_file_before_submission(
    client_for, outsider, peer, ready, review_work
):
    url = reverse("reviews:file", args=[ready.pk, review_work["attachment"].pk])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(peer).get(url).status_code == 403


def test_scope_limits_the_indicators_the_host_assesses(client_for, host, ready):
    ready.scope.set(ready.benchmark_version.indicators.filter(code="AA/X/1"))
    html = client_for(host).get(group_url(ready)).content.decode()
    assert "AA/X/1" in html and "AA/Y/1" not in html
    other_group = client_for(host).get(group_url(ready, "BB"))
    assert other_group.status_code == 404
    assert ready.inception_report.progress()["total"] == 1


def test_progress_counts_complete_assessments(client_for, host, ready):
    level = ready.benchmark_version.ratingscales.get(purpose="performance").levels.first()
    data = {
        **assessment_data(ready, "AA/X/1", rating=level.pk, achieved="a", evidence="e"),
        **assessment_data(ready, "AA/X/2", achieved="only this"),
        **untouched(ready, "AA/Y/1"),
    }
    client_for(host).post(group_url(ready), data)
    progress = ready.inception_report.progress()
    assert (progress["done"], progress["total"]) == (1, 5)
    assert progress["groups"][0] | {"group": None} == {
        "group": None,
        "done": 1,
        "total": 3,
        "percent": 33,
    }


def _big_review(review, count: int):
    data = small_benchmark_data(slug="big")
    data["indicators"] = [
        {
            "group": "AA",
            "value": "XY"[n % 2],
            "number": n // 2 + 1,
            "text": {"en": f"Indicator {n}"},
        }
        for n in range(count)
    ]
    review.benchmark_version = import_version(data, publish=True)
    review.save()
    return review.benchmark_version.groups.get(code="AA")


@pytest.mark.parametrize("filled", [0, 24])
def test_group_page_query_count_is_bounded_for_24_indicators(
    client_for, host, review, django_assert_max_num_queries, filled
):
    group = _big_review(review, 24)
    report = review.inception_report
    for indicator in review.benchmark_version.indicators.all()[:filled]:
        SelfAssessment.objects.create(
            report=report, indicator=indicator, achieved="x", evidence="y"
        )
    client = client_for(host)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("reviews:inception_group", args=[review.pk, group.pk]))
    assert response.content.decode().count("<fieldset") == 24


def test_opening_a_section_creates_nothing_and_two_first_saves_conflict(
    client_for, host, ready, make_user
):
    from reviews.models import Membership

    url = reverse("reviews:inception_section", args=[ready.pk, "budgets"])
    assert client_for(host).get(url).status_code == 200
    assert not BackgroundSection.objects.filter(key="budgets").exists()
    colleague = make_user(name="Pieter", city=ready.host_city)
    Membership.objects.create(review=ready, user=colleague, role="host")
    client_for(host).post(url, {"text": "EUR 4 million a year", "edit_version": 0})
    response = client_for(colleague).post(url, {"text": "EUR 5 million", "edit_version": 0})
    assert response.status_code == 409
    assert "EUR 4 million a year" in response.content.decode()
    assert BackgroundSection.objects.get(key="budgets").text == "EUR 4 million a year"


def test_pdf_of_the_report_holds_its_text_in_the_readers_language(
    client_for, host, coordinator, ready
):
    import io

    from pypdf import PdfReader

    client_for(host).post(
        reverse("reviews:inception_section", args=[ready.pk, "politics"]),
        {"text": "A coalition of <b>four</b> parties.", "edit_version": 0},
    )
    coordinator.preferred_language = "nl"
    coordinator.save()
    response = client_for(coordinator).get(reverse("reports:inception_pdf", args=[ready.pk]))
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Startrapport van Rotterdam" in text
    assert "A coalition of" in text and "four" in text
    assert "pagina 1 van" in text
    assert reader.trailer["/Root"]["/Lang"] == "nl"


def test_a_failed_pdf_render_shows_a_retry_page(client_for, host, ready, monkeypatch):
    import reports.pdf

    def broken(html):
        raise OSError("out of memory")

    monkeypatch.setattr(reports.pdf, "render_pdf", broken)  # the outside world: WeasyPrint
    response = client_for(host).get(reverse("reports:inception_pdf", args=[ready.pk]))
    assert response.status_code == 503
    assert "Try again" in response.content.decode()


def test_host_proposes_edits_and_removes_an_interviewee(client_for, host, ready):
    from reviews.models import ProposedInterviewee

    client = client_for(host)
    indicator = ready.benchmark_version.indicators.get(code="AA/X/1")
    response = client.post(
        reverse("reviews:interviewee_add", args=[ready.pk]),
        {
            "name": "Karim",
            "organisation": "Alderman",
            "kind": "politician",
            "attribution": "named",
            "indicators": [indicator.pk],
            "edit_version": 0,
        },
    )
    assert response.status_code == 302
    karim = ProposedInterviewee.objects.get(name="Karim")
    assert list(karim.indicators.values_list("code", flat=True)) == ["AA/X/1"]
    html = client.get(reverse("reviews:interviewees", args=[ready.pk])).content.decode()
    assert "Karim" in html and "AA/X/1" in html
    response = client.post(
        reverse("reviews:interviewee_edit", args=[ready.pk, karim.pk]),
        {"name": "Karim", "organisation": "", "kind": "politician", "edit_version": 1},
    )
    assert 'href="#id_organisation"' in response.content.decode()
    delete_url = reverse("reviews:interviewee_delete", args=[ready.pk, karim.pk])
    assert "Remove Karim from the list?" in client.get(delete_url).content.decode()
    assert ProposedInterviewee.objects.filter(pk=karim.pk).exists()  # asking removes nothing
    client.post(delete_url)
    assert not ProposedInterviewee.objects.filter(pk=karim.pk).exists()


def test_provenance_is_saved_and_shown_to_the_team(client_for, host, peer, ready):
    client_for(host).post(
        reverse("reviews:inception_provenance", args=[ready.pk]),
        {
            "written_by": "The integration team",
            "partners": "Migrant council",
            "political_involvement": "approved",
            "sign_off": "Alderman",
            "edit_version": 1,
        },
    )
    submit_anyway(client_for(host), ready)
    html = client_for(peer).get(reverse("reviews:inception_read", args=[ready.pk])).content.decode()
    assert "The integration team" in html
    assert "Approved: signed off by the responsible politician" in html


def test_a_database_error_midway_through_a_group_save_leaves_nothing_saved(
    client_for, host, ready, monkeypatch
):
    from django.db import DatabaseError

    calls = {"n": 0}
    original = SelfAssessment.save

    def flaky_save(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise DatabaseError("disk full")  # the outside world failing mid-save
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SelfAssessment, "save", flaky_save)
    data = {
        **assessment_data(ready, "AA/X/1", achieved="first row"),
        **assessment_data(ready, "AA/X/2", achieved="second row"),
        **untouched(ready, "AA/Y/1"),
    }
    client = client_for(host)
    client.raise_request_exception = False
    response = client.post(group_url(ready), data)
    assert response.status_code == 500
    assert not SelfAssessment.objects.exists()


# --- Submitting asks first and says what is missing (issue 12) ---------------------------


def complete_the_report(review, *, scope_code: str = "AA/X/1") -> None:
    """Everything the template asks for, on a scope of one indicator."""
    review.scope.set(review.benchmark_version.indicators.filter(code=scope_code))
    report = review.inception_report
    for key in SECTION_KEYS:
        BackgroundSection.objects.update_or_create(
            report=report, key=key, defaults={"text": f"About {key}."}
        )
    report.written_by = "The integration team"
    report.political_involvement = "consulted"
    report.save()
    level = review.benchmark_version.ratingscales.get(purpose="performance").levels.first()
    SelfAssessment.objects.create(
        report=report,
        indicator=review.benchmark_version.indicators.get(code=scope_code),
        rating=level,
        achieved="A plan.",
        evidence="Council decision.",
    )


def test_submitting_asks_first_and_lists_what_is_missing_with_links(client_for, host, ready):
    level = ready.benchmark_version.ratingscales.get(purpose="performance").levels.first()
    client_for(host).post(
        group_url(ready),
        {
            **assessment_data(ready, "AA/X/1", rating=level.pk, achieved="a", evidence="e"),
            **assessment_data(ready, "AA/X/2", rating=level.pk, achieved="only rated"),
            **untouched(ready, "AA/Y/1"),
        },
    )
    response = client_for(host).get(submit_url(ready))
    html = response.content.decode()
    assert response.status_code == 200
    assert not InceptionReport.objects.get(review=ready).is_submitted  # asking submits nothing
    # Six of seven sections are empty ("features" is written), each linked.
    assert "6 background sections not written" in html
    budgets = reverse("reviews:inception_section", args=[ready.pk, "budgets"])
    assert f'href="{budgets}"' in html
    features = reverse("reviews:inception_section", args=[ready.pk, "features"])
    assert f'href="{features}"' not in html
    # Indicators: 3 of 5 unrated; 4 without evidence; each linked to its place on its page.
    assert "3 of 5 indicators without a self-rating" in html
    assert "4 of 5 indicators without evidence" in html
    second = ready.benchmark_version.indicators.get(code="AA/X/2")
    assert f'{group_url(ready)}#indicator-{second.pk}">AA/X/2</a>: missing evidence' in html
    first = ready.benchmark_version.indicators.get(code="AA/X/1")
    assert f"#indicator-{first.pk}" not in html
    assert ">BB/X/1</a>: not assessed" in html
    # Provenance.
    assert "Not given: who wrote it, and how; political involvement." in html
    assert reverse("reviews:inception_provenance", args=[ready.pk]) in html
    assert "Submit anyway" in html


def test_an_incomplete_report_is_not_submitted_without_a_reason(client_for, host, ready):
    client = client_for(host)
    seen = ready.inception_report.gaps().fingerprint()
    response = client.post(submit_url(ready), {"reason": "  ", "seen": seen})
    html = response.content.decode()
    assert response.status_code == 200
    # Next to the field, and in the summary above the form.
    assert (
        '<span id="error_1_id_reason"><strong>'
        "The report is not complete: say why you submit it as it is.</strong>" in html
    )
    assert 'href="#id_reason">Reason for submitting it as it is: The report is not complete' in html
    assert not InceptionReport.objects.get(review=ready).is_submitted
    assert not ReviewEvent.objects.exists()


def test_submit_anyway_records_the_reason_and_shows_it_in_the_history(
    client_for, host, peer, ready
):
    response = submit_anyway(client_for(host), ready, reason="The budgets follow in May.")
    assert response.status_code == 302
    report = InceptionReport.objects.get(review=ready)
    assert report.is_submitted
    event = ReviewEvent.objects.get(verb=ReviewEvent.SUBMITTED)
    assert (event.actor, event.note) == (host, "The budgets follow in May.")
    assert report.history.first().history_change_reason == (
        "submitted incomplete: The budgets follow in May."
    )
    overview = client_for(host).get(reverse("reviews:inception", args=[ready.pk]))
    assert "submitted the inception report (The budgets follow in May.)" in (
        overview.content.decode()
    )
    read = client_for(peer).get(reverse("reviews:inception_read", args=[ready.pk]))
    assert "Submitted incomplete, because" in read.content.decode()
    assert "The budgets follow in May." in read.content.decode()


def test_a_complete_report_is_submitted_without_a_reason(client_for, host, ready):
    complete_the_report(ready)
    assert not ready.inception_report.gaps()
    client = client_for(host)
    page = client.get(submit_url(ready)).content.decode()
    assert "Every background section is written" in page
    assert 'name="reason"' not in page
    seen = ready.inception_report.gaps().fingerprint()
    assert client.post(submit_url(ready), {"seen": seen}).status_code == 302
    assert InceptionReport.objects.get(review=ready).is_submitted
    assert ReviewEvent.objects.get(verb=ReviewEvent.SUBMITTED).note == ""


def test_a_change_in_what_is_missing_stops_the_submission_and_keeps_the_reason(
    client_for, host, ready
):
    client = client_for(host)
    seen = ready.inception_report.gaps().fingerprint()
    # Meanwhile a colleague empties the only written section.
    BackgroundSection.objects.filter(report__review=ready, key="features").update(text="")
    response = client.post(submit_url(ready), {"reason": "Budgets in May.", "seen": seen})
    html = response.content.decode()
    assert "What is missing changed while this page was open" in html
    assert ">\nBudgets in May.</textarea>" in html
    assert "7 background sections not written" in html
    assert not InceptionReport.objects.get(review=ready).is_submitted


def test_the_model_refuses_an_incomplete_submission_without_a_reason(host, ready):
    report = ready.inception_report
    with pytest.raises(ValidationError, match="say why"):
        report.submit(by=host)
    report.submit(by=host, reason="On purpose")
    assert InceptionReport.objects.get(pk=report.pk).is_submitted


def test_progress_and_gaps_count_the_same_indicators_and_sections(client_for, host, ready):
    level = ready.benchmark_version.ratingscales.get(purpose="performance").levels.first()
    client_for(host).post(
        group_url(ready),
        {
            **assessment_data(ready, "AA/X/1", rating=level.pk, achieved="a", evidence="e"),
            **assessment_data(ready, "AA/X/2", achieved="a", evidence="e"),
            **untouched(ready, "AA/Y/1"),
        },
    )
    report = InceptionReport.objects.get(review=ready)
    gaps = report.gaps()
    progress = report.progress()
    assert [i.code for i in gaps.unrated] == ["AA/X/2", "AA/Y/1", "BB/X/1", "BB/Y/1"]
    assert progress["done"] == progress["total"] - len(gaps.indicators) == 1
    assert progress["sections_written"] == 7 - len(gaps.sections) == 1
    html = client_for(host).get(reverse("reviews:inception", args=[ready.pk])).content.decode()
    assert "1 of 5 indicators assessed in full; 1 of 7 background sections written." in html


# --- Removing a file or a person asks first -----------------------------------------------


def test_removing_a_file_asks_first_naming_it_then_removes_it(client_for, host, ready, review_work):
    attachment = review_work["attachment"]
    back = reverse("reviews:inception_section", args=[ready.pk, "features"])
    url = reverse("reviews:file_delete", args=[ready.pk, attachment.pk])
    client = client_for(host)
    html = client.get(url, {"next": back}).content.decode()
    assert "Remove structure.pdf?" in html
    assert "attached to the background section “Key features of the municipality”" in html
    assert f'name="next" value="{back}"' in html
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    response = client.post(url, {"next": back})
    assert response["Location"] == back
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


def test_a_file_cited_by_evidence_is_not_removed(client_for, host, ready, review_work):
    from reviews.models import Evidence

    attachment = review_work["attachment"]
    Evidence.objects.filter(review=ready).update(
        document="attachment", document_attachment=attachment
    )
    url = reverse("reviews:file_delete", args=[ready.pk, attachment.pk])
    response = client_for(host).post(url)
    assert response.status_code == 409
    assert "Evidence cites this document, so it stays." in response.content.decode()
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_a_removal_never_goes_back_to_another_site(client_for, host, ready, review_work):
    url = reverse("reviews:file_delete", args=[ready.pk, review_work["attachment"].pk])
    response = client_for(host).post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("reviews:inception", args=[ready.pk])


def test_the_group_page_links_each_file_to_its_removal_page(client_for, host, ready):
    client = client_for(host)
    upload = SimpleUploadedFile("plan.pdf", PDF_BYTES)
    data = {
        **assessment_data(ready, "AA/X/1", achieved="A plan", attachment=upload),
        **untouched(ready, "AA/X/2"),
        **untouched(ready, "AA/Y/1"),
    }
    assert client.post(group_url(ready), data).status_code == 302
    attachment = Attachment.objects.get(original_name="plan.pdf")
    html = client.get(group_url(ready)).content.decode()
    remove = reverse("reviews:file_delete", args=[ready.pk, attachment.pk])
    assert f'href="{remove}?next=' in html
    assert f'action="{remove}"' not in html  # no form of its own inside the group's form


def test_removing_an_interviewee_names_the_sessions_they_are_planned_in(
    client_for, host, ready, review_work
):
    person = review_work["person"]
    url = reverse("reviews:interviewee_delete", args=[ready.pk, person.pk])
    html = client_for(host).get(url).content.decode()
    assert "Remove Ayse Demir from the list?" in html
    assert "They are planned in 1 visit session" in html
    assert "Interview 1" in html


# --- A chosen file is kept when the page comes back unsaved --------------------------------


def test_a_file_chosen_for_one_indicator_is_kept_when_another_field_fails(client_for, host, ready):
    from reviews.models import HeldUpload

    client = client_for(host)
    upload = SimpleUploadedFile("plan.pdf", PDF_BYTES)
    first = ready.benchmark_version.indicators.get(code="AA/X/1")
    response = client.post(
        group_url(ready),
        {
            **assessment_data(ready, "AA/X/1", achieved="A plan", attachment=upload),
            **assessment_data(ready, "AA/X/2", links="not a link"),
            **untouched(ready, "AA/Y/1"),
        },
    )
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert not Attachment.objects.filter(original_name="plan.pdf").exists()
    assert not SelfAssessment.objects.exists()
    held = HeldUpload.objects.get()
    assert held.original_name == "plan.pdf"
    assert f'name="i{first.pk}-held_attachment" value="{held.pk}"' in html
    assert (
        f'id="id_i{first.pk}-attachment_helptext">Kept: plan.pdf. It is attached when you save'
        in html
    )
    # Corrected and saved: the kept file is attached, no longer held.
    response = client.post(
        group_url(ready),
        {
            **assessment_data(ready, "AA/X/1", achieved="A plan", held_attachment=held.pk),
            **assessment_data(ready, "AA/X/2", links="https://example.org"),
            **untouched(ready, "AA/Y/1"),
        },
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(original_name="plan.pdf")
    assert attachment.assessment.indicator == first
    assert attachment.file.read() == PDF_BYTES
    assert not HeldUpload.objects.exists()


def test_a_held_file_is_attached_only_for_the_person_who_chose_it(
    client_for, host, ready, make_user
):
    from reviews.models import HeldUpload, Membership
    from reviews.services.inception import hold_upload

    colleague = make_user(name="Pieter", city=ready.host_city)
    Membership.objects.create(review=ready, user=colleague, role="host")
    held = hold_upload(review=ready, upload=SimpleUploadedFile("plan.pdf", PDF_BYTES), by=host)
    response = client_for(colleague).post(
        group_url(ready),
        {
            **assessment_data(ready, "AA/X/1", achieved="x", held_attachment=held.pk),
            **untouched(ready, "AA/X/2"),
            **untouched(ready, "AA/Y/1"),
        },
    )
    assert "The file you chose before is no longer kept: choose it again." in (
        response.content.decode()
    )
    assert not Attachment.objects.filter(original_name="plan.pdf").exists()
    assert HeldUpload.objects.filter(pk=held.pk).exists()


def test_held_files_nobody_came_back_for_are_removed_after_a_day(host, ready):
    import datetime

    from django.utils import timezone

    from reviews.models import HeldUpload
    from reviews.services.inception import hold_upload

    old = hold_upload(review=ready, upload=SimpleUploadedFile("old.pdf", PDF_BYTES), by=host)
    HeldUpload.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    new = hold_upload(review=ready, upload=SimpleUploadedFile("new.pdf", PDF_BYTES), by=host)
    assert list(HeldUpload.objects.all()) == [new]


def test_a_section_file_is_kept_through_an_edit_conflict(client_for, host, ready, make_user):
    from reviews.models import HeldUpload, Membership

    url = reverse("reviews:inception_section", args=[ready.pk, "budgets"])
    colleague = make_user(name="Pieter", city=ready.host_city)
    Membership.objects.create(review=ready, user=colleague, role="host")
    client_for(host).post(url, {"text": "EUR 4 million a year", "edit_version": 0})
    upload = SimpleUploadedFile("budget.pdf", PDF_BYTES)
    response = client_for(colleague).post(
        url, {"text": "EUR 5 million", "edit_version": 0, "attachment": upload}
    )
    assert response.status_code == 409
    html = response.content.decode()
    held = HeldUpload.objects.get()
    assert "Kept: budget.pdf." in html
    assert f'name="held_attachment" value="{held.pk}"' in html
    version = BackgroundSection.objects.get(key="budgets").edit_version
    response = client_for(colleague).post(
        url, {"text": "EUR 5 million", "edit_version": version, "held_attachment": held.pk}
    )
    assert response.status_code == 302
    assert Attachment.objects.get(original_name="budget.pdf").section.key == "budgets"


def test_a_kept_file_name_is_shown_escaped(client_for, host, ready):
    upload = SimpleUploadedFile("<img src=x onerror=alert(1)>.pdf", PDF_BYTES)
    response = client_for(host).post(
        group_url(ready),
        {
            **assessment_data(ready, "AA/X/1", attachment=upload),
            **assessment_data(ready, "AA/X/2", links="not a link"),
            **untouched(ready, "AA/Y/1"),
        },
    )
    html = response.content.decode()
    assert "Kept: &lt;img src=x onerror=alert(1)&gt;.pdf" in html
    assert "<img src=x" not in html


def _counts(progress: dict) -> dict:
    return progress | {"groups": [g | {"group": g["group"].pk} for g in progress["groups"]]}


@pytest.mark.parametrize("scoped", [False, True])
def test_group_tabs_count_as_the_submit_confirmation_does(ready, scoped):
    """The group pages count progress from plain values (`progress()` without gaps): by
    the rule of `gaps()`, whatever was typed, with a scope or without."""
    report = ready.inception_report
    level = ready.benchmark_version.ratingscales.get(purpose="performance").levels.first()
    typed = {
        "AA/X/1": {"rating": level, "achieved": "a", "evidence": "e"},
        "AA/X/2": {"rating": level, "achieved": " \n\t", "evidence": "e"},  # blank: a gap
        "AA/Y/1": {"rating": None, "achieved": "a", "evidence": "e"},
        "BB/X/1": {"rating": level, "achieved": "a", "evidence": "\u00a0"},  # blank: a gap
    }
    for code, fields in typed.items():
        indicator = ready.benchmark_version.indicators.get(code=code)
        SelfAssessment.objects.update_or_create(report=report, indicator=indicator, defaults=fields)
    report.backgroundsections.update_or_create(key=SECTION_KEYS[0], defaults={"text": "x"})
    report.backgroundsections.update_or_create(key=SECTION_KEYS[1], defaults={"text": "  \n"})
    if scoped:
        ready.scope.set(ready.benchmark_version.indicators.exclude(code="AA/X/2"))
    light, full = report.progress(), report.progress(report.gaps())
    assert _counts(light) == _counts(full)
    assert (light["done"], light["total"]) == (1, 4 if scoped else 5)
    assert light["sections_written"] == 1
