"""The RIS administrator's form recording an undone reviewer answer as removed from RIS."""

from __future__ import annotations

from wtforms import StringField
from wtforms.validators import Length

from ..formutil import SWEDISH_TEXT_KEYS, BaseForm
from .forms import FORM_KEY, TEXT


class RisRemovedForm(BaseForm):
    note = StringField(
        "Anteckning (t.ex. svaret borttaget från ärendet i RIS)",
        filters=TEXT,
        validators=[Length(max=2000)],
        render_kw=SWEDISH_TEXT_KEYS,
    )
    form_key = FORM_KEY
