"""Observation pages: a coach records one; the practitioner and that coach read it side by side with
the practitioner's own log, and comment."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import User
from app.clock import local_today
from app.db import utcnow
from app.elements.queries import catalogue_for
from app.forms import choices
from app.notifications.views import mark_seen
from app.observations import queries, services
from app.observations.forms import CommentForm, observation_form
from app.observations.models import Observation
from app.security import can_comment_on_observation, can_observe, can_read_observation, require
from app.teams import queries as teams_queries
from app.views import commit_access_record, commit_or_refuse

bp = Blueprint("observations", __name__, url_prefix="/coaching")


@bp.route("/<int:coachee_id>/observations/new", methods=["GET", "POST"])
def new(coachee_id: int) -> ResponseReturnValue:
    coachee: User = teams_queries.user_in_org(current_user.organisation_id, coachee_id) or abort(404)
    require(can_observe(current_user, coachee))
    today = local_today()
    defaults = {"session_date": today, "practice_log_id": request.args.get("log", 0, type=int)}
    form = observation_form(catalogue_for(current_user.organisation_id),
                            data=defaults if request.method == "GET" else None)
    form.session_date.render_kw = {"max": today.isoformat()}
    form.practice_log_id.choices = choices([(0, _("Not linked to a log"))] + [
        (log.id, log.session_date.strftime("%d-%m-%Y")) for log in queries.linkable_logs(coachee.id, today)])
    if form.validate_on_submit():
        assert form.session_date.data is not None  # InputRequired
        data = services.ObservationInput(
            form.session_date.data, form.source.data, form.ratings(), form.technique_ids(),
            form.practice_log_id.data or None, form.note.data)
        if done := commit_or_refuse(
            form, lambda: services.record_observation(current_user, coachee, data, utcnow()),
            _("Your observation is saved. %(name)s can read it now.", name=coachee.display_name),
            lambda observation: url_for("observations.observation", observation_id=observation.id),
        ):
            return done
    elif request.method == "GET":
        commit_access_record(lambda: services.record_logs_read(current_user, coachee, request.remote_addr))
    return render_template("observations/form.html", form=form, coachee=coachee), 400 if form.errors else 200


def _readable(observation_id: int) -> Observation:
    observation = queries.observation_by_id(observation_id) or abort(404)
    require(can_read_observation(current_user, observation))
    return observation


def _page(observation: Observation, form: CommentForm, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "observations/observation.html", observation=observation, sides=queries.side_by_side(observation),
        comments=queries.comments_on(observation.id), form=form, locale=str(get_locale()),
        own=observation.practitioner_id == current_user.id,
        can_comment=can_comment_on_observation(current_user, observation),
    ), status


@bp.get("/observations/<int:observation_id>")
def observation(observation_id: int) -> ResponseReturnValue:
    observation = _readable(observation_id)
    if observation.practitioner_id != current_user.id:
        commit_access_record(lambda: services.record_observation_read(current_user, observation,
                                                                      request.remote_addr))
    mark_seen(observation_id=observation.id)
    return _page(observation, CommentForm())


@bp.post("/observations/<int:observation_id>/comments")
def comment(observation_id: int) -> ResponseReturnValue:
    observation = _readable(observation_id)
    require(can_comment_on_observation(current_user, observation))
    form = CommentForm()
    if form.validate_on_submit() and (done := commit_or_refuse(
        form,
        lambda: services.comment_on_observation(current_user, observation, form.body.data or "", utcnow()),
        _("Your comment is saved."),
        url_for("observations.observation", observation_id=observation.id) + "#comments",
    )):
        return done
    return _page(observation, form, 400)
