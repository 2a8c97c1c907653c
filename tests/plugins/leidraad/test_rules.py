"""The Leidraad rules, with numbers: Leidraad Medische Technologie 2026 (risicomanagement, bevoegd en bekwaam, levensloop) and the shipped default policy."""

import copy
import dataclasses
from datetime import date

import pytest

from plugins.leidraad import rules
from plugins.leidraad.rules import (
    DEFAULT_POLICY,
    CompetenceRecord,
    ExpiryChange,
    Policy,
    PolicyError,
    Requirement,
    SafetyNotice,
    ScreeningPolicy,
    add_months,
    competence_findings,
    competence_state,
    expires_on,
    may_enter_phase,
    method_changes,
    method_sufficient,
    override_from_dict,
    override_to_dict,
    policy_from_dict,
    policy_to_dict,
    product_risk_for_class,
    recompute_changes,
    release_missing,
    requirement,
    screen,
)

D = date


# --- vocabulary --------------------------------------------------------------


def test_contract_strings():
    assert rules.LEVELS == ("low", "medium", "high")
    assert dict(rules.LEVEL_SCORES) == {"low": 1, "medium": 2, "high": 3}
    assert rules.ROLES == ("user", "key_user", "technician", "trainer")
    assert rules.METHODS == ("instruction", "training", "training_and_assessment")
    assert rules.DEVICE_CLASSES == ("I", "IIa", "IIb", "III", "A", "B", "C", "D")


def test_lifecycle_phases_are_the_seven_of_the_seed():
    phases = rules.LIFECYCLE_PHASES
    assert [p.number for p in phases] == [1, 2, 3, 4, 5, 6, 7]
    assert phases[0].name_nl == "Behoeftebepaling"
    assert phases[4].name_nl == "Vrijgave"
    assert phases[5].name_en == "Use and maintenance"
    assert phases[6].name_nl == "Buitengebruikstellen en afvoer"
    assert rules.lifecycle_phase(2).code == "risk_screening"


def test_unknown_lifecycle_phase_is_rejected():
    with pytest.raises(ValueError):
        rules.lifecycle_phase(8)


# --- add_months ----------------------------------------------------------------


def test_31_jan_plus_1_month_non_leap_year():
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)


def test_31_jan_plus_1_month_leap_year():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)


def test_31_aug_plus_6_months():
    assert add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)


def test_add_months_across_years_keeps_the_day():
    assert add_months(D(2025, 11, 15), 14) == D(2027, 1, 15)


def test_add_months_36_months_from_leap_day():
    assert add_months(D(2024, 2, 29), 36) == D(2027, 2, 28)


def test_add_negative_months():
    assert add_months(D(2025, 3, 31), -1) == D(2025, 2, 28)


# --- expiry and state --------------------------------------------------------------


def test_expires_on_adds_the_interval():
    assert expires_on(D(2025, 3, 10), 12) == D(2026, 3, 10)


def test_expires_on_without_interval_is_none():
    assert expires_on(D(2025, 3, 10), None) is None


def test_valid_on_obtained_on():
    assert competence_state(D(2025, 1, 1), D(2026, 1, 1), D(2025, 1, 1)) == "competent"


def test_not_yet_valid_the_day_before_obtained_on():
    assert competence_state(D(2025, 1, 1), D(2026, 1, 1), D(2024, 12, 31)) == "not_yet_valid"


def test_invalid_on_expires_on():
    assert competence_state(D(2025, 1, 1), D(2026, 1, 1), D(2026, 1, 1)) == "expired"


def test_valid_the_day_before_expiry():
    assert competence_state(D(2025, 1, 1), D(2026, 1, 1), D(2025, 12, 31)) == "expiring"


def test_expiring_at_exactly_the_horizon():
    assert competence_state(D(2025, 1, 1), D(2026, 1, 1), D(2025, 10, 3)) == "expiring"  # 90 days left


def test_competent_one_day_before_the_horizon():
    assert competence_state(D(2025, 1, 1), D(2026, 1, 1), D(2025, 10, 2)) == "competent"  # 91 days left


def test_custom_horizon():
    # 30 days left
    assert competence_state(D(2025, 1, 1), D(2026, 1, 1), D(2025, 12, 2), horizon_days=30) == "expiring"
    assert competence_state(D(2025, 1, 1), D(2026, 1, 1), D(2025, 12, 2), horizon_days=7) == "competent"


def test_no_expiry_stays_competent():
    assert competence_state(D(2000, 1, 1), None, D(2099, 1, 1)) == "competent"


# --- product risk ----------------------------------------------------------------


@pytest.mark.parametrize(
    "device_class, risk",
    [("I", "low"), ("IIa", "medium"), ("IIb", "high"), ("III", "high"),
     ("A", "low"), ("B", "medium"), ("C", "high"), ("D", "high")],
)
def test_product_risk_for_class(device_class, risk):
    assert product_risk_for_class(device_class) == risk


def test_unknown_device_class_is_rejected():
    with pytest.raises(ValueError):
        product_risk_for_class("IIc")


# --- screening ----------------------------------------------------------------


def test_spec_screening_example():
    # the documented default policy's example: MDR I (low), context high, novelty high, impact medium
    outcome = screen(product_risk_for_class("I"), "high", "high", "medium")
    assert outcome == rules.ScreeningOutcome(score_sum=9, risk_class="medium", pri_required=True)


def test_sum_6_is_low():
    outcome = screen("low", "medium", "low", "medium")
    assert (outcome.score_sum, outcome.risk_class, outcome.pri_required) == (6, "low", False)


def test_sum_7_is_medium():
    outcome = screen("low", "medium", "medium", "medium")
    assert (outcome.score_sum, outcome.risk_class, outcome.pri_required) == (7, "medium", False)


def test_sum_9_is_medium():
    outcome = screen("medium", "medium", "medium", "high")
    assert (outcome.score_sum, outcome.risk_class, outcome.pri_required) == (9, "medium", False)


def test_sum_10_is_high_and_needs_a_pri():
    outcome = screen("medium", "medium", "high", "high")
    assert (outcome.score_sum, outcome.risk_class, outcome.pri_required) == (10, "high", True)


def test_lowest_and_highest_sums():
    assert screen("low", "low", "low", "low").score_sum == 4
    assert screen("high", "high", "high", "high").risk_class == "high"


def test_product_risk_dominates_the_sum():
    # sum 6 would be low, but a class III device is high: PRI required by class
    outcome = screen("high", "low", "low", "low")
    assert (outcome.score_sum, outcome.risk_class, outcome.pri_required) == (6, "high", True)


def test_product_risk_medium_lifts_a_low_sum():
    assert screen("medium", "low", "low", "low").risk_class == "medium"


def test_novelty_high_alone_requires_a_pri():
    outcome = screen("low", "low", "high", "low")
    assert (outcome.risk_class, outcome.pri_required) == ("low", True)


def test_product_risk_floor_can_be_switched_off():
    policy = dataclasses.replace(
        DEFAULT_POLICY, screening=ScreeningPolicy(product_risk_floor=False)
    )
    assert screen("high", "low", "low", "low", policy).risk_class == "low"


def test_pri_triggers_are_configurable():
    policy = dataclasses.replace(
        DEFAULT_POLICY,
        screening=ScreeningPolicy(pri_min_risk_class="medium", pri_min_novelty=None),
    )
    assert screen("low", "low", "high", "low", policy).pri_required is False
    assert screen("medium", "low", "low", "low", policy).pri_required is True


def test_custom_sum_bands():
    policy = dataclasses.replace(
        DEFAULT_POLICY,
        screening=ScreeningPolicy(sum_bands={"low": (4, 5), "medium": (6, 8), "high": (9, 12)}),
    )
    assert screen("low", "low", "medium", "medium", policy).risk_class == "medium"  # sum 6
    assert screen("medium", "medium", "medium", "high", policy).risk_class == "high"  # sum 9


def test_screen_rejects_unknown_level():
    with pytest.raises(ValueError, match="usage_context"):
        screen("low", "extreme", "low", "low")


# --- default policy, cell by cell (the shipped default) -------------------------------------


@pytest.mark.parametrize(
    "risk_class, role, method, months",
    [
        ("high", "user", "training_and_assessment", 12),
        ("high", "technician", "training_and_assessment", 24),
        ("high", "key_user", "training_and_assessment", 12),
        ("high", "trainer", "training_and_assessment", 12),
        ("medium", "user", "training", 36),
        ("medium", "technician", "training_and_assessment", 36),
        ("medium", "key_user", "training_and_assessment", 24),
        ("medium", "trainer", "training_and_assessment", 24),
        ("low", "user", "instruction", None),
        ("low", "technician", "training", None),
        ("low", "key_user", "training", None),
        ("low", "trainer", "training", None),
    ],
)
def test_default_policy_cell(risk_class, role, method, months):
    assert requirement(DEFAULT_POLICY, risk_class, role) == Requirement(method, months)


def test_override_wins_for_the_roles_it_names():
    override = {"user": Requirement("training_and_assessment", 6)}
    assert requirement(DEFAULT_POLICY, "medium", "user", override) == override["user"]
    technician = requirement(DEFAULT_POLICY, "medium", "technician", override)
    assert technician == Requirement("training_and_assessment", 36)


def test_requirement_rejects_unknown_role():
    with pytest.raises(ValueError):
        requirement(DEFAULT_POLICY, "high", "nurse")


def test_requirement_rejects_unknown_risk_class():
    with pytest.raises(ValueError):
        requirement(DEFAULT_POLICY, "extreme", "user")


def test_requirement_rejects_bad_values():
    with pytest.raises(PolicyError):
        Requirement("reading", 12)
    with pytest.raises(PolicyError):
        Requirement("training", -1)


def test_policy_is_immutable():
    with pytest.raises(TypeError):
        DEFAULT_POLICY.requirements["high"]["user"] = Requirement("instruction", None)


# --- methods ----------------------------------------------------------------------


def test_higher_method_meets_a_lower_requirement():
    assert method_sufficient("training_and_assessment", "training") is True
    assert method_sufficient("training", "instruction") is True


def test_lower_method_does_not_meet_a_higher_requirement():
    assert method_sufficient("training", "training_and_assessment") is False
    assert method_sufficient("instruction", "training") is False


def test_equal_method_is_sufficient():
    assert method_sufficient("instruction", "instruction") is True


def test_unknown_method_is_rejected():
    with pytest.raises(ValueError):
        method_sufficient("assessment", "training")


# --- policy JSON --------------------------------------------------------------------


def test_policy_round_trip():
    body = policy_to_dict(DEFAULT_POLICY)
    assert policy_from_dict(body) == DEFAULT_POLICY
    assert policy_to_dict(policy_from_dict(body)) == body


def test_policy_json_shape():
    body = policy_to_dict(DEFAULT_POLICY)
    assert body["screening"] == {
        "sum_bands": {
            "low": {"min": 4, "max": 6},
            "medium": {"min": 7, "max": 9},
            "high": {"min": 10, "max": 12},
        },
        "product_risk_floor": True,
        "pri_min_risk_class": "high",
        "pri_min_novelty": "high",
    }
    assert body["requirements"]["high"]["technician"] == {
        "method": "training_and_assessment",
        "interval_months": 24,
    }
    assert body["requirements"]["low"]["user"] == {"method": "instruction", "interval_months": None}


def test_changed_policy_round_trips():
    body = policy_to_dict(DEFAULT_POLICY)
    body["requirements"]["medium"]["user"] = {"method": "training_and_assessment", "interval_months": 24}
    body["screening"]["pri_min_novelty"] = None
    policy = policy_from_dict(body)
    assert requirement(policy, "medium", "user") == Requirement("training_and_assessment", 24)
    assert policy.screening.pri_min_novelty is None


def _errors(body):
    with pytest.raises(PolicyError) as caught:
        policy_from_dict(body)
    return caught.value.errors


def _body():
    return copy.deepcopy(policy_to_dict(DEFAULT_POLICY))


def test_policy_error_unknown_risk_class():
    body = _body()
    body["requirements"]["extreme"] = body["requirements"]["high"]
    assert list(_errors(body)) == ["requirements.extreme"]


def test_policy_error_unknown_role():
    body = _body()
    body["requirements"]["high"]["nurse"] = {"method": "training", "interval_months": 12}
    assert list(_errors(body)) == ["requirements.high.nurse"]


def test_policy_error_unknown_method():
    body = _body()
    body["requirements"]["medium"]["user"]["method"] = "assessment"
    assert list(_errors(body)) == ["requirements.medium.user.method"]


def test_policy_error_negative_interval():
    body = _body()
    body["requirements"]["low"]["technician"]["interval_months"] = -6
    assert list(_errors(body)) == ["requirements.low.technician.interval_months"]


def test_policy_error_zero_interval():
    body = _body()
    body["requirements"]["low"]["technician"]["interval_months"] = 0
    assert list(_errors(body)) == ["requirements.low.technician.interval_months"]


def test_policy_error_interval_not_an_integer():
    body = _body()
    body["requirements"]["high"]["user"]["interval_months"] = "12"
    assert list(_errors(body)) == ["requirements.high.user.interval_months"]


def test_policy_error_missing_role():
    body = _body()
    del body["requirements"]["high"]["trainer"]
    assert _errors(body) == {"requirements.high.trainer": ["Missing data for required field."]}


def test_policy_error_missing_risk_class():
    body = _body()
    del body["requirements"]["low"]
    assert list(_errors(body)) == ["requirements.low"]


def test_policy_error_bands_with_a_gap():
    body = _body()
    body["screening"]["sum_bands"]["medium"]["min"] = 8
    assert list(_errors(body)) == ["screening.sum_bands.medium.min"]


def test_policy_error_bands_not_starting_at_4():
    body = _body()
    body["screening"]["sum_bands"]["low"]["min"] = 5
    assert list(_errors(body)) == ["screening.sum_bands.low.min"]


def test_policy_error_bands_not_ending_at_12():
    body = _body()
    body["screening"]["sum_bands"]["high"]["max"] = 11
    assert list(_errors(body)) == ["screening.sum_bands.high.max"]


def test_policy_error_band_max_below_min():
    body = _body()
    body["screening"]["sum_bands"]["medium"] = {"min": 7, "max": 6}
    assert "screening.sum_bands.medium.max" in _errors(body)


def test_policy_error_unknown_band():
    body = _body()
    body["screening"]["sum_bands"]["extreme"] = {"min": 13, "max": 16}
    assert list(_errors(body)) == ["screening.sum_bands.extreme"]


def test_policy_error_bad_pri_level_and_flag():
    body = _body()
    body["screening"]["pri_min_novelty"] = "very"
    body["screening"]["product_risk_floor"] = "yes"
    assert set(_errors(body)) == {"screening.pri_min_novelty", "screening.product_risk_floor"}


def test_policy_error_names_every_bad_field_at_once():
    body = _body()
    body["colour"] = "blue"
    body["requirements"]["high"]["user"]["method"] = "reading"
    body["requirements"]["low"]["user"]["interval_months"] = -1
    body["screening"]["sum_bands"]["high"]["max"] = 13
    assert set(_errors(body)) == {
        "colour",
        "requirements.high.user.method",
        "requirements.low.user.interval_months",
        "screening.sum_bands.high.max",
    }


def test_policy_error_missing_sections():
    assert set(_errors({})) == {"screening", "requirements"}


def test_policy_error_not_an_object():
    assert list(_errors([])) == ["_schema"]


def test_policy_constructed_in_code_is_validated_too():
    with pytest.raises(PolicyError) as caught:
        Policy(screening=ScreeningPolicy(), requirements={"high": {}, "medium": {}})
    assert "requirements.low" in caught.value.errors
    assert "requirements.high.user" in caught.value.errors


def test_override_from_dict_is_partial():
    cell = {"method": "training_and_assessment", "interval_months": 12}
    override = override_from_dict({"technician": cell})
    assert override == {"technician": Requirement("training_and_assessment", 12)}
    assert override_to_dict(override) == {
        "technician": {"method": "training_and_assessment", "interval_months": 12}
    }


def test_override_from_dict_names_bad_fields():
    with pytest.raises(PolicyError) as caught:
        override_from_dict({"nurse": {}, "user": {"method": "x", "interval_months": 1}})
    assert set(caught.value.errors) == {"nurse", "user.method"}


# --- competence findings -----------------------------------------------------------------


def _codes(findings):
    return [(f.ok, f.code) for f in findings]


def test_not_screened_nobody_is_competent():
    records = [(D(2025, 1, 1), "training_and_assessment", None)]
    assert _codes(competence_findings(None, "user", records, D(2025, 6, 1))) == [(False, "not_screened")]


def test_competent_with_the_required_method():
    records = [(D(2025, 1, 1), "training_and_assessment", D(2026, 1, 1))]
    findings = competence_findings("high", "user", records, D(2025, 6, 1))
    assert _codes(findings) == [(True, "competent")]
    assert "2026-01-01" in findings[0].message


def test_competent_accepts_record_dataclasses():
    records = [CompetenceRecord(D(2025, 1, 1), "instruction", None)]
    assert _codes(competence_findings("low", "user", records, D(2030, 1, 1))) == [(True, "competent")]


def test_competence_missing_without_records():
    assert _codes(competence_findings("low", "user", [], D(2025, 6, 1))) == [(False, "competence_missing")]


def test_competence_missing_when_only_obtained_later():
    records = [(D(2025, 7, 1), "training", None)]
    findings = competence_findings("low", "user", records, D(2025, 6, 1))
    assert _codes(findings) == [(False, "competence_missing")]


def test_competence_expired_on_the_expiry_date():
    records = [(D(2024, 6, 1), "training_and_assessment", D(2025, 6, 1))]
    findings = competence_findings("high", "user", records, D(2025, 6, 1))
    assert _codes(findings) == [(False, "competence_expired")]
    assert "2025-06-01" in findings[0].message


def test_still_competent_the_day_before_expiry():
    records = [(D(2024, 6, 1), "training_and_assessment", D(2025, 6, 1))]
    assert _codes(competence_findings("high", "user", records, D(2025, 5, 31))) == [(True, "competent")]


def test_method_insufficient():
    records = [(D(2025, 1, 1), "training", D(2028, 1, 1))]
    findings = competence_findings("high", "user", records, D(2025, 6, 1))
    assert _codes(findings) == [(False, "method_insufficient")]
    assert findings[0].message == "training is below the required training_and_assessment."


def test_insufficient_valid_and_sufficient_expired_both_reported():
    records = [
        (D(2023, 1, 1), "training_and_assessment", D(2024, 1, 1)),
        (D(2025, 1, 1), "instruction", None),
    ]
    assert _codes(competence_findings("high", "user", records, D(2025, 6, 1))) == [
        (False, "method_insufficient"),
        (False, "competence_expired"),
    ]


def test_a_newer_record_makes_up_for_an_expired_one():
    records = [
        (D(2023, 1, 1), "training_and_assessment", D(2024, 1, 1)),
        (D(2024, 1, 1), "training_and_assessment", D(2025, 1, 1)),
    ]
    assert _codes(competence_findings("high", "user", records, D(2024, 6, 1))) == [(True, "competent")]


def test_override_changes_the_required_method():
    records = [(D(2025, 1, 1), "instruction", None)]
    override = {"user": Requirement("training", None)}
    findings = competence_findings("low", "user", records, D(2025, 6, 1), override=override)
    assert _codes(findings) == [(False, "method_insufficient")]


def test_reinstruction_due_after_the_deadline():
    records = [(D(2024, 1, 1), "training", D(2027, 1, 1))]
    notices = [(D(2025, 3, 1), D(2025, 4, 1))]
    findings = competence_findings("medium", "user", records, D(2025, 4, 2), safety_notices=notices)
    assert _codes(findings) == [(False, "reinstruction_due")]
    assert "2025-04-01" in findings[0].message


def test_reinstruction_not_yet_due_on_the_deadline():
    records = [(D(2024, 1, 1), "training", D(2027, 1, 1))]
    notices = [SafetyNotice(D(2025, 3, 1), D(2025, 4, 1))]
    findings = competence_findings("medium", "user", records, D(2025, 4, 1), safety_notices=notices)
    assert _codes(findings) == [(True, "competent")]


def test_reinstruction_done_on_the_notice_date():
    records = [(D(2024, 1, 1), "training", D(2027, 1, 1)), (D(2025, 3, 1), "instruction", None)]
    notices = [(D(2025, 3, 1), D(2025, 4, 1))]
    findings = competence_findings("medium", "user", records, D(2025, 5, 1), safety_notices=notices)
    assert _codes(findings) == [(True, "competent")]


def test_instruction_before_the_notice_does_not_count():
    records = [(D(2024, 1, 1), "training", D(2027, 1, 1)), (D(2025, 2, 28), "instruction", None)]
    notices = [(D(2025, 3, 1), D(2025, 4, 1))]
    findings = competence_findings("medium", "user", records, D(2025, 5, 1), safety_notices=notices)
    assert _codes(findings) == [(False, "reinstruction_due")]


def test_safety_notice_deadline_before_issue_is_rejected():
    with pytest.raises(ValueError):
        SafetyNotice(D(2025, 3, 1), D(2025, 2, 1))


# --- release and lifecycle ------------------------------------------------------------------


def test_release_nothing_missing():
    assert release_missing(True, True, True, True, True, 1, 1) == []


def test_release_lists_every_missing_item():
    missing = release_missing(False, True, False, False, False, 0, 0)
    assert [m.code for m in missing] == [
        "no_screening",
        "no_pri",
        "no_technical_approval",
        "no_clinical_approval",
        "no_competent_technician",
        "no_competent_user",
    ]


def test_release_pri_only_when_required():
    assert release_missing(True, False, False, True, True, 2, 5) == []


def test_release_needs_a_competent_user():
    assert [m.code for m in release_missing(True, False, False, True, True, 1, 0)] == ["no_competent_user"]


def test_phase_6_only_after_release():
    assert may_enter_phase(5, 6, released=False) is False
    assert may_enter_phase(5, 6, released=True) is True


def test_other_phases_do_not_need_release():
    assert may_enter_phase(1, 2, released=False) is True
    assert may_enter_phase(6, 7, released=True) is True
    assert may_enter_phase(4, 7, released=False) is True


def test_unknown_phase_is_rejected():
    with pytest.raises(ValueError):
        may_enter_phase(5, 0, released=True)


# --- recomputation after a class or policy change --------------------------------------------


def test_recompute_reports_shortened_expiry_from_the_new_date():
    # medium -> high: a user's 36 months become 12 months
    obtained = D(2025, 1, 15)
    old = expires_on(obtained, 36)
    new = expires_on(obtained, 12)
    result = recompute_changes([ExpiryChange("anna", old, new)], effective_on=D(2025, 6, 1))
    assert [(n.key, n.code, n.from_date) for n in result] == [("anna", "expiry_shortened", D(2026, 1, 15))]


def test_recompute_already_passed_expiry_counts_from_the_change():
    result = recompute_changes([("bram", D(2027, 1, 1), D(2025, 1, 1))], effective_on=D(2025, 6, 1))
    assert [(n.key, n.from_date) for n in result] == [("bram", D(2025, 6, 1))]


def test_recompute_no_expiry_to_an_expiry_is_shortened():
    result = recompute_changes([("cor", None, D(2026, 1, 1))], effective_on=D(2025, 6, 1))
    assert [n.key for n in result] == ["cor"]


def test_recompute_ignores_longer_or_equal_expiries():
    old = D(2026, 1, 1)
    changes = [("a", old, D(2027, 1, 1)), ("b", old, None), ("c", old, old)]
    assert recompute_changes(changes, effective_on=D(2025, 6, 1)) == []


def test_recompute_ignores_competences_already_expired():
    assert recompute_changes([("d", D(2025, 1, 1), D(2024, 6, 1))], effective_on=D(2025, 6, 1)) == []


def test_recompute_until_limits_the_report():
    changes = [("e", D(2028, 1, 1), D(2026, 1, 1)), ("f", D(2028, 1, 1), D(2025, 9, 1))]
    result = recompute_changes(changes, effective_on=D(2025, 6, 1), until=D(2025, 12, 31))
    assert [n.key for n in result] == ["f"]


def test_recompute_sorted_by_date():
    changes = [("g", D(2028, 1, 1), D(2026, 1, 1)), ("h", D(2028, 1, 1), D(2025, 9, 1))]
    assert [n.key for n in recompute_changes(changes, effective_on=D(2025, 6, 1))] == ["h", "g"]


def test_method_changes_when_the_requirement_rises():
    # low -> medium for a technician: training stays enough; medium -> high for a user: not
    methods = [("ina", "training"), ("jan", "training_and_assessment")]
    result = method_changes(methods, "training", "training_and_assessment", D(2025, 6, 1))
    assert [(n.key, n.code, n.from_date) for n in result] == [("ina", "method_insufficient", D(2025, 6, 1))]


def test_method_changes_ignores_those_already_insufficient():
    methods = [("kim", "instruction")]
    assert method_changes(methods, "training", "training_and_assessment", D(2025, 6, 1)) == []


# --- PRI triggers named by the Leidraad (risicomanagement) -------------------------------------

@pytest.mark.parametrize("use, insights, pri", [(False, False, False), (True, False, True), (False, True, True),
                                               (True, True, True)])
def test_new_or_adapted_use_and_new_risk_insights_require_a_pri(use, insights, pri):
    outcome = rules.screen("low", "low", "low", "low", new_or_adapted_use=use, new_risk_insights=insights)
    assert (outcome.risk_class, outcome.pri_required) == ("low", pri)


def test_the_seed_triggers_hold_whatever_the_policy():
    policy = rules.Policy(screening=rules.ScreeningPolicy(pri_min_risk_class=None, pri_min_novelty=None),
                          requirements=rules.DEFAULT_POLICY.requirements)
    assert rules.screen("high", "high", "high", "high", policy).pri_required is False
    assert rules.screen("low", "low", "low", "low", policy, new_risk_insights=True).pri_required is True


# --- interval bounds ---------------------------------------------------------------------------

@pytest.mark.parametrize("months, ok", [(0, False), (1, True), (2, True), (239, True), (240, True), (241, False),
                                        (-1, False), (10**11, False), (None, True)])
def test_interval_months_lie_between_1_and_240(months, ok):
    assert (rules.MIN_INTERVAL_MONTHS, rules.MAX_INTERVAL_MONTHS) == (1, 240)
    if ok:
        assert rules.Requirement("training", months).interval_months == months
    else:
        with pytest.raises(rules.PolicyError) as error:
            rules.Requirement("training", months)
        assert list(error.value.errors) == ["interval_months"]
        assert "between 1 and 240" in error.value.errors["interval_months"][0]


# --- re-screening after release --------------------------------------------------------------------

S = rules.ScreeningEvent
R = rules.ReleaseEvent


def test_a_screening_raises_the_question_by_pri_or_a_higher_class_only():
    low, medium, high = (S(1, D(2025, 1, 1), "low", False), S(2, D(2025, 1, 1), "medium", False),
                         S(3, D(2025, 1, 1), "high", False))
    assert rules.raises_use_question(medium, low) is True
    assert rules.raises_use_question(high, medium) is True
    assert rules.raises_use_question(medium, medium) is False    # equal is not higher
    assert rules.raises_use_question(low, medium) is False       # lower is not higher
    assert rules.raises_use_question(medium, None) is False      # nothing to compare with
    assert rules.raises_use_question(S(4, D(2025, 1, 1), "low", True), None) is True
    assert rules.raises_use_question(S(4, D(2025, 1, 1), "low", True), high) is True


def test_suspended_from_the_rescreening_day_until_a_release_on_it():
    first = S(1, D(2025, 1, 1), "low", False)
    raised = S(2, D(2025, 6, 1), "medium", False)
    releases = [R(D(2025, 3, 1), 1), R(D(2025, 6, 10), 2)]
    since = D(2025, 3, 1)
    assert rules.suspended_since([first, raised], releases, since, D(2025, 5, 31)) is None
    assert rules.suspended_since([first, raised], releases, since, D(2025, 6, 1)) == D(2025, 6, 1)
    assert rules.suspended_since([first, raised], releases, since, D(2025, 6, 9)) == D(2025, 6, 1)
    assert rules.suspended_since([first, raised], releases, since, D(2025, 6, 10)) is None   # re-release day
    assert rules.suspended_since([first, raised], releases, since, D(2025, 6, 11)) is None
    # A release on an earlier screening does not cover a later one.
    assert rules.suspended_since([first, raised], [R(D(2025, 3, 1), 1), R(D(2025, 6, 10), 1)], since,
                                 D(2025, 7, 1)) == D(2025, 6, 1)
    # A release on a later screening covers it.
    later = S(3, D(2025, 6, 5), "medium", False)
    assert rules.suspended_since([first, raised, later], [R(D(2025, 6, 10), 3)], since, D(2025, 7, 1)) is None
    # Input order does not matter.
    assert rules.suspended_since([raised, first], releases[:1], since, D(2025, 7, 1)) == D(2025, 6, 1)


def test_only_screenings_from_the_first_release_on_suspend():
    pre = S(1, D(2025, 1, 1), "low", True)            # before use: the release itself answers it
    assert rules.suspended_since([pre], [], D(2025, 1, 2), D(2025, 7, 1)) is None
    assert rules.suspended_since([pre], [], D(2025, 1, 1), D(2025, 7, 1)) == D(2025, 1, 1)   # same day counts
    assert rules.suspended_since([pre], [], None, D(2025, 7, 1)) is None    # never released: not_released says it
    assert rules.suspended_since([pre], [R(D(2025, 1, 1), 1)], D(2025, 1, 1), D(2025, 1, 1)) is None


def test_the_class_is_compared_with_the_screening_before_it_in_date_order():
    a = S(5, D(2025, 1, 1), "medium", False)
    b = S(2, D(2025, 7, 1), "medium", False)          # recorded earlier, dated later: same class
    c = S(9, D(2025, 4, 1), "low", False)
    # by date: a (medium) -> c (low) -> b (medium): b raises the class again
    assert rules.suspended_since([a, b, c], [], D(2025, 1, 1), D(2025, 7, 1)) == D(2025, 7, 1)
    assert rules.suspended_since([a, b, c], [], D(2025, 1, 1), D(2025, 6, 30)) is None


def test_policy_a_band_of_a_single_sum_is_allowed():
    body = _body()
    body["screening"]["sum_bands"] = {"low": {"min": 4, "max": 6}, "medium": {"min": 7, "max": 7},
                                      "high": {"min": 8, "max": 12}}
    policy = policy_from_dict(body)  # max == min is a band, not an error
    assert screen("low", "medium", "medium", "medium", policy).risk_class == "medium"  # sum 7
    assert screen("low", "medium", "medium", "high", policy).risk_class == "high"      # sum 8


def test_a_horizon_of_zero_days_warns_never_and_a_negative_one_is_refused():
    assert competence_state(D(2025, 1, 1), D(2026, 1, 1), D(2025, 12, 31), horizon_days=0) == "competent"
    assert competence_state(D(2025, 1, 1), D(2026, 1, 1), D(2026, 1, 1), horizon_days=0) == "expired"
    with pytest.raises(ValueError, match="horizon_days"):
        competence_state(D(2025, 1, 1), D(2026, 1, 1), D(2025, 6, 1), horizon_days=-1)


# --- boundaries found by the mutation run (python -m tools.mutate) -------------

def test_interval_months_must_be_a_whole_number_not_a_boolean():
    body = _body()
    body["requirements"]["high"]["user"]["interval_months"] = True
    assert "requirements.high.user.interval_months" in _errors(body)


@pytest.mark.parametrize("missing", ["method", "interval_months"])
def test_a_requirement_needs_both_method_and_interval(missing):
    body = _body()
    del body["requirements"]["high"]["user"][missing]
    assert _errors(body)


def test_a_policy_that_is_not_an_object_is_named_as_the_whole_document():
    with pytest.raises(PolicyError) as caught:
        policy_from_dict("streng")
    assert list(caught.value.errors) == ["_schema"]


def test_every_class_names_every_role():
    body = _body()
    del body["requirements"]["medium"]["trainer"]
    assert list(_errors(body)) == ["requirements.medium.trainer"]


def test_a_safety_notice_may_require_reinstruction_on_its_own_day():
    assert SafetyNotice(D(2026, 3, 1), D(2026, 3, 1)).reinstruct_by == D(2026, 3, 1)
    with pytest.raises(ValueError, match="reinstruct_by"):
        SafetyNotice(D(2026, 3, 1), D(2026, 2, 28))


def test_the_best_record_is_the_one_without_expiry_then_the_latest_expiry():
    dated_then_open = [(D(2025, 1, 1), "training", D(2027, 1, 1)), (D(2025, 2, 1), "training", None)]
    (finding,) = competence_findings("medium", "user", dated_then_open, D(2026, 1, 1))
    assert finding.message.endswith("without expiry.")
    later_second = [(D(2025, 1, 1), "training", D(2027, 1, 1)), (D(2025, 2, 1), "training", D(2028, 2, 1))]
    (finding,) = competence_findings("medium", "user", later_second, D(2026, 1, 1))
    assert finding.message.endswith("until 2028-02-01.")


def test_an_expiry_on_the_day_of_the_change_was_already_over():
    # Expired on the very day the new class applies: not made non-compliant by the change.
    assert recompute_changes([ExpiryChange("a", D(2026, 5, 1), D(2026, 3, 1))], D(2026, 5, 1)) == []
    (change,) = recompute_changes([ExpiryChange("b", D(2026, 5, 2), D(2026, 3, 1))], D(2026, 5, 1))
    assert change.from_date == D(2026, 5, 1)


def test_a_record_is_valid_from_the_day_it_was_obtained_until_the_day_before_expiry():
    assert rules.is_valid_on(D(2025, 3, 1), D(2026, 3, 1), D(2025, 3, 1)) is True
    assert rules.is_valid_on(D(2025, 3, 1), D(2026, 3, 1), D(2025, 2, 28)) is False
    assert rules.is_valid_on(D(2025, 3, 1), D(2026, 3, 1), D(2026, 2, 28)) is True
    assert rules.is_valid_on(D(2025, 3, 1), D(2026, 3, 1), D(2026, 3, 1)) is False


@pytest.mark.parametrize("value", [True, "5", 5.0])
def test_a_band_limit_must_be_a_whole_number(value):
    body = _body()
    body["screening"]["sum_bands"]["low"]["min"] = value
    assert "screening.sum_bands.low.min" in _errors(body)


@pytest.mark.parametrize("missing", ["min", "max"])
def test_a_band_without_one_of_its_limits_is_named_not_a_crash(missing):
    body = _body()
    del body["screening"]["sum_bands"]["medium"][missing]
    assert f"screening.sum_bands.medium.{missing}" in _errors(body)
