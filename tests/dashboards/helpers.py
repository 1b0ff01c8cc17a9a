"""Helpers for the dashboard tests: reports of hand-made data, prompts in any state, retiring."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import update

from app.auth.models import User
from app.dashboards.periods import Period
from app.dashboards.queries import Cell
from app.dashboards.report import Report, person_report, team_reports
from app.elements.models import Technique
from app.elements.queries import catalogue_for
from app.organisations.models import Organisation
from app.prompts.models import Prompt, Schedule
from app.teams.models import Team
from tests import factories

NOW = datetime(2026, 4, 20, 10, 0, tzinfo=UTC)


def report_for(team: Team, period: Period, *, k: int = 5, target: float = 0.5, now: datetime = NOW) -> Report:
    """The team's report under the privacy rules (in an app context)."""
    catalogue = catalogue_for(team.organisation_id, include_retired=True)
    return team_reports([team.id], period, now, catalogue, k=k, targets={team.id: target})[team.id]


def raw_report(team: Team, period: Period, *, now: datetime = NOW, target: float = 0.5) -> Report:
    """The team's figures before the privacy rules (k = 0), to check the definitions themselves."""
    catalogue = catalogue_for(team.organisation_id, include_retired=True)
    from app.dashboards import report as r
    from app.dashboards.queries import Scope

    built = r._build(Scope.teams([team.id]), [team.id], period, now, catalogue, {team.id: target})
    return built[team.id]


def own_report(user: User, period: Period, *, now: datetime = NOW) -> Report:
    return person_report(user.id, period, now, catalogue_for(user.organisation_id, include_retired=True), 0.5)


def values(report: Report, metric: str, element: str | None = None, technique: str | None = None,
           ) -> tuple[list[float | None], float | None]:
    """The series' values per bucket (rounded to 4 places) and its total's."""
    series = report.get(metric, element, technique)
    assert series is not None, f"no series {metric} {element} {technique}"

    def rounded(cell: Cell | None) -> float | None:
        return None if cell is None or cell.value is None else round(cell.value, 4)

    return [rounded(c) for c in series.cells], rounded(series.total)


def contributors(report: Report, metric: str, element: str | None = None) -> tuple[list[int], int | None]:
    series = report.get(metric, element)
    assert series is not None
    return [c.contributors for c in series.cells], series.total.contributors if series.total else None


def deactivate(user: User) -> None:
    with factories.committed() as s:
        s.execute(update(User).where(User.id == user.id).values(active=False))


def retire(org: Organisation, key: str) -> None:
    with factories.committed() as s:
        s.execute(update(Technique).where(Technique.organisation_id == org.id, Technique.key == key)
                  .values(retired_at=datetime(2026, 1, 1, tzinfo=UTC)))
        s.execute(update(Organisation).where(Organisation.id == org.id)
                  .values(catalogue_revision=f"retired-{key}"))


def prompt(user: User, schedule: Schedule, due_at: datetime, *, status: str = "open",
           expires_at: datetime | None = None, closed_at: datetime | None = None) -> None:
    """A delivered prompt in any state (the materialiser is tested elsewhere)."""
    from datetime import timedelta

    with factories.committed() as s:
        s.add(Prompt(schedule_id=schedule.id, user_id=user.id, occurrence_key=due_at.isoformat(),
                     due_at=due_at, expires_at=expires_at or due_at + timedelta(days=7), status=status,
                     closed_at=closed_at, created_at=due_at))


def members(org: Organisation, team: Team, count: int, prefix: str = "p", **kwargs: Any) -> list[User]:
    return [factories.user(org, f"{prefix}{i}@example.org", team=team, **kwargs) for i in range(1, count + 1)]


def logs(author: User, days: Sequence[date], **kwargs: Any) -> None:
    for day in days:
        factories.practice_log(author, session_date=day, now=NOW, **kwargs)


def shared_item(author: User, coach: User, shared_at: datetime, *, answered_at: datetime | None = None,
                withdrawn_at: datetime | None = None, reflection: bool = False) -> None:
    """A log of `author` on which they asked `coach` for feedback (or a reflection they shared
    with them) at `shared_at`, and the coach's answer at `answered_at` (none when None)."""
    from app.coaching.models import CoachFeedback, FeedbackRequest
    from app.reflection.models import ReflectionShare

    if reflection:
        item_id = factories.reflection(author, created_at=shared_at).id
    else:
        item_id = factories.practice_log(author, session_date=shared_at.date(), now=NOW).id
    column = "reflection_id" if reflection else "practice_log_id"
    with factories.committed() as s:
        if reflection:
            s.add(ReflectionShare(reflection_id=item_id, coach_id=coach.id, shared_at=shared_at,
                                  withdrawn_at=withdrawn_at))
        else:
            s.add(FeedbackRequest(organisation_id=author.organisation_id, practice_log_id=item_id,
                                  coach_id=coach.id, requested_at=shared_at, withdrawn_at=withdrawn_at))
        if answered_at is not None:
            s.add(CoachFeedback(organisation_id=author.organisation_id, practitioner_id=author.id,
                                coach_id=coach.id, item_kind="reflection" if reflection else "log",
                                requested_at=shared_at, created_at=answered_at, keep_doing="Goed gedaan.",
                                **{column: item_id}))
