"""The reflection templates as data (wording from shared/domain/reflection.md, Dutch and English).

The wording is content, not UI chrome: it lives here in both languages and is picked by locale
(`Step.text(locale)`), so views and templates never hold a question.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    key: str
    nl: str
    en: str

    def text(self, locale: str) -> str:
        return self.en if locale.startswith("en") else self.nl


@dataclass(frozen=True)
class Template:
    key: str
    name_nl: str
    name_en: str
    about_nl: str
    about_en: str
    steps: tuple[Step, ...]
    # The model's own name, a secondary hint for those who know it ("ALACT-cyclus (Korthagen)").
    known_as_nl: str = ""
    known_as_en: str = ""

    def name(self, locale: str) -> str:
        """What the model does for the user, in plain words: the page title."""
        return self.name_en if locale.startswith("en") else self.name_nl

    def known_as(self, locale: str) -> str:
        return self.known_as_en if locale.startswith("en") else self.known_as_nl

    def about(self, locale: str) -> str:
        return self.about_en if locale.startswith("en") else self.about_nl

    @property
    def step_keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.steps)


ALACT = Template(
    key="alact",
    name_nl="Leren van een moment",
    name_en="Learning from a moment",
    about_nl="In vijf stappen van een moment uit je gesprek naar iets wat je de volgende keer "
             "uitprobeert.",
    about_en="Five steps from a moment of your session to something you try out next time.",
    known_as_nl="ALACT-cyclus van Korthagen",
    known_as_en="Korthagen's ALACT cycle",
    steps=(
        Step(
            "action",
            "Welk moment uit dit gesprek wil je onderzoeken? "
            "Wat wilde je bereiken met dit kernelement?",
            "Which moment of this session do you want to explore? "
            "What did you aim for with this core element?",
        ),
        Step(
            "looking_back",
            "Wat deed, dacht, voelde en wilde jij? "
            "En wat deed, dacht, voelde en wilde de jongere of ouder volgens jou?",
            "What did you do, think, feel and want? And what do you think the young person or "
            "parent did, thought, felt and wanted?",
        ),
        Step(
            "awareness",
            "Wat valt je op als je dat naast elkaar legt? "
            "Wat is de kern: een knelpunt, of juist iets dat werkte?",
            "Side by side, what stands out? What is the core: a sticking point, or something that "
            "worked?",
        ),
        Step(
            "alternatives",
            "Welke andere aanpakken zie je? Wat zijn de voor- en nadelen? Wat kies je?",
            "What other approaches do you see? Their pros and cons? Which do you choose?",
        ),
        Step(
            "trial",
            "Wat probeer je de volgende keer concreet? Waar let je op? Met wie deel je dit?",
            "What exactly will you try next time? What will you watch for? "
            "With whom will you share it?",
        ),
    ),
)

STARR = Template(
    key="starr",
    name_nl="Terugkijken op een gesprek",
    name_en="Looking back on a session",
    about_nl="Vertel wat er gebeurde, wat jij deed, hoe het uitpakte en wat je meeneemt.",
    about_en="Tell what happened, what you did, how it turned out and what you take away.",
    known_as_nl="STARR-methode",
    known_as_en="the STARR method",
    steps=(
        Step("situation", "Wat speelde er?", "What was going on?"),
        Step("task", "Wat was jouw rol en doel?", "What was your role and aim?"),
        Step("action", "Wat deed of zei je precies?", "What exactly did you do or say?"),
        Step(
            "result",
            "Hoe reageerden de jongere of ouder?",
            "How did the young person or parent respond?",
        ),
        Step("reflection", "Wat neem je mee?", "What do you take away?"),
    ),
)

QUICK = Template(
    key="quick",
    name_nl="Even terugblikken in één minuut",
    name_en="A one-minute look back",
    about_nl="Twee korte vragen, voor tussendoor.",
    about_en="Two short questions, for in between.",
    steps=(
        Step("went_well", "Wat ging goed?", "What went well?"),
        Step("do_differently", "Wat zou je anders doen?", "What would you do differently?"),
    ),
)

# The optional closing step for any template: the three SKJ dimensions.
SKJ_STEPS: tuple[Step, ...] = (
    Step(
        "technical",
        "Was mijn handelen effectief en verantwoord?",
        "Was my conduct effective and sound?",
    ),
    Step(
        "normative",
        "Welke waarden en normen speelden mee?",
        "Which values and norms were at stake?",
    ),
    Step(
        "personal",
        "Wat dacht, voelde en wilde ik zelf, en was ik echt?",
        "What did I think, feel and want, and was I genuine?",
    ),
)
SKJ_KEYS: tuple[str, ...] = tuple(s.key for s in SKJ_STEPS)

TEMPLATES: dict[str, Template] = {t.key: t for t in (ALACT, STARR, QUICK)}

# The step whose answer becomes the next action ("trial reminder" on the practice-log form).
TRIAL_TEMPLATE, TRIAL_STEP = "alact", "trial"


def template(key: str) -> Template | None:
    """The template with this key, or None."""
    return TEMPLATES.get(key)
