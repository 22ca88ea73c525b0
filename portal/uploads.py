"""Checks every uploaded file by its content, not by its name, before it is stored.

Allowed: pdf, Word, Excel, PowerPoint (old binary and new zip formats), jpg and png. The
extension and the detected content must agree, so a renamed executable or a renamed image
is refused. A zip-based file is first checked by its directory (``portal.archives``): an
archive that would expand beyond ``UPLOAD_MAX_UNCOMPRESSED_MB`` or compresses a part more than
``UPLOAD_MAX_COMPRESSION_RATIO`` times is refused, and no part is inflated beyond a few tens of
KB. Imports nothing of the other apps: every app's forms use it.
"""

from __future__ import annotations

import io
import os
import uuid
import zipfile

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from portal.archives import ZIP_MAGIC, ArchiveRefused, check_directory, declared_type

ALLOWED_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "jpg", "jpeg", "png")
ACCEPT_ATTRIBUTE = ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)

OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
# Names of the main stream of each old Office format, as stored (UTF-16LE) in the OLE2 directory.
OLE2_STREAMS = {
    "doc": ("WordDocument",),
    "xls": ("Workbook", "Book"),
    "ppt": ("PowerPoint Document",),
}
# The content type of the main part of each OOXML format, declared in [Content_Types].xml.
OOXML_MAIN_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
_CANONICAL = {"jpeg": "jpg"}


def max_upload_bytes() -> int:
    return getattr(settings, "UPLOAD_MAX_BYTES", 20 * 1024 * 1024)


def extension_of(name: str | None) -> str:
    ext = os.path.splitext(name or "")[1].lower().lstrip(".")
    return _CANONICAL.get(ext, ext)


def _read_all(uploaded) -> bytes:
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    return data


def detect_format(data: bytes) -> str | None:
    """The format of ``data`` as one of the allowed extensions, or None when not allowed."""
    if data.startswith(OLE2_MAGIC):
        for ext, streams in OLE2_STREAMS.items():
            if any(name.encode("utf-16-le") in data for name in streams):
                return ext
        return None
    if data.startswith(ZIP_MAGIC):
        return _detect_ooxml(data)
    kind = filetype.guess(data[:8192])
    if kind is None:
        return None
    ext = _CANONICAL.get(kind.extension, kind.extension)
    return ext if ext in ("pdf", "jpg", "png") else None


def _detect_ooxml(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_directory(archive)
            main_type = declared_type(archive, OOXML_MAIN_TYPES.values())
    except (ArchiveRefused, zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return None
    for ext, known in OOXML_MAIN_TYPES.items():
        if main_type == known:
            return ext
    return None


def _check_archive(data: bytes) -> None:
    """Name the reason when a zip-based upload is refused by its directory."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_directory(archive)
    except ArchiveRefused as refused:
        raise ValidationError(str(refused), code="archive") from None
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return  # not a readable zip: detect_format refuses it as damaged or renamed


def validate_upload(uploaded: UploadedFile, *, max_bytes: int | None = None) -> str:
    """Return the file's format (its canonical extension) or raise a ValidationError."""
    limit = max_bytes or max_upload_bytes()
    if uploaded.size is not None and uploaded.size > limit:
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s MB; please upload a smaller file."),
            code="too_large",
            params={"name": uploaded.name, "limit": limit // (1024 * 1024) or 1},
        )
    declared = extension_of(uploaded.name)
    if declared not in {_CANONICAL.get(e, e) for e in ALLOWED_EXTENSIONS}:
        raise ValidationError(
            _("“%(name)s” is not an allowed file type. Allowed: %(allowed)s."),
            code="extension",
            params={"name": uploaded.name, "allowed": ", ".join(ALLOWED_EXTENSIONS)},
        )
    if uploaded.size == 0:
        raise ValidationError(
            _("“%(name)s” is empty."), code="empty", params={"name": uploaded.name}
        )
    data = _read_all(uploaded)
    if data.startswith(ZIP_MAGIC):
        _check_archive(data)
    actual = detect_format(data)
    if actual != declared:
        raise ValidationError(
            _(
                "The content of “%(name)s” does not match its extension .%(ext)s; "
                "the file may be damaged or renamed."
            ),
            code="content",
            params={"name": uploaded.name, "ext": declared},
        )
    return actual


def display_name(name: str) -> str:
    """The user's file name without any path, shortened to fit the column."""
    base = os.path.basename((name or "").replace("\\", "/")).strip() or "file"
    if len(base) > 180:
        stem, ext = os.path.splitext(base)
        base = stem[: 180 - len(ext)] + ext
    return base


def _help_text() -> str:
    return _("pdf, Word, Excel, PowerPoint, jpg or png; at most %(limit)s MB.") % {
        "limit": max_upload_bytes() // (1024 * 1024)
    }


# Evaluated when rendered, so the text follows the user's language and the current setting.
_lazy_help_text = lazy(_help_text, str)


class CheckedFileField(forms.FileField):
    """A file field that runs :func:`validate_upload` and hints the allowed types."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", _lazy_help_text())
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", ACCEPT_ATTRIBUTE)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if value and isinstance(value, UploadedFile):
            validate_upload(value)
        return value


def random_stored_name(folder: str, filename: str) -> str:
    """A random name under ``folder`` keeping only the extension: the user's file name is kept
    for display in the model, never used as a path."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{folder}/{uuid.uuid4().hex}.{ext}"
