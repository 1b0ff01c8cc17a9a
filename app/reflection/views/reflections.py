"""Writing, reading, editing, sharing and deleting reflections; the autosave endpoint."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.db import db, utcnow
from app.forms import ConfirmForm, choices
from app.reflection import catalogue, editor, queries, services
from app.reflection.forms import ReflectionForm, ShareForm
from app.reflection.models import Reflection
from app.reflection.views import bp, locale
from app.routing import id_arg
from app.security import can_change_reflection, can_read_reflection, require
from app.services import ServiceError
from app.teams import queries as teams_queries


def _readable(reflection_id: int) -> Reflection:
    reflection = queries.reflection_by_id(reflection_id) or abort(404)
    require(can_read_reflection(current_user, reflection))
    return reflection


def _own(reflection_id: int) -> Reflection:
    reflection = _readable(reflection_id)
    require(can_change_reflection(current_user, reflection))
    return reflection


@bp.get("/")
def reflections() -> ResponseReturnValue:
    return render_template("reflection/list.html", rows=queries.reflections_for(current_user.id),
                           locale=locale(), cleared=session.pop(editor.SAVED_KEY, None))


@bp.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    """Write a reflection: about an own practice log (?log=), or on one's own."""
    log = editor.own_log(request.args.get("log", type=id_arg))
    log_id = log.id if log else None
    return editor.write_page(
        request.args.get("template"),
        lambda template_key: services.draft_key(template_key, log_id=log_id),
        lambda form, template_key: services.create_reflection(
            current_user, template_key, form.answers(), form.skj_answers(), utcnow(),
            element_id=form.element_id.data, log=log),
        next(iter(queries.log_element_ids(log.id)), None) if log else None,
        {"log": log.id} if log else {}, log=log,
    )


@bp.get("/<int:reflection_id>")
def detail(reflection_id: int) -> ResponseReturnValue:
    reflection = _readable(reflection_id)
    own = can_change_reflection(current_user, reflection)
    services.record_shared_read(current_user, reflection)
    sharing = queries.sharing(reflection.id, current_user.id) if own else None
    shares = sharing.opened if sharing else []
    share_form = ShareForm()
    shared_ids = {s.coach_id for s in shares}
    share_form.coach_id.choices = choices(
        (c.id, c.display_name) for c in (sharing.coaches if sharing else []) if c.id not in shared_ids)
    return render_template(
        "reflection/detail.html", reflection=reflection, own=own, shares=shares, share_form=share_form,
        template=catalogue.template(reflection.template_key), skj_steps=catalogue.SKJ_STEPS,
        element=queries.element_by_id(reflection.element_id),
        log=editor.log_in_org(reflection.practice_log_id),
        locale=locale(), cleared=session.pop(editor.SAVED_KEY, None),
    )


@bp.route("/<int:reflection_id>/edit", methods=["GET", "POST"])
def edit(reflection_id: int) -> ResponseReturnValue:
    reflection = _own(reflection_id)
    key = services.draft_key(reflection.template_key, reflection_id=reflection.id)
    if request.method == "POST":
        form = editor.posted(reflection.template_key, key)
        done = editor.submit(form, lambda: _update(reflection, form))
        return done or editor.form_page(form, reflection.template_key, reflection=reflection)
    saved: dict[str, object] = {f"answer_{k}": v for k, v in reflection.answers.items()}
    saved |= {f"skj_{k}": v for k, v in (reflection.skj_answers or {}).items()}
    saved["element_id"] = reflection.element_id or 0
    form, restored = editor.prefilled(reflection.template_key, key, saved)
    return editor.form_page(form, reflection.template_key, reflection=reflection, restored=restored)


def _update(reflection: Reflection, form: ReflectionForm) -> Reflection:
    services.update_reflection(current_user, reflection, form.answers(), form.skj_answers(),
                               form.element_id.data, utcnow())
    return reflection


@bp.route("/<int:reflection_id>/delete", methods=["GET", "POST"])
def delete(reflection_id: int) -> ResponseReturnValue:
    """A confirmation page (works without JavaScript), then the delete."""
    reflection = _own(reflection_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.delete_reflection(current_user, reflection)
        db.session.commit()
        flash(_("The reflection is deleted."), "success")
        return redirect(url_for("reflection.reflections"))
    return render_template("reflection/delete.html", reflection=reflection, form=form,
                           template=catalogue.template(reflection.template_key), locale=locale())


@bp.post("/<int:reflection_id>/share")
def share(reflection_id: int) -> ResponseReturnValue:
    reflection = _own(reflection_id)
    form = ShareForm()
    form.coach_id.choices = choices((c.id, c.display_name) for c in queries.coaches_of(current_user.id))
    if not form.validate_on_submit():
        abort(400)
    coach = teams_queries.user_in_org(current_user.organisation_id, form.coach_id.data) or abort(404)
    services.share_reflection(current_user, reflection, coach, utcnow())
    db.session.commit()
    flash(_("%(name)s can read this reflection now.", name=coach.display_name), "success")
    return redirect(url_for("reflection.detail", reflection_id=reflection.id))


@bp.post("/<int:reflection_id>/shares/<int:coach_id>/withdraw")
def withdraw(reflection_id: int, coach_id: int) -> ResponseReturnValue:
    reflection = _own(reflection_id)
    services.withdraw_share(current_user, reflection, coach_id, utcnow())
    db.session.commit()
    flash(_("The reflection is no longer shared."), "success")
    return redirect(url_for("reflection.detail", reflection_id=reflection.id))


@bp.get("/shared")
def shared() -> ResponseReturnValue:
    """Reflections coachees shared with me (while the share and the coaching run)."""
    return render_template("reflection/shared.html", rows=queries.shared_with_coach(current_user.id),
                           locale=locale())


@bp.post("/drafts")
def autosave() -> ResponseReturnValue:
    """Autosave from the page script (CSRF token in X-CSRFToken): keep the draft, answer JSON."""
    key = request.form.get("draft_key", "")
    data = {k: v for k, v in request.form.items() if k not in ("draft_key", "csrf_token")}
    now = utcnow()
    try:
        services.save_draft(current_user, key, data, now)
    except ServiceError as exc:
        db.session.rollback()
        return jsonify(saved=False, message=exc.message), 422
    db.session.commit()
    return jsonify(saved=True, version=editor.version(now))
