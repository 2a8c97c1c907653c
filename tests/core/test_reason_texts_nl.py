"""Every reason code of docs/reason-codes.md has its Dutch text: a Dutch page (and the API with
``Accept-Language: nl``) never shows a reason in English or as an internal code."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from core.contract import Decision, Reason
from core.reason_texts import decision_dict, dutch, text_for
from tests.core.test_reason_codes_doc import documented

CODES = [(source, code) for source, table in documented().items() for code in table]
# English words that are no Dutch words ("is", "was", "of" are both: not listed)
ENGLISH = re.compile(r"\b(the|not|has|and|before|after|requires?|holds|expired|with|without|this)\b")
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")


def test_the_doc_lists_the_codes_of_every_source():
    assert {source for source, _ in CODES} >= {"core", "leidraad", "vzi_mt", "big_kt"}
    assert len(CODES) > 35


@pytest.mark.parametrize("source, code", CODES, ids=[f"{s}.{c}" for s, c in CODES])
def test_every_documented_code_has_a_dutch_text(app, source, code):
    with app.test_request_context():
        text = text_for(source, code)
        assert text, f"{source}.{code} has no Dutch text (core.reason_texts or the plugin's bekwaam_reason_texts)"
        assert not ENGLISH.search(text.lower().replace("’", "'")), f"{source}.{code}: English in {text!r}"
        assert not SNAKE.search(text), f"{source}.{code}: an internal code in {text!r}"


def test_a_reasons_own_dutch_comes_first_and_the_english_is_never_shown_in_dutch(app):
    with app.test_request_context():
        own = Reason("core", "staff_left", "Left the hospital on 2026-01-31 (uit dienst).", False,
                     message_nl="Uit dienst sinds 31-01-2026.")
        assert dutch(own) == "Uit dienst sinds 31-01-2026."
        bare = Reason("vzi_mt", "vzi_level_too_low", "VZI: certified MT3 professional.", False)
        assert dutch(bare) == text_for("vzi_mt", "vzi_level_too_low") != bare.message
        # a plugin without Dutch texts (a hospital's own, writing Dutch already): its only message
        own_plugin = Reason("sterilisation", "registered", "Geregistreerd als sterilisatieassistent.", True)
        assert dutch(own_plugin) == "Geregistreerd als sterilisatieassistent."


def test_the_contract_keeps_its_four_keys_in_both_languages(app):
    reason = Reason("core", "staff_inactive", "This person is no longer active.", False,
                    message_nl="Deze persoon is niet meer actief.")
    with app.test_request_context():
        assert reason.as_dict() == {"source": "core", "code": "staff_inactive",
                                    "message": "This person is no longer active.", "ok": False}
        dutch_answer = decision_dict(Decision(1, [reason]), "nl")
        assert dutch_answer["reasons"][0]["message"] == "Deze persoon is niet meer actief."
        assert set(dutch_answer["reasons"][0]) == {"source", "code", "message", "ok"}
        assert decision_dict(Decision(1, [reason])) == Decision(1, [reason]).as_dict()
    # equal reasons stay equal whatever Dutch they carry (decisions compare by source, code, message, ok)
    assert reason == Reason("core", "staff_inactive", "This person is no longer active.", False)


def test_the_api_answers_in_dutch_when_asked_and_in_english_by_default(app, client, make):
    from core.extensions import db
    from core.tvb.models import Activity
    _user, headers = make.user("admin")
    person = make.staff(name="Piet", start_date=dt.date(2030, 1, 1))
    with app.app_context():
        activity = Activity(name="Gebruik", requirements={})
        db.session.add(activity)
        db.session.commit()
        activity_id = activity.id
    url = f"/api/v1/staff/{person.id}/can-perform?activity_id={activity_id}&on=2026-11-30"
    english = client.get(url, headers=headers).get_json()
    dutch_answer = client.get(url, headers={**headers, "Accept-Language": "nl"}).get_json()
    [english_reason] = [r for r in english["reasons"] if r["code"] == "not_yet_employed"]
    [dutch_reason] = [r for r in dutch_answer["reasons"] if r["code"] == "not_yet_employed"]
    assert "Not yet employed on 2026-11-30" in english_reason["message"]
    assert dutch_reason["message"] == "Op 30-11-2026 nog niet in dienst: begint op 01-01-2030."
    assert english["allowed"] is dutch_answer["allowed"] is False
    assert [r["code"] for r in english["reasons"]] == [r["code"] for r in dutch_answer["reasons"]]
