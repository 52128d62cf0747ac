"""The follow-up's one form: the deviation report's number."""

from __future__ import annotations

from wtforms import Field, HiddenField, StringField
from wtforms.validators import Length, Optional, Regexp, ValidationError

from ..cases.fields import clean_text, site_today
from ..formutil import CODE_KEYS, BaseForm
from ..identity import mentions_personal_number
from ..models.incident import DEVIATION_LENGTH

# What the departments' deviation systems number their reports with (MedControl PRO, Synergi):
# letters, digits and a few separators; anything else is a slip, or text that is no number.
DEVIATION_RE = r"^[A-Za-zÅÄÖåäö0-9 \-_/.:#]*$"
DEVIATION_CHARACTERS = "Bara bokstäver, siffror, mellanslag och - _ / . : #"
DEVIATION_TOO_LONG = "Högst 40 tecken."
NO_DIGIT = "Avvikelsenumret har minst en siffra."
# The report is passed on to the RIS/PACS administrators, who must not read a patient in it.
LOOKS_LIKE_PATIENT = (
    "Det ser ut som ett personnummer. Skriv avvikelserapportens nummer, inget om patienten."
)


class DeviationForm(BaseForm):
    # The form instance's key (formutil.new_form_key): a double tap is one change.
    form_key = HiddenField(validators=[Optional(), Length(min=16, max=64)])
    deviation_number = StringField(
        "Avvikelsenummer",
        filters=[clean_text],
        validators=[
            Length(max=DEVIATION_LENGTH, message=DEVIATION_TOO_LONG),
            Regexp(DEVIATION_RE, message=DEVIATION_CHARACTERS),
        ],
        render_kw=CODE_KEYS,
    )

    def validate_deviation_number(self, field: Field) -> None:
        typed = field.data or ""
        if not typed or field.errors:
            return  # An empty field takes the number away; a refused one is told once.
        if not any(c.isdigit() for c in typed):
            raise ValidationError(NO_DIGIT)
        if mentions_personal_number(typed, site_today()):
            raise ValidationError(LOOKS_LIKE_PATIENT)
