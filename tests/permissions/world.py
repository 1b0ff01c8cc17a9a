"""The people and things of the permission table: two organisations, built once per test.

Ours has team A (the author's) and team B; the other organisation has team C. Every actor of
`table.ACTORS` is one user; every object of the table is one row (or one organisation).

Links across the two organisations arise when people move between them; the services never make
one, so the organisation check of a permission is the only thing that refuses them, and that is
exactly what the rows of the other organisation's users test:

- the author came to us from the other organisation: their old log, reflection and personal rhythm
  are filed there (`log:elsewhere`, ...), and `stranger_coach`'s coaching of them, recorded there,
  never ended;
- `stranger_lead` worked with us and moved to the other organisation: their lead role in team A,
  their coaching of the author (recorded here) and their place in our group session remain.

The model imports of this package live here, in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, update

from app.auth.models import SecondFactor, User
from app.clientvoice.models import ClientFeedbackRequest, ClientRating
from app.db import db, utcnow
from app.elements.models import Technique
from app.groups.models import GroupParticipant, GroupSession
from app.mail.models import OutboxEmail
from app.notifications.models import Notification
from app.organisations.models import Organisation
from app.practice.models import PracticeLog
from app.privacy.models import AccessLog
from app.prompts.models import Prompt, Schedule
from app.reflection.models import Reflection, ReflectionSettings, ReflectionShare
from app.retention.models import RetentionPeriod
from app.teams.models import CoachAssignment, Membership, OrganisationRole, Team
from tests import factories

__all__ = [
    "AccessLog", "ClientRating", "CoachAssignment", "ClientFeedbackRequest",
    "GroupParticipant", "GroupSession", "Membership", "OrganisationRole", "OutboxEmail",
    "PracticeLog", "Prompt", "Reflection", "ReflectionSettings", "ReflectionShare", "RetentionPeriod",
    "Schedule", "SecondFactor", "Team",
    "Technique", "User", "World", "build_world",
]

# The model of each object kind of the table ("log:shared" is a PracticeLog, ...).
MODELS: dict[str, type[Any]] = {
    "log": PracticeLog, "logs": User, "person": User, "reflection": Reflection, "prompt": Prompt,
    "schedule": Schedule, "team": Team, "group": GroupSession, "notification": Notification,
    "rating": ClientRating,
    "handover": ClientFeedbackRequest, "link": ClientFeedbackRequest,
}


@dataclass(frozen=True)
class World:
    users: dict[str, int]  # actor (and helper) name -> user id
    objects: dict[str, int]  # object name -> id ("org:ours" -> the organisation id)
    ids: dict[str, int]  # further rows the routes name: memberships, assignments, techniques

    def user(self, name: str) -> User:
        """The user, loaded in the current app context."""
        found = db.session.get(User, self.users[name])
        assert found is not None
        return found

    def load(self, name: str) -> Any:
        """The object, loaded in the current app context (None once deleted)."""
        kind = name.split(":")[0]
        return db.session.get(MODELS[kind], self.objects[name])

    @property
    def ours(self) -> int:
        return self.objects["org:ours"]

    @property
    def theirs(self) -> int:
        return self.ids["org:theirs"]


def _move(user: User, organisation: Any) -> None:
    """The user now belongs to `organisation`; what they had in the other one stays on file."""
    with factories.committed() as s:
        s.execute(update(User).where(User.id == user.id).values(organisation_id=organisation.id))
    user.organisation_id = organisation.id


def _end_membership(user: User, team: Team, ended_on: date) -> None:
    with factories.committed() as s:
        rows = select(Membership).where(Membership.user_id == user.id, Membership.team_id == team.id)
        for m in s.scalars(rows):
            m.ended_on = ended_on


def build_world() -> World:
    now = utcnow()
    ours = factories.organisation("Jeugdteam Test")
    theirs = factories.organisation("Andere Organisatie")
    team_a, team_b = factories.team(ours, "Team Oost"), factories.team(ours, "Team West")
    team_c = factories.team(theirs, "Team Centrum")

    # The author's past in the other organisation (see the module docstring).
    author = factories.user(theirs, "author@example.org")
    stranger_coach = factories.user(theirs, "coach@other.example.org")
    factories.coach_assignment(stranger_coach, author)
    log_elsewhere = factories.practice_log(author, note="Van mijn vorige werk.")
    reflection_elsewhere = factories.reflection(author, template_key="quick",
                                                answers={"went_well": "Van mijn vorige werk."})
    schedule_elsewhere = factories.schedule(owner=author, since=now)
    _move(author, ours)
    factories.membership(author, team_a)

    coach = factories.user(ours, "coach@example.org")
    factories.coach_assignment(coach, author)
    former_coach = factories.user(ours, "former.coach@example.org")
    ended = factories.coach_assignment(former_coach, author, started_at=now - timedelta(days=400))
    with factories.committed() as s:
        s.execute(update(CoachAssignment).where(CoachAssignment.id == ended.id)
                  .values(ended_at=now - timedelta(days=1)))
    # The leaver moved from team A to team B; other_coach coaches them (so guides team B only).
    leaver = factories.user(ours, "leaver@example.org", team=team_a, started_on=date(2024, 1, 1))
    _end_membership(leaver, team_a, date(2025, 6, 30))
    factories.membership(leaver, team_b, started_on=date(2025, 7, 1))
    other_coach = factories.user(ours, "other.coach@example.org")
    factories.coach_assignment(other_coach, leaver)
    lead = factories.user(ours, "lead@example.org", team=team_a, team_role="lead")
    other_lead = factories.user(ours, "other.lead@example.org", team=team_b, team_role="lead")
    former_lead = factories.user(ours, "former.lead@example.org", team=team_a, team_role="lead")
    _end_membership(former_lead, team_a, date(2025, 6, 30))
    admin = factories.user(ours, "admin@example.org", org_roles=["admin"])
    privacy_officer = factories.user(ours, "privacy@example.org", org_roles=["privacy_officer"])
    invited = factories.user(ours, "invited@example.org", password=None)
    stranger_admin = factories.user(theirs, "admin@other.example.org", org_roles=["admin"])
    stranger = factories.user(theirs, "practitioner@other.example.org", team=team_c)
    stranger_lead = factories.user(ours, "lead@other.example.org", team=team_a, team_role="lead")
    factories.coach_assignment(stranger_lead, author)

    log_shared = factories.practice_log(author, note="Gedeeld leerpunt.")
    log_private = factories.practice_log(author, private=True, note="Alleen voor mij.")
    reflection_shared = factories.reflection(author, template_key="quick",
                                             answers={"went_well": "Gedeeld met mijn coach."})
    factories.share(reflection_shared, coach)
    factories.share(reflection_shared, former_coach)  # shared while they coached; that has ended
    reflection_private = factories.reflection(author, template_key="quick",
                                              answers={"went_well": "Nog van mij."})
    reflection_withdrawn = factories.reflection(author, template_key="quick",
                                                answers={"went_well": "Teruggetrokken."})
    factories.share(reflection_withdrawn, coach, withdrawn_at=now)
    factories.share(reflection_withdrawn, former_coach)
    schedule_team = factories.schedule(team=team_a, since=now, created_by_id=lead.id)
    schedule_personal = factories.schedule(owner=author, since=now)
    prompt = factories.prompt(author, schedule_team, due_at=now - timedelta(hours=1))
    group_a = factories.group_session(team_a, coach, [author, leaver, stranger_lead],
                                      session_date=date(2025, 5, 1))
    factories.group_session(team_b, other_lead, [other_lead], session_date=date(2025, 5, 2))

    with factories.committed() as s:
        answers = {
            name: ClientRating(log_id=log.id, author_id=log.author_id, respondent=respondent, channel="link",
                               effort_understand=3, effort_listen=3, effort_include=3, shared=shared)
            for name, log, respondent, shared in (
                ("rating:shared", log_shared, "parent", True),
                ("rating:unshared", log_shared, "youth", False),
                ("rating:on_private_log", log_private, "together", True))
        }
        handover = ClientFeedbackRequest(log_id=log_shared.id, practitioner_id=author.id, channel="handover",
                                   created_at=now, expires_at=now + timedelta(hours=1))
        link = ClientFeedbackRequest(log_id=log_shared.id, practitioner_id=author.id, channel="link",
                               token_hash="0" * 64, created_at=now, expires_at=now + timedelta(days=7))
        s.add_all([*answers.values(), handover, link])

    _move(stranger_lead, theirs)
    factories.membership(stranger_lead, team_c, role="lead")

    # Whoever must sign in with a second factor has one (the sign-in helper types its code).
    for needs in (coach, other_coach, lead, other_lead, admin, privacy_officer, stranger_admin,
                  stranger_coach, stranger_lead, stranger):
        factories.second_factor(needs)
    with factories.committed() as s:
        s.execute(update(Organisation).where(Organisation.id == theirs.id).values(second_factor_for_all=True))
        s.add(RetentionPeriod(organisation_id=ours.id, kind="practice_log", months=30))  # ours stand out
        s.add(AccessLog(organisation_id=ours.id, actor_id=coach.id, actor_role="coach", action="read",
                        object_type="practice_log", object_id=log_shared.id, subject_id=author.id,
                        detail="in de wereld"))
        s.add(ReflectionSettings(organisation_id=ours.id, skj_target_hours=42))  # ours stand out
        membership = s.scalars(select(Membership).where(Membership.user_id == author.id,
                                                        Membership.team_id == team_a.id)).one()
        assignment = s.scalars(select(CoachAssignment).where(CoachAssignment.coach_id == coach.id)).one()
        notification = Notification(user_id=author.id, kind="coach_assigned", actor_id=admin.id,
                                    subject_id=author.id, created_at=utcnow())
        s.add(notification)
        s.flush()
        ids = {"org:theirs": theirs.id, "team:B": team_b.id, "membership:author": membership.id,
               "coaching:author": assignment.id}
    ids["technique"] = factories.technique(ours, "sdm_goals_asked").id

    users = {
        "author": author, "coach": coach, "other_coach": other_coach, "former_coach": former_coach,
        "leaver": leaver, "lead": lead, "other_lead": other_lead, "former_lead": former_lead,
        "admin": admin, "privacy_officer": privacy_officer, "stranger_admin": stranger_admin,
        "stranger_coach": stranger_coach, "stranger_lead": stranger_lead, "invited": invited,
        "stranger": stranger,
    }
    objects: dict[str, Any] = {
        "org:ours": ours, "log:shared": log_shared, "log:private": log_private,
        "log:elsewhere": log_elsewhere, "logs:author": author, "person:author": author, "person:admin": admin,
        "reflection:shared": reflection_shared, "reflection:private": reflection_private,
        "reflection:withdrawn": reflection_withdrawn, "reflection:elsewhere": reflection_elsewhere,
        "prompt:author": prompt, "schedule:team": schedule_team, "schedule:personal": schedule_personal,
        "schedule:elsewhere": schedule_elsewhere, "team:A": team_a, "group:A": group_a,
        "notification:author": notification,
        **answers, "handover:author": handover, "link:author": link,
    }
    return World({k: u.id for k, u in users.items()}, {k: o.id for k, o in objects.items()}, ids)
