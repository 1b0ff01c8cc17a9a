"""Coaching pages: the coach's overview and queue, coachees, feedback threads, and the practitioner's
side (asking for feedback, "my coaching")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import User
from app.clock import local_today
from app.coaching import queries, services
from app.coaching.forms import AskForm, CommentForm, FeedbackForm
from app.coaching.models import CoachFeedback
from app.db import db, utcnow
from app.elements.queries import elements
from app.forms import ConfirmForm, choices
from app.goals import queries as goals_queries
from app.menu import coaching_queue, menu_facts
from app.notifications.views import mark_seen
from app.observations import queries as observations_queries
from app.practice import queries as practice_queries
from app.practice.models import PracticeLog
from app.reflection import catalogue as reflection_catalogue
from app.reflection import queries as reflection_queries
from app.reflection.models import Reflection
from app.security import (
    can_acknowledge_feedback,
    can_change_log,
    can_give_feedback_on_log,
    can_give_feedback_on_reflection,
    can_observe,
    can_read_feedback,
    can_read_logs_of,
    can_reply_to_feedback,
    require,
)
from app.services import ServiceError
from app.teams import queries as teams_queries
from app.views import commit_access_record, commit_or_refuse, form_error, page_number

bp = Blueprint("coaching", __name__, url_prefix="/coaching")


def locale() -> str:
    return str(get_locale())


@dataclass
class ItemCoaching:
    """What a log or reflection page shows about coaching: requests, feedback, what one may do."""

    feedback: list[CoachFeedback]
    requests: list[Any] = field(default_factory=list)
    ask_form: AskForm | None = None
    give_url: str | None = None


@bp.app_context_processor
def _coaching_helpers() -> dict[str, object]:
    """App-wide helpers for the menu and for log and reflection pages; each runs only when called."""

    def coaching_is_coach() -> bool:
        return menu_facts().coaches

    def coaching_mine_visible() -> bool:
        return menu_facts().coached

    def coaching_queue_count() -> int:
        return len(coaching_queue(utcnow())) if coaching_is_coach() else 0

    def coaching_on(kind: str, item: Any) -> ItemCoaching:
        now = utcnow()
        info = ItemCoaching(queries.feedback_on(kind, item.id, current_user.id, now))
        if kind == "log" and can_change_log(current_user, item):
            asking = queries.asking(item.id, current_user.id, now)
            info.requests = asking.opened
            asked = {r.coach_id for r in info.requests}
            form = AskForm()
            form.coach_id.choices = choices((c.id, c.display_name) for c in asking.coaches
                                            if c.id not in asked)
            info.ask_form = form if form.coach_id.choices and not item.private else None
        elif kind == "log" and can_give_feedback_on_log(current_user, item):
            info.give_url = url_for("coaching.log_feedback", log_id=item.id)
        elif kind == "reflection" and can_give_feedback_on_reflection(current_user, item):
            info.give_url = url_for("coaching.reflection_feedback", reflection_id=item.id)
        return info

    return {"coaching_is_coach": coaching_is_coach, "coaching_queue_count": coaching_queue_count,
            "coaching_mine_visible": coaching_mine_visible, "coaching_on": coaching_on}


def _ip() -> str | None:
    return request.remote_addr


def _coaches() -> list[User]:
    """The signed-in user's running coaches (whom they can ask)."""
    return reflection_queries.coaches_of(current_user.id)


def _coachee(coachee_id: int) -> User:
    coachee = teams_queries.user_in_org(current_user.organisation_id, coachee_id) or abort(404)
    require(can_observe(current_user, coachee))
    return coachee


# --- the coach's side --------------------------------------------------------------------------


@bp.get("/")
def overview() -> ResponseReturnValue:
    """The coach's home: what waits for feedback (oldest first), then one card per coachee."""
    now = utcnow()
    coachees, last_feedback = queries.coachees_and_last_feedback(current_user, now)
    cards = queries.overview_for(current_user.id, coachees, local_today(), last_feedback)
    if coachees:
        commit_access_record(lambda: services.record_coachee_reads(
            current_user, coachees, "list", "coaching_overview", _ip()))
    return render_template("coaching/overview.html", queue=coaching_queue(now),
                           cards=cards, now=now, locale=locale())


@bp.get("/<int:coachee_id>")
def coachee(coachee_id: int) -> ResponseReturnValue:
    coachee = _coachee(coachee_id)
    now = utcnow()
    commit_access_record(lambda: services.record_coachee_reads(
        current_user, [coachee], "read", "coachee", _ip()))
    [card] = queries.overview_for(current_user.id, [coachee], local_today())
    return render_template(
        "coaching/coachee.html", coachee=coachee, card=card, now=now, locale=locale(),
        queue=[i for i in coaching_queue(now) if i.coachee_id == coachee.id],
        goals=goals_queries.goals_of(coachee.id),
        feedback=queries.feedback_given(current_user.id, coachee.id, now),
        observations=observations_queries.observations_of(coachee.id, coach_id=current_user.id),
    )


@bp.get("/<int:coachee_id>/logs")
def coachee_logs(coachee_id: int) -> ResponseReturnValue:
    coachee = teams_queries.user_in_org(current_user.organisation_id, coachee_id) or abort(404)
    require(can_read_logs_of(current_user, coachee))
    if coachee.id == current_user.id:
        return redirect(url_for("practice.logs"))
    page = queries.coachee_logs_page(coachee.id, page_number())
    commit_access_record(lambda: services.record_coachee_reads(
        current_user, [coachee], "list", "practice_logs", _ip()))
    return render_template("coaching/coachee_logs.html", coachee=coachee, page=page)


def _feedback_input(form: FeedbackForm) -> services.FeedbackInput:
    return services.FeedbackInput(form.keep_doing.data, form.work_on.data, form.next_step.data,
                                  form.free_text.data, form.element_id.data or None)


def _give_page(kind: str, item: PracticeLog | Reflection, default_element: int | None,
               give: Callable[[services.FeedbackInput], CoachFeedback]) -> ResponseReturnValue:
    form = FeedbackForm(data={"element_id": default_element or 0} if request.method == "GET" else None)
    form.element_id.choices = choices([(0, _("No particular element"))] +
                                      [(e.id, e.label(locale())) for e in elements()])
    if form.validate_on_submit():
        try:
            feedback = give(_feedback_input(form))
        except ServiceError as exc:
            db.session.rollback()
            form_error(form, exc)
        else:
            db.session.commit()
            flash(_("Your feedback is sent to %(name)s.", name=feedback.practitioner.display_name), "success")
            return redirect(url_for("coaching.feedback", feedback_id=feedback.id))
    elif request.method == "GET":
        commit_access_record(lambda: services.record_item_read(current_user, item, _ip()))
    template = reflection_catalogue.template(item.template_key) if isinstance(item, Reflection) else None
    return render_template(
        "coaching/give.html", kind=kind, item=item, form=form, template=template, locale=locale(),
        earlier=queries.feedback_on(kind, item.id, current_user.id, utcnow()),
    ), 400 if form.errors else 200


@bp.route("/logs/<int:log_id>/feedback", methods=["GET", "POST"])
def log_feedback(log_id: int) -> ResponseReturnValue:
    log = practice_queries.log_in_org(current_user.organisation_id, log_id) or abort(404)
    require(can_give_feedback_on_log(current_user, log))
    first = practice_queries.first_applied_element(log)
    return _give_page("log", log, first,
                      lambda data: services.give_feedback_on_log(current_user, log, data, utcnow()))


@bp.route("/reflections/<int:reflection_id>/feedback", methods=["GET", "POST"])
def reflection_feedback(reflection_id: int) -> ResponseReturnValue:
    reflection = reflection_queries.reflection_by_id(reflection_id) or abort(404)
    require(can_give_feedback_on_reflection(current_user, reflection))
    return _give_page("reflection", reflection, reflection.element_id,
                      lambda data: services.give_feedback_on_reflection(
                          current_user, reflection, data, utcnow()))


# --- feedback threads --------------------------------------------------------------------------


def _feedback(feedback_id: int) -> CoachFeedback:
    feedback = queries.feedback_by_id(feedback_id) or abort(404)
    require(can_read_feedback(current_user, feedback))
    return feedback


def _thread_page(feedback: CoachFeedback, form: CommentForm, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "coaching/feedback.html", feedback=feedback, replies=queries.replies_to(feedback.id),
        form=form, ack_form=ConfirmForm(), own=can_acknowledge_feedback(current_user, feedback),
        can_reply=can_reply_to_feedback(current_user, feedback),
        goal=goals_queries.goal_made_from(feedback.id), locale=locale(),
    ), status


@bp.get("/feedback/<int:feedback_id>")
def feedback(feedback_id: int) -> ResponseReturnValue:
    feedback = _feedback(feedback_id)
    if feedback.practitioner_id != current_user.id:
        commit_access_record(lambda: services.record_feedback_read(current_user, feedback, _ip()))
    mark_seen(feedback_id=feedback.id)
    return _thread_page(feedback, CommentForm())


@bp.post("/feedback/<int:feedback_id>/reply")
def reply(feedback_id: int) -> ResponseReturnValue:
    feedback = _feedback(feedback_id)
    require(can_reply_to_feedback(current_user, feedback))
    form = CommentForm()
    if form.validate_on_submit() and (done := commit_or_refuse(
        form, lambda: services.reply_to_feedback(current_user, feedback, form.body.data or "", utcnow()),
        _("Your reply is sent."), url_for("coaching.feedback", feedback_id=feedback.id) + "#thread",
    )):
        return done
    return _thread_page(feedback, form, 400)


@bp.post("/feedback/<int:feedback_id>/acknowledge")
def acknowledge(feedback_id: int) -> ResponseReturnValue:
    """ "Seen", or "I will try this": the next step becomes a learning goal (once)."""
    feedback = _feedback(feedback_id)
    require(can_acknowledge_feedback(current_user, feedback))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        goal = services.acknowledge_feedback(current_user, feedback, request.form.get("answer", ""), utcnow())
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("coaching.feedback", feedback_id=feedback.id))
    db.session.commit()
    if goal is not None:
        flash(_("Your next step is now a learning goal."), "success")
        return redirect(url_for("goals.goal", goal_id=goal.id))
    flash(_("Your coach can see that you have read it."), "success")
    return redirect(url_for("coaching.feedback", feedback_id=feedback.id))


# --- asking for feedback (the practitioner) ----------------------------------------------------


def _own_log(log_id: int) -> PracticeLog:
    log = practice_queries.log_in_org(current_user.organisation_id, log_id) or abort(404)
    require(can_change_log(current_user, log))
    return log


@bp.post("/logs/<int:log_id>/ask")
def ask(log_id: int) -> ResponseReturnValue:
    log = _own_log(log_id)
    form = AskForm()
    form.coach_id.choices = choices((c.id, c.display_name) for c in _coaches())
    if not form.validate_on_submit():
        abort(400)
    coach = teams_queries.user_in_org(current_user.organisation_id, form.coach_id.data) or abort(404)
    try:
        services.ask_feedback_on_log(current_user, log, coach, utcnow())
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("You asked %(name)s for feedback on this session.", name=coach.display_name), "success")
    return redirect(url_for("practice.view_log", log_id=log.id))


@bp.post("/logs/<int:log_id>/withdraw/<int:coach_id>")
def withdraw(log_id: int, coach_id: int) -> ResponseReturnValue:
    log = _own_log(log_id)
    services.withdraw_log_request(current_user, log, coach_id, utcnow())
    db.session.commit()
    flash(_("You no longer ask for feedback on this session."), "success")
    return redirect(url_for("practice.view_log", log_id=log.id))


@bp.get("/mine")
def mine() -> ResponseReturnValue:
    """The practitioner's coaching: coaches, feedback and observations received, goals."""
    return render_template(
        "coaching/mine.html", coaches=reflection_queries.coaches_of(current_user.id),
        feedback=queries.feedback_received(current_user.id), goals=goals_queries.goals_of(current_user.id),
        observations=observations_queries.observations_of(current_user.id), locale=locale(),
    )
