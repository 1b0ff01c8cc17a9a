"""Permission predicates that answer for many objects in one query: the same answer as one by one."""

from __future__ import annotations

from app import security


def test_reading_many_logs_lists_needs_every_one_of_them(app, org, team, practitioner, coach):
    """A coach's overview of several coachees: allowed only when the coach may read each list."""
    from app.auth.models import User
    from app.db import db
    from tests import factories

    other = factories.user(org, "not-coached@example.org", team=team)
    with app.app_context():
        reader, author, stranger = (db.session.get(User, u.id) for u in (coach, practitioner, other))
        assert security.can_read_logs_of_all(reader, [author])
        assert security.can_read_logs_of_all(reader, [])
        assert not security.can_read_logs_of_all(reader, [author, stranger])
        assert security.can_read_logs_of_all(stranger, [stranger])


def test_a_users_ties_to_many_teams_are_each_teams_rules_one_by_one(module_app, module_world):
    """team_ties answers leads_team, is_practitioner_of and coaches_member_of for every team at
    once: for each actor and each team (ours, the other organisation's, one that does not exist)
    the same as asking one by one, whatever was asked before in the request. team_with_ties reads
    the same ties along with one team's row."""
    from flask import g
    from sqlalchemy import func, select

    from app.db import db
    from app.teams.models import Team

    w = module_world
    with module_app.app_context():
        team_ids = [w.objects["team:A"], w.ids["team:B"], *db.session.scalars(
            select(Team.id).where(Team.organisation_id == w.theirs)), int(db.session.scalar(
                select(func.max(Team.id))) or 0) + 1]
        seen = set()
        for actor in w.users:
            user = w.user(actor)
            one_by_one = {t: security.TeamTies(security.leads_team(user, t),
                                               security.is_practitioner_of(user, t),
                                               security.coaches_member_of(user, t)) for t in team_ids}
            g.pop("_team_ties", None)
            assert security.team_ties(user, team_ids) == one_by_one, actor
            assert security.team_ties(user, team_ids[:1]) == {team_ids[0]: one_by_one[team_ids[0]]}
            for team_id in team_ids:  # one team's row with its ties: the same ties, then kept
                g.pop("_team_ties", None)
                team = security.team_with_ties(user, team_id)
                assert (team.id if team else None) == (team_id if team_id != team_ids[-1] else None)
                assert g.get("_team_ties", {}).get((user.id, team_id), security.TeamTies()) \
                    == one_by_one[team_id], (actor, team_id)
            seen |= set(one_by_one.values())
        # the world has a lead, a practitioner and a coach of a member, and people with no tie
        assert {security.TeamTies(lead=True), security.TeamTies(practitioner=True),
                security.TeamTies(coach=True), security.TeamTies()} <= seen


def test_team_ties_read_the_organisation_roles_along(module_app, module_world):
    """After team_ties, is_admin needs no query of its own and gives the same answer."""
    from flask import g

    w = module_world
    for actor in ("admin", "lead", "privacy_officer"):
        with module_app.app_context():
            expected = security.org_roles(w.user(actor))
        with module_app.app_context():
            user = w.user(actor)
            security.team_ties(user, [w.objects["team:A"]])
            assert g._org_roles[user.id] == expected, actor


def test_a_dashboard_pages_team_comes_with_the_user_and_the_same_ties(module_app, module_world):
    """On a GET of a team dashboard, load_user reads the team of the URL and the user's ties to it
    in its own statement: team_with_ties then answers from them without a query, with the same
    team and the same ties as the rules asked one by one (ours, the other organisation's team, one
    that does not exist). Other pages read no team."""
    from flask import g
    from sqlalchemy import func, select

    from app.db import db
    from app.teams.models import Team
    from tests.test_statement_counts import counting

    w = module_world
    with module_app.app_context():
        missing = int(db.session.scalar(select(func.max(Team.id))) or 0) + 1
    team_ids = [w.objects["team:A"], w.ids["team:B"], missing]
    with counting(module_app) as statements:
        for actor in w.users:
            for team_id in team_ids:
                for path in (f"/dashboards/teams/{team_id}", f"/dashboards/teams/{team_id}/figures.json"):
                    with module_app.test_request_context(path):
                        user = w.user(actor)
                        if not user.is_active:  # not signed in: load_user reads nothing for them
                            continue
                        expected = security.TeamTies(security.leads_team(user, team_id),
                                                     security.is_practitioner_of(user, team_id),
                                                     security.coaches_member_of(user, team_id))
                        g.pop("_team_ties", None)
                        db.session.expunge_all()
                        statements.clear()
                        signed_in = security.load_user(f"{user.id}.{user.session_token}")
                        assert signed_in is not None and len(statements) == 1, (actor, path)
                        team = security.team_with_ties(signed_in, team_id)
                        assert len(statements) == 1, ("team_with_ties asked again", actor, path)
                        assert (team.id if team else None) == (team_id if team_id != missing else None)
                        assert g.get("_team_ties", {}).get((user.id, team_id), security.TeamTies()) \
                            == expected, (actor, path)
        with module_app.test_request_context("/reflection/"):
            user = w.user("lead")
            security.load_user(f"{user.id}.{user.session_token}")
            assert "_page_team" not in g and "_team_ties" not in g
