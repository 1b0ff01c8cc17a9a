"""Every page of every role, in Dutch, shows no English UI string (and its tables keep their labels).

Driven from the catalogue: a msgid whose Dutch translation is missing or identical to the English
(or a string the code passes to gettext that is not in the catalogue at all) fails when it shows
on a page. The pages are the demo organisation's, found by following links from the home page in
each demo role, plus the forms after a refused (empty) submit, where the error notices show.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from app.db import db, utcnow
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_demo
from app.teams.models import Team
from tests import factories
from tests.test_translations import catalogue, scanned_messages

# Words that are Dutch as they are (and also names in the demo data: "Team Noord"); Dutch
# youth care says coach, feedback and logs too, and "wk" is the Dutch short form of week as well.
SAME_IN_DUTCH = {"Team", "Teams", "Online", "Privacy", "Coach", "Feedback", "Live", "Logs", "Open", "Week",
                 "wk", "Dashboard", "Dashboards",
                 # labels put together from Dutch parts: only the order is in the catalogue
                 "%(element)s in %(n)d", "%(element)s in %(share)s", "%(element)s: %(answer)s", "wk %(n)d"}
ROLES = ("jeugdprofessional", "coach", "teamleider", "admin", "privacy")
PER_ENDPOINT = 3  # pages per route: a second log page shows nothing the first did not
SKIP = re.compile(r"/logout|/export|\.csv$|\.json$|^/static/|^/favicon")
BARE_CELL = re.compile(r'<td(?![^>]*(?:data-label|colspan|class="actions))[^>]*>')
ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "data-confirm", "value"}


class Visible(HTMLParser):
    """The text a person reads or hears: text, labels in attributes; not scripts, not lang="en"."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style") or values.get("lang") == "en":
            self._skip.append(tag)
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        if self._skip:
            return
        button = values.get("type") in ("submit", "button")
        for name, value in attrs:
            said = name in ATTRIBUTES and (name != "value" or button) or name.startswith("data-msg-")
            if value and said:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def english_patterns() -> dict[str, re.Pattern[str]]:
    """A pattern per UI string that has no Dutch of its own."""
    dutch = catalogue("nl")
    patterns = {}
    for msgid in set(dutch) | set(scanned_messages()):
        text = dutch.get(msgid)
        forms = text if isinstance(text, (tuple, list)) else (text,)
        if msgid in SAME_IN_DUTCH or (all(forms) and msgid not in forms):
            continue
        body = re.sub(r"%\\\(\w+\\\)[sd]", r".+?", re.escape(msgid)).replace("%%", "%")
        patterns[msgid] = re.compile(rf"(?<![\w-]){body}(?![\w-])")
    return patterns


def _login(client: Any, local: str) -> None:
    response = client.submit("/login", {"email": f"{local}@{DEMO_DOMAIN}", "password": DEMO_PASSWORD})
    assert response.status_code == 302, f"demo login {local} failed"
    if response.headers["Location"].startswith("/login/code"):  # the demo's documented key
        response = client.submit("/login/code", {"code": factories.code_now(DEMO_TOTP_SECRET)})
        assert response.status_code == 302, f"demo login {local}: the second factor was refused"


def _crawl(app: Flask, client: Any) -> dict[str, str]:
    """GET every page reachable by links from home (a few per route); path -> HTML."""
    adapter = app.url_map.bind("localhost")
    pages: dict[str, str] = {}
    per_endpoint: Counter[str] = Counter()
    queue = ["/"]
    while queue:
        path = queue.pop(0)
        if path in pages or SKIP.search(urlsplit(path).path):
            continue
        try:
            endpoint, _args = adapter.match(urlsplit(path).path, method="GET")
        except HTTPException:
            continue  # not a page of this app
        if per_endpoint[endpoint] >= PER_ENDPOINT:
            continue
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        per_endpoint[endpoint] += 1
        pages[path] = response.text
        parser = Visible()
        parser.feed(response.text)
        for href in parser.links:
            href = urldefrag(href)[0]
            if href.startswith("/") and not href.startswith("//") and href not in pages:
                queue.append(href)
    return pages


def _refused_forms(client: Any, team_id: int) -> dict[str, str]:
    """Forms submitted empty: the page again, with its error notices (status 400)."""
    forms = {"/logs/new": {}, "/reflection/schedules/new": {}, "/reflection/new?template=quick": {},
             "/account": {"action": "preferences", "prefs-display_name": ""},
             f"/reflection/groups/new?team={team_id}": {}, "/admin/users/invite": {}, "/admin/teams": {}}
    pages = {}
    for path, data in forms.items():
        response = client.submit(path, data)
        if response.status_code == 400:
            pages[f"POST {path}"] = response.text
    return pages


@pytest.fixture
def demo(app: Flask) -> int:
    with app.app_context():
        seed_demo(utcnow())
        db.session.commit()
        return int(db.session.scalar(select(Team.id).order_by(Team.id).limit(1)) or 0)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_every_role_is_in_dutch(app: Flask, demo: int, role: str) -> None:
    client = app.test_client()
    _login(client, role)
    pages = _crawl(app, client)
    pages.update(_refused_forms(client, demo))
    assert len(pages) >= 5, f"{role}: only {len(pages)} pages found"
    patterns = english_patterns()
    english, unlabelled = [], []
    for path, html in pages.items():
        # On a phone the header row is hidden: each value names its column (tests/e2e/test_tables_phone.py).
        unlabelled += [f"{path}: {td}" for td in BARE_CELL.findall(html)]
        assert '<html lang="nl">' in html, f"{role} {path} is not a Dutch page"
        parser = Visible()
        parser.feed(html)
        text = " ".join(" ".join(parser.parts).split())
        english += [f"{path}: {msgid!r}" for msgid, pattern in patterns.items() if pattern.search(text)]
    assert english == [], f"{role}: English on Dutch pages"
    assert unlabelled == [], f"{role}: table cells without their column's label"
