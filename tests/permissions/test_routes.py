"""Every row of the permission table, through HTTP: what the page answers and what the database holds.

Allowed: the answer is 2xx/3xx and the effect is in the database (or, for a read, on the page).
Refused: the answer is the refusal (404 for an object, 403 for a page, 400 where a form offers only
what may be chosen) and NOTHING in the database changed. Each refused (object, action) runs every
refused actor against one world; each allowed row gets a world of its own.

A "page" names no object of ours (e.g. /admin/teams): another organisation's user who opens it
works in their own organisation, so for them the test checks that ours did not change.

URLs are written out, not built from endpoint names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.db import Base, db
from tests import factories
from tests.permissions.table import ACTORS, ALLOWED, NO_SECOND_FACTOR
from tests.permissions.world import (
    AccessLog,
    ClientFeedbackRequest,
    CoachAssignment,
    GroupSession,
    Membership,
    OrganisationRole,
    OutboxEmail,
    Reflection,
    ReflectionSettings,
    ReflectionShare,
    RetentionPeriod,
    Schedule,
    SecondFactor,
    Team,
    Technique,
    User,
    World,
)
from tests.practice.helpers import log_form

PREFIXES = ("roles", "member", "coachee")  # the admin user page has one form per prefix
GROUP_PARTICIPANTS = {"author", "leaver", "stranger_lead"}


@dataclass(frozen=True)
class Route:
    method: str
    url: str  # "{log:shared}" is that object's id, "{user:coach}" that user's (see `fill`)
    data: dict[str, Any] | Callable[[], dict[str, Any]] | None = None
    # For an allowed request: `effect` is what it leaves in the database (and was not there
    # before); `shows` is what its page holds (reads). Each gets the world and the actor.
    effect: Callable[[World, str], bool] | None = None
    shows: Callable[[World, str, Any], bool] | None = None
    refused: int = 404
    refused_by: Mapping[str, int] = field(default_factory=dict)  # where one actor's answer differs
    page: bool = False
    prepare: Callable[[World], None] | None = None
    # False: the actor signs in with the password alone (no code typed, nothing set up)
    second_factor: bool = True

    def refusal(self, actor: str) -> int:
        return self.refused_by.get(actor, self.refused)


def fill(value: Any, w: World) -> Any:
    """`value` with each "{name}" replaced by the id of that object, row or user of the world."""
    if isinstance(value, list):
        return [fill(v, w) for v in value]

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("user:"):
            return str(w.users[name.removeprefix("user:")])
        return str(w.objects[name] if name in w.objects else w.ids[name])

    return re.sub(r"\{([^}]+)\}", one, value)


def _text(*needles: str) -> Callable[[World, str, Any], bool]:
    return lambda w, actor, response: all(n in response.text for n in needles)


def _link(url: str) -> Callable[[World, str, Any], bool]:
    return lambda w, actor, response: f'{fill(url, w)}"' in response.text


def _gone(name: str) -> Callable[[World, str], bool]:
    return lambda w, actor: w.load(name) is None


def _has(name: str, attribute: str, value: Any) -> Callable[[World, str], bool]:
    return lambda w, actor: getattr(w.load(name), attribute) == value


def _set(name: str, attribute: str) -> Callable[[World, str], bool]:
    return lambda w, actor: getattr(w.load(name), attribute) is not None


def _count(model: Any, *where: Any) -> int:
    return len(db.session.scalars(select(model.id).where(*where)).all())


def _log_edit(private: bool) -> Callable[[], dict[str, Any]]:
    return lambda: log_form(note="Aangepast.", private="y" if private else None)


def _active_share(w: World, reflection: str, coach: str) -> bool:
    return _count(ReflectionShare, ReflectionShare.reflection_id == w.objects[reflection],
                  ReflectionShare.coach_id == w.users[coach], ReflectionShare.withdrawn_at.is_(None)) == 1


def _feedback_asked(log: str, channel: str) -> Callable[[World, str], bool]:
    # One request more than the world has (it holds a hand-over and a link of log:shared).
    def asked(w: World, _actor: str) -> bool:
        have = _count(ClientFeedbackRequest, ClientFeedbackRequest.log_id == w.objects[log],
                      ClientFeedbackRequest.channel == channel)
        return have > (1 if log == "log:shared" else 0)

    return asked


def _share_with(coach: str) -> Route:
    return Route(
        "POST", "/reflection/{reflection:private}/share", {"coach_id": f"{{user:{coach}}}"},
        effect=lambda w, actor: _active_share(w, "reflection:private", coach),
        # The form offers the author's running coaches only (without looking at their organisation).
        refused_by={} if coach == "stranger_lead" else {"author": 400},
    )


def _paused(name: str) -> Callable[[World], None]:
    def prepare(w: World) -> None:
        w.load(name).active = False
        db.session.commit()
    return prepare


def _schedule(name: str, action: str) -> Route:
    url = f"/reflection/schedules/{{{name}}}/{action}"
    if action == "pause":
        return Route("POST", url, effect=_has(name, "active", False))
    if action == "resume":
        return Route("POST", url, effect=_has(name, "active", True), prepare=_paused(name))
    return Route("POST", url, effect=_gone(name))


def _group_form(duration: int = 120) -> dict[str, Any]:
    return {"session_date": (date.today() - timedelta(days=1)).isoformat(),
            "duration_minutes": str(duration), "form": "peer_consultation",
            "participant_ids": ["{user:author}"], "facilitator_id": "{user:author}", "facilitator_name": ""}


def _admin(method: str, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Route:
    """An administration route: 403 for anyone but an admin, and 404 for another organisation's
    admin when it names one of our objects."""
    if not kwargs.get("page"):
        kwargs.setdefault("refused_by", {"stranger_admin": 404})
    return Route(method, url, data, refused=403, **kwargs)


def _technique(w: World) -> Technique:
    return db.session.get(Technique, w.ids["technique"])


def _noted(w: World, actor: str) -> bool:
    return any(p.user_id == w.users[actor] and p.learning_question == "Hoe begrens ik?"
               for p in w.load("group:A").participants)


def _coachee_list(w: World, actor: str, response: Any) -> bool:
    """The author is sent to their own list; the coach sees the shared log, not the private one."""
    if actor == "author":
        return response.headers.get("Location") == "/logs"
    shared, private = _link("/logs/{log:shared}"), _link("/logs/{log:private}")
    return shared(w, actor, response) and not private(w, actor, response)


def _group_page(w: World, actor: str, response: Any) -> bool:
    """Whoever reads it sees the session; only a participant gets the form for their own notes."""
    notes_form = 'name="learning_question"' in response.text
    return "Externe supervisor" in response.text and notes_form is (actor in GROUP_PARTICIPANTS)


def _enrol_author(w: World) -> None:
    factories.second_factor(w.user("author"))


def _no_factor(actor: str) -> Callable[[World, str], bool]:
    return lambda w, a: db.session.get(SecondFactor, w.users[actor]) is None


def _searched(w: World, actor: str, response: Any) -> bool:
    """The officer sees our log's row, and their own reading is logged."""
    logged = _count(AccessLog, AccessLog.actor_id == w.users[actor],
                    AccessLog.object_type.like("access_log%"))
    return "in de wereld" in response.text and logged == 1


# Signed in with the password alone, those who need a second factor get no further than its
# set-up (or, with one set up, than the sign-in): a redirect; the others get the page's refusal.
_PASSWORD_ONLY = {actor: 403 for actor in NO_SECOND_FACTOR}


ROUTES: dict[tuple[str, str], Route] = {
    # the second factor and the access log
    ("account:own", "use with a password alone"): Route(
        "GET", "/", shows=_text("Hallo "), refused=302, page=True, second_factor=False),
    ("person:author", "reset second factor"): _admin(
        "POST", "/admin/users/{user:author}/second-factor/reset", prepare=_enrol_author,
        effect=_no_factor("author")),
    ("person:admin", "reset second factor"): _admin(
        "POST", "/admin/users/{user:admin}/second-factor/reset", effect=_no_factor("admin")),
    ("access_log:ours", "read"): Route("GET", "/privacy/access-log", shows=_searched, refused=403, page=True),
    ("access_log:ours", "export"): Route("GET", "/privacy/access-log.csv", shows=_searched, refused=403,
                                         page=True),
    ("access_log:ours", "read without a second factor"): Route(
        "GET", "/privacy/access-log", refused=302, refused_by=_PASSWORD_ONLY, page=True, second_factor=False),
    # practice logs
    ("log:shared", "read"): Route("GET", "/logs/{log:shared}", shows=_text("Gedeeld leerpunt.")),
    ("log:shared", "edit"): Route("POST", "/logs/{log:shared}/edit", _log_edit(private=False),
                                  effect=_has("log:shared", "note", "Aangepast.")),
    ("log:shared", "delete"): Route("POST", "/logs/{log:shared}/delete", effect=_gone("log:shared")),
    ("log:shared", "make private"): Route("POST", "/logs/{log:shared}/private", {"private": "1"},
                                          effect=_has("log:shared", "private", True)),
    ("log:private", "read"): Route("GET", "/logs/{log:private}", shows=_text("Alleen voor mij.")),
    ("log:private", "edit"): Route("POST", "/logs/{log:private}/edit", _log_edit(private=True),
                                   effect=_has("log:private", "note", "Aangepast.")),
    ("log:private", "delete"): Route("POST", "/logs/{log:private}/delete", effect=_gone("log:private")),
    ("log:elsewhere", "read"): Route("GET", "/logs/{log:elsewhere}", shows=_text("Van mijn vorige werk.")),
    ("log:elsewhere", "edit"): Route("POST", "/logs/{log:elsewhere}/edit", _log_edit(private=False),
                                     effect=_has("log:elsewhere", "note", "Aangepast.")),
    ("logs:author", "read"): Route("GET", "/coaching/{user:author}/logs", shows=_coachee_list),
    # client voice
    **{(log, "ask client feedback by link"): Route(
        "POST", f"/logs/{{{log}}}/feedback/link", effect=_feedback_asked(log, "link"))
       for log in ("log:shared", "log:private", "log:elsewhere")},
    ("log:shared", "hand over for client feedback"): Route(
        "POST", "/logs/{log:shared}/feedback/handover", effect=_feedback_asked("log:shared", "handover")),
    ("rating:shared", "read"): Route("GET", "/logs/{log:shared}",
                                     shows=_text("Ingevuld door een ouder of opvoeder")),
    ("rating:on_private_log", "read"): Route("GET", "/logs/{log:private}", shows=_text("Samen ingevuld")),
    # reflections
    ("reflection:shared", "read"): Route("GET", "/reflection/{reflection:shared}",
                                         shows=_text("Gedeeld met mijn coach.")),
    ("reflection:shared", "edit"): Route(
        "POST", "/reflection/{reflection:shared}/edit", {"answer_went_well": "Nieuw inzicht."},
        effect=lambda w, a: w.load("reflection:shared").answers["went_well"] == "Nieuw inzicht."),
    ("reflection:shared", "delete"): Route("POST", "/reflection/{reflection:shared}/delete",
                                           effect=_gone("reflection:shared")),
    ("reflection:shared", "withdraw"): Route(
        "POST", "/reflection/{reflection:shared}/shares/{user:coach}/withdraw",
        effect=lambda w, a: not _active_share(w, "reflection:shared", "coach")),
    ("reflection:private", "read"): Route("GET", "/reflection/{reflection:private}",
                                          shows=_text("Nog van mij.")),
    **{("reflection:private", f"share with {c}"): _share_with(c)
       for c in ("coach", "other_coach", "former_coach", "stranger_lead")},
    ("reflection:withdrawn", "read"): Route("GET", "/reflection/{reflection:withdrawn}",
                                            shows=_text("Teruggetrokken.")),
    ("reflection:elsewhere", "read"): Route("GET", "/reflection/{reflection:elsewhere}",
                                            shows=_text("Van mijn vorige werk.")),
    ("reflection:elsewhere", "edit"): Route(
        "POST", "/reflection/{reflection:elsewhere}/edit", {"answer_went_well": "Nieuw inzicht."},
        effect=lambda w, a: w.load("reflection:elsewhere").answers["went_well"] == "Nieuw inzicht."),
    ("notification:author", "open"): Route("GET", "/notifications/{notification:author}",
                                           effect=_set("notification:author", "read_at")),
    # prompts
    ("prompt:author", "answer"): Route(
        "POST", "/reflection/prompts/{prompt:author}?template=quick",
        {"answer_went_well": "Een antwoord."},
        effect=lambda w, a: w.load("prompt:author").status == "answered"
        and _count(Reflection, Reflection.prompt_id == w.objects["prompt:author"]) == 1),
    ("prompt:author", "snooze"): Route("POST", "/reflection/prompts/{prompt:author}/snooze",
                                       {"until": "tomorrow"}, effect=_set("prompt:author", "snoozed_until")),
    ("prompt:author", "dismiss"): Route("POST", "/reflection/prompts/{prompt:author}/dismiss",
                                        effect=_has("prompt:author", "status", "dismissed")),
    # rhythms
    **{(name, action): _schedule(name, action)
       for name in ("schedule:team", "schedule:personal") for action in ("pause", "resume", "delete")},
    ("schedule:elsewhere", "pause"): _schedule("schedule:elsewhere", "pause"),
    ("team:A", "create schedule"): Route(
        "POST", "/reflection/schedules/new",
        {"owner": "team-{team:A}", "kind": "recurring", "template_key": "", "theme": "", "weekday": "4",
         "local_time": "14:00", "interval_weeks": "1"},
        effect=lambda w, a: _count(Schedule, Schedule.team_id == w.objects["team:A"]) == 2,
        refused=400,  # the form offers only the teams one may guide
    ),
    ("team:A", "record group session"): Route(
        "POST", "/reflection/groups/new?team={team:A}", _group_form(),
        effect=lambda w, a: _count(GroupSession, GroupSession.team_id == w.objects["team:A"]) == 2),
    # group sessions
    ("group:A", "read"): Route("GET", "/reflection/groups/{group:A}", shows=_group_page),
    ("group:A", "edit"): Route("POST", "/reflection/groups/{group:A}/edit", _group_form(duration=90),
                               effect=_has("group:A", "duration_minutes", 90)),
    ("group:A", "delete"): Route("POST", "/reflection/groups/{group:A}/delete", effect=_gone("group:A")),
    ("group:A", "write notes"): Route("POST", "/reflection/groups/{group:A}/notes",
                                      {"learning_question": "Hoe begrens ik?"}, effect=_noted),
    # the organisation
    ("org:ours", "view users"): _admin("GET", "/admin/users", page=True, shows=_text("author@example.org")),
    ("org:ours", "view a user"): _admin("GET", "/admin/users/{user:author}",
                                        shows=_text("author@example.org")),
    ("org:ours", "view teams"): _admin("GET", "/admin/teams", page=True,
                                       shows=_link("/admin/teams/{team:A}")),
    ("org:ours", "view a team"): _admin("GET", "/admin/teams/{team:A}", shows=_text("Team Oost")),
    ("org:ours", "view invite form"): _admin("GET", "/admin/users/invite", page=True,
                                             shows=_text("Team Oost")),
    ("org:ours", "create team"): _admin(
        "POST", "/admin/teams", {"name": "Team Zuid"}, page=True,
        effect=lambda w, a: _count(Team, Team.organisation_id == w.ours, Team.name == "Team Zuid") == 1),
    ("org:ours", "rename team"): _admin("POST", "/admin/teams/{team:A}", {"name": "Team Noord"},
                                        effect=_has("team:A", "name", "Team Noord")),
    ("org:ours", "invite"): _admin(
        "POST", "/admin/users/invite",
        {"email": "new@example.org", "display_name": "Nieuw", "language": "nl", "team_id": "0",
         "role": "practitioner"},
        page=True,
        effect=lambda w, a: _count(User, User.organisation_id == w.ours,
                                   User.email == "new@example.org") == 1),
    ("org:ours", "resend invitation"): _admin(
        "POST", "/admin/users/{user:invited}/resend",
        effect=lambda w, a: _count(OutboxEmail, OutboxEmail.recipient == "invited@example.org") == 1),
    ("org:ours", "deactivate user"): _admin("POST", "/admin/users/{user:author}/active", {"active": "0"},
                                            effect=lambda w, a: w.user("author").active is False),
    ("org:ours", "set roles"): _admin(
        "POST", "/admin/users/{user:author}/roles", {"roles-roles": "privacy_officer"},
        effect=lambda w, a: _count(OrganisationRole, OrganisationRole.user_id == w.users["author"]) == 1),
    ("org:ours", "add membership"): _admin(
        "POST", "/admin/users/{user:author}/memberships",
        {"member-team_id": "{team:B}", "member-role": "practitioner"},
        effect=lambda w, a: _count(Membership, Membership.user_id == w.users["author"],
                                   Membership.team_id == w.ids["team:B"],
                                   Membership.ended_on.is_(None)) == 1),
    ("org:ours", "end membership"): _admin(
        "POST", "/admin/memberships/{membership:author}/end",
        effect=lambda w, a: db.session.get(Membership, w.ids["membership:author"]).ended_on is not None),
    ("org:ours", "assign coach"): _admin(
        "POST", "/admin/users/{user:other_coach}/coachees", {"coachee-coachee_id": "{user:author}"},
        effect=lambda w, a: _count(CoachAssignment, CoachAssignment.coach_id == w.users["other_coach"],
                                   CoachAssignment.coachee_id == w.users["author"]) == 1),
    ("org:ours", "end coaching"): _admin(
        "POST", "/admin/coaching/{coaching:author}/end",
        effect=lambda w, a: db.session.get(CoachAssignment, w.ids["coaching:author"]).ended_at is not None),
    ("org:ours", "view settings"): _admin("GET", "/reflection/settings", page=True,
                                          shows=_text('value="42"')),
    ("org:ours", "change settings"): _admin(
        "POST", "/reflection/settings",
        {"skj_target_hours": "50", "skj_cycle_years": "5", "skj_min_session_minutes": "45",
         "prompt_expiry_days": "10"},
        page=True, effect=lambda w, a: db.session.get(ReflectionSettings, w.ours).skj_target_hours == 50),
    ("org:ours", "view privacy settings"): _admin("GET", "/admin/privacy", page=True,
                                                  shows=_text('value="30"')),
    ("org:ours", "change privacy settings"): _admin(
        "POST", "/admin/privacy",
        {"practice_log": "36", "client_voice": "24", "client_feedback_request": "24", "coach_feedback": "24",
         "observation": "24", "learning_goal": "24", "reflection_after_leaving": "3", "access_log": "60"},
        page=True,
        effect=lambda w, a: db.session.get(RetentionPeriod, (w.ours, "practice_log")).months == 36),
    ("org:ours", "view catalogue"): _admin("GET", "/admin/catalogue", page=True,
                                           shows=_link("/admin/catalogue/techniques/{technique}")),
    ("org:ours", "add technique"): _admin(
        "POST", "/admin/catalogue/problem_solving/new",
        {"label_nl": "Eigen techniek", "label_en": "Own technique"},
        page=True,
        effect=lambda w, a: _count(Technique, Technique.organisation_id == w.ours,
                                   Technique.label_nl == "Eigen techniek") == 1),
    ("org:ours", "edit technique"): _admin(
        "POST", "/admin/catalogue/techniques/{technique}",
        {"label_nl": "Nieuw label", "label_en": "New label"},
        effect=lambda w, a: _technique(w).label_nl == "Nieuw label"),
    ("org:ours", "retire technique"): _admin(
        "POST", "/admin/catalogue/techniques/{technique}/retire",
        effect=lambda w, a: _technique(w).retired_at is not None),
}

# Building blocks of the rules, asked of app/security.py only (test_predicates.py): no route.
PREDICATE_ONLY = {("person:author", "is coached by"), ("team:A", "is led by"),
                  ("team:A", "has a member coached by"),
                  # through the admin screen only an admin gets this far, and an admin making
                  # themselves a coach is refused there: tests/teams/test_self_coaching.py
                  ("person:admin", "may be made coach by"),
                  # the dashboards' pages ask these; who gets which page: tests/dashboards/test_pages.py
                  ("team:A", "view dashboard"), ("team:A", "set target"),
                  ("org:ours", "view organisation dashboard"),
                  # the author's log page shows it no more than anyone's: tests/clientvoice/test_privacy.py
                  ("rating:unshared", "read"),
                  # bound to the session that started it: tests/clientvoice/test_handover.py
                  ("handover:author", "answer in hand-over"),
                  ("handover:author", "answer from another session"), ("link:author", "answer in hand-over")}

REFUSED = [pytest.param(key, id=f"{key[0]}-{key[1].replace(' ', '_')}") for key in ROUTES]
GRANTED = [pytest.param(actor, key, id=f"{actor}-{key[0]}-{key[1].replace(' ', '_')}")
           for key in ROUTES for actor in ACTORS if actor in ALLOWED[key]]


def snapshot(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table."""
    with app.extensions["db"]["engine"].connect() as conn:
        return {t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
                for t in Base.metadata.sorted_tables}


def changed_tables(before: dict[str, list[Any]], after: dict[str, list[Any]]) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def signed_in(app: Flask, w: World, actor: str, second_factor: bool = True) -> Any:
    client = app.test_client()
    with app.app_context():
        user = w.user(actor)
    if second_factor:
        client.login_as(user)
    else:
        assert client.login(user.email).status_code == 302
    return client


def perform(client: Any, route: Route, w: World) -> Any:
    url = fill(route.url, w)
    if route.method == "GET":
        return client.get(url)
    data = route.data() if callable(route.data) else route.data or {}
    token = client.csrf_token()
    tokens = {"csrf_token": token, **{f"{p}-csrf_token": token for p in PREFIXES}}
    return client.post(url, data={**tokens, **{k: fill(v, w) for k, v in data.items()}})


def _prepare(app: Flask, route: Route, w: World) -> None:
    if route.prepare:
        with app.app_context():
            route.prepare(w)


def _ours(app: Flask, w: World, actor: str) -> bool:
    with app.app_context():
        return w.user(actor).organisation_id == w.ours


def test_every_rule_of_the_table_has_a_route():
    assert set(ALLOWED) - set(ROUTES) == PREDICATE_ONLY
    assert set(ROUTES) <= set(ALLOWED)


@pytest.mark.parametrize("key", REFUSED)
def test_refused(app, world, key):
    """Every actor the table refuses gets the refusal, and the database stays as it was."""
    route = ROUTES[key]
    _prepare(app, route, world)
    clients = {actor: signed_in(app, world, actor, route.second_factor)
               for actor in ACTORS if actor not in ALLOWED[key]}
    wrong = []
    before = snapshot(app)  # after signing in, which is logged
    for actor, client in clients.items():
        response = perform(client, route, world)
        after = snapshot(app)
        if route.page and not _ours(app, world, actor):
            with app.app_context():
                if route.effect and route.effect(world, actor):
                    wrong.append(f"{actor}: changed our organisation from theirs")
                if route.shows and route.shows(world, actor, response):
                    wrong.append(f"{actor}: was shown our organisation's page")
        else:
            if response.status_code != route.refusal(actor):
                wrong.append(f"{actor}: answered {response.status_code}, not {route.refusal(actor)}")
            if changes := changed_tables(before, after):
                wrong.append(f"{actor}: changed {', '.join(changes)}")
        before = after
    assert not wrong, f"{key[1]} {key[0]}:\n" + "\n".join(wrong)


@pytest.mark.parametrize(("actor", "key"), GRANTED)
def test_allowed(app, world, actor, key):
    """An actor the table allows gets through, and the effect is there."""
    route = ROUTES[key]
    _prepare(app, route, world)
    if route.effect:
        with app.app_context():
            assert not route.effect(world, actor), "the effect is there before the request"
    client = signed_in(app, world, actor, route.second_factor)
    response = perform(client, route, world)
    assert 200 <= response.status_code < 400, response.text[:500]
    with app.app_context():
        if route.effect:
            assert route.effect(world, actor), f"{actor} {key[1]} {key[0]}: no effect in the database"
        if route.shows:
            assert route.shows(world, actor, response), f"{actor} {key[1]} {key[0]}: not on the page"
