"""A note sent to an outage ended meanwhile: kept as a draft that came in after the end."""

from __future__ import annotations

from ..drafts.services import DraftError, save_draft
from ..formutil import new_form_key
from ..models import User
from ..sent_copy import SENT_COPY

# The saves that leave the laptop holding the text sent (under its own key).
_KEPT = ("created", "saved", "held")


def keep_refused_note(*, incident_id: int, user: User, note: str, form_key: str) -> None:
    """Keep a note the ended outage's log refused, as its autosave would have.

    The log takes no note after the end, but the text is not lost: it is saved as the form's
    draft, which the ended incident's page lists with the other drafts that came in late
    (late_drafts), and the save logs it as such (draft_after_end). It goes through the
    autosave's own rules, as the copy the page named (sent_copy): text another tablet saved
    meanwhile, or a draft sent or thrown away, is never replaced; this text is then kept as a
    draft of its own, as the tablet's script does (fork in drafts.js).
    """
    copy = SENT_COPY.get()
    writer = copy.writer if copy is not None else None

    def save(key: str, seq: int, base: int | None) -> str:
        return save_draft(
            form_key=key,
            kind="incident_note",
            user=user,
            incident_id=incident_id,
            case_id=None,
            data=_typed(incident_id, key, note),
            label="",
            seq=seq,
            writer=writer,
            base=base,
        ).state

    try:
        if save(form_key, copy.seq if copy else 0, copy.base if copy else None) in _KEPT:
            return
    except DraftError:
        pass  # a key no draft can have: the text goes under a key of its own
    save(new_form_key(), 1, 0)


def _typed(incident_id: int, form_key: str, note: str) -> dict[str, str]:
    """The note's form as the tablet's autosave sends it."""
    return {"note": note, "incident_id": str(incident_id), "form_key": form_key}
