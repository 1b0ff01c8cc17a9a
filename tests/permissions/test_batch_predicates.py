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
