"""Word notices uploaded but not saved yet: kept in a private folder, reachable by a token.

An upload is stored under a random token in ``pending/notices/`` of the upload storage (never
served by URL) and the token is written into the uploader's session, so only he reaches it and
only while his session lasts. It is gone once the draft is saved, discarded, or older than
``NOTICE_DOCX_PENDING_MINUTES``; the hourly sweep deletes what was abandoned.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from portal.uploads import display_name

FOLDER = "pending/notices"
SESSION_KEY = "tasks.pending_notice_docx"
#: The sessions of a busy office hold a few; more only serve someone filling the disk.
MAX_PER_SESSION = 5


def max_age() -> timedelta:
    return timedelta(minutes=getattr(settings, "NOTICE_DOCX_PENDING_MINUTES", 120))


@dataclass(frozen=True)
class Pending:
    token: str
    name: str  # the file's name on the user's computer, for display and the saved copy

    @property
    def path(self) -> str:
        return _path(self.token)

    def read(self) -> bytes:
        with default_storage.open(self.path, "rb") as stored:
            return stored.read()


def _path(token: str) -> str:
    return f"{FOLDER}/{token}.docx"


def _entries(session) -> dict[str, dict]:
    entries = session.get(SESSION_KEY)
    return dict(entries) if isinstance(entries, dict) else {}


def _expired(entry: dict, now) -> bool:
    try:
        stored_at = float(entry["at"])
    except (KeyError, TypeError, ValueError):
        return True
    return now.timestamp() - stored_at > max_age().total_seconds()


def stash(session, data: bytes, filename: str) -> Pending:
    """Keep ``data`` for the session's user; the oldest upload goes when he has too many."""
    token = secrets.token_urlsafe(24)
    default_storage.save(_path(token), ContentFile(data))
    entries = _entries(session)
    entries[token] = {"name": display_name(filename), "at": timezone.now().timestamp()}
    while len(entries) > MAX_PER_SESSION:
        oldest = min(entries, key=lambda key: float(entries[key].get("at", 0)))
        _delete(oldest)
        del entries[oldest]
    session[SESSION_KEY] = entries
    return Pending(token, entries[token]["name"])


def find(session, token: str) -> Pending | None:
    """The session's upload under ``token``; None when unknown, someone else's or expired (an
    expired one is deleted now)."""
    entries = _entries(session)
    entry = entries.get(token)
    if entry is None:
        return None
    if _expired(entry, timezone.now()) or not default_storage.exists(_path(token)):
        discard(session, token)
        return None
    return Pending(token, str(entry.get("name") or "notice.docx"))


def discard(session, token: str) -> None:
    """Forget the session's upload under ``token`` and delete its file (only a token the
    session holds names a file: nothing can be deleted through a made-up one)."""
    entries = _entries(session)
    if token in entries:
        del entries[token]
        session[SESSION_KEY] = entries
        _delete(token)


def _delete(token: str) -> None:
    if default_storage.exists(_path(token)):
        default_storage.delete(_path(token))


def sweep(now=None) -> int:
    """Delete the pending files older than the time an upload is kept; their count."""
    now = now or timezone.now()
    try:
        _folders, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    deleted = 0
    for name in files:
        path = f"{FOLDER}/{name}"
        try:
            if now - default_storage.get_modified_time(path) > max_age():
                default_storage.delete(path)
                deleted += 1
        except FileNotFoundError:
            continue  # deleted meanwhile by its own request
    return deleted
