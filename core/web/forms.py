import datetime as dt
from decimal import Decimal

from flask_babel import get_locale, gettext, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, Field, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation
from wtforms.widgets import TextInput

from core.numbers import NumberError, parse_decimal


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms 3.3 wants them (tuples are deprecated)."""
    return [SelectChoice(value, label) for value, label in pairs]


class LoginForm(FlaskForm):
    # No Email() validator: it needs the email_validator package, and the lookup decides anyway.
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class AssignmentForm(FlaskForm):
    # The employee number, typed with suggestions: a select of every person is
    # unusable (and megabytes of HTML) in a hospital of 15,000.
    staff_number = StringField(_l("Person (employee number)"), validators=[InputRequired(), Length(max=40)])
    role_id = SelectField(_l("Role"), coerce=int, validators=[InputRequired()])
    valid_from = DateField(_l("From"), validators=[InputRequired()])
    valid_to = DateField(_l("Up to and including"), validators=[Optional()])


# --- numbers and dates as people type them ------------------------------------------------------


class LocaleDecimalField(Field):
    """A number typed as text: ``7,5`` and ``7.5`` alike (``core.numbers.parse_decimal``).

    Not ``<input type="number">``: a browser set to another language than the page
    may drop a comma it does not expect, and "7,5" arrives as "75". A text input with
    ``inputmode="decimal"`` gives the same keypad and sends what was typed; the
    server decides, and refuses what could mean two numbers.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, places: int | None = 2, **kwargs):
        render_kw = {"inputmode": "decimal", "autocomplete": "off", **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.places = places

    def process_formdata(self, valuelist):
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            value = parse_decimal(valuelist[0])
        except NumberError as exc:
            self.data = None
            raise ValueError(exc.text(_language())) from None
        if self.places is not None and value.as_tuple().exponent < -self.places:
            self.data = None
            raise ValueError(gettext("At most %(places)s decimals.", places=self.places))
        self.data = value

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]  # what was typed comes back as typed, with its error
        if self.data is None:
            return ""
        return format_number_input(self.data)


def format_number_input(value: Decimal) -> str:
    """A number as an input shows it: a decimal comma for a Dutch reader, no thousands separator."""
    text = format(value, "f")
    return text.replace(".", ",") if _language() == "nl" else text


def _language() -> str:
    locale = get_locale()
    return locale.language if locale else "nl"


class AtMost:
    """The value is at most ``maximum`` (``message`` names the limit in the reader's words)."""

    def __init__(self, maximum, message):
        self.maximum, self.message = maximum, message

    def __call__(self, form, field):
        if field.data is not None and field.data > self.maximum:
            raise StopValidation(str(self.message))


class MoreThan:
    def __init__(self, minimum, message):
        self.minimum, self.message = minimum, message

    def __call__(self, form, field):
        if field.data is not None and field.data <= self.minimum:
            raise StopValidation(str(self.message))


class NotInFuture:
    """A day that has happened: a date in the future is a typo (a CPD activity is registered afterwards)."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.data is not None and field.data > dt.date.today():
            raise StopValidation(str(self.message))
