"""Forms of the administration screens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, Email, Length

from app.auth.forms import LANGUAGE_CHOICES


def team_role_choices() -> list[tuple[str, str]]:
    return [("practitioner", str(_l("Practitioner"))), ("lead", str(_l("Team lead")))]


def org_role_choices() -> list[tuple[str, str]]:
    return [("admin", str(_l("Administrator"))), ("privacy_officer", str(_l("Privacy officer")))]


class TeamForm(FlaskForm):
    name = StringField(
        _l("Team name"),
        validators=[DataRequired(message=_l("Fill in a name.")), Length(max=120)],
    )


class InviteForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(message=_l("Fill in an e-mail address.")),
            Email(message=_l("This is not a valid e-mail address."), check_deliverability=False),
            Length(max=254),
        ],
    )
    display_name = StringField(
        _l("Name"), validators=[DataRequired(message=_l("Fill in a name.")), Length(max=120)]
    )
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="nl")
    team_id = SelectField(_l("Team (optional)"), coerce=int, default=0)
    role = SelectField(_l("Role in the team"), default="practitioner")


class MembershipForm(FlaskForm):
    team_id = SelectField(_l("Team"), coerce=int)
    role = SelectField(_l("Role"))


class OrgRolesForm(FlaskForm):
    roles = SelectMultipleField(
        _l("Organisation roles"),
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )


class CoacheeForm(FlaskForm):
    coachee_id = SelectField(_l("Coachee"), coerce=int)


class ConfirmForm(FlaskForm):
    """An empty form: a POST button with a CSRF token."""
