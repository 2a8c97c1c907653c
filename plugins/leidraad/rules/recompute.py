"""After a change of risk class or policy: the expiries that change and who no longer complies."""
from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date

from plugins.leidraad.rules.levels import method_sufficient
from plugins.leidraad.rules.vocabulary import EXPIRY_SHORTENED, METHOD_INSUFFICIENT


@dataclass(frozen=True)
class ExpiryChange:
    """A competence's expiry before and after a change of risk class or policy."""

    key: Hashable
    old_expires_on: date | None
    new_expires_on: date | None


@dataclass(frozen=True)
class NonCompliance:
    """A competence that the change makes non-compliant from ``from_date`` on."""

    key: Hashable
    code: str
    from_date: date
    message: str


def _shortened(old: date | None, new: date | None) -> bool:
    return new is not None and (old is None or new < old)


def recompute_changes(
    changes: Iterable[ExpiryChange | tuple],
    effective_on: date,
    until: date | None = None,
) -> list[NonCompliance]:
    """Who becomes non-compliant because their expiry moved earlier, and from when.

    A competence is reported when, on ``effective_on`` (the day the new class
    or policy applies), it was still valid under its old expiry and the new
    expiry is earlier than the old one (an expiry of None is later than any
    date). It is non-compliant from the new expiry, or from ``effective_on``
    when the new expiry has already passed: never retroactively. With
    ``until``, only those non-compliant on or before ``until`` are reported.
    Sorted by date, then key order of input.
    """
    result = []
    for change in changes:
        if not isinstance(change, ExpiryChange):
            change = ExpiryChange(*change)
        old, new = change.old_expires_on, change.new_expires_on
        if not _shortened(old, new):
            continue
        if old is not None and old <= effective_on:
            continue  # already expired before the change
        from_date = max(new, effective_on)
        if until is not None and from_date > until:
            continue
        old_text = old.isoformat() if old else "no expiry"
        result.append(
            NonCompliance(
                change.key,
                EXPIRY_SHORTENED,
                from_date,
                f"Expiry moved from {old_text} to {new.isoformat()}.",
            )
        )
    return sorted(result, key=lambda n: n.from_date)


def method_changes(
    methods: Iterable[tuple[Hashable, str]],
    old_required: str,
    new_required: str,
    effective_on: date,
) -> list[NonCompliance]:
    """Competences whose method met the old requirement but not the new one.

    ``methods`` are ``(key, method)`` of the competences valid on
    ``effective_on``; each such competence is non-compliant from that day.
    """
    return [
        NonCompliance(
            key,
            METHOD_INSUFFICIENT,
            effective_on,
            f"{method} is below the newly required {new_required}.",
        )
        for key, method in methods
        if method_sufficient(method, old_required) and not method_sufficient(method, new_required)
    ]
