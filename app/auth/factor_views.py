"""The account's second factor: set it up (QR code drawn here), new recovery codes, switch it off."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from app.auth import second_factor as factor
from app.auth.forms import CodeForm
from app.auth.views import bp
from app.db import db, utcnow
from app.forms import required
from app.security import needs_second_factor, signed_in_with_second_factor
from app.services import ServiceError
from app.views import form_error, safe_next

SETUP_KEY = "second_factor_setup"  # the secret being set up, until its first code is typed


@bp.get("/account/second-factor")
def second_factor_settings() -> ResponseReturnValue:
    user = current_user._get_current_object()
    return render_template(
        "auth/second_factor_settings.html", enrolment=factor.enrolment_of(user),
        codes_left=factor.recovery_codes_left(user), needed=needs_second_factor(user), form=CodeForm(),
    )


@bp.route("/account/second-factor/setup", methods=["GET", "POST"])
def second_factor_setup() -> ResponseReturnValue:
    """Scan the QR code, type the code the app shows; then the recovery codes, shown once."""
    user = current_user._get_current_object()
    if factor.enrolment_of(user) is not None:
        if signed_in_with_second_factor():
            return redirect(url_for("auth.second_factor_settings"))
        logout_user()  # set up elsewhere since this session began: sign in with it
        session.clear()
        return redirect(url_for("auth.login"))
    secret = session.setdefault(SETUP_KEY, factor.new_secret())
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = factor.enrol(user, secret, required(form.code.data), utcnow())
        except ServiceError as exc:
            db.session.rollback()
            form_error(form, exc)
        else:
            db.session.commit()
            session.pop(SETUP_KEY, None)
            session["second_factor"] = True
            return render_template("auth/recovery_codes.html", codes=codes,
                                   next=safe_next(request.args.get("next")) or url_for("main.index"))
    uri = factor.setup_uri(user, secret)
    return render_template(
        "auth/second_factor_setup.html", form=form, secret=secret, qr=factor.qr_svg(uri),
        needed=needs_second_factor(user),
    ), 400 if form.errors else 200


def _with_code(action: str) -> ResponseReturnValue:
    user = current_user._get_current_object()
    form = CodeForm()
    if form.validate_on_submit():
        try:
            if action == "renew":
                codes = factor.renew_recovery_codes(user, required(form.code.data), utcnow())
            else:
                factor.switch_off(user, required(form.code.data), utcnow())
        except ServiceError as exc:
            db.session.rollback()
            form_error(form, exc)
        else:
            db.session.commit()
            if action == "renew":
                return render_template("auth/recovery_codes.html", codes=codes,
                                       next=url_for("auth.second_factor_settings"))
            flash(_("You no longer sign in with a second factor."), "success")
            return redirect(url_for("auth.second_factor_settings"))
    return render_template(
        "auth/second_factor_settings.html", enrolment=factor.enrolment_of(user),
        codes_left=factor.recovery_codes_left(user), needed=needs_second_factor(user), form=form,
    ), 400


@bp.post("/account/second-factor/recovery-codes")
def renew_recovery_codes() -> ResponseReturnValue:
    return _with_code("renew")


@bp.post("/account/second-factor/off")
def switch_off_second_factor() -> ResponseReturnValue:
    return _with_code("off")
