"""Plain functions that create domain objects for tests, each committed in its own context."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, TypeVar

from flask import Flask, current_app, has_app_context
from sqlalchemy.orm import Session

from app.auth.models import User, normalise_email
from app.auth.passwords import hash_password
from app.clock import local_date
from app.db import db, utcnow
from app.organisations.models import Organisation
from app.teams.models import CoachAssignment, Membership, OrganisationRole, Team

if TYPE_CHECKING:  # the factories below import these where they are used
    from app.elements.models import Technique
    from app.groups.models import GroupSession
    from app.practice.models import PracticeLog
    from app.prompts.models import Prompt, Schedule
    from app.reflection.models import Reflection, ReflectionPreference, ReflectionShare

PASSWORD = "correct horse battery staple"
_app: Flask | None = None
_hash_cache: dict[tuple[str, int, int], str] = {}


def use_app(app: Flask) -> None:
    global _app
    _app = app


M = TypeVar("M")


def get(session: Session, model: type[M], ident: int) -> M:
    """The row the test knows is there (a missing one fails the test here, not further on)."""
    found = session.get(model, ident)
    assert found is not None, f"{model.__name__} {ident} is not there"
    return found


@contextmanager
def committed() -> Iterator[Session]:
    """The current app context's session, or a new context's; commits at the end."""
    if has_app_context():
        yield db.session
        db.session.commit()
        return
    assert _app is not None, "the app fixture must run first"
    with _app.app_context():
        yield db.session
        db.session.commit()


def _hash(password: str) -> str:
    cfg = current_app.config
    key = (password, cfg["ARGON2_TIME_COST"], cfg["ARGON2_MEMORY_KIB"])
    if key not in _hash_cache:
        _hash_cache[key] = hash_password(password)
    return _hash_cache[key]


def organisation(name: str = "Jeugdteam Test", min_group_size: int = 5) -> Organisation:
    from app.elements.services import seed_catalogue

    with committed() as s:
        org = Organisation(name=name, min_group_size=min_group_size)
        s.add(org)
        s.flush()
        seed_catalogue(org)
    return org


def team(org: Organisation, name: str = "Team Oost") -> Team:
    with committed() as s:
        t = Team(organisation_id=org.id, name=name)
        s.add(t)
    return t


def user(
    org: Organisation,
    email: str,
    *,
    name: str | None = None,
    password: str | None = PASSWORD,
    team: Team | None = None,
    team_role: str = "practitioner",
    org_roles: Sequence[str] = (),
    language: str = "nl",
    active: bool = True,
    started_on: date | None = None,
) -> User:
    with committed() as s:
        u = User(
            organisation_id=org.id, email=email, email_normalized=normalise_email(email),
            display_name=name or email.split("@")[0].title(), language=language,
            password_hash=_hash(password) if password else None, active=active,
        )
        s.add(u)
        s.flush()
        for role in org_roles:
            s.add(OrganisationRole(user_id=u.id, role=role))
        if team is not None:
            s.add(Membership(user_id=u.id, team_id=team.id, role=team_role,
                             started_on=started_on or date(2024, 1, 1)))
    return u


def membership(u: User, t: Team, role: str = "practitioner", started_on: date | None = None) -> Membership:
    with committed() as s:
        m = Membership(user_id=u.id, team_id=t.id, role=role, started_on=started_on or date(2024, 1, 1))
        s.add(m)
    return m


def coach_assignment(coach: User, coachee: User, started_at: datetime | None = None) -> CoachAssignment:
    with committed() as s:
        a = CoachAssignment(organisation_id=coachee.organisation_id, coach_id=coach.id,
                            coachee_id=coachee.id, started_at=started_at or utcnow())
        s.add(a)
    return a


# --- catalogue and practice logs ----------------------------------------------------


def technique(org: Organisation, key: str) -> Technique:
    """The organisation's catalogue row for a technique key."""
    from sqlalchemy import select

    from app.elements.models import Technique

    with committed() as s:
        t = s.scalar(select(Technique).where(Technique.organisation_id == org.id, Technique.key == key))
        assert t is not None, f"no technique {key} in {org.name}"
    return t


def practice_log(
    author: User,
    *,
    session_date: date | None = None,
    ratings: dict[str, int] | None = None,
    techniques: Sequence[str] = ("sdm_goals_asked",),
    private: bool = False,
    note: str | None = None,
    setting: str = "home",
    participants: Sequence[str] = ("youth", "parent"),
    age_band: str = "12-18",
    phase: str = "working",
    duration_minutes: int | None = 60,
    now: datetime | None = None,
) -> PracticeLog:
    """A log by `author` through the real service; `ratings` maps element keys to 1-5.

    By default the log applies shared decision-making (rating 4) with one technique.
    """
    import uuid

    from sqlalchemy import select

    from app.elements.models import CoreElement, Technique
    from app.practice import services as practice_services
    from app.practice.models import PracticeLog

    with committed() as s:
        actor = s.get(User, author.id)
        elements = {e.key: e.id for e in s.scalars(select(CoreElement))}
        chosen = ratings or {"shared_decision_making": 4}
        ids = set(s.scalars(select(Technique.id).where(
            Technique.organisation_id == author.organisation_id, Technique.key.in_(list(techniques))
        )))
        data = practice_services.LogInput(
            session_date=session_date or local_date(now or utcnow()), setting=setting,
            participants=tuple(participants), age_band=age_band, phase=phase,
            ratings={elements[k]: v for k, v in chosen.items()}, technique_ids=frozenset(ids),
            duration_minutes=duration_minutes, note=note, private=private,
        )
        assert actor is not None
        log_id, _created = practice_services.create_log(actor, data, uuid.uuid4().hex, now or utcnow())
        log = s.get(PracticeLog, log_id)
        assert log is not None
    return log


# --- reflection --------------------------------------------------------------------


def element_ids() -> dict[str, int]:
    """Core element ids by key (the organisation fixture seeds them)."""
    from sqlalchemy import select

    from app.elements.models import CoreElement

    with committed() as s:
        return {e.key: e.id for e in s.scalars(select(CoreElement))}


def schedule(
    *,
    team: Team | None = None,
    owner: User | None = None,
    kind: str = "recurring",
    since: datetime,
    weekday: int | None = 4,
    at: time | None = None,
    interval_weeks: int | None = 1,
    **fields: Any,
) -> Schedule:
    """A prompt schedule of a team (or one person's own), active since `since`.

    Recurring and targeted schedules default to Fridays at 14:00 Amsterdam time, counted from
    the week of `since`.
    """
    from app.clock import local_date
    from app.prompts.models import Schedule

    if team is not None:
        org_id = team.organisation_id
    else:
        assert owner is not None, "a schedule is a team's or one person's own"
        org_id = owner.organisation_id
    weekly = kind in ("recurring", "targeted")
    with committed() as s:
        timing: dict[str, Any] = {}
        if weekly:
            timing = {"weekday": weekday, "local_time": at or time(14, 0),
                      "interval_weeks": interval_weeks, "anchor_date": local_date(since)}
        sch = Schedule(
            organisation_id=org_id, team_id=team.id if team else None, owner_id=owner.id if owner else None,
            kind=kind, active=True, active_since=since, created_at=since, **timing, **fields,
        )
        s.add(sch)
    return sch


def prompt(user: User, sch: Schedule, *, due_at: datetime, days: int = 7, key: str | None = None,
           **fields: Any) -> Prompt:
    """A prompt row made directly (for page tests that run on the real clock)."""
    from datetime import timedelta

    from app.prompts.models import Prompt

    with committed() as s:
        p = Prompt(schedule_id=sch.id, user_id=user.id, occurrence_key=key or due_at.isoformat(),
                   due_at=due_at, expires_at=due_at + timedelta(days=days), status="open",
                   created_at=due_at, **fields)
        s.add(p)
    return p


def reflection(
    author: User, *, template_key: str = "alact", answers: dict[str, str] | None = None,
    element_id: int | None = None, created_at: datetime | None = None, **fields: Any,
) -> Reflection:
    """A finished reflection of `author`."""
    from app.reflection.models import Reflection

    when = created_at or utcnow()
    with committed() as s:
        r = Reflection(organisation_id=author.organisation_id, author_id=author.id,
                       template_key=template_key, answers=answers or {"action": "Een moment onderzocht."},
                       element_id=element_id, created_at=when, updated_at=when, **fields)
        s.add(r)
    return r


def share(refl: Reflection, coach: User, withdrawn_at: datetime | None = None) -> ReflectionShare:
    from app.reflection.models import ReflectionShare

    with committed() as s:
        sh = ReflectionShare(reflection_id=refl.id, coach_id=coach.id, shared_at=utcnow(),
                             withdrawn_at=withdrawn_at)
        s.add(sh)
    return sh


def preference(
    user: User, email_mode: str = "instant", skj_cycle_start: date | None = None
) -> ReflectionPreference:
    from app.reflection.models import ReflectionPreference

    with committed() as s:
        pref = ReflectionPreference(user_id=user.id, email_mode=email_mode, skj_cycle_start=skj_cycle_start)
        s.add(pref)
    return pref


def group_session(team: Team, creator: User, participants: Sequence[User], *, session_date: date,
                  duration_minutes: int = 120, form: str = "peer_consultation",
                  facilitator_name: str | None = "Externe supervisor") -> GroupSession:
    """A recorded group reflection session with its participants (no notes yet)."""
    from app.groups.models import GroupParticipant, GroupSession

    with committed() as s:
        g = GroupSession(organisation_id=team.organisation_id, team_id=team.id, created_by_id=creator.id,
                         session_date=session_date, duration_minutes=duration_minutes, form=form,
                         facilitator_name=facilitator_name)
        g.participants = [GroupParticipant(user_id=u.id) for u in participants]
        s.add(g)
    return g


# --- the second factor ---------------------------------------------------------------


def code_now(secret: str, step: int | None = None) -> str:
    """The code an authenticator app with `secret` shows now (or in time step `step`)."""
    from app.auth.second_factor import code_at, step_of

    return code_at(secret, step if step is not None else step_of(utcnow()))


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - a test authenticator's key


def second_factor(u: User, secret: str = TOTP_SECRET) -> str:
    """Enrol `u` with an authenticator of `secret` (no recovery codes); returns the secret."""
    from app.auth.models import SecondFactor

    with committed() as s:
        s.merge(SecondFactor(user_id=u.id, secret=secret, enrolled_at=utcnow(), last_step=None))
    return secret


def current_code(u: User, *, waited: bool = False) -> str:
    """A code of `u`'s authenticator that the sign-in accepts now: of the earliest time step around
    now (one either side) that is later than the last one used, since a code works once. The
    previous step is skipped in the last seconds of a step (it may be gone by the time the server
    checks). When all three are used, wait for the next step, as a person would."""
    import time as clock

    from app.auth.models import SecondFactor
    from app.auth.second_factor import STEP_SECONDS

    with committed() as s:
        factor = s.get(SecondFactor, u.id)
        assert factor is not None, f"{u.email} has no second factor"
        secret, last = factor.secret, factor.last_step
    now = utcnow().timestamp()
    current = int(now) // STEP_SECONDS
    late = now % STEP_SECONDS > STEP_SECONDS - 5
    steps = [s for s in (current - 1, current, current + 1)
             if (last is None or s > last) and not (s == current - 1 and late)]
    if not steps:
        assert not waited, f"{u.email}: every code around now is used (is the clock frozen?)"
        clock.sleep(STEP_SECONDS - now % STEP_SECONDS + 0.2)
        return current_code(u, waited=True)
    return code_now(secret, steps[0])

