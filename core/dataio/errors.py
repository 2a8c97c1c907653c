"""The error of a file that cannot be imported at all, apart so that the readers and
their limits both raise it without importing each other."""
from __future__ import annotations


class FileError(ValueError):
    """The file as a whole cannot be read (encoding, no header, not CSV/XLSX, too large).

    Raised with a ``Text`` (English, Dutch as ``.nl``): ``str(exc)`` is the English."""
