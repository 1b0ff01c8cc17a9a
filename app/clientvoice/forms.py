"""The CollaboRATE form (youth/parent version, core-elements.md) and the hand-over's password form."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField
from wtforms.validators import DataRequired, InputRequired

from app.clientvoice.services import Answer
from app.forms import choices, required

RESPONDENT_LABELS: dict[str, LazyString] = {
    "youth": _l("I am the young person"),
    "parent": _l("I am a parent or carer"),
    "together": _l("We fill it in together"),
}
# How a shared answer is introduced on the log page.
ANSWERED_BY: dict[str, LazyString] = {
    "youth": _l("Filled in by the young person"),
    "parent": _l("Filled in by a parent or carer"),
    "together": _l("Filled in together"),
}
# The three questions, worded as in core-elements.md; each answered on the 0-4 scale below.
QUESTIONS: dict[str, LazyString] = {
    "effort_understand": _l("How much effort was made to help you understand what is going on?"),
    "effort_listen": _l("How much effort was made to listen to what matters most to you?"),
    "effort_include": _l(
        "How much effort was made to include what matters most to you in choosing what to do next?"
    ),
}
SCALE_LABELS: dict[int, LazyString] = {
    0: _l("0 · no effort at all"),
    1: _l("1 · a little effort"),
    2: _l("2 · some effort"),
    3: _l("3 · a lot of effort"),
    4: _l("4 · every effort"),
}
SHARE_LABELS: dict[str, LazyString] = {"no": _l("No"), "yes": _l("Yes")}


def _scale_field(question: LazyString) -> RadioField:
    return RadioField(question, coerce=int, choices=choices(SCALE_LABELS.items()),
                      validators=[InputRequired(message=_l("Choose an answer."))])


class ClientRatingForm(FlaskForm):
    """Who fills it in, the three questions, and last: may the practitioner see the answers?"""

    respondent = RadioField(
        _l("Who is filling this in?"), choices=choices(RESPONDENT_LABELS.items()),
        validators=[InputRequired(message=_l("Choose who is filling this in."))],
    )
    effort_understand = _scale_field(QUESTIONS["effort_understand"])
    effort_listen = _scale_field(QUESTIONS["effort_listen"])
    effort_include = _scale_field(QUESTIONS["effort_include"])
    # The label names the practitioner (set by the view); "no" unless the respondent says yes.
    shared = RadioField(choices=choices(SHARE_LABELS.items()), default="no",
                        validators=[InputRequired(message=_l("Choose yes or no."))])

    def to_answer(self) -> Answer:
        return Answer(
            respondent=required(self.respondent.data),
            effort_understand=required(self.effort_understand.data),
            effort_listen=required(self.effort_listen.data),
            effort_include=required(self.effort_include.data),
            shared=self.shared.data == "yes",
        )


class UnlockForm(FlaskForm):
    password = PasswordField(
        _l("Your password"), validators=[DataRequired(message=_l("Fill in your password."))],
        render_kw={"autocomplete": "current-password"},
    )
