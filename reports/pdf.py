"""PDF rendering of reports with WeasyPrint.

Report HTML contains text written by users, so the renderer must never become a
way to read server files or reach the network: every resource goes through
`StaticOnlyFetcher`, which serves the project's static files and ``data:`` URIs
and refuses everything else. The print stylesheet and the font configuration are
built once per process, because parsing them for every render is measurably
slower (see STACK-NOTES.md, section WeasyPrint).

Public API: `render_pdf(html)`; `BASE_URL` for building absolute URLs in tests.
"""

from __future__ import annotations

import logging
import mimetypes
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

#: Base URL of every rendered document. The ``.invalid`` TLD can never resolve
#: (RFC 2606), so a resource that escaped the fetcher still could not be fetched.
BASE_URL = "http://critical-friend.invalid/"
_HOST = urlsplit(BASE_URL).hostname

PRINT_CSS = "css/print.css"


def _static_prefix() -> str:
    """The path part of STATIC_URL ("/static/"), also when STATIC_URL is absolute."""
    return urlsplit(settings.STATIC_URL).path


class RefusedURL(ValueError):
    """A resource the PDF renderer must not load.

    A plain (non-fatal) exception: WeasyPrint catches it, skips the resource and
    carries on rendering the rest of the document.
    """


class StaticOnlyFetcher(URLFetcher):
    """Serve ``data:`` URIs and static files under ``STATIC_URL``; refuse all else.

    Static files are resolved with Django's staticfiles finders, so rendering
    works in development and tests without ``collectstatic``. ``file://``,
    other hosts, other paths and path traversal are refused with `RefusedURL`
    and logged at WARNING.
    """

    def __init__(self, **kwargs: Any) -> None:
        # Only data: may reach the parent's urllib opener (defence in depth).
        kwargs["allowed_protocols"] = ("data",)
        kwargs["fail_on_errors"] = False
        super().__init__(**kwargs)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Return the resource at `url`, or raise `RefusedURL`."""
        if url[:5].lower() == "data:":
            return super().fetch(url, headers)
        path = self._static_file(url)
        if path is None:
            logger.warning("PDF renderer refused to load %r", url[:300])
            raise RefusedURL(f"Refused URL: {url[:300]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )

    @staticmethod
    def _static_file(url: str) -> Path | None:
        """The file a static URL on our host points to, or None if not allowed."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return None
        if (
            parts.scheme.lower() != "http"
            or parts.hostname != _HOST
            or port is not None
            or parts.username is not None
            or parts.password is not None
        ):
            return None
        prefix = _static_prefix()
        path = unquote(parts.path)
        if not prefix.endswith("/") or not path.startswith(prefix):
            return None
        relative = path[len(prefix) :]
        segments = relative.split("/")
        # Refuse traversal and odd names before asking the finders anything.
        if any(s in ("", ".", "..") or "\\" in s or "\x00" in s for s in segments):
            return None
        for name in (relative, _unhashed(relative)):
            if name is None:
                continue
            try:
                found = finders.find(name)
            except SuspiciousFileOperation:
                return None
            if isinstance(found, str) and Path(found).is_file():
                return Path(found)
        return None


def _unhashed(name: str) -> str | None:
    """The source name of a content-hashed static name (``css/print.3f2a….css`` ->
    ``css/print.css``), from the manifest ManifestStaticFilesStorage wrote at collectstatic
    (production); None for a name the manifest does not list, or without that storage.
    Templates then link hashed names while the files are still read through the finders."""
    global _sources
    hashed_files = getattr(staticfiles_storage, "hashed_files", None)
    if not hashed_files:
        return None
    if _sources is None or _sources[0] is not hashed_files:
        _sources = (hashed_files, {hashed: source for source, hashed in hashed_files.items()})
    return _sources[1].get(name)


_sources: tuple[dict, dict[str, str]] | None = None

_lock = threading.Lock()
_fetcher: StaticOnlyFetcher | None = None
_font_config: FontConfiguration | None = None
_print_css: weasyprint.CSS | None = None


def _print_setup() -> tuple[StaticOnlyFetcher, FontConfiguration, weasyprint.CSS]:
    """The fetcher, font configuration and parsed print stylesheet, built once.

    Parsing the stylesheet registers its ``@font-face`` fonts in the font
    configuration, so both must live together for the whole process.
    """
    global _fetcher, _font_config, _print_css
    with _lock:
        if _print_css is None:
            fetcher = StaticOnlyFetcher()
            font_config = FontConfiguration()
            _print_css = weasyprint.CSS(
                url=urljoin(BASE_URL, _static_prefix() + PRINT_CSS),
                url_fetcher=fetcher,
                font_config=font_config,
            )
            _fetcher, _font_config = fetcher, font_config
    assert _fetcher is not None and _font_config is not None
    return _fetcher, _font_config, _print_css


def render_pdf(html: str) -> bytes:
    """Render a complete HTML document (already escaped by the template) to PDF.

    The output is tagged PDF/UA-1, so give the document ``<html lang>`` and a
    ``<title>``. Reference static files as ``/static/...`` (``{% static %}``);
    anything else is skipped with a warning. Presentational HTML attributes are
    ignored: the print stylesheet decides the layout. One render uses one CPU
    core; call it from a task worker for long reports.
    """
    fetcher, font_config, print_css = _print_setup()
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    pdf = document.write_pdf(
        stylesheets=[print_css],
        font_config=font_config,
        pdf_variant="pdf/ua-1",
        presentational_hints=False,
    )
    assert pdf is not None
    return pdf
