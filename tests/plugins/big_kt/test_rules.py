"""Rules of the klinisch technoloog (plugin big_kt), each boundary its own test."""
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from plugins.big_kt.rules import (
    RESERVED_PROCEDURES,
    STATUSES,
    QualityActivity,
    Registration,
    ReregistrationConfig,
    WorkHours,
    add_years,
    evaluation,
    ProcedureCompetence,
    independence_findings,
    may_act_independently,
    procedure_competence_finding,
    quality_register,
    registration_errors,
    reregistration,
    reregistration_warning_dates,
    valid_big_number,
)

TODAY = date(2025, 6, 15)
CONFIG = ReregistrationConfig()


def make_reg(**changes) -> Registration:
    base = Registration(
        big_number="19012345601",
        registered_on=date(2021, 9, 1),
        status="registered",
        diploma_on=date(2021, 7, 10),
        institution="Universiteit Twente",
        track="Imaging & Intervention",
    )
    return replace(base, **changes)


KT, SPECIALIST = 7, 8
SIGNED = ProcedureCompetence(date(2022, 1, 10), date(2099, 1, 10), "training_and_assessment", SPECIALIST)


def findings_for(reg, procedure="injection", subdomains=frozenset({1}), activity_subdomain=1,
                 protocol="PROT-12", competent=True, on=TODAY, work_hours=()):
    competence = procedure_competence_finding(KT, [SIGNED] if competent else [], on)
    return independence_findings(reg, on, procedure, set(subdomains), activity_subdomain,
                                 protocol, competence, list(work_hours), CONFIG)


def by_code(findings):
    return {f.code: f.ok for f in findings}


# ------------------------------------------------------------------- constants


def test_nine_reserved_procedures_with_both_labels():
    assert set(RESERVED_PROCEDURES) == {
        "surgical", "endoscopy", "catheterisation", "injection", "puncture",
        "elective_cardioversion", "defibrillation", "radiation", "lithotripsy",
    }
    assert all(nl and en for nl, en in RESERVED_PROCEDURES.values())
    assert STATUSES == ("registered", "suspended", "struck_off", "restricted")


# ------------------------------------------------------------------ BIG number


@pytest.mark.parametrize("number", ["19012345601", "00000000000"])
def test_big_number_of_11_digits_is_valid(number):
    assert valid_big_number(number)


@pytest.mark.parametrize("number", ["1901234560", "190123456012", "1901234560a", " 9012345601",
                                    "19012345601\n", "١٩٠١٢٣٤٥٦٠١", ""])
def test_big_number_otherwise_invalid(number):
    assert not valid_big_number(number)


# ---------------------------------------------------------- registration errors


def test_complete_registration_has_no_errors():
    assert registration_errors(make_reg(), TODAY) == {}


def test_bad_big_number_is_an_error_on_its_field():
    assert "big_number" in registration_errors(make_reg(big_number="123"), TODAY)


def test_unknown_status_is_an_error():
    assert "status" in registration_errors(make_reg(status="retired"), TODAY)


def test_registration_before_1_july_2020_is_accepted():
    # Besluit klinisch technoloog, art. 6: it takes effect on 1 July 2020 instead
    for day in (date(2020, 6, 30), date(2020, 7, 1), date(2019, 1, 2)):
        reg = make_reg(registered_on=day, diploma_on=date(2019, 1, 1))
        assert registration_errors(reg, TODAY) == {}


def test_diploma_after_registration_is_an_error():
    reg = make_reg(registered_on=date(2021, 9, 1), diploma_on=date(2021, 9, 2))
    assert "diploma_on" in registration_errors(reg, TODAY)


def test_diploma_of_exactly_five_years_can_be_newly_registered():
    # Besluit klinisch technoloog, art. 6 explanation: only a diploma *older than* five years is refused
    reg = make_reg(diploma_on=date(2019, 4, 1), registered_on=date(2024, 4, 1))
    assert "diploma_on" not in registration_errors(reg, TODAY)


def test_diploma_five_years_and_a_day_cannot_be_newly_registered():
    reg = make_reg(diploma_on=date(2019, 4, 1), registered_on=date(2024, 4, 2))
    assert "diploma_on" in registration_errors(reg, TODAY)


def test_old_diploma_registered_before_periodic_registration_is_accepted():
    reg = make_reg(diploma_on=date(2012, 1, 1), registered_on=date(2023, 2, 28))
    assert "diploma_on" not in registration_errors(reg, TODAY)
    reg = make_reg(diploma_on=date(2012, 1, 1), registered_on=date(2023, 3, 1))
    assert "diploma_on" in registration_errors(reg, TODAY)


def test_foreign_diploma_needs_recognition_and_language_proof():
    errors = registration_errors(make_reg(foreign_diploma=True), TODAY)
    assert set(errors) == {"recognition_outcome", "recognition_decided_on", "language_proof"}


@pytest.mark.parametrize("outcome", ["recognised", "conditions_not_met", "refused"])
def test_foreign_diploma_with_a_structured_decision_and_b2_is_accepted(outcome):
    reg = make_reg(foreign_diploma=True, recognition_outcome=outcome, recognition_decided_on=date(2021, 8, 1),
                   language_proof=True)
    assert registration_errors(reg, TODAY) == {}


def test_restricted_status_needs_restriction_text():
    assert "restriction" in registration_errors(make_reg(status="restricted"), TODAY)


def test_restriction_ending_before_it_starts_is_an_error():
    reg = make_reg(status="restricted", restriction="x", restriction_from=date(2025, 2, 1),
                   restriction_until=date(2025, 1, 31))
    assert "restriction_until" in registration_errors(reg, TODAY)


def test_restriction_to_unknown_procedure_is_an_error():
    reg = make_reg(status="restricted", restriction="x", restricted_procedures=frozenset({"narcosis"}))
    assert "restricted_procedures" in registration_errors(reg, TODAY)


# ----------------------------------------------------------------- independence


def test_all_conditions_met_gives_a_yes_finding_for_each():
    findings = findings_for(make_reg())
    assert by_code(findings) == {
        "procedure_reserved_for_kt": True, "big_registered": True, "diploma_recognised": True,
        "not_restricted": True, "reregistration_in_order": True, "within_subdomain": True,
        "procedure_competence": True, "protocol": True,
    }
    assert may_act_independently(findings)


def test_procedure_outside_the_nine_is_never_independent():
    findings = findings_for(make_reg(), procedure="anaesthesia")
    assert by_code(findings)["procedure_not_reserved_for_kt"] is False
    assert not may_act_independently(findings)


@pytest.mark.parametrize("status", ["suspended", "struck_off"])
def test_suspended_or_struck_off_only_under_instruction(status):
    findings = findings_for(make_reg(status=status))
    assert by_code(findings)["not_registered_under_instruction"] is False
    assert not may_act_independently(findings)


def test_unregistered_technical_physician_only_under_instruction():
    finding = next(f for f in findings_for(None) if f.code == "not_registered_under_instruction")
    assert not finding.ok and "opdrachtregeling" in finding.message


def test_not_yet_registered_on_the_day_before_registration():
    reg = make_reg()
    assert by_code(findings_for(reg, on=reg.registered_on - timedelta(days=1)))[
        "not_registered_under_instruction"] is False
    assert by_code(findings_for(reg, on=reg.registered_on))["big_registered"] is True


def test_restriction_in_force_blocks_independence():
    reg = make_reg(status="restricted", restriction="Geen injecties",
                   restriction_from=date(2025, 1, 1), restriction_until=TODAY)
    assert by_code(findings_for(reg))["restricted"] is False


def test_restriction_that_ended_yesterday_no_longer_applies():
    reg = make_reg(status="restricted", restriction="Geen injecties",
                   restriction_from=date(2025, 1, 1), restriction_until=TODAY - timedelta(days=1))
    findings = findings_for(reg)
    assert by_code(findings)["not_restricted"] is True
    assert may_act_independently(findings)


def test_restriction_not_yet_started_does_not_apply():
    reg = make_reg(status="restricted", restriction="x", restriction_from=TODAY + timedelta(days=1))
    assert by_code(findings_for(reg))["not_restricted"] is True


def test_restriction_limited_to_other_procedures_does_not_block():
    reg = make_reg(status="restricted", restriction="Geen endoscopieën",
                   restricted_procedures=frozenset({"endoscopy"}))
    assert by_code(findings_for(reg, procedure="injection"))["not_restricted"] is True
    assert by_code(findings_for(reg, procedure="endoscopy"))["restricted"] is False


def test_restriction_without_procedures_covers_all():
    reg = make_reg(status="restricted", restriction="Alleen onder toezicht")
    assert by_code(findings_for(reg, procedure="lithotripsy"))["restricted"] is False


def test_outside_subdomain():
    assert by_code(findings_for(make_reg(), subdomains={2, 3}, activity_subdomain=1))[
        "outside_subdomain"] is False


def test_activity_without_subdomain_is_not_within():
    assert by_code(findings_for(make_reg(), activity_subdomain=None))["outside_subdomain"] is False


def test_no_procedure_competence():
    assert by_code(findings_for(make_reg(), competent=False))["no_procedure_competence"] is False


@pytest.mark.parametrize("protocol", [None, "", "   "])
def test_no_protocol(protocol):
    assert by_code(findings_for(make_reg(), protocol=protocol))["no_protocol"] is False


# -------------------------------------------------------------- re-registration


def test_diploma_28_feb_2023_starts_first_period_on_1_march_2023():
    reg = make_reg(diploma_on=date(2023, 2, 28), registered_on=date(2023, 5, 1))
    rr = reregistration(reg, [], date(2024, 1, 1), CONFIG)
    assert (rr.period_start, rr.due) == (date(2023, 3, 1), date(2028, 3, 1))


def test_diploma_1_march_2023_starts_period_on_registration_date():
    reg = make_reg(diploma_on=date(2023, 3, 1), registered_on=date(2023, 5, 1))
    rr = reregistration(reg, [], date(2024, 1, 1), CONFIG)
    assert (rr.period_start, rr.due) == (date(2023, 5, 1), date(2028, 5, 1))


def test_effective_date_is_configuration():
    config = ReregistrationConfig(effective_date=date(2024, 1, 1), hours_norm=Decimal("1000"))
    rr = reregistration(make_reg(), [], date(2024, 6, 1), config)
    assert (rr.period_start, rr.hours_required) == (date(2024, 1, 1), Decimal("1000.00"))


def test_does_not_apply_before_effective_date():
    rr = reregistration(make_reg(), [], date(2023, 2, 28), CONFIG)
    assert not rr.applies and rr.due == date(2028, 3, 1)
    assert reregistration(make_reg(), [], date(2023, 3, 1), CONFIG).applies


def test_does_not_apply_without_registration_or_after_strike_off():
    assert not reregistration(None, [], TODAY, CONFIG).applies
    assert not reregistration(make_reg(status="struck_off"), [], TODAY, CONFIG).applies


def _full_period(hours: str):
    reg = make_reg()  # first period 2023-03-01 .. 2028-02-29
    work = [WorkHours(date(2023, 3, 1), date(2028, 2, 29), Decimal(hours))]
    return reregistration(reg, work, date(2028, 2, 29), CONFIG)


def test_2079_hours_on_the_last_day_is_behind():
    rr = _full_period("2079")
    assert rr.hours_done == Decimal("2079.00")
    assert not rr.on_track and rr.hours_missing == Decimal("1.00")


def test_2080_hours_on_the_last_day_is_on_track():
    rr = _full_period("2080")
    assert rr.on_track and rr.hours_missing == Decimal("0.00")


def test_periods_roll_on_the_due_date():
    reg = make_reg()
    assert reregistration(reg, [], date(2028, 2, 29), CONFIG).period_start == date(2023, 3, 1)
    rr = reregistration(reg, [], date(2028, 3, 1), CONFIG)
    assert (rr.period_start, rr.due) == (date(2028, 3, 1), date(2033, 3, 1))


def test_hours_before_the_rolled_period_do_not_count():
    work = [WorkHours(date(2024, 1, 1), date(2024, 12, 31), Decimal("1600"))]
    assert reregistration(make_reg(), work, date(2028, 6, 1), CONFIG).hours_done == Decimal("0.00")


def test_record_straddling_the_period_start_counts_pro_rata_by_days():
    # 1 Feb .. 31 Mar 2023 = 59 days, of which 31 fall on or after 1 March
    work = [WorkHours(date(2023, 2, 1), date(2023, 3, 31), Decimal("590"))]
    rr = reregistration(make_reg(registered_on=date(2022, 1, 1), diploma_on=date(2021, 7, 1)),
                        work, date(2023, 12, 31), CONFIG)
    assert rr.hours_done == Decimal("310.00")


def test_hours_after_as_of_are_not_done_yet():
    work = [WorkHours(date(2024, 1, 1), date(2024, 1, 10), Decimal("100"))]
    assert reregistration(make_reg(), work, date(2024, 1, 5), CONFIG).hours_done == Decimal("50.00")


def test_on_track_is_pro_rata_to_elapsed_time():
    # 1 March 2023 .. 29 Feb 2024 (as_of included) is 366 of the period's 1,827 days
    # -> 2,080 x 366 / 1,827 = 416.683 h expected
    as_of = date(2024, 2, 29)
    ahead = [WorkHours(date(2023, 3, 1), as_of, Decimal("416.69"))]
    behind = [WorkHours(date(2023, 3, 1), as_of, Decimal("416.68"))]
    assert reregistration(make_reg(), ahead, as_of, CONFIG).on_track
    assert not reregistration(make_reg(), behind, as_of, CONFIG).on_track


def test_warning_dates_twelve_and_six_months_before_due():
    assert reregistration_warning_dates(date(2028, 3, 1)) == [date(2027, 3, 1), date(2027, 9, 1)]


def test_add_years_from_leap_day():
    assert add_years(date(2024, 2, 29), 5) == date(2029, 2, 28)


# ------------------------------------------------------------ quality register


def _activities(a: str, b: str, day=date(2022, 5, 1)):
    return [QualityActivity(day, Decimal(a), "A"), QualityActivity(day, Decimal(b), "B")]


def test_quality_200_points_with_100_a_is_met():
    q = quality_register(date(2021, 1, 1), _activities("100", "100"), date(2025, 12, 31))
    assert q.met and (q.period_start, q.due) == (date(2021, 1, 1), date(2026, 1, 1))


def test_quality_199_points_is_not_met():
    q = quality_register(date(2021, 1, 1), _activities("100", "99"), date(2025, 12, 31))
    assert not q.met and q.points_missing == Decimal("1.00")


def test_quality_99_a_points_is_not_met_even_with_200_total():
    q = quality_register(date(2021, 1, 1), _activities("99", "101"), date(2025, 12, 31))
    assert not q.met and q.a_points_missing == Decimal("1.00") and q.points_missing == 0


def test_quality_activities_before_entry_are_ignored():
    early = [QualityActivity(date(2020, 12, 31), Decimal("200"), "A")]
    on_entry = [QualityActivity(date(2021, 1, 1), Decimal("200"), "A")]
    assert not quality_register(date(2021, 1, 1), early, date(2025, 12, 31)).met
    assert quality_register(date(2021, 1, 1), on_entry, date(2025, 12, 31)).met


def test_quality_activity_kind_must_be_a_or_b():
    with pytest.raises(ValueError):
        QualityActivity(date(2022, 1, 1), Decimal("1"), "C")


# ------------------------------------------------------------------ evaluation


def test_evaluation_of_registered_kt_on_track():
    work = [WorkHours(date(2023, 3, 1), date(2025, 6, 15), Decimal("1200"))]
    result = evaluation(make_reg(), work, TODAY, CONFIG).as_dict()
    assert result == {
        "status": "registered",
        "independent": True,
        "reregistration": {
            "applies": True, "period_start": "2023-03-01", "due": "2028-03-01",
            "hours_required": "2080.00", "hours_done": "1200.00", "on_track": True, "missed": None,
        },
        "unmet": [],
    }


def test_evaluation_states_the_hours_shortfall_in_numbers():
    work = [WorkHours(date(2023, 3, 1), date(2028, 2, 29), Decimal("2079"))]
    result = evaluation(make_reg(), work, date(2028, 2, 29), CONFIG)
    (unmet,) = result.unmet
    assert unmet.code == "reregistration_hours"
    assert "2,079.00 of 2,080.00 h" in unmet.message
    assert result.independent  # behind on hours does not itself withdraw authority


def test_evaluation_without_registration():
    result = evaluation(None, [], TODAY, CONFIG)
    assert result.status is None and not result.independent
    assert [u.code for u in result.unmet] == ["not_registered"]


def test_evaluation_suspended_is_not_independent():
    result = evaluation(make_reg(status="suspended"), [], TODAY, CONFIG)
    assert result.status == "suspended" and not result.independent
    assert "suspended" in [u.code for u in result.unmet]


def test_evaluation_restriction_of_all_procedures_is_not_independent():
    reg = make_reg(status="restricted", restriction="Geen voorbehouden handelingen")
    result = evaluation(reg, [], TODAY, CONFIG)
    assert result.status == "restricted" and not result.independent


def test_evaluation_partial_restriction_keeps_independence():
    reg = make_reg(status="restricted", restriction="Geen endoscopieën",
                   restricted_procedures=frozenset({"endoscopy"}))
    result = evaluation(reg, [], TODAY, CONFIG)
    assert result.independent and [u.code for u in result.unmet][0] == "restricted"


def test_evaluation_restriction_that_ended_yesterday_reads_registered():
    reg = make_reg(status="restricted", restriction="x", restriction_until=TODAY - timedelta(days=1))
    result = evaluation(reg, [], TODAY, CONFIG)
    assert result.status == "registered" and result.independent


def test_evaluation_reports_quality_register_shortfall():
    q = quality_register(date(2021, 1, 1), _activities("50", "20"), TODAY)
    result = evaluation(make_reg(), [WorkHours(date(2023, 3, 1), TODAY, Decimal("2000"))],
                        TODAY, CONFIG, quality=q)
    assert [u.code for u in result.unmet] == ["quality_points", "quality_a_points"]
    assert "70.00 of 200.00" in result.unmet[0].message
