"""Who may open which dashboard (privacy.md), and what each page states and shows."""

from __future__ import annotations

import gzip
import re
from datetime import date

import pytest

from app.charts import assets
from app.security import can_set_team_target, can_view_team_dashboard
from tests import factories
from tests.dashboards.helpers import members

PERIOD = {"period": "custom", "start": "2026-01-05", "end": "2026-01-18"}


@pytest.fixture
def west(org):
    return factories.team(org, "Team West")


@pytest.fixture
def people(org, team, west, practitioner, coach, lead, admin, privacy_officer, other_admin):
    west_lead = factories.user(org, "lead.west@example.org", team=west, team_role="lead")
    west_practitioner = factories.user(org, "west@example.org", team=west)
    outsider_coach = factories.user(org, "coach.west@example.org")
    factories.coach_assignment(outsider_coach, west_practitioner)
    return {"practitioner": practitioner, "coach": coach, "lead": lead, "admin": admin,
            "privacy_officer": privacy_officer, "other_admin": other_admin, "west_lead": west_lead,
            "west_practitioner": west_practitioner, "west_coach": outsider_coach}


# role -> (team dashboard of Team Oost, organisation overview)
MATRIX = {
    "lead": (200, 403), "practitioner": (200, 403), "coach": (200, 403), "admin": (200, 200),
    "west_lead": (404, 403), "west_practitioner": (404, 403), "west_coach": (404, 403),
    "privacy_officer": (404, 403), "other_admin": (404, 200),
}


@pytest.mark.parametrize(("role", "team_page", "overview"), [(r, *v) for r, v in MATRIX.items()])
def test_who_sees_which_dashboard(client, team, people, role, team_page, overview):
    client.login_as(people[role])
    for suffix in ("", "/figures.json", "/export.csv", "/export.xlsx"):
        assert client.get(f"/dashboards/teams/{team.id}{suffix}").status_code == team_page, suffix
    assert client.get("/dashboards/organisation").status_code == overview
    assert client.get("/dashboards/organisation/export.csv").status_code == overview
    assert client.get("/dashboards/me").status_code == 200  # one's own, whoever one is


def test_only_the_lead_or_an_admin_sets_the_target(app, team, people):
    with app.app_context():
        from app.db import db
        from app.teams.models import Team

        oost = db.session.get(Team, team.id)
        assert oost is not None
        allowed = {role for role, user in people.items() if can_set_team_target(user, oost)}
        seen = {role for role, user in people.items() if can_view_team_dashboard(user, oost)}
    assert allowed == {"lead", "admin"}
    assert seen == {"lead", "practitioner", "coach", "admin"}


def test_the_lead_sets_the_target_and_sustained_follows_it(client, team, lead, people):
    client.login_as(lead)
    response = client.submit(f"/dashboards/teams/{team.id}/target", {"adoption_target": "70"})
    assert response.status_code == 302
    page = client.get(f"/dashboards/teams/{team.id}").text
    assert "Minstens 70% van het team paste het toe" in page
    client.submit(f"/dashboards/teams/{team.id}/target", {"adoption_target": "0"})
    assert "Minstens 70%" in client.get(f"/dashboards/teams/{team.id}").text  # refused, unchanged
    client.submit("/logout")
    client.login_as(people["practitioner"])
    assert client.submit(f"/dashboards/teams/{team.id}/target", {"adoption_target": "20"}).status_code == 404


def test_the_target_form_from_memory_shows_the_target_and_takes_each_visitors_token(
    app, team, lead, admin, practitioner
):
    """The target's form is rendered once per team, target and language (dashboards/_target.html):
    each visitor still posts it with their own token, and it shows the target as it is now."""

    def box(page: str) -> str:
        start = page.index('aria-labelledby="target-title"')
        return page[start:page.index("</section>", start)]

    browsers = {}
    for person in (lead, admin, practitioner):
        browsers[person.email] = app.test_client()
        browsers[person.email].login_as(person)
    url = f"/dashboards/teams/{team.id}"
    lead_box = box(browsers[lead.email].get(url).text)
    admin_box = box(browsers[admin.email].get(url).text)  # from memory
    assert 'value="50"' in lead_box and 'value="50"' in admin_box and "slot" not in admin_box
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', admin_box).group(1)
    saved = browsers[admin.email].post(f"{url}/target", data={"csrf_token": token, "adoption_target": "65"})
    assert saved.status_code == 302
    assert 'value="65"' in box(browsers[lead.email].get(url).text)
    assert 'aria-labelledby="target-title"' not in browsers[practitioner.email].get(url).text


def test_the_team_page_states_its_purpose_and_names_nobody(client, org, team, lead):
    p = members(org, team, 5, name="Zichtbare Naam")
    for person in p:
        factories.practice_log(person, session_date=date(2026, 1, 6), note="Eigen aantekening")
    client.login_as(lead)
    page = client.get(f"/dashboards/teams/{team.id}", query_string=PERIOD).text
    assert "Voor leren, niet voor beoordelen." in page
    assert "Zichtbare Naam" not in page and "Eigen aantekening" not in page
    assert "In 1 van de 2 weken logde het team gemiddeld 5,0 gesprekken per week." in page
    for key in ("sessions", "adoption", "coverage", "ratings", "reflection", "feedback", "intervisie",
                "sustained", "techniques-shared_decision_making"):
        assert f'id="{key}"' in page, key
    assert 'data-target="chart-sessions"' in page and "<script>" not in page  # figures as JSON only


def test_the_element_filter_shows_one_element(client, team, lead):
    client.login_as(lead)
    page = client.get(f"/dashboards/teams/{team.id}",
                      query_string={**PERIOD, "element": "problem_solving"}).text
    assert 'id="techniques-problem_solving"' in page
    assert 'id="techniques-shared_decision_making"' not in page


def test_invalid_filter_input_is_refused_and_not_echoed(client, team, lead):
    client.login_as(lead)
    response = client.get(f"/dashboards/teams/{team.id}",
                          query_string={"period": "custom", "start": "2026-02-01", "end": "<b>x</b>"})
    assert response.status_code == 400
    assert "&lt;b&gt;x" not in response.text and "<b>x" not in response.text
    assert client.get(f"/dashboards/teams/{team.id}", query_string={"period": "99"}).status_code == 400


def test_the_filter_shows_what_each_request_asked(client, team, lead):
    """The filter is made once per choice: each request sees its own choice, and only an invalid
    one shows a message beside the field."""
    client.login_as(lead)
    url = f"/dashboards/teams/{team.id}"
    for _ in range(2):
        page = client.get(url, query_string={"period": "26"}).text
        assert '<option selected value="26">' in page and '<option selected value="12">' not in page
        page = client.get(url).text
        assert '<option selected value="12">' in page and 'value="2026-01-05"' not in page
        page = client.get(url, query_string=PERIOD).text
        assert '<option selected value="custom">' in page
        assert 'id="start" name="start" type="date" value="2026-01-05"' in page
        assert 'id="end" name="end" type="date" value="2026-01-18"' in page
        assert 'class="error"' not in page and '<details class="filter-box">' in page
        other = {**PERIOD, "end": "2026-01-25", "element": "problem_solving"}
        page = client.get(url, query_string=other).text
        assert 'type="date" value="2026-01-25"' in page and 'value="2026-01-18"' not in page
        assert '<option selected value="problem_solving">' in page
        refused = client.get(url, query_string={**PERIOD, "start": "2026-01-19"})
        assert refused.status_code == 400
        assert 'id="end-error">De einddatum moet na de begindatum liggen.' in refused.text
        assert '<details class="filter-box" open>' in refused.text


def test_the_kept_filter_follows_the_page_the_language_and_the_day(client, team, lead, freeze_clock):
    """The checked filter is kept per question asked (views._filter): the same question asked on
    another page, in another language or on another day gets its own answer."""
    from datetime import UTC, datetime

    from sqlalchemy import update

    from app.auth.models import User

    client.login_as(lead)
    team_url = f"/dashboards/teams/{team.id}"
    week_later = {"period": "custom", "start": "2026-03-02", "end": "2026-03-10"}

    def period_line(url: str, **args: str) -> str:
        page = client.get(url, query_string=args).text
        return page[page.index('<p class="period">'):].split("</p>")[0]

    freeze_clock(datetime(2026, 3, 9, 12, tzinfo=UTC))  # a Monday
    assert "9 februari 2026 tot en met 8 maart" in period_line(team_url, period="4")  # the weeks before
    assert client.get(team_url, query_string=week_later).status_code == 400  # ends after today
    assert 'action="/dashboards/me"' in client.get("/dashboards/me", query_string={"period": "4"}).text
    freeze_clock(datetime(2026, 3, 16, 12, tzinfo=UTC))
    assert "16 februari 2026 tot en met 15 maart" in period_line(team_url, period="4")
    assert client.get(team_url, query_string=week_later).status_code == 200

    with factories.committed() as s:
        s.execute(update(User).where(User.id == lead.id).values(language="en"))
    page = client.get(team_url, query_string={"period": "4"}).text
    assert "Choose the period or an element" in page and "Kies de periode" not in page
    assert "16 February 2026" in page


def test_the_exports_follow_the_filter_asked(client, team, lead):
    client.login_as(lead)
    url = f"/dashboards/teams/{team.id}/export.csv"
    everything = client.get(url, query_string=PERIOD).text
    one = client.get(url, query_string={**PERIOD, "element": "problem_solving"}).text
    assert "shared_decision_making" in everything and "shared_decision_making" not in one
    assert "problem_solving" in one and "2026-01-05" in one
    refused = client.get(url, query_string={**PERIOD, "element": "nonsense"}).text
    assert refused == client.get(url).text != everything  # wrong: all elements, the default period


def test_the_overview_lists_teams_by_name_not_by_score(client, org, team, west, admin):
    busy = factories.team(org, "Aa Team")
    for person in members(org, busy, 5, prefix="busy"):
        factories.practice_log(person, session_date=date(2026, 1, 6))
    client.login_as(admin)
    page = client.get("/dashboards/organisation", query_string=PERIOD).text
    assert page.index("Aa Team") < page.index("Team Oost") < page.index("Team West")
    assert "Voor leren, niet voor beoordelen." in page
    client.submit("/dashboards/organisation/settings", {"min_group_size": "2"})
    page = client.get("/dashboards/organisation").text
    assert 'value="5"' in page  # below 3 is refused


def test_own_figures_without_threshold_beside_the_team(client, org, team, practitioner):
    factories.practice_log(practitioner, session_date=date(2026, 1, 6), ratings={"shared_decision_making": 2})
    client.login_as(practitioner)
    page = client.get("/dashboards/me", query_string=PERIOD).text
    assert "Je logde 1 gesprekken in deze periode." in page  # one contributor: shown to oneself
    assert "Voor leren, niet voor beoordelen." in page
    assert "te weinig gegevens" in page  # the team's figures of one person are hidden
    assert client.get("/dashboards/me/export.csv", query_string=PERIOD).status_code == 200


def test_own_figures_follow_ones_own_logs_at_once(client, practitioner):
    """One's own figures are kept for a while (app/dashboards/cache.py), but one's own new, edited
    and deleted logs show at once."""
    from tests.practice.helpers import log_form

    def sessions() -> str:
        found = re.search(r"Je logde (\d+) gesprekken in deze periode", client.get(
            "/dashboards/me", query_string=PERIOD).text)
        return found.group(1) if found else "none"

    factories.practice_log(practitioner, session_date=date(2026, 1, 6))
    client.login_as(practitioner)
    assert sessions() == "1"
    added = factories.practice_log(practitioner, session_date=date(2026, 1, 13))
    assert sessions() == "2"
    moved = client.submit(f"/logs/{added.id}/edit", log_form(session_date="2026-02-02"))
    assert moved.status_code == 302 and sessions() == "1"
    first = factories.practice_log(practitioner, session_date=date(2026, 1, 7))
    assert sessions() == "2"
    assert client.submit(f"/logs/{first.id}/delete").status_code == 302
    assert sessions() == "1"


def test_plotly_is_served_compressed_and_cached_for_a_year(client, lead):
    client.login_as(lead)
    page = client.get("/dashboards/me").text
    url = next(part.split('"')[0] for part in page.split('src="') if part.startswith("/charts/plotly-"))
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]
    assert len(response.data) < 1_500_000
    assert client.get(url, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    assert client.get("/charts/plotly-0.0.0-x.min.js").status_code == 404


def test_plotly_is_served_whole_and_its_styles_come_from_the_file(client, lead):
    client.login_as(lead)
    page = client.get("/dashboards/me").text
    url = next(part.split('"')[0] for part in page.split('src="') if part.startswith("/charts/plotly-"))
    script = assets.PLOTLY_JS.read_bytes()
    assert gzip.decompress(client.get(url, headers={"Accept-Encoding": "gzip"}).data) == script
    assert client.get(url).data == script
    ids = dict.fromkeys(re.findall(rb'getElementById\("([0-9a-f]{64})"\)', script))
    assert ids and all(f'<meta name="plotly-style" id="{i.decode()}">' in page for i in ids)
    css = client.get(url.replace(".min.js", ".css")).text
    assert ".js-plotly-plot .plotly .main-svg{" in css and css.count("{") > 20


@pytest.mark.parametrize("into", [1, 10, -1])
def test_the_file_is_searched_in_pieces_without_missing_a_match_across_their_edges(monkeypatch, into):
    script = assets.PLOTLY_JS.read_bytes()
    for pattern, longest in ((assets._STYLE_ID, 100), (assets._TABLE, 16)):
        whole = [(m.start(), m.group()) for m in pattern.finditer(script)]
        first = next(pattern.finditer(script))
        # The first piece ends inside the first match: `into` bytes after its start (-1: before its end).
        monkeypatch.setattr(assets, "CHUNK", first.start() + into if into > 0 else first.end() - 1)
        assert whole and [(at, m.group()) for at, m in assets._file_matches(pattern, longest)] == whole


def test_the_mark_of_ones_logs_changes_with_every_change_in_its_range(app, client, org, practitioner):
    from app.practice.queries import own_mark
    from tests.practice.helpers import log_form

    other = factories.user(org, "ander@example.org")
    log = factories.practice_log(practitioner, session_date=date(2026, 1, 6))

    def mark() -> tuple:
        with app.app_context():
            return own_mark(practitioner.id, date(2026, 1, 5), date(2026, 1, 19))

    before = mark()
    factories.practice_log(practitioner, session_date=date(2026, 1, 19))  # the end is not in it
    factories.practice_log(other, session_date=date(2026, 1, 6))  # someone else's
    assert mark() == before
    client.login_as(practitioner)
    edited = client.submit(f"/logs/{log.id}/edit", log_form(session_date="2026-01-06",
                                                             rating_shared_decision_making="2"))
    assert edited.status_code == 302
    assert mark()[0] == before[0] and mark() != before  # edited in place: the same number, later


def test_own_page_follows_the_team_the_element_and_the_language_at_once(client, org, team, practitioner):
    """The profile and charts of one's own page are kept as made (views._own_content); each thing
    they follow from changes them at once: the team's figures (here through the organisation's
    group size), the element chosen and the language."""
    from sqlalchemy import update

    from app.auth.models import User
    from app.organisations.models import Organisation

    factories.practice_log(practitioner, session_date=date(2026, 1, 6), ratings={"shared_decision_making": 2})
    for person in members(org, team, 2, prefix="oost"):
        factories.practice_log(person, session_date=date(2026, 1, 6), ratings={"shared_decision_making": 2})
    client.login_as(practitioner)

    def profile(**args: str) -> str:
        page = client.get("/dashboards/me", query_string=PERIOD | args).text
        start = page.index('id="profile-title"')
        return page[start:page.index("</section>", start)]

    def logged(profile: str) -> str:
        cells = r"</th><td[^>]*>[^<]*</td><td[^>]*>([^<]*)<"
        row = re.search(r">(?:Gelogde gesprekken|Logged sessions)" + cells, profile)
        assert row, profile
        return row.group(1)

    everything = profile()
    assert "Dekking: Emoties leren reguleren" in everything and logged(everything) == "te weinig gegevens"
    one_element = profile(element="shared_decision_making")
    assert "Dekking: Samenwerken en samen beslissen" in one_element
    assert "Emoties leren reguleren" not in one_element

    with factories.committed() as s:  # three people logged: enough once the group size is 3
        s.execute(update(Organisation).where(Organisation.id == org.id).values(min_group_size=3))
    assert logged(profile()) == "3"

    with factories.committed() as s:
        s.execute(update(User).where(User.id == practitioner.id).values(language="en"))
    in_english = profile()
    assert "Your practice profile" in in_english and logged(in_english) == "3"


@pytest.mark.parametrize(("role", "path"), [
    ("practitioner", "/dashboards/"), ("practitioner", "/dashboards/me"), ("lead", "/dashboards/"),
    ("coach", "/dashboards/"), ("admin", "/dashboards/"),
])
def test_the_dashboard_teams_come_with_their_ties_in_one_statement(app, client, team, people, role, path):
    """The list of teams one may open, and one's ties to them that its rule asks, are one read."""
    from tests.test_statement_counts import statements_of

    client.login_as(people[role])
    statements = statements_of(app, client, path)
    reads = [s for s in statements if re.search(r"\bFROM teams\b", s)]
    assert len(reads) == 1, reads


@pytest.mark.parametrize("role", ["lead", "practitioner", "coach", "admin"])
@pytest.mark.parametrize("page", ["", "/figures.json"])
def test_a_team_dashboard_reads_its_team_with_the_user(app, client, team, people, role, page):
    """Once its figures are kept, a team's dashboard (page and figure data) runs one statement:
    the signed-in user with the menu's facts, the team of the URL and one's ties to it. (A coach's
    menu also counts their queue, in a statement of its own on every page.)"""
    from tests.test_statement_counts import statements_of

    client.login_as(people[role])
    statements = [s for s in statements_of(app, client, f"/dashboards/teams/{team.id}{page}")
                  if not s.startswith("BEGIN")]  # SQLite's BEGIN: a statement of no query
    queue = 1 if role == "coach" and not page else 0
    assert len(statements) == 1 + queue, [" ".join(s.split())[:160] for s in statements]
    assert re.search(r"\bJOIN teams\b", statements[0])


def test_own_page_shows_new_and_deleted_answers_at_once(client, practitioner):
    """The unshared answers count over all one's sessions, also outside the period shown: each new
    or deleted one changes one's page at once, though the logs of the period stay the same."""
    from tests.clientvoice.helpers import rating

    factories.practice_log(practitioner, session_date=date(2026, 1, 6))
    old = factories.practice_log(practitioner, session_date=date(2025, 3, 3))
    for _ in range(2):
        rating(old, (4, 4, 4), shared=False)
    client.login_as(practitioner)

    def hidden() -> str:
        page = client.get("/dashboards/me", query_string=PERIOD).text
        return re.search(r"(?:Answers not shared|Antwoorden die niet)[^<]*", page).group()

    assert "3" in hidden() and "100" not in hidden()  # shown from three on
    third = rating(old, (4, 4, 4), shared=False)
    assert "100" in hidden()
    with factories.committed() as s:
        s.delete(s.get(type(third), third.id))
    assert "100" not in hidden()
