"""Seed content of the catalogue (shared/domain/core-elements.md), kept as data, not code.

Every organisation gets its own copy of the techniques (`services.seed_catalogue`), so it can
rename, explain, add and retire them without touching another organisation's catalogue. Keys are
stable identifiers used in URLs, exports and tests; never change a key once released.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SeedTechnique:
    key: str
    label_nl: str
    label_en: str
    howto_nl: str
    howto_en: str


@dataclass(frozen=True)
class SeedElement:
    key: str
    label_nl: str
    label_en: str
    techniques: tuple[SeedTechnique, ...]


T = SeedTechnique

ELEMENTS: tuple[SeedElement, ...] = (
    SeedElement(
        "shared_decision_making",
        "Samenwerken en samen beslissen",
        "Collaboration and shared decision-making",
        (
            T(
                "sdm_goals_asked",
                "Wensen en doelen van jeugdige/ouders gevraagd",
                "Asked for the young person's and parents' wishes and goals",
                "Vraag open wat de jeugdige en ouders willen bereiken, bijvoorbeeld 'Wat moet er "
                "anders zijn als onze hulp klaar is?', en schrijf het op in hun eigen woorden.",
                "Ask openly what the young person and parents want to achieve, for example 'What "
                "should be different when our help is done?', and write it down in their words.",
            ),
            T(
                "sdm_choice_explained",
                "Uitgelegd dat er iets te kiezen valt",
                "Made clear there is a choice to be made",
                "Zeg hardop dat er meer dan één goede weg is en dat hun mening meetelt, "
                "bijvoorbeeld 'We kunnen dit op een paar manieren aanpakken; ik wil samen met "
                "jullie kiezen.'",
                "Say out loud that there is more than one good way and that their view counts, "
                "for example 'We can tackle this in a few ways; I want to choose together with "
                "you.'",
            ),
            T(
                "sdm_options_discussed",
                "Opties met voor- en nadelen besproken",
                "Discussed options with their pros and cons",
                "Noem de realistische opties (ook niets doen) en bespreek per optie in gewone taal "
                "wat die oplevert, wat die kost en wat nog onzeker is.",
                "Name the realistic options (including doing nothing) and discuss for each, in "
                "plain words, what it brings, what it costs and what is still uncertain.",
            ),
            T(
                "sdm_preference_asked",
                "Voorkeur van jeugdige/ouders gevraagd",
                "Asked for their preference",
                "Vraag na het bespreken van de opties uitdrukkelijk welke hun voorkeur heeft en "
                "waarom, en zorg dat de jeugdige ook zelf aan het woord komt.",
                "After discussing the options, ask explicitly which one they prefer and why, and "
                "make sure the young person gets to speak for themselves.",
            ),
            T(
                "sdm_decided_together",
                "Samen besloten over de volgende stap",
                "Decided the next step together",
                "Spreek samen de volgende stap af, vat de afspraak hardop samen en vraag of "
                "iedereen zich erin herkent.",
                "Agree the next step together, sum up the agreement out loud and ask whether "
                "everyone recognises themselves in it.",
            ),
            T(
                "sdm_deviation_explained",
                "Uitgelegd waarom ik afwijk van hun wens (bijv. veiligheid)",
                "Explained why I deviate from their wish (e.g. safety)",
                "Kun je niet doen wat zij willen, vertel dan eerlijk waarom (bijvoorbeeld vanwege "
                "veiligheid), erken hun teleurstelling en zoek waar nog wel ruimte is voor hun "
                "keuze.",
                "When you cannot do what they want, say honestly why (for example for safety), "
                "acknowledge their disappointment and look for where their choice still has room.",
            ),
            T(
                "sdm_feedback_asked",
                "Gevraagd hoe zij de samenwerking ervaren",
                "Asked how they experience our collaboration",
                "Vraag aan het eind hoe zij het gesprek en de samenwerking ervaren, bijvoorbeeld "
                "met een cijfer of 'Wat kan ik anders doen?', en neem het antwoord serieus.",
                "At the end, ask how they experience the session and your collaboration, for "
                "example with a score or 'What could I do differently?', and take the answer "
                "seriously.",
            ),
        ),
    ),
    SeedElement(
        "emotion_regulation",
        "Emoties leren reguleren",
        "Helping regulate emotions",
        (
            T(
                "er_emotion_named",
                "Emotie opgemerkt en benoemd",
                "Noticed and named the emotion",
                "Benoem wat je ziet of hoort als een voorzichtige vraag, bijvoorbeeld 'Ik zie je "
                "vuisten ballen; ben je boos?', zodat de ander het gevoel kan herkennen.",
                "Name what you see or hear as a tentative question, for example 'I see you "
                "clenching your fists; are you angry?', so the other person can recognise the "
                "feeling.",
            ),
            T(
                "er_validated",
                "Gevoel erkend (gevalideerd), zonder het gedrag goed te keuren",
                "Validated the feeling (without approving the behaviour)",
                "Laat merken dat het gevoel begrijpelijk is ('Logisch dat je boos bent als…') en "
                "maak tegelijk duidelijk dat dat het gedrag nog niet goed maakt.",
                "Show that the feeling makes sense ('No wonder you're angry when…') while making "
                "clear that this does not make the behaviour OK.",
            ),
            T(
                "er_reflected",
                "Teruggegeven en samengevat wat ik hoorde",
                "Reflected and summarised what I heard",
                "Geef in je eigen woorden terug wat je hoorde, ook het gevoel erachter, en vat af "
                "en toe samen zodat de ander kan aanvullen of verbeteren.",
                "Reflect back in your own words what you heard, including the feeling behind it, "
                "and sum up now and then so the other person can add to it or correct it.",
            ),
            T(
                "er_psychoeducation",
                "Uitleg gegeven over emoties en hoe die werken",
                "Explained how emotions work (psycho-education)",
                "Leg kort, met een voorbeeld uit hun eigen leven, uit wat emoties doen met je lijf "
                "en gedrag, bijvoorbeeld met het beeld van een thermometer of een vulkaan.",
                "Explain briefly, with an example from their own life, what emotions do to body "
                "and behaviour, for instance with the picture of a thermometer or a volcano.",
            ),
            T(
                "er_recognition_practised",
                "Emoties herkennen en onderscheiden geoefend",
                "Practised recognising and telling emotions apart",
                "Oefen samen het herkennen van gevoelens, met gezichtjes, kaartjes of door een "
                "recente situatie na te lopen: wat voelde je toen, en waar in je lijf merkte je "
                "dat?",
                "Practise recognising feelings together, with faces, cards or by going through a "
                "recent situation: what did you feel then, and where in your body did you notice "
                "it?",
            ),
            T(
                "er_calming_practised",
                "Kalmeren geoefend (bijv. ademhaling, pauze)",
                "Practised calming down (e.g. breathing, a pause)",
                "Oefen in het gesprek zelf een manier om te kalmeren, zoals langzaam uitademen of "
                "even pauzeren, en spreek af wanneer die thuis wordt ingezet.",
                "Practise a way to calm down during the session itself, such as breathing out "
                "slowly or taking a pause, and agree when it will be used at home.",
            ),
            T(
                "er_coregulation_parent",
                "Ouder geholpen om het kind te helpen reguleren",
                "Helped the parent to help the child regulate",
                "Help de ouder eerst zelf rustig te blijven en dan het kind te helpen het gevoel "
                "te benoemen en te kalmeren; doe het zo nodig even voor.",
                "Help the parent first stay calm themselves and then help the child name the "
                "feeling and calm down; show how, if needed.",
            ),
            T(
                "er_limits_and_solutions",
                "Grenzen gesteld en samen naar een oplossing gezocht",
                "Set limits and looked for a solution together",
                "Erken eerst het gevoel, stel dan een duidelijke grens aan het gedrag en zoek "
                "samen naar wat wél kan ('Slaan mag niet; wat kun je doen als je zo boos wordt?').",
                "Acknowledge the feeling first, then set a clear limit on the behaviour and look "
                "together for what is OK ('Hitting isn't OK; what can you do when you get this "
                "angry?').",
            ),
        ),
    ),
    SeedElement(
        "problem_solving",
        "Sociale en probleemoplossende vaardigheden",
        "Social and problem-solving skills",
        (
            T(
                "ps_problem_defined",
                "Probleem concreet gemaakt en een haalbaar doel gesteld",
                "Made the problem concrete and set a realistic goal",
                "Maak het probleem samen klein en concreet (wie, wat, wanneer) en spreek een doel "
                "af dat vóór het volgende gesprek haalbaar is.",
                "Make the problem small and concrete together (who, what, when) and agree a goal "
                "that can be reached before the next session.",
            ),
            T(
                "ps_alternatives_generated",
                "Samen oplossingen bedacht, eerst zonder te beoordelen",
                "Brainstormed solutions together, judging later",
                "Bedenk samen zoveel mogelijk oplossingen en schrijf ze allemaal op, ook de gekke, "
                "voordat jullie ze gaan beoordelen.",
                "Come up with as many solutions as you can together and write them all down, even "
                "the odd ones, before you start judging them.",
            ),
            T(
                "ps_options_weighed",
                "Voor- en nadelen afgewogen en een keuze gemaakt",
                "Weighed pros and cons and chose",
                "Loop de oplossingen langs met de vraag wat elke oplossing oplevert en kost, en "
                "laat de jeugdige of ouder zelf kiezen welke ze gaan proberen.",
                "Go through the solutions, asking what each one brings and costs, and let the "
                "young person or parent choose which one to try.",
            ),
            T(
                "ps_plan_or_review",
                "Uitvoering gepland, of een eerdere poging geëvalueerd",
                "Planned how to carry it out, or reviewed an earlier attempt",
                "Maak de gekozen oplossing concreet (wat, wanneer, wat als het misgaat), of "
                "bespreek een eerdere poging: wat ging goed en wat kan anders?",
                "Make the chosen solution concrete (what, when, what if it goes wrong), or review "
                "an earlier attempt: what went well and what could be different?",
            ),
            T(
                "ps_modelled",
                "Vaardigheid voorgedaan",
                "Modelled the skill",
                "Doe de vaardigheid zelf hardop voor, bijvoorbeeld hoe je 'nee' zegt of om hulp "
                "vraagt, en laat horen wat je denkt terwijl je het doet.",
                "Show the skill yourself out loud, for example how to say 'no' or ask for help, "
                "saying what you think while you do it.",
            ),
            T(
                "ps_role_play",
                "Rollenspel of oefening in het gesprek",
                "Role play or rehearsal in the session",
                "Laat de jeugdige of ouder de vaardigheid meteen oefenen in een kort rollenspel "
                "van een echte situatie, waarin jij de ander speelt.",
                "Have the young person or parent rehearse the skill straight away in a short role "
                "play of a real situation, with you playing the other person.",
            ),
            T(
                "ps_feedback_given",
                "Feedback gegeven op het oefenen",
                "Gave feedback on the practice",
                "Noem na het oefenen eerst concreet wat goed ging, geef dan één tip om het nog "
                "beter te doen en oefen daarna nog een keer.",
                "After the practice, first say concretely what went well, then give one tip to do "
                "it even better, and practise once more.",
            ),
            T(
                "ps_homework",
                "Oefenopdracht voor thuis afgesproken",
                "Agreed a practice task for home",
                "Spreek een kleine, concrete oefening voor thuis af (wat, wanneer, hoe vaak) en "
                "bespreek die aan het begin van het volgende gesprek.",
                "Agree a small, concrete practice task for home (what, when, how often) and talk "
                "it through at the start of the next session.",
            ),
            T(
                "ps_parent_involved",
                "Ouder betrokken bij het oefenen",
                "Involved the parent in the practice",
                "Laat de ouder meekijken of meedoen met het oefenen, zodat die thuis kan "
                "aanmoedigen, herinneren en complimenteren.",
                "Let the parent watch or join in with the practice, so they can encourage, remind "
                "and praise at home.",
            ),
        ),
    ),
)

SEED_TECHNIQUE_KEYS: frozenset[str] = frozenset(t.key for e in ELEMENTS for t in e.techniques)
