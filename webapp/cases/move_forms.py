"""The form that moves a case to another open incident of its site."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..arrival_bound_rule import CONFIRM_LABEL
from ..extensions import db
from ..formutil import BaseForm, new_form_key
from ..i18n import gettext as _
from ..models import Case, Incident
from ..row_ids import row_id
from ..web import local_time
from .cancelling import has_release
from .fields import clean_text
from .moving import move_targets, moves_of
from .moving_drill import CATCHUP_RESTARTS_HINT, has_drill_catchup
from .namesakes import Namesake, question_for
from .page_forms import PageDrafts
from .patient_forms import NAMESAKE_LABEL, NOT_DRAFTED

CHOOSE_TARGET = "Välj driftstopp att flytta till."
REACHED_RIS = (
    "Ärendet har redan exporterats eller registrerats i RIS från det här driftstoppet. Flytta "
    "det ändå om det ligger fel, men ta då bort det i RIS (flyttat till en övning) eller rätta "
    "det där: nästa export och efterregistreringen listar det som flyttat."
)
# A drill case offered a real outage, held by a drill export: the move clears its drill RIS
# numbers (moving_drill), so only the export's listing remains to say (moved_out).
DRILL_EXPORTED = (
    "Ärendet finns i en export från övningen. Flyttas det till ett skarpt driftstopp listar "
    "övningens nästa export och efterregistrering det som flyttat, och det läggs in i RIS från "
    "det skarpa driftstoppet."
)
# A drill case offered both another drill and a real outage: the RIS warning is the drill
# target's alone (into a real outage its drill RIS numbers are cleared), so it says so.
REACHED_RIS_DRILL_TARGET = (
    "Till en annan övning: ärendet har redan exporterats eller registrerats i RIS från den här "
    "övningen. Flytta det ändå om det ligger fel, men ta då bort det i RIS eller rätta det där: "
    "nästa export och efterregistreringen listar det som flyttat. Till ett skarpt driftstopp "
    "tas övningens RIS-nummer bort."
)
# Said before a drill is chosen: the service refuses that move (moving.RELEASED_NOT_TO_DRILL).
RELEASED_HINT = (
    "Bilderna är utlämnade från ärendet: det kan flyttas till ett annat skarpt driftstopp, "
    "inte till en övning."
)


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

    # Asked when the referral arrived over a day before the target began (MOVE_TOO_EARLY). The
    # names are the referral form's, never drafted; the ids the page's own. A tick counts only
    # for the target the page asked about: one given for another outage is asked again.
    arrival_confirmed = BooleanField(
        CONFIRM_LABEL, id="move-arrival-confirmed", render_kw=NOT_DRAFTED
    )
    arrival_confirmed_for = HiddenField(id="move-arrival-confirmed-for", render_kw=NOT_DRAFTED)

    # Asked when the target holds the case's number under another name, or its name under
    # another number (namesakes), as a referral there would be; a tick counts only for the
    # target asked about (the case itself cannot change unseen: `shown`).
    namesake_confirmed = BooleanField(
        NAMESAKE_LABEL, id="move-namesake-confirmed", render_kw=NOT_DRAFTED
    )
    namesake_confirmed_for = HiddenField(id="move-namesake-confirmed-for", render_kw=NOT_DRAFTED)
    namesakes_found: list[Namesake] = []  # noqa: RUF012 - replaced, never changed in place

    @property
    def namesake_ticked(self) -> bool:
        """Whether the box is ticked for the target sent, as the page that asked drew it."""
        target = str(self.target.data or "")
        return (
            bool(self.namesake_confirmed.data)
            and bool(target)
            and self.namesake_confirmed_for.data == target
        )

    def ask_namesakes(self, found: list[Namesake]) -> None:
        """The write's namesakes listed beside the box, drawn empty for the target sent."""
        self.namesakes_found = found
        self.namesake_confirmed.data = False
        self.namesake_confirmed_for.data = str(self.target.data or "")
        self.namesake_confirmed.errors = [question_for(found)]

    @property
    def arrival_confirmed_now(self) -> bool:
        """Whether the box is ticked for the target sent, as the page that asked drew it."""
        target = str(self.target.data or "")
        return (
            bool(self.arrival_confirmed.data)
            and bool(target)
            and self.arrival_confirmed_for.data == target
        )

    def asks_arrival_confirmation(self) -> bool:
        """Whether the page draws the box: asked for this target, or ticked."""
        target = str(self.target.data or "")
        asked = bool(target) and self.arrival_confirmed_for.data == target
        return asked or bool(self.arrival_confirmed.data)

    def ask_arrival_confirmation(self, message: str) -> None:
        """The service's question said beside the target, the box drawn empty for it."""
        self.target.errors = [message]
        self.arrival_confirmed.data = False
        self.arrival_confirmed_for.data = str(self.target.data or "")

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
    # Asked only where a move is offered: it reads the incident's exports.
    reached_ris = _reached_ris(case, targets) if targets else []
    # Asked only when a drill is offered to a real outage's case: one query more.
    released = (
        not case.incident.is_drill
        and any(t.is_drill for t in targets)
        and has_release(db.session(), case.id)
    )
    # Asked only when a real outage is offered to a drill's case: nothing else restarts it.
    restarts = (
        case.incident.is_drill
        and any(not t.is_drill for t in targets)
        and has_drill_catchup(case.id)
    )
    return {
        "move_form": form,
        "offers_move": bool(targets),
        "move_reached_ris": reached_ris,
        "move_released": RELEASED_HINT if released else "",
        "move_catchup_restarts": CATCHUP_RESTARTS_HINT if restarts else "",
        # A move raises the case's version: a case never changed was never moved (no query).
        "moves": moves_of(case.id) if case.version > 1 else [],
    }


def _reached_ris(case: Case, targets: list[Incident]) -> list[str]:
    """What the form says of RIS having heard of the case, each text naming its target."""
    # Here, not at the top: the catch-up package reads the cases' moves from this one.
    from ..catchup.moved_out import exported_case_ids, has_reached_ris

    if not case.incident.is_drill:
        return [REACHED_RIS] if has_reached_ris(case) else []
    to_drill = any(t.is_drill for t in targets)
    to_real = any(not t.is_drill for t in targets)
    said = []
    # Into another drill the case keeps its RIS numbers: RIS is to be set right.
    if to_drill and has_reached_ris(case):
        said.append(REACHED_RIS_DRILL_TARGET if to_real else REACHED_RIS)
    # Into a real outage, a drill accession is cleared and no list names the case for it: nothing
    # of a drill is in the real RIS. Only a drill export that held it lists it as moved.
    if to_real and case.id in exported_case_ids(case.incident_id):
        said.append(DRILL_EXPORTED)
    return said
