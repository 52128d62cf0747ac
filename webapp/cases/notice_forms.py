"""The forms that cancel a case and restore it, and the one recording what its referrer was told."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, ValidationError

from ..formutil import PHONE_KEYS, SWEDISH_TEXT_KEYS, BaseForm, choices
from .fields import LocalDateTimeField, clean_text, fax_number, not_in_future
from .patient_forms import NOT_DRAFTED


class CancelForm(BaseForm):
    # Optional: a page shown before the key existed still cancels (a second tap is refused).
    form_key = HiddenField(validators=[Optional(), Length(min=16, max=64)])
    # The versions the page showed (versions.shown_token): a cancel from an older page is refused.
    shown = HiddenField(validators=[Optional(), Length(max=100)])
    reason = TextAreaField(
        "Orsak",
        filters=[clean_text],
        validators=[DataRequired("Ange varför ärendet makuleras."), Length(max=1000)],
    )
    # The reason is written for colleagues and the log ("dubblett av K7M-2Q2"); the referrer's
    # notice prints this instead when it is given.
    message = TextAreaField(
        "Meddelande till remittenten", filters=[clean_text], validators=[Length(max=1000)]
    )
    # Offered only for a case with an accession saved or images sent (ris_pacs_left).
    # It answers the page that said what is left there: never kept in the reason's draft.
    confirm_ris_pacs = BooleanField(
        "Jag vet att det ska städas upp i RIS/PACS", render_kw=NOT_DRAFTED
    )


class RestoreForm(BaseForm):
    form_key = HiddenField(validators=[Optional(), Length(min=16, max=64)])
    reason = TextAreaField(
        "Orsak",
        filters=[clean_text],
        validators=[DataRequired("Ange varför makuleringen ångras."), Length(max=1000)],
    )


NOTICE_CHOICES = [
    ("faxed", "Beskedet är faxat till remittenten"),
    (
        "not_needed",
        "Inget besked behövs (t.ex. en dubblett: remissen besvaras i ett annat ärende)",
    ),
]


class CancelNoticeForm(BaseForm):
    # The form instance's key: a second tap records the notice once.
    form_key = HiddenField(validators=[Optional(), Length(min=16, max=64)])
    kind = RadioField(
        "Besked",
        choices=choices(NOTICE_CHOICES),
        validators=[InputRequired("Välj vad som gäller.")],
    )
    fax_number = StringField(
        "Faxat till nummer",
        filters=[clean_text],
        validators=[
            DataRequired("Ange faxnumret beskedet skickades till."),
            Length(max=40),
            fax_number(),
        ],
        render_kw=PHONE_KEYS,
    )
    faxed_at = LocalDateTimeField(
        "Faxat", validators=[InputRequired("Ange när beskedet faxades."), not_in_future()]
    )
    note = TextAreaField("Anteckning", filters=[clean_text], validators=[Length(max=2000)])

    def validate_note(self, field: Any) -> None:
        if self.kind.data == "not_needed" and not field.data:
            raise ValidationError("Skriv varför remittenten inte behöver meddelas.")

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.kind.data != "not_needed":
            return valid
        # Nothing was faxed: the number and the time are not asked for.
        for unasked in (self.fax_number, self.faxed_at):
            unasked.errors = []
            unasked.data = None if unasked is self.faxed_at else ""
        return not any(field.errors for field in self)


class ReviewerToldForm(BaseForm):
    """The external reviewer told that a case they hold the referral of is cancelled, or
    (kind "back_on") that the cancellation they were told of is undone."""

    form_key = HiddenField(validators=[Optional(), Length(min=16, max=64)])
    # Which the page asked: a cancel's form sent after a restore is not read as "back on".
    kind = HiddenField(default="cancel", validators=[Optional(), AnyOf(("cancel", "back_on"))])
    how = StringField(
        "Hur granskaren meddelades",
        filters=[clean_text],
        validators=[DataRequired("Skriv hur granskaren meddelades."), Length(max=200)],
        render_kw=SWEDISH_TEXT_KEYS,
    )
