"""Writing reflections: from a log, on one's own; drafts kept through autosave and timeouts;
edit, delete with confirmation; share with the coach and withdraw; the privacy guard."""

from __future__ import annotations

import time

from sqlalchemy import select

from app.db import db
from app.privacy.models import AccessLog
from app.reflection.models import Reflection, ReflectionDraft, ReflectionShare
from tests import factories
from tests.reflection.conftest import count

QUICK = "/reflection/new?template=quick"


def _reflections(app, author):
    with app.app_context():
        return list(db.session.scalars(select(Reflection).where(Reflection.author_id == author.id)))


def _draft(app, user, key):
    with app.app_context():
        row = db.session.scalar(select(ReflectionDraft).where(
            ReflectionDraft.user_id == user.id, ReflectionDraft.key == key))
        return dict(row.data) if row else None


def _autosave(client, key, **fields):
    return client.post("/reflection/drafts", data={"draft_key": key, **fields},
                       headers={"X-CSRFToken": client.csrf_token()})


def test_write_a_reflection_on_ones_own(app, client, practitioner):
    client.login_as(practitioner)
    chooser = client.get("/reflection/new")
    assert chooser.status_code == 200 and "ALACT" in chooser.text and "STARR" in chooser.text
    form = client.get("/reflection/new?template=alact")
    assert "Wat probeer je de volgende keer concreet?" in form.text  # wording from the catalogue
    response = client.submit("/reflection/new?template=alact", {
        "answer_action": "Het moment dat moeder boos werd.", "answer_trial": "Eerst het gevoel benoemen.",
        "skj_normative": "Autonomie van het gezin.", "element_id": "0",
    })
    assert response.status_code == 302
    (reflection,) = _reflections(app, practitioner)
    assert reflection.answers["trial"] == "Eerst het gevoel benoemen."
    assert reflection.skj_answers["normative"] == "Autonomie van het gezin."
    page = client.get(response.location)
    assert "Eerst het gevoel benoemen." in page.text and "Alleen jij kunt deze reflectie lezen" in page.text
    assert "Het moment dat moeder boos werd." in client.get("/reflection/").text


def test_write_a_reflection_from_ones_own_log(app, client, practitioner, colleagues, elements):
    log = factories.practice_log(practitioner, ratings={"emotion_regulation": 2}, techniques=())
    client.login_as(practitioner)
    form = client.get(f"/reflection/new?log={log.id}&template=quick")
    assert form.status_code == 200
    data = {"answer_went_well": "Rustig gebleven.", "element_id": str(elements["emotion_regulation"])}
    response = client.submit(f"/reflection/new?log={log.id}&template=quick", data)
    assert response.status_code == 302
    (reflection,) = _reflections(app, practitioner)
    assert reflection.practice_log_id == log.id and reflection.element_id == elements["emotion_regulation"]
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login_as(colleagues[1])
    assert client.get(f"/reflection/new?log={log.id}&template=quick").status_code == 404


def test_an_empty_reflection_is_refused(client, practitioner):
    client.login_as(practitioner)
    response = client.submit(QUICK, {"answer_went_well": "  ", "answer_do_differently": ""})
    assert response.status_code == 400 and "Beantwoord minstens één vraag." in response.text


def test_text_that_looks_like_client_data_is_refused_and_kept_in_the_form(app, client, practitioner):
    client.login_as(practitioner)
    text = "Bel moeder op 06-12345678 terug."
    response = client.submit(QUICK, {"answer_went_well": text})
    assert response.status_code == 400
    assert 'class="error"' in response.text and text in response.text
    assert _reflections(app, practitioner) == []
    assert _draft(app, practitioner, "new:quick") is None  # not even as a draft on the server
    answer = _autosave(client, "new:quick", answer_went_well=text)
    assert answer.status_code == 422 and answer.json["saved"] is False


def test_autosave_keeps_the_draft_and_the_form_brings_it_back(app, client, practitioner):
    client.login_as(practitioner)
    assert client.post("/reflection/drafts", data={"draft_key": "new:quick"}).status_code == 400  # no CSRF
    answer = _autosave(client, "new:quick", answer_went_well="Half af", answer_other="ignored")
    assert answer.status_code == 200 and answer.json["saved"] is True and answer.json["version"] > 0
    assert _draft(app, practitioner, "new:quick") == {"answer_went_well": "Half af"}
    form = client.get(QUICK)
    assert "Half af" in form.text and f'data-draft-version="{answer.json["version"]}"' in form.text
    assert client.submit(QUICK, {"answer_went_well": "Helemaal af"}).status_code == 302
    assert _draft(app, practitioner, "new:quick") == {}  # emptied: a browser copy is now older
    assert "Half af" not in client.get(QUICK).text


def test_a_post_after_the_session_timed_out_loses_nothing(app, client, practitioner):
    client.login_as(practitioner)
    _autosave(client, "new:quick", answer_went_well="Wat ik typte voor de pauze")
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - 3 * 3600  # idle far beyond the limit
    response = client.submit(QUICK, {"answer_went_well": "Wat ik typte voor de pauze, en meer"})
    assert response.status_code == 302 and "/login" in response.location
    assert _reflections(app, practitioner) == []
    client.login_as(practitioner)
    form = client.get(QUICK)
    # The server copy comes back; the browser copy (autosave.js) holds the newer words until saved.
    assert "Wat ik typte voor de pauze" in form.text and "We hebben de tekst teruggezet" in form.text
    assert 'data-autosave="/reflection/drafts"' in form.text


def test_every_normal_post_keeps_the_draft_on_the_server(app, client, practitioner):
    client.login_as(practitioner)
    factories.reflection(practitioner, template_key="quick", answers={"went_well": "Oud"})
    (reflection,) = _reflections(app, practitioner)
    response = client.submit(f"/reflection/{reflection.id}/edit",
                             {"answer_went_well": "Nieuw", "skj_personal": "Bel 0612345678"})
    assert response.status_code == 400
    assert _draft(app, practitioner, f"edit:{reflection.id}") is None  # guarded text is not stored
    url = f"/reflection/{reflection.id}/edit"
    response = client.submit(url, {"answer_went_well": "", "skj_personal": "y"})
    assert response.status_code == 400  # no answer: refused, but the draft is kept
    assert _draft(app, practitioner, f"edit:{reflection.id}")["skj_personal"] == "y"


def test_a_refused_edit_changes_nothing_but_keeps_the_draft(app, client, practitioner):
    reflection = factories.reflection(practitioner, template_key="quick", answers={"went_well": "Oud"})
    client.login_as(practitioner)
    response = client.submit(f"/reflection/{reflection.id}/edit",
                             {"answer_went_well": "Nieuw", "element_id": "99999"})
    assert response.status_code == 400 and "Nieuw" in response.text
    assert _reflections(app, practitioner)[0].answers["went_well"] == "Oud"
    assert _draft(app, practitioner, f"edit:{reflection.id}")["answer_went_well"] == "Nieuw"


def test_edit_and_delete_with_confirmation(app, client, practitioner):
    reflection = factories.reflection(practitioner, template_key="quick", answers={"went_well": "Oud"})
    client.login_as(practitioner)
    assert "Oud" in client.get(f"/reflection/{reflection.id}/edit").text
    edited = client.submit(f"/reflection/{reflection.id}/edit", {"answer_went_well": "Nieuw"})
    assert edited.status_code == 302
    assert _reflections(app, practitioner)[0].answers["went_well"] == "Nieuw"
    confirm = client.get(f"/reflection/{reflection.id}/delete")
    assert confirm.status_code == 200 and "Deze reflectie verwijderen?" in confirm.text
    assert _reflections(app, practitioner)  # asking is not deleting
    assert client.submit(f"/reflection/{reflection.id}/delete").status_code == 302
    assert _reflections(app, practitioner) == []


def test_share_with_the_coach_and_withdraw(app, client, practitioner, coach):
    reflection = factories.reflection(practitioner, answers={"action": "Gedeeld inzicht"})
    client.login_as(coach)
    assert client.get(f"/reflection/{reflection.id}").status_code == 404  # private by default
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login_as(practitioner)
    assert client.submit(f"/reflection/{reflection.id}/share", {"coach_id": str(coach.id)}).status_code == 302
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login_as(coach)
    assert practitioner.display_name in client.get("/reflection/shared").text
    page = client.get(f"/reflection/{reflection.id}")
    assert page.status_code == 200 and "Gedeeld inzicht" in page.text
    assert count(app, AccessLog, AccessLog.object_type == "reflection", AccessLog.actor_id == coach.id) == 1
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login_as(practitioner)
    assert client.submit(f"/reflection/{reflection.id}/shares/{coach.id}/withdraw").status_code == 302
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login_as(coach)
    assert client.get(f"/reflection/{reflection.id}").status_code == 404
    assert practitioner.display_name not in client.get("/reflection/shared").text
    assert count(app, ReflectionShare, ReflectionShare.withdrawn_at.is_(None)) == 0


def test_sharing_needs_a_running_coach(client, practitioner, org):
    stranger = factories.user(org, "stranger@example.org")
    reflection = factories.reflection(practitioner)
    client.login_as(practitioner)
    refused = client.submit(f"/reflection/{reflection.id}/share", {"coach_id": str(stranger.id)})
    assert refused.status_code == 400


def test_trial_reminder_comes_from_the_latest_alact_reflection_on_the_element(app, practitioner, elements):
    from app.reflection.queries import trial_reminders_for

    er, sdm = elements["emotion_regulation"], elements["shared_decision_making"]
    factories.reflection(practitioner, element_id=er, answers={"trial": "Oud plan"},
                         created_at=factories.utcnow().replace(year=2025))
    factories.reflection(practitioner, element_id=er, answers={"trial": "Eerst valideren"})
    factories.reflection(practitioner, element_id=sdm, answers={"trial": ""})
    factories.reflection(practitioner, template_key="quick", element_id=sdm, answers={"went_well": "x"})
    with app.app_context():
        reminders = trial_reminders_for(practitioner.id, [er, sdm])
    assert {k: v.text for k, v in reminders.items()} == {er: "Eerst valideren"}


def test_the_list_shows_whom_each_reflection_is_shared_with_in_one_statement(app, practitioner, org):
    """Newest first; each with the coaches its running shares go to, by name; a withdrawn share
    and someone else's reflection are left out."""
    from datetime import timedelta

    from app.db import utcnow
    from app.reflection import queries
    from tests.test_statement_counts import counting

    now = utcnow()
    zoe, bas, cor = (factories.user(org, f"{n.lower()}@example.org", name=n) for n in ("Zoë", "Bas", "Cor"))
    alone, twice, withdrawn = (factories.reflection(practitioner, created_at=now - timedelta(days=d))
                               for d in (1, 2, 3))
    factories.share(twice, zoe)
    factories.share(twice, bas)
    factories.share(withdrawn, cor, withdrawn_at=now)
    factories.share(factories.reflection(zoe), bas)
    with app.app_context(), counting(app) as statements:
        rows = queries.reflections_for(practitioner.id)
        listed = [(row.reflection.id, row.shared_with) for row in rows]
    assert listed == [(alone.id, ()), (twice.id, ("Bas", "Zoë")), (withdrawn.id, ())]
    assert len([s for s in statements if s.lstrip().startswith("SELECT")]) == 1
