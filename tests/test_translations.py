"""Every UI string has a Dutch translation, and the language follows the user's choice."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.extract import extract
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
CATALOGUES = APP / "translations"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "lazy_ngettext": (1, 2)}
METHODS = {".py": "python", ".html": "jinja2", ".txt": "jinja2"}


def scanned_messages() -> dict[str, str]:
    """Every msgid the code and templates pass to gettext, found by walking *every* folder of app/.

    Deliberately not pybabel's directory walk (which skips folders starting with `_` or `.`):
    a string in a folder the extraction misses must fail the test below.
    """
    found: dict[str, str] = {}
    for path in sorted(APP.rglob("*")):
        method = METHODS.get(path.suffix)
        if method is None or "translations" in path.parts:
            continue
        options = {"extensions": "jinja2.ext.do"} if method == "jinja2" else {}
        with path.open("rb") as fh:
            for _lineno, message, _comments, _context in extract(method, fh, KEYWORDS, options=options):
                ids = message if isinstance(message, tuple) else (message,)
                if ids[0]:
                    found.setdefault(ids[0], str(path.relative_to(ROOT)))
    return found


def catalogue(language: str) -> dict[str, object]:
    with (CATALOGUES / language / "LC_MESSAGES/messages.po").open("rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0]: m.string
                for m in read_po(fh) if m.id and "fuzzy" not in m.flags}


def makefile_extraction(pot: Path) -> list[str]:
    """The `pybabel extract` command of the Makefile's `translations` target, writing to `pot`."""
    line = next(line for line in (ROOT / "Makefile").read_text().splitlines()
                if "pybabel extract" in line)
    args = shlex.split(line.replace("$(BIN)/", ""))
    args[args.index("-o") + 1] = str(pot)
    return [str(Path(sys.executable).parent / args[0]), *args[1:]]


def _filled(text: object) -> Iterator[bool]:
    # A plural is a pair of ids with a pair of translations: every form must be filled in.
    for form in (text if isinstance(text, (tuple, list)) else (text,)):
        yield bool(form)


def test_every_string_passed_to_gettext_has_a_dutch_translation() -> None:
    scanned = scanned_messages()
    dutch = catalogue("nl")
    assert len(scanned) > 300, "the scan found almost nothing: the scan itself is broken"
    untranslated = sorted(f"{where}: {msgid}" for msgid, where in scanned.items()
                          if msgid not in dutch or not all(_filled(dutch[msgid])))
    assert untranslated == []


def test_every_string_is_in_the_english_catalogue_too() -> None:
    english = catalogue("en")
    missing = sorted(f"{where}: {msgid}" for msgid, where in scanned_messages().items()
                     if msgid not in english)
    assert missing == []


def test_the_makefile_extraction_finds_every_string(tmp_path: Path) -> None:
    pot = tmp_path / "messages.pot"
    subprocess.run(makefile_extraction(pot), cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as fh:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    skipped = sorted(f"{where}: {msgid}" for msgid, where in scanned_messages().items()
                     if msgid not in extracted)
    assert skipped == [], "`make translations` would drop these strings from the catalogues"


def test_placeholders_survive_translation() -> None:
    """A Dutch string keeps every %(name)s of its English source, or rendering it fails."""
    placeholder = re.compile(r"%\(\w+\)[sd]")
    broken = []
    for msgid, text in catalogue("nl").items():
        for form in (text if isinstance(text, (tuple, list)) else (text,)):
            if form and set(placeholder.findall(form)) - set(placeholder.findall(msgid)):
                broken.append(msgid)
    assert broken == []


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
