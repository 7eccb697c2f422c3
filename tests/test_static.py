"""Static files carry a hash of their content in production (the proxy caches them for a
year), and the PDF renderer still finds every file, under its hashed or its own name."""

from __future__ import annotations

import io
import logging
from urllib.parse import urljoin

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.template.loader import render_to_string

from reports import pdf
from tests.test_settings import STRONG_KEY, run_manage

MANIFEST = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


def test_production_names_static_files_by_their_content():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])",
        DJANGO_ENV="production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="review.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == MANIFEST


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic with the production storage, once for the module."""
    root = tmp_path_factory.mktemp("static")
    from django.test import override_settings

    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": MANIFEST},
    }
    with override_settings(STATIC_ROOT=root, STORAGES=storages, DEBUG=False):
        call_command("collectstatic", "--noinput", verbosity=0, stdout=io.StringIO())
        yield root


def _fetch(path: str):
    return pdf.StaticOnlyFetcher._static_file(urljoin(pdf.BASE_URL, path))


def test_the_pdf_fetcher_finds_hashed_and_plain_names(collected):
    hashed = staticfiles_storage.url("css/report_print.css")
    assert hashed != "/static/css/report_print.css"  # it carries the content's hash
    assert (collected / hashed.removeprefix("/static/")).is_file()
    found = _fetch(hashed)
    assert found is not None
    assert found.name == "report_print.css"  # read from the project's static folder
    assert _fetch("/static/css/report_print.css") == found
    font = staticfiles_storage.url("fonts/LiberationSans-Regular.ttf")
    assert _fetch(font).name == "LiberationSans-Regular.ttf"
    # A hash the manifest does not list is refused like any unknown file.
    assert _fetch("/static/css/report_print.0123456789ab.css") is None


def test_a_pdf_renders_with_hashed_names_and_loads_every_file(collected, caplog):
    html = render_to_string(
        "reports/base_pdf.html",
        {},
    ).replace(
        "</head>",
        f'<link rel="stylesheet" href="{staticfiles_storage.url("css/report_print.css")}"></head>',
    )
    assert ".css" in html
    with caplog.at_level(logging.WARNING, logger="reports.pdf"):
        body = pdf.render_pdf(html)
    assert body.startswith(b"%PDF-")
    assert "refused" not in caplog.text
