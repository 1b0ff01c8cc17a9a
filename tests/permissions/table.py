"""Who may do what: one table, actor × object × action → allowed, for every rule in app/security.py.

Plain data. `ALLOWED` names, per object and action, the actors who may; every other actor of
`ACTORS` may not, so each (object, action) is a full column of the matrix and `ROWS` spells it
out, row by row. The predicate tests call app/security.py with each row's actor and object
(tests/permissions/test_predicates.py); the route tests do the same through HTTP and check the
database (tests/permissions/test_routes.py). Rules: ../shared/domain/privacy.md.

The people and things are built in tests/permissions/world.py, which also tells how the other
organisation's users come to hold links into ours (so that their organisation check is tested).
"""

from __future__ import annotations

from typing import NamedTuple

ACTORS: dict[str, str] = {
    "author": "practitioner in team A; owns the logs, reflections, prompt and personal rhythm",
    "coach": "the author's coach (running assignment)",
    "other_coach": "coaches the leaver, who is now in team B; not the author",
    "former_coach": "coached the author; the assignment has ended (shares made then remain)",
    "leaver": "practitioner who left team A for team B; took part in team A's group session",
    "lead": "lead of team A",
    "other_lead": "lead of team B (took part in a team B group session)",
    "former_lead": "was lead of team A; that membership has ended",
    "admin": "functional administrator (admin) of our organisation",
    "privacy_officer": "privacy officer of our organisation",
    "stranger_admin": "admin of the other organisation",
    "stranger_coach": "coach in the other organisation (coached the author there)",
    "stranger_lead": "lead in the other organisation (led team A before moving there)",
    "stranger": "practitioner in the other organisation, which asks everyone for a second factor",
}

ADMIN = frozenset({"admin"})
NOBODY: frozenset[str] = frozenset()

# Who may use the app with a password alone: everyone else signs in with a second factor.
NO_SECOND_FACTOR = frozenset({"author", "leaver", "former_coach", "former_lead"})

# (object, action) -> the actors allowed.
ALLOWED: dict[tuple[str, str], frozenset[str]] = {
    # the second factor: coaches, leads, admins and privacy officers (and the other organisation,
    # which asks it of everyone) cannot do without; an admin resets a colleague's, not their own
    ("account:own", "use with a password alone"): NO_SECOND_FACTOR,
    ("person:author", "reset second factor"): ADMIN,
    ("person:admin", "reset second factor"): NOBODY,
    # the access log: the privacy officer, in a session opened with a second factor
    ("access_log:ours", "read"): frozenset({"privacy_officer"}),
    ("access_log:ours", "export"): frozenset({"privacy_officer"}),
    ("access_log:ours", "read without a second factor"): NOBODY,
    # practice logs: the author; the running coach reads what is not private
    ("log:shared", "read"): frozenset({"author", "coach"}),
    ("log:shared", "edit"): frozenset({"author"}),
    ("log:shared", "delete"): frozenset({"author"}),
    ("log:shared", "make private"): frozenset({"author"}),
    ("log:private", "read"): frozenset({"author"}),
    ("log:private", "edit"): frozenset({"author"}),
    ("log:private", "delete"): frozenset({"author"}),
    # the author's log from their time in the other organisation, where stranger_coach coaches them
    ("log:elsewhere", "read"): frozenset({"stranger_coach"}),
    ("log:elsewhere", "edit"): NOBODY,
    ("logs:author", "read"): frozenset({"author", "coach"}),  # the list of someone's logs
    # client voice: only the author asks the young person or parent; a shared answer is read with
    # its log, an unshared one by nobody; a hand-over is answered in its author's own session
    ("log:shared", "ask client feedback by link"): frozenset({"author"}),
    ("log:private", "ask client feedback by link"): frozenset({"author"}),
    ("log:elsewhere", "ask client feedback by link"): NOBODY,
    ("log:shared", "hand over for client feedback"): frozenset({"author"}),
    ("rating:shared", "read"): frozenset({"author", "coach"}),
    ("rating:on_private_log", "read"): frozenset({"author"}),
    ("rating:unshared", "read"): NOBODY,
    ("handover:author", "answer in hand-over"): frozenset({"author"}),
    ("handover:author", "answer from another session"): NOBODY,
    ("link:author", "answer in hand-over"): NOBODY,  # a link is answered through its own page
    # reflections: the author; a running coach reads what is shared with them, until withdrawn
    ("reflection:shared", "read"): frozenset({"author", "coach"}),
    ("reflection:shared", "edit"): frozenset({"author"}),
    ("reflection:shared", "delete"): frozenset({"author"}),
    ("reflection:shared", "withdraw"): frozenset({"author"}),  # the coach's share
    ("reflection:private", "read"): frozenset({"author"}),
    ("reflection:private", "share with coach"): frozenset({"author"}),
    ("reflection:private", "share with other_coach"): NOBODY,
    ("reflection:private", "share with former_coach"): NOBODY,
    ("reflection:private", "share with stranger_lead"): NOBODY,
    ("reflection:withdrawn", "read"): frozenset({"author"}),
    ("reflection:elsewhere", "read"): NOBODY,
    ("reflection:elsewhere", "edit"): NOBODY,
    # a notification is for its one recipient
    ("notification:author", "open"): frozenset({"author"}),
    # a prompt is for its one recipient
    ("prompt:author", "answer"): frozenset({"author"}),
    ("prompt:author", "snooze"): frozenset({"author"}),
    ("prompt:author", "dismiss"): frozenset({"author"}),
    # rhythms: a team's by its lead and the coaches of its members; a personal one by its owner
    ("schedule:team", "pause"): frozenset({"lead", "coach"}),
    ("schedule:team", "resume"): frozenset({"lead", "coach"}),
    ("schedule:team", "delete"): frozenset({"lead", "coach"}),
    ("schedule:personal", "pause"): frozenset({"author"}),
    ("schedule:personal", "resume"): frozenset({"author"}),
    ("schedule:personal", "delete"): frozenset({"author"}),
    ("schedule:elsewhere", "pause"): NOBODY,
    ("team:A", "create schedule"): frozenset({"lead", "coach"}),
    ("team:A", "record group session"): frozenset({"lead", "coach"}),
    # a team's dashboard (aggregates only): its lead, coaches of its members, its own
    # practitioners and the admins; the adoption target by its lead or an admin
    ("team:A", "view dashboard"): frozenset({"lead", "coach", "author", "admin"}),
    ("team:A", "set target"): frozenset({"lead", "admin"}),
    # group sessions (recorded by the coach): participants, the recorder and the team's lead read;
    # the recorder and the lead correct or delete; each participant writes their own notes
    ("group:A", "read"): frozenset({"author", "leaver", "coach", "lead"}),
    ("group:A", "edit"): frozenset({"coach", "lead"}),
    ("group:A", "delete"): frozenset({"coach", "lead"}),
    ("group:A", "write notes"): frozenset({"author", "leaver"}),
    # the organisation: users, teams, roles, coaching, catalogue and settings, by its admins
    ("org:ours", "view users"): ADMIN,
    ("org:ours", "view a user"): ADMIN,
    ("org:ours", "view teams"): ADMIN,
    ("org:ours", "view a team"): ADMIN,
    ("org:ours", "view invite form"): ADMIN,
    ("org:ours", "create team"): ADMIN,
    ("org:ours", "rename team"): ADMIN,
    ("org:ours", "invite"): ADMIN,
    ("org:ours", "resend invitation"): ADMIN,
    ("org:ours", "deactivate user"): ADMIN,
    ("org:ours", "set roles"): ADMIN,
    ("org:ours", "add membership"): ADMIN,
    ("org:ours", "end membership"): ADMIN,
    ("org:ours", "assign coach"): ADMIN,
    # nobody makes themselves a coach (that would give them the coachee's logs); anyone else may
    # be the one who appoints, as far as this rule goes: who manages the organisation is asked above
    ("person:admin", "may be made coach by"): frozenset(ACTORS) - {"admin"},
    ("org:ours", "end coaching"): ADMIN,
    ("org:ours", "view settings"): ADMIN,
    ("org:ours", "view organisation dashboard"): ADMIN,
    ("org:ours", "change settings"): ADMIN,
    ("org:ours", "view privacy settings"): ADMIN,
    ("org:ours", "change privacy settings"): ADMIN,
    ("org:ours", "view catalogue"): ADMIN,
    ("org:ours", "add technique"): ADMIN,
    ("org:ours", "edit technique"): ADMIN,
    ("org:ours", "retire technique"): ADMIN,
    # Building blocks, not permissions: what the records say. They do not look at the object's
    # organisation (the permissions above do), so the other organisation's links show up here.
    ("person:author", "is coached by"): frozenset({"coach", "stranger_coach"}),
    ("team:A", "is led by"): frozenset({"lead", "stranger_lead"}),
    ("team:A", "has a member coached by"): frozenset({"coach", "stranger_coach"}),
}


class Row(NamedTuple):
    actor: str
    object: str
    action: str
    allowed: bool

    @property
    def id(self) -> str:
        return f"{self.actor}-{self.object}-{self.action.replace(' ', '_')}"


ROWS: list[Row] = [
    Row(actor, obj, action, actor in allowed)
    for (obj, action), allowed in ALLOWED.items()
    for actor in ACTORS
]
