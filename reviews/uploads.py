"""What may be uploaded: the type is read from the file's content, never from its name.

Allowed: PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS. Anything else, or a file larger
than settings.UPLOAD_MAX_BYTES, is refused with a message for the form field.
"""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

KINDS = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def sniff(upload) -> str | None:
    """The kind of file (a key of KINDS) judged by its bytes, or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                if "mimetype" in names:
                    mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                    for kind in ("odt", "ods"):
                        if mimetype == KINDS[kind]:
                            return kind
                if "[Content_Types].xml" in names:
                    if any(n.startswith("word/") for n in names):
                        return "docx"
                    if any(n.startswith("xl/") for n in names):
                        return "xlsx"
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
    return None


def validate_upload(upload) -> str:
    """Return the file's kind, or raise ValidationError saying what is wrong."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
            }
        )
    kind = sniff(upload)
    if kind is None:
        raise ValidationError(
            _(
                "This file type is not accepted. Upload a PDF, Word or OpenDocument text, Excel or OpenDocument spreadsheet, PNG or JPEG file."
            )
        )
    return kind
