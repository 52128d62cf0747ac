"""Incident forms."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, RadioField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from ..formutil import BaseForm


class DeclareForm(BaseForm):
    # The form instance's key: a double tap on "Registrera" opens one incident.
    form_key = HiddenField(validators=[Optional(), Length(min=16, max=64)])
    scenario = RadioField("Vad har slutat fungera?", validators=[DataRequired("Välj scenario.")])
    is_drill = BooleanField("Övning (inte ett verkligt driftstopp)")
    notes = TextAreaField("Anteckning", validators=[Length(max=2000)])


class ScenarioForm(BaseForm):
    scenario = RadioField("Vad fungerar inte nu?", validators=[DataRequired("Välj scenario.")])


class StepForm(BaseForm):
    step_key = HiddenField(validators=[DataRequired(), Length(max=60)])
    is_done = HiddenField(validators=[DataRequired()])
    note = TextAreaField("Anteckning", validators=[Length(max=2000)])


class RestoredForm(BaseForm):
    # "1": the systems work again; "0": undo a mark tapped by mistake.
    restored = HiddenField(validators=[AnyOf(("0", "1"))])


class NoteForm(BaseForm):
    note = TextAreaField(
        "Anteckning i loggen",
        validators=[DataRequired("Skriv en anteckning."), Length(max=2000)],
    )


class ConfirmForm(BaseForm):
    """A bare CSRF-protected form for one-click actions."""


class CloseForm(BaseForm):
    confirm_unidentified = BooleanField(
        "Patienterna med reservnummer står kvar under reservnummer i RIS; identiteten rättas i "
        "RIS när den blir känd"
    )
    confirm_unfaxed = BooleanField(
        "Svaren som inte är loggade som faxade når remittenten via RIS (eller är faxade utan att "
        "ha loggats)"
    )
