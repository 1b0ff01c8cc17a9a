"""Free text is stored without control characters (newline and tab stay), on every save path;
and an identifier hidden by an invisible character is refused through the form as well."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.auth import services as auth_services
from app.auth.models import User
from app.db import db, utcnow
from app.elements import services as element_services
from app.elements.models import CoreElement, Technique
from app.groups import services as group_services
from app.groups.models import GroupParticipant
from app.practice.models import PracticeLog
from app.privacy.text import clean_text, normalise
from app.prompts import services as prompt_services
from app.prompts.models import Schedule
from app.reflection import services as reflection_services
from app.reflection.models import Reflection, ReflectionDraft
from app.teams import services as team_services
from app.teams.models import Team
from tests import factories
from tests.practice.helpers import count_logs, log_form

DIRTY = "Goed\x00 gesprek\x07\x1b[1m\r\nDaarna\tverder\x7f."
CLEAN = "Goed gesprek[1m\nDaarna\tverder."


def test_clean_text_keeps_newline_and_tab_and_drops_other_control_characters():
    assert clean_text(DIRTY) == CLEAN
    assert clean_text("a\rb\u0085c") == "a\nbc"  # a lone CR is a line end; NEL is a control character
    assert clean_text("één\u200bkeer") == "één\u200bkeer"  # not a control character: kept as typed
    assert clean_text(None) is None


def test_normalise_is_what_the_guard_reads():
    assert normalise("06\u2013１２\u00a034\u200b56\u00ad78＠\u2215") == "06-12 345678@/"
    assert normalise("a\tb\nc\x00d") == "a b\ncd"


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    assert user is not None
    return user


@pytest.mark.usefixtures("ctx")
def test_every_free_text_save_path_drops_control_characters(org, team, lead, admin, practitioner):
    now = utcnow()
    author = _user(practitioner.id)

    log = factories.practice_log(author, note=DIRTY)
    reflection = reflection_services.create_reflection(
        author, "quick", {"went_well": DIRTY, "do_differently": "Niets"}, {"technical": DIRTY}, now)
    reflection_services.save_draft(author, "new:quick", {"answer_went_well": DIRTY}, now)
    group = factories.group_session(team, lead, [practitioner], session_date=date.today())
    group_services.save_group_notes(author, db.session.merge(group), learning_question=DIRTY,
                                    technical=DIRTY, normative="", personal="", now=now)
    schedule = prompt_services.create_schedule(author, None, prompt_services.ScheduleInput(
        kind="one_off", theme=DIRTY, once_at=now + timedelta(days=1)), now)
    new_team = team_services.create_team(_user(admin.id), "Team\x00 Noord\x1b")
    auth_services.update_preferences(author, "San\x08ne", "nl")
    element = db.session.scalars(select(CoreElement)).first()
    technique = element_services.add_technique(_user(admin.id), element, element_services.TechniqueText(
        "Vraag\x00 door", "Ask\x07 on", DIRTY, DIRTY))
    db.session.commit()
    db.session.expire_all()

    assert db.session.get(PracticeLog, log.id).note == CLEAN
    stored = db.session.get(Reflection, reflection.id)
    assert stored.answers["went_well"] == CLEAN and stored.skj_answers["technical"] == CLEAN
    draft = db.session.scalar(select(ReflectionDraft).where(ReflectionDraft.user_id == author.id))
    assert draft.data == {"answer_went_well": CLEAN}
    notes = db.session.scalar(select(GroupParticipant).where(GroupParticipant.user_id == author.id))
    assert (notes.learning_question, notes.notes_technical) == (CLEAN, CLEAN)
    assert db.session.get(Schedule, schedule.id).theme == CLEAN
    assert db.session.get(Team, new_team.id).name == "Team Noord"
    assert db.session.get(User, author.id).display_name == "Sanne"
    stored_technique = db.session.get(Technique, technique.id)
    assert (stored_technique.label_nl, stored_technique.label_en) == ("Vraag door", "Ask on")
    assert stored_technique.howto_nl == CLEAN


def test_a_control_character_in_a_note_is_dropped_through_the_form(app, client, practitioner):
    client.login_as(practitioner)
    assert client.submit("/logs/new", log_form(note="Rustig\x00 gebleven.\x1b")).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(PracticeLog.note)) == "Rustig gebleven."


@pytest.mark.parametrize("note", [
    "Geboren op 12-03-2015.",
    "BSN 1234\u200b56782 genoteerd",
    "Moeder: m.jansen (at) example.nl",
    "Bel 06 - 12 34 56 78",
    "Woont op 1234ab 12",
])
def test_a_hidden_identifier_in_a_note_is_refused_and_kept_in_the_form(app, client, practitioner, note):
    client.login_as(practitioner)
    response = client.submit("/logs/new", log_form(note=note))
    assert response.status_code == 400
    assert "This looks like" in response.text
    assert count_logs(app) == 0
    with app.app_context():  # the form shows what was typed (escaped), nothing is lost
        from markupsafe import escape

        assert str(escape(note)) in response.text
