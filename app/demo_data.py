"""Demo organisations at any scale: teams, practitioners, coaches, leads and months of logs."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import insert, select

from app.auth.models import SecondFactor, User, new_session_token
from app.auth.passwords import hash_password
from app.clock import local_date
from app.db import db
from app.demo_logs import Practitioner, generate_logs
from app.elements.services import seed_catalogue
from app.organisations.models import Organisation
from app.teams.models import CoachAssignment, Membership, OrganisationRole, Team

# The demo's documented second-factor key: privileged demo and benchmark accounts use it.
DEMO_TOTP_SECRET = "WERKZAAMDEMOWERKZAAMDEMOWERKZAAM"  # noqa: S105 - printed for newcomers on purpose


def months_before(day: date, months: int) -> date:
    """The first of the month `months` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def build_organisation(
    name: str, teams: int, practitioners_per_team: int, months: int, password: str, now: datetime,
    seed: int = 7,
) -> dict[str, int]:
    """Create an organisation of `teams` × `practitioners_per_team` with `months` of logs.

    Every team has a lead; every five practitioners share a coach; one admin. All accounts get
    `password`; leads, coaches and the admin (who must use a second factor) are enrolled with the
    demo key DEMO_TOTP_SECRET. Returns counts. Flushes; the caller commits.
    """
    if db.session.scalar(select(Organisation.id).where(Organisation.name == name)):
        raise ValueError(f"organisation {name!r} exists already")
    org = Organisation(name=name)
    db.session.add(org)
    db.session.flush()
    seed_catalogue(org)
    slug = "".join(c for c in name.lower() if c.isalnum())[:20] or "org"
    pw = hash_password(password)
    today = local_date(now)
    start = months_before(today, months)
    conn = db.session.connection()

    def users(prefix: str, count: int) -> list[int]:
        rows = [
            {"organisation_id": org.id, "email": f"{prefix}{i}@{slug}.example",
             "email_normalized": f"{prefix}{i}@{slug}.example",
             "display_name": f"{prefix.title()} {i}",
             "language": "nl", "password_hash": pw, "active": True, "session_token": new_session_token(),
             "created_at": now}
            for i in range(1, count + 1)
        ]
        return list(conn.execute(insert(User).returning(User.id), rows).scalars())

    team_ids = list(conn.execute(
        insert(Team).returning(Team.id),
        [{"organisation_id": org.id, "name": f"Team {i:02d}", "created_at": now}
         for i in range(1, teams + 1)],
    ).scalars())
    practitioner_ids = users("practitioner", teams * practitioners_per_team)
    lead_ids = users("lead", teams)
    coach_ids = users("coach", max(1, len(practitioner_ids) // 5))
    admin_id = users("admin", 1)[0]
    conn.execute(insert(OrganisationRole), [{"user_id": admin_id, "role": "admin"}])
    conn.execute(insert(SecondFactor), [
        {"user_id": uid, "secret": DEMO_TOTP_SECRET, "enrolled_at": now}
        for uid in [*lead_ids, *coach_ids, admin_id]
    ])
    memberships = [
        {"user_id": uid, "team_id": team_ids[i // practitioners_per_team], "role": "practitioner",
         "started_on": start}
        for i, uid in enumerate(practitioner_ids)
    ] + [{"user_id": uid, "team_id": tid, "role": "lead", "started_on": start}
         for uid, tid in zip(lead_ids, team_ids, strict=True)]
    conn.execute(insert(Membership), memberships)
    conn.execute(insert(CoachAssignment), [
        {"organisation_id": org.id, "coach_id": coach_ids[i // 5 % len(coach_ids)], "coachee_id": uid,
         "started_at": now - timedelta(days=30 * months)}
        for i, uid in enumerate(practitioner_ids)
    ])
    practitioners = [
        Practitioner(uid, team_ids[i // practitioners_per_team], org.id)
        for i, uid in enumerate(practitioner_ids)
    ]
    logs = generate_logs(conn, practitioners, start, today, seed=seed)
    return {"teams": teams, "practitioners": len(practitioner_ids), "coaches": len(coach_ids),
            "leads": len(lead_ids), "logs": logs}
