"""Incident forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Length


class DeclareForm(FlaskForm):
    scenario = RadioField("Vad har slutat fungera?", validators=[DataRequired("Välj scenario.")])
    is_drill = BooleanField("Övning (inte ett verkligt driftstopp)")
    notes = TextAreaField("Anteckning", validators=[Length(max=2000)])


class StepForm(FlaskForm):
    step_key = HiddenField(validators=[DataRequired(), Length(max=60)])
    is_done = HiddenField(validators=[DataRequired()])
    note = TextAreaField("Anteckning", validators=[Length(max=2000)])


class NoteForm(FlaskForm):
    note = TextAreaField(
        "Anteckning i loggen",
        validators=[DataRequired("Skriv en anteckning."), Length(max=2000)],
    )


class ConfirmForm(FlaskForm):
    """A bare CSRF-protected form for one-click actions."""
