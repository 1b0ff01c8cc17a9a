"""The prompt pages: the inbox (answer, snooze, put aside) and schedules (list, create, pause, delete)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.clock import local_instant
from app.db import db, utcnow
from app.elements import queries as elements
from app.forms import choices
from app.menu import menu_facts
from app.prompts import queries, services
from app.prompts.forms import ScheduleForm, SnoozeForm, kind_choices, target_choices, weekday_names
from app.prompts.models import Prompt, Schedule
from app.reflection import catalogue, editor
from app.reflection import queries as reflection_queries
from app.reflection import services as reflection_services
from app.security import can_answer_prompt, can_manage_schedule, require
from app.teams import queries as teams_queries
from app.teams.models import Team
from app.views import commit_or_refuse

bp = Blueprint("prompts", __name__, url_prefix="/reflection")


@bp.app_context_processor
def _prompt_helpers() -> dict[str, object]:
    """App-wide helpers (the menu badge, the home block), each one small query, run only when called."""

    def signed_in() -> bool:
        return bool(current_user and current_user.is_authenticated)

    def prompt_inbox_count() -> int:
        return menu_facts().prompts

    def prompts_waiting() -> list[queries.PromptItem]:
        return queries.waiting_prompts(current_user.id, utcnow()) if signed_in() else []

    return {"prompt_inbox_count": prompt_inbox_count, "prompts_waiting": prompts_waiting}


def locale() -> str:
    return str(get_locale())


def _schedule(schedule_id: int) -> Schedule:
    schedule = queries.schedule_by_id(current_user.organisation_id, schedule_id) or abort(404)
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


def _input(form: ScheduleForm) -> services.ScheduleInput:
    once_at = None
    if form.once_date.data and form.once_time.data:
        once_at = local_instant(form.once_date.data, form.once_time.data)
    return services.ScheduleInput(
        kind=form.kind.data, template_key=form.template_key.data or None, theme=form.theme.data,
        weekday=form.weekday.data, local_time=form.local_time.data, interval_weeks=form.interval_weeks.data,
        every_n=form.every_n.data, element_id=form.element_id.data or None, target=form.target.data,
        once_at=once_at,
    )


@bp.get("/schedules")
def schedules() -> ResponseReturnValue:
    now = utcnow()
    return render_template("prompts/schedules.html", rows=queries.schedules_for(current_user, now),
                           locale=locale(), weekdays=weekday_names())


@bp.route("/schedules/new", methods=["GET", "POST"])
def new_schedule() -> ResponseReturnValue:
    now = utcnow()
    teams = teams_queries.teams_guided_by(current_user, now)
    form = _schedule_form(teams)
    if form.validate_on_submit():
        team = None
        if form.owner.data.startswith("team-"):
            team_id = int(form.owner.data.removeprefix("team-"))
            team = teams_queries.team_in_org(current_user.organisation_id, team_id) or abort(404)
        if done := commit_or_refuse(
            form, lambda: services.create_schedule(current_user, team, _input(form), now),
            _("The schedule is saved."), url_for("prompts.schedules"),
        ):
            return done
    return render_template("prompts/schedule_form.html", form=form), 400 if form.errors else 200


@bp.post("/schedules/<int:schedule_id>/<any(pause, resume):action>")
def toggle_schedule(schedule_id: int, action: str) -> ResponseReturnValue:
    schedule = _schedule(schedule_id)
    if action == "pause":
        services.pause_schedule(current_user, schedule)
        flash(_("The schedule is paused."), "success")
    else:
        services.resume_schedule(current_user, schedule, utcnow())
        flash(_("The schedule runs again."), "success")
    db.session.commit()
    return redirect(url_for("prompts.schedules"))


@bp.post("/schedules/<int:schedule_id>/delete")
def delete_schedule(schedule_id: int) -> ResponseReturnValue:
    schedule = _schedule(schedule_id)
    services.delete_schedule(current_user, schedule)
    db.session.commit()
    flash(_("The schedule is deleted."), "success")
    return redirect(url_for("prompts.schedules"))


# --- the inbox -------------------------------------------------------------------------------


def _prompt(prompt_id: int) -> Prompt:
    prompt = queries.prompt_by_id(prompt_id) or abort(404)
    require(can_answer_prompt(current_user, prompt))
    return prompt


@bp.get("/inbox")
def inbox() -> ResponseReturnValue:
    waiting, snoozed = queries.inbox_for(current_user.id, utcnow())
    return render_template("prompts/inbox.html", waiting=waiting, snoozed=snoozed,
                           locale=locale())


@bp.route("/prompts/<int:prompt_id>", methods=["GET", "POST"])
def answer(prompt_id: int) -> ResponseReturnValue:
    """Answer a prompt (the link in its e-mail and in the inbox): choose a model, then write."""
    prompt = _prompt(prompt_id)
    log = editor.own_log(prompt.practice_log_id)
    log_id = log.id if log else None
    first_of_log = next(iter(reflection_queries.log_element_ids(log.id)), None) if log else None
    element_id = prompt.element_id or first_of_log
    return editor.write_page(
        request.args.get("template") or prompt.schedule.template_key,
        lambda template_key: reflection_services.draft_key(template_key, prompt.id, log_id),
        lambda form, template_key: services.answer_prompt(
            current_user, prompt, template_key, form.answers(), form.skj_answers(), utcnow(),
            element_id=form.element_id.data, log=log),
        element_id, {"prompt_id": prompt.id}, prompt=prompt, item=queries.prompt_item(prompt.id), log=log,
    )


@bp.post("/prompts/<int:prompt_id>/snooze")
def snooze(prompt_id: int) -> ResponseReturnValue:
    item = _prompt(prompt_id)
    form = SnoozeForm()
    if not form.validate_on_submit():
        abort(400)
    back = url_for("prompts.inbox")
    return commit_or_refuse(
        None, lambda: services.snooze_prompt(current_user, item, form.until.data or "", utcnow()),
        lambda until: _("The prompt comes back on %(when)s.",
                        when=format_datetime(until, "EEEE d MMMM HH:mm")),
        back,
    ) or redirect(back)


@bp.post("/prompts/<int:prompt_id>/dismiss")
def dismiss(prompt_id: int) -> ResponseReturnValue:
    item = _prompt(prompt_id)
    services.dismiss_prompt(current_user, item, utcnow())
    db.session.commit()
    flash(_("The prompt is put aside."), "success")
    return redirect(url_for("prompts.inbox"))
