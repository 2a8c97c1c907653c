"""Tests for the VZI certification rules (VZI certificatienormen, juni 2025)."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from plugins.vzi_mt.rules import (
    Certificate,
    Certification,
    CpdActivity,
    Education,
    Portfolio,
    Position,
    WorkExperience,
    NormSet,
    add_years,
    anniversary,
    applicable_dispensation,
    check_certificates,
    completed_years,
    check_education,
    cpd_hours,
    current_position,
    designate,
    designation_years,
    dispensation_percent,
    earlier_certifications,
    evaluate,
    experience,
    experience_days,
    judged_period,
    norms_for,
    expertise_areas,
    forecast,
    in_window,
    registration_state,
    required_cpd,
    window_start,
    work_hours_in_window,
)

AS_OF = date(2025, 6, 1)  # window (2022-06-01, 2025-06-01]
IN_WINDOW = date(2024, 1, 15)

MBO3_ICT = Education("MBO3", frozenset({"ict"}))
MBO4_EL_PM = Education("MBO4", frozenset({"electrical"}), frozenset({"project_management"}))
HBO_MT_RM = Education("HBO", frozenset({"medical_technology"}), frozenset({"risk_management"}))
MTA_MTB = (Certificate("MTA"), Certificate("MTB"))


# --- builders ------------------------------------------------------------------------


def career(*steps, as_of=AS_OF):
    """Back-to-back positions ending with an open one running to ``as_of``.

    Each step is (level, inclusive days); the last step is the current position.
    """
    positions = []
    end = as_of
    for i, (level, days) in enumerate(reversed(steps)):
        start = end - timedelta(days=days - 1)
        positions.append(Position(level, start, None if i == 0 else end))
        end = start - timedelta(days=1)
    return tuple(reversed(positions))


def since(start, level="MT4", as_of=AS_OF):
    """The experience of one open position started on ``start``, measured on ``as_of``."""
    return experience((Position(level, start),), as_of)


def cpd(hours, group=None, on=IN_WINDOW):
    return CpdActivity(on, D(hours), group)


def full_cpd(total="72", technical="36", group=1):
    """CPD in the window: ``technical`` hours in ``group`` plus the rest non-technical."""
    rest = D(total) - D(technical)
    return (cpd(technical, group), cpd(rest))


def work(group, hours, start=date(2022, 7, 1), end=date(2025, 5, 31)):
    return WorkExperience(group, start, end, D(hours))


def earlier(level, designation, start=date(2022, 1, 1)):
    return Certification(level, designation, start, add_years(start, 3))


def mt4_portfolio(**changes):
    """An MT4 professional (4.00 years) who meets every norm; override any part."""
    parts = dict(
        educations=(MBO4_EL_PM,),
        certificates=MTA_MTB,
        positions=career(("MT4", 1460)),
        cpd_activities=full_cpd(),
    )
    parts.update(changes)
    return Portfolio(**parts)


def codes(evaluation):
    return [u.code for u in evaluation.unmet]


# --- worked examples of the VZI certificatienormen (juni 2025) ------------------------------------------------------


def example_portfolio(start):
    return Portfolio(
        educations=(MBO4_EL_PM,),
        certificates=MTA_MTB,
        positions=(Position("MT4", start),),
        cpd_activities=(cpd("14", 1), cpd("26", 7), cpd("30")),
        work_experience=(work(1, "650"),),
    )


def test_example_1_mt4_expert_with_7_percent_dispensation():
    result = evaluate(example_portfolio(date(2018, 5, 1)), AS_OF)  # 7 completed years on 2025-05-01
    assert result.level == "MT4"
    assert result.experience_years == D("7.08")  # 7 years + 31 of 366 days
    assert result.experience_years_at_level == D("7.08")
    assert result.dispensation_percent == 7
    assert result.cpd.required_hours == D("66.96")
    assert result.cpd.required_technical_hours == D("33.48")
    assert result.cpd.done_hours == D("70.00")
    assert result.cpd.technical_hours == D("40.00")
    assert result.cpd.waived is False
    assert result.expertise_areas == (1,)
    assert result.designation == "expert"
    assert result.unmet == ()
    assert result.eligible is True


def test_example_2_same_person_with_5_years_is_not_eligible():
    result = evaluate(example_portfolio(date(2020, 5, 1)), AS_OF)  # 1858 days = 5.09 years
    assert result.dispensation_percent == 0
    assert result.cpd.required_hours == D("72.00")
    assert result.cpd.required_technical_hours == D("36.00")
    assert result.designation == "professional"
    assert result.eligible is False
    assert [(u.code, u.message) for u in result.unmet] == [("cpd_total", "CPD: 70.00 of 72.00 h")]


def test_example_3_mt3_first_certification_in_training_waives_cpd():
    portfolio = Portfolio(educations=(MBO3_ICT,), positions=(Position("MT3", date(2024, 10, 1)),))
    result = evaluate(portfolio, AS_OF)
    assert result.experience_years_at_level == D("0.66")
    assert result.designation == "in_training"
    assert result.first_certification is True
    assert result.cpd.waived is True
    assert result.cpd.done_hours == D("0.00")
    assert result.cpd.required_hours == D("24.00")  # the norm is shown, but waived
    assert result.unmet == ()
    assert result.eligible is True
    assert result.registration == "base"


# --- dates and the measurement window ---------------------------------------------------


def test_add_years_29_february():
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert add_years(date(2024, 2, 29), -3) == date(2021, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2025, 6, 1), -3) == date(2022, 6, 1)


def test_window_edge_excludes_as_of_minus_3_years_and_includes_as_of():
    activities = (
        cpd("1", 1, on=date(2022, 6, 1)),  # exactly as_of - 3 years: out
        cpd("2", 1, on=date(2022, 6, 2)),
        cpd("4", None, on=AS_OF),  # as_of itself: in
        cpd("8", 1, on=date(2025, 6, 2)),  # after as_of: out
    )
    assert cpd_hours(activities, AS_OF) == (D("6.00"), D("2.00"))


def test_window_on_29_february():
    as_of = date(2024, 2, 29)
    assert window_start(as_of) == date(2021, 2, 28)
    assert not in_window(date(2021, 2, 28), as_of)
    assert in_window(date(2021, 3, 1), as_of)
    assert in_window(as_of, as_of)
    assert evaluate(Portfolio(), as_of).window_start == date(2021, 2, 28)


# --- experience ---------------------------------------------------------------------------


def test_calendar_year_position_is_one_year():
    positions = (Position("MT3", date(2023, 1, 1), date(2023, 12, 31)),)
    assert experience_days(positions, AS_OF) == 365
    assert experience(positions, AS_OF).years == D("1.00")
    assert completed_years(positions, AS_OF) == 1


def test_overlapping_positions_are_merged():
    positions = (
        Position("MT4", date(2020, 1, 1), date(2020, 12, 31)),
        Position("MT3", date(2020, 7, 1), date(2021, 6, 30)),
    )
    assert experience_days(positions, AS_OF) == 366 + 181
    assert experience_days(positions, AS_OF, "MT3") == 365


def test_open_position_runs_to_as_of_and_future_positions_are_ignored():
    positions = (Position("MT3", date(2025, 5, 2)), Position("MT4", date(2025, 6, 2)))
    assert experience_days(positions, AS_OF) == 31
    assert current_position(positions, AS_OF).level == "MT3"


def test_experience_years_are_truncated_not_rounded_up():
    day_before = experience((Position("MT4", date(2022, 6, 2)),), AS_OF)
    assert day_before.years == D("2.99")  # 364 of 365 days into the third year must not become 3.00
    assert day_before.completed_years == 2


def test_level_is_the_position_running_on_as_of():
    positions = career(("MT3", 800), ("MT4", 200))
    assert evaluate(Portfolio(positions=positions), AS_OF).level == "MT4"


def test_position_ending_on_as_of_still_runs():
    ending_today = (Position("MT4", date(2020, 1, 1), AS_OF),)
    ended_yesterday = (Position("MT4", date(2020, 1, 1), AS_OF - timedelta(days=1)),)
    assert current_position(ending_today, AS_OF) is not None
    assert current_position(ended_yesterday, AS_OF) is None


def test_no_position_gives_unmet_position_and_no_level():
    result = evaluate(Portfolio(educations=(MBO4_EL_PM,), cpd_activities=full_cpd()), AS_OF)
    assert result.level is None
    assert result.designation is None
    assert result.eligible is False
    assert codes(result) == ["position"]
    assert result.unmet[0].message == "Position: no appointment as medical technician on 2025-06-01"
    assert result.registration == "none"


# --- dispensation and the CPD norm ---------------------------------------------------------


def test_dispensation_5_completed_years_is_zero():
    assert dispensation_percent(career(("MT3", 2189)), AS_OF) == 0  # 5.997 years


def test_dispensation_6_completed_years_is_6_percent():
    # VZI certificatienormen, Inleiding: "toegekend vanaf 6 jaar voltooide werkervaring": the sixth anniversary itself
    positions = (Position("MT3", date(2019, 6, 1)),)
    assert dispensation_percent(positions, AS_OF) == 6
    assert dispensation_percent((Position("MT3", date(2019, 6, 2)),), AS_OF) == 0
    result = evaluate(Portfolio(educations=(MBO3_ICT,), positions=positions), AS_OF)
    assert (result.cpd.required_hours, result.cpd.required_technical_hours) == (D("22.56"), D("11.28"))


def test_dispensation_counts_any_level_and_the_whole_career():
    positions = career(("MT3", 1000), ("MT4", 1200))  # 2200 days, none at one level reaches 6 years
    assert dispensation_percent(positions, AS_OF) == 6


def test_dispensation_is_fixed_at_period_start():
    positions = career(("MT4", 2190))
    period_start = AS_OF - timedelta(days=30)
    assert dispensation_percent(positions, period_start) == 0  # 5 completed years then
    result = evaluate(mt4_portfolio(positions=positions), AS_OF, period_start=period_start)
    assert result.dispensation_percent == 0
    assert result.cpd.required_hours == D("72.00")


def test_required_cpd_per_level():
    assert required_cpd("MT4", 7) == (D("66.96"), D("33.48"))
    assert required_cpd("MT5", 0) == (D("72.00"), D("36.00"))
    assert required_cpd("MT3", 0) == (D("24.00"), D("12.00"))
    assert required_cpd("MT4", 6) == (D("67.68"), D("33.84"))


def test_cpd_total_short_by_one_cent():
    result = evaluate(mt4_portfolio(cpd_activities=full_cpd("71.99", "36")), AS_OF)
    assert [(u.code, u.message) for u in result.unmet] == [("cpd_total", "CPD: 71.99 of 72.00 h")]


def test_technical_share_49_99_percent_fails():
    result = evaluate(mt4_portfolio(cpd_activities=full_cpd("80", "35.99")), AS_OF)
    assert result.eligible is False
    expected = [("cpd_technical", "CPD technical: 35.99 of 36.00 h")]
    assert [(u.code, u.message) for u in result.unmet] == expected


def test_technical_share_50_percent_passes():
    result = evaluate(mt4_portfolio(cpd_activities=full_cpd("80", "36")), AS_OF)
    assert result.eligible is True


def test_non_technical_cpd_counts_toward_total_only():
    activities = (cpd("10"), cpd("5", 13))
    assert cpd_hours(activities, AS_OF) == (D("15.00"), D("5.00"))


def test_float_hours_are_refused():
    with pytest.raises(TypeError):
        CpdActivity(IN_WINDOW, 1.5)
    with pytest.raises(ValueError):
        CpdActivity(IN_WINDOW, D("1"), 28)


# --- expertise areas -------------------------------------------------------------------


def test_expertise_area_exactly_600_work_hours():
    portfolio = Portfolio(work_experience=(work(3, "600.00"),), cpd_activities=(cpd("12", 3),))
    assert expertise_areas(portfolio, AS_OF) == (3,)


def test_expertise_area_599_99_work_hours_is_not_enough():
    portfolio = Portfolio(work_experience=(work(3, "599.99"),), cpd_activities=(cpd("12", 3),))
    assert expertise_areas(portfolio, AS_OF) == ()


def test_expertise_area_exactly_12_cpd_hours():
    portfolio = Portfolio(work_experience=(work(3, "600"),), cpd_activities=(cpd("7", 3), cpd("5", 3)))
    assert expertise_areas(portfolio, AS_OF) == (3,)


def test_expertise_area_11_99_cpd_hours_is_not_enough():
    portfolio = Portfolio(work_experience=(work(3, "600"),), cpd_activities=(cpd("11.99", 3),))
    assert expertise_areas(portfolio, AS_OF) == ()


def test_expertise_area_needs_cpd_in_the_same_group():
    portfolio = Portfolio(
        work_experience=(work(3, "900"), work(5, "700")),
        cpd_activities=(cpd("20"), cpd("12", 4), cpd("12", 5)),
    )
    assert expertise_areas(portfolio, AS_OF) == (5,)


def test_expertise_areas_sorted_and_hours_summed_over_records():
    portfolio = Portfolio(
        work_experience=(work(19, "300"), work(19, "300"), work(2, "600")),
        cpd_activities=(cpd("12", 19), cpd("12", 2)),
    )
    assert expertise_areas(portfolio, AS_OF) == (2, 19)


def test_work_experience_straddling_the_window_counts_pro_rata():
    # 2 May - 30 June 2022 is 60 days; 2 - 30 June (29 days) lie in the window
    record = work(1, "120", start=date(2022, 5, 2), end=date(2022, 6, 30))
    assert work_hours_in_window(record, AS_OF) == D("58.00")
    assert work_hours_in_window(work(1, "120", date(2019, 1, 1), date(2022, 6, 1)), AS_OF) == D("0.00")
    assert work_hours_in_window(work(1, "120"), AS_OF) == D("120.00")


def test_pro_rata_share_decides_the_expertise_area():
    straddling = work(1, "120", start=date(2022, 5, 2), end=date(2022, 6, 30))  # 58.00 inside
    met = Portfolio(work_experience=(straddling, work(1, "542")), cpd_activities=(cpd("12", 1),))
    short = Portfolio(work_experience=(straddling, work(1, "541.99")), cpd_activities=(cpd("12", 1),))
    assert expertise_areas(met, AS_OF) == (1,)
    assert expertise_areas(short, AS_OF) == ()


def test_expertise_cpd_outside_window_does_not_count():
    on_edge = cpd("12", 3, on=date(2022, 6, 1))
    portfolio = Portfolio(work_experience=(work(3, "600"),), cpd_activities=(on_edge,))
    assert expertise_areas(portfolio, AS_OF) == ()


# --- designation ----------------------------------------------------------------------------


def test_designation_mt3_thresholds():
    # seed MT3 §4: "Tot 1 jaar" i.o., "1 tot 3 jaar" pro, "Meer dan 3 jaar" + 1 gebied expert
    assert designate("MT3", since(date(2024, 6, 2)), (1,)) == "in_training"  # a day short of 1 year
    assert designate("MT3", since(date(2024, 6, 1)), ()) == "professional"  # the first anniversary
    assert designate("MT3", since(date(2022, 6, 1)), (1,)) == "professional"  # exactly 3: not "meer dan"
    assert designate("MT3", since(date(2022, 5, 31)), (1,)) == "expert"  # one day more
    assert designate("MT3", since(date(2016, 1, 1)), ()) == "professional"  # no expertise area


def test_designation_mt4_mt5_thresholds():
    for level in ("MT4", "MT5"):
        assert designate(level, since(date(2022, 6, 2)), (1,)) == "in_training"
        assert designate(level, since(date(2022, 6, 1)), (1,)) == "professional"
        assert designate(level, since(date(2019, 6, 1)), (1,)) == "professional"  # exactly 6
        assert designate(level, since(date(2019, 5, 31)), (1,)) == "expert"
        assert designate(level, since(date(2019, 5, 31)), ()) == "professional"


def test_mt3_meer_dan_3_jaar_exactly_3_is_professional_one_day_more_expert():
    # seed MT3 §4: "Meer dan 3 jaar werkervaring + minimaal 1 deskundigheidsgebied"
    area = dict(work_experience=(work(1, "600"),), cpd_activities=(cpd("12", 1), cpd("12")))
    three = evaluate(Portfolio(educations=(MBO3_ICT,), positions=(Position("MT3", date(2022, 6, 1)),), **area),
                     AS_OF)
    more = evaluate(Portfolio(educations=(MBO3_ICT,), positions=(Position("MT3", date(2022, 5, 31)),), **area),
                    AS_OF)
    assert (three.experience_years_at_level, three.designation) == (D("3.00"), "professional")
    assert (more.experience_years_at_level, more.designation) == (D("3.00"), "expert")


def test_mt4_exactly_3_years_is_professional():
    three = evaluate(mt4_portfolio(positions=(Position("MT4", date(2022, 6, 1)),)), AS_OF)
    short = evaluate(mt4_portfolio(positions=(Position("MT4", date(2022, 6, 2)),)), AS_OF)
    assert three.designation == "professional"
    assert short.designation == "in_training"


def test_experience_at_level_counts_only_that_level():
    positions = (Position("MT3", date(2018, 6, 1), date(2024, 5, 31)), Position("MT4", date(2024, 6, 1)))
    result = evaluate(mt4_portfolio(positions=positions), AS_OF)
    assert result.experience_years == D("7.00")
    assert result.experience_years_at_level == D("1.00")
    assert result.designation == "in_training"


def test_carry_over_needs_an_earlier_mt3_certification():
    positions = (Position("MT3", date(2021, 6, 1), date(2023, 5, 31)), Position("MT4", date(2023, 6, 1)))
    mt3_cert = (earlier("MT3", "professional"),)
    assert designation_years(positions, "MT4", AS_OF) == D("2.00")
    assert designation_years(positions, "MT4", AS_OF, mt3_cert) == D("4.00")
    result = evaluate(mt4_portfolio(positions=positions, certifications=mt3_cert), AS_OF)
    assert result.designation == "professional"
    assert result.designation_years == D("4.00")
    assert result.experience_years_at_level == D("2.00")  # the carry-over is not experience at MT4


def test_carry_over_is_capped_at_3_years():
    # seed MT4 §4 footnote: "kunnen 3 werkervaringsjaren meegerekend worden"
    positions = (Position("MT3", date(2015, 6, 1), date(2024, 5, 31)), Position("MT4", date(2024, 6, 1)))
    assert designation_years(positions, "MT4", AS_OF, (earlier("MT3", "expert"),)) == D("4.00")


def test_carry_over_does_not_count_overlapping_days_twice():
    positions = (Position("MT4", date(2023, 6, 1)), Position("MT3", date(2023, 6, 1), AS_OF))
    assert designation_years(positions, "MT4", AS_OF, (earlier("MT3", "professional"),)) == D("2.00")


def test_carry_over_mt4_to_mt5_reaches_expert():
    def portfolio(mt4_from, mt5_from):
        return Portfolio(
            educations=(HBO_MT_RM,),
            certificates=MTA_MTB + (Certificate("MTC"),),
            positions=(Position("MT4", mt4_from, mt5_from - timedelta(days=1)), Position("MT5", mt5_from)),
            cpd_activities=full_cpd() + (cpd("12", 15),),
            work_experience=(work(15, "600"),),
            certifications=(earlier("MT4", "expert", date(2020, 1, 1)),),
        )

    # 3 years at MT5 + 3 carried = exactly 6: not "meer dan 6 jaar"
    exactly = evaluate(portfolio(date(2019, 6, 1), date(2022, 6, 1)), AS_OF)
    assert (exactly.designation_years, exactly.designation) == (D("6.00"), "professional")
    # one more day at MT5 (the carry-over stays capped at 3 years)
    more = evaluate(portfolio(date(2019, 5, 31), date(2022, 5, 31)), AS_OF)
    assert (more.designation_years, more.designation, more.eligible) == (D("6.00"), "expert", True)


def test_mt3_certification_does_not_carry_over_to_mt5():
    positions = (Position("MT3", date(2021, 6, 1), date(2024, 5, 31)), Position("MT5", date(2024, 6, 1)))
    assert designation_years(positions, "MT5", AS_OF, (earlier("MT3", "expert"),)) == D("1.00")


# --- in opleiding: waiver and one extension ----------------------------------------------------


def test_in_training_extended_once_is_allowed():
    portfolio = mt4_portfolio(
        positions=career(("MT4", 730)),
        certifications=(earlier("MT4", "in_training"),),
    )
    result = evaluate(portfolio, AS_OF)
    assert result.designation == "in_training"
    assert result.first_certification is False
    assert result.cpd.waived is False
    assert result.eligible is True


def test_third_consecutive_in_training_period_is_exhausted():
    portfolio = mt4_portfolio(
        positions=(Position("MT4", date(2023, 6, 1)),),
        certifications=(
            earlier("MT4", "in_training", date(2019, 1, 1)),
            earlier("MT4", "in_training", date(2022, 1, 1)),
        ),
    )
    result = evaluate(portfolio, AS_OF)
    assert result.eligible is False
    assert codes(result) == ["in_training_exhausted"]
    assert result.unmet[0].message == (
        "In training: 2 consecutive i.o. periods at MT4 already granted (at most 2);"
        " professional needs 2.00 of 3.00 years"
    )
    assert result.unmet[0].message_nl == (
        "In opleiding: al 2 opeenvolgende i.o.-perioden op MT4 toegekend (hoogstens 2);"
        " professional vraagt 2,00 van 3,00 jaar"
    )


def test_in_training_periods_at_another_level_do_not_count():
    portfolio = mt4_portfolio(
        positions=career(("MT4", 730)),
        certifications=(
            earlier("MT3", "in_training", date(2016, 1, 1)),
            earlier("MT3", "in_training", date(2019, 1, 1)),
            earlier("MT4", "in_training", date(2022, 1, 1)),
        ),
    )
    assert evaluate(portfolio, AS_OF).eligible is True


def test_exhausted_in_training_does_not_block_professional():
    portfolio = mt4_portfolio(
        positions=(Position("MT4", date(2022, 6, 1)),),
        certifications=(
            earlier("MT4", "in_training", date(2019, 1, 1)),
            earlier("MT4", "in_training", date(2022, 1, 1)),
        ),
    )
    result = evaluate(portfolio, AS_OF)
    assert (result.designation, result.eligible) == ("professional", True)


def test_cpd_is_not_waived_for_in_training_after_an_earlier_certification():
    portfolio = Portfolio(
        educations=(MBO3_ICT,),
        positions=(Position("MT3", date(2024, 10, 1)),),
        certifications=(earlier("MT3", "in_training"),),
    )
    result = evaluate(portfolio, AS_OF)
    assert result.cpd.waived is False
    assert [u.message for u in result.unmet] == ["CPD: 0.00 of 24.00 h", "CPD technical: 0.00 of 12.00 h"]


def test_certificates_not_required_for_first_in_training():
    portfolio = Portfolio(educations=(MBO4_EL_PM,), positions=career(("MT4", 400)))
    result = evaluate(portfolio, AS_OF)
    assert (result.designation, result.eligible) == ("in_training", True)


def test_certificates_required_for_in_training_extension():
    # seed MT4 §1.2: "Geldt niet voor toelating met de aanduiding i.o." (admission only)
    portfolio = mt4_portfolio(
        certificates=(Certificate("MTA"),),
        positions=career(("MT4", 730)),
        certifications=(earlier("MT4", "in_training"),),
    )
    result = evaluate(portfolio, AS_OF)
    assert codes(result) == ["certificates"]


def test_earlier_certifications_are_those_before_period_start():
    history = (earlier("MT3", "expert", date(2019, 1, 1)), earlier("MT4", "in_training", AS_OF))
    assert earlier_certifications(history, AS_OF) == history[:1]


# --- education -----------------------------------------------------------------------------


def test_mt3_education_lts_counts_as_mbo3():
    lts = Education("LTS", frozenset({"mechanical"}))
    assert check_education("MT3", (lts,), (), AS_OF) is None


def test_education_without_field_fails():
    no_field = Education("MBO4", frozenset(), frozenset({"work_preparation"}))
    unmet = check_education("MT4", (no_field,), career(("MT4", 100)), AS_OF)
    assert unmet.code == "education"
    assert "without a required field (electrical, ict, mechanical, medical_technology)" in unmet.message


def test_mt4_education_without_component_fails():
    no_component = Education("MBO4", frozenset({"electrical"}))
    unmet = check_education("MT4", (no_component,), career(("MT4", 100)), AS_OF)
    assert "lacks a required component (project_management, work_preparation)" in unmet.message


def test_higher_education_meets_lower_level_norm():
    hbo = Education("HBO", frozenset({"ict"}), frozenset({"work_preparation"}))
    assert check_education("MT4", (hbo,), (), AS_OF) is None


def test_higher_education_needs_the_component_of_the_level_applied_for():
    wo = Education("WO", frozenset({"ict"}), frozenset({"risk_management"}))
    assert check_education("MT5", (wo,), (), AS_OF) is None
    assert check_education("MT4", (wo,), (), AS_OF) is not None


def test_mt4_equivalence_mbo3_plus_3_years_at_mt4():
    assert check_education("MT4", (MBO3_ICT,), (Position("MT4", date(2022, 6, 1)),), AS_OF) is None
    unmet = check_education("MT4", (MBO3_ICT,), (Position("MT4", date(2022, 6, 2)),), AS_OF)
    assert unmet.message == (
        "Education: MBO4 or higher required, highest is MBO3;"
        " or MBO3 diploma (present) + 3 years at MT4: 2.99 of 3.00 years"
    )
    assert unmet.message_nl == (
        "Opleiding: MBO4 of hoger vereist, hoogste is MBO3;"
        " of MBO3-diploma (aanwezig) + 3 jaar op niveau MT4: 2,99 van 3,00 jaar"
    )


def test_mt4_equivalence_counts_only_years_at_mt4():
    assert check_education("MT4", (MBO3_ICT,), career(("MT3", 2000), ("MT4", 500)), AS_OF) is not None


def test_mt5_equivalence_mbo4_plus_3_years_at_mt5():
    assert check_education("MT5", (MBO4_EL_PM,), (Position("MT5", date(2022, 6, 1)),), AS_OF) is None
    assert check_education("MT5", (MBO4_EL_PM,), (Position("MT5", date(2022, 6, 2)),), AS_OF) is not None


def test_committee_accepted_equivalence_satisfies_that_level_and_below():
    accepted = Education("MBO3", frozenset(), equivalence_accepted_for="MT4")
    assert check_education("MT4", (accepted,), (), AS_OF) is None
    assert check_education("MT3", (accepted,), (), AS_OF) is None
    assert check_education("MT5", (accepted,), (), AS_OF) is not None


def test_education_obtained_after_as_of_does_not_count():
    later = Education("MBO4", frozenset({"ict"}), frozenset({"work_preparation"}), date(2025, 7, 1))
    assert check_education("MT4", (later,), (), AS_OF) is not None


def test_no_education_message():
    unmet = check_education("MT3", (), (), AS_OF)
    assert unmet.message == "Education: MBO3 or higher required, highest is none"


# --- certificates -----------------------------------------------------------------------------


def test_mt3_needs_no_certificates():
    assert check_certificates("MT3", (), (), AS_OF) is None


def test_mt4_missing_certificate_message():
    unmet = check_certificates("MT4", (Certificate("MTA"),), (Position("MT4", date(2023, 6, 1)),), AS_OF)
    assert unmet.code == "certificates"
    assert unmet.message == "Certificates: missing MTB (or 6 years at MT4: 2.00 of 6.00 years)"
    assert unmet.message_nl == "Certificaten: MTB ontbreekt (of 6 jaar op niveau MT4: 2,00 van 6,00 jaar)"


def test_equivalent_certificate_counts():
    held = (Certificate("MTA"), Certificate("MTB", equivalent=True))
    assert check_certificates("MT4", held, (), AS_OF) is None


def test_certificate_obtained_after_as_of_does_not_count():
    held = (Certificate("MTA"), Certificate("MTB", obtained_on=date(2025, 6, 2)))
    assert check_certificates("MT4", held, (), AS_OF) is not None


def test_mt4_certificate_equivalence_6_years_at_mt4():
    # seed MT4 §1.2 footnote: "6 jaar werkervaring op het niveau van medisch technicus 4"
    assert check_certificates("MT4", (), (Position("MT4", date(2019, 6, 1)),), AS_OF) is None
    # 2191 days > 6 x 365, but the sixth anniversary is tomorrow: leap days grant nothing early
    assert experience_days((Position("MT4", date(2019, 6, 2)),), AS_OF - timedelta(days=1)) == 2191
    assert check_certificates("MT4", (), (Position("MT4", date(2019, 6, 2)),), AS_OF) is not None
    mixed = (Position("MT3", date(2017, 1, 1), date(2020, 12, 31)), Position("MT4", date(2021, 1, 1)))
    assert check_certificates("MT4", (), mixed, AS_OF) is not None


def test_mt5_certificate_equivalence_6_years_of_which_3_at_mt5():
    ok = (Position("MT4", date(2019, 6, 1), date(2022, 5, 31)), Position("MT5", date(2022, 6, 1)))
    assert check_certificates("MT5", (), ok, AS_OF) is None
    short = (Position("MT4", date(2019, 6, 1), date(2022, 6, 1)), Position("MT5", date(2022, 6, 2)))
    unmet = check_certificates("MT5", MTA_MTB, short, AS_OF)
    assert unmet.message == (
        "Certificates: missing MTC (or 6 years as MT: 6.00 of 6.00 years,"
        " of which at MT5: 2.99 of 3.00 years)"
    )
    five = (Position("MT4", date(2019, 6, 2), date(2022, 5, 31)), Position("MT5", date(2022, 6, 1)))
    assert check_certificates("MT5", (), five, AS_OF) is not None  # 3 at MT5, a day short of 6 in all


# --- registration -----------------------------------------------------------------------------


def test_registration_certified_while_a_period_covers_as_of():
    covering = Certification("MT4", "professional", date(2022, 6, 2), date(2025, 6, 2))
    ended = Certification("MT4", "professional", date(2022, 6, 1), date(2025, 6, 1))
    assert registration_state(mt4_portfolio(certifications=(covering,)), AS_OF) == "certified"
    assert registration_state(mt4_portfolio(certifications=(ended,)), AS_OF) == "base"


def test_registration_base_needs_mt3_education_and_a_position():
    working = career(("MT4", 10))
    assert registration_state(Portfolio(educations=(MBO3_ICT,), positions=working), AS_OF) == "base"
    assert registration_state(Portfolio(educations=(MBO3_ICT,)), AS_OF) == "none"
    no_field = Education("HBO", frozenset())
    assert registration_state(Portfolio(educations=(no_field,), positions=working), AS_OF) == "none"


def test_failed_recertification_keeps_base_registration():
    history = (earlier("MT4", "professional", date(2022, 1, 1)),)
    portfolio = mt4_portfolio(cpd_activities=(), certifications=history)
    result = evaluate(portfolio, AS_OF)
    assert (result.eligible, result.registration) == (False, "base")


# --- forecast -----------------------------------------------------------------------------------


def forecast_portfolio(total, technical, extra=()):
    return Portfolio(
        positions=(Position("MT4", date(2022, 1, 1)),),
        cpd_activities=full_cpd(total, technical) + tuple(extra),
    )


def test_forecast_on_track_and_hours_per_month():
    # period 2023-01-01 .. 2026-01-01 (1096 days); 547 days elapsed -> 72 x 0.4991 = 35.93 h due
    result = forecast(forecast_portfolio("35.93", "20"), date(2023, 1, 1), date(2024, 7, 1))
    assert result.period_end == date(2026, 1, 1)
    assert result.required_hours == D("72.00")
    assert result.elapsed_fraction == D("0.4991")
    assert result.on_track is True
    assert result.hours_needed == D("36.07")
    assert result.technical_hours_needed == D("16.00")
    assert result.months_remaining == 18
    assert result.hours_needed_per_month == D("2.00")
    assert result.technical_hours_needed_per_month == D("0.89")


def test_forecast_behind_schedule():
    result = forecast(forecast_portfolio("35.92", "20"), date(2023, 1, 1), date(2024, 7, 1))
    assert result.on_track is False


def test_forecast_counts_only_hours_that_count_at_period_end():
    on_start = cpd("10", 1, on=date(2023, 1, 1))  # outside (2023-01-01, 2026-01-01]
    result = forecast(forecast_portfolio("0", "0", (on_start,)), date(2023, 1, 1), date(2024, 7, 1))
    assert result.done_hours == D("0.00")


def test_forecast_partial_month_counts_as_a_month():
    portfolio = forecast_portfolio("0", "0")
    assert forecast(portfolio, date(2023, 1, 1), date(2024, 7, 15)).months_remaining == 18
    assert forecast(portfolio, date(2023, 1, 1), date(2025, 12, 15)).months_remaining == 1
    at_end = forecast(portfolio, date(2023, 1, 1), date(2026, 1, 1))
    assert (at_end.months_remaining, at_end.hours_needed_per_month) == (0, D("72.00"))


def test_forecast_period_from_29_february():
    result = forecast(forecast_portfolio("0", "0"), date(2024, 2, 29), date(2024, 3, 1))
    assert result.period_end == date(2027, 2, 28)


def test_forecast_uses_dispensation_at_period_start():
    portfolio = Portfolio(positions=career(("MT4", 2600)), cpd_activities=())
    result = forecast(portfolio, AS_OF - timedelta(days=200), AS_OF)
    assert result.dispensation_percent == 6  # 2400 days at period start
    assert result.required_hours == D("67.68")


# --- seed sentences: "voltooide werkervaring" are calendar years ----------------------------


def test_voltooide_werkervaring_counts_on_the_anniversary_never_earlier():
    # VZI certificatienormen, Inleiding: "Ervaringsjaren worden toegekend vanaf 6 jaar voltooide werkervaring"
    positions = (Position("MT4", date(2019, 6, 1)),)
    assert completed_years(positions, date(2025, 5, 31)) == 5  # 2191 days, two leap days: still 5
    assert completed_years(positions, date(2025, 6, 1)) == 6
    assert dispensation_percent(positions, date(2025, 5, 31)) == 0
    assert dispensation_percent(positions, date(2025, 6, 1)) == 6


def test_spec_example_2019_06_04_to_2025_06_01_is_5_completed_years():
    assert completed_years((Position("MT3", date(2019, 6, 4)),), date(2025, 6, 1)) == 5


def test_position_started_on_29_february_completes_its_years_on_1_march():
    positions = (Position("MT4", date(2020, 2, 29)),)
    assert anniversary(date(2020, 2, 29), 6) == date(2026, 3, 1)
    assert anniversary(date(2020, 2, 29), 4) == date(2024, 2, 29)
    assert completed_years(positions, date(2026, 2, 28)) == 5
    assert completed_years(positions, date(2026, 3, 1)) == 6
    assert dispensation_percent(positions, date(2026, 2, 28)) == 0
    assert dispensation_percent(positions, date(2026, 3, 1)) == 6
    assert completed_years(positions, date(2024, 2, 29)) == 4


def test_one_day_gap_between_positions_is_not_experience():
    positions = (Position("MT3", date(2020, 1, 1), date(2020, 1, 10)), Position("MT3", date(2020, 1, 12), date(2020, 1, 20)))
    assert experience_days(positions, AS_OF) == 19
    adjacent = (Position("MT3", date(2020, 1, 1), date(2020, 1, 10)), Position("MT3", date(2020, 1, 11), date(2020, 1, 20)))
    assert experience_days(adjacent, AS_OF) == 20


def test_position_on_its_start_day_gives_the_level_but_no_experience_yet():
    portfolio = Portfolio(educations=(MBO3_ICT,), positions=(Position("MT3", AS_OF),))
    result = evaluate(portfolio, AS_OF)
    assert (result.level, result.experience_years, result.designation) == ("MT3", D("0.00"), "in_training")
    assert result.registration == "base"
    assert evaluate(portfolio, AS_OF - timedelta(days=1)).level is None


def test_dispensation_is_capped_at_100_percent():
    positions = (Position("MT3", date(1900, 1, 1)),)
    assert dispensation_percent(positions, AS_OF) == 100
    assert required_cpd("MT3", 100) == (D("0.00"), D("0.00"))


# --- seed: "Bij de start van een registratieperiode wordt de dispensatie berekend" ------------


def running_mt4(stored):
    """MT4 since 2018-05-01 (7 completed years on AS_OF, 5 on 2023-06-01) in a period from 2023-06-01."""
    period = Certification("MT4", "professional", date(2023, 6, 1), date(2026, 6, 1), stored)
    return mt4_portfolio(positions=(Position("MT4", date(2018, 5, 1)),), certifications=(period,),
                         cpd_activities=full_cpd("70", "40"))


def test_recertification_judges_cpd_against_the_dispensation_fixed_at_the_period_start():
    portfolio = running_mt4(stored=None)  # computed for 2023-06-01: 5 completed years, no dispensation
    result = evaluate(portfolio, AS_OF)
    assert (result.dispensation_percent, result.period_start) == (0, date(2023, 6, 1))
    assert result.cpd.required_hours == D("72.00")  # not 66.96 (7 % on the application date)
    assert [(u.code, u.message) for u in result.unmet] == [("cpd_total", "CPD: 70.00 of 72.00 h")]


def test_stored_dispensation_of_the_period_wins():
    result = evaluate(running_mt4(stored=3), AS_OF)
    assert result.dispensation_percent == 3
    assert result.cpd.required_hours == D("69.84")


def test_forecast_and_evaluation_agree_on_the_same_day():
    for stored in (None, 0, 3):
        portfolio = running_mt4(stored)
        for day in (date(2023, 6, 2), AS_OF, date(2026, 5, 31)):
            evaluated = evaluate(portfolio, day)
            forecasted = forecast(portfolio, date(2023, 6, 1), day)
            assert evaluated.cpd.required_hours == forecasted.required_hours
            assert evaluated.cpd.required_technical_hours == forecasted.required_technical_hours
            assert evaluated.dispensation_percent == forecasted.dispensation_percent


def test_first_certification_computes_the_dispensation_on_the_application_date():
    result = evaluate(mt4_portfolio(positions=(Position("MT4", date(2018, 5, 1)),)), AS_OF)
    assert (result.dispensation_percent, result.period_start) == (7, AS_OF)


def test_judged_period_boundaries():
    period = Certification("MT4", "professional", date(2022, 6, 1), date(2025, 6, 1), 0)
    assert judged_period((period,), date(2022, 6, 1)) == period  # its first day
    assert judged_period((period,), date(2025, 6, 1)) == period  # applying on the expiry day re-certifies it
    assert judged_period((period,), date(2025, 6, 2)) is None  # lapsed: a new certification from base
    assert judged_period((period,), date(2022, 5, 31)) is None
    later = Certification("MT4", "expert", date(2024, 1, 1), date(2027, 1, 1), 9)
    assert judged_period((period, later), date(2024, 1, 1)) == later
    portfolio = Portfolio(positions=(Position("MT4", date(2010, 1, 1)),), certifications=(period,))
    assert applicable_dispensation(portfolio, date(2025, 6, 2)) == (15, date(2025, 6, 2))
    assert applicable_dispensation(portfolio, date(2025, 6, 1)) == (0, date(2022, 6, 1))


# --- VZI certificatienormen, Inleiding: "De indeling kan niet (op verzoek) lager of hoger zijn" ------------------


def test_level_is_the_highest_level_held_an_extra_lower_appointment_does_not_lower_the_norm():
    positions = (Position("MT4", date(2021, 6, 1)), Position("MT3", date(2025, 1, 1)))
    assert current_position(positions, AS_OF).level == "MT4"
    result = evaluate(mt4_portfolio(positions=positions), AS_OF)
    assert (result.level, result.cpd.required_hours) == ("MT4", D("72.00"))
    higher_later_ended = (Position("MT5", date(2020, 1, 1), date(2025, 5, 31)), Position("MT4", date(2021, 6, 1)))
    assert current_position(higher_later_ended, AS_OF).level == "MT4"
    assert current_position(higher_later_ended, date(2025, 5, 31)).level == "MT5"


# --- seed Samenvatting: "behoudt een persoon tot opzegging een basisregistratie" ----------------


def test_base_registration_is_kept_after_the_position_ended_until_cancelled():
    ended = Portfolio(educations=(MBO3_ICT,), positions=(Position("MT3", date(2020, 1, 1), date(2024, 12, 31)),))
    assert registration_state(ended, AS_OF) == "base"
    cancelled = Portfolio(educations=ended.educations, positions=ended.positions, cancellations=(AS_OF,))
    assert registration_state(cancelled, AS_OF - timedelta(days=1)) == "base"
    assert registration_state(cancelled, AS_OF) == "none"  # in effect on its date


def test_failed_recertification_keeps_base_until_cancelled_and_a_new_position_starts_again():
    period = Certification("MT4", "professional", date(2020, 1, 1), date(2023, 1, 1), 0)
    failed = Portfolio(certifications=(period,))  # no education on file, no position any more
    assert registration_state(failed, AS_OF) == "base"
    cancelled = Portfolio(certifications=(period,), cancellations=(date(2024, 1, 1),))
    assert registration_state(cancelled, AS_OF) == "none"
    again = Portfolio(educations=(MBO3_ICT,), positions=(Position("MT3", date(2024, 1, 1)),),
                      certifications=(period,), cancellations=(date(2024, 1, 1),))
    assert registration_state(again, AS_OF) == "base"
    before = Portfolio(educations=(MBO3_ICT,), positions=(Position("MT3", date(2020, 1, 1), date(2023, 12, 31)),),
                       cancellations=(date(2024, 1, 1),))
    assert registration_state(before, AS_OF) == "none"


def test_cancellation_ends_a_running_certification():
    period = Certification("MT4", "professional", date(2024, 1, 1), date(2027, 1, 1), 0)
    portfolio = mt4_portfolio(certifications=(period,), cancellations=(date(2025, 1, 1),))
    assert registration_state(portfolio, date(2024, 12, 31)) == "certified"
    assert registration_state(portfolio, AS_OF) == "base"  # the position and diploma still stand


def test_base_registration_needs_the_diploma_while_a_position_ran():
    late_diploma = Education("MBO3", frozenset({"ict"}), obtained_on=date(2025, 1, 1))
    portfolio = Portfolio(educations=(late_diploma,), positions=(Position("MT3", date(2020, 1, 1), date(2024, 12, 31)),))
    assert registration_state(portfolio, AS_OF) == "none"
    on_last_day = Education("MBO3", frozenset({"ict"}), obtained_on=date(2024, 12, 31))
    assert registration_state(Portfolio(educations=(on_last_day,), positions=portfolio.positions), AS_OF) == "base"


# --- education boundaries ---------------------------------------------------------------------


def test_diploma_obtained_on_the_evaluation_date_counts():
    today = Education("MBO4", frozenset({"ict"}), frozenset({"work_preparation"}), AS_OF)
    assert check_education("MT4", (today,), (), AS_OF) is None
    assert check_education("MT4", (today,), (), AS_OF - timedelta(days=1)) is not None


def test_lts_counts_as_mbo3_but_not_as_mbo4():
    lts = Education("LTS", frozenset({"electrical"}), frozenset({"work_preparation"}))
    assert check_education("MT3", (lts,), (), AS_OF) is None
    assert check_education("MT4", (lts,), (), AS_OF) is not None
    # and as the MBO 3 diploma of the MT4 equivalence route
    assert check_education("MT4", (lts,), (Position("MT4", date(2022, 6, 1)),), AS_OF) is None


def test_level_and_field_are_both_required():
    assert check_education("MT3", (Education("MBO3", frozenset()),), (), AS_OF) is not None  # level, no field
    assert check_education("MT3", (Education("MBO3", frozenset({"ict"})),), (), AS_OF) is None
    mbo4_no_component = Education("MBO4", frozenset({"ict"}))
    assert check_education("MT3", (mbo4_no_component,), (), AS_OF) is None  # MT3 asks no component
    assert check_education("MT4", (mbo4_no_component,), (), AS_OF) is not None
    assert check_education("MT5", (MBO4_EL_PM,), (), AS_OF) is not None  # field + component, level too low


def test_certificate_obtained_on_the_evaluation_date_counts():
    held = (Certificate("MTA"), Certificate("MTB", obtained_on=AS_OF))
    assert check_certificates("MT4", held, (), AS_OF) is None


# --- messages in Dutch and English ---------------------------------------------------------------


def test_unmet_messages_state_the_shortfall_in_both_languages():
    # 10 completed years: 10 % dispensation -> 64.80 h, of which 32.40 technical
    portfolio = mt4_portfolio(positions=(Position("MT4", date(2015, 6, 1)),), cpd_activities=full_cpd("64.79", "32.39"))
    result = evaluate(portfolio, AS_OF)
    assert [(u.code, u.message, u.message_nl) for u in result.unmet] == [
        ("cpd_total", "CPD: 64.79 of 64.80 h", "CPD: 64,79 van 64,80 uur"),
        ("cpd_technical", "CPD technical: 32.39 of 32.40 h", "CPD technisch: 32,39 van 32,40 uur"),
    ]


def test_position_message_in_dutch():
    result = evaluate(Portfolio(), AS_OF)
    assert result.unmet[0].message_nl == "Functie: geen aanstelling als medisch technicus op 1 juni 2025"


# --- seed title page: "Ingangsdatum 1 juni 2025" --------------------------------------------------


def test_every_evaluation_names_its_norm_set_and_earlier_dates_are_history():
    on = evaluate(Portfolio(), date(2025, 6, 1)).norms
    assert (on.name, on.effective_from, on.retroactive) == ("VZI certificatienormen", date(2025, 6, 1), False)
    before = evaluate(Portfolio(), date(2025, 5, 31)).norms
    assert (before.effective_from, before.retroactive) == (date(2025, 6, 1), True)
    assert "history entered after the fact" in before.note
    assert "achteraf ingevoerde historie" in before.note_nl


def test_an_earlier_norm_set_applies_when_configured():
    older = NormSet("VZI certificatienormen 2019", date(2019, 1, 1))
    sets = (older, NormSet("VZI certificatienormen", date(2025, 6, 1)))
    assert norms_for(date(2025, 5, 31), sets).name == "VZI certificatienormen 2019"
    assert norms_for(date(2025, 5, 31), sets).retroactive is False
    assert norms_for(date(2025, 6, 1), sets).name == "VZI certificatienormen"


# --- boundaries of the day arithmetic ---------------------------------------------------------


def test_one_day_position_and_work_record_are_valid_and_count_one_day():
    day = date(2024, 3, 1)
    assert experience_days((Position("MT3", day, day),), AS_OF) == 1
    assert work_hours_in_window(WorkExperience(1, day, day, D("8")), AS_OF) == D("8.00")
    with pytest.raises(ValueError):
        Position("MT3", day, day - timedelta(days=1))
    with pytest.raises(ValueError):
        WorkExperience(1, day, day - timedelta(days=1), D("8"))


def test_position_starting_on_the_day_counted_up_to_counts_that_day():
    assert experience_days((Position("MT3", AS_OF),), AS_OF) == 1
    assert experience_days((Position("MT3", AS_OF + timedelta(days=1)),), AS_OF) == 0


def test_positions_overlapping_by_one_day_count_it_once():
    positions = (Position("MT3", date(2020, 1, 1), date(2020, 1, 10)), Position("MT4", date(2020, 1, 10), date(2020, 1, 20)))
    assert experience_days(positions, AS_OF) == 20


def test_certified_from_the_first_day_of_the_period_to_the_day_before_its_end():
    period = Certification("MT4", "professional", AS_OF, add_years(AS_OF, 3))
    portfolio = mt4_portfolio(certifications=(period,))
    assert registration_state(portfolio, AS_OF) == "certified"
    assert registration_state(portfolio, date(2028, 5, 31)) == "certified"
    assert registration_state(portfolio, date(2028, 6, 1)) == "base"


def test_no_experience_is_zero_years_and_reaches_no_threshold():
    none = experience((), AS_OF)
    assert (none.days, none.completed_years, none.years) == (0, 0, D("0.00"))
    assert none.at_least(0) and not none.at_least(1) and not none.more_than(0)


def test_carry_over_below_the_cap_decides_expert_by_the_day():
    # MT3 certified earlier; 2 years at MT3 + 4 at MT4 = exactly 6: professional; a day more: expert
    def result(mt3_from):
        positions = (Position("MT3", mt3_from, date(2021, 5, 31)), Position("MT4", date(2021, 6, 1)))
        return evaluate(mt4_portfolio(positions=positions, certifications=(earlier("MT3", "professional"),),
                                      work_experience=(work(1, "600"),), cpd_activities=full_cpd("72", "36", 1)), AS_OF)
    assert result(date(2019, 6, 1)).designation == "professional"
    assert result(date(2019, 5, 31)).designation == "expert"


def test_certification_granted_on_the_day_of_a_cancellation_is_a_new_registration():
    period = Certification("MT4", "professional", AS_OF, add_years(AS_OF, 3))
    portfolio = mt4_portfolio(certifications=(period,), cancellations=(AS_OF,))
    assert registration_state(portfolio, AS_OF) == "certified"
    before = Certification("MT4", "professional", AS_OF - timedelta(days=1), add_years(AS_OF, 3))
    assert registration_state(mt4_portfolio(certifications=(before,), cancellations=(AS_OF,)), AS_OF) == "base"


def test_a_certification_ending_on_the_day_leaves_a_base_registration_even_without_position():
    period = Certification("MT4", "professional", date(2022, 6, 1), AS_OF)
    assert registration_state(Portfolio(certifications=(period,)), AS_OF - timedelta(days=1)) == "certified"
    assert registration_state(Portfolio(certifications=(period,)), AS_OF) == "base"


def test_rank_tables_are_the_seeds_order():
    # VZI MT3 §1 "LTS of technische MBO 3": LTS = MBO3 < MBO4 < HBO < WO; MT3 < MT4 < MT5
    from plugins.vzi_mt.rules import EDUCATION_RANK, LEVEL_RANK
    assert LEVEL_RANK == {"MT3": 0, "MT4": 1, "MT5": 2}
    assert EDUCATION_RANK == {"LTS": 0, "MBO3": 0, "MBO4": 1, "HBO": 2, "WO": 3}


def test_forecast_technical_hours_exactly_due_are_on_track():
    # 547 of 1096 days: 36 x 0.4991 = 17.97 technical hours due by now
    assert forecast(forecast_portfolio("40", "17.97"), date(2023, 1, 1), date(2024, 7, 1)).on_track is True
    assert forecast(forecast_portfolio("40", "17.96"), date(2023, 1, 1), date(2024, 7, 1)).on_track is False


def test_forecast_on_the_first_day_of_the_period_has_nothing_elapsed():
    result = forecast(forecast_portfolio("0", "0"), date(2023, 1, 1), date(2023, 1, 1))
    assert (result.elapsed_fraction, result.on_track, result.months_remaining) == (D("0.0000"), True, 36)
