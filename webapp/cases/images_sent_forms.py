"""The form recording images sent to PACS after the exam was documented as not sent."""

from __future__ import annotations

from wtforms import HiddenField
from wtforms.validators import InputRequired, Length, Optional

from ..formutil import BaseForm
from .fields import LocalDateTimeField, not_in_future


class ImagesSentForm(BaseForm):
    """The images sent to PACS after the exam was documented as not sent (case page)."""

    # Optional: a page drawn without a key still records (a second tap then finds it done).
    form_key = HiddenField(validators=[Optional(), Length(min=16, max=64)])
    sent_at = LocalDateTimeField(
        "Skickade till PACS",
        validators=[InputRequired("Ange när bilderna skickades."), not_in_future()],
    )
