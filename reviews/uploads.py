"""What may be uploaded: the type is read from the file's content, never from its name.

Allowed: PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS. The first bytes name the type; an office
file (a zip) is judged by its structure: its declared main part, and it must open with
python-docx or openpyxl (DOCX, XLSX) or have the OpenDocument ``mimetype`` entry and a
``content.xml`` that parses (ODT, ODS). A zip with a program inside, an entry whose name
climbs out of the archive, or more than MAX_UNPACKED_BYTES unpacked is refused. A name
whose extension disagrees with the content is refused too; a file is stored and served
under the extension of its detected type (``download_name``). Anything else, or a file
larger than settings.UPLOAD_MAX_BYTES, is refused with a message for the form field.

PNG and JPEG are judged by their signatures (Pillow is not needed for that): they are
served as downloads with their own content type and ``X-Content-Type-Options: nosniff``,
never rendered by the application.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

KINDS = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
# The extensions a name may end in for each kind; the first is the one files get.
EXTENSIONS = {
    "pdf": ("pdf",),
    "png": ("png",),
    "jpg": ("jpg", "jpeg"),
    "docx": ("docx",),
    "xlsx": ("xlsx",),
    "odt": ("odt",),
    "ods": ("ods",),
}
KIND_NAMES = {
    "pdf": gettext_lazy("a PDF document"),
    "png": gettext_lazy("a PNG image"),
    "jpg": gettext_lazy("a JPEG image"),
    "docx": gettext_lazy("a Word document"),
    "xlsx": gettext_lazy("an Excel spreadsheet"),
    "odt": gettext_lazy("an OpenDocument text"),
    "ods": gettext_lazy("an OpenDocument spreadsheet"),
}
# The main part an Office Open XML package declares in [Content_Types].xml.
OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
}
ODF_CONTENT = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}document-content"
# An office file may unpack to this much; real ones stay far below.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_MEMBERS = 10_000
PROGRAM_EXTENSIONS = {
    "exe", "dll", "com", "scr", "msi", "msp", "bat", "cmd", "ps1", "vbs", "vbe", "js",
    "jse", "wsf", "wsh", "hta", "cpl", "jar", "sh", "so", "dylib", "app", "elf", "lnk",
}  # fmt: skip
# First bytes of Windows, Linux and macOS programs, and of scripts.
PROGRAM_SIGNATURES = (
    b"MZ",
    b"\x7fELF",
    b"\xcf\xfa\xed\xfe",
    b"\xce\xfa\xed\xfe",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xca\xfe\xba\xbe",
    b"#!",
)
# What python-docx, openpyxl, zipfile and lxml raise on a file they cannot open.
BROKEN = (
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    OSError,
    SyntaxError,  # XML parse errors
    zipfile.BadZipFile,
)
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _not_accepted() -> ValidationError:
    return ValidationError(
        _(
            "This file type is not accepted. Upload a PDF, Word or OpenDocument text, Excel or OpenDocument spreadsheet, PNG or JPEG file."
        )
    )


def _damaged(kind: str) -> ValidationError:
    return ValidationError(
        _(
            "This file does not open as %(kind)s: it may be damaged. Save it again in its program and upload that copy."
        )
        % {"kind": KIND_NAMES[kind]}
    )


def sniff(upload) -> str | None:
    """The kind of file (a key of KINDS) judged by its bytes, or None.

    For a zip this is what it claims to be; `validate_upload` checks that it is."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        return "png"
    if head.startswith(b"\xff\xd8\xff") and len(head) > 3 and head[3] >= 0xC0:
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                return _claimed_kind(archive)
        except BROKEN:
            return None
        finally:
            upload.seek(0)
    return None


def _claimed_kind(archive: zipfile.ZipFile) -> str | None:
    names = set(archive.namelist())
    if "mimetype" in names:
        mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
        return next((k for k in ("odt", "ods") if KINDS[k] == mimetype), None)
    if "[Content_Types].xml" in names:
        types = etree.fromstring(archive.read("[Content_Types].xml"), _SAFE_XML)
        for override in types:
            if found := OOXML_MAIN.get(override.get("ContentType", "")):
                return found
    return None


def _check_members(archive: zipfile.ZipFile) -> None:
    """Refuse a zip that is too big unpacked, names a path outside itself, or holds a program."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise ValidationError(
            _("This file unpacks to more than %(limit)s and is not accepted.")
            % {"limit": filesizeformat(MAX_UNPACKED_BYTES)}
        )
    for member in members:
        name = member.filename
        posix, windows = PurePosixPath(name), PureWindowsPath(name)
        if posix.is_absolute() or windows.drive or windows.root or ".." in windows.parts:
            raise ValidationError(
                _("This file holds an entry with an unsafe name (%(name)s) and is not accepted.")
                % {"name": name[:80]}
            )
        if member.is_dir():
            continue
        with archive.open(member) as entry:
            head = entry.read(4)
        if posix.suffix.lower().lstrip(".") in PROGRAM_EXTENSIONS or head.startswith(
            PROGRAM_SIGNATURES
        ):
            raise ValidationError(
                _("This file holds a program (%(name)s) and is not accepted.") % {"name": name[:80]}
            )


def _check_opens(upload, archive: zipfile.ZipFile, kind: str) -> None:
    """The package has the structure of its kind: the library that reads it opens it."""
    try:
        if kind == "docx":
            import docx

            docx.Document(upload)
        elif kind == "xlsx":
            from openpyxl import load_workbook

            load_workbook(upload, read_only=True).close()
        else:
            root = etree.fromstring(archive.read("content.xml"), _SAFE_XML)
            if root.tag != ODF_CONTENT:
                raise ValueError(root.tag)
    except BROKEN as error:
        raise _damaged(kind) from error
    finally:
        upload.seek(0)


def _package_is_sound(upload, kind: str) -> None:
    try:
        with zipfile.ZipFile(upload) as archive:
            _check_members(archive)
            _check_opens(upload, archive, kind)
    except zipfile.BadZipFile as error:
        raise _damaged(kind) from error
    finally:
        upload.seek(0)


def extension(name: str) -> str:
    """The extension a name ends in ("pdf"), lower case; "" when it has none.

    A last part without a letter is not an extension: "Notes 12.03.2025" has none."""
    suffix = PurePosixPath(PureWindowsPath(name).name).suffix.lower().lstrip(".")
    if re.fullmatch(r"[a-z0-9]{1,10}", suffix) and re.search(r"[a-z]", suffix):
        return suffix
    return ""


def download_name(name: str, kind: str, limit: int = 255) -> str:
    """The person's base name with the extension of the detected type (kept if it agrees)."""
    base = PureWindowsPath(name).name.strip() or "file"
    ext = extension(base)
    if ext in EXTENSIONS[kind]:
        stem, ext = base[: -len(ext) - 1], base[-len(ext) :]
    else:
        stem = base[: -len(ext) - 1] if ext else base
        ext = EXTENSIONS[kind][0]
    stem = stem.rstrip(". ") or "file"
    return f"{stem[: limit - len(ext) - 1]}.{ext}"


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
        raise _not_accepted()
    ext = extension(upload.name or "")
    if ext and ext not in EXTENSIONS[kind]:
        raise ValidationError(
            _(
                "The name ends in .%(ext)s, but the file is %(kind)s. Rename it to end in .%(right)s, or upload the file you meant."
            )
            % {"ext": ext, "kind": KIND_NAMES[kind], "right": EXTENSIONS[kind][0]}
        )
    if kind in ("docx", "xlsx", "odt", "ods"):
        _package_is_sound(upload, kind)
    return kind
