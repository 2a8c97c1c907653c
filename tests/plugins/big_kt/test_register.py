"""The BIG-register client against the local fake service, and ``compare``."""
import logging
import socket
import time
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date

import pytest

from plugins.big_kt.register import (
    CIBG_NS,
    KT_PROFESSION_CODE,
    SOAP_ACTION,
    SOAP_ENV_NS,
    ArticleRegistration,
    BigRegisterClient,
    Difference,
    Measure,
    RegisterBadAnswer,
    RegisterError,
    RegisterRecord,
    RegisterUnavailable,
    compare,
)
from plugins.big_kt.rules import Registration
from tests.plugins.big_kt.fake_register import FakeMeasure, FakeRegister

NUMBER = "19012345601"
TODAY = date(2025, 6, 15)


@pytest.fixture
def fake():
    with FakeRegister() as service:
        service.add_person(NUMBER, start=date(2021, 9, 1))
        yield service


@pytest.fixture
def client(fake):
    return BigRegisterClient(fake.url, timeout=0.3)


# ---------------------------------------------------------------- the request


def test_request_is_listhcpapprox4_with_registration_number(client, fake):
    client.lookup(NUMBER)
    ((action, body),) = fake.requests
    assert action == f'"{SOAP_ACTION}"'
    request = ET.fromstring(body).find(f"{{{SOAP_ENV_NS}}}Body/{{{CIBG_NS}}}listHcpApproxRequest")
    assert request.findtext(f"{{{CIBG_NS}}}RegistrationNumber") == NUMBER
    assert request.findtext(f"{{{CIBG_NS}}}WebSite") == "Ribiz"


def test_malformed_number_is_refused_before_any_request(client, fake):
    with pytest.raises(ValueError):
        client.lookup("1234<x/>")
    assert fake.requests == []


# ----------------------------------------------------------------- the answer


def test_lookup_returns_the_kt_registration_without_end_date(client):
    record = client.lookup(NUMBER)
    assert record == RegisterRecord(
        NUMBER, (ArticleRegistration(KT_PROFESSION_CODE, date(2021, 9, 1), None),), (), ()
    )


def test_lookup_reads_end_date_judgments_and_limitations(fake, client):
    fake.people.clear()
    fake.add_person(
        NUMBER, start=date(2021, 9, 1), end=date(2025, 3, 1),
        judgments=[FakeMeasure("Doorhaling", date(2025, 3, 1))],
        limitations=[FakeMeasure("Geen injecties", date(2024, 1, 1), date(2024, 12, 31))],
    )
    record = client.lookup(NUMBER)
    assert record.article_registrations[0].end == date(2025, 3, 1)
    assert record.judgment_provisions == (Measure("Doorhaling", date(2025, 3, 1), None),)
    assert record.limitations == (Measure("Geen injecties", date(2024, 1, 1), date(2024, 12, 31)),)


def test_registration_under_another_number_is_left_out(fake, client):
    person = fake.people[0]
    person.registrations.append(("01", "49012345601", date(2010, 1, 1), None))
    assert [a.profession_code for a in client.lookup(NUMBER).article_registrations] == ["82"]


def test_measures_on_another_registration_are_left_out(fake, client):
    person = fake.people[0]
    person.registrations.append(("01", "49012345601", date(2010, 1, 1), None))
    person.judgments.append(FakeMeasure("Schorsing", date(2025, 1, 1), number="49012345601"))
    person.limitations.append(FakeMeasure("Geen injecties", date(2025, 1, 1), number="49012345601"))
    record = client.lookup(NUMBER)
    assert (record.judgment_provisions, record.limitations) == ((), ())


def test_unknown_number_gives_none(client, fake):
    assert client.lookup("99999999999") is None
    assert len(fake.requests) == 1


# ---------------------------------------------------------------- misbehaviour


def test_timeout_is_unavailable_and_fast(fake, client):
    fake.mode = "timeout"
    started = time.monotonic()
    with pytest.raises(RegisterUnavailable, match="did not answer within 0.3 s"):
        client.lookup(NUMBER)
    assert time.monotonic() - started < 2


def test_connection_refused_is_unavailable():
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(RegisterUnavailable, match="unreachable"):
        BigRegisterClient(f"http://127.0.0.1:{port}/", timeout=0.3).lookup(NUMBER)


def test_http_500_is_unavailable(fake, client):
    fake.mode = "http500"
    with pytest.raises(RegisterUnavailable, match="HTTP 500"):
        client.lookup(NUMBER)


def test_empty_body_is_bad_answer(fake, client):
    fake.mode = "empty"
    with pytest.raises(RegisterBadAnswer, match="empty"):
        client.lookup(NUMBER)


def test_malformed_xml_is_bad_answer(fake, client):
    fake.mode = "malformed"
    with pytest.raises(RegisterBadAnswer, match="not well-formed"):
        client.lookup(NUMBER)


def test_soap_fault_is_bad_answer_with_its_reason(fake, client):
    fake.mode = "fault"
    with pytest.raises(RegisterBadAnswer, match="SOAP fault: Server was unable"):
        client.lookup(NUMBER)


@pytest.mark.parametrize("mode, error", [
    ("timeout", RegisterUnavailable), ("http500", RegisterUnavailable),
    ("empty", RegisterBadAnswer), ("malformed", RegisterBadAnswer), ("fault", RegisterBadAnswer),
])
def test_errors_share_one_family_and_hide_raw_exceptions(fake, client, mode, error):
    fake.mode = mode
    with pytest.raises(error) as caught:
        client.lookup(NUMBER)
    assert isinstance(caught.value, RegisterError)
    raw = caught.value.__cause__ or (
        None if caught.value.__suppress_context__ else caught.value.__context__)
    assert raw is None


def test_a_hanging_request_does_not_hold_up_the_next(fake, client):
    fake.mode = "timeout"
    with pytest.raises(RegisterUnavailable):
        client.lookup(NUMBER)
    fake.mode = "ok"
    assert client.lookup(NUMBER) is not None


def test_big_number_never_logged_nor_in_messages(fake, client, caplog):
    caplog.set_level(logging.DEBUG)
    for mode in ("timeout", "http500", "fault", "empty"):
        fake.mode = mode
        with pytest.raises(RegisterError) as caught:
            client.lookup(NUMBER)
        assert NUMBER not in str(caught.value)
    assert caplog.records and NUMBER not in caplog.text


# ---------------------------------------------------------------------- compare


def local(**changes) -> Registration:
    return replace(Registration(big_number=NUMBER, registered_on=date(2021, 9, 1)), **changes)


def remote(start=date(2021, 9, 1), end=None, judgments=(), limitations=(), code="82"):
    return RegisterRecord(NUMBER, (ArticleRegistration(code, start, end),),
                          tuple(judgments), tuple(limitations))


def test_same_entry_has_no_differences():
    assert compare(local(), remote(), TODAY) == []


def test_absent_from_register():
    assert compare(local(), None, TODAY) == [Difference("registration", "present", "absent")]


def test_registered_in_another_profession_only_is_absent():
    assert compare(local(), remote(code="01"), TODAY) == [
        Difference("registration", "present", "absent")]


def test_different_registration_date():
    assert compare(local(), remote(start=date(2021, 9, 2)), TODAY) == [
        Difference("registered_on", "2021-09-01", "2021-09-02")]


def test_registration_ended_in_register_but_active_locally():
    diffs = compare(local(), remote(end=TODAY.replace(day=14)), TODAY)
    assert Difference("active", "active", "ended 2025-06-14") in diffs


def test_registration_ending_today_is_still_active():
    assert compare(local(), remote(end=TODAY), TODAY) == []


def test_suspension_in_register_not_known_locally():
    diffs = compare(local(), remote(judgments=[Measure("Schorsing", date(2025, 1, 1), None)]), TODAY)
    assert diffs == [Difference("judgment_provisions", None, "Schorsing")]


def test_local_suspension_not_in_register():
    assert compare(local(status="suspended"), remote(), TODAY) == [
        Difference("judgment_provisions", "suspended", None)]


def test_past_judgment_provision_is_no_difference():
    old = Measure("Schorsing", date(2022, 1, 1), date(2022, 6, 30))
    assert compare(local(), remote(judgments=[old]), TODAY) == []


def test_limitation_in_register_not_known_locally():
    diffs = compare(local(), remote(limitations=[Measure("Geen injecties", date(2025, 1, 1), None)]),
                    TODAY)
    assert diffs == [Difference("limitations", None, "Geen injecties")]


def test_local_restriction_that_ended_yesterday_matches_register_without_limitation():
    reg = local(status="restricted", restriction="Geen injecties",
                restriction_until=date(2025, 6, 14))
    assert compare(reg, remote(), TODAY) == []


def test_matching_limitation_is_no_difference():
    reg = local(status="restricted", restriction="Geen injecties")
    assert compare(reg, remote(limitations=[Measure("Geen injecties", date(2025, 1, 1), None)]),
                   TODAY) == []


def test_registration_decided_before_1_july_2020_matches_either_date():
    # Besluit klinisch technoloog, art. 6: the entry took effect on 1 July 2020
    early = local(registered_on=date(2019, 11, 15))
    assert compare(early, remote(start=date(2020, 7, 1)), TODAY) == []
    assert compare(early, remote(start=date(2019, 11, 15)), TODAY) == []
    assert compare(early, remote(start=date(2020, 7, 2)), TODAY) == [
        Difference("registered_on", "2019-11-15", "2020-07-02")]
