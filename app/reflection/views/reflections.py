"""Writing, reading, editing, sharing and deleting reflections; the autosave endpoint."""

from __future__ import annotations

import contextlib

from flask import abort, flash, jsonify, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.db import db, utcnow
from app.elements import queries as elements
from app.forms import ConfirmForm, choices
from app.practice import queries as practice_queries
from app.practice.models import PracticeLog
from app.reflection import catalogue, queries, services
from app.reflection.forms import ReflectionForm, ShareForm, reflection_form
from app.reflection.models import Prompt, Reflection
from app.reflection.views import bp, locale
from app.security import (
    can_answer_prompt,
    can_change_log,
    can_change_reflection,
    can_read_reflection,
    require,
)
from app.services import ServiceError
from app.teams import queries as teams_queries
from app.views import commit_access_record, form_error

SAVED_KEY = "reflection_saved_draft"  # tells the next page which browser copy to drop


def _readable(reflection_id: int) -> Reflection:
    reflection = queries.reflection_by_id(reflection_id) or abort(404)
    require(can_read_reflection(current_user, reflection))
    return reflection


def _own(reflection_id: int) -> Reflection:
    reflection = _readable(reflection_id)
    require(can_change_reflection(current_user, reflection))
    return reflection


def _own_prompt(prompt_id: int | None) -> Prompt | None:
    if not prompt_id:
        return None
    prompt = queries.prompt_by_id(prompt_id) or abort(404)
    require(can_answer_prompt(current_user, prompt))
    return prompt


def _log(log_id: int | None) -> PracticeLog | None:
    return practice_queries.log_in_org(current_user.organisation_id, log_id) if log_id else None


def _own_log(log_id: int | None) -> PracticeLog | None:
    if not log_id:
        return None
    log = _log(log_id) or abort(404)
    require(can_change_log(current_user, log))
    return log


def _element_choices() -> list[tuple[int, str]]:
    return [(e.id, e.label(locale())) for e in elements.elements()]


def _version(*stamps: object) -> int:
    """A version number for the browser copy: the newest server-side save, in milliseconds."""
    return max((int(s.timestamp() * 1000) for s in stamps if s is not None), default=0)  # type: ignore[attr-defined]


def _form_page(form: ReflectionForm, template_key: str, **context: object) -> ResponseReturnValue:
    draft = queries.draft_for(current_user.id, form.draft_key.data)
    reflection = context.get("reflection")
    version = _version(draft.updated_at if draft else None,
                       reflection.updated_at if isinstance(reflection, Reflection) else None)
    return render_template(
        "reflection/form.html", form=form, template=catalogue.TEMPLATES[template_key],
        version=version, locale=locale(), **context,
    ), 400 if form.errors else 200


def _save_draft(form: ReflectionForm) -> None:
    # Guarded text is not stored (ServiceError); the form shows why and keeps it.
    with contextlib.suppress(ServiceError):
        services.save_draft(current_user, form.draft_key.data, form.draft_data(), utcnow())


def _submit(form: ReflectionForm, save: object) -> ResponseReturnValue | None:
    """Keep the draft on the server, then save; returns the redirect when saved, else None."""
    _save_draft(form)
    if form.validate():
        try:
            reflection = save()  # type: ignore[operator]
        except ServiceError as exc:
            db.session.rollback()  # nothing of a refused save stays, only the draft (saved again)
            _save_draft(form)
            form_error(form, exc)
        else:
            db.session.commit()
            session[SAVED_KEY] = form.draft_key.data
            flash(_("Your reflection is saved. Only you can read it, until you share it."), "success")
            return redirect(url_for("reflection.detail", reflection_id=reflection.id))
    db.session.commit()  # the draft, even when the form is refused
    return None


@bp.get("/")
def reflections() -> ResponseReturnValue:
    return render_template("reflection/list.html", rows=queries.reflections_for(current_user.id),
                           locale=locale(), cleared=session.pop(SAVED_KEY, None))


@bp.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    """Write a reflection: from a prompt (?prompt=), from an own log (?log=), or on one's own."""
    prompt = _own_prompt(request.args.get("prompt", type=int))
    log = _own_log(request.args.get("log", type=int) or (prompt.practice_log_id if prompt else None))
    template_key = request.args.get("template") or (prompt.schedule.template_key if prompt else None)
    item = queries.prompt_item(prompt.id) if prompt else None
    if template_key not in catalogue.TEMPLATES:
        return render_template("reflection/choose.html", templates=catalogue.TEMPLATES.values(),
                               prompt=prompt, item=item, log=log, locale=locale())
    key = services.draft_key(template_key, prompt.id if prompt else None, log.id if log else None)
    if request.method == "POST":
        form = _posted(template_key, key)
        done = _submit(form, lambda: services.create_reflection(
            current_user, template_key, form.answers(), form.skj_answers(), utcnow(),
            element_id=form.element_id.data, prompt=prompt, log=log))
        return done or _form_page(form, template_key, prompt=prompt, item=item, log=log)
    element = (prompt.element_id if prompt else None) or (
        next(iter(queries.log_element_ids(log.id)), None) if log else None)
    form, restored = _prefilled(template_key, key, {"element_id": element or 0})
    return _form_page(form, template_key, prompt=prompt, item=item, log=log, restored=restored)


def _posted(template_key: str, key: str) -> ReflectionForm:
    form = reflection_form(template_key, locale(), _element_choices())
    form.draft_key.data = key  # the server decides where the draft goes, not the browser
    return form


def _prefilled(template_key: str, key: str, saved: dict[str, object]) -> tuple[ReflectionForm, bool]:
    """The form for a GET: the server draft when there is one, else what was saved before."""
    draft = queries.draft_for(current_user.id, key)
    restored = bool(draft and draft.data)
    data = dict(draft.data) if draft and draft.data else saved
    form = reflection_form(template_key, locale(), _element_choices(), data=data)
    form.draft_key.data = key
    return form, restored


@bp.get("/<int:reflection_id>")
def detail(reflection_id: int) -> ResponseReturnValue:
    reflection = _readable(reflection_id)
    own = can_change_reflection(current_user, reflection)
    if not own:
        commit_access_record(
            lambda: services.record_shared_read(current_user, reflection, request.remote_addr)
        )
    shares = queries.active_shares(reflection.id) if own else []
    share_form = ShareForm()
    shared_ids = {s.coach_id for s in shares}
    share_form.coach_id.choices = choices(
        (c.id, c.display_name) for c in queries.coaches_of(current_user.id) if own and c.id not in shared_ids)
    return render_template(
        "reflection/detail.html", reflection=reflection, own=own, shares=shares, share_form=share_form,
        template=catalogue.template(reflection.template_key), skj_steps=catalogue.SKJ_STEPS,
        element=queries.element_by_id(reflection.element_id),
        log=_log(reflection.practice_log_id),
        locale=locale(), cleared=session.pop(SAVED_KEY, None),
    )


@bp.route("/<int:reflection_id>/edit", methods=["GET", "POST"])
def edit(reflection_id: int) -> ResponseReturnValue:
    reflection = _own(reflection_id)
    key = services.draft_key(reflection.template_key, reflection_id=reflection.id)
    if request.method == "POST":
        form = _posted(reflection.template_key, key)
        done = _submit(form, lambda: _update(reflection, form))
        return done or _form_page(form, reflection.template_key, reflection=reflection)
    saved: dict[str, object] = {f"answer_{k}": v for k, v in reflection.answers.items()}
    saved |= {f"skj_{k}": v for k, v in (reflection.skj_answers or {}).items()}
    saved["element_id"] = reflection.element_id or 0
    form, restored = _prefilled(reflection.template_key, key, saved)
    return _form_page(form, reflection.template_key, reflection=reflection, restored=restored)


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
    return jsonify(saved=True, version=_version(now))
