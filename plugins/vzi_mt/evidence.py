"""The VZI registration as evidence for the inspector's report, the passport, the calendar and FHIR.

VZI certificatienormen (juni 2025): a certificate shows the level (MT3, MT4, MT5)
and the designation, and runs for a period of three years; without a running
period a person keeps at most the basisregistratie, which proves no level.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from plugins.vzi_mt import rules
from plugins.vzi_mt.services import SOURCE, load_portfolios

DESIGNATION_NL = {"in_training": "in opleiding", "professional": "professional", "expert": "expert"}
DESIGNATION_EN = {"in_training": "in training", "professional": "professional", "expert": "expert"}


def _nl(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")


def _running(certifications, on: dt.date):
    running = [c for c in certifications if c.start <= on < c.end]
    return max(running, key=lambda c: c.start) if running else None


def evidence(session: Session, staff_ids: list[int], on: dt.date) -> dict[int, list[dict]]:
    result: dict[int, list[dict]] = {}
    for staff_id, portfolio in load_portfolios(session, staff_ids).items():
        if not (portfolio.positions or portfolio.educations or portfolio.certifications):
            continue
        period = _running(portfolio.certifications, on)
        item = {"source": SOURCE, "kind": "vzi_certification", "title_nl": "VZI-certificering",
                "title_en": "VZI certification", "identifier": None, "deadlines": []}
        if period is not None:
            last_day = period.end - dt.timedelta(days=1)
            item.update(
                ok=True, period_start=period.start, period_end=period.end, level=period.level,
                text_nl=(f"Gecertificeerd {period.level} {DESIGNATION_NL.get(period.designation, period.designation)}, "
                         f"periode {_nl(period.start)} t/m {_nl(last_day)}"),
                text_en=(f"Certified {period.level} {DESIGNATION_EN.get(period.designation, period.designation)}, "
                         f"period {period.start.isoformat()} to {last_day.isoformat()}"))
        else:
            state = rules.registration_state(portfolio, on)
            ended = [c for c in portfolio.certifications if c.end <= on]
            if ended:
                last = max(ended, key=lambda c: c.end)
                text_nl = f"Geen lopende certificering: de periode {last.level} eindigde op {_nl(last.end)}"
                text_en = f"No running certification: the {last.level} period ended on {last.end.isoformat()}"
            elif state == rules.Registration.BASE:
                text_nl, text_en = "Basisregistratie (nog geen certificering)", "Base registration (not certified yet)"
            else:
                text_nl, text_en = "Niet geregistreerd bij VZI", "Not registered with VZI"
            item.update(ok=False, period_start=None, period_end=None, level=None, text_nl=text_nl, text_en=text_en)
        # Every period that is still to end: its end is a deadline (a new period must be granted by then).
        for cert in portfolio.certifications:
            if cert.end > on:
                item["deadlines"].append({
                    "on": cert.end,
                    "nl": f"Einde VZI-certificeringsperiode {cert.level}",
                    "en": f"End of VZI certification period {cert.level}"})
        result[staff_id] = [item]
    return result
