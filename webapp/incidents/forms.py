"""Incident forms."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from wtforms import BooleanField, HiddenField, RadioField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional, ValidationError

from ..cases.fields import LocalDateTimeField, not_in_future
from ..formutil import BaseForm
from ..models import utcnow
from .close_checks import CloseConfirmations

# The form instance's key (formutil.new_form_key): a double tap or a resend is one act.
FORM_KEY = [Optional(), Length(min=16, max=64)]

# Further back is most often a mistyped date: an outage unnoticed for a week would have been
# found by someone. TOO_FAR_BACK names it as "7 dygn", so the two change together.
LONGEST_BACKDATE = timedelta(days=7)
TOO_FAR_BACK = (
    "Starten ligger mer än 7 dygn bakåt. Kontrollera datum och klockslag: ett driftstopp "
    "registreras i efterhand högst 7 dygn efter att det började."
)


class DeclareForm(BaseForm):
    form_key = HiddenField(validators=FORM_KEY)
    scenario = RadioField("Vad har slutat fungera?", validators=[DataRequired("Välj scenario.")])
    is_drill = BooleanField("Övning (inte ett verkligt driftstopp)")
    # Empty: it starts now. An outage noticed late is declared with the start it had, so the
    # arrival rule and the exports go by it.
    started_at = LocalDateTimeField("Började", validators=[Optional(), not_in_future()])
    notes = TextAreaField("Anteckning", validators=[Length(max=2000)])

    def validate_started_at(self, field: Any) -> None:
        if field.data is not None and utcnow() - field.data > LONGEST_BACKDATE:
            raise ValidationError(TOO_FAR_BACK)


class ScenarioForm(BaseForm):
    form_key = HiddenField(validators=FORM_KEY)
    scenario = RadioField("Vad fungerar inte nu?", validators=[DataRequired("Välj scenario.")])


class StepForm(BaseForm):
    # The page's key for all its ticks: each step is stored under a key of its own.
    form_key = HiddenField(validators=FORM_KEY)
    step_key = HiddenField(validators=[DataRequired(), Length(max=60)])
    # The scenario whose routine the page showed: its contacts do not count for another one.
    scenario = HiddenField(validators=[Optional(), Length(max=40)])
    # Read as "not 1", any other value would undo a notification made, unasked.
    is_done = HiddenField(validators=[DataRequired(), AnyOf(("0", "1"), message="Okänt val.")])
    note = TextAreaField("Anteckning", validators=[Length(max=2000)])


class RestoredForm(BaseForm):
    # "1": the systems work again; "0": undo a mark tapped by mistake.
    restored = HiddenField(validators=[AnyOf(("0", "1"))])
    form_key = HiddenField(validators=FORM_KEY)
    # The scenario the page showed: its systems working again say nothing of another one's.
    scenario = HiddenField(validators=[Optional(), Length(max=40)])


class NoteForm(BaseForm):
    form_key = HiddenField(validators=FORM_KEY)
    note = TextAreaField(
        "Anteckning i loggen",
        validators=[DataRequired("Skriv en anteckning."), Length(max=2000)],
    )


class ConfirmForm(BaseForm):
    """A bare CSRF-protected form for one-click actions."""


class CloseForm(BaseForm):
    form_key = HiddenField(validators=FORM_KEY)
    confirm_unidentified = BooleanField(
        "Patienterna med reservnummer står kvar under reservnummer i RIS; identiteten rättas i "
        "RIS när den blir känd"
    )
    confirm_unfaxed = BooleanField(
        "Svaren som inte är loggade som faxade når remittenten via RIS (eller är faxade utan att "
        "ha loggats)"
    )
    confirm_on_modality = BooleanField(
        "Bilderna som bara finns på modaliteten ska inte till PACS, eller skickas dit utan att "
        "registreras här"
    )
    confirm_over_signed = BooleanField(
        "Utlåtandeblanketterna är lästa mot de signerade utlåtandena, eller tilläggen skrivs i RIS"
    )
    confirm_unnotified = BooleanField(
        "Underrättelserna gjordes utan att bockas av, eller behövdes inte"
    )
    confirm_open_transfers = BooleanField(
        "De pågående bildöverföringarna följs upp på sina sidor efter avslutet"
    )
    confirm_cancelled_blanks = BooleanField(
        "Blanketterna på de makulerade ärendena är lästa och ska inte föras in"
    )
    confirm_blanks = BooleanField(
        "Blanketterna är kontrollerade: ingen av dem är ifylld, de oanvända ligger kvar i pärmen"
    )
    # The codes of the blanks listed beside the tick: the tick confirms those, no others.
    blank_codes = HiddenField()
    # So too for each box that lists items: the keys of those listed beside it (LISTING_BOXES).
    unidentified_shown = HiddenField()
    unfaxed_shown = HiddenField()
    on_modality_shown = HiddenField()
    over_signed_shown = HiddenField()
    unnotified_shown = HiddenField()
    open_transfers_shown = HiddenField()
    cancelled_blanks_shown = HiddenField()

    def confirmations(self) -> CloseConfirmations:
        """The boxes as sent; one not sent is not ticked. A ticked box's list says which items
        it covers; one that sent no list (a form not drawn by the close page) covers none."""
        shown = {
            box: frozenset((self[listing].data or "").split())
            for box, listing in LISTING_BOXES.items()
            if self[box].data
        }
        return CloseConfirmations(
            unidentified=bool(self.confirm_unidentified.data),
            unfaxed=bool(self.confirm_unfaxed.data),
            on_modality=bool(self.confirm_on_modality.data),
            over_signed=bool(self.confirm_over_signed.data),
            unnotified=bool(self.confirm_unnotified.data),
            open_transfers=bool(self.confirm_open_transfers.data),
            cancelled_blanks=bool(self.confirm_cancelled_blanks.data),
            blanks=tuple((self.blank_codes.data or "").split()) if self.confirm_blanks.data else (),
            shown=shown,
        )


# Each close box that lists items, and the hidden field that carries the keys of those listed.
LISTING_BOXES = {
    "confirm_unidentified": "unidentified_shown",
    "confirm_unfaxed": "unfaxed_shown",
    "confirm_on_modality": "on_modality_shown",
    "confirm_over_signed": "over_signed_shown",
    "confirm_unnotified": "unnotified_shown",
    "confirm_open_transfers": "open_transfers_shown",
    "confirm_cancelled_blanks": "cancelled_blanks_shown",
}
