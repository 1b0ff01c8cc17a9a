"""Every row of the permission table, asked of app/security.py directly.

No view's lookup stands in front of the rule here, so a rule that stops checking the organisation,
an ended assignment or membership, or the owner fails its rows even where the page would still
answer 404. The world is built once: predicates only read.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app import security
from tests.permissions.table import ALLOWED, ROWS, Row
from tests.permissions.world import World

Ask = Callable[[Any, Any, World], bool]
CATALOGUE = {"view catalogue", "add technique", "edit technique", "retire technique"}


def _org(check: Callable[[Any, int], bool]) -> Ask:
    return lambda user, _obj, w: check(user, w.ours)


def _share_with(coach: str) -> Ask:
    return lambda user, obj, w: security.can_share_reflection_with(user, obj, w.user(coach))


# (object kind, action) -> how app/security.py is asked; `obj` is the object loaded from the world.
PREDICATES: dict[tuple[str, str], Ask] = {
    ("log", "read"): lambda user, obj, w: security.can_read_log(user, obj),
    **{("log", a): (lambda user, obj, w: security.can_change_log(user, obj))
       for a in ("edit", "delete", "make private")},
    ("logs", "read"): lambda user, obj, w: security.can_read_logs_of(user, obj),
    ("reflection", "read"): lambda user, obj, w: security.can_read_reflection(user, obj),
    **{("reflection", a): (lambda user, obj, w: security.can_change_reflection(user, obj))
       for a in ("edit", "delete", "withdraw")},
    **{("reflection", f"share with {c}"): _share_with(c)
       for c in ("coach", "other_coach", "former_coach", "stranger_lead")},
    ("notification", "open"): lambda user, obj, w: security.can_open_notification(user, obj),
    **{("prompt", a): (lambda user, obj, w: security.can_answer_prompt(user, obj))
       for a in ("answer", "snooze", "dismiss")},
    **{("schedule", a): (lambda user, obj, w: security.can_manage_schedule(user, obj))
       for a in ("pause", "resume", "delete")},
    **{("team", a): (lambda user, obj, w: security.can_guide_team(user, obj))
       for a in ("create schedule", "record group session")},
    ("team", "view dashboard"): lambda user, obj, w: security.can_view_team_dashboard(user, obj),
    ("team", "set target"): lambda user, obj, w: security.can_set_team_target(user, obj),
    ("group", "read"): lambda user, obj, w: security.can_read_group_session(user, obj),
    **{("group", a): (lambda user, obj, w: security.can_change_group_session(user, obj))
       for a in ("edit", "delete")},
    ("group", "write notes"): lambda user, obj, w: security.can_write_group_notes(user, obj),
    **{("org", a): _org(security.can_manage_catalogue if a in CATALOGUE else security.can_manage_organisation)
       for (o, a) in ALLOWED if o == "org:ours"},
    ("org", "view organisation dashboard"): _org(security.can_view_organisation_dashboard),
    **{("log", a): (lambda user, obj, w: security.can_ask_client_feedback(user, obj))
       for a in ("ask client feedback by link", "hand over for client feedback")},
    ("rating", "read"): lambda user, obj, w: security.can_read_client_rating(user, obj),
    # asked as from the session that started the hand-over (its id), or from another session
    **{(kind, "answer in hand-over"): (lambda user, obj, w: security.can_answer_handover(user, obj, obj.id))
       for kind in ("handover", "link")},
    ("handover", "answer from another session"):
        lambda user, obj, w: security.can_answer_handover(user, obj, None),
    ("person", "is coached by"): lambda user, obj, w: security.is_coach_of(user, obj.id),
    ("person", "may be made coach by"): lambda user, obj, w: security.can_appoint_as_coach(user, obj),
    ("team", "is led by"): lambda user, obj, w: security.leads_team(user, obj.id),
    ("team", "has a member coached by"): lambda user, obj, w: security.coaches_member_of(user, obj.id),
    ("account", "use with a password alone"): lambda user, obj, w: not security.needs_second_factor(user),
    ("person", "reset second factor"): lambda user, obj, w: security.can_reset_second_factor(user, obj),
    **{("access_log", a): (lambda user, obj, w: security.can_read_access_log(user, True))
       for a in ("read", "export")},
    ("access_log", "read without a second factor"):
        lambda user, obj, w: security.can_read_access_log(user, False),
}

# The tables that ask app/security.py directly (path under tests/, and the name it is imported as):
# this one, and the coaching table, which asks the coach's rules of feedback, observations and goals
# on a world of its own (tests/coaching/conftest.py). `make mutate` runs both.
PREDICATE_TABLES = {"permissions/test_predicates.py": "security", "coaching/test_permissions.py": "s"}

# Predicates asked only through the ones above (each row of those runs them too).
THROUGH = {
    "is_practitioner_of": "can_view_team_dashboard",
    "_log_request_open": "can_give_feedback_on_log",
    "is_admin": "can_manage_organisation",
    "same_organisation": "every can_* of an object",
    "_group_participant": "can_read_group_session, can_write_group_notes",
    "can_read_logs_of_all": "can_read_logs_of (one author), and test_batch_predicates.py",
    "_needs_second_factor_now": "needs_second_factor (its roles read along with the user), and "
                                "tests/auth/test_second_factor.py",
}
# Bool-valued, but about the sign-in (its second factor, its hand-over lock), not about access.
NOT_PERMISSIONS = {"_session_expired", "handover_locked", "signed_in_with_second_factor"}


def _ask(row: Row, w: World) -> bool:
    kind = row.object.split(":")[0]
    obj = None if kind in ("org", "account", "access_log") else w.load(row.object)
    return bool(PREDICATES[kind, row.action](w.user(row.actor), obj, w))


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_predicate(module_app, module_world, row):
    with module_app.app_context():
        assert _ask(row, module_world) is row.allowed, (
            f"{row.actor} {'may' if row.allowed else 'may not'} {row.action} {row.object}"
        )


def test_every_action_of_the_table_is_asked_of_a_predicate():
    assert {(o.split(":")[0], a) for o, a in ALLOWED} == set(PREDICATES)


def test_every_predicate_of_app_security_is_asked():
    predicates = {
        name for name, f in vars(security).items()
        if inspect.isfunction(f) and f.__module__ == security.__name__
        and inspect.signature(f).return_annotation in (bool, "bool")
    } - NOT_PERMISSIONS
    asked: set[str] = set()
    for path, module in PREDICATE_TABLES.items():
        tree = ast.parse((Path(__file__).parent.parent / path).read_text(encoding="utf-8"))
        asked |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
                  and isinstance(node.value, ast.Name) and node.value.id == module}
    assert predicates - asked == set(THROUGH)

