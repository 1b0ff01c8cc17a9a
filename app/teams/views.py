"""Administration screens: teams, accounts, roles and coaching assignments of one organisation."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.auth import second_factor as factor
from app.auth.models import User
from app.clock import local_today
from app.db import db, utcnow
from app.forms import ConfirmForm, required
from app.remembered import remembered_html
from app.security import admin_required, can_appoint_as_coach, can_reset_second_factor
from app.teams import queries, services
from app.teams.forms import (
    ORG_ROLE_LABELS,
    TEAM_ROLE_LABELS,
    TeamForm,
    coachee_form,
    invite_form,
    membership_form,
    org_roles_form,
)
from app.teams.models import Team
from app.views import commit_or_refuse, page_number

bp = Blueprint("teams", __name__, url_prefix="/admin")


@bp.context_processor
def _role_labels() -> dict[str, object]:
    return {"role_labels": dict(TEAM_ROLE_LABELS + ORG_ROLE_LABELS)}


def _org() -> int:
    return int(current_user.organisation_id)


def _user_or_404(user_id: int) -> User:
    return queries.user_in_org(_org(), user_id) or abort(404)


@bp.get("/")
@admin_required
def index() -> ResponseReturnValue:
    return redirect(url_for("teams.users"))


@bp.route("/teams", methods=["GET", "POST"])
@admin_required
def teams() -> ResponseReturnValue:
    form = TeamForm()
    if form.validate_on_submit() and (done := commit_or_refuse(
        form, lambda: services.create_team(current_user, required(form.name.data)),
        lambda team: _("Team %(name)s is created.", name=team.name), url_for("teams.teams"),
    )):
        return done
    status = 400 if form.errors else 200
    teams = queries.teams_for(_org())
    return render_template("teams/teams.html", form=form, teams=teams, rows=_team_rows(teams)), status


def _team_rows(teams: list[tuple[Team, int]]) -> Markup:
    """The table's rows: they follow from each team's id, name and number of members, the language
    and the root URL alone, so they are rendered once for each (an organisation has dozens)."""
    return remembered_html("team_rows", tuple((team.id, team.name, n) for team, n in teams),
                           lambda: render_template("teams/_team_rows.html", teams=teams), limit=64)


@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
@admin_required
def team(team_id: int) -> ResponseReturnValue:
    team = queries.team_in_org(_org(), team_id) or abort(404)
    form = TeamForm(obj=team)
    if form.validate_on_submit() and (done := commit_or_refuse(
        form, lambda: services.rename_team(current_user, team, required(form.name.data)),
        _("The team is renamed."), url_for("teams.team", team_id=team.id),
    )):
        return done
    members = queries.team_members(team.id)
    status = 400 if form.errors else 200
    return render_template("teams/team.html", team=team, form=form, members=members), status


@bp.get("/users")
@admin_required
def users() -> ResponseReturnValue:
    search = request.args.get("q", "")[:100]
    page = queries.users_page(_org(), page_number(), search)
    roles = queries.roles_of_users([u.id for u in page.items])
    return render_template("teams/users.html", page=page, search=search, rows=_user_rows(page.items, roles))


def _user_rows(users: list[User], roles: dict[int, list[str]]) -> Markup:
    """The table's rows: they follow from each account's id, name, address, state and roles, the
    language and the root URL alone, so they are rendered once for each page of them."""
    key = tuple((u.id, u.display_name, u.email, u.active, u.invited, tuple(roles[u.id])) for u in users)
    return remembered_html("user_rows", key,
                           lambda: render_template("teams/_user_rows.html", users=users, roles=roles))


def _teams() -> list[Team]:
    return [team for team, _members in queries.teams_for(_org())]


@bp.route("/users/invite", methods=["GET", "POST"])
@admin_required
def invite() -> ResponseReturnValue:
    form = invite_form(_teams())
    if form.validate_on_submit():
        team = queries.team_in_org(_org(), form.team_id.data) if form.team_id.data else None
        if done := commit_or_refuse(
            form, lambda: services.invite_user(current_user, required(form.email.data),
                                               required(form.display_name.data), form.language.data,
                                               team, form.role.data, utcnow()),
            lambda user: _("An invitation is sent to %(email)s.", email=user.email),
            lambda user: url_for("teams.user", user_id=user.id),
        ):
            return done
    return render_template("teams/invite.html", form=form), 400 if form.errors else 200


def _user_forms(user: User) -> dict[str, object]:
    return {
        "roles_form": org_roles_form(queries.roles_of(user.id)),
        "membership_form": membership_form(_teams()),
        "coachee_form": coachee_form(queries.colleagues(_org(), exclude=user.id)),
    }


@bp.get("/users/<int:user_id>")
@admin_required
def user(user_id: int) -> ResponseReturnValue:
    shown = _user_or_404(user_id)
    services.record_account_read(current_user, shown)
    return _render_user(shown)


def _render_user(user: User, status: int = 200, **forms: object) -> ResponseReturnValue:
    as_coach, as_coachee = queries.coaching_of(user.id)
    context = {**_user_forms(user), **forms}
    return render_template(
        "teams/user.html", user=user, memberships=queries.memberships_of(user.id),
        as_coach=as_coach, as_coachee=as_coachee, may_add_coachee=can_appoint_as_coach(current_user, user),
        second_factor=factor.enrolment_of(user), may_reset=can_reset_second_factor(current_user, user),
        **context,
    ), status


def _section(user_id: int, section: str) -> str:
    """The account page at the section the admin acted in, with the message shown there."""
    return url_for("teams.user", user_id=user_id, at=section, _anchor=section)


def _back_to(user_id: int, section: str) -> ResponseReturnValue:
    return redirect(_section(user_id, section))


@bp.post("/users/<int:user_id>/roles")
@admin_required
def set_roles(user_id: int) -> ResponseReturnValue:
    user = _user_or_404(user_id)
    form = org_roles_form()
    if not form.validate_on_submit():
        return _render_user(user, 400, roles_form=form)
    return commit_or_refuse(
        form, lambda: services.set_organisation_roles(current_user, user, form.roles.data or []),
        _("The roles are saved."), _section(user.id, "roles"),
    ) or _render_user(user, 400, roles_form=form)


@bp.post("/users/<int:user_id>/memberships")
@admin_required
def add_membership(user_id: int) -> ResponseReturnValue:
    user = _user_or_404(user_id)
    form = membership_form(_teams())
    if not form.validate_on_submit():
        return _render_user(user, 400, membership_form=form)
    team = queries.team_in_org(_org(), form.team_id.data) or abort(404)
    return commit_or_refuse(
        form, lambda: services.add_membership(current_user, user, team, form.role.data, local_today()),
        _("%(name)s is added to %(team)s.", name=user.display_name, team=team.name),
        _section(user.id, "teams"),
    ) or _render_user(user, 400, membership_form=form)


@bp.post("/memberships/<int:membership_id>/end")
@admin_required
def end_membership(membership_id: int) -> ResponseReturnValue:
    membership = queries.membership_in_org(_org(), membership_id) or abort(404)
    services.end_membership(current_user, membership, local_today())
    db.session.commit()
    flash(_("The role in the team has ended."), "success")
    return _back_to(membership.user_id, "teams")


@bp.post("/users/<int:user_id>/coachees")
@admin_required
def add_coachee(user_id: int) -> ResponseReturnValue:
    coach = _user_or_404(user_id)
    form = coachee_form(queries.colleagues(_org(), exclude=coach.id))
    if not form.validate_on_submit():
        return _render_user(coach, 400, coachee_form=form)
    coachee = _user_or_404(form.coachee_id.data)
    names = {"coach": coach.display_name, "coachee": coachee.display_name}
    return commit_or_refuse(
        form, lambda: services.assign_coach(current_user, coach, coachee, utcnow()),
        _("%(coach)s now coaches %(coachee)s.", **names), _section(coach.id, "coaching"),
        field="coachee_id",  # the service names the coach; on this form the choice is the coachee
    ) or _render_user(coach, 400, coachee_form=form)


@bp.post("/coaching/<int:assignment_id>/end")
@admin_required
def end_coaching(assignment_id: int) -> ResponseReturnValue:
    assignment = queries.assignment_in_org(_org(), assignment_id) or abort(404)
    services.end_coach_assignment(current_user, assignment, utcnow())
    db.session.commit()
    flash(_("The coaching has ended."), "success")
    return _back_to(assignment.coach_id, "coaching")


@bp.post("/users/<int:user_id>/active")
@admin_required
def set_active(user_id: int) -> ResponseReturnValue:
    user = _user_or_404(user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    active = request.form.get("active") == "1"
    back = _section(user.id, "account")
    return commit_or_refuse(
        None, lambda: services.set_active(current_user, user, active, utcnow()),
        _("The account is active again.") if active else _("The account is deactivated."), back,
    ) or redirect(back)


@bp.post("/users/<int:user_id>/resend")
@admin_required
def resend_invitation(user_id: int) -> ResponseReturnValue:
    user = _user_or_404(user_id)
    back = _section(user.id, "account")
    return commit_or_refuse(
        None, lambda: services.resend_invitation(current_user, user, utcnow()),
        _("A new invitation is sent."), back,
    ) or redirect(back)


@bp.post("/users/<int:user_id>/second-factor/reset")
@admin_required
def reset_second_factor(user_id: int) -> ResponseReturnValue:
    """A lost phone: the person sets up a new second factor at their next sign-in. Logged."""
    user = _user_or_404(user_id)
    back = _section(user.id, "account")
    return commit_or_refuse(
        None, lambda: factor.reset(current_user, user, utcnow()),
        _("The second factor is reset. The person sets up a new one at the next sign-in."), back,
    ) or redirect(back)
