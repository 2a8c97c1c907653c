"""The public contract between the core and its plugins: the types hooks take and return.

A plugin imports from here, from ``core.hookspecs`` and from ``core.plugins``
(``hookimpl``), and from nowhere else in the core's internals for its types:
what lives here keeps its shape, what lives elsewhere may move.

``Reason`` and ``Decision`` are the answer of ``can_perform``; ``ExpiryResult``
is what the plugin that owns a competence's expiry answers; ``Panel``,
``NavEntry``, ``DashboardTile`` and ``DashboardQueue`` are what a plugin adds to the pages.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NotRequired, TypedDict

from core.alerts.events import AlertEvent  # one expiry event of the nightly alert run

__all__ = ["AlertEvent", "FieldMessage", "Reason", "Decision", "ExpiryResult", "Panel", "NavEntry", "DashboardTile",
           "DashboardQueue", "QueueItem", "ReleaseBlocker"]


class FieldMessage(str):
    """A field error of a refusal (``Invalid({"field": [FieldMessage(en, nl)]})``): the English the API
    answers with, carrying its Dutch (``.nl``) with the same facts for a Dutch page. It is a ``str``,
    so the API's JSON, comparisons and tests see only the English."""

    nl: str

    def __new__(cls, en: str, nl: str):
        message = super().__new__(cls, en)
        message.nl = nl
        return message

    def __reduce__(self):
        return FieldMessage, (str(self), self.nl)
@dataclass(frozen=True)
class Reason:
    """One finding: ``ok`` says whether it speaks for (True) or against (False).

    ``message`` is English (the API's default); ``message_nl`` the same in Dutch with
    its facts, when the producer gives it. Without it a Dutch reader gets the plugin's
    text for the code (``bekwaam_reason_texts``, ``core.reason_texts``): never English.
    """

    source: str
    code: str
    message: str
    ok: bool
    message_nl: str | None = field(default=None, compare=False)

    def as_dict(self) -> dict:
        """The contract's four keys (the Dutch answer: ``core.reason_texts.decision_dict``)."""
        return {"source": self.source, "code": self.code, "message": self.message, "ok": self.ok}


@dataclass
class Decision:
    """A person's answer: allowed only when there are reasons and every one of them holds (fail closed)."""

    staff_id: int
    reasons: list[Reason] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return bool(self.reasons) and all(r.ok for r in self.reasons)

    def as_dict(self) -> dict:
        return {"allowed": self.allowed, "reasons": [r.as_dict() for r in self.reasons]}
@dataclass(frozen=True)
class ExpiryResult:
    """What the plugin that owns a competence's expiry answers; ``expires_on`` None is no expiry."""

    expires_on: dt.date | None
    source: str
class ReleaseBlocker(TypedDict):
    """What stops a device type's release; ``message`` is English (the API's), ``message_nl`` Dutch (the pages')."""

    code: str
    message: str
    message_nl: NotRequired[str]


@dataclass(frozen=True)
class Panel:
    """A block a plugin adds to a page (a person's profile, a device type).

    Either ``template`` (rendered with ``context`` plus the page's own variables
    ``staff``/``device_type``, ``today`` and ``viewer``) or ready ``html``
    (a ``markupsafe.Markup`` the plugin escaped; a plain string is escaped).
    ``order`` places it among the page's panels (lower first); ``anchor`` is
    its id on the page, for links into it.
    """

    title: str
    template: str | None = None
    html: str | None = None
    context: dict = field(default_factory=dict)
    order: int = 100
    anchor: str | None = None
    wide: bool = False  # spans the page's width (a wide table) instead of sharing a row

    def __post_init__(self):
        if (self.template is None) == (self.html is None):
            raise ValueError("A panel has a template or html, exactly one of them.")


@dataclass(frozen=True)
class NavEntry:
    """An entry in the navigation bar: a label (in the viewer's language) and the endpoint it opens."""

    label: str
    endpoint: str
    order: int = 100
    values: dict = field(default_factory=dict)
@dataclass(frozen=True)
class DashboardTile:
    """A number on the dashboard with what it counts; ``endpoint`` (optional) is where a click leads."""

    label: str
    value: int | str
    endpoint: str | None = None
    values: dict = field(default_factory=dict)
    order: int = 100
    tone: str = ""  # "", "expiring" or "expired": the card's colour
@dataclass(frozen=True)
class QueueItem:
    """One piece of work in a dashboard queue: what (``text``), about whom, by when, and where it is done.

    ``endpoint``/``values`` open the page where the work is done (e.g. the person's CPD
    section); ``anchor`` is the place on it.
    """

    text: str
    endpoint: str
    values: dict = field(default_factory=dict)
    anchor: str | None = None
    detail: str = ""
    due_on: dt.date | None = None
@dataclass(frozen=True)
class DashboardQueue:
    """A work queue on the home page: its first items (at most a handful), how many there are in
    all (``total``), and the full filtered list (``endpoint``/``values``, optional)."""

    title: str
    total: int
    items: list[QueueItem] = field(default_factory=list)
    endpoint: str | None = None
    values: dict = field(default_factory=dict)
    order: int = 100
    anchor: str | None = None
    empty_text: str = ""
