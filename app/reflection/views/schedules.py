"""Prompt schedules: list, create (for oneself or a guided team), pause, resume, delete."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.db import db, utcnow
from app.elements import queries as elements
from app.forms import choices
from app.reflection import catalogue, occurrences, schedule_services, team_queries
from app.reflection.forms import (
    ScheduleForm,
    kind_choices,
    target_choices,
    weekday_names,
)
from app.reflection.models import Schedule
from app.reflection.views import bp, locale
from app.security import can_manage_schedule, require
from app.services import ServiceError
from app.teams import queries as teams_queries
from app.teams.models import Team
from app.views import form_error


def _schedule(schedule_id: int) -> Schedule:
    schedule = team_queries.schedule_by_id(current_user.organisation_id, schedule_id) or abort(404)
    require(can_manage_schedule(current_user, schedule))
    return schedule


def _schedule_form(teams: list[Team]) -> ScheduleForm:
    form = ScheduleForm()
    form.owner.choices = choices([("me", _("Just for me"))] + [
        (f"team-{t.id}", _("Everyone in %(team)s", team=t.name)) for t in teams
    ])
    form.kind.choices = kind_choices()
    form.template_key.choices = choices([("", _("Let the person choose"))] + [
        (t.key, t.name(locale())) for t in catalogue.TEMPLATES.values()
    ])
    form.weekday.choices = choices(weekday_names().items())
    form.target.choices = target_choices()
    form.element_id.choices = choices(
        [(0, _("Any element"))] + [(e.id, e.label(locale())) for e in elements.elements()]
    )
    return form


def _input(form: ScheduleForm) -> schedule_services.ScheduleInput:
    once_at = None
    if form.once_date.data and form.once_time.data:
        once_at = occurrences.local_instant(form.once_date.data, form.once_time.data)
    return schedule_services.ScheduleInput(
        kind=form.kind.data, template_key=form.template_key.data or None, theme=form.theme.data,
        weekday=form.weekday.data, local_time=form.local_time.data, interval_weeks=form.interval_weeks.data,
        every_n=form.every_n.data, element_id=form.element_id.data or None, target=form.target.data,
        once_at=once_at,
    )


@bp.get("/schedules")
def schedules() -> ResponseReturnValue:
    now = utcnow()
    return render_template("reflection/schedules.html", rows=team_queries.schedules_for(current_user, now),
                           locale=locale(), weekdays=weekday_names())


@bp.route("/schedules/new", methods=["GET", "POST"])
def new_schedule() -> ResponseReturnValue:
    now = utcnow()
    teams = team_queries.teams_guided_by(current_user, now)
    form = _schedule_form(teams)
    if form.validate_on_submit():
        team = None
        if form.owner.data.startswith("team-"):
            team_id = int(form.owner.data.removeprefix("team-"))
            team = teams_queries.team_in_org(current_user.organisation_id, team_id) or abort(404)
        try:
            schedule_services.create_schedule(current_user, team, _input(form), now)
        except ServiceError as exc:
            db.session.rollback()
            form_error(form, exc)
        else:
            db.session.commit()
            flash(_("The schedule is saved."), "success")
            return redirect(url_for("reflection.schedules"))
    return render_template("reflection/schedule_form.html", form=form), 400 if form.errors else 200


@bp.post("/schedules/<int:schedule_id>/<any(pause, resume):action>")
def toggle_schedule(schedule_id: int, action: str) -> ResponseReturnValue:
    schedule = _schedule(schedule_id)
    if action == "pause":
        schedule_services.pause_schedule(current_user, schedule)
        flash(_("The schedule is paused."), "success")
    else:
        schedule_services.resume_schedule(current_user, schedule, utcnow())
        flash(_("The schedule runs again."), "success")
    db.session.commit()
    return redirect(url_for("reflection.schedules"))


@bp.post("/schedules/<int:schedule_id>/delete")
def delete_schedule(schedule_id: int) -> ResponseReturnValue:
    schedule = _schedule(schedule_id)
    schedule_services.delete_schedule(current_user, schedule)
    db.session.commit()
    flash(_("The schedule is deleted."), "success")
    return redirect(url_for("reflection.schedules"))
