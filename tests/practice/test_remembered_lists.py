"""The log form's lists of radio buttons and checkboxes are made once per process (RememberedList):
whatever the choice, the errors or the language, each is exactly the list WTForms itself makes."""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale
from werkzeug.datastructures import MultiDict
from wtforms import widgets

from app.elements.queries import catalogue_for
from app.forms import RememberedList
from app.practice.forms import log_form
from tests.practice.helpers import log_form as posted

PLAIN = widgets.ListWidget(prefix_label=False)
LISTS = {"setting", "participants", "age_band", "phase", "rating_shared_decision_making",
         "rating_emotion_regulation", "rating_problem_solving"}


def _lists(form: Any) -> list[Any]:
    return [f for f in form if isinstance(f.widget, RememberedList)]


def test_every_list_of_the_log_form_is_the_one_wtforms_makes(app, org):
    forms = (
        {"data": {}},
        {"data": {"setting": "home", "participants": ["youth", "parent"], "rating_problem_solving": 4}},
        {"data": {"setting": "school", "participants": ["family"], "rating_problem_solving": 2}},
        {"formdata": MultiDict(posted(setting="online", participants=["network"], age_band=None))},
    )
    with app.test_request_context("/"):
        offered = catalogue_for(org.id)
        seen = set()
        for language in ("nl", "en", "nl"):
            with force_locale(language):
                for kwargs in forms:
                    form = log_form(offered, meta={"csrf": False}, **kwargs)
                    form.validate()  # errors are shown beside the list, never in it
                    assert {f.name for f in _lists(form)} == LISTS
                    for field in _lists(form):
                        made = [field(class_="choices") for _ in range(2)]
                        assert made[0] == made[1] == PLAIN(field, class_="choices")
                        assert field() == PLAIN(field) != made[0]  # other attributes, another list
                        for flag in (True, "True"):  # `required` and `required="True"` differ
                            assert field(data_x=flag) == PLAIN(field, data_x=flag)
                        seen.add(str(made[0]))
    # Each choice and language is a list of its own: the same field differs between them.
    assert len(seen) > 3 * len(LISTS)
