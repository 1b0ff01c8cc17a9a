"""The privacy officer's search of the access log (a GET form: no CSRF, nothing changes)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from app.forms import choices
from app.privacy.labels import ACTIONS, OBJECT_TYPES


class AccessLogSearchForm(FlaskForm):
    class Meta:
        csrf = False

    person = StringField(_l("Person"), validators=[Optional(), Length(max=120)],
                         description=_l("Name, e-mail address or account number: who acted, or whose data."))
    object_type = SelectField(_l("Object"), validators=[Optional()])
    object_id = IntegerField(_l("Object number"), validators=[Optional(), NumberRange(min=1, max=2**31 - 1)],
                             render_kw={"inputmode": "numeric"})
    action = SelectField(_l("Action"), validators=[Optional()])
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("Up to and including"), validators=[Optional()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.object_type.choices = choices([("", _l("Any")), *OBJECT_TYPES.items()])
        self.action.choices = choices([("", _l("Any")), *ACTIONS.items()])
