"""Every text the rules of the klinisch technoloog produce, pinned word for word.

A message is what a manager reads next to the refusal; a changed word is a
deliberate change of this file, never an accident.
"""
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
import pytest

from plugins.big_kt import rules as r

TODAY = date(2025, 6, 15)
base = r.Registration(big_number="19012345601", registered_on=date(2021, 9, 1), diploma_on=date(2021, 7, 10))
signed = r.ProcedureCompetence(date(2022, 1, 10), date(2099, 1, 10), "training_and_assessment", 8)
ok_comp = r.procedure_competence_finding(7, [signed], TODAY)
unsigned = r.procedure_competence_finding(7, [replace(signed, assessor_id=None, method="training")], TODAY)
def findings(reg, procedure="injection", subs={1}, act=1, protocol=" PROT-12 ", comp=ok_comp):
    return [(f.ok, f.code, f.message) for f in r.independence_findings(reg, TODAY, procedure, subs, act, protocol, comp)]
CASES = {
 "all_ok": lambda: findings(base),
 "none": lambda: findings(None, procedure="anaesthesia", act=None, protocol="", comp=unsigned),
 "suspended": lambda: findings(replace(base, status="suspended"), subs={2}),
 "struck_off": lambda: findings(replace(base, status="struck_off")),
 "other_status": lambda: findings(replace(base, status="retired")),
 "restricted_all": lambda: findings(replace(base, status="restricted", restriction="Geen injecties")),
 "restricted_other": lambda: findings(replace(base, status="restricted", restricted_procedures=frozenset({"endoscopy"}))),
 "restricted_no_text": lambda: findings(replace(base, status="restricted")),
 "foreign_recognised": lambda: findings(replace(base, foreign_diploma=True, recognition_outcome="recognised", recognition_decided_on=date(2021, 8, 1))),
 "foreign_none": lambda: findings(replace(base, foreign_diploma=True)),
 "reg_errors_1": lambda: r.registration_errors(replace(base, big_number="123", status="retired", restricted_procedures=frozenset({"narcosis", "zz"})), TODAY),
 "reg_errors_2": lambda: r.registration_errors(replace(base, status="restricted", foreign_diploma=True), TODAY),
 "reg_errors_3": lambda: r.registration_errors(replace(base, foreign_diploma=True, language_proof=True, recognition_outcome="recognised", recognition_decided_on=TODAY + timedelta(days=1)), TODAY),
 "reg_errors_4": lambda: r.registration_errors(replace(base, foreign_diploma=True, language_proof=True, recognition_outcome="recognised", recognition_decided_on=date(2021, 7, 9)), TODAY),
 "reg_errors_5": lambda: r.registration_errors(replace(base, recognition_outcome="recognised"), TODAY),
 "reg_errors_6": lambda: r.registration_errors(replace(base, registered_on=date(2024, 5, 10), diploma_on=date(2019, 5, 9)), TODAY),
 "hours_1": lambda: r.work_hours_errors(r.WorkHours(date(2024, 1, 2), date(2024, 1, 1), Decimal(1)), TODAY),
 "hours_2": lambda: r.work_hours_errors(r.WorkHours(date(2024, 1, 1), TODAY + timedelta(days=1), Decimal(1)), TODAY),
 "hours_3": lambda: r.work_hours_errors(r.WorkHours(date(2024, 1, 1), date(2024, 1, 2), Decimal("48.01")), TODAY),
 "hours_4": lambda: r.work_hours_errors(r.WorkHours(date(2024, 1, 1), date(2024, 3, 1), Decimal(1)), TODAY,
                                        [r.WorkHours(date(2024, 2, 1), date(2024, 2, 29), Decimal(1)), r.WorkHours(date(2023, 1, 1), date(2024, 1, 1), Decimal(1))]),
 "status_1": lambda: r.status_change_errors(replace(base, status="suspended"), None, None),
 "status_2": lambda: r.status_change_errors(replace(base, status="restricted", restriction="x", restriction_from=date(2024, 1, 1)), date(2024, 1, 2), None),
 "unmet_none": lambda: [(u.code, u.message) for u in r.evaluation(None, [], TODAY).unmet],
 "unmet_suspended": lambda: [(u.code, u.message) for u in r.evaluation(replace(base, status="suspended"), [], TODAY).unmet],
 "unmet_restricted": lambda: [(u.code, u.message) for u in r.evaluation(replace(base, status="restricted", restricted_procedures=frozenset({"puncture", "injection"})), [], TODAY).unmet],
 "unmet_quality": lambda: [(u.code, u.message) for u in r.evaluation(base, [], date(2023, 3, 1), quality=r.quality_register(date(2021, 1, 1), [r.QualityActivity(date(2021, 2, 1), Decimal("10.5"), "A")], date(2023, 3, 1))).unmet],
}

EXPECTED = {
    'all_ok': [   (True, 'procedure_reserved_for_kt', 'injection is a reserved procedure the KT may perform.'),
    (True, 'big_registered', 'BIG-registered as klinisch technoloog.'),
    (True, 'diploma_recognised', 'Dutch diploma (no recognition needed).'),
    (True, 'not_restricted', 'No restriction in force.'),
    (True, 'reregistration_in_order', 'No re-registration deadline missed.'),
    (True, 'within_subdomain', 'Within a sub-domain the KT was trained in and works in.'),
    (True, 'procedure_competence', 'Individually competent for the procedure, signed off by an assessor.'),
    (True, 'protocol', 'Performed under protocol PROT-12.')],
    'none': [   (   False,
        'procedure_not_reserved_for_kt',
        'anaesthesia is not one of the nine reserved procedures of the KT: never independent.'),
    (   False,
        'not_registered_under_instruction',
        'Not BIG-registered: reserved procedures only under instruction of an independently authorised '
        'professional (opdrachtregeling).'),
    (True, 'diploma_recognised', 'Dutch diploma (no recognition needed).'),
    (True, 'not_restricted', 'No restriction in force.'),
    (True, 'reregistration_in_order', 'No re-registration deadline missed.'),
    (False, 'outside_subdomain', 'The activity names no technical-medical sub-domain.'),
    (   False,
        'procedure_competence_unsigned',
        'The competence record for the procedure does not count: method training, not '
        'training_and_assessment; not signed off by an assessor.'),
    (False, 'no_protocol', 'No departmental protocol derived from national guidelines.')],
    'suspended': [   (True, 'procedure_reserved_for_kt', 'injection is a reserved procedure the KT may perform.'),
    (   False,
        'not_registered_under_instruction',
        'Registration suspended: reserved procedures only under instruction of an independently authorised '
        'professional (opdrachtregeling).'),
    (True, 'diploma_recognised', 'Dutch diploma (no recognition needed).'),
    (True, 'not_restricted', 'No restriction in force.'),
    (True, 'reregistration_in_order', 'No re-registration deadline missed.'),
    (False, 'outside_subdomain', 'Outside the sub-domains the KT was trained in and works in.'),
    (True, 'procedure_competence', 'Individually competent for the procedure, signed off by an assessor.'),
    (True, 'protocol', 'Performed under protocol PROT-12.')],
    'struck_off': [   (True, 'procedure_reserved_for_kt', 'injection is a reserved procedure the KT may perform.'),
    (   False,
        'not_registered_under_instruction',
        'Struck off the register: reserved procedures only under instruction of an independently authorised '
        'professional (opdrachtregeling).'),
    (True, 'diploma_recognised', 'Dutch diploma (no recognition needed).'),
    (True, 'not_restricted', 'No restriction in force.'),
    (True, 'reregistration_in_order', 'No re-registration deadline missed.'),
    (True, 'within_subdomain', 'Within a sub-domain the KT was trained in and works in.'),
    (True, 'procedure_competence', 'Individually competent for the procedure, signed off by an assessor.'),
    (True, 'protocol', 'Performed under protocol PROT-12.')],
    'other_status': [   (True, 'procedure_reserved_for_kt', 'injection is a reserved procedure the KT may perform.'),
    (   False,
        'not_registered_under_instruction',
        'Registration status retired: reserved procedures only under instruction of an independently '
        'authorised professional (opdrachtregeling).'),
    (True, 'diploma_recognised', 'Dutch diploma (no recognition needed).'),
    (True, 'not_restricted', 'No restriction in force.'),
    (True, 'reregistration_in_order', 'No re-registration deadline missed.'),
    (True, 'within_subdomain', 'Within a sub-domain the KT was trained in and works in.'),
    (True, 'procedure_competence', 'Individually competent for the procedure, signed off by an assessor.'),
    (True, 'protocol', 'Performed under protocol PROT-12.')],
    'restricted_all': [   (True, 'procedure_reserved_for_kt', 'injection is a reserved procedure the KT may perform.'),
    (True, 'big_registered', 'BIG-registered as klinisch technoloog.'),
    (True, 'diploma_recognised', 'Dutch diploma (no recognition needed).'),
    (False, 'restricted', 'The registration is restricted for injection: Geen injecties.'),
    (True, 'reregistration_in_order', 'No re-registration deadline missed.'),
    (True, 'within_subdomain', 'Within a sub-domain the KT was trained in and works in.'),
    (True, 'procedure_competence', 'Individually competent for the procedure, signed off by an assessor.'),
    (True, 'protocol', 'Performed under protocol PROT-12.')],
    'restricted_other': [   (True, 'procedure_reserved_for_kt', 'injection is a reserved procedure the KT may perform.'),
    (True, 'big_registered', 'BIG-registered as klinisch technoloog.'),
    (True, 'diploma_recognised', 'Dutch diploma (no recognition needed).'),
    (True, 'not_restricted', 'The restriction in force does not cover injection.'),
    (True, 'reregistration_in_order', 'No re-registration deadline missed.'),
    (True, 'within_subdomain', 'Within a sub-domain the KT was trained in and works in.'),
    (True, 'procedure_competence', 'Individually competent for the procedure, signed off by an assessor.'),
    (True, 'protocol', 'Performed under protocol PROT-12.')],
    'restricted_no_text': [   (True, 'procedure_reserved_for_kt', 'injection is a reserved procedure the KT may perform.'),
    (True, 'big_registered', 'BIG-registered as klinisch technoloog.'),
    (True, 'diploma_recognised', 'Dutch diploma (no recognition needed).'),
    (False, 'restricted', 'The registration is restricted for injection.'),
    (True, 'reregistration_in_order', 'No re-registration deadline missed.'),
    (True, 'within_subdomain', 'Within a sub-domain the KT was trained in and works in.'),
    (True, 'procedure_competence', 'Individually competent for the procedure, signed off by an assessor.'),
    (True, 'protocol', 'Performed under protocol PROT-12.')],
    'foreign_recognised': [   (True, 'procedure_reserved_for_kt', 'injection is a reserved procedure the KT may perform.'),
    (True, 'big_registered', 'BIG-registered as klinisch technoloog.'),
    (True, 'diploma_recognised', 'Foreign diploma recognised on 2021-08-01.'),
    (True, 'not_restricted', 'No restriction in force.'),
    (True, 'reregistration_in_order', 'No re-registration deadline missed.'),
    (True, 'within_subdomain', 'Within a sub-domain the KT was trained in and works in.'),
    (True, 'procedure_competence', 'Individually competent for the procedure, signed off by an assessor.'),
    (True, 'protocol', 'Performed under protocol PROT-12.')],
    'foreign_none': [   (True, 'procedure_reserved_for_kt', 'injection is a reserved procedure the KT may perform.'),
    (True, 'big_registered', 'BIG-registered as klinisch technoloog.'),
    (   False,
        'foreign_diploma_not_recognised',
        'Foreign diploma not recognised: no recognition decision recorded; reserved procedures only under '
        'instruction.'),
    (True, 'not_restricted', 'No restriction in force.'),
    (True, 'reregistration_in_order', 'No re-registration deadline missed.'),
    (True, 'within_subdomain', 'Within a sub-domain the KT was trained in and works in.'),
    (True, 'procedure_competence', 'Individually competent for the procedure, signed off by an assessor.'),
    (True, 'protocol', 'Performed under protocol PROT-12.')],
    'reg_errors_1': {   'big_number': ['A BIG number is exactly 11 digits.'],
    'restricted_procedures': ['Unknown reserved procedures: narcosis, zz.'],
    'status': ['Unknown status; expected one of registered, suspended, struck_off, restricted.']},
    'reg_errors_2': {   'language_proof': ['A foreign diploma needs proof of Dutch at level B2+.'],
    'recognition_decided_on': ['A foreign diploma needs the date of the recognition decision.'],
    'recognition_outcome': [   'A foreign diploma needs the recognition outcome: one of recognised, '
                               'conditions_not_met, refused.'],
    'restriction': ['A restricted registration needs the text of the restriction.']},
    'reg_errors_3': {'recognition_decided_on': ['The recognition decision lies in the future.']},
    'reg_errors_4': {'recognition_decided_on': ['The recognition decision predates the diploma.']},
    'reg_errors_5': {'recognition_outcome': ['A recognition decision belongs to a foreign diploma only.']},
    'reg_errors_6': {   'diploma_on': [   'A diploma older than 5 years on the registration date cannot be newly registered '
                      'since periodic registration applies (2023-03-01).']},
    'hours_1': {'period_end': ['The period ends before it starts.']},
    'hours_2': {'period_end': ['Only hours already worked count; the period ends in the future.']},
    'hours_3': {'hours': ['More hours than the period has (24 h x 2 days).']},
    'hours_4': {   'period_end': [   'Overlaps another work-hours record (2023-01-01 to 2024-01-01, 2024-02-01 to '
                      '2024-02-29); the same hours may not count twice.'],
    'period_start': [   'Overlaps another work-hours record (2023-01-01 to 2024-01-01, 2024-02-01 to '
                        '2024-02-29); the same hours may not count twice.']},
    'status_1': {   'status_since': [   'State from which day the new status holds (a fact recorded late applies from its '
                        'own date).']},
    'status_2': {   'restriction_from': [   'The restriction starts before the restricted status that carries it; give the '
                            'same date.'],
    'status_since': [   'The restriction starts before the restricted status that carries it; give the same '
                        'date.']},
    'unmet_none': [   (   'not_registered',
        'Not BIG-registered as klinisch technoloog: reserved procedures only under instruction '
        '(opdrachtregeling).')],
    'unmet_suspended': [   (   'suspended',
        'The BIG registration is suspended: reserved procedures only under instruction (opdrachtregeling).'),
    (   'reregistration_hours',
        '0.00 of 954.04 h of patient care expected by 2025-06-15; 2,080.00 h required by 2028-03-01 '
        '(2,080.00 h to go).')],
    'unmet_restricted': [   ('restricted', 'Restricted for injection, puncture.'),
    (   'reregistration_hours',
        '0.00 of 954.04 h of patient care expected by 2025-06-15; 2,080.00 h required by 2028-03-01 '
        '(2,080.00 h to go).')],
    'unmet_quality': [   (   'reregistration_hours',
        '0.00 of 1.14 h of patient care expected by 2023-03-01; 2,080.00 h required by 2028-03-01 (2,080.00 '
        'h to go).'),
    ('quality_points', '10.50 of 200.00 NVvTG points in the period to 2026-01-01.'),
    ('quality_a_points', '10.50 of 100.00 NVvTG A-points in the period to 2026-01-01.')],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_messages(case):
    assert CASES[case]() == EXPECTED[case]


def test_every_case_has_its_expectation():
    assert set(CASES) == set(EXPECTED)


def test_quality_kind_message():
    with pytest.raises(ValueError, match=r"^kind must be 'A' or 'B'$"):
        r.QualityActivity(TODAY, Decimal(1), "C")
