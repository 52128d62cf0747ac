"""Recording a release's referral note as written in RIS, or undoing that tick.

The app cannot see RIS: the secretary who wrote the note there says so on the case's catch-up
page. What is recorded is the text as the page showed it; a note that changed since (the media
handed over) is to be written again (release_in_ris).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import log_event
from ..cases.submissions import NOT_SENT, SentOnce
from ..extensions import db
from ..models import Case, ImageRelease, Incident, ReleaseRisNote, User, utcnow
from ..release_in_ris import note_digest
from ..storage import insert_row
from . import STAFF
from .once import write_action_once
from .services import CatchupError

WRONG_ROLE = "Remissanteckningen i RIS registreras av sekreterare och administratörer."
NOT_DUE = (
    "Utlämnandet gjordes när RIS fungerade: remissanteckningen skrivs in i RIS direkt och "
    "registreras inte här."
)
ENDED = "Driftstoppet som utlämnandet hör till är avslutat. Ändringar görs nu i RIS."
STALE_NOTE = (
    "Texten har ändrats sedan sidan visades (skivan har lämnats ut). Kopiera den nya texten "
    "till RIS och bocka av igen."
)
ALREADY_RECORDED = "Remissanteckningen är redan registrerad som införd i RIS av %(name)s."
ALREADY_UNDONE = "Remissanteckningen var inte registrerad som införd i RIS – inget ändrades."


class ReleaseNotFound(CatchupError):
    """No such release at the acting user's site; a view answers 404."""

    def __init__(self) -> None:
        super().__init__("Utlämnandet finns inte.")


class AlreadyAsAsked(CatchupError):
    """Recorded (or undone) meanwhile, from another tablet: what was asked stands."""


def record_release_note(
    *,
    release_id: int,
    user: User,
    is_done: bool,
    shown: str = "",
    submit: SentOnce = NOT_SENT,
) -> None:
    """Record the release's note as written in RIS (is_done) or undo that.

    shown: the digest of the note the page showed (note_digest); a tick from a page older than
    the note is refused, as RIS would hold a text that no longer stands. An undo is always
    taken. Once per form key.
    """
    if user.role not in STAFF:
        raise CatchupError(WRONG_ROLE)
    release = db.session.get(ImageRelease, release_id)
    if release is None or release.site_id != user.site_id:
        raise ReleaseNotFound()
    case_id = release.case_id

    def write(session: Session) -> None:
        # The close holds its cases' rows: a tick either lands before it or finds it ended.
        session.get(Case, case_id, with_for_update=True)
        release = session.get(ImageRelease, release_id, with_for_update=True)
        assert release is not None
        if not release.ris_note_due:
            raise CatchupError(NOT_DUE)
        incident = session.get(Incident, release.incident_id) if release.incident_id else None
        if incident is not None and not incident.is_open:
            raise CatchupError(ENDED)
        latest = session.scalars(
            select(ReleaseRisNote)
            .where(ReleaseRisNote.release_id == release.id)
            # By id, not time: the laptop's clock may have been set back between two.
            .order_by(ReleaseRisNote.id.desc())
            .limit(1)
        ).first()
        recorded = latest is not None and latest.is_done
        if is_done:
            if shown and shown != note_digest(release.referral_note):
                raise CatchupError(STALE_NOTE)
            if latest is not None and recorded and latest.note == release.referral_note:
                raise AlreadyAsAsked(ALREADY_RECORDED, name=latest.user.display_name)
        elif not recorded:
            raise AlreadyAsAsked(ALREADY_UNDONE)
        insert_row(
            session,
            ReleaseRisNote.__table__,
            {
                "release_id": release.id,
                "is_done": is_done,
                "note": release.referral_note if is_done else "",
                "user_id": user.id,
                "at": utcnow(),
            },
        )
        log_event(
            "release_ris_note",
            user=user,
            case=release.case,
            detail=f"#{release.id} remissanteckning "
            + ("införd i RIS" if is_done else "införd i RIS: ångrad"),
        )

    write_action_once(
        submit, kind="release_ris_note", case_id=case_id, user_id=user.id, write=write
    )
