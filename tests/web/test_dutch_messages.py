"""Dutch on the pages: every text of the pages has its Dutch, error pages and refusals are Dutch."""
from __future__ import annotations

import pathlib
import subprocess
import sys

from babel.messages.pofile import read_po
from werkzeug.exceptions import Forbidden, InternalServerError, NotFound

ROOT = pathlib.Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "core" / "translations" / "nl" / "LC_MESSAGES" / "messages.po"


def test_every_text_of_the_pages_has_its_dutch(tmp_path):
    """Extract as babel.cfg says (the core's and the plugins' pages): a msgid without Dutch fails."""
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
                    "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as extracted, CATALOGUE.open("rb") as catalogue:
        template, dutch = read_po(extracted), read_po(catalogue)
    assert len(template) > 300
    untranslated = []
    for message in template:
        if not message.id:
            continue
        found = dutch.get(message.id)
        texts = (found.string if isinstance(found.string, tuple) else (found.string,)) if found else ("",)
        if found is None or found.fuzzy or not all(texts):
            untranslated.append((message.id, message.locations[:1]))
    assert untranslated == [], f"without Dutch in {CATALOGUE.name}: {untranslated}"


def test_the_compiled_catalogue_is_up_to_date():
    mo = CATALOGUE.with_suffix(".mo")
    assert mo.stat().st_mtime >= CATALOGUE.stat().st_mtime - 1, "run: pybabel compile -d core/translations"


def _dutch_page(app, error):
    from flask import session

    from core.web.errors import html_error
    with app.test_request_context("/staff/1"):
        session["locale"] = "nl"
        app.preprocess_request()
        body, status = html_error(error)
        return body, status


def test_error_pages_speak_dutch_without_werkzeugs_english(app):
    for error, status, says in ((NotFound(), 404, "Niet gevonden"), (Forbidden(), 403, "Niet toegestaan"),
                                (InternalServerError(), 500, "Interne fout")):
        body, code = _dutch_page(app, error)
        assert code == status and says in body
        assert type(error).description not in body  # "The requested URL was not found on the server..."
        assert "The " not in body.split("<main", 1)[-1]


def test_an_unknown_page_is_a_dutch_404_for_a_dutch_user(app, web):
    client, _ = web("admin")
    with client.session_transaction() as session:
        session["locale"] = "nl"
    response = client.get("/staff/999999")
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and "Niet gevonden" in page and "not found" not in page.lower()


def test_a_refused_role_gets_a_dutch_403(app, web):
    client, _ = web("auditor")
    with client.session_transaction() as session:
        session["locale"] = "nl"
    response = client.post("/staff/1/cpd", data={})
    page = response.get_data(as_text=True)
    assert response.status_code == 403 and "Niet toegestaan" in page
    assert "may not" not in page and "Role" not in page


def test_a_domain_error_without_dutch_shows_no_english_on_a_dutch_page(app):
    from flask import session

    from core.errors import Invalid
    from core.web.errors import domain_error_page, error_text
    # a hospital's own plugin that gave no Dutch: the page says in Dutch that the field was refused
    error = Invalid({"reason": ["Give a reason the hospital's own rule wants."]})
    with app.test_request_context("/staff/1"):
        session["locale"] = "nl"
        body, status = domain_error_page(error)
        assert status == 422 and "Ongeldige invoer" in body and "Give a reason" not in body
        assert "niet geaccepteerd" in body
        assert "Give a reason" not in error_text(error) and error_text(error) == "Ongeldige invoer."
    with app.test_request_context("/staff/1"):
        session["locale"] = "en"
        assert "Give a reason" in error_text(error)


def test_a_field_message_with_its_dutch_shows_the_dutch_on_a_dutch_page(app):
    from flask import session

    from core.errors import FieldMessage, Invalid
    from core.web.errors import domain_error_page, error_text, field_errors
    error = Invalid({"valid_to": [FieldMessage("The last day cannot be before valid_from.",
                                               "De laatste dag kan niet vóór de eerste liggen.")],
                     "unmet": [{"code": "x", "message": "English item."}]},
                    errors_nl={"unmet": ["Nederlands item."]})
    with app.test_request_context("/staff/1"):
        session["locale"] = "nl"
        body, status = domain_error_page(error)
        assert "De laatste dag kan niet vóór de eerste liggen." in body and "Nederlands item." in body
        assert "niet geaccepteerd" not in body and "valid_from" not in body and "English item" not in body
        assert "De laatste dag kan niet vóór de eerste liggen." in error_text(error)
        assert field_errors(error)["valid_to"] == ["De laatste dag kan niet vóór de eerste liggen."]
    with app.test_request_context("/staff/1"):
        session["locale"] = "en"
        assert field_errors(error)["valid_to"] == ["The last day cannot be before valid_from."]
    assert error.errors["valid_to"] == ["The last day cannot be before valid_from."]  # the API's English
    import json
    assert json.dumps(error.errors["valid_to"]) == json.dumps(["The last day cannot be before valid_from."])


def test_a_form_shows_a_field_messages_own_dutch_with_its_values(app):
    """The write forms (core.web.writes) put a service's refusal beside its field: a message with a
    value in it (a date) is shown in its own Dutch, not as "niet geaccepteerd"."""
    import datetime as dt

    from flask import session

    from core.dates import dutch_day
    from core.errors import FieldMessage
    from core.web.writes import message
    left_on = dt.date(2026, 1, 31)
    refused = FieldMessage(f"Must be before the leaving date {left_on.isoformat()}.",
                           f"Moet vóór de datum van uitdiensttreding liggen ({dutch_day(left_on)}).")
    with app.test_request_context("/staff/1/edit"):
        session["locale"] = "nl"
        assert message(refused) == "Moet vóór de datum van uitdiensttreding liggen (31-01-2026)."
        assert message("Give a reason the hospital's own rule wants.") == "niet geaccepteerd"
    with app.test_request_context("/staff/1/edit"):
        session["locale"] = "en"
        assert message(refused) == "Must be before the leaving date 2026-01-31."
