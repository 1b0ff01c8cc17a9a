"""Catalogue administration: only the organisation's admins; edit, add, reorder, retire, bring back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db import db
from app.elements.models import Technique
from tests import factories


def _technique(app, technique_id: int) -> Technique:
    with app.app_context():
        return db.session.get(Technique, technique_id)


def _order(app, org_id: int, element_key: str) -> list[str]:
    with app.app_context():
        rows = db.session.scalars(select(Technique).where(Technique.organisation_id == org_id)
                                  .order_by(Technique.position, Technique.id)).all()
        return [t.key for t in rows if t.element.key == element_key]


def test_admin_sees_every_element_with_its_techniques(client, admin):
    client.login_as(admin)
    response = client.get("/admin/catalogue")
    assert response.status_code == 200
    assert "Collaboration and shared decision-making" in response.text
    assert "Asked for the young person&#39;s and parents&#39; wishes and goals" in response.text
    assert "ps_parent_involved" in response.text


@pytest.mark.parametrize("role", ["practitioner", "coach", "lead", "privacy_officer"])
def test_only_admins_reach_the_catalogue_pages(request, client, org, role):
    user = request.getfixturevalue(role)
    t = factories.technique(org, "sdm_goals_asked")
    client.login_as(user)
    assert client.get("/admin/catalogue").status_code == 403
    assert client.get(f"/admin/catalogue/techniques/{t.id}").status_code == 403
    assert client.submit(f"/admin/catalogue/techniques/{t.id}/retire").status_code == 403
    assert client.submit("/admin/catalogue/problem_solving/new",
                         {"label_nl": "x", "label_en": "x"}).status_code == 403


def test_another_organisations_admin_gets_404_for_our_techniques(app, client, org, other_admin):
    t = factories.technique(org, "sdm_goals_asked")
    client.login_as(other_admin)
    assert client.get(f"/admin/catalogue/techniques/{t.id}").status_code == 404
    response = client.submit(f"/admin/catalogue/techniques/{t.id}", {"label_nl": "Weg", "label_en": "Gone"})
    assert response.status_code == 404
    assert client.submit(f"/admin/catalogue/techniques/{t.id}/retire").status_code == 404
    assert _technique(app, t.id).label_nl == "Wensen en doelen van jeugdige/ouders gevraagd"
    assert _technique(app, t.id).retired_at is None


def test_admin_edits_labels_and_explanation(app, client, org, admin):
    t = factories.technique(org, "er_reflected")
    client.login_as(admin)
    page = client.get(f"/admin/catalogue/techniques/{t.id}")
    assert page.status_code == 200 and "Teruggegeven en samengevat wat ik hoorde" in page.text
    response = client.submit(f"/admin/catalogue/techniques/{t.id}", {
        "label_nl": "Samengevat", "label_en": "Summarised", "howto_nl": "Vat samen.", "howto_en": "Sum up.",
    })
    assert response.status_code == 302
    saved = _technique(app, t.id)
    assert (saved.label_nl, saved.label_en, saved.howto_nl, saved.howto_en) == (
        "Samengevat", "Summarised", "Vat samen.", "Sum up.")
    assert saved.key == "er_reflected"


def test_an_empty_label_is_refused_and_the_input_kept(app, client, org, admin):
    t = factories.technique(org, "er_reflected")
    client.login_as(admin)
    response = client.submit(f"/admin/catalogue/techniques/{t.id}", {
        "label_nl": "", "label_en": "Kept English", "howto_nl": "", "howto_en": "",
    })
    assert response.status_code == 400
    assert "Kept English" in response.text
    assert _technique(app, t.id).label_en == "Reflected and summarised what I heard"


def test_admin_adds_an_own_technique_at_the_end(app, client, org, admin):
    client.login_as(admin)
    assert client.get("/admin/catalogue/problem_solving/new").status_code == 200
    response = client.submit("/admin/catalogue/problem_solving/new", {
        "label_nl": "Successen gevierd", "label_en": "Celebrated successes",
        "howto_nl": "Benoem wat lukte.", "howto_en": "Name what worked.",
    })
    assert response.status_code == 302
    order = _order(app, org.id, "problem_solving")
    assert order[-1] == "custom_celebrated_successes" and len(order) == 10
    # A second one with the same label gets its own key.
    client.submit("/admin/catalogue/problem_solving/new",
                  {"label_nl": "Successen gevierd", "label_en": "Celebrated successes"})
    assert _order(app, org.id, "problem_solving")[-1] == "custom_celebrated_successes_2"


def test_unknown_element_is_404(client, admin):
    client.login_as(admin)
    assert client.get("/admin/catalogue/nope/new").status_code == 404


def test_admin_moves_techniques_up_and_down(app, client, org, admin):
    client.login_as(admin)
    second = factories.technique(org, "sdm_choice_explained")
    response = client.submit(f"/admin/catalogue/techniques/{second.id}/move", {"direction": "up"})
    assert response.status_code == 302
    assert _order(app, org.id, "shared_decision_making")[:2] == ["sdm_choice_explained", "sdm_goals_asked"]
    client.submit(f"/admin/catalogue/techniques/{second.id}/move", {"direction": "down"})
    client.submit(f"/admin/catalogue/techniques/{second.id}/move", {"direction": "down"})
    assert _order(app, org.id, "shared_decision_making")[:3] == [
        "sdm_goals_asked", "sdm_options_discussed", "sdm_choice_explained"]
    last = factories.technique(org, "sdm_feedback_asked")
    client.submit(f"/admin/catalogue/techniques/{last.id}/move", {"direction": "down"})
    assert _order(app, org.id, "shared_decision_making")[-1] == "sdm_feedback_asked"
    assert client.submit(f"/admin/catalogue/techniques/{last.id}/move",
                         {"direction": "sideways"}).status_code == 400


def test_retiring_asks_for_confirmation_and_bringing_back_works(app, client, org, admin):
    t = factories.technique(org, "ps_modelled")
    client.login_as(admin)
    page = client.get(f"/admin/catalogue/techniques/{t.id}/retire")
    assert page.status_code == 200 and "Yes, retire it" in page.text
    assert _technique(app, t.id).retired_at is None  # the GET only asks
    assert client.submit(f"/admin/catalogue/techniques/{t.id}/retire").status_code == 302
    assert _technique(app, t.id).retired_at is not None
    assert "Retired" in client.get("/admin/catalogue").text
    assert client.get(f"/admin/catalogue/techniques/{t.id}/unretire").status_code == 200
    assert client.submit(f"/admin/catalogue/techniques/{t.id}/unretire").status_code == 302
    assert _technique(app, t.id).retired_at is None


def test_a_post_without_csrf_token_is_refused(app, client, org, admin):
    t = factories.technique(org, "ps_modelled")
    client.login_as(admin)
    assert client.post(f"/admin/catalogue/techniques/{t.id}/retire").status_code == 400
    assert _technique(app, t.id).retired_at is None


def test_the_catalogue_page_shows_each_change_at_once_in_the_admins_language(app, client, org, admin,
                                                                             english_ui):
    """The list is kept as made per catalogue revision and language (elements.views.index), and
    each page still gets its own CSRF token."""
    from app.remembered import CSRF_SLOT

    t = factories.technique(org, "er_reflected")
    client.login_as(admin)
    english_ui("nl")
    before = client.get("/admin/catalogue").text
    assert "Teruggegeven en samengevat wat ik hoorde" in before and CSRF_SLOT not in before
    client.submit(f"/admin/catalogue/techniques/{t.id}", {
        "label_nl": "Samengevat", "label_en": "Summarised", "howto_nl": "Vat samen.", "howto_en": "Sum up.",
    })
    after = client.get("/admin/catalogue").text
    assert "Samengevat" in after and "Teruggegeven en samengevat wat ik hoorde" not in after
    english_ui("en")
    in_english = client.get("/admin/catalogue").text
    assert "Summarised" in in_english and "Samengevat" not in in_english
    moved = client.submit(f"/admin/catalogue/techniques/{t.id}/move", {"direction": "up"})
    assert moved.status_code == 302
