"""The request side of writing a reflection, shared by every page that offers the form.

A new reflection (own, from a log, or answering a prompt) and an edit all keep a server-side draft
while typing, refuse guarded text without losing it, and tell the next page which browser copy to
drop. The pages differ only in what they save; they pass that as `save`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from flask import abort, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.db import db, utcnow
from app.elements import queries as elements
from app.practice import queries as practice_queries
from app.practice.models import PracticeLog
from app.reflection import catalogue, queries, services
from app.reflection.forms import ReflectionForm, reflection_form
from app.reflection.models import Reflection
from app.security import can_change_log, require
from app.services import ServiceError
from app.views import commit_or_refuse


def locale() -> str:
    return str(get_locale())


SAVED_KEY = "reflection_saved_draft"  # tells the next page which browser copy to drop


def log_in_org(log_id: int | None) -> PracticeLog | None:
    return practice_queries.log_in_org(current_user.organisation_id, log_id) if log_id else None


def own_log(log_id: int | None) -> PracticeLog | None:
    if not log_id:
        return None
    log = log_in_org(log_id) or abort(404)
    require(can_change_log(current_user, log))
    return log


def element_choices() -> list[tuple[int, str]]:
    return [(e.id, e.label(locale())) for e in elements.elements()]


def version(*stamps: object) -> int:
    """A version number for the browser copy: the newest server-side save, in milliseconds."""
    return max((int(s.timestamp() * 1000) for s in stamps if s is not None), default=0)  # type: ignore[attr-defined]


def form_page(form: ReflectionForm, template_key: str, **context: object) -> ResponseReturnValue:
    draft = queries.draft_for(current_user.id, form.draft_key.data or "")
    reflection = context.get("reflection")
    stamp = version(draft.updated_at if draft else None,
                    reflection.updated_at if isinstance(reflection, Reflection) else None)
    return render_template(
        "reflection/form.html", form=form, template=catalogue.TEMPLATES[template_key],
        version=stamp, locale=locale(), **context,
    ), 400 if form.errors else 200


def save_draft(form: ReflectionForm) -> None:
    # Guarded text is not stored (ServiceError); the form shows why and keeps it.
    with contextlib.suppress(ServiceError):
        services.save_draft(current_user, form.draft_key.data or "", form.draft_data(), utcnow())


def submit(form: ReflectionForm, save: Callable[[], Reflection]) -> ResponseReturnValue | None:
    """Keep the draft on the server, then save; returns the redirect when saved, else None."""
    save_draft(form)
    if form.validate():
        if done := commit_or_refuse(
            form, save, _("Your reflection is saved. Only you can read it, until you share it."),
            lambda reflection: url_for("reflection.detail", reflection_id=reflection.id),
        ):
            session[SAVED_KEY] = form.draft_key.data
            return done
        save_draft(form)  # the refusal rolled the draft back with the rest: keep it
    db.session.commit()  # the draft, even when the form is refused
    return None


def posted(template_key: str, key: str) -> ReflectionForm:
    form = reflection_form(template_key, locale(), element_choices())
    form.draft_key.data = key  # the server decides where the draft goes, not the browser
    return form


def prefilled(template_key: str, key: str, saved: dict[str, object]) -> tuple[ReflectionForm, bool]:
    """The form for a GET: the server draft when there is one, else what was saved before."""
    draft = queries.draft_for(current_user.id, key)
    restored = bool(draft and draft.data)
    data = dict(draft.data) if draft and draft.data else saved
    form = reflection_form(template_key, locale(), element_choices(), data=data)
    form.draft_key.data = key
    return form, restored


def write_page(template_key: str | None, draft_key: Callable[[str], str],
               save: Callable[[ReflectionForm, str], Reflection], element_id: int | None,
               choose_args: dict[str, int], **context: object) -> ResponseReturnValue:
    """A new reflection: the choice of model while none is chosen, then the form (saved on POST).

    `draft_key` names the draft of a model, `save` writes the reflection from the valid form,
    `element_id` preselects an element, `choose_args` keep the page's own URL arguments.
    """
    if template_key is None or template_key not in catalogue.TEMPLATES:
        return render_template("reflection/choose.html", templates=catalogue.TEMPLATES.values(),
                               choose_args=choose_args, locale=locale(), **context)
    key = draft_key(template_key)
    if request.method == "POST":
        form = posted(template_key, key)
        done = submit(form, lambda: save(form, template_key))
        return done or form_page(form, template_key, **context)
    form, restored = prefilled(template_key, key, {"element_id": element_id or 0})
    return form_page(form, template_key, restored=restored, **context)
