"""The form of the report printed for a release's recipient (ny svarsmottagare)."""

from __future__ import annotations

from typing import Any

from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from ..cases.fields import clean_text
from ..formutil import BaseForm


class ReleaseReportForm(BaseForm):
    recipient_name = StringField(
        "Svarsmottagare (namn)",
        filters=[clean_text],
        validators=[DataRequired("Ange svarsmottagarens namn."), Length(max=200)],
    )
    recipient_address = TextAreaField(
        "Svarsmottagarens adress", filters=[clean_text], validators=[Length(max=400)]
    )

    def __init__(self, *args: Any, needs_address: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A report sent by post needs an address; one that goes with the patient may not.
        self.needs_address = needs_address

    def validate_recipient_address(self, field: Any) -> None:
        if self.needs_address and not field.data:
            raise ValidationError("Ange adressen: svaret skickas med post.")
