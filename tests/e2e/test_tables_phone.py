"""Tables on a phone: at 375 px a table's rows become blocks, and every value keeps its label.

The column headers are hidden on a narrow screen, so each cell shows its column's name itself
(data-label). Run on the demo organisation, in every role that sees a table.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

import pytest
from flask import Flask
from sqlalchemy import select

from app.db import db, utcnow
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_demo
from app.teams.models import Team
from tests.e2e.helpers import Phones, fits_the_screen, pass_second_factor

pytestmark = pytest.mark.e2e

LABELS = """
() => Array.from(document.querySelectorAll('#main table')).map(table => {
  const heads = Array.from(table.querySelectorAll('thead th')).map(th => {
    const copy = th.cloneNode(true);
    copy.querySelectorAll('.visually-hidden').forEach(el => el.remove());
    return copy.textContent.trim();
  });
  const headerShown = table.tHead && getComputedStyle(table.tHead).display !== 'none';
  const bare = [];
  table.querySelectorAll('tbody tr').forEach(tr => {
    Array.from(tr.cells).forEach((td, i) => {
      if (td.colSpan > 1 || !heads[i] || headerShown) return;
      const label = getComputedStyle(td, '::before').content;
      if (!label.includes(heads[i])) bare.push(heads[i] + ' | ' + td.textContent.trim().slice(0, 30));
    });
  });
  return {rows: table.tBodies[0] ? table.tBodies[0].rows.length : 0, headerShown, bare};
})
"""


def _sign_in(phones: Phones, local: str) -> Any:
    page = phones.open()
    page.goto("/login")
    page.fill("#email", f"{local}@{DEMO_DOMAIN}")
    page.fill("#password", DEMO_PASSWORD)
    page.locator("#main form button[type=submit]").click()
    page.wait_for_url(lambda url: urlparse(url).path != "/login")
    pass_second_factor(page, f"{local}@{DEMO_DOMAIN}", DEMO_TOTP_SECRET)  # the README's demo key
    return page


def test_every_table_keeps_its_labels_on_a_phone(app: Flask, live_server: str, phones: Phones) -> None:
    with app.app_context():
        seed_demo(utcnow() - timedelta(minutes=1))
        db.session.commit()
        team_id = db.session.scalar(select(Team.id).order_by(Team.id).limit(1))
    pages = {
        "jeugdprofessional": ["/reflection/groups", "/reflection/skj"],
        "teamleider": ["/reflection/schedules", "/reflection/groups"],
        "coach": ["/reflection/schedules"],
        "admin": ["/admin/users", "/admin/teams", f"/admin/teams/{team_id}"],
    }
    checked = 0
    for local, paths in pages.items():
        page = _sign_in(phones, local)
        for path in paths:
            page.goto(path)
            page.wait_for_load_state()
            fits_the_screen(page)
            tables = page.evaluate(LABELS)
            assert tables, f"{local} {path}: no table to check"
            for table in tables:
                assert table["rows"] > 0, f"{local} {path}: an empty table"
                assert not table["headerShown"], f"{local} {path}: the header row shows at 375 px"
                assert table["bare"] == [], f"{local} {path}: values without their label: {table['bare']}"
                checked += table["rows"]
    assert checked > 10
