"""Organisation administration: teams, invitations, roles, memberships, coaching. Flush only.

Every change to a person's account, roles, teams or coaching is written to the access log.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import delete, select

from app.auth import services as auth_services
from app.auth.models import User
from app.clock import local_date
from app.db import db
from app.notifications.services import notify
from app.organisations.models import Organisation
from app.privacy.services import record_access, record_read
from app.privacy.text import clean_text
from app.security import can_appoint_as_coach, can_manage_organisation, require
from app.services import ServiceError
from app.teams.models import ORG_ROLES, TEAM_ROLES, CoachAssignment, Membership, OrganisationRole, Team


def _authorise(actor: User, organisation_id: int) -> None:
    require(can_manage_organisation(actor, organisation_id))


def _unique_team_name(organisation_id: int, name: str, exclude: int | None = None) -> str:
    name = clean_text(name).strip()
    clash = db.session.scalar(
        select(Team.id).where(Team.organisation_id == organisation_id, Team.name == name)
    )
    if clash is not None and clash != exclude:
        raise ServiceError(_("There is already a team with this name."), "name")
    return name


def create_team(actor: User, name: str) -> Team:
    """Create a team in the actor's organisation; flushes."""
    _authorise(actor, actor.organisation_id)
    team = Team(organisation_id=actor.organisation_id, name=_unique_team_name(actor.organisation_id, name))
    db.session.add(team)
    db.session.flush()
    return team


def rename_team(actor: User, team: Team, name: str) -> None:
    _authorise(actor, team.organisation_id)
    team.name = _unique_team_name(team.organisation_id, name, exclude=team.id)
    db.session.flush()


def invite_user(
    actor: User,
    email: str,
    display_name: str,
    language: str,
    team: Team | None,
    role: str | None,
    now: datetime,
) -> User:
    """Create an account in the actor's organisation, optionally in a team, and mail the link."""
    _authorise(actor, actor.organisation_id)
    if team is not None:
        _authorise(actor, team.organisation_id)
    organisation = db.session.get(Organisation, actor.organisation_id)
    assert organisation is not None
    user, _raw = auth_services.create_invited_user(organisation, email, display_name, language, now)
    record_access(actor, "admin", "invited", "user", user.id, subject_id=user.id, now=now)
    if team is not None and role:
        add_membership(actor, user, team, role, local_date(now))
    return user


def resend_invitation(actor: User, user: User, now: datetime) -> None:
    """Mail a new invitation link to someone who was invited and has not chosen a password; flushes."""
    _authorise(actor, user.organisation_id)
    if not user.active:
        raise ServiceError(_("The account is deactivated."))
    if not user.invited:
        raise ServiceError(_("This person has already chosen a password."))
    auth_services.send_invitation(user, now)
    record_access(actor, "admin", "invitation_resent", "user", user.id, subject_id=user.id, now=now)


def set_active(actor: User, user: User, active: bool, now: datetime) -> None:
    """Deactivate (sign out everywhere, no sign-in) or reactivate an account; logged; flushes.

    Deactivating starts the clock of what is kept after someone leaves (app/retention/kinds.py).
    """
    _authorise(actor, user.organisation_id)
    if user.id == actor.id and not active:
        raise ServiceError(_("You cannot deactivate your own account."))
    user.active = active
    user.deactivated_at = None if active else now
    user.rotate_session_token()
    record_access(actor, "admin", "activated" if active else "deactivated", "user", user.id,
                  subject_id=user.id, now=now)


def set_organisation_roles(actor: User, user: User, roles: Iterable[str]) -> None:
    """Replace the user's organisation roles; an admin cannot drop their own admin role."""
    _authorise(actor, user.organisation_id)
    wanted = set(roles)
    if not wanted <= set(ORG_ROLES):
        raise ServiceError(_("Unknown role."), "roles")
    if user.id == actor.id and "admin" not in wanted:
        raise ServiceError(_("You cannot take away your own admin role."), "roles")
    db.session.execute(delete(OrganisationRole).where(OrganisationRole.user_id == user.id))
    db.session.add_all(OrganisationRole(user_id=user.id, role=r) for r in sorted(wanted))
    record_access(actor, "admin", "roles_changed", "user", user.id, subject_id=user.id,
                  detail=",".join(sorted(wanted)) or "-")


def add_membership(actor: User, user: User, team: Team, role: str, today: date) -> Membership:
    """Give `user` a role in `team` from today; refuses a duplicate running membership."""
    _authorise(actor, team.organisation_id)
    require(user.organisation_id == team.organisation_id)
    if role not in TEAM_ROLES:
        raise ServiceError(_("Unknown role."), "role")
    running = db.session.scalar(
        select(Membership.id).where(
            Membership.user_id == user.id,
            Membership.team_id == team.id,
            Membership.role == role,
            Membership.ended_on.is_(None),
        )
    )
    if running is not None:
        raise ServiceError(_("This person already has this role in this team."), "role")
    membership = Membership(user_id=user.id, team_id=team.id, role=role, started_on=today)
    db.session.add(membership)
    db.session.flush()
    record_access(actor, "admin", "membership_added", "membership", membership.id, subject_id=user.id,
                  detail=f"team {team.id}: {role}")
    return membership


def end_membership(actor: User, membership: Membership, today: date) -> None:
    """End a membership today; the history stays for the team's metrics; flushes."""
    _authorise(actor, membership.team.organisation_id)
    membership.ended_on = today
    record_access(actor, "admin", "membership_ended", "membership", membership.id,
                  subject_id=membership.user_id, detail=f"team {membership.team_id}: {membership.role}")


def assign_coach(actor: User, coach: User, coachee: User, now: datetime) -> CoachAssignment:
    """Make `coach` the coach of `coachee` (same organisation, not oneself); the coachee is told
    (in the app, and by e-mail as they chose). Flushes.

    The actor is never the coach (`can_appoint_as_coach`): an admin cannot give themselves
    access to someone's logs. Raises ServiceError with a message for the form.
    """
    _authorise(actor, coachee.organisation_id)
    require(coach.organisation_id == coachee.organisation_id)
    if coach.id == coachee.id:
        raise ServiceError(_("Someone cannot be their own coach."), "coach")
    if not can_appoint_as_coach(actor, coach):
        raise ServiceError(
            _("You cannot make yourself a coach: a coach can read the coachee's logs. "
              "Ask another administrator to do this."), "coach")
    running = db.session.scalar(
        select(CoachAssignment.id).where(
            CoachAssignment.coach_id == coach.id,
            CoachAssignment.coachee_id == coachee.id,
            CoachAssignment.ended_at.is_(None),
        )
    )
    if running is not None:
        raise ServiceError(_("This coach is already assigned to this person."), "coach")
    assignment = CoachAssignment(
        organisation_id=coachee.organisation_id, coach_id=coach.id, coachee_id=coachee.id, started_at=now
    )
    db.session.add(assignment)
    db.session.flush()
    notify(coachee, "coach_assigned", now, subject_id=coachee.id, actor=coach)
    record_access(actor, "admin", "coaching_started", "coach_assignment", assignment.id,
                  subject_id=coachee.id, detail=f"coach {coach.id}", now=now)
    return assignment


def record_account_read(actor: User, user: User) -> None:
    """An admin opening a colleague's account page reads their data: recorded (not one's own)."""
    _authorise(actor, user.organisation_id)
    record_read(actor, "user", user.id, user.id, role="admin")


def end_coach_assignment(actor: User, assignment: CoachAssignment, now: datetime) -> None:
    """End a coaching assignment: the coach loses access at once; the coachee is told (and keeps
    the feedback and observations received). Ending it again changes nothing. Flushes."""
    _authorise(actor, assignment.organisation_id)
    if assignment.ended_at is not None and assignment.ended_at <= now:
        return
    assignment.ended_at = now
    db.session.flush()
    notify(assignment.coachee, "coach_ended", now, subject_id=assignment.coachee_id, actor=assignment.coach)
    record_access(actor, "admin", "coaching_ended", "coach_assignment", assignment.id,
                  subject_id=assignment.coachee_id, detail=f"coach {assignment.coach_id}", now=now)
