"""Long work as jobs: a status page per job that shows progress and the result, for whoever
started it and coordinators; the benchmark import and the review archive export run so."""

from __future__ import annotations

import datetime
import io
import json
import re
import zipfile

import pytest
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from benchmarks.models import BenchmarkVersion
from benchmarks.spreadsheet import to_xlsx
from jobs import kinds
from jobs.models import Job
from jobs.services import start_job
from tests.conftest import small_benchmark_data


def _secret_failure(job) -> None:
    raise RuntimeError("password=hunter2 at /srv/critical-friend/var/media")


def _halfway(job) -> None:
    job.report(40, "Halfway there.")
    raise kinds.JobRefused("Stopped.", [("row 3", "Too long.")])


kinds.register("tests_secret_failure", label="A job that breaks", run=_secret_failure)
kinds.register("tests_halfway", label="A job that stops", run=_halfway)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _job(user, kind="tests_halfway", **fields) -> Job:
    return Job.objects.create(kind=kind, started_by=user, **fields)


# --- the status page ---------------------------------------------------------------------


def test_a_running_job_shows_its_progress_and_says_to_reload_without_javascript(
    client_for, coordinator
):
    job = _job(coordinator, status=Job.RUNNING, progress=40, message="Reading the file.")
    html = client_for(coordinator).get(job.get_absolute_url()).content.decode()
    assert re.search(r'<progress id="job-progress" max="100" value="40"', html)
    assert "Reading the file." in html
    assert "<noscript><p>This page does not refresh itself without JavaScript" in html
    # The only scripts are files of our own (the CSP allows script-src 'self').
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all('src="/static/' in attributes for attributes in scripts), scripts
    assert 'src="/static/js/job-progress.js"' in html
    assert f'data-job-status-url="{reverse("jobs:status", args=[job.pk])}"' in html
    assert finders.find("js/job-progress.js")


def test_the_status_url_answers_the_progress_for_the_script(client_for, coordinator):
    job = _job(coordinator, status=Job.RUNNING)
    job.report(55, "Writing the archive.")
    data = json.loads(client_for(coordinator).get(reverse("jobs:status", args=[job.pk])).content)
    assert data == {
        "status": "running",
        "status_label": "Running",
        "progress": 55,
        "message": "Writing the archive.",
        "finished": False,
    }


def test_only_whoever_started_a_job_and_coordinators_see_it(
    client_for, peer, team_leader, coordinator
):
    job = _job(peer, status=Job.DONE)
    for name in ("jobs:detail", "jobs:status"):
        address = reverse(name, args=[job.pk])
        assert client_for(peer).get(address).status_code == 200
        assert client_for(coordinator).get(address).status_code == 200
        assert client_for(team_leader).get(address).status_code == 404
        assert client_for(None).get(address).status_code == 302


def test_a_refused_job_lists_its_problems(
    client_for, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(kind="tests_halfway", by=coordinator)
    job.refresh_from_db()
    assert (job.status, job.progress) == (Job.FAILED, 40)
    html = client_for(coordinator).get(job.get_absolute_url()).content.decode()
    assert "Stopped." in html
    assert "<tr><td>row 3</td><td>Too long.</td></tr>" in html
    assert "<progress" not in html


def test_a_job_that_breaks_says_so_without_the_error(
    client_for, coordinator, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(kind="tests_secret_failure", by=coordinator)
    html = client_for(coordinator).get(job.get_absolute_url()).content.decode()
    assert "Something went wrong; nothing was saved." in html
    assert "hunter2" not in html
    assert "/srv/" not in html
    assert "hunter2" in caplog.text  # the details are in the log, for an administrator


def test_a_job_runs_only_once_its_transaction_commits(
    coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start_job(kind="tests_halfway", by=coordinator)
    job.refresh_from_db()
    assert job.status == Job.WAITING
    assert len(callbacks) == 1


def test_finished_jobs_go_after_a_week_with_their_files(
    coordinator, media, django_capture_on_commit_callbacks
):
    old = _job(coordinator, status=Job.DONE)
    old.result_file.save("result", io.BytesIO(b"old result"), save=False)
    old.save()
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(days=8))
    recent = _job(coordinator, status=Job.DONE, finished_at=timezone.now())
    name = old.result_file.name
    with django_capture_on_commit_callbacks(execute=True):
        start_job(kind="tests_halfway", by=coordinator)
    assert not Job.objects.filter(pk=old.pk).exists()
    assert Job.objects.filter(pk=recent.pk).exists()
    assert not default_storage.exists(name)


# --- the benchmark import ------------------------------------------------------------------


def test_the_benchmark_import_runs_as_a_job_and_links_the_new_draft(
    client_for, coordinator, media, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    upload = SimpleUploadedFile("charter.xlsx", to_xlsx(small_benchmark_data(slug="charter")))
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        response = client.post(reverse("benchmarks:import_new"), {"file": upload})
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.status == Job.WAITING
    upload_name = job.input_file.name
    assert default_storage.exists(upload_name)  # the upload waits in the media storage
    assert not BenchmarkVersion.objects.filter(benchmark__slug="charter").exists()
    waiting_page = client.get(job.get_absolute_url()).content.decode()
    assert "Waiting to start" in waiting_page

    with django_capture_on_commit_callbacks(execute=True):
        for callback in waiting:
            callback()
    job.refresh_from_db()
    version = BenchmarkVersion.objects.get(benchmark__slug="charter")
    assert (job.status, job.progress, job.result_url) == (
        Job.DONE,
        100,
        version.get_absolute_url(),
    )
    assert not default_storage.exists(upload_name)  # read, then removed
    html = client.get(job.get_absolute_url()).content.decode()
    assert "Imported 3 indicators as draft version 1." in html
    assert f'href="{version.get_absolute_url()}"' in html


# --- the review archive ------------------------------------------------------------------


def test_a_coordinator_exports_the_review_archive_as_a_job_and_downloads_it(
    client_for, coordinator, media, review_work, review, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert f'href="{reverse("reviews:archive_export", args=[review.pk])}"' in page
    explained = client.get(reverse("reviews:archive_export", args=[review.pk]))
    assert "keep it as safe as a database backup" in explained.content.decode()
    assert not Job.objects.exists()  # a GET starts nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:archive_export", args=[review.pk]))
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert (job.kind, job.status, job.params) == (
        "review_archive",
        Job.DONE,
        {"review_id": review.pk},
    )
    assert default_storage.exists(job.result_file.name)
    assert re.fullmatch(r"jobs/[0-9a-f]{32}/result", job.result_file.name)
    html = client.get(job.get_absolute_url()).content.decode()
    assert "Download critical-friend-review-" in html

    download = client.get(reverse("jobs:result", args=[job.pk]))
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"] == (
        f'attachment; filename="critical-friend-review-{review.pk}-rotterdam.zip"'
    )
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["review"] == {"pk": review.pk, "title": review.title}
    assert len(manifest["files"]) == 1  # the attachment in review_work


def test_the_archive_result_is_not_for_members_of_the_review(
    client_for, coordinator, peer, review_work, review, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(coordinator).post(reverse("reviews:archive_export", args=[review.pk]))
    job = Job.objects.get()
    assert client_for(peer).get(reverse("jobs:result", args=[job.pk])).status_code == 404
    assert (
        client_for(peer).post(reverse("reviews:archive_export", args=[review.pk])).status_code
        == 403
    )
    assert Job.objects.count() == 1
