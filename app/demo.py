"""Demo organisation for `make run`: a few teams and one login per role. Safe to run again."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.auth import services as auth_services
from app.auth.models import SecondFactor, User, normalise_email
from app.auth.passwords import hash_password
from app.clock import local_date
from app.coaching.demo import seed_coaching_demo
from app.db import db
from app.demo_data import DEMO_TOTP_SECRET as DEMO_TOTP_SECRET  # the README names it here
from app.demo_data import months_before
from app.demo_feedback import Coaching, generate_feedback
from app.demo_logs import Practitioner, generate_logs
from app.elements.services import seed_catalogue
from app.groups.demo import seed_group_demo
from app.mail.services import external_url
from app.organisations.models import Organisation
from app.privacy.text import clean_text
from app.prompts.demo import seed_prompt_demo
from app.services import ServiceError
from app.teams.models import CoachAssignment, Membership, OrganisationRole, Team

DEMO_ORGANISATION = "Jeugdhulp Demo"
DEMO_PASSWORD = "demo-werkzaam-2026"  # noqa: S105 - printed for newcomers on purpose
DEMO_DOMAIN = "demo.werkzaam.nl"
# The second factor of the demo's coach, team lead, admin and privacy officer: add this key to any
# authenticator app, or let `flask --app run demo-code` print the current code.
DEMO_SECOND_FACTOR = ("admin", "privacy", "teamleider", "coach")

# (role shown in the README, e-mail local part, display name)
DEMO_LOGINS = [
    ("admin", "admin", "Anouk Beheer"),
    ("privacy_officer", "privacy", "Pieter Privacy"),
    ("lead", "teamleider", "Lotte Teamleider"),
    ("coach", "coach", "Karim Coach"),
    ("practitioner", "jeugdprofessional", "Sanne de Vries"),
]
TEAMS = ("Team Noord", "Team Zuid")
EXTRA_PRACTITIONERS = [
    "Daan Jansen", "Fatima el Amrani", "Joris Bakker", "Eva Visser", "Noah Smit", "Iris Mulder",
    "Bram de Boer", "Lina Peters", "Milan Hendriks", "Zoë Dekker", "Thijs van Dijk", "Yara Bos",
    "Sem Vos", "Julia Meijer", "Levi Kok",
]
# Coaches the practitioners the demo coach does not (no demo login of her own).
SECOND_COACH = "Mirjam de Wit"
# Small teams: ask clients for their rating in more sessions, so most weeks have enough answers.
CLIENT_FEEDBACK = (0.2, 0.4)


def _user(org: Organisation, local: str, name: str, password_hash: str) -> User:
    email = f"{local}@{DEMO_DOMAIN}"
    user = User(
        organisation_id=org.id, email=email, email_normalized=normalise_email(email),
        display_name=name, language="nl", password_hash=password_hash,
    )
    db.session.add(user)
    return user


def seed_demo(now: datetime) -> list[tuple[str, str]]:
    """Create the demo organisation unless it exists; returns (role, e-mail) per demo login."""
    logins = [(role, f"{local}@{DEMO_DOMAIN}") for role, local, _n in DEMO_LOGINS]
    existing = db.session.scalar(select(Organisation).where(Organisation.name == DEMO_ORGANISATION))
    if existing is not None:
        _enrol_demo_second_factors(existing, now)  # idempotent: demo databases made before 2FA
        seed_catalogue(existing)  # idempotent: updates a demo database made before the catalogue
        seed_group_demo(existing, TEAMS[0], now)  # idempotent as well
        seed_prompt_demo(existing, TEAMS[0], now)
        _seed_coaching(existing, now)
        return logins
    org = Organisation(name=DEMO_ORGANISATION)
    db.session.add(org)
    db.session.flush()
    seed_catalogue(org)
    teams = [Team(organisation_id=org.id, name=name) for name in TEAMS]
    db.session.add_all(teams)
    pw = hash_password(DEMO_PASSWORD)
    users = {role: _user(org, local, name, pw) for role, local, name in DEMO_LOGINS}
    extra = [
        _user(org, name.lower().replace(" ", ".").replace("ë", "e"), name, pw)
        for name in EXTRA_PRACTITIONERS
    ]
    mirjam = _user(org, SECOND_COACH.lower().replace(" ", "."), SECOND_COACH, pw)
    db.session.flush()
    today = local_date(now)
    start = today.replace(year=today.year - 1, day=1)
    coaching_since = now - timedelta(days=180)
    db.session.add_all(
        [
            OrganisationRole(user_id=users["admin"].id, role="admin"),
            OrganisationRole(user_id=users["privacy_officer"].id, role="privacy_officer"),
            Membership(user_id=users["lead"].id, team_id=teams[0].id, role="lead", started_on=start),
            Membership(user_id=users["lead"].id, team_id=teams[1].id, role="lead", started_on=start),
            Membership(user_id=users["practitioner"].id, team_id=teams[0].id, role="practitioner",
                       started_on=start),
            CoachAssignment(organisation_id=org.id, coach_id=users["coach"].id,
                            coachee_id=users["practitioner"].id, started_at=coaching_since),
        ]
    )
    for i, user in enumerate(extra):
        team = teams[0] if i < 7 else teams[1]
        db.session.add(Membership(user_id=user.id, team_id=team.id, role="practitioner", started_on=start))
        coach = users["coach"] if i % 3 == 0 else mirjam
        db.session.add(CoachAssignment(organisation_id=org.id, coach_id=coach.id, coachee_id=user.id,
                                       started_at=coaching_since))
    db.session.flush()
    _enrol_demo_second_factors(org, now)
    _generate_demo_logs(org, teams, now)
    seed_group_demo(org, TEAMS[0], now)
    seed_prompt_demo(org, TEAMS[0], now)
    _seed_coaching(org, now)
    _generate_demo_feedback(org, users["practitioner"].id, now)
    return logins


def _seed_coaching(org: Organisation, now: datetime) -> None:
    """The coach's queue and history: the demo practitioner and two other coachees ask for feedback."""
    others = tuple(f"{name.lower().replace(' ', '.')}@{DEMO_DOMAIN}" for name in EXTRA_PRACTITIONERS[0:4:3])
    seed_coaching_demo(org, f"coach@{DEMO_DOMAIN}", f"jeugdprofessional@{DEMO_DOMAIN}",
                       (others[0], others[1]), now)


def _enrol_demo_second_factors(org: Organisation, now: datetime) -> None:
    """The privileged demo accounts sign in with the documented demo key (unless they have one)."""
    emails = [f"{local}@{DEMO_DOMAIN}" for local in DEMO_SECOND_FACTOR]
    users = db.session.scalars(select(User).where(User.organisation_id == org.id, User.email.in_(emails)))
    for user in users:
        if db.session.get(SecondFactor, user.id) is None:
            db.session.add(SecondFactor(user_id=user.id, secret=DEMO_TOTP_SECRET, enrolled_at=now))
    db.session.flush()


def _generate_demo_logs(org: Organisation, teams: list[Team], now: datetime) -> int:
    """Six months of varied logs for every demo practitioner, so the pages have something real."""
    rows = db.session.execute(
        select(Membership.user_id, Membership.team_id).where(
            Membership.team_id.in_([t.id for t in teams]), Membership.role == "practitioner"
        ).order_by(Membership.user_id)
    )
    practitioners = [Practitioner(user_id, team_id, org.id) for user_id, team_id in rows]
    today = local_date(now)
    return generate_logs(db.session.connection(), practitioners, months_before(today, 6), today,
                         client_feedback=CLIENT_FEEDBACK)


def _generate_demo_feedback(org: Organisation, practitioner_id: int, now: datetime) -> int:
    """Months of answered feedback requests for every coachee; the demo practitioner's last three
    weeks are the coaching demo's own (app/coaching/demo.py)."""
    assignments = db.session.scalars(select(CoachAssignment).where(CoachAssignment.organisation_id == org.id))
    pairs = [Coaching(a.coach_id, a.coachee_id, org.id, a.started_at,
                      now - timedelta(days=22) if a.coachee_id == practitioner_id else now)
             for a in assignments]
    return generate_feedback(pairs, now)


def create_first_admin(organisation_name: str, email: str, name: str, now: datetime) -> tuple[User, str]:
    """Create (or find) an organisation and invite its first admin; returns the user and link.

    The caller checks the input first (FirstAdminForm); a name left empty or an e-mail address
    already in use in the organisation raises ServiceError. Flushes.
    """
    organisation_name = clean_text(organisation_name).strip()
    if not organisation_name:
        raise ServiceError(_("Fill in a name."), "organisation")
    if not clean_text(name).strip():
        raise ServiceError(_("Fill in a name."), "name")
    org = db.session.scalar(select(Organisation).where(Organisation.name == organisation_name))
    if org is None:
        org = Organisation(name=organisation_name)
        db.session.add(org)
        db.session.flush()
    seed_catalogue(org)
    user, raw = auth_services.create_invited_user(org, email, name, "nl", now)
    db.session.add(OrganisationRole(user_id=user.id, role="admin"))
    db.session.flush()
    return user, external_url("auth.accept_invitation", token=raw)
