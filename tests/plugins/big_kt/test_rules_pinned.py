"""Rules of the klinisch technoloog: the remaining boundaries, labels and messages pinned one by one,
so that no change of a comparison, constant or text in the rules (``plugins/big_kt/rules/``) goes unnoticed."""
import dataclasses
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from plugins.big_kt import rules
from plugins.big_kt.rules import (QualityActivity, Registration, ReregistrationConfig, WorkHours, effective_status,
                                  evaluation, hours_in, procedure_competence_finding, quality_register,
                                  registration_errors, reregistration, restriction_applies, status_change_errors)

D = timedelta(days=1)
TODAY = date(2025, 6, 15)


def reg(**changes) -> Registration:
    base = Registration(big_number="19012345601", registered_on=date(2021, 9, 1), diploma_on=date(2021, 7, 10))
    return replace(base, **changes)


def test_every_rule_value_is_frozen():
    classes = [obj for obj in vars(rules).values() if isinstance(obj, type) and dataclasses.is_dataclass(obj)]
    assert len(classes) == 11
    for cls in classes:
        assert cls.__dataclass_params__.frozen, cls.__name__
    with pytest.raises(dataclasses.FrozenInstanceError):
        reg().status = "suspended"


def test_registration_defaults():
    plain = Registration(big_number="19012345601", registered_on=date(2021, 9, 1))
    assert (plain.status, plain.foreign_diploma, plain.language_proof) == ("registered", False, False)
    assert plain.restricted_procedures == frozenset() and plain.recognition_outcome is None


def test_reserved_procedure_labels():
    assert rules.RESERVED_PROCEDURES == {
        "surgical": ("heelkundige handelingen", "surgical procedures"),
        "endoscopy": ("endoscopieën", "endoscopies"),
        "catheterisation": ("catheterisaties", "catheterisations"),
        "injection": ("injecties", "injections"),
        "puncture": ("puncties", "punctures"),
        "elective_cardioversion": ("electieve cardioversie", "elective cardioversion"),
        "defibrillation": ("defibrillatie", "defibrillation"),
        "radiation": ("toepassen van radioactieve stoffen en ioniserende straling",
                      "radioactive substances and ionising radiation"),
        "lithotripsy": ("steenvergruizing", "lithotripsy"),
    }
    assert rules.STATUSES == ("registered", "suspended", "struck_off", "restricted")
    assert rules.KNOWN_TRACKS == ("Imaging & Intervention", "Sensing & Stimulation")


# ------------------------------------------------------------ registration


def test_restricted_status_without_text_applies():
    assert restriction_applies(reg(status="restricted"), TODAY) is True
    assert restriction_applies(reg(), TODAY) is False
    assert restriction_applies(reg(restriction="Geen injecties"), TODAY) is True


def test_restriction_applies_from_its_first_day_to_its_last():
    r = reg(status="restricted", restriction="x", restriction_from=TODAY, restriction_until=TODAY)
    assert [restriction_applies(r, d) for d in (TODAY - D, TODAY, TODAY + D)] == [False, True, False]


def test_registered_entry_with_a_restriction_in_force_reads_restricted():
    r = reg(restriction="Geen injecties", restriction_from=TODAY)
    assert effective_status(r, TODAY) == "restricted" and effective_status(r, TODAY - D) == "registered"


def test_missing_dates_are_errors_not_crashes():
    assert registration_errors(reg(registered_on=None), TODAY)["registered_on"] == [
        "The registration date is required."]
    assert registration_errors(reg(diploma_on=None), TODAY)["diploma_on"] == ["The diploma date is required."]
    assert set(registration_errors(reg(registered_on=None, diploma_on=None), TODAY)) == {"registered_on",
                                                                                          "diploma_on"}


def test_dates_of_today_are_accepted_and_tomorrow_refused():
    assert registration_errors(reg(registered_on=TODAY, diploma_on=TODAY), TODAY) == {}
    errors = registration_errors(reg(registered_on=TODAY + D, diploma_on=TODAY + D), TODAY)
    assert errors["registered_on"] == ["The registration date lies in the future."]
    assert errors["diploma_on"][0] == "The diploma date lies in the future."


def test_diploma_on_the_registration_day_is_accepted():
    assert registration_errors(reg(diploma_on=date(2021, 9, 1)), TODAY) == {}
    assert registration_errors(reg(diploma_on=date(2021, 9, 2)), TODAY)["diploma_on"] == [
        "The diploma is dated after the registration."]


def test_one_day_restriction_is_accepted():
    r = reg(status="restricted", restriction="x", restriction_from=TODAY, restriction_until=TODAY)
    assert registration_errors(r, TODAY) == {}
    assert registration_errors(replace(r, restriction_until=TODAY - D), TODAY)["restriction_until"] == [
        "The restriction ends before it starts."]


def test_status_change_messages():
    early = reg(registered_on=date(2019, 5, 1), status="restricted", restriction="x",
                restriction_from=date(2020, 6, 30))
    errors = status_change_errors(early, date(2020, 6, 30), None)
    assert errors["status_since"][0] == "A status cannot take effect before the registration does (2020-07-01)."
    assert errors["restriction_from"] == [
        "A restriction cannot start before the registration takes effect (2020-07-01)."]
    assert status_change_errors(reg(status="suspended"), date(2023, 1, 1), date(2024, 1, 1))["status_since"] == [
        "A status change cannot take effect before the last one (2024-01-01)."]


@pytest.mark.parametrize("status, start", [("suspended", "Registration suspended:"),
                                           ("struck_off", "Struck off the register:")])
def test_registration_finding_names_the_status(status, start):
    finding = rules._registration_finding(reg(status=status), TODAY)
    assert finding.message.startswith(start) and not finding.ok


def test_evaluation_unmet_codes_per_status():
    assert [u.code for u in evaluation(reg(status="struck_off"), [], TODAY).unmet] == ["struck_off"]
    assert evaluation(reg(status="struck_off"), [], TODAY).unmet[0].message.startswith("Struck off the BIG register")
    assert [u.code for u in evaluation(reg(status="suspended"), [], TODAY).unmet][0] == "suspended"


def test_restriction_message_names_its_scope():
    everything = evaluation(reg(status="restricted", restriction="x"), [], TODAY).unmet[0]
    assert everything.message == "Restricted for all reserved procedures: x."
    partial = evaluation(reg(status="restricted", restriction="x", restricted_procedures=frozenset({"injection"}),
                             restriction_until=TODAY), [], TODAY).unmet[0]
    assert partial.message == f"Restricted for injection until {TODAY.isoformat()}: x."


def test_evaluation_as_dict_unmet_shape():
    answer = evaluation(reg(status="suspended"), [], TODAY).as_dict()
    assert list(answer["unmet"][0]) == ["code", "message"] and answer["unmet"][0]["code"] == "suspended"


# ------------------------------------------------------ re-registration


def test_hours_on_the_first_day_of_the_period_count_on_that_day():
    r = reg(diploma_on=date(2023, 6, 1), registered_on=date(2023, 9, 1))
    rr = reregistration(r, [WorkHours(date(2023, 9, 1), date(2023, 9, 1), Decimal("8"))], date(2023, 9, 1))
    assert rr.hours_done == Decimal("8.00")


def test_before_the_period_nothing_is_expected():
    r = reg(diploma_on=date(2023, 6, 1), registered_on=date(2023, 9, 1))
    rr = reregistration(r, [], date(2023, 8, 31))
    assert rr.hours_expected == Decimal("0.00") and rr.on_track is True


def test_without_registration_re_registration_is_on_track_and_does_not_apply():
    rr = reregistration(None, [], TODAY)
    assert (rr.applies, rr.on_track, rr.period_start, rr.due) == (False, True, None, None)


@pytest.mark.parametrize("start, end, expected", [
    (date(2024, 1, 1), date(2024, 1, 1), "8.00"),     # a one-day record
    (date(2023, 12, 31), date(2024, 1, 1), "4.00"),   # one day of two inside
    (date(2023, 12, 30), date(2023, 12, 31), "0.00"),  # ends the day before
    (date(2024, 1, 2), date(2024, 1, 1), "0.00"),     # impossible record: no division by zero
])
def test_hours_in_edges(start, end, expected):
    assert hours_in([WorkHours(start, end, Decimal("8"))], date(2024, 1, 1), date(2024, 12, 31)) == Decimal(expected)


# ------------------------------------------------------ competence edges


def test_a_record_not_yet_obtained_without_expiry_is_no_competence():
    record = rules.ProcedureCompetence(date(2024, 1, 10), None, "training_and_assessment", 8)
    finding = procedure_competence_finding(7, [record], date(2024, 1, 9))
    assert finding.code == "no_procedure_competence" and "expired" not in finding.message


def test_a_record_not_yet_obtained_has_not_expired():
    record = rules.ProcedureCompetence(date(2024, 1, 10), date(2025, 1, 10), "training_and_assessment", 8)
    finding = procedure_competence_finding(7, [record], date(2024, 1, 9))
    assert finding.message == "No valid competence record for the procedure."


# ------------------------------------------------------ quality register


def test_quality_counts_the_entry_day_and_the_last_day():
    entry = date(2020, 1, 1)
    last_day = date(2024, 12, 31)
    acts = [QualityActivity(entry, Decimal("100"), "A"), QualityActivity(last_day, Decimal("100"), "B")]
    result = quality_register(entry, acts, last_day)
    assert (result.points_done, result.a_points_done, result.met) == (Decimal("200.00"), Decimal("100.00"), True)


@pytest.mark.parametrize("a, b, codes", [
    ("99.50", "100.50", ["quality_a_points"]),          # 200 in total, half a point A short
    ("100", "99.50", ["quality_points"]),               # enough A, half a point short in total
    ("100", "100", []),
])
def test_quality_unmet_codes(a, b, codes):
    entry = date(2020, 1, 1)
    acts = [QualityActivity(entry, Decimal(a), "A"), QualityActivity(entry, Decimal(b), "B")]
    result = quality_register(entry, acts, date(2021, 1, 1))
    unmet = evaluation(reg(), [], date(2021, 1, 1), ReregistrationConfig(), quality=result).unmet
    assert [u.code for u in unmet if u.code.startswith("quality")] == codes
