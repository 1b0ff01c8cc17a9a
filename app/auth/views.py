"""Sign in and out, invitations, password reset and the account page."""

from __future__ import annotations

import time

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_user, logout_user

from app.auth import queries, services
from app.auth import second_factor as factor
from app.auth.forms import (
    ChangePasswordForm,
    CodeForm,
    ForgotPasswordForm,
    LoginForm,
    PreferencesForm,
    SetPasswordForm,
)
from app.auth.models import User
from app.db import db, utcnow
from app.forms import required
from app.remembered import remembered_form
from app.security import load_user, needs_second_factor, signed_in_with_second_factor, start_session
from app.views import commit_or_refuse, safe_next

bp = Blueprint("auth", __name__)

PENDING = "pending_sign_in"  # a password accepted, the second factor still to come
PENDING_SECONDS = 300


def _client_address() -> str:
    return request.remote_addr or "unknown"


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        result = services.authenticate(required(form.email.data), required(form.password.data),
                                       _client_address(), utcnow())
        if result.user is not None:
            return _password_accepted(result.user)
        db.session.commit()
        if result.wait_seconds:
            form.form_errors.append(
                _("Too many failed attempts. Try again in %(s)d seconds.", s=result.wait_seconds)
            )
            status = 429
        else:
            form.form_errors.append(_("This e-mail address and password do not match."))
            status = 401
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", form=form), status


def _password_accepted(user: User) -> ResponseReturnValue:
    """With a second factor the code comes next; without one the session starts (and whoever needs
    one is sent to set it up before anything else: app/security.py)."""
    target = safe_next(request.args.get("next")) or url_for("main.index")
    session.clear()
    if factor.enrolment_of(user) is not None:
        db.session.commit()
        session[PENDING] = {"user": user.get_id(), "at": time.time(), "next": target}
        return redirect(url_for("auth.second_factor"))
    services.signed_in(user, False, utcnow())
    db.session.commit()
    login_user(user)
    start_session(user, second_factor=False)
    if needs_second_factor(user):
        return redirect(url_for("auth.second_factor_setup", next=target))
    return redirect(target)


def _pending_user() -> User | None:
    pending = session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    return load_user(pending["user"])


@bp.route("/login/code", methods=["GET", "POST"])
def second_factor() -> ResponseReturnValue:
    """The second step of signing in: a code of the authenticator app, or a recovery code."""
    user = _pending_user()
    if user is None:  # no password typed, or more than five minutes ago
        session.pop(PENDING, None)
        return render_template("auth/sign_in_again.html"), 410
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        check = factor.check_code(user, required(form.code.data), _client_address(), utcnow())
        if check.accepted:
            target = session.pop(PENDING)["next"]
            services.signed_in(user, True, utcnow())
            db.session.commit()
            session.clear()
            login_user(user)
            start_session(user, second_factor=True)
            return redirect(target)
        db.session.commit()
        if check.wait_seconds:
            form.form_errors.append(
                _("Too many failed attempts. Try again in %(s)d seconds.", s=check.wait_seconds))
            status = 429
        else:
            form.code.errors = [_("This code is not right, or it was used before. Wait for the next code.")]
            status = 401
    elif form.is_submitted():
        status = 400
    return render_template("auth/second_factor.html", form=form), status


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    services.sign_out(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password() -> ResponseReturnValue:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        allowed = services.request_password_reset(required(form.email.data), _client_address(), utcnow())
        db.session.commit()
        if not allowed:
            abort(429)
        return render_template("auth/reset_requested.html")
    return render_template("auth/forgot_password.html", form=form), 400 if form.errors else 200


def _password_page(purpose: str, token: str, template: str) -> ResponseReturnValue:
    if current_user.is_authenticated:
        logout_user()
        session.clear()
    if not queries.token_is_valid(token, purpose, utcnow()):
        return render_template("auth/link_invalid.html", purpose=purpose), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        setter = services.accept_invitation if purpose == "invite" else services.reset_password
        if done := commit_or_refuse(form, lambda: setter(token, required(form.password.data), utcnow()),
                                    _("Your password is set. You can sign in now."), url_for("auth.login")):
            return done
    return render_template(template, form=form), 400 if form.errors else 200


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> ResponseReturnValue:
    return _password_page("invite", token, "auth/accept_invitation.html")


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseReturnValue:
    return _password_page("reset", token, "auth/reset_password.html")


@bp.route("/account", methods=["GET", "POST"])
def account() -> ResponseReturnValue:
    user = current_user._get_current_object()
    prefs = PreferencesForm(obj=user, prefix="prefs")
    password = ChangePasswordForm(prefix="pw")
    action = request.form.get("action")
    if action == "preferences" and prefs.validate_on_submit():
        services.update_preferences(user, required(prefs.display_name.data), prefs.language.data)
        db.session.commit()
        refresh()  # the locale of this request was read before the change: say it in the new one
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("auth.account"))
    if action == "password" and password.validate_on_submit() and (done := commit_or_refuse(
        password,
        lambda: services.change_password(user, required(password.current_password.data),
                                         required(password.password.data)),
        _("Your password is changed. Other devices are signed out."), url_for("auth.account"),
    )):
        login_user(user)  # the session token rotated: keep this session, end all others
        start_session(user, second_factor=signed_in_with_second_factor())
        return done
    def render() -> str:
        return render_template("auth/_account_forms.html", prefs=prefs, password=password)

    errors = bool(prefs.errors or password.errors)
    key = (user.email, prefs.display_name.data, prefs.language.data)
    forms = remembered_form("account_forms", key, render, afresh=errors)
    return render_template("auth/account.html", account_forms=forms), 400 if errors else 200


from app.auth import factor_views  # noqa: E402, F401 - registers the second-factor pages on `bp`
