"""Forms of the administration screens."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, Form, SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, Email, Length

from app.auth.forms import LANGUAGES
from app.auth.models import User
from app.forms import SelectChoice, choices
from app.teams.models import Team

TEAM_ROLE_LABELS = (("practitioner", _l("Practitioner")), ("lead", _l("Team lead")))
ORG_ROLE_LABELS = (("admin", _l("Administrator")), ("privacy_officer", _l("Privacy officer")))


class TeamForm(FlaskForm):
    name = StringField(
        _l("Team name"),
        validators=[DataRequired(message=_l("Fill in a name.")), Length(max=120)],
    )


def _email_field() -> EmailField:
    return EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(message=_l("Fill in an e-mail address.")),
            Email(message=_l("This is not a valid e-mail address."), check_deliverability=False),
            Length(max=254),
        ],
    )


def _name_field(label: str) -> StringField:
    return StringField(label, validators=[DataRequired(message=_l("Fill in a name.")), Length(max=120)])


class InviteForm(FlaskForm):
    email = _email_field()
    display_name = _name_field(_l("Name"))
    language = SelectField(_l("Language"), choices=choices(LANGUAGES), default="nl")
    team_id = SelectField(_l("Team (optional)"), coerce=int, default=0)
    role = SelectField(_l("Role in the team"), default="practitioner")


class MembershipForm(FlaskForm):
    team_id = SelectField(_l("Team"), coerce=int)
    role = SelectField(_l("Role"))


class OrgRolesForm(FlaskForm):
    roles = SelectMultipleField(
        _l("Roles of this person"),
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )


class CoacheeForm(FlaskForm):
    coachee_id = SelectField(_l("Colleague to coach"), coerce=int)


class FirstAdminForm(Form):
    """What `flask create-admin` is given, checked as the invitation form checks it (no browser, no CSRF)."""

    organisation = _name_field(_l("Organisation"))
    email = _email_field()
    name = _name_field(_l("Name"))


def _team_options(teams: Iterable[Team]) -> list[SelectChoice]:
    return choices((t.id, t.name) for t in teams)


def invite_form(teams: Iterable[Team]) -> InviteForm:
    form = InviteForm()
    form.team_id.choices = choices([(0, _l("No team"))]) + _team_options(teams)
    form.role.choices = choices(TEAM_ROLE_LABELS)
    return form


def membership_form(teams: Iterable[Team]) -> MembershipForm:
    form = MembershipForm(prefix="member")
    form.team_id.choices = _team_options(teams)
    form.role.choices = choices(TEAM_ROLE_LABELS)
    return form


def org_roles_form(current: list[str] | None = None) -> OrgRolesForm:
    """The roles form, showing `current` when given (else what was posted)."""
    form = OrgRolesForm(prefix="roles", data={"roles": current} if current is not None else None)
    form.roles.choices = choices(ORG_ROLE_LABELS)
    return form


def coachee_form(colleagues: Iterable[User]) -> CoacheeForm:
    form = CoacheeForm(prefix="coachee")
    form.coachee_id.choices = choices((u.id, u.display_name) for u in colleagues)
    return form
