"""What an import did (or would do), row by row.

Statuses: ``created``, ``updated``, ``unchanged``, ``rejected`` (with every
reason), ``skipped`` (an empty row). A reason is its English text (what the
API and the CLI report) carrying its Dutch (``core.dataio.texts``). In a dry run, or when an all-or-nothing
import stopped on a rejected row, the statuses say what *would* happen and
``written`` is false.
"""
from __future__ import annotations

from dataclasses import dataclass, field

STATUSES = ("created", "updated", "unchanged", "rejected", "skipped")


@dataclass
class RowResult:
    line: int
    status: str
    key: str | None = None
    reasons: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        row = {"line": self.line, "status": self.status, "key": self.key, "reasons": self.reasons}
        if self.changed:
            row["changed"] = self.changed
        return row


@dataclass
class Report:
    kind: str
    format: str
    dry_run: bool
    partial: bool
    columns: dict[str, str]
    ignored_columns: list[str]
    mapping: str | None = None
    rows: list[RowResult] = field(default_factory=list)
    written: bool = False
    seconds: float = 0.0

    def add(self, row: RowResult) -> None:
        self.rows.append(row)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    def headers(self) -> dict[str, str]:
        """field -> the file's own header for it (``columns`` the other way round)."""
        return {field_name: header for header, field_name in self.columns.items()}

    @property
    def rejected(self) -> int:
        return sum(row.status == "rejected" for row in self.rows)

    @property
    def ok(self) -> bool:
        """False when rejected rows stop an all-or-nothing import (the caller rolls back)."""
        return self.partial or not self.rejected

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "format": self.format, "mapping": self.mapping,
            "dry_run": self.dry_run, "partial": self.partial, "written": self.written,
            "columns": self.columns, "ignored_columns": self.ignored_columns,
            "counts": self.counts(), "rows": [row.as_dict() for row in self.rows],
        }

    def summary(self) -> str:
        """One line without personal data (counts only): safe to log."""
        counts = ", ".join(f"{n} {status}" for status, n in self.counts().items() if n)
        state = "dry run" if self.dry_run else ("written" if self.written else "nothing written")
        return f"import {self.kind}: {counts or 'no rows'} ({state}, {self.seconds:.2f} s)"
