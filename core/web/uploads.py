"""Certificates uploaded with self-service CPD: rows of ``stored_file`` under random names.

The type is decided by the file's first bytes, never by its name or the
browser's claim; only PDF, PNG and JPEG are kept. The bytes live in the
database, not on one server's disk, so any app server can serve them and a
backup holds them; writing them is part of the request's transaction, so a
refused request leaves no orphan file.
"""
from __future__ import annotations

import hashlib
import re
import secrets

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select

from core.extensions import db
from core.storage.models import StoredFile

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# magic bytes -> (extension, MIME type)
SIGNATURES = (
    (b"%PDF-", ("pdf", "application/pdf")),
    (b"\x89PNG\r\n\x1a\n", ("png", "image/png")),
    (b"\xff\xd8\xff", ("jpg", "image/jpeg")),
)
STORED_NAME = re.compile(r"^[A-Za-z0-9_-]{20,64}\.(pdf|png|jpg)$")
MIME_BY_EXTENSION = {ext: mime for _, (ext, mime) in SIGNATURES}


class UploadError(ValueError):
    pass


def max_bytes() -> int:
    return int(current_app.config.get("BEKWAAM_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, kind in SIGNATURES:
        if head.startswith(magic):
            return kind
    return None


def check(data: bytes) -> tuple[str, str]:
    """(extension, MIME type) of an acceptable file, else UploadError with the reason."""
    if not data:
        raise UploadError(_("The file is empty."))
    if len(data) > max_bytes():
        raise UploadError(_("The file is larger than %(mb)s MB.", mb=max_bytes() // (1024 * 1024)))
    kind = sniff(data[:16])
    if kind is None:
        raise UploadError(_("Only PDF, PNG or JPEG files are accepted (judged by the content, not the name)."))
    return kind


def store(data: bytes) -> str:
    """Keep an already checked file; returns its stored name (random, not guessable)."""
    extension, mime = check(data)
    name = f"{secrets.token_urlsafe(24)}.{extension}"
    db.session.add(StoredFile(name=name, mime=mime, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                              data=data))
    db.session.flush()
    return name


def load(name: str | None) -> StoredFile | None:
    if not name or not STORED_NAME.match(name):
        return None
    return db.session.scalar(select(StoredFile).where(StoredFile.name == name))


def remove(name: str | None) -> None:
    if name and STORED_NAME.match(name):
        db.session.execute(delete(StoredFile).where(StoredFile.name == name))


def read_limited(stream) -> bytes:
    """Read at most one byte past the limit, so a huge upload is never held whole."""
    return stream.read(max_bytes() + 1)
