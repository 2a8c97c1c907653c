from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional


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
