"""What the write forms share: the API's schema on the form's values, and refusals next to their fields.

A form's values go through the same marshmallow schema as the API's JSON body
(``load``) and then the same service (``core.crud.save`` with the API's
resource, or the feature's service); whatever either refuses is shown next to
the field it names, in the page's language (``put_errors``).
"""
from __future__ import annotations

from flask_babel import get_locale, gettext, lazy_gettext as _l
from marshmallow import ValidationError
from sqlalchemy import select

from core.errors import DomainError
from core.extensions import db
from core.staff.models import Staff


# What the services and the API's schemas say (in English) that a form can meet: marked here so
# that the catalogue holds their Dutch (``message`` looks each up by its English text).
SERVICE_MESSAGES = (
    _l("A person cannot assess their own competence."),
    _l("The expiry must be after the date the competence was obtained."),
    _l("Give either device_type_id or activity_id, not both or neither."),
    _l("No person with this employee number whose records you may change."),
    _l("This person is no longer active."),
    _l("Choose at least one person."),
    _l("Already in use."),
    _l("A person cannot be their own manager."),
    _l("This person already stands above that manager: the line of managers would go round."),
    _l("An external person needs the company they work for."),
    _l("A device type registered in phase 6 or 7 needs the date it was released."),
    _l("A type registered as already in use was released on or before today."),
    _l("Give it together with lifecycle_phase."),
    _l("The last day cannot be before valid_from."),
    _l("Not a valid email address."),
    _l("Missing data for required field."),
    _l("Must be between 1950-01-01 and 2100-12-31."),
)


def message(text) -> str:
    """A service's or schema's message (English, as the API says it) in the page's language.

    A service's message carries its own Dutch (``FieldMessage.nl``, with the values
    in it); a schema's fixed message is looked up in the catalogue; one with
    neither says "not accepted" on a Dutch page rather than English.
    """
    if _dutch() and getattr(text, "nl", None):
        return text.nl
    text = str(text)
    translated = gettext(text)
    if translated == text and _dutch():
        return gettext("not accepted")
    return translated


def _dutch() -> bool:
    locale = get_locale()
    return locale is None or locale.language == "nl"


def _flat(messages) -> list:
    if isinstance(messages, dict):
        return [m for inner in messages.values() for m in _flat(inner)]
    if isinstance(messages, (list, tuple)):
        return [m for inner in messages for m in _flat(inner)]
    return [messages]


def put_errors(form, errors: dict | None, fields: dict | None = None) -> list[str]:
    """Each refusal next to its field (``fields`` maps the API's field name to the form's);
    returns those that name no field of the form (the page shows them above it)."""
    rest = []
    for name, messages in (errors or {}).items():
        field = getattr(form, (fields or {}).get(name, name), None)
        texts = [message(m) for m in _flat(messages)]
        if field is None:
            rest.extend(texts)
        else:
            field.errors = list(field.errors) + texts
    return rest


def load(schema, payload: dict, form, fields: dict | None = None, **kwargs) -> tuple[dict | None, list[str]]:
    """``payload`` through the API's schema: the loaded data, or None and the errors put on the form."""
    try:
        return schema(**kwargs).load(payload), []
    except ValidationError as exc:
        return None, put_errors(form, exc.messages if isinstance(exc.messages, dict) else {"_": exc.messages},
                                fields)


def refused(form, error: DomainError, fields: dict | None = None) -> list[str]:
    """A service's refusal on the form: field errors beside their fields, the rest as sentences."""
    from core.web.errors import error_text

    rest = put_errors(form, error.errors, fields)
    if not error.errors:
        rest.append(error_text(error))
    return rest


def staff_by_number(number: str | None) -> Staff | None:
    """The person with this employee number (exact), or None."""
    if not number or not number.strip():
        return None
    return db.session.scalar(select(Staff).where(Staff.employee_number == number.strip()))
