"""Saving and discarding drafts."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ..audit import log_event, log_read
from ..cases.patient_forms import NOT_DRAFTED_FIELDS
from ..draft_kinds import DRAFT_KINDS, KIND_LABELS
from ..models import Case, Draft, Incident, Submission, User, utcnow
from ..sent_copy import holds_save
from ..storage import lock_form_key, write_transaction
from ..text_lines import one_line
from .queries import typed_case, typed_patient

MAX_FIELDS = 200


def form_of(draft: Draft) -> str:
    """The draft's form as the drafts list names it, for its audit rows."""
    # A kind is checked when its draft is first saved; one dropped since keeps its code.
    return KIND_LABELS.get(draft.kind, draft.kind)


def log_draft_read(draft: Draft, user: User, patient_ref: str = "") -> None:
    """Log that a draft's typed content was shown, naming its case or the patient typed.

    patient_ref: a patient the page shows beside it though not typed into it (a try's draft
    names its transfer's patient, who has no case).
    """
    log_read(
        "draft_view",
        user=user,
        case=typed_case(draft, user.site_id),
        incident_id=draft.incident_id,
        detail=f"{form_of(draft)} {draft.form_key}",
        patient_ref=typed_patient(draft) or patient_ref,
    )


class DraftError(ValueError):
    """A draft that cannot be stored."""


NOT_YOUR_FORM = "Din roll får inte fylla i det här formuläret."


class DraftForbidden(DraftError):
    """A draft of a form the user's role may not open: the server refuses what the page would."""

    def __init__(self) -> None:
        super().__init__(NOT_YOUR_FORM)


# Half of a UTF-16 pair: the tablet's label is cut at a length in UTF-16 units, and an emoji
# astride the cut reaches the laptop as its first half, which no database or page can encode.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value: object) -> str:
    return _LONE_SURROGATE.sub("\ufffd", str(value))


def _clean(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict) or len(data) > MAX_FIELDS:
        raise DraftError("Utkastet har fel form.")
    cleaned: dict[str, Any] = {}
    for key, value in data.items():
        if not isinstance(key, str) or len(key) > 64 or key.endswith("csrf_token"):
            continue
        if key in NOT_DRAFTED_FIELDS:
            continue
        # A text, and a list, is kept whole, however long: a cut here was lost without a word,
        # as the tablet said "saved". The request's size limit (MAX_CONTENT_LENGTH) bounds a
        # draft, and a field's own limit is said beside it when the form is sent, its text kept.
        if isinstance(value, list):
            value = [_text(v) for v in value]
        elif value is None or isinstance(value, bool):
            pass
        else:
            value = _text(value)
        cleaned[_text(key)] = value
    return cleaned


class SavedDraft(NamedTuple):
    """What an autosave did: the draft (None if its form was sent), its state, whether the
    form can no longer be sent because its incident has ended (the tablet must say so), and,
    for a form sent ("done"), whether the text saved was in what was sent."""

    draft: Draft | None
    state: str
    incident_ended: bool = False
    in_sent: bool = True


def save_draft(
    *,
    form_key: str,
    kind: str,
    user: User,
    incident_id: int | None,
    case_id: int | None,
    data: Any,
    label: str,
    seq: int,
    typed_under: int | None = None,
    continued_under: int | None = None,
    writer: str | None = None,
    base: int | None = None,
) -> SavedDraft:
    """Store the latest state of a form; an older sequence number never overwrites a newer.

    typed_under: the user id the tablet says the text was begun under (0: it cannot tell);
    None, or the user's own id, for text begun under this login. continued_under: the user id
    the tablet says typed on in it after that (None if no other login did). writer: the copy of
    the form saving (a tablet's page), and base: the count of the laptop's text that copy's text
    goes on from; a save over text another copy saved after that count is "overtaken" and
    stores nothing (the tablet keeps its text as a draft of its own). None for either: a copy
    that cannot tell, whose save goes by its count alone.
    """
    if kind not in DRAFT_KINDS:
        raise DraftError("Okänd typ av utkast.")
    if user.role not in DRAFT_KINDS[kind].roles:
        raise DraftForbidden()
    if not 16 <= len(form_key) <= 64:
        raise DraftError("Ogiltig formulärnyckel.")
    cleaned = _clean(data)
    # The data keeps what was typed (its form takes it as the field would); the label is the
    # tablet's own, shown in one cell of every list of drafts and in the log.
    label = one_line(_text(label))
    with write_transaction() as session:
        draft, state, saved_before = _save(
            session,
            form_key,
            kind,
            user,
            incident_id,
            case_id,
            cleaned,
            label,
            _Count(seq, writer, base),
        )
        if state == "done" and draft is not None:
            sent = holds_save(draft.writer, draft.client_seq, writer, seq)
            return SavedDraft(draft, state, in_sent=sent)
        if draft is None or state in ("done", "discarded", "overtaken"):
            return SavedDraft(draft, state)
        if state in ("created", "saved"):
            _attribute(session, draft, user, typed_under, continued_under)
        # A transfer's form is still sent after its incident: its draft is no late one.
        ends = DRAFT_KINDS[kind].ends_with_incident
        end = _incident_end(session, draft) if ends else None
        if end is not None and state in ("created", "saved"):
            _log_late_arrival(session, draft, user, end, saved_before)
        return SavedDraft(draft, state, end is not None)


def _incident_end(session: Session, draft: Draft) -> tuple[int, datetime] | None:
    """The draft's incident and when it ended; None while it is open.

    A draft of a case goes by its case's incident, one begun without a case by the incident
    its form was opened in.
    """
    incident_id = draft.incident_id
    if draft.case_id is not None:
        incident_id = session.scalar(select(Case.incident_id).where(Case.id == draft.case_id))
    if incident_id is None:
        return None
    ended_at = session.scalar(select(Incident.ended_at).where(Incident.id == incident_id))
    return (incident_id, ended_at) if ended_at is not None else None


def _log_late_arrival(
    session: Session,
    draft: Draft,
    user: User,
    end: tuple[int, datetime],
    saved_before: datetime | None,
) -> None:
    """Log a draft that reaches the laptop after its incident ended (its first save since).

    It is kept, as everything is, but it is in no batch: the ended incident's page and the
    secretaries' start page list it (late_drafts.py), and this row says when it came.
    """
    incident_id, ended_at = end
    if saved_before is not None and saved_before > ended_at:
        return
    log_event(
        "draft_after_end",
        user=user,
        case=typed_case(draft, user.site_id),
        incident_id=incident_id,
        detail=f"{form_of(draft)} {draft.form_key}: kom in efter att driftstoppet avslutades",
        patient_ref=typed_patient(draft),
    )


def _attribute(
    session: Session,
    draft: Draft,
    user: User,
    typed_under: int | None,
    continued_under: int | None,
) -> None:
    """Name who the stored text is of: the user's own, or one begun under another login.

    A shared tablet sends what an earlier login left unsent from whichever page opens next,
    under whoever is logged in then. That person did not type it, and the tablet's word for
    who did is a claim, not a login: the draft says both, and the delivery is logged. Text
    once named so stays named so: the next person typing on in it (on the tablet before it
    reached the laptop, or in the laptop's copy) is recorded as having continued it.
    """
    began = user.id if typed_under is None else typed_under
    went_on = None if continued_under in (None, 0, began) else continued_under
    if began == user.id and went_on is None:
        if draft.delivered_by_id is None:
            draft.user_id = user.id
        elif user.id != draft.typed_under_id:
            _continued(session, draft, user, user.id)
        return
    _delivered(session, draft, user, began)
    if went_on is not None:
        _continued(session, draft, user, went_on)


def _login(session: Session, user: User, user_id: int) -> User | None:
    """A login of the user's own site by its id, as the tablet names it; None if there is none."""
    if user_id == user.id:
        return user
    claimed = session.get(User, user_id) if user_id else None
    return claimed if claimed is not None and claimed.site_id == user.site_id else None


def _typist(draft: Draft) -> str:
    """The login a draft's text was begun under, as its audit rows name it."""
    typist = draft.typed_under
    return f"inloggning {typist.display_name}" if typist is not None else "okänd inloggning"


def _delivered(session: Session, draft: Draft, user: User, began: int) -> None:
    claimed = _login(session, user, began)
    # A draft the laptop had keeps its author (the one who last saved it under their own
    # login); a new one is the sender's, as no other login is proven.
    claimed_id = claimed.id if claimed is not None else None
    if (draft.delivered_by_id, draft.typed_under_id) == (user.id, claimed_id):
        return  # each autosave of it is not a new delivery
    draft.delivered_by_id = user.id
    draft.typed_under_id = claimed_id
    draft.typed_under = claimed
    log_event(
        "draft_delivered",
        user=user,
        case=typed_case(draft, user.site_id),
        incident_id=draft.incident_id,
        detail=(
            f"{form_of(draft)} {draft.form_key}: skrivet offline under {_typist(draft)} "
            "enligt plattan"
        ),
        patient_ref=typed_patient(draft),
    )


def _continued(session: Session, draft: Draft, user: User, went_on: int) -> None:
    who = _login(session, user, went_on)
    if who is None or draft.continued_by_id == who.id:
        return
    draft.continued_by_id = who.id
    by = f"inloggning {who.display_name}" + ("" if who.id == user.id else " enligt plattan")
    log_event(
        "draft_continued",
        user=user,
        case=typed_case(draft, user.site_id),
        incident_id=draft.incident_id,
        detail=(
            f"{form_of(draft)} {draft.form_key}: påbörjat offline under {_typist(draft)} enligt "
            f"plattan, fortsatt under {by}"
        ),
        patient_ref=typed_patient(draft),
    )


class _Count(NamedTuple):
    """Where a save stands: its count, the copy it is from, the laptop's count it goes on from."""

    seq: int
    writer: str | None
    base: int | None


def _overtaken(draft: Draft, cleaned: dict[str, Any], count: _Count) -> bool:
    """Whether the stored text was saved by another copy of the form after this save's base.

    Each save holds the whole form, so this one would put text its tablet never showed out of
    the laptop (another tablet typed on from the same draft meanwhile, or while this one was
    offline). A copy's own earlier save, whose answer was lost, is not another's: it is named
    by the copy.
    """
    if count.writer is None or count.base is None or cleaned == draft.data:
        return False
    return draft.client_seq > count.base and draft.writer != count.writer


def _save(
    session: Session,
    form_key: str,
    kind: str,
    user: User,
    incident_id: int | None,
    case_id: int | None,
    cleaned: dict[str, Any],
    label: str,
    count: _Count,
) -> tuple[Draft | None, str, datetime | None]:
    """Store the text; also returns when the draft was saved before (None for a new one)."""
    if case_id is not None:
        case = session.get(Case, case_id)
        if case is None or case.site_id != user.site_id:
            raise DraftError("Ärendet finns inte.")
    if incident_id is not None:
        incident = session.get(Incident, incident_id)
        if incident is None or incident.site_id != user.site_id:
            raise DraftError("Driftstoppet finns inte.")
    # PostgreSQL: the form's key is held before its draft and its stored submit are read, as
    # the submits hold it. A submit at the same moment then either finds this first draft and
    # finishes it, or has stored the form by the time this save looks ("done": the submit
    # wins); a second first save (a queued autosave, another tablet) finds this one's draft,
    # and a save waiting behind a newer one reads its sequence number. The draft's row lock
    # orders a save with a discard of the draft, which goes by the draft's id alone.
    lock_form_key(session, form_key)
    draft = session.scalar(select(Draft).where(Draft.form_key == form_key).with_for_update())
    if draft is None and session.scalar(select(exists().where(Submission.key == form_key))):
        # An autosave that arrives after its form was sent (queued while the Wi-Fi was
        # down) would be an unfinished draft of a form that is done.
        return None, "done", None
    if draft is None:
        draft = Draft(
            form_key=form_key,
            kind=kind,
            site_id=user.site_id,
            incident_id=incident_id,
            case_id=case_id,
            user_id=user.id,
            data=cleaned,
            label=label[:200],
            client_seq=count.seq,
            writer=count.writer,
        )
        session.add(draft)
        return draft, "created", None
    if draft.site_id != user.site_id:
        raise DraftError("Utkastet tillhör en annan enhet.")
    if draft.is_done:
        # Thrown away from the list rather than sent: a tablet still typing in it keeps its
        # text as a new draft, so it is told which of the two it was.
        sent = session.scalar(select(exists().where(Submission.key == form_key)))
        return draft, "done" if sent else "discarded", draft.updated_at
    if draft.kind != kind or draft.case_id != case_id:
        # The list names a draft's patient from its case: a draft never moves to another.
        raise DraftError("Utkastet hör till ett annat formulär.")
    if _overtaken(draft, cleaned, count):
        return draft, "overtaken", draft.updated_at
    if count.seq <= draft.client_seq:
        # An older count with the very text stored is a save whose answer never came back: the
        # tablet may mark it sent instead of keeping a copy the laptop already has.
        return draft, "held" if cleaned == draft.data else "stale", draft.updated_at
    saved_before = draft.updated_at
    draft.data = cleaned
    draft.label = label[:200]
    draft.client_seq = count.seq
    draft.writer = count.writer
    draft.updated_at = utcnow()
    return draft, "saved", saved_before
