"""The form that moves a case to another open incident of its site."""

from __future__ import annotations

from typing import Any

from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..formutil import BaseForm, new_form_key
from ..i18n import gettext as _
from ..models import Case, Incident
from ..row_ids import row_id
from ..web import local_time
from .fields import clean_text
from .moving import move_targets, moves_of
from .page_forms import PageDrafts

CHOOSE_TARGET = "Välj driftstopp att flytta till."


class MoveForm(BaseForm):
    form_key = HiddenField(validators=[Optional(), Length(min=16, max=64)])
    # The versions the page showed (versions.shown_token): a move from an older page is refused.
    # Ids of their own: the cancel form on the same page has a reason and a shown too.
    shown = HiddenField(validators=[Optional(), Length(max=100)], id="move-shown")
    # Choices: the site's other open incidents (target_choices). Not checked against them
    # here: one that ended meanwhile is refused by the service with why, the text kept.
    target = RadioField(
        "Flytta till",
        id="move-target",
        validate_choice=False,
        validators=[InputRequired(CHOOSE_TARGET)],
    )
    reason = TextAreaField(
        "Orsak",
        id="move-reason",
        filters=[clean_text],
        validators=[DataRequired("Ange varför ärendet flyttas."), Length(max=1000)],
    )

    def validate_target(self, field: RadioField) -> None:
        # An id the look-up can take: a longer number would fail it instead of being refused.
        if row_id(field.data) is None:
            raise ValidationError(CHOOSE_TARGET)


def target_choices(targets: list[Incident]) -> list[SelectChoice]:
    """Each incident by number, title and start, a drill said so first (the choice that matters)."""
    out = []
    for incident in targets:
        values = {"n": incident.id, "title": incident.title, "at": local_time(incident.started_at)}
        if incident.is_drill:
            label = _("ÖVNING – driftstopp %(n)s: %(title)s, startat %(at)s", **values)
        else:
            label = _("Driftstopp %(n)s: %(title)s, startat %(at)s", **values)
        out.append(SelectChoice(str(incident.id), label))
    return out


def move_section(
    case: Case, form: MoveForm | None, shown: str, drafts: PageDrafts
) -> dict[str, Any]:
    """What the case page's move section needs: none drawn without another open incident.

    Its reason autosaves as a draft of the case (kind "move"): the page reads its drafts with
    its other forms' where it is drawn (offers_move).
    """
    targets = move_targets(case)
    if form is None:
        form = MoveForm(formdata=None)
        if targets:
            drafts.resume(form, "move")
        else:
            form.form_key.data = new_form_key()
    form.target.choices = target_choices(targets)
    # What this page shows: a move sent from it is judged on that (a refused one's too).
    form.shown.data = shown
    return {
        "move_form": form,
        "offers_move": bool(targets),
        # A move raises the case's version: a case never changed was never moved (no query).
        "moves": moves_of(case.id) if case.version > 1 else [],
    }
