"""Catalogue administration: the organisation's techniques per element (admins only)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.db import db, utcnow
from app.elements import queries, services
from app.elements.forms import TechniqueForm
from app.elements.models import Technique
from app.forms import ConfirmForm
from app.remembered import remembered_form
from app.security import admin_required
from app.views import commit_or_refuse

bp = Blueprint("elements", __name__, url_prefix="/admin/catalogue")


def _technique_or_404(technique_id: int) -> Technique:
    return queries.technique_in_org(current_user.organisation_id, technique_id) or abort(404)


def _text(form: TechniqueForm) -> services.TechniqueText:
    return services.TechniqueText(form.label_nl.data or "", form.label_en.data or "",
                                  form.howto_nl.data or "", form.howto_en.data or "")


def _back(technique: Technique) -> str:
    place = f"technique-{technique.id}"  # back at the technique, with the message beside it
    return url_for("elements.index", at=place, _anchor=place)


@bp.get("")
@admin_required
def index() -> ResponseReturnValue:
    organisation = current_user.organisation
    catalogue = queries.catalogue_for(organisation.id, include_retired=True)

    def render() -> str:
        return render_template("elements/_catalogue_list.html", catalogue=catalogue)

    # The list follows from the catalogue (its revision) and the language alone, unless it shows
    # a message at a technique (?at=): then it is made for this request.
    key = (organisation.id, organisation.catalogue_revision)
    listed = remembered_form("catalogue_lists", key, render, afresh=bool(request.args.get("at")))
    return render_template("elements/index.html", catalogue_list=listed)


@bp.route("/<element_key>/new", methods=["GET", "POST"])
@admin_required
def new_technique(element_key: str) -> ResponseReturnValue:
    element = queries.element_by_key(element_key) or abort(404)
    form = TechniqueForm()
    if form.validate_on_submit() and (done := commit_or_refuse(
        form, lambda: services.add_technique(current_user, element, _text(form)),
        _("The technique is added."), _back,
    )):
        return done
    status = 400 if form.errors else 200
    return render_template("elements/technique_form.html", form=form, element=element, technique=None), status


@bp.route("/techniques/<int:technique_id>", methods=["GET", "POST"])
@admin_required
def edit_technique(technique_id: int) -> ResponseReturnValue:
    technique = _technique_or_404(technique_id)
    form = TechniqueForm(obj=technique)
    if form.validate_on_submit() and (done := commit_or_refuse(
        form, lambda: services.update_technique(current_user, technique, _text(form)),
        _("The technique is saved."), _back(technique),
    )):
        return done
    status = 400 if form.errors else 200
    return render_template(
        "elements/technique_form.html", form=form, element=technique.element, technique=technique
    ), status


@bp.post("/techniques/<int:technique_id>/move")
@admin_required
def move_technique(technique_id: int) -> ResponseReturnValue:
    technique = _technique_or_404(technique_id)
    direction = request.form.get("direction", "")
    if direction not in ("up", "down"):
        abort(400)
    services.move_technique(current_user, technique, direction)
    db.session.commit()
    return redirect(_back(technique))


@bp.route("/techniques/<int:technique_id>/<any(retire, unretire):action>", methods=["GET", "POST"])
@admin_required
def retire_technique(technique_id: int, action: str) -> ResponseReturnValue:
    """A confirmation page (GET) and the change itself (POST), for retiring and bringing back."""
    technique = _technique_or_404(technique_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        if action == "retire":
            services.retire_technique(current_user, technique, utcnow())
            flash(_("The technique is retired. Existing logs keep it."), "success")
        else:
            services.unretire_technique(current_user, technique)
            flash(_("The technique is offered in new logs again."), "success")
        db.session.commit()
        return redirect(_back(technique))
    return render_template("elements/confirm.html", technique=technique, action=action, form=form)


@bp.cli.command("seed")
def seed_command() -> None:
    """Give every organisation the seed techniques it lacks (`flask elements seed`; safe to rerun)."""
    import click

    added = sum(services.seed_catalogue(org) for org in queries.organisations())
    db.session.commit()
    click.echo(f"Catalogue seeded: {added} techniques added.")
