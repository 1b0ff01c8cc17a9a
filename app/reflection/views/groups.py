"""Group reflection sessions: list, record (lead or coach), correct, delete; one's own notes."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.clock import local_today
from app.db import db, utcnow
from app.forms import choices
from app.reflection import group_services, team_queries
from app.reflection.forms import GroupNotesForm, GroupSessionForm, group_notes_form
from app.reflection.models import GroupSession
from app.reflection.views import bp, locale
from app.security import (
    can_change_group_session,
    can_guide_team,
    can_read_group_session,
    can_write_group_notes,
    require,
)
from app.services import ServiceError
from app.teams import queries as teams_queries
from app.teams.models import Team
from app.views import form_error

FORM_LABELS = {
    "peer_consultation": _l("Intervision (peer consultation)"),
    "work_supervision": _l("Methodical work supervision"),
    "supervision": _l("Supervision"),
    "learning_meeting": _l("Structured learning meeting"),
}


def form_labels() -> dict[str, str]:
    return {k: str(v) for k, v in FORM_LABELS.items()}


def _group(group_id: int) -> GroupSession:
    group = team_queries.group_by_id(current_user.organisation_id, group_id) or abort(404)
    require(can_read_group_session(current_user, group))
    return group


def _session_form(team: Team, **kwargs: object) -> GroupSessionForm:
    form = GroupSessionForm(**kwargs)
    members = team_queries.team_members(team.id)
    form.form.choices = choices(form_labels().items())
    form.participant_ids.choices = choices((u.id, u.display_name) for u in members)
    form.facilitator_id.choices = choices([(0, _("Not a participant (type the name below)"))] + [
        (u.id, u.display_name) for u in members
    ])
    return form


def _input(form: GroupSessionForm) -> group_services.GroupSessionInput:
    return group_services.GroupSessionInput(
        session_date=form.session_date.data, duration_minutes=form.duration_minutes.data,
        form=form.form.data, participant_ids=frozenset(form.participant_ids.data or []),
        facilitator_id=form.facilitator_id.data or None, facilitator_name=form.facilitator_name.data,
    )


@bp.get("/groups")
def groups() -> ResponseReturnValue:
    teams = team_queries.teams_guided_by(current_user, utcnow())
    return render_template("reflection/groups.html", rows=team_queries.group_sessions_for(current_user),
                           teams=teams, labels=form_labels())


@bp.route("/groups/new", methods=["GET", "POST"])
def new_group() -> ResponseReturnValue:
    teams = team_queries.teams_guided_by(current_user, utcnow())
    team_id = request.args.get("team", type=int) or (teams[0].id if len(teams) == 1 else None)
    if team_id is None:
        require(bool(teams), hide=False)
        return render_template("reflection/group_team.html", teams=teams)
    team = teams_queries.team_in_org(current_user.organisation_id, team_id) or abort(404)
    require(can_guide_team(current_user, team))
    form = _session_form(team, data=None if request.method == "POST" else {
        "session_date": local_today(), "duration_minutes": 120})
    if form.validate_on_submit():
        try:
            group = group_services.record_group_session(current_user, team, _input(form), utcnow())
        except ServiceError as exc:
            db.session.rollback()
            form_error(form, exc)
        else:
            db.session.commit()
            flash(_("The session is recorded. Participants can add their own notes."), "success")
            return redirect(url_for("reflection.group", group_id=group.id))
    return render_template("reflection/group_form.html", form=form, team=team, group=None), \
        400 if form.errors else 200


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
def edit_group(group_id: int) -> ResponseReturnValue:
    group = _group(group_id)
    require(can_change_group_session(current_user, group))
    saved = {"session_date": group.session_date, "duration_minutes": group.duration_minutes,
             "form": group.form, "participant_ids": [p.user_id for p in group.participants],
             "facilitator_id": group.facilitator_id or 0, "facilitator_name": group.facilitator_name}
    form = _session_form(group.team, data=None if request.method == "POST" else saved)
    # People who took part but have left the team since stay on the record.
    names = {c.value: c.label for c in form.participant_ids.choices}
    names |= {p.user_id: p.user.display_name for p in group.participants}
    form.participant_ids.choices = choices(sorted(names.items(), key=lambda c: str(c[1]).lower()))
    if form.validate_on_submit():
        try:
            group_services.update_group_session(current_user, group, _input(form), utcnow())
        except ServiceError as exc:
            db.session.rollback()
            form_error(form, exc)
        else:
            db.session.commit()
            flash(_("Your changes are saved."), "success")
            return redirect(url_for("reflection.group", group_id=group.id))
    return render_template("reflection/group_form.html", form=form, team=group.team, group=group), \
        400 if form.errors else 200


@bp.get("/groups/<int:group_id>")
def group(group_id: int) -> ResponseReturnValue:
    group = _group(group_id)
    mine = team_queries.own_notes(group.id, current_user.id)
    notes = group_notes_form(locale(), obj=mine) if mine else None
    return _render_group(group, notes)


def _render_group(
    group: GroupSession, notes: GroupNotesForm | None, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "reflection/group.html", group=group, notes=notes, labels=form_labels(),
        names=team_queries.participant_names(group.id),
        can_change=can_change_group_session(current_user, group),
    ), status


@bp.post("/groups/<int:group_id>/notes")
def group_notes(group_id: int) -> ResponseReturnValue:
    group = _group(group_id)
    require(can_write_group_notes(current_user, group))
    form = group_notes_form(locale())
    if form.validate_on_submit():
        try:
            group_services.save_group_notes(
                current_user, group, learning_question=form.learning_question.data,
                technical=form.notes_technical.data, normative=form.notes_normative.data,
                personal=form.notes_personal.data, now=utcnow(),
            )
        except ServiceError as exc:
            db.session.rollback()
            form_error(form, exc)
        else:
            db.session.commit()
            flash(_("Your notes are saved. Only you can read them."), "success")
            return redirect(url_for("reflection.group", group_id=group.id))
    return _render_group(group, form, 400)


@bp.post("/groups/<int:group_id>/delete")
def delete_group(group_id: int) -> ResponseReturnValue:
    group = _group(group_id)
    group_services.delete_group_session(current_user, group)
    db.session.commit()
    flash(_("The session is deleted."), "success")
    return redirect(url_for("reflection.groups"))
