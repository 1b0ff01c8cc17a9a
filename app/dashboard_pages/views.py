"""Dashboard pages: a team's, the organisation overview, one's own; their figure data and exports."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    get_template_attribute,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.clock import local_today
from app.dashboard_pages import export, pages, services
from app.dashboard_pages.compressed import NOTHING, Part, compressed_response, part
from app.dashboard_pages.forms import FilterForm, GroupSizeForm, TargetForm
from app.dashboards.cache import cached
from app.dashboards.periods import Period, sustained_months
from app.dashboards.queries import unshared_client_rating
from app.dashboards.report import Report, person_report, team_reports
from app.db import utcnow
from app.elements.queries import catalogue_for
from app.menu import menu_facts
from app.practice.queries import own_mark
from app.remembered import remembered_form
from app.security import (
    can_set_team_target,
    can_view_organisation_dashboard,
    can_view_team_dashboard,
    is_admin,
    require,
    team_ties,
    team_with_ties,
)
from app.teams import queries as team_queries
from app.teams.models import Team
from app.views import commit_access_record, commit_or_refuse

bp = Blueprint("dashboards", __name__, url_prefix="/dashboards")


@bp.app_context_processor
def _chart_helpers() -> dict[str, Any]:
    return {"period_label": pages.period_label}


def _team(team_id: int) -> Team:
    team = team_with_ties(current_user, team_id)  # the rule below then needs no query of its own
    if team is None or team.organisation_id != current_user.organisation_id:
        abort(404)
    require(can_view_team_dashboard(current_user, team))
    return team


def _catalogue() -> list[Any]:
    return catalogue_for(current_user.organisation_id, include_retired=True)


@dataclass(frozen=True)
class Filter:
    """The period and element asked for, checked: what a page and its exports follow."""

    period: Period
    element: str | None
    args: Mapping[str, str]  # the checked values as query arguments, for the export links (shared: read only)
    box: Markup  # the filter as HTML, with a message beside each wrong field
    status: int  # 400 when something asked was wrong


FILTER_FIELDS = ("period", "start", "end", "element")


def _filter(action: str = "") -> Filter:
    """The filter of the query string. It follows from what was asked of its fields alone, the
    language, the organisation's catalogue and today's date, so it is made once per cache period
    for each (the box only for pages, which give its `action`)."""
    organisation = current_user.organisation
    asked = tuple(tuple(request.args.getlist(name)) for name in FILTER_FIELDS)
    key = ("filter", asked, action, str(get_locale()), organisation.id, organisation.catalogue_revision,
           local_today())
    return cached(key, lambda: _checked_filter(action))


def _checked_filter(action: str) -> Filter:
    """Invalid input falls back to the default period and is never written back into the page
    (the page is compressed: it echoes no request text)."""
    locale = str(get_locale())
    form = FilterForm([(e.element.key, e.element.label(locale)) for e in _catalogue()], formdata=request.args)
    valid = form.validate()
    for field in (form.start, form.end):
        field.raw_data = None
        if not valid:
            field.data = None
    if form.period.errors:
        form.period.data = form.period.default
    if form.element.errors:
        form.element.data = ""
    element = form.chosen_element()
    box = Markup()
    if action:
        box = Markup(get_template_attribute("dashboards/_macros.html", "filters")(form, action))  # noqa: S704
    return Filter(form.chosen_period(local_today()), element, _args(form, element), box,
                  400 if form.errors else 200)


def _labels() -> pages.Labels:
    """The catalogue's names in the page's language, made once per catalogue revision."""
    locale = str(get_locale())
    organisation = current_user.organisation

    def make() -> pages.Labels:
        catalogue = _catalogue()
        return pages.Labels({e.element.key: e.element.label(locale) for e in catalogue},
                            {t.key: t.label(locale) + (_(" (retired)") if t.retired else "")
                             for e in catalogue for t in e.techniques})

    return cached(("labels", locale, organisation.id, organisation.catalogue_revision), make)


def _settings(team: Team) -> tuple[int, int, str]:
    organisation = team.organisation
    return organisation.min_group_size, team.adoption_target, organisation.catalogue_revision


def _team_report(team: Team, period: Period) -> Report:
    return cached(_team_report_key(team, period), lambda: team_reports(
        [team.id], period, utcnow(), _catalogue(), k=team.organisation.min_group_size,
        targets={team.id: team.adoption_target / 100})[team.id])


def _team_report_key(team: Team, period: Period) -> tuple[Any, ...]:
    return ("report", team.id, period, *_settings(team))


def _team_content(team: Team, period: Period, element: str | None) -> tuple[Part, Part]:
    """The page's charts (sections as HTML) and the figure data (JSON), made and compressed once
    per cache period."""

    def make() -> tuple[Part, Part]:
        sections = pages.team_sections(_team_report(team, period), element, _labels())
        html = render_template("dashboards/_sections.html", sections=sections)
        data = {"period": {"start": period.start.isoformat(), "end": period.last_day.isoformat()},
                "figures": pages.figures(sections)}
        return part(html), part(json.dumps(data, separators=(",", ":")))

    return cached(("team", team.id, period, element, str(get_locale()), *_settings(team)), make)


CHARTS = Markup("<!-- charts -->")  # where a page's kept charts go; page text is escaped, so never this


def _page_around(charts: Part, template: str, status: int, **context: Any) -> Response:
    """`template` rendered with `charts` in place of its `content`, compressed (charts once)."""
    before, after = render_template(template, content=CHARTS, **context).split(CHARTS)
    return compressed_response(before, charts, after, "text/html", status)


def _role(team: Team | None) -> str:
    if is_admin(current_user):
        return "admin"
    ties = team_ties(current_user, [team.id])[team.id] if team is not None else None
    if ties is not None and ties.lead:
        return "lead"
    if ties is not None and ties.practitioner:
        return "practitioner"
    return "coach" if team is not None else "author"


@bp.get("/")
def index() -> ResponseReturnValue:
    menu_facts()  # the page's menu reads the organisation roles anyway: is_admin needs no query then
    admin = is_admin(current_user)
    listed = team_queries.teams_with_dashboard_for(current_user, utcnow(), admin)  # with the ties
    teams = [t for t in listed if can_view_team_dashboard(current_user, t)]
    return render_template("dashboards/index.html", teams=teams, admin=admin)


@bp.get("/teams/<int:team_id>")
def team(team_id: int) -> ResponseReturnValue:
    team = _team(team_id)
    asked = _filter(url_for("dashboards.team", team_id=team.id))
    charts, _figures = _team_content(team, asked.period, asked.element)
    return _page_around(charts, "dashboards/team.html", asked.status, team=team, period=asked.period,
                        element=asked.element, filter_box=asked.box, target_box=_target_box(team),
                        args=asked.args, element_label=_labels().elements.get(asked.element or "", ""))


def _target_box(team: Team) -> Markup | None:
    """The form for the team's target, for those who may set it. It never shows errors (a wrong
    number comes back as a message at the top), so it follows from the team, its target and the
    language: rendered once for each."""
    if not can_set_team_target(current_user, team):
        return None

    def render() -> str:
        form = TargetForm(adoption_target=team.adoption_target)
        return render_template("dashboards/_target.html", form=form, team=team)

    return remembered_form("target_boxes", (team.id, team.adoption_target), render)


@bp.get("/teams/<int:team_id>/figures.json")
def team_figures(team_id: int) -> ResponseReturnValue:
    team = _team(team_id)
    asked = _filter()
    figures = _team_content(team, asked.period, asked.element)[1]
    return compressed_response("", figures, "", "application/json")


@bp.get("/teams/<int:team_id>/export.<any(csv, xlsx):fmt>")
def team_export(team_id: int, fmt: str) -> ResponseReturnValue:
    team = _team(team_id)
    asked = _filter()
    report = _team_report(team, asked.period)
    commit_access_record(lambda: services.record_export(
        current_user, _role(team), f"team_dashboard_{fmt}", team.id, request.remote_addr))
    return _download({team.name: report}, asked.element, fmt, f"werkzaam-team-{team.id}-{asked.period.start}")


@bp.post("/teams/<int:team_id>/target")
def set_target(team_id: int) -> ResponseReturnValue:
    team = _team(team_id)
    require(can_set_team_target(current_user, team))
    form = TargetForm()
    url = url_for("dashboards.team", team_id=team.id, _anchor="sustained")
    if form.validate_on_submit() and (done := commit_or_refuse(
        form, lambda: services.set_team_target(current_user, team, int(form.adoption_target.data or 0)),
        _("The team's target is saved."), url,
    )):
        return done
    flash(_("Fill in a number from 1 to 100."), "error")
    return redirect(url)


@bp.get("/organisation")
def organisation() -> ResponseReturnValue:
    require(can_view_organisation_dashboard(current_user, current_user.organisation_id), hide=False)
    asked = _filter(url_for("dashboards.organisation"))
    teams, reports = _organisation_reports(asked.period)
    labels = _labels()
    columns = (pages.summary_columns(next(iter(reports.values())), asked.element, labels.elements)
               if reports else [])
    html = render_template(
        "dashboards/organisation.html", period=asked.period, teams=teams, reports=reports,
        filter_box=asked.box, columns=columns, fmt=pages.fmt, args=asked.args,
        size_form=GroupSizeForm(min_group_size=current_user.organisation.min_group_size))
    return compressed_response(html, NOTHING, "", "text/html", asked.status)


@bp.get("/organisation/export.<any(csv, xlsx):fmt>")
def organisation_export(fmt: str) -> ResponseReturnValue:
    require(can_view_organisation_dashboard(current_user, current_user.organisation_id), hide=False)
    asked = _filter()
    teams, reports = _organisation_reports(asked.period)
    commit_access_record(lambda: services.record_export(
        current_user, "admin", f"organisation_dashboard_{fmt}", current_user.organisation_id,
        request.remote_addr))
    return _download({t.name: reports[t.id] for t in teams}, asked.element, fmt,
                     f"werkzaam-organisatie-{asked.period.start}")


@bp.post("/organisation/settings")
def organisation_settings() -> ResponseReturnValue:
    require(can_view_organisation_dashboard(current_user, current_user.organisation_id), hide=False)
    form = GroupSizeForm()
    url = url_for("dashboards.organisation", _anchor="settings")
    if form.validate_on_submit() and (done := commit_or_refuse(
        form, lambda: services.set_min_group_size(current_user, current_user.organisation,
                                                  int(form.min_group_size.data or 0)),
        _("The minimum group size is saved."), url,
    )):
        return done
    flash(_("Fill in a number from 3 to 50."), "error")
    return redirect(url)


def _organisation_reports(period: Period) -> tuple[list[Team], dict[int, Report]]:
    teams = team_queries.teams_with_dashboard_for(current_user, utcnow(), True)
    targets = {t.id: t.adoption_target / 100 for t in teams}
    organisation = current_user.organisation
    key = ("organisation", organisation.id, period, organisation.min_group_size,
           tuple(sorted(targets.items())), organisation.catalogue_revision)
    reports = cached(key, lambda: team_reports([t.id for t in teams], period, utcnow(), _catalogue(),
                                               k=organisation.min_group_size, targets=targets))
    return teams, reports


@bp.get("/me")
def personal() -> ResponseReturnValue:
    asked = _filter(url_for("dashboards.personal"))
    return _page_around(_own_content(asked.period, asked.element), "dashboards/personal.html", asked.status,
                        period=asked.period, filter_box=asked.box, args=asked.args)


def _own_content(period: Period, element: str | None) -> Part:
    """The practice profile and one's own charts as HTML. They follow from one's own figures and
    the answers not shared with one (both by one's own key), the team's figures (by its key), the
    element and the language: made once for each, and again as soon as one of them changes."""
    team = _own_team()
    mine_key = _own_report_key(period)
    team_key = _team_report_key(team, period) if team else None

    def make() -> Part:
        mine = _own_report(period)
        labels = _labels()
        unshared = unshared_client_rating(current_user.id)
        return part(render_template(
            "dashboards/_personal_content.html", team=team,
            mine=pages.personal_sections(mine, element, labels, unshared),
            profile=pages.profile(mine, _team_report(team, period) if team else None, element,
                                  labels.elements)))

    return cached(("own page", mine_key, team_key, element, str(get_locale())), make)


@bp.get("/me/export.<any(csv, xlsx):fmt>")
def personal_export(fmt: str) -> ResponseReturnValue:
    asked = _filter()
    commit_access_record(lambda: services.record_export(
        current_user, "author", f"own_dashboard_{fmt}", current_user.id, request.remote_addr))
    return _download({"": _own_report(asked.period)}, asked.element, fmt,
                     f"werkzaam-mijn-cijfers-{asked.period.start}")


def _own_report(period: Period) -> Report:
    """One's own figures, kept like a team's (app/dashboards/cache.py), and made again at once when
    one's own logs in the period (or in the months of sustained adoption) change."""
    return cached(_own_report_key(period), lambda: person_report(
        current_user.id, period, utcnow(), _catalogue(), _own_target()))


def _own_report_key(period: Period) -> tuple[Any, ...]:
    """What one's own figures over `period` follow from; read once per request."""
    keys: dict[Period, tuple[Any, ...]] = g.setdefault("_own_report_keys", {})
    if period not in keys:
        first = min(period.start, sustained_months(period)[0].start)
        changed = own_mark(current_user.id, first, period.end)
        keys[period] = ("person", current_user.id, period, _own_target(),
                        current_user.organisation.catalogue_revision, changed)
    return keys[period]


def _own_target() -> float:
    """The target one's sustained adoption is measured against: one's team's, else a half."""
    team = _own_team()
    return team.adoption_target / 100 if team else 0.5


def _own_team() -> Team | None:
    """The team one is a practitioner of (the first by name), read once per request."""
    if "_own_dashboard_team" not in g:
        teams = team_queries.teams_with_dashboard_for(current_user, utcnow(), False)
        ties = team_ties(current_user, [t.id for t in teams])  # read with the teams: no query
        g._own_dashboard_team = next((t for t in teams if ties[t.id].practitioner), None)
    team: Team | None = g._own_dashboard_team
    return team


def _download(reports: dict[str, Report], element: str | None, fmt: str, name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    if fmt == "csv":
        return Response(export.to_csv(reports, element), mimetype="text/csv", headers=headers)
    body = export.to_xlsx(reports, element, _("For learning, not for appraisal."))
    return Response(body, headers=headers,
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _args(form: FilterForm, element: str | None) -> dict[str, str]:
    """The filter as query arguments for the export links (only checked values)."""
    args = {"period": form.period.data or ""}
    if form.period.data == "custom" and isinstance(form.start.data, date) and isinstance(form.end.data, date):
        args |= {"start": form.start.data.isoformat(), "end": form.end.data.isoformat()}
    if element:
        args["element"] = element
    return args
