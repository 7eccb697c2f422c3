"""MEDIA_STORAGE=s3: uploads, stored final PDFs and job results in a private S3-compatible
bucket, chosen by settings alone, and still served only through the permission-checked views.

The bucket is moto's S3 server, started here on a free loopback port; the storage settings
are the ones config/settings.py builds from the environment (read in a subprocess)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer

from reports.models import StoredPDF
from reviews.models import Attachment
from reviews.services.feedback_report import finalise_report
from tests.conftest import PDF_BYTES
from tests.test_settings import run_manage
from tests.test_stored_pdfs import STUB, _approve_and_close

BUCKET = "critical-friend-media"
PREFIX = "cf"
KEYS = {"AWS_ACCESS_KEY_ID": "test-key", "AWS_SECRET_ACCESS_KEY": "test-secret"}


@pytest.fixture(scope="module")
def endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="module")
def s3_environ(endpoint):
    return {
        "MEDIA_STORAGE": "s3",
        "MEDIA_S3_BUCKET": BUCKET,
        "MEDIA_S3_ENDPOINT_URL": endpoint,
        "MEDIA_S3_REGION": "us-east-1",
        "MEDIA_S3_PREFIX": PREFIX,
        "MEDIA_S3_ADDRESSING_STYLE": "path",
        **KEYS,
    }


@pytest.fixture(scope="module")
def s3_storages(s3_environ):
    """settings.STORAGES as config/settings.py makes it under these variables."""
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "import json; from django.conf import settings; print(json.dumps(settings.STORAGES))",
        **s3_environ,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def bucket(endpoint, s3_storages, settings, monkeypatch):
    """A fresh private bucket, and the app's media storage pointed at it."""
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": s3_storages["default"]}
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _keys(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def _anonymous_get(endpoint: str, key: str) -> int:
    """What anyone on the network gets for the object's plain URL (no signature)."""
    try:
        with urllib.request.urlopen(f"{endpoint}/{BUCKET}/{key}", timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as refused:
        return refused.code


def test_the_settings_build_a_private_s3_storage_from_the_environment(s3_storages, endpoint):
    default = s3_storages["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"] == {
        "bucket_name": BUCKET,
        "endpoint_url": endpoint,
        "region_name": "us-east-1",
        "location": PREFIX,
        "addressing_style": "path",
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
        "querystring_expire": 300,
    }
    assert "test-secret" not in json.dumps(s3_storages)  # boto3 reads the keys itself


def test_s3_without_a_bucket_refuses_to_start():
    result = run_manage("check", MEDIA_STORAGE="s3")
    assert result.returncode != 0
    assert "MEDIA_STORAGE=s3 needs MEDIA_S3_BUCKET" in result.stderr


def test_the_filesystem_stays_the_default():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.STORAGES['default']['BACKEND'])",
    )
    assert result.stdout.strip() == "django.core.files.storage.FileSystemStorage"


def test_an_upload_goes_to_the_private_bucket_and_comes_back_through_the_view(
    bucket, endpoint, client_for, host, outsider, review_work, review
):
    client = client_for(host)
    url = reverse("reviews:inception_section", args=[review.pk, "structure"])
    upload = SimpleUploadedFile("organigram.pdf", PDF_BYTES)
    response = client.post(url, {"text": "See the file.", "edit_version": 1, "attachment": upload})
    assert response.status_code == 302
    attachment = Attachment.objects.get(original_name="organigram.pdf")
    key = f"{PREFIX}/{attachment.file.name}"
    assert key in _keys(bucket)
    assert _anonymous_get(endpoint, key) == 403
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert all("URI" not in grant["Grantee"] for grant in grants), grants  # no AllUsers grant

    download = client.get(reverse("reviews:file", args=[review.pk, attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"
    outsiders = client_for(outsider).get(reverse("reviews:file", args=[review.pk, attachment.pk]))
    assert outsiders.status_code == 404


def test_a_final_pdf_is_stored_in_the_bucket_and_served_from_it(
    bucket, endpoint, client_for, peer, report_draft, team_leader, review, monkeypatch
):
    renders = []
    monkeypatch.setattr("reports.pdf.render_pdf", lambda html: renders.append(html) or STUB)
    _approve_and_close(report_draft, team_leader)
    finalise_report(report=report_draft, by=team_leader)
    client = client_for(peer)
    first = client.get(reverse("reports:report_pdf", args=[review.pk]))
    assert first.content == STUB
    stored = StoredPDF.objects.get()
    key = f"{PREFIX}/{stored.file.name}"
    assert key in _keys(bucket)
    assert bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read() == STUB
    assert _anonymous_get(endpoint, key) == 403
    second = client.get(reverse("reports:report_pdf", args=[review.pk]))
    assert b"".join(second.streaming_content) == STUB
    assert len(renders) == 1


def test_the_health_check_probes_the_bucket(bucket, client, db):
    response = client.get("/health/")
    assert json.loads(response.content)["checks"]["storage"] == "ok"
    assert _keys(bucket) == set()  # the probe file is gone again


def test_the_health_check_says_unavailable_when_the_bucket_is_gone(bucket, client, db):
    bucket.delete_bucket(Bucket=BUCKET)
    response = client.get("/health/")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["storage"] == "unavailable"
    assert BUCKET not in response.content.decode()
    bucket.create_bucket(Bucket=BUCKET)  # for the fixture's clean-up
