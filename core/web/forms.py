import datetime as dt
from decimal import Decimal

from flask_babel import get_locale, gettext, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, DateField, EmailField, Field, HiddenField, PasswordField, SelectChoice, SelectField,
    SelectMultipleField, StringField, TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation, ValidationError
from wtforms.widgets import TextInput

from core.numbers import NumberError, parse_decimal
from core.schemas import FIRST_DAY, LAST_DAY


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


# --- the core's write forms: each calls the service the REST API calls (core/web/views/*_forms.py) ----

def optional_int(value):
    """A select's value as an id; the empty choice is None (the field's validators decide if that may be)."""
    if value in (None, "", "None"):
        return None
    return int(value)


def _labelled(codes) -> list[SelectChoice]:
    from core.web.context import LABELS
    return choices((code, LABELS.get(code, code)) for code in codes)


# Levensloop, Leidraad Medische Technologie 2026: the seven phases of a device type.
PHASES = {1: _l("Needs assessment"), 2: _l("Risk screening"), 3: _l("Procurement"), 4: _l("Implementation"),
          5: _l("Release"), 6: _l("Use and maintenance"), 7: _l("Decommissioning and disposal")}


def phase_choices(phases=PHASES) -> list[SelectChoice]:
    return choices((number, f"{number}. {PHASES[number]}") for number in phases)


class CompetenceFields(FlaskForm):
    """What one competence record says; the person comes from the page (or the session's list)."""

    # Chosen from suggestions as one types (a hospital has 3,000 types): the view fills the choices.
    device_type_id = SelectField(_l("Device type"), coerce=optional_int, validate_choice=False,
                                 validators=[InputRequired(message=_l("Choose a device type."))])
    role = SelectField(_l("Role"), validators=[InputRequired()])
    method = SelectField(_l("Method"), validators=[InputRequired()])
    obtained_on = DateField(_l("Obtained on"), validators=[InputRequired()])
    assessor_number = StringField(_l("Assessor (employee number)"), validators=[Optional(), Length(max=40)])
    expires_on = DateField(_l("Expires on"), validators=[Optional()])
    evidence = StringField(_l("Evidence"), validators=[Optional(), Length(max=200)])

    def __init__(self, *args, **kwargs):
        from core.competence.models import COMPETENCE_ROLES, METHODS
        super().__init__(*args, **kwargs)
        self.role.choices = _labelled(COMPETENCE_ROLES)
        self.method.choices = _labelled(METHODS)


class CompetenceForm(CompetenceFields):
    pass


class TrainingSessionForm(CompetenceFields):
    people = SelectMultipleField(_l("People"), validate_choice=False)
    numbers = TextAreaField(_l("Or paste employee numbers"), validators=[Optional(), Length(max=20000)])


class StaffForm(FlaskForm):
    employee_number = StringField(_l("Employee number"), validators=[InputRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    department_id = SelectField(_l("Department"), coerce=optional_int, validators=[Optional()])
    manager_number = StringField(_l("Manager (employee number)"), validators=[Optional(), Length(max=40)])
    employment_type = SelectField(_l("Employment"), validators=[InputRequired()])
    company = StringField(_l("Company"), validators=[Optional(), Length(max=200)])
    start_date = DateField(_l("Start date"), validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)

    def __init__(self, *args, **kwargs):
        from core.staff.models import EMPLOYMENT_TYPES
        super().__init__(*args, **kwargs)
        self.employment_type.choices = _labelled(EMPLOYMENT_TYPES)


class DeviceTypeForm(FlaskForm):
    manufacturer = StringField(_l("Manufacturer"), validators=[InputRequired(), Length(max=200)])
    model = StringField(_l("Model"), validators=[InputRequired(), Length(max=200)])
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    technology_group_id = SelectField(_l("Technology group"), coerce=optional_int, validators=[InputRequired()])
    mdr_class = SelectField(_l("MDR/IVDR class"), validators=[Optional()])
    # Only when a type is registered: a type already in use comes in phase 6 with its release date.
    lifecycle_phase = SelectField(_l("Lifecycle phase"), coerce=optional_int, validators=[Optional()])
    released_on = DateField(_l("Released on (a type already in use)"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        from core.devices.models import DEVICE_CLASSES
        super().__init__(*args, **kwargs)
        self.mdr_class.choices = choices([("", "–")] + [(c, c) for c in DEVICE_CLASSES])
        self.lifecycle_phase.choices = phase_choices()


class PhaseForm(FlaskForm):
    lifecycle_phase = SelectField(_l("New phase"), coerce=optional_int, validators=[InputRequired()])
    phase_since = DateField(_l("From"), validators=[Optional()])
    confirm = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lifecycle_phase.choices = phase_choices()


class RoleAssignForm(FlaskForm):
    role_id = SelectField(_l("Role"), coerce=optional_int, validators=[InputRequired()])
    valid_from = DateField(_l("From"), validators=[InputRequired()])
    valid_to = DateField(_l("Up to and including"), validators=[Optional()])


def role_form(form: RoleAssignForm | None = None) -> RoleAssignForm:
    """The assign form with the TVB roles to choose from."""
    from sqlalchemy import select

    from core.extensions import db
    from core.tvb.models import Role

    form = form or RoleAssignForm()
    form.role_id.choices = choices(db.session.execute(select(Role.id, Role.name).order_by(Role.name)).all())
    return form


class EndRoleForm(FlaskForm):
    valid_to = DateField(_l("Last day"), validators=[InputRequired()])
    confirm = HiddenField()


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


class DayField(DateField):
    """A day between 1950 and 2100 (the API's date bounds), its error in the page's language."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, render_kw={"min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat()},
                         **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(gettext("Enter a date such as 30-11-2026.")) from None

    def pre_validate(self, form):
        if self.data is not None and not FIRST_DAY <= self.data <= LAST_DAY:
            raise StopValidation(gettext("Enter a date between 01-01-1950 and 31-12-2100."))


class ListField(SelectField):
    """A choice from the list; another value is refused in the page's language."""

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(gettext("Choose a value from the list.")) from None
