"""Fail-closed rules of the klinisch technoloog, every boundary pinned (first day, last day, day after).

Besluit opleidingseisen en deskundigheidsgebied klinisch technoloog: art. 5
(individual competence), art. 6 (registration before 1 July 2020), art. 7 (foreign
diploma); periodic re-registration of the Wet BIG (2,080 h in 5 years).
"""
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from plugins.big_kt import rules
from plugins.big_kt.rules import (
    ProcedureCompetence,
    Registration,
    ReregistrationConfig,
    WorkHours,
    competence_current,
    competence_shortfalls,
    date_in_bounds,
    diploma_recognised_on,
    evaluation,
    hours_in_bounds,
    independence_findings,
    is_registered_on,
    missed_reregistration,
    periods_overlap,
    procedure_competence_finding,
    registration_effective_on,
    registration_errors,
    status_change_errors,
    status_since_default,
    work_hours_errors,
)

D = timedelta(days=1)
TODAY = date(2025, 6, 15)
KT, SPECIALIST = 7, 8
# periodic registration from 2020 so that a whole period lies in the past
CONFIG_2020 = ReregistrationConfig(effective_date=date(2020, 1, 1))


def reg(**changes) -> Registration:
    base = Registration(big_number="19012345601", registered_on=date(2020, 7, 1), status="registered",
                        diploma_on=date(2020, 6, 1))
    return replace(base, **changes)


def signed(obtained=date(2023, 1, 10), expires=date(2024, 1, 10), method="training_and_assessment",
           assessor=SPECIALIST) -> ProcedureCompetence:
    return ProcedureCompetence(obtained, expires, method, assessor)


# ------------------------------------------------------------------- bounds


def test_the_bounds_themselves():
    assert rules.EARLIEST_DATE == date(1950, 1, 1) and rules.LATEST_DATE == date(2100, 12, 31)
    assert rules.MAX_RECORD_HOURS == Decimal("10000") and rules.HOURS_PER_DAY == 24


@pytest.mark.parametrize("day, ok", [(date(1949, 12, 31), False), (date(1950, 1, 1), True),
                                     (date(2100, 12, 31), True), (date(2101, 1, 1), False)])
def test_date_in_bounds(day, ok):
    assert date_in_bounds(day) is ok


@pytest.mark.parametrize("hours, ok", [("0", False), ("-0.01", False), ("0.01", True), ("10000", True),
                                       ("10000.01", False), ("1.234", False), ("1.230", True)])
def test_hours_in_bounds(hours, ok):
    assert hours_in_bounds(Decimal(hours)) is ok


@pytest.mark.parametrize("b_start, b_end, overlap", [
    (date(2024, 1, 31), date(2024, 2, 5), True),    # shares the last day
    (date(2024, 2, 1), date(2024, 2, 5), False),    # starts the day after
    (date(2023, 12, 1), date(2024, 1, 1), True),    # shares the first day
    (date(2023, 12, 1), date(2023, 12, 31), False),  # ends the day before
    (date(2024, 1, 10), date(2024, 1, 12), True),   # inside
])
def test_periods_overlap(b_start, b_end, overlap):
    a = (date(2024, 1, 1), date(2024, 1, 31))
    assert periods_overlap(*a, b_start, b_end) is overlap
    assert periods_overlap(b_start, b_end, *a) is overlap


def hours(start, end, h):
    return WorkHours(start, end, Decimal(h))


def test_work_hours_single_day_and_its_limit():
    day = date(2024, 3, 1)
    assert work_hours_errors(hours(day, day, "24"), TODAY) == {}
    errors = work_hours_errors(hours(day, day, "24.01"), TODAY)
    assert list(errors) == ["hours"] and "24 h x 1 days" in errors["hours"][0]
    assert work_hours_errors(hours(day, day + D, "48"), TODAY) == {}
    assert list(work_hours_errors(hours(day, day + D, "48.01"), TODAY)) == ["hours"]


def test_work_hours_end_before_start():
    day = date(2024, 3, 1)
    assert list(work_hours_errors(hours(day, day - D, "1"), TODAY)) == ["period_end"]


def test_work_hours_end_today_and_tomorrow():
    assert work_hours_errors(hours(TODAY - D, TODAY, "8"), TODAY) == {}
    errors = work_hours_errors(hours(TODAY - D, TODAY + D, "8"), TODAY)
    assert list(errors) == ["period_end"] and "future" in errors["period_end"][0]


def test_work_hours_overlap_names_both_fields_and_the_other_record():
    other = hours(date(2024, 1, 1), date(2024, 1, 31), "100")
    errors = work_hours_errors(hours(date(2024, 1, 31), date(2024, 2, 10), "10"), TODAY, [other])
    assert set(errors) == {"period_start", "period_end"}
    assert "2024-01-01 to 2024-01-31" in errors["period_start"][0]
    assert work_hours_errors(hours(date(2024, 2, 1), date(2024, 2, 10), "10"), TODAY, [other]) == {}


def test_an_impossible_record_is_not_also_reported_as_overlap():
    other = hours(date(2024, 1, 1), date(2024, 1, 31), "100")
    errors = work_hours_errors(hours(date(2024, 1, 1), date(2024, 1, 1), "25"), TODAY, [other])
    assert list(errors) == ["hours"]


# ------------------------------------------------- registration before 2020


@pytest.mark.parametrize("registered, effective", [
    (date(2019, 3, 4), date(2020, 7, 1)), (date(2020, 6, 30), date(2020, 7, 1)),
    (date(2020, 7, 1), date(2020, 7, 1)), (date(2020, 7, 2), date(2020, 7, 2)),
])
def test_registration_takes_effect_on_1_july_2020_at_the_earliest(registered, effective):
    r = reg(registered_on=registered, diploma_on=date(2019, 1, 1))
    assert registration_effective_on(r) == effective
    assert is_registered_on(r, effective) is True
    assert is_registered_on(r, effective - D) is False
    assert rules.effective_status(r, effective - D) is None
    assert rules.effective_status(r, effective) == "registered"


def test_no_registration_takes_effect_never():
    assert registration_effective_on(None) is None
    assert registration_effective_on(reg(registered_on=None)) is None
    assert is_registered_on(None, TODAY) is False


def test_pre_2020_registration_starts_its_period_on_1_july_2020():
    r = reg(registered_on=date(2019, 11, 15), diploma_on=date(2019, 8, 30))
    rr = rules.reregistration(r, [], date(2021, 1, 1), ReregistrationConfig(effective_date=date(2019, 1, 1)))
    assert (rr.period_start, rr.due) == (date(2020, 7, 1), date(2025, 7, 1))


# --------------------------------------------------------- foreign diploma


FOREIGN = dict(foreign_diploma=True, language_proof=True)


def test_dutch_diploma_needs_no_recognition():
    assert diploma_recognised_on(reg(), TODAY) is True


@pytest.mark.parametrize("outcome, decided, on, ok", [
    ("recognised", date(2021, 8, 1), date(2021, 7, 31), False),
    ("recognised", date(2021, 8, 1), date(2021, 8, 1), True),
    ("recognised", None, TODAY, False),
    ("conditions_not_met", date(2021, 8, 1), TODAY, False),
    ("refused", date(2021, 8, 1), TODAY, False),
    (None, None, TODAY, False),
])
def test_foreign_diploma_recognised_only_by_a_recognition(outcome, decided, on, ok):
    r = reg(recognition_outcome=outcome, recognition_decided_on=decided, **FOREIGN)
    assert diploma_recognised_on(r, on) is ok
    finding = rules._recognition_finding(r, on)
    assert (finding.ok, finding.code) == (ok, "diploma_recognised" if ok else "foreign_diploma_not_recognised")


@pytest.mark.parametrize("outcome, decided, text", [
    ("conditions_not_met", date(2021, 8, 1), "further requirements not met (2021-08-01)"),
    ("refused", date(2021, 8, 1), "recognition refused (2021-08-01)"),
    ("recognised", date(2026, 1, 1), "recognised only from 2026-01-01"),
    (None, None, "no recognition decision recorded"),
    ("refused", None, "no recognition decision recorded"),
])
def test_recognition_finding_says_why(outcome, decided, text):
    finding = rules._recognition_finding(reg(recognition_outcome=outcome, recognition_decided_on=decided, **FOREIGN),
                                         TODAY)
    assert text in finding.message


def test_recognised_finding_names_the_date():
    r = reg(recognition_outcome="recognised", recognition_decided_on=date(2021, 8, 1), **FOREIGN)
    assert "2021-08-01" in rules._recognition_finding(r, TODAY).message
    assert rules._recognition_finding(None, TODAY).ok is True


def test_foreign_diploma_errors():
    assert set(registration_errors(reg(**FOREIGN), TODAY)) == {"recognition_outcome", "recognition_decided_on"}
    bad = reg(recognition_outcome="ok", recognition_decided_on=date(2021, 8, 1), **FOREIGN)
    assert set(registration_errors(bad, TODAY)) == {"recognition_outcome"}


@pytest.mark.parametrize("decided, ok", [
    (TODAY, True), (TODAY + D, False),                       # not in the future
    (date(2020, 6, 1), True), (date(2020, 5, 31), False),    # not before the diploma
])
def test_recognition_date_boundaries(decided, ok):
    r = reg(recognition_outcome="recognised", recognition_decided_on=decided, **FOREIGN)
    assert ("recognition_decided_on" not in registration_errors(r, TODAY)) is ok


def test_recognition_without_foreign_diploma_is_an_error():
    assert "recognition_outcome" in registration_errors(reg(recognition_outcome="recognised"), TODAY)
    assert "recognition_outcome" in registration_errors(reg(recognition_decided_on=date(2021, 1, 1)), TODAY)


def test_evaluation_of_an_unrecognised_foreign_diploma():
    r = reg(recognition_outcome="refused", recognition_decided_on=date(2020, 6, 2), **FOREIGN)
    result = evaluation(r, [], TODAY)
    assert result.independent is False
    assert "foreign_diploma_not_recognised" in [u.code for u in result.unmet]
    ok = evaluation(replace(r, recognition_outcome="recognised"), [], TODAY)
    assert ok.independent is True and "foreign_diploma_not_recognised" not in [u.code for u in ok.unmet]


# ---------------------------------------------------- procedure competence


def test_signed_method_constant():
    assert rules.SIGNED_OFF_METHOD == "training_and_assessment"
    assert rules.RECOGNITION_OUTCOMES == ("recognised", "conditions_not_met", "refused")


@pytest.mark.parametrize("record, shortfalls", [
    (signed(), []),
    (signed(assessor=None), ["not signed off by an assessor"]),
    (signed(assessor=KT), ["signed off by the person themself"]),
    (signed(method="training"), ["method training, not training_and_assessment"]),
    (signed(method="instruction"), ["method instruction, not training_and_assessment"]),
    (signed(expires=None), ["no expiry date of its own"]),
    (signed(assessor=None, method="instruction", expires=None),
     ["not signed off by an assessor", "method instruction, not training_and_assessment",
      "no expiry date of its own"]),
])
def test_competence_shortfalls(record, shortfalls):
    assert competence_shortfalls(KT, record) == shortfalls


@pytest.mark.parametrize("on, current", [
    (date(2023, 1, 9), False), (date(2023, 1, 10), True), (date(2024, 1, 9), True), (date(2024, 1, 10), False),
])
def test_competence_current_boundaries(on, current):
    assert competence_current(signed(), on) is current


def test_competence_without_expiry_is_current_but_does_not_count():
    record = signed(expires=None)
    assert competence_current(record, date(2090, 1, 1)) is True
    finding = procedure_competence_finding(KT, [record], date(2090, 1, 1))
    assert (finding.ok, finding.code) == (False, "procedure_competence_unsigned")
    assert "no expiry date of its own" in finding.message


@pytest.mark.parametrize("on, code", [
    (date(2023, 1, 9), "no_procedure_competence"), (date(2023, 1, 10), "procedure_competence"),
    (date(2024, 1, 9), "procedure_competence"), (date(2024, 1, 10), "no_procedure_competence"),
])
def test_procedure_competence_finding_boundaries(on, code):
    finding = procedure_competence_finding(KT, [signed()], on)
    assert (finding.ok, finding.code) == (code == "procedure_competence", code)


def test_expired_competence_names_the_latest_expiry():
    records = [signed(expires=date(2023, 6, 1)), signed(expires=date(2024, 1, 10)), signed(expires=date(2023, 9, 1))]
    finding = procedure_competence_finding(KT, records, date(2024, 1, 10))
    assert finding.code == "no_procedure_competence" and "expired on 2024-01-10" in finding.message


def test_no_records_at_all():
    finding = procedure_competence_finding(KT, [], TODAY)
    assert (finding.ok, finding.code) == (False, "no_procedure_competence")
    assert "expired" not in finding.message


def test_unsigned_current_record_beside_a_signed_one():
    finding = procedure_competence_finding(KT, [signed(assessor=None), signed()], date(2023, 6, 1))
    assert (finding.ok, finding.code) == (True, "procedure_competence")
    unsigned = procedure_competence_finding(KT, [signed(assessor=None), signed(method="training")], date(2023, 6, 1))
    assert unsigned.code == "procedure_competence_unsigned"
    assert "not signed off by an assessor" in unsigned.message and "method training" in unsigned.message


def test_unsigned_record_not_current_is_no_competence():
    finding = procedure_competence_finding(KT, [signed(assessor=None)], date(2024, 1, 10))
    assert finding.code == "no_procedure_competence"


# -------------------------------------------------- missed re-registration


NORM = ReregistrationConfig(effective_date=date(2020, 1, 1)).hours_norm  # 2,080 h


def first_period(h):
    return [hours(date(2020, 7, 1), date(2025, 6, 30), h)]


@pytest.mark.parametrize("as_of, missed", [
    (date(2025, 6, 30), False),   # last day of the period
    (date(2025, 7, 1), False),    # the deadline itself
    (date(2025, 7, 2), True),     # the day after
    (date(2031, 1, 1), True),     # not forgotten in the next period
])
def test_missed_from_the_day_after_the_deadline(as_of, missed):
    found = missed_reregistration(reg(), first_period("2079.99"), as_of, CONFIG_2020)
    assert (found is not None) is missed
    if missed:
        assert found == rules.MissedReregistration(date(2020, 7, 1), date(2025, 7, 1), Decimal("2080.00"),
                                                   Decimal("2079.99"))


def test_norm_met_exactly_is_not_missed():
    assert NORM == Decimal("2080")
    assert missed_reregistration(reg(), first_period("2080"), date(2025, 7, 2), CONFIG_2020) is None


def test_hours_on_the_deadline_day_belong_to_the_next_period():
    records = first_period("2079") + [hours(date(2025, 7, 1), date(2025, 7, 1), "1")]
    assert missed_reregistration(reg(), records, date(2025, 7, 2), CONFIG_2020) is not None


def test_a_later_missed_period_is_found_after_a_met_one():
    records = first_period("2080") + [hours(date(2025, 7, 1), date(2030, 6, 30), "100")]
    assert missed_reregistration(reg(), records, date(2030, 7, 1), CONFIG_2020) is None
    found = missed_reregistration(reg(), records, date(2030, 7, 2), CONFIG_2020)
    assert (found.period_start, found.due, found.hours_done) == (date(2025, 7, 1), date(2030, 7, 1), Decimal("100.00"))


def test_the_first_missed_period_is_reported():
    found = missed_reregistration(reg(), [], date(2031, 1, 1), CONFIG_2020)
    assert found.due == date(2025, 7, 1)


@pytest.mark.parametrize("registered, held", [(date(2024, 12, 31), True), (date(2025, 1, 1), False)])
def test_a_registration_from_the_deadline_on_clears_the_missed_period(registered, held):
    # diploma before the effective date: the first period runs [2020-01-01, 2025-01-01) whatever the
    # registration date (the product's literal reading of the Besluit periodieke registratie Wet BIG, docs/big_kt.md)
    r = reg(registered_on=registered, diploma_on=date(2019, 1, 1))
    assert (missed_reregistration(r, [], date(2025, 8, 1), CONFIG_2020) is not None) is held


def test_nothing_missed_without_registration():
    assert missed_reregistration(None, [], date(2031, 1, 1), CONFIG_2020) is None
    assert missed_reregistration(reg(registered_on=None), [], date(2031, 1, 1), CONFIG_2020) is None


def test_missed_message_gives_the_numbers_and_dates():
    message = rules.MissedReregistration(date(2020, 7, 1), date(2025, 7, 1), Decimal("2080.00"),
                                         Decimal("2079.99")).message()
    assert message == ("Re-registration deadline 2025-07-01 missed: 2,079.99 of 2,080.00 h of patient care "
                       "from 2020-07-01 to 2025-06-30; not independent from 2025-07-02 until re-registered.")


def test_missed_norm_in_findings_and_evaluation():
    competence = procedure_competence_finding(KT, [signed(obtained=date(2020, 7, 1), expires=date(2099, 1, 1))],
                                              date(2025, 7, 2))
    args = ("injection", {1}, 1, "PROT-1", competence, first_period("2079.99"), CONFIG_2020)
    on_deadline = independence_findings(reg(), date(2025, 7, 1), *args[:4], competence, *args[5:])
    assert {f.code: f.ok for f in on_deadline}["reregistration_in_order"] is True
    assert rules.may_act_independently(on_deadline)
    after = independence_findings(reg(), date(2025, 7, 2), *args)
    assert {f.code: f.ok for f in after}["reregistration_missed"] is False
    assert not rules.may_act_independently(after)
    result = evaluation(reg(), first_period("2079.99"), date(2025, 7, 2), CONFIG_2020)
    assert result.independent is False and "reregistration_missed" in [u.code for u in result.unmet]
    assert evaluation(reg(), first_period("2079.99"), date(2025, 7, 1), CONFIG_2020).independent is True
    assert result.as_dict()["reregistration"]["missed"] == {
        "period_start": "2020-07-01", "due": "2025-07-01", "hours_required": "2080.00", "hours_done": "2079.99"}
    assert evaluation(reg(), first_period("2079.99"), date(2025, 7, 1), CONFIG_2020).as_dict()[
        "reregistration"]["missed"] is None


# ------------------------------------------------- valid time: status dates


def test_status_since_default():
    assert status_since_default(reg(), date(2024, 1, 1), is_new=False) == date(2024, 1, 1)
    assert status_since_default(reg(registered_on=date(2019, 5, 1)), None, is_new=True) == date(2020, 7, 1)
    restricted = reg(status="restricted", restriction="x", restriction_from=date(2025, 5, 12))
    assert status_since_default(restricted, None, is_new=False) == date(2025, 5, 12)
    assert status_since_default(replace(restricted, restriction_from=None), None, is_new=False) is None
    assert status_since_default(reg(status="suspended", restriction_from=date(2025, 5, 12)), None,
                                is_new=False) is None


def test_a_change_needs_its_date():
    assert set(status_change_errors(reg(status="suspended"), None, date(2021, 1, 1))) == {"status_since"}


@pytest.mark.parametrize("since, ok", [(date(2020, 6, 30), False), (date(2020, 7, 1), True)])
def test_status_not_before_the_registration_takes_effect(since, ok):
    r = reg(registered_on=date(2019, 5, 1), status="suspended")
    assert (status_change_errors(r, since, None) == {}) is ok


@pytest.mark.parametrize("since, ok", [(date(2023, 12, 31), False), (date(2024, 1, 1), True)])
def test_status_not_before_the_last_change(since, ok):
    assert (status_change_errors(reg(status="suspended"), since, date(2024, 1, 1)) == {}) is ok


@pytest.mark.parametrize("start, ok", [(date(2020, 6, 30), False), (date(2020, 7, 1), True)])
def test_restriction_not_before_the_registration_takes_effect(start, ok):
    r = reg(registered_on=date(2019, 5, 1), status="restricted", restriction="x", restriction_from=start)
    errors = status_change_errors(r, date(2020, 7, 1), None)
    assert ("restriction_from" not in errors) is ok


@pytest.mark.parametrize("status, since, ok", [
    ("restricted", date(2024, 1, 1), True), ("restricted", date(2024, 1, 2), False),
    ("restricted", date(2023, 12, 31), True), ("registered", date(2024, 1, 2), True),
])
def test_restricted_status_not_after_its_restriction_starts(status, since, ok):
    r = reg(status=status, restriction="x", restriction_from=date(2024, 1, 1))
    errors = status_change_errors(r, since, None)
    assert (errors == {}) is ok
    if not ok:
        assert set(errors) == {"status_since", "restriction_from"}


def test_registration_without_date_has_no_start_to_compare():
    assert status_change_errors(reg(registered_on=None, restriction_from=date(2024, 1, 1)), date(2024, 1, 1),
                                None) == {}


def test_a_day_far_beyond_the_bounds_does_not_run_the_calendar_out():
    records = [hours(date(2020 + 5 * k, 7, 1), date(2025 + 5 * k, 6, 30), "2080") for k in range(17)]
    assert missed_reregistration(reg(), records, date(9999, 12, 31), CONFIG_2020) is None
    # the period [2095-07-01, 2100-07-01) without hours; the next deadline (2105) lies beyond the bounds
    assert missed_reregistration(reg(), records[:15], date(9999, 12, 31), CONFIG_2020).due == date(2100, 7, 1)
    assert missed_reregistration(reg(), records[:15], date(2100, 7, 1), CONFIG_2020) is None
    assert missed_reregistration(reg(), records[:15], date(2100, 7, 2), CONFIG_2020) is not None
