from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectChoice, DateField, DecimalField, EmailField, PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms 3.3 wants them (tuples are deprecated)."""
    return [SelectChoice(value, label) for value, label in pairs]


class LoginForm(FlaskForm):
    # No Email() validator: it needs the email_validator package, and the lookup decides anyway.
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class CpdForm(FlaskForm):
    date = DateField(_l("Date"), validators=[InputRequired()])
    hours = DecimalField(_l("Hours"), places=2, validators=[InputRequired(), NumberRange(min=0, max=999)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    technology_group_id = SelectField(_l("Technology group"), coerce=int, validators=[Optional()])
    certificate = FileField(_l("Certificate (PDF, PNG or JPEG)"), validators=[FileRequired()])


class ReviewForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=choices([("approved", _l("Approve")), ("rejected", _l("Reject"))]),
                          validators=[InputRequired()])
    reason = TextAreaField(_l("Reason (required when rejecting)"), validators=[Length(max=2000)])


LEVELS = [("low", _l("low")), ("medium", _l("medium")), ("high", _l("high"))]
LEVEL_CHOICES = choices(LEVELS)


class ScreeningForm(FlaskForm):
    screened_on = DateField(_l("Screening date"), validators=[Optional()])
    product_risk = SelectField(_l("Product risk"), choices=choices([("", _l("From the MDR/IVDR class"))] + LEVELS),
                               validators=[Optional()])
    usage_context = SelectField(_l("Usage context"), choices=LEVEL_CHOICES, validators=[InputRequired()])
    novelty = SelectField(_l("Novelty"), choices=LEVEL_CHOICES, validators=[InputRequired()])
    impact = SelectField(_l("Impact"), choices=LEVEL_CHOICES, validators=[InputRequired()])
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])


class AssignmentForm(FlaskForm):
    # The employee number, typed with suggestions: a select of every person is
    # unusable (and megabytes of HTML) in a hospital of 15,000.
    staff_number = StringField(_l("Person (employee number)"), validators=[InputRequired(), Length(max=40)])
    role_id = SelectField(_l("Role"), coerce=int, validators=[InputRequired()])
    valid_from = DateField(_l("From"), validators=[InputRequired()])
    valid_to = DateField(_l("Up to and including"), validators=[Optional()])
