"""Forms of the catalogue administration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class TechniqueForm(FlaskForm):
    label_nl = StringField(
        _l("Label in Dutch"),
        validators=[DataRequired(message=_l("Fill in a Dutch label.")), Length(max=200)],
        description=_l("What a colleague could observe, in a few words."),
    )
    label_en = StringField(
        _l("Label in English"),
        validators=[DataRequired(message=_l("Fill in an English label.")), Length(max=200)],
    )
    howto_nl = TextAreaField(
        _l("How to do it, in Dutch"),
        validators=[Length(max=500)],
        description=_l("One or two sentences for the work floor; shown under the technique in the log form."),
    )
    howto_en = TextAreaField(_l("How to do it, in English"), validators=[Length(max=500)])

