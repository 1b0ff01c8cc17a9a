"""Learning-goal pages: my goals, set or propose one, a goal with its progress chart and comments."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import User
from app.clock import local_today
from app.db import utcnow
from app.elements.queries import catalogue_for
from app.forms import ConfirmForm, choices
from app.goals import charts, queries, services
from app.goals.forms import CommentForm, GoalForm
from app.goals.models import LearningGoal
from app.notifications.views import mark_seen
from app.security import can_change_goal, can_comment_on_goal, can_propose_goal, can_read_goal, require
from app.teams import queries as teams_queries
from app.views import commit_access_record, commit_or_refuse

bp = Blueprint("goals", __name__, url_prefix="/goals")
DEFAULT_WEEKS = 6


def _readable(goal_id: int) -> LearningGoal:
    goal = queries.goal_by_id(goal_id) or abort(404)
    require(can_read_goal(current_user, goal))
    return goal


def _own(goal_id: int) -> LearningGoal:
    goal = _readable(goal_id)
    require(can_change_goal(current_user, goal))
    return goal


def _form(goal: LearningGoal | None = None, **kwargs: object) -> GoalForm:
    """The goal form with this organisation's elements and (grouped per element) techniques."""
    locale = str(get_locale())
    keep = [goal.technique_id] if goal is not None and goal.technique_id else []
    catalogue = catalogue_for(current_user.organisation_id, keep_ids=keep)
    form = GoalForm(**kwargs)
    form.element_id.choices = choices((c.element.id, c.element.label(locale)) for c in catalogue)
    groups: dict[str, list[tuple[int, str]]] = {"": [(0, _("No particular technique"))]}
    for entry in catalogue:
        groups[entry.element.label(locale)] = [(t.id, t.label(locale)) for t in entry.techniques]
    form.technique_id.choices = groups  # optgroups: one per element
    return form


def _input(form: GoalForm) -> services.GoalInput:
    assert form.target_date.data is not None  # InputRequired: called after validation
    return services.GoalInput(element_id=form.element_id.data, text=form.text.data or "",
                              target_date=form.target_date.data, technique_id=form.technique_id.data or None)


def _render_form(form: GoalForm, **context: object) -> ResponseReturnValue:
    return render_template("goals/form.html", form=form, **context), 400 if form.errors else 200


@bp.get("/")
def goals() -> ResponseReturnValue:
    return render_template("goals/goals.html", goals=queries.goals_of(current_user.id),
                           locale=str(get_locale()))


@bp.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    form = _form(data={"target_date": local_today() + timedelta(weeks=DEFAULT_WEEKS),
                       "element_id": request.args.get("element", type=int)})
    if form.validate_on_submit() and (done := commit_or_refuse(
        form, lambda: services.create_goal(current_user, _input(form), utcnow()),
        _("Your learning goal is saved."), lambda goal: url_for("goals.goal", goal_id=goal.id),
    )):
        return done
    return _render_form(form)


@bp.route("/propose/<int:coachee_id>", methods=["GET", "POST"])
def propose(coachee_id: int) -> ResponseReturnValue:
    coachee: User = teams_queries.user_in_org(current_user.organisation_id, coachee_id) or abort(404)
    require(can_propose_goal(current_user, coachee))
    form = _form(data={"target_date": local_today() + timedelta(weeks=DEFAULT_WEEKS)})
    if form.validate_on_submit() and (done := commit_or_refuse(
        form, lambda: services.propose_goal(current_user, coachee, _input(form), utcnow()),
        _("Your proposal is sent to %(name)s.", name=coachee.display_name),
        url_for("coaching.coachee", coachee_id=coachee.id),
    )):
        return done
    return _render_form(form, coachee=coachee)


def _goal_page(goal: LearningGoal, comment_form: CommentForm, status: int = 200) -> ResponseReturnValue:
    weeks = queries.progress_of(goal, local_today())
    figure = charts.progress_figure(weeks, sessions_name=_("Sessions"), rating_name=_("Average self-rating"),
                                    week_prefix=_("wk"))
    return render_template(
        "goals/goal.html", goal=goal, own=can_change_goal(current_user, goal), weeks=weeks,
        figure=figure, comments=queries.comments_on(goal.id), comment_form=comment_form,
        form=ConfirmForm(), can_comment=can_comment_on_goal(current_user, goal), locale=str(get_locale()),
    ), status


@bp.get("/<int:goal_id>")
def goal(goal_id: int) -> ResponseReturnValue:
    goal = _readable(goal_id)
    if not can_change_goal(current_user, goal):
        commit_access_record(lambda: services.record_goal_read(current_user, goal, request.remote_addr))
    mark_seen(goal_id=goal.id)
    return _goal_page(goal, CommentForm())


@bp.route("/<int:goal_id>/edit", methods=["GET", "POST"])
def edit(goal_id: int) -> ResponseReturnValue:
    goal = _own(goal_id)
    form = _form(goal, data={"text": goal.text, "element_id": goal.element_id,
                             "technique_id": goal.technique_id or 0, "target_date": goal.target_date})
    if form.validate_on_submit() and (done := commit_or_refuse(
        form, lambda: services.update_goal(current_user, goal, _input(form), utcnow()),
        _("Your changes are saved."), url_for("goals.goal", goal_id=goal.id),
    )):
        return done
    return _render_form(form, goal=goal)


@bp.post("/<int:goal_id>/status")
def set_status(goal_id: int) -> ResponseReturnValue:
    goal = _own(goal_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    status = request.form.get("status", "")
    url = url_for("goals.goal", goal_id=goal.id)
    done = commit_or_refuse(
        None, lambda: services.set_status(current_user, goal, status, utcnow()),
        lambda _none: {"achieved": _("Well done: the goal is achieved."),
                       "dropped": _("The goal is dropped."), "open": _("The goal is open again.")}[status],
        url)
    return done or redirect(url)


@bp.post("/<int:goal_id>/answer")
def answer(goal_id: int) -> ResponseReturnValue:
    """Accept or decline a coach's proposal."""
    goal = _own(goal_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    accept = request.form.get("answer") == "accept"
    url = url_for("goals.goal", goal_id=goal.id)
    done = commit_or_refuse(
        None, lambda: services.answer_proposal(current_user, goal, accept, utcnow()),
        _("The goal is yours now.") if accept else _("The proposal is declined."), url)
    return done or redirect(url)


@bp.post("/<int:goal_id>/comments")
def comment(goal_id: int) -> ResponseReturnValue:
    goal = _readable(goal_id)
    require(can_comment_on_goal(current_user, goal))
    form = CommentForm()
    if form.validate_on_submit() and (done := commit_or_refuse(
        form, lambda: services.comment_on_goal(current_user, goal, form.body.data or "", utcnow()),
        _("Your comment is saved."), url_for("goals.goal", goal_id=goal.id) + "#comments",
    )):
        return done
    return _goal_page(goal, form, 400)
