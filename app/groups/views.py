"""Group reflection (intervisie and the like): list, record (lead or coach), correct, delete, one's own
notes; and the practitioner's SKJ hours in the current cycle, as a page, for print and as CSV."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.clock import local_today
from app.db import db, utcnow
from app.forms import choices, required
from app.groups import queries, services, skj
from app.groups.forms import GroupNotesForm, GroupSessionForm, form_labels, group_notes_form
from app.groups.models import GroupSession
from app.reflection import catalogue
from app.routing import id_arg
from app.security import (
    can_change_group_session,
    can_guide_team,
    can_read_group_session,
    can_write_group_notes,
    require,
)
from app.teams import queries as teams_queries
from app.teams.models import Team
from app.views import commit_or_refuse

bp = Blueprint("groups", __name__, url_prefix="/reflection")


def locale() -> str:
    return str(get_locale())


def _group(group_id: int) -> GroupSession:
    group = queries.group_by_id(current_user.organisation_id, group_id) or abort(404)
    require(can_read_group_session(current_user, group))
    return group


def _session_form(team: Team, **kwargs: object) -> GroupSessionForm:
    form = GroupSessionForm(**kwargs)
    members = teams_queries.members_by_name(team.id)
    form.form.choices = choices(form_labels().items())
    form.participant_ids.choices = choices((u.id, u.display_name) for u in members)
    form.facilitator_id.choices = choices([(0, _("Not a participant (type the name below)"))] + [
        (u.id, u.display_name) for u in members
    ])
    return form


def _input(form: GroupSessionForm) -> services.GroupSessionInput:
    return services.GroupSessionInput(
        session_date=required(form.session_date.data), duration_minutes=required(form.duration_minutes.data),
        form=form.form.data, participant_ids=frozenset(form.participant_ids.data or []),
        facilitator_id=form.facilitator_id.data or None, facilitator_name=form.facilitator_name.data,
    )


@bp.get("/groups")
def groups() -> ResponseReturnValue:
    teams = teams_queries.teams_guided_by(current_user, utcnow())
    return render_template("groups/groups.html", rows=queries.group_sessions_for(current_user),
                           teams=teams, labels=form_labels())


@bp.route("/groups/new", methods=["GET", "POST"])
def new_group() -> ResponseReturnValue:
    teams = teams_queries.teams_guided_by(current_user, utcnow())
    team_id = request.args.get("team", type=id_arg) or (teams[0].id if len(teams) == 1 else None)
    if team_id is None:
        require(bool(teams), hide=False)
        return render_template("groups/group_team.html", teams=teams)
    team = teams_queries.team_in_org(current_user.organisation_id, team_id) or abort(404)
    require(can_guide_team(current_user, team))
    form = _session_form(team, data=None if request.method == "POST" else {
        "session_date": local_today(), "duration_minutes": 120})
    if form.validate_on_submit() and (done := commit_or_refuse(
        form, lambda: services.record_group_session(current_user, team, _input(form), utcnow()),
        _("The session is recorded. Participants can add their own notes."),
        lambda group: url_for("groups.group", group_id=group.id),
    )):
        return done
    return render_template("groups/group_form.html", form=form, team=team, group=None), \
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
    # (The WTForms 3.2 stubs know choices as tuples only; 3.3 gives SelectChoice objects.)
    names = {c.value: c.label for c in form.participant_ids.choices}  # type: ignore[union-attr]
    names |= {p.user_id: p.user.display_name for p in group.participants}
    form.participant_ids.choices = choices(sorted(names.items(), key=lambda c: str(c[1]).lower()))
    if form.validate_on_submit() and (done := commit_or_refuse(
        form, lambda: services.update_group_session(current_user, group, _input(form), utcnow()),
        _("Your changes are saved."), url_for("groups.group", group_id=group.id),
    )):
        return done
    return render_template("groups/group_form.html", form=form, team=group.team, group=group), \
        400 if form.errors else 200


@bp.get("/groups/<int:group_id>")
def group(group_id: int) -> ResponseReturnValue:
    group = _group(group_id)
    mine = queries.own_notes(group.id, current_user.id)
    notes = group_notes_form(locale(), obj=mine) if mine else None
    return _render_group(group, notes)


def _render_group(
    group: GroupSession, notes: GroupNotesForm | None, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "groups/group.html", group=group, notes=notes, labels=form_labels(),
        names=queries.participant_names(group.id),
        can_change=can_change_group_session(current_user, group),
    ), status


@bp.post("/groups/<int:group_id>/notes")
def group_notes(group_id: int) -> ResponseReturnValue:
    group = _group(group_id)
    require(can_write_group_notes(current_user, group))
    form = group_notes_form(locale())
    if form.validate_on_submit() and (done := commit_or_refuse(
        form, lambda: services.save_group_notes(
            current_user, group, learning_question=form.learning_question.data,
            technical=form.notes_technical.data, normative=form.notes_normative.data,
            personal=form.notes_personal.data, now=utcnow(),
        ),
        _("Your notes are saved. Only you can read them."), url_for("groups.group", group_id=group.id),
    )):
        return done
    return _render_group(group, form, 400)


@bp.post("/groups/<int:group_id>/delete")
def delete_group(group_id: int) -> ResponseReturnValue:
    group = _group(group_id)
    services.delete_group_session(current_user, group)
    db.session.commit()
    flash(_("The session is deleted."), "success")
    return redirect(url_for("groups.groups"))


# --- SKJ hours -------------------------------------------------------------------------------


def _summary() -> skj.SkjSummary:
    return skj.skj_summary(current_user, local_today())


def _page(printable: bool) -> ResponseReturnValue:
    return render_template("groups/skj.html", summary=_summary(), labels=form_labels(),
                           templates=catalogue.TEMPLATES, locale=locale(), printable=printable,
                           number=format_decimal)


@bp.get("/skj")
def skj_hours() -> ResponseReturnValue:
    return _page(printable=False)


@bp.get("/skj/print")
def skj_print() -> ResponseReturnValue:
    """The same page laid out for paper (or PDF) as evidence for re-registration."""
    return _page(printable=True)


@bp.get("/skj/export.csv")
def skj_export() -> ResponseReturnValue:
    """The evidence as CSV (one row per session, with the user's own notes); the export is logged."""
    summary = _summary()
    services.record_skj_export(current_user)
    headers = [_("Date"), _("Form"), _("Minutes"), _("Hours"), _("Counts for SKJ"), _("Facilitator"),
               _("Learning question"), _("Technical"), _("Normative"), _("Personal")]
    body = "\ufeff" + skj.skj_csv(summary, form_labels(), headers)
    filename = f"werkzaam-skj-{summary.cycle_start.isoformat()}-{summary.cycle_end.isoformat()}.csv"
    return Response(body, content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
