"""Bounds on an imported file, checked before it is parsed.

An XLSX is a zip: 3 MB of deflated zeros unpack to gigabytes inside
openpyxl. The zip's central directory states every member's size before a
byte is inflated, so a bomb is refused from those numbers alone; a member
that lies about its size is cut off while reading (``zipfile`` checks the
stated size as it inflates).
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO

from core.dataio.errors import FileError
from core.dataio.texts import Text

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * MB          # the file as uploaded
    max_rows: int = 200_000           # data rows after the header
    max_unpacked_bytes: int = 50 * MB  # an XLSX's members together, uncompressed
    max_ratio: int = 100              # uncompressed / compressed, per sizeable member
    ratio_floor: int = 1 * MB         # small members may compress as well as they like


def current() -> Limits:
    """The configured limits (``BEKWAAM_IMPORT_*``), or the defaults outside an app."""
    from flask import current_app, has_app_context

    if not has_app_context():
        return Limits()
    config, default = current_app.config, Limits()
    return Limits(max_bytes=config.get("BEKWAAM_IMPORT_MAX_BYTES", default.max_bytes),
                  max_rows=config.get("BEKWAAM_IMPORT_MAX_ROWS", default.max_rows),
                  max_unpacked_bytes=config.get("BEKWAAM_IMPORT_MAX_UNPACKED_BYTES", default.max_unpacked_bytes),
                  max_ratio=config.get("BEKWAAM_IMPORT_MAX_RATIO", default.max_ratio))


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB"


def check_size(stream: IO[bytes], limits: Limits) -> None:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    if size > limits.max_bytes:
        raise _error(f"The file is {_mb(size)}; imports take at most {_mb(limits.max_bytes)}. Split it into parts.",
                     f"Het bestand is {_mb(size)}; een import neemt hoogstens {_mb(limits.max_bytes)}. "
                     "Splits het in delen.")


def check_zip(stream: IO[bytes], limits: Limits) -> None:
    """Refuse an XLSX whose members would unpack too large, from the central directory only."""
    try:
        members = zipfile.ZipFile(stream).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _error(f"The file is not a readable XLSX workbook ({exc.__class__.__name__}).",
                     f"Het bestand is geen leesbare XLSX-werkmap ({exc.__class__.__name__}).") from None
    finally:
        stream.seek(0)
    total = sum(m.file_size for m in members)
    if total > limits.max_unpacked_bytes:
        raise _error(f"The workbook unpacks to {_mb(total)}; at most {_mb(limits.max_unpacked_bytes)} is read "
                     "(a zip bomb, or too large for one import).",
                     f"De werkmap pakt uit tot {_mb(total)}; hoogstens {_mb(limits.max_unpacked_bytes)} wordt "
                     "gelezen (een zipbom, of te groot voor één import).")
    for member in members:
        if member.file_size > limits.ratio_floor and member.file_size > limits.max_ratio * max(member.compress_size, 1):
            raise _error(f"The workbook part {member.filename} is compressed {member.file_size // max(member.compress_size, 1)}"
                         f" times; more than {limits.max_ratio} times is refused as a zip bomb.",
                         f"Het werkmapdeel {member.filename} is {member.file_size // max(member.compress_size, 1)} keer "
                         f"gecomprimeerd; meer dan {limits.max_ratio} keer wordt als zipbom geweigerd.")


def too_many_rows(limits: Limits) -> Exception:
    return _error(f"The file has more than {limits.max_rows} rows; split it into parts.",
                  f"Het bestand heeft meer dan {limits.max_rows} rijen; splits het in delen.")


def _error(english: str, dutch: str) -> Exception:
    return FileError(Text(english, dutch))
