"""The BIG registration of a klinisch technoloog as evidence (report, passport, calendar, FHIR).

Wet BIG art. 3 and the Besluit klinisch technoloog: the entry in the BIG
register (its number, its status on the day) and the five-yearly
re-registration (herregistratie) deadline, read as they stood on the day.
"""
from __future__ import annotations

import datetime as dt

from plugins.big_kt import rules
from plugins.big_kt.services import SOURCE, _work_hours, registrations_on, reregistration_config

# The Dutch naming system of BIG numbers (Nictiz): the identifier system FHIR exchanges use.
BIG_SYSTEM = "http://fhir.nl/fhir/NamingSystem/big"
STATUS_NL = {"registered": "ingeschreven", "restricted": "ingeschreven met beperking",
             "suspended": "geschorst", "struck_off": "doorgehaald"}
STATUS_EN = {"registered": "registered", "restricted": "registered with a restriction",
             "suspended": "suspended", "struck_off": "struck off"}


def _nl(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")


def evidence(staff_ids: list[int], on: dt.date) -> dict[int, list[dict]]:
    registrations = registrations_on(staff_ids, on)
    hours = _work_hours(list(registrations))
    config = reregistration_config()
    result: dict[int, list[dict]] = {}
    for staff_id, reg in registrations.items():
        found = rules.evaluation(reg, hours[staff_id], on, config)
        status = found.status
        due = found.reregistration.due
        shown_nl = STATUS_NL.get(status, "niet (meer) ingeschreven") if status else "nog niet ingeschreven"
        shown_en = STATUS_EN.get(status, "not registered") if status else "not registered yet"
        text_nl = f"BIG-nummer {reg.big_number}, {shown_nl}"
        text_en = f"BIG number {reg.big_number}, {shown_en}"
        if found.missed is not None:
            text_nl += f"; herregistratie van {_nl(found.missed.due)} gemist"
            text_en += f"; re-registration of {found.missed.due.isoformat()} missed"
        elif due is not None:
            text_nl += f"; herregistratie uiterlijk {_nl(due)}"
            text_en += f"; re-registration due {due.isoformat()}"
        deadlines = []
        if due is not None and due > on:
            deadlines.append({"on": due, "nl": "Herregistratie BIG (klinisch technoloog)",
                              "en": "BIG re-registration (clinical technologist)"})
        result[staff_id] = [{
            "source": SOURCE, "kind": "big_registration", "title_nl": "BIG-registratie klinisch technoloog",
            "title_en": "BIG registration, clinical technologist", "text_nl": text_nl, "text_en": text_en,
            "ok": bool(found.independent), "identifier": {"system": BIG_SYSTEM, "value": reg.big_number},
            "period_start": rules.registration_effective_on(reg), "period_end": None, "deadlines": deadlines}]
    return result
