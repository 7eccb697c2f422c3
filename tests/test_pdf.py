"""PDF rendering: content, tagging, and the fetcher that keeps renders off the file system."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from reports.pdf import BASE_URL, RefusedURL, StaticOnlyFetcher, render_pdf

STATIC = BASE_URL + settings.STATIC_URL.lstrip("/")


def page(
    body: str, *, lang: str = "nl", title: str = "Peer review Rotterdam", head: str = ""
) -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title>{head}</head><body>{body}</body></html>"
    )


REPORT = page(
    "<h1>Peer review Rotterdam</h1>"
    "<h2>Inleiding</h2><p>Een kritische vriend kijkt mee.</p>"
    "<h2>Bevindingen</h2>"
    "<table><thead><tr><th>Indicator</th><th>Stad</th></tr></thead>"
    "<tbody><tr><td>Taalcursus</td><td>Łódź, Malmö, Besançon</td></tr></tbody></table>"
)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_report_renders_text_and_table():
    pdf = render_pdf(REPORT)
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    text = pdf_text(pdf)
    assert "Peer review Rotterdam" in text
    assert "Taalcursus" in text
    assert "Łódź, Malmö, Besançon" in text
    assert "page 1 of 1" in text


def test_pdf_is_tagged_with_language_and_title():
    reader = PdfReader(io.BytesIO(render_pdf(REPORT)))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/Lang"] == "nl"
    assert reader.metadata.title == "Peer review Rotterdam"


def test_shipped_fonts_are_embedded():
    reader = PdfReader(io.BytesIO(render_pdf(page("<p>Gewoon <b>vet</b> <i>cursief</i></p>"))))
    fonts = {
        font.get_object()["/BaseFont"].split("+")[-1]
        for font in reader.pages[0]["/Resources"]["/Font"].values()
    }
    assert {"Liberation-Sans", "Liberation-Sans-Bold", "Liberation-Sans-Italic"} <= fonts


def test_escaped_user_text_stays_literal():
    pdf = render_pdf(page("<p>Opmerking: &lt;script&gt;alert(1)&lt;/script&gt; &amp; meer</p>"))
    assert "<script>alert(1)</script> & meer" in pdf_text(pdf)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.org/x.png",
        "https://example.org/static/css/print.css",
        "http://critical-friend.invalid:8000/static/css/print.css",
        "http://user@critical-friend.invalid/static/css/print.css",
        "https://critical-friend.invalid/static/css/print.css",
        STATIC + "../config/settings.py",
        STATIC + "%2e%2e/config/settings.py",
        STATIC + "css/..%2f..%2fconfig/settings.py",
        BASE_URL + "config/settings.py",
        BASE_URL + "media-not-public/upload.pdf",
        STATIC + "css/",
        STATIC + "css",
        STATIC + "css/missing.css",
        "ftp://critical-friend.invalid/static/css/print.css",
    ],
)
def test_fetcher_refuses(url, caplog):
    fetcher = StaticOnlyFetcher()
    with caplog.at_level(logging.WARNING, logger="reports.pdf"), pytest.raises(RefusedURL):
        fetcher(url)
    assert any(r.levelno == logging.WARNING for r in caplog.records)


def test_fetcher_serves_static_file_without_collectstatic():
    url = STATIC + "css/print.css"
    response = StaticOnlyFetcher().fetch(url)
    try:
        expected = (Path(settings.BASE_DIR) / "static" / "css" / "print.css").read_bytes()
        assert response.read() == expected
        assert response.content_type == "text/css"
        assert response.url == url
    finally:
        response.close()


def test_fetcher_serves_data_uri():
    response = StaticOnlyFetcher().fetch("data:text/plain;base64,aGFsbG8=")
    try:
        assert response.read() == b"hallo"
    finally:
        response.close()


def test_refused_resources_are_skipped_and_render_succeeds(caplog):
    html = page(
        "<h1>Met verboden bronnen</h1>"
        '<img src="file:///etc/passwd" alt="">'
        '<img src="http://example.org/x.png" alt="">'
        "<p>De rest van het rapport.</p>",
        head='<link rel="stylesheet" href="/static/../config/settings.py">',
    )
    with caplog.at_level(logging.WARNING, logger="reports.pdf"):
        pdf = render_pdf(html)
    assert "De rest van het rapport." in pdf_text(pdf)
    refused = " ".join(r.getMessage() for r in caplog.records if r.name == "reports.pdf")
    assert "file:///etc/passwd" in refused
    assert "http://example.org/x.png" in refused
    assert "config/settings.py" in refused
    assert "SECRET_KEY" not in pdf_text(pdf)
