"""Reasons of ``can_perform`` in Dutch: one table for the core's codes, the plugins give theirs.

A reason's own ``message_nl`` (with its facts: dates, roles, levels) comes first;
without it the text for its (source, code) here or from the plugin
(``bekwaam_reason_texts``). A built-in reason without either is a bug that
tests/core/test_reason_texts_nl.py catches for every code of docs/reason-codes.md.
A plugin that gives neither (a hospital's own plugin that writes its messages in
Dutch already) is shown with its own message: it is the only text there is, and it
says more than a sentence that something holds or fails.
"""
from __future__ import annotations

from flask import g, has_app_context

CORE = "core"
CORE_TEXTS = {
    "authorised": "Bevoegd: een rol die de persoon op die dag heeft, heeft B voor deze activiteit.",
    "not_authorised": "Niet bevoegd: geen rol op die dag met B voor deze activiteit en deze techniek.",
    "staff_inactive": "Deze persoon is niet meer actief.",
    "not_yet_employed": "Nog niet in dienst op die dag.",
    "staff_left": "Op die dag uit dienst.",
    "requirement_unchecked": "Een eis van deze activiteit kan niet worden gecontroleerd: geen ingeschakelde "
                             "module controleert haar.",
    "activity_not_defined": "De activiteit bestond op die dag nog niet.",
    "decommissioned": "Het apparaattype is buiten gebruik gesteld (fase 7, buitengebruikstelling).",
    "not_in_use": "Het apparaattype was op die dag niet in gebruik (fase 6).",
}


def text_for(source: str, code: str) -> str | None:
    """The Dutch text of a code, or None when neither the core nor the plugin has one."""
    if source == CORE:
        return CORE_TEXTS.get(code)
    return _plugin_texts().get((source, code))


def dutch(reason) -> str:
    """A reason in Dutch: its own ``message_nl``, else the text for its code, else its only message."""
    if reason.message_nl:
        return reason.message_nl
    return text_for(reason.source, reason.code) or reason.message


def decision_dict(decision, language: str = "en", shown: dict | None = None) -> dict:
    """A decision as the API answers it: the contract's keys, the messages Dutch when ``language`` is nl.

    ``shown`` (optional, one per answer) keeps each reason's dict by identity: the decisions
    of many people share their reasons (``core.decision.services``), so each is worded once.
    """
    if shown is None:
        shown = {}
    reasons = []
    for reason in decision.reasons:
        item = shown.get(id(reason))
        if item is None:
            item = shown[id(reason)] = (reason, reason.as_dict())  # the reason kept: its id stays its own
            if language == "nl":
                item[1]["message"] = dutch(reason)
        reasons.append(item[1])
    return {"allowed": decision.allowed, "reasons": reasons}


def _plugin_texts() -> dict[tuple[str, str], str]:
    from core.plugins_runtime import reason_texts

    if not has_app_context():
        return {}
    if "bekwaam_reason_texts" not in g:
        g.bekwaam_reason_texts = reason_texts()  # asked once per request, not per person
    return g.bekwaam_reason_texts
