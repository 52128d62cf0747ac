"""Binder forms."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..cases.fields import WholeNumberField, clean_text
from ..formutil import CODE_KEYS, SWEDISH_TEXT_KEYS, BaseForm, choices
from .kinds import BLANK_KIND_NAMES

# By the names the list of codes and the audit log give them: what was chosen is found there.
KIND_CHOICES = list(BLANK_KIND_NAMES.items())


# The form instance's key (formutil.new_form_key): a double tap or a resend is one act.
FORM_KEY = [Optional(), Length(min=16, max=64)]


class ReserveForm(BaseForm):
    form_key = HiddenField(validators=FORM_KEY)
    doc_kind = RadioField(
        "Blankett",
        choices=choices(KIND_CHOICES),
        validators=[InputRequired("Välj blankett.")],
        default="BLR",
    )
    # One message for what is no number, not WTForms' own run into the range's.
    count = WholeNumberField(
        "Antal",
        default=20,
        validators=[InputRequired("Ange antal."), NumberRange(1, 200, "Ange 1–200 blanketter.")],
    )
    batch_label = StringField(
        "Märkning (t.ex. pärm, plats)",
        filters=[clean_text],
        validators=[Length(max=100)],
        render_kw=SWEDISH_TEXT_KEYS,
    )


class VoidForm(BaseForm):
    # The page's key for all its void forms: each code is stored under a key of its own.
    form_key = HiddenField(validators=FORM_KEY)
    reason = TextAreaField(
        "Orsak",
        filters=[clean_text],
        validators=[DataRequired("Ange varför koden makuleras."), Length(max=1000)],
    )


class FindCaseForm(BaseForm):
    """Which case a documentation or report blank belongs to, as written on it."""

    typed = StringField(
        "Remissens ärendekod eller patientens personnummer / reservnummer",
        filters=[clean_text],
        validators=[DataRequired("Skriv ärendekoden eller patientens ID-nummer."), Length(max=40)],
        render_kw=CODE_KEYS,
    )


class AttachForm(BaseForm):
    """The confirming tap: this blank belongs to this case."""

    case_id = HiddenField(validators=[DataRequired()])
    # The page's key for all its candidates: each case is stored under a key of its own.
    form_key = HiddenField(validators=FORM_KEY)
    # The search as typed, so that a refused tap shows the same cases again.
    typed = HiddenField(filters=[clean_text])
    # A report blank over a signed report: asked beside the case, as the page warned of it.
    over_signed = BooleanField("Koppla ändå")


class DetachForm(BaseForm):
    """A blank joined to the wrong case is detached from it, with a reason."""

    # The page's key for all its blanks: each blank is stored under a key of its own.
    form_key = HiddenField(validators=FORM_KEY)
    reason = TextAreaField(
        "Orsak",
        filters=[clean_text],
        validators=[DataRequired("Ange varför blanketten kopplas loss."), Length(max=1000)],
    )


class ReadSameForm(BaseForm):
    """A radiologist's one tap: the report blank joined over the signed report says the same."""

    # The page's key for all its blanks, as the detach form's: each stored under its own.
    form_key = HiddenField(validators=FORM_KEY)
