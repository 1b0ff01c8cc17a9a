"""Client voice: the practitioner asks (link or hand-over); the client answers; the password ends a hand-over.

Three kinds of page: the practitioner's (signed in, with the menu), the client's in a hand-over
(signed in but locked: no menu, every other URL asks for the password) and the public one-time
link (no account; only the practitioner's first name is shown).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.clientvoice import export, queries, services
from app.clientvoice.forms import ANSWERED_BY, QUESTIONS, SCALE_LABELS, ClientRatingForm, UnlockForm
from app.clientvoice.models import ClientFeedbackRequest
from app.clock import local_today
from app.db import db, utcnow
from app.forms import required
from app.mail.services import external_url
from app.practice import queries as practice_queries
from app.practice.models import PracticeLog
from app.security import can_answer_handover, can_ask_client_feedback, handover_locked, require
from app.views import commit_access_record, commit_or_refuse

bp = Blueprint("clientvoice", __name__)
KEPT_LINKS = 3  # raw tokens of the last links made, kept in the maker's session to show them again


@bp.app_context_processor
def _client_voice_helpers() -> dict[str, object]:
    # App-wide: the log page shows a client-voice block (the home page's comes with its figures).
    return {"client_voice_for": _log_block,
            "client_labels": {"answered_by": ANSWERED_BY, "questions": QUESTIONS, "scale": SCALE_LABELS}}


def _log_block(log: PracticeLog) -> dict[str, object]:
    answers = queries.shared_answers(current_user, log)
    return {"answers": answers, "sdm": queries.sdm_element(log.organisation_id),
            # Beside an answer only (it reads the log's elements, which the log page keeps apart).
            "sdm_rating": queries.sdm_self_rating(log) if answers else None,
            "can_ask": can_ask_client_feedback(current_user, log)}


def _own_log(log_id: int) -> PracticeLog:
    log = practice_queries.log_in_org(current_user.organisation_id, log_id) or abort(404)
    require(can_ask_client_feedback(current_user, log))
    return log


def _no_store(body: ResponseReturnValue, *, no_referrer: bool = False) -> Response:
    """Client pages are never cached; a page whose URL holds a token sends no Referer either."""
    response = make_response(body)
    response.headers["Cache-Control"] = "no-store"
    if no_referrer:
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _client_language() -> str:
    """The language the client chose on their page (?lang=), else the page's usual one."""
    chosen = request.args.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        session["client_language"] = chosen
    return str(session.get("client_language") or get_locale())


def _in_client_language(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    from functools import wraps

    @wraps(view)
    def wrapped(*args: object, **kwargs: object) -> ResponseReturnValue:
        with force_locale(_client_language()):
            return view(*args, **kwargs)

    return wrapped


# --- the practitioner asks ----------------------------------------------------------------------


@bp.post("/logs/<int:log_id>/feedback/link")
def create_link(log_id: int) -> ResponseReturnValue:
    log = _own_log(log_id)
    request_row, raw = services.create_link(current_user, log, utcnow())
    db.session.commit()
    links = dict(list(session.get("client_links", {}).items())[-(KEPT_LINKS - 1):])
    session["client_links"] = {**links, str(request_row.id): raw}
    return redirect(url_for("clientvoice.show_link", log_id=log.id, request_id=request_row.id))


@bp.get("/logs/<int:log_id>/feedback/link/<int:request_id>")
def show_link(log_id: int, request_id: int) -> ResponseReturnValue:
    log = _own_log(log_id)
    request_row = queries.request_by_id(request_id)
    require(request_row is not None and request_row.log_id == log.id and request_row.channel == "link")
    raw = session.get("client_links", {}).get(str(request_id))
    url = external_url("clientvoice.answer_link", token=raw) if raw else None
    import segno  # here: only this page draws a QR code, and a worker need not hold it

    qr = segno.make(url, error="m").svg_data_uri(scale=6, border=4) if url else None
    return render_template("clientvoice/link.html", log=log, request_row=request_row, url=url, qr=qr)


@bp.route("/logs/<int:log_id>/feedback/handover", methods=["GET", "POST"])
def start_handover(log_id: int) -> ResponseReturnValue:
    log = _own_log(log_id)
    if request.method != "POST":
        return render_template("clientvoice/handover_start.html", log=log)
    request_row = services.start_handover(current_user, log, utcnow())
    db.session.commit()
    session.pop("client_language", None)
    session["handover"], session["handover_log"] = request_row.id, log.id
    return redirect(url_for("clientvoice.handover_form"))


@bp.get("/feedback/export.<any(csv, json):fmt>")
def export_answers(fmt: str) -> ResponseReturnValue:
    rows = queries.shared_answers_for_export(current_user.id)
    commit_access_record(lambda: services.record_export(current_user, fmt, request.remote_addr))
    # content_type, not mimetype: Werkzeug adds "; charset=utf-8" to a text/* mimetype itself.
    if fmt == "json":
        unshared = queries.unshared_figure(current_user.id)
        body, content_type = export.to_json(rows, unshared), "application/json"
    else:
        body, content_type = export.to_csv(rows), "text/csv; charset=utf-8"
    filename = f"werkzaam-client-ratings-{local_today().isoformat()}.{fmt}"
    return Response(body, content_type=content_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# --- the client answers on the practitioner's device (hand-over) --------------------------------


def _handover_request() -> ClientFeedbackRequest | None:
    request_row = queries.request_by_id(session.get("handover"))
    if request_row is None or not can_answer_handover(current_user, request_row, session.get("handover")):
        return None
    return request_row


def _rating_form() -> ClientRatingForm:
    form = ClientRatingForm()
    form.shared.label.text = _("May %(name)s see your answers?", name=queries.first_name(current_user))
    return form


@bp.route("/feedback/handover", methods=["GET", "POST"])
@_in_client_language
def handover_form() -> ResponseReturnValue:
    if not handover_locked(current_user):
        return redirect(url_for("main.index"))
    request_row = _handover_request()
    if request_row is None:
        return redirect(url_for("clientvoice.unlock"))
    now = utcnow()
    if request_row.used_at is not None or request_row.expires_at <= now:
        return redirect(url_for("clientvoice.handover_thanks"))
    form = _rating_form()
    thanks, done_url = _("Thank you."), url_for("clientvoice.handover_thanks")
    declined = request.method == "POST" and request.form.get("action") == "skip"
    if (declined or form.validate_on_submit()) and (done := commit_or_refuse(
        form, lambda: services.answer_handover(current_user, request_row, session.get("handover"),
                                               None if declined else form.to_answer(), now),
        thanks, done_url,
    )):
        return done
    name = queries.first_name(current_user)
    page = render_template("clientvoice/answer.html", form=form, name=name, handover=True)
    return _no_store((page, 400 if form.errors else 200))


@bp.get("/feedback/handover/thanks")
@_in_client_language
def handover_thanks() -> ResponseReturnValue:
    if not handover_locked(current_user):
        return redirect(url_for("main.index"))
    page = render_template("clientvoice/thanks.html", name=queries.first_name(current_user), handover=True)
    return _no_store(page)


@bp.route("/feedback/unlock", methods=["GET", "POST"])
def unlock() -> ResponseReturnValue:
    if not handover_locked(current_user):
        return redirect(url_for("main.index"))
    form = UnlockForm()
    status = 200
    if form.validate_on_submit():
        result = services.end_handover(current_user, required(form.password.data),
                                       request.remote_addr or "unknown", utcnow())
        db.session.commit()
        if result.unlocked:
            log_id = session.pop("handover_log", None)
            for key in ("handover", "client_language"):
                session.pop(key, None)
            return redirect(url_for("practice.view_log", log_id=log_id) if log_id else url_for("main.index"))
        if result.wait_seconds:
            wait = result.wait_seconds
            form.form_errors.append(_("Too many failed attempts. Try again in %(s)d seconds.", s=wait))
            status = 429
        else:
            form.password.errors = [_("This is not your password.")]
            status = 401
    elif form.is_submitted():
        status = 400
    page = render_template("clientvoice/unlock.html", form=form, name=queries.first_name(current_user))
    return _no_store((page, status))


# --- the client answers through the one-time link (public) --------------------------------------


@bp.route("/f/<token>", methods=["GET", "POST"])
@_in_client_language
def answer_link(token: str) -> ResponseReturnValue:
    now = utcnow()
    db.begin_write()  # the visit is counted, also on a GET
    allowed = services.count_link_visit(request.remote_addr or "unknown", now)
    db.session.commit()
    if not allowed:
        abort(429)
    request_row = queries.valid_link(token, now)
    if request_row is None:
        # Unknown, used and expired links get the very same page and status.
        return _no_store((render_template("clientvoice/link_invalid.html"), 410), no_referrer=True)
    name = queries.first_name(queries.practitioner_of(request_row))
    form = ClientRatingForm()
    form.shared.label.text = _("May %(name)s see your answers?", name=name)
    # A submit that lost the race to another submit of the same link stores nothing.
    if form.validate_on_submit() and (done := commit_or_refuse(
        form, lambda: services.answer_link(token, form.to_answer(), now),
        lambda stored: _("Thank you.") if stored else _("This link has just been used."),
        lambda stored: url_for("clientvoice.link_thanks") if stored else request.path,
    )):
        return done
    page = render_template("clientvoice/answer.html", form=form, name=name, handover=False)
    return _no_store((page, 400 if form.errors else 200), no_referrer=True)


@bp.get("/f/thanks")
@_in_client_language
def link_thanks() -> ResponseReturnValue:
    return _no_store(render_template("clientvoice/thanks.html", name=None, handover=False))
