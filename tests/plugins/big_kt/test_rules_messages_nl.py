"""Every finding of the klinisch technoloog's independence rules carries a Dutch sentence with the
person's details (the decision page shows it; the code's general text would say less)."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from plugins.big_kt import rules as r
from plugins.big_kt.hooks import bekwaam_reason_texts

TODAY = date(2025, 6, 15)
base = r.Registration(big_number="19012345601", registered_on=date(2021, 9, 1), diploma_on=date(2021, 7, 10))
signed = r.ProcedureCompetence(date(2022, 1, 10), date(2099, 1, 10), "training_and_assessment", 8)
ok_comp = r.procedure_competence_finding(7, [signed], TODAY)
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
ENGLISH = re.compile(r"\b(the|not|registered|procedure|competence|restriction|recognised|missed|under)\b")


def findings(reg, procedure="injection", subs=frozenset({1}), act=1, protocol=" PROT-12 ", comp=ok_comp, hours=(),
             on=TODAY):
    return r.independence_findings(reg, on, procedure, set(subs), act, protocol, comp, list(hours))


CASES = {
    "all_ok": lambda: findings(base),
    "none": lambda: findings(None, procedure="anaesthesia", act=None, protocol="",
                             comp=r.procedure_competence_finding(7, [], TODAY)),
    "suspended": lambda: findings(replace(base, status="suspended"), subs={2}),
    "struck_off": lambda: findings(replace(base, status="struck_off")),
    "other_status": lambda: findings(replace(base, status="retired")),
    "restricted_all": lambda: findings(replace(base, status="restricted", restriction="Geen injecties")),
    "restricted_other": lambda: findings(replace(base, status="restricted",
                                                 restricted_procedures=frozenset({"endoscopy"}))),
    "foreign_recognised": lambda: findings(replace(base, foreign_diploma=True, recognition_outcome="recognised",
                                                   recognition_decided_on=date(2021, 8, 1))),
    "foreign_none": lambda: findings(replace(base, foreign_diploma=True)),
    "foreign_refused": lambda: findings(replace(base, foreign_diploma=True, recognition_outcome="refused",
                                                recognition_decided_on=date(2021, 8, 1))),
    "foreign_later": lambda: findings(replace(base, foreign_diploma=True, recognition_outcome="recognised",
                                              recognition_decided_on=date(2025, 7, 1))),
    "unsigned": lambda: findings(base, comp=r.procedure_competence_finding(
        7, [replace(signed, assessor_id=None, method="training", expires_on=None)], TODAY)),
    "self_signed": lambda: findings(base, comp=r.procedure_competence_finding(7, [replace(signed, assessor_id=7)], TODAY)),
    "expired": lambda: findings(base, comp=r.procedure_competence_finding(
        7, [replace(signed, expires_on=date(2025, 3, 1))], TODAY)),
    # the first period runs from the effective date (1 March 2023) to the deadline of 1 March 2028
    "missed": lambda: findings(base, on=date(2031, 1, 1),
                               hours=[r.WorkHours(date(2024, 1, 1), date(2024, 12, 31), Decimal(100))]),
}


@pytest.mark.parametrize("case", CASES)
def test_every_finding_has_a_dutch_sentence_without_iso_dates_or_english(case):
    for finding in CASES[case]():
        assert finding.message_nl, (case, finding.code)
        assert finding.code in bekwaam_reason_texts(), finding.code
        assert not ISO_DAY.search(finding.message_nl), finding.message_nl
        assert not ENGLISH.search(finding.message_nl.lower()), finding.message_nl
        for day in ISO_DAY.findall(finding.message):  # every date of the English text is in the Dutch one
            assert date.fromisoformat(day).strftime("%d-%m-%Y") in finding.message_nl, (finding.message, day)


def test_every_code_the_findings_give_is_reached():
    codes = {f.code for case in CASES.values() for f in case()}
    assert codes == set(bekwaam_reason_texts()), set(bekwaam_reason_texts()) ^ codes


def test_the_dutch_sentences_name_the_details():
    texts = {f.code: f.message_nl for f in CASES["all_ok"]()}
    assert texts["procedure_reserved_for_kt"] == ("Injecties: een voorbehouden handeling die een klinisch technoloog "
                                                  "zelfstandig mag verrichten.")
    assert texts["big_registered"] == "Op 15-06-2025 BIG-geregistreerd als klinisch technoloog."
    assert texts["protocol"] == "Verricht volgens protocol PROT-12."
    texts = {f.code: f.message_nl for f in CASES["restricted_all"]()}
    assert texts["restricted"] == "De inschrijving is op 15-06-2025 beperkt voor injecties: Geen injecties."
    texts = {f.code: f.message_nl for f in CASES["suspended"]()}
    assert texts["not_registered_under_instruction"] == (
        "Inschrijving op 15-06-2025 geschorst: voorbehouden handelingen alleen in opdracht van een zelfstandig "
        "bevoegde (opdrachtregeling).")
    texts = {f.code: f.message_nl for f in CASES["unsigned"]()}
    assert texts["procedure_competence_unsigned"] == (
        "De bekwaamheid voor de handeling telt niet: geen eigen vervaldatum; methode training, niet training en "
        "toetsing; niet afgetekend door een beoordelaar.")
    texts = {f.code: f.message_nl for f in CASES["none"]()}
    assert texts["procedure_not_reserved_for_kt"].startswith("'anaesthesia' is geen van de negen")
    missed = {f.code: f for f in CASES["missed"]()}["reregistration_missed"]
    assert missed.message_nl == (
        "Herregistratietermijn 01-03-2028 gemist: 100,00 van 2.080,00 uur patiëntenzorg van 01-03-2023 tot en met "
        "29-02-2028; niet zelfstandig bevoegd vanaf 02-03-2028 tot de herregistratie."), missed.message_nl


def test_hours_for_a_dutch_reader():
    assert r.numbers.format_hours_nl(Decimal("2079")) == "2.079,00"
    assert r.numbers.format_hours_nl(Decimal("7.5")) == "7,50"
