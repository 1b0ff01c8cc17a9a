"""Every UI string has a Dutch translation, and the language follows the user's choice."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def test_every_extracted_string_has_a_dutch_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [str(Path(sys.executable).parent / "pybabel"), "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    extracted = {m.id for m in read_po(pot.open("rb")) if m.id}
    with (ROOT / "app/translations/nl/LC_MESSAGES/messages.po").open("rb") as fh:
        dutch = {m.id: m.string for m in read_po(fh) if m.id and "fuzzy" not in m.flags}

    def translated(message_id: object) -> bool:
        # A plural is a pair of ids with a pair of translations: every form must be filled in.
        text = dutch.get(message_id)  # type: ignore[call-overload]
        forms = text if isinstance(text, (tuple, list)) else (text,)
        return all(forms)

    untranslated = sorted(str(m) for m in extracted if not translated(m))
    assert extracted, "no strings extracted: the extraction itself is broken"
    assert untranslated == []


def test_visitor_gets_dutch_by_default_and_english_on_request(client):
    assert "Inloggen" in client.get("/login").text
    english = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "Sign in" in english.text and "Inloggen" not in english.text


def test_signed_in_user_sees_their_stored_language(client, admin, app):
    from app.auth.models import User
    from app.db import db

    with app.app_context():
        db.session.get(User, admin.id).language = "en"
        db.session.commit()
    client.login_as(admin)
    page = client.get("/admin/users", headers={"Accept-Language": "nl"})
    assert "Accounts" in page.text and "Invite someone" in page.text
