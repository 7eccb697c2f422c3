"""Uploads: the type comes from the content and its structure; the name follows the type."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews.models import Attachment
from reviews.uploads import download_name, validate_upload
from tests.conftest import PDF_BYTES

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
ODF_MANIFEST = (
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>'
)
ODF_CONTENT = (
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' office:version="1.3"><office:body/></office:document-content>'
)


def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("The city's integration plan.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Budget", 1000])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _odf(kind: str, content: str = ODF_CONTENT) -> bytes:
    mimetype = f"application/vnd.oasis.opendocument.{kind}"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", ODF_MANIFEST)
        archive.writestr("content.xml", content)
    return out.getvalue()


def _with_member(package: bytes, name: str, data: bytes) -> bytes:
    """The package with one more entry."""
    out = io.BytesIO(package)
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr(name, data)
    return out.getvalue()


VALID = {
    "pdf": lambda: PDF_BYTES,
    "png": lambda: PNG,
    "jpg": lambda: JPEG,
    "docx": _docx,
    "xlsx": _xlsx,
    "odt": lambda: _odf("text"),
    "ods": lambda: _odf("spreadsheet"),
}


@pytest.mark.parametrize("kind", list(VALID))
def test_a_valid_file_of_each_type_is_accepted(kind):
    upload = SimpleUploadedFile(f"file.{kind}", VALID[kind]())
    assert validate_upload(upload) == kind


def test_a_jpeg_named_jpeg_is_accepted():
    assert validate_upload(SimpleUploadedFile("photo.JPEG", JPEG)) == "jpg"


def _refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as raised:
        validate_upload(SimpleUploadedFile(name, content))
    return " ".join(raised.value.messages)


def test_an_html_page_that_starts_like_a_pdf_is_refused_by_its_name():
    message = _refusal("page.html", b"%PDF-1.4\n<html><script>alert(1)</script></html>")
    assert "The name ends in .html, but the file is a PDF document" in message
    assert "Rename it to end in .pdf" in message


def test_a_spreadsheet_renamed_to_pdf_is_refused():
    message = _refusal("figures.pdf", _xlsx())
    assert "The name ends in .pdf, but the file is an Excel spreadsheet" in message


def test_a_word_document_with_a_program_inside_is_refused():
    message = _refusal("plan.docx", _with_member(_docx(), "word/media/setup.exe", b"MZ\x90\x00"))
    assert "holds a program (word/media/setup.exe)" in message


def test_a_program_hidden_under_another_name_in_a_package_is_refused():
    package = _with_member(_xlsx(), "xl/media/image1.png", b"MZ\x90\x00 a Windows program")
    assert "holds a program" in _refusal("budget.xlsx", package)


def test_a_zip_that_only_looks_like_a_word_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/readme.txt", "not a document")
        archive.writestr("word/setup.exe", "MZ")
    assert "This file type is not accepted" in _refusal("plan.docx", out.getvalue())


def test_a_package_that_declares_word_but_does_not_open_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<not-closed")
    assert "does not open as a Word document" in _refusal("plan.docx", out.getvalue())


def test_a_package_with_a_path_that_climbs_out_is_refused():
    package = _with_member(_docx(), "../../etc/cron.d/job", b"* * * * * root true")
    assert "unsafe name (../../etc/cron.d/job)" in _refusal("plan.docx", package)


def test_an_opendocument_whose_content_does_not_parse_is_refused():
    message = _refusal("notes.odt", _odf("text", content="<office:document-content"))
    assert "does not open as an OpenDocument text" in message


def test_an_opendocument_presentation_is_not_accepted():
    assert "This file type is not accepted" in _refusal("slides.odp", _odf("presentation"))


def test_a_name_without_an_extension_gets_the_detected_one():
    assert download_name("organigram", "pdf") == "organigram.pdf"
    assert download_name("Notes 12.03.2025", "pdf") == "Notes 12.03.2025.pdf"
    assert download_name("page.html", "pdf") == "page.pdf"
    assert download_name("Photo.JPEG", "jpg") == "Photo.JPEG"
    assert len(download_name("x" * 300 + ".pdf", "pdf")) == 255


def _upload_to_a_section(client, review, upload):
    url = reverse("reviews:inception_section", args=[review.pk, "structure"])
    return client.post(url, {"text": "See the file.", "edit_version": 1, "attachment": upload})


@pytest.mark.parametrize(
    ("name", "kind", "served", "content_type"),
    [
        ("organigram", "pdf", "organigram.pdf", "application/pdf"),
        (
            "Budget 2026",
            "xlsx",
            "Budget 2026.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("photo.jpeg", "jpg", "photo.jpeg", "image/jpeg"),
        ("notes", "odt", "notes.odt", "application/vnd.oasis.opendocument.text"),
    ],
)
def test_a_file_is_stored_and_served_under_its_detected_type(
    client_for, host, review_work, review, name, kind, served, content_type
):
    client = client_for(host)
    response = _upload_to_a_section(client, review, SimpleUploadedFile(name, VALID[kind]()))
    assert response.status_code == 302
    attachment = Attachment.objects.get(original_name=served)
    assert attachment.file.name.endswith(f".{kind}")
    download = client.get(reverse("reviews:file", args=[review.pk, attachment.pk]))
    assert download["Content-Type"] == content_type
    assert download["X-Content-Type-Options"] == "nosniff"
    assert f'filename="{served}"' in download["Content-Disposition"]


def test_a_refused_name_keeps_the_text_and_says_why(client_for, host, review_work, review):
    response = _upload_to_a_section(
        client_for(host), review, SimpleUploadedFile("page.html", PDF_BYTES)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The name ends in .html, but the file is a PDF document" in html
    assert "See the file." in html
    assert not Attachment.objects.filter(original_name__startswith="page").exists()


def test_an_old_attachment_with_a_wrong_extension_is_served_under_the_right_one(
    client_for, host, review_work, review
):
    attachment = review_work["attachment"]
    Attachment.objects.filter(pk=attachment.pk).update(original_name="page.html")
    download = client_for(host).get(reverse("reviews:file", args=[review.pk, attachment.pk]))
    assert 'filename="page.pdf"' in download["Content-Disposition"]
    assert download["Content-Type"] == "application/pdf"
