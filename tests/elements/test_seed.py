"""The seed matches shared/domain/core-elements.md exactly, and seeding is per organisation and idempotent."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.db import db, utcnow
from app.elements.models import CoreElement, Technique
from app.elements.seed import ELEMENTS
from app.elements.services import seed_catalogue
from app.organisations.models import Organisation
from tests import factories

# Copied by hand from core-elements.md, so the test does not depend on the shared folder.
EXPECTED_ELEMENTS = [
    ("shared_decision_making", "Samenwerken en samen beslissen", "Collaboration and shared decision-making"),
    ("emotion_regulation", "Emoties leren reguleren", "Helping regulate emotions"),
    ("problem_solving", "Sociale en probleemoplossende vaardigheden", "Social and problem-solving skills"),
]
EXPECTED_TECHNIQUES = {
    "shared_decision_making": [
        ("sdm_goals_asked", "Wensen en doelen van jeugdige/ouders gevraagd",
         "Asked for the young person's and parents' wishes and goals"),
        ("sdm_choice_explained", "Uitgelegd dat er iets te kiezen valt",
         "Made clear there is a choice to be made"),
        ("sdm_options_discussed", "Opties met voor- en nadelen besproken",
         "Discussed options with their pros and cons"),
        ("sdm_preference_asked", "Voorkeur van jeugdige/ouders gevraagd", "Asked for their preference"),
        ("sdm_decided_together", "Samen besloten over de volgende stap", "Decided the next step together"),
        ("sdm_deviation_explained", "Uitgelegd waarom ik afwijk van hun wens (bijv. veiligheid)",
         "Explained why I deviate from their wish (e.g. safety)"),
        ("sdm_feedback_asked", "Gevraagd hoe zij de samenwerking ervaren",
         "Asked how they experience our collaboration"),
    ],
    "emotion_regulation": [
        ("er_emotion_named", "Emotie opgemerkt en benoemd", "Noticed and named the emotion"),
        ("er_validated", "Gevoel erkend (gevalideerd), zonder het gedrag goed te keuren",
         "Validated the feeling (without approving the behaviour)"),
        ("er_reflected", "Teruggegeven en samengevat wat ik hoorde", "Reflected and summarised what I heard"),
        ("er_psychoeducation", "Uitleg gegeven over emoties en hoe die werken",
         "Explained how emotions work (psycho-education)"),
        ("er_recognition_practised", "Emoties herkennen en onderscheiden geoefend",
         "Practised recognising and telling emotions apart"),
        ("er_calming_practised", "Kalmeren geoefend (bijv. ademhaling, pauze)",
         "Practised calming down (e.g. breathing, a pause)"),
        ("er_coregulation_parent", "Ouder geholpen om het kind te helpen reguleren",
         "Helped the parent to help the child regulate"),
        ("er_limits_and_solutions", "Grenzen gesteld en samen naar een oplossing gezocht",
         "Set limits and looked for a solution together"),
    ],
    "problem_solving": [
        ("ps_problem_defined", "Probleem concreet gemaakt en een haalbaar doel gesteld",
         "Made the problem concrete and set a realistic goal"),
        ("ps_alternatives_generated", "Samen oplossingen bedacht, eerst zonder te beoordelen",
         "Brainstormed solutions together, judging later"),
        ("ps_options_weighed", "Voor- en nadelen afgewogen en een keuze gemaakt",
         "Weighed pros and cons and chose"),
        ("ps_plan_or_review", "Uitvoering gepland, of een eerdere poging geëvalueerd",
         "Planned how to carry it out, or reviewed an earlier attempt"),
        ("ps_modelled", "Vaardigheid voorgedaan", "Modelled the skill"),
        ("ps_role_play", "Rollenspel of oefening in het gesprek", "Role play or rehearsal in the session"),
        ("ps_feedback_given", "Feedback gegeven op het oefenen", "Gave feedback on the practice"),
        ("ps_homework", "Oefenopdracht voor thuis afgesproken", "Agreed a practice task for home"),
        ("ps_parent_involved", "Ouder betrokken bij het oefenen", "Involved the parent in the practice"),
    ],
}


def test_seed_data_matches_the_domain_document_exactly():
    assert [(e.key, e.label_nl, e.label_en) for e in ELEMENTS] == EXPECTED_ELEMENTS
    for element in ELEMENTS:
        got = [(t.key, t.label_nl, t.label_en) for t in element.techniques]
        assert got == EXPECTED_TECHNIQUES[element.key]
    assert sum(len(e.techniques) for e in ELEMENTS) == 24


def test_every_technique_has_a_short_explanation_in_both_languages():
    for element in ELEMENTS:
        for t in element.techniques:
            assert t.howto_nl != t.howto_en, t.key
            for text in (t.howto_nl, t.howto_en):
                assert 40 <= len(text) <= 250, t.key


def test_an_organisation_gets_its_own_copy_of_the_catalogue(app, org, other_org):
    with app.app_context():
        elements = db.session.scalars(select(CoreElement).order_by(CoreElement.position)).all()
        assert [(e.key, e.label_nl, e.label_en) for e in elements] == EXPECTED_ELEMENTS
        for organisation in (org, other_org):
            rows = db.session.scalars(
                select(Technique).where(Technique.organisation_id == organisation.id)
                .order_by(Technique.element_id, Technique.position)
            ).all()
            by_element: dict[str, list[tuple[str, str, str]]] = {}
            for t in rows:
                by_element.setdefault(t.element.key, []).append((t.key, t.label_nl, t.label_en))
                assert t.howto_nl and t.howto_en and t.retired_at is None
            assert by_element == EXPECTED_TECHNIQUES


def test_seeding_again_changes_nothing_and_keeps_the_organisations_edits(app, org):
    with app.app_context():
        t = db.session.scalars(select(Technique).where(
            Technique.organisation_id == org.id, Technique.key == "er_validated")).one()
        t.label_nl = "Gevoel erkend"
        t.retired_at = utcnow()
        db.session.commit()
        organisation = db.session.get(Organisation, org.id)
        assert seed_catalogue(organisation) == 0
        assert seed_catalogue(organisation) == 0
        db.session.commit()
        total = db.session.scalar(select(func.count()).select_from(Technique)
                                  .where(Technique.organisation_id == org.id))
        assert total == 24
        assert db.session.scalar(select(func.count()).select_from(CoreElement)) == 3
        t = db.session.get(Technique, t.id)
        assert t.label_nl == "Gevoel erkend" and t.retired_at is not None


def test_seeding_fills_in_only_what_is_missing(app, org):
    with app.app_context():
        organisation = Organisation(name="Nieuw")
        db.session.add(organisation)
        db.session.flush()
        assert seed_catalogue(organisation) == 24
        extra = db.session.scalars(select(Technique).where(
            Technique.organisation_id == organisation.id, Technique.key == "ps_homework")).one()
        # A technique that a later seed version adds is appended after the existing ones.
        db.session.delete(extra)
        db.session.flush()
        assert seed_catalogue(organisation) == 1
        db.session.commit()
        keys = db.session.scalars(
            select(Technique.key).where(Technique.organisation_id == organisation.id,
                                        Technique.element_id == extra.element_id)
            .order_by(Technique.position)).all()
        assert len(keys) == 9 and keys[-1] == "ps_homework"


@pytest.mark.parametrize("factory", ["demo", "first_admin"])
def test_new_organisations_are_seeded_by_every_creation_path(app, factory):
    from app.demo import create_first_admin, seed_demo

    with app.app_context():
        if factory == "demo":
            seed_demo(utcnow())
            name = "Jeugdhulp Demo"
        else:
            create_first_admin("Nieuwe Org", "eerste@example.org", "Eerste Beheerder", utcnow())
            name = "Nieuwe Org"
        db.session.commit()
        org_id = db.session.scalar(select(Organisation.id).where(Organisation.name == name))
        count = db.session.scalar(select(func.count()).select_from(Technique)
                                  .where(Technique.organisation_id == org_id))
        assert count == 24


def test_editing_one_organisations_catalogue_leaves_another_alone(app, org, other_org):
    mine = factories.technique(org, "sdm_goals_asked")
    theirs = factories.technique(other_org, "sdm_goals_asked")
    assert mine.id != theirs.id
    with app.app_context():
        db.session.get(Technique, mine.id).label_en = "Changed"
        db.session.commit()
        assert db.session.get(Technique, theirs.id).label_en == EXPECTED_TECHNIQUES[
            "shared_decision_making"][0][2]


def test_the_seed_command_fills_organisations_made_before_the_catalogue(app):
    with app.app_context():
        db.session.add(Organisation(name="Van voor de catalogus"))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["elements", "seed"])
    assert result.exit_code == 0 and "24 techniques added" in result.output
    result = app.test_cli_runner().invoke(args=["elements", "seed"])
    assert "0 techniques added" in result.output
