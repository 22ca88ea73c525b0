"""Zip-based uploads (Word, Excel and PowerPoint files, import workbooks): checks that read the
zip directory only, and the bounded, defused reading of the ``[Content_Types].xml`` manifest.

A zip bomb shows itself in the directory: declared sizes far above the compressed ones. Python's
zipfile never inflates a member past its declared size (it stops there and checks the CRC), so a
forged directory cannot smuggle more data than these checks saw. No part is ever read whole
here: the manifest is parsed as a stream and given up after ``PART_READ_LIMIT`` bytes. Every XML
from a user's file is parsed with defusedxml, which refuses entity declarations outright instead
of relying on the system's libexpat to stop an expansion.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse
from django.conf import settings
from django.utils.translation import gettext as _

ZIP_MAGIC = b"PK\x03\x04"
# The manifest of a large presentation lists a few hundred parts in some tens of KB, and the
# main part is declared near the top; reading further only serves a hostile file.
PART_READ_LIMIT = 64 * 1024
RATIO_CHECK_MIN_BYTES = 1024 * 1024  # tiny members compress oddly and are harmless
MAX_MEMBERS = 5000  # a deck with many slides and pictures has some hundreds
CONTENT_TYPES = "[Content_Types].xml"


class ArchiveRefused(Exception):
    """The archive is refused; carries the user-facing message."""


class _PartTooLarge(Exception):
    pass


class _BoundedReader:
    """A member's stream that gives up after ``limit`` bytes instead of inflating on."""

    def __init__(self, stream, limit: int):
        self.stream = stream
        self.left = limit

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            raise _PartTooLarge
        size = self.left if size is None or size < 0 else min(size, self.left)
        data = self.stream.read(size)
        self.left -= len(data)
        return data


def max_uncompressed_bytes() -> int:
    return getattr(settings, "UPLOAD_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)


def max_compression_ratio() -> int:
    return getattr(settings, "UPLOAD_MAX_COMPRESSION_RATIO", 100)


def check_directory(
    archive: zipfile.ZipFile,
    *,
    max_uncompressed: int | None = None,
    max_ratio: float | None = None,
    max_members: int = MAX_MEMBERS,
) -> None:
    """Refuse an archive with too many members, whose members together would expand beyond
    ``max_uncompressed`` bytes, or with a larger member compressed more than ``max_ratio``."""
    max_uncompressed = max_uncompressed or max_uncompressed_bytes()
    max_ratio = max_ratio or max_compression_ratio()
    members = archive.infolist()
    if len(members) > max_members:
        raise ArchiveRefused(
            _("The file has too many parts (%(count)s).") % {"count": len(members)}
        )
    total = 0
    for info in members:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= RATIO_CHECK_MIN_BYTES and ratio > max_ratio:
            raise ArchiveRefused(
                _("The file is refused: part %(name)s expands %(ratio)s times.")
                % {"name": info.filename, "ratio": int(ratio)}
            )
    if total > max_uncompressed:
        raise ArchiveRefused(
            _("The file is refused: its content would expand to %(size)s MB.")
            % {"size": round(total / 1048576)}
        )


def declared_type(archive: zipfile.ZipFile, wanted: Iterable[str]) -> str | None:
    """The first content type of ``wanted`` that the manifest declares, or None: also when the
    manifest is missing, malformed, declares entities or is longer than ``PART_READ_LIMIT``
    before declaring one of them."""
    wanted = set(wanted)
    try:
        with archive.open(CONTENT_TYPES) as member:
            for _event, element in iterparse(
                _BoundedReader(member, PART_READ_LIMIT), events=("start",)
            ):
                if element.get("ContentType") in wanted:
                    return element.get("ContentType")
    except (
        KeyError,
        _PartTooLarge,
        ParseError,
        DefusedXmlException,
        zipfile.BadZipFile,
        OSError,
        RuntimeError,
        EOFError,
        NotImplementedError,  # a compression method zipfile does not know
        ValueError,
    ):
        return None
    return None
