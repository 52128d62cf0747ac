"""Form keys: a retried or double-tapped submit replays its first result, never writes twice."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Row, bindparam, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..audit import log_event
from ..models import Case, Draft, Submission, User, utcnow
from ..sent_copy import SENT_COPY, SENT_COPY_FIELDS, SentCopy, is_behind, site_time
from ..storage import insert_row, lock_form_key, write_transaction
from .errors import ContinuedElsewhere, SubmissionConflict, SubmitNotStored

T = TypeVar("T")


@dataclass(frozen=True)
class SubmitResult:
    """Where a submit led: its case and page, and whether it was a replay of an earlier one."""

    case_id: int
    url: str
    replayed: bool


def payload_hash(form_data: Mapping[str, Any], secrets: Collection[str] = ()) -> str:
    """A stable hash of what was submitted (without the CSRF token).

    Of the `secrets` fields (a PIN, a password) only whether they were filled in counts: a
    fast hash of a six-digit PIN beside the rest of its form is undone by trying them all, so
    a replay of such a form checks the secret against the user's own slow hash instead.
    """
    items = sorted(
        (k, form_data.getlist(k) if hasattr(form_data, "getlist") else form_data[k])
        for k in form_data
        if k != "csrf_token" and k not in SENT_COPY_FIELDS
    )
    items = [(k, bool(v and any(v)) if k in secrets else v) for k, v in items]
    return hashlib.sha256(json.dumps(items, default=str).encode()).hexdigest()


# Statements of the submits, built once: building one and its cache key costs more than the
# query itself on SQLite, and each statement run costs about 0.1 ms of CPU, so a submit reads what
# it checks before writing (its case, the stored result of its form key, whether the tablet
# saved a draft under that key) in one query.
_SUBMISSION_BY_KEY = select(
    Submission.payload_hash, Submission.result_url, Submission.case_id
).where(Submission.key == bindparam("key"))
# Outer-joined on the form key (unique, so at most one row) beside a submit's own columns.
REPLAY_COLUMNS: tuple[ColumnElement[Any], ...] = (
    Submission.payload_hash.label("replay_hash"),
    Submission.result_url.label("replay_url"),
    Submission.case_id.label("replay_case_id"),
    exists().where(Draft.form_key == bindparam("key")).label("has_draft"),
)
REPLAY_JOIN = Submission.key == bindparam("key")
_FINISH_DRAFT = update(Draft.__table__).where(Draft.form_key == bindparam("draft_key"))


def find_replay(session: Session, key: str, digest: str) -> SubmitResult | None:
    """The stored result of a form key already submitted, else None."""
    existing = session.connection().execute(_SUBMISSION_BY_KEY, {"key": key}).first()
    if existing is None:
        return None
    return _replay(existing.payload_hash, existing.result_url, existing.case_id, digest)


def replay_of(row: Row[Any], digest: str) -> SubmitResult | None:
    """The stored result of a form key read with REPLAY_COLUMNS, else None."""
    if row.replay_hash is None:
        return None
    return _replay(row.replay_hash, row.replay_url, row.replay_case_id, digest)


def _replay(stored_hash: str, url: str, case_id: int | None, digest: str) -> SubmitResult:
    if stored_hash != digest:
        raise SubmissionConflict(
            "Formuläret har redan skickats med annat innehåll. Öppna ärendet och ändra där.",
            url=url,
            case_id=case_id,
        )
    return SubmitResult(case_id=case_id or 0, url=url, replayed=True)


def item_form_key(page_key: str, item: str) -> str:
    """The key of one item's form among a page's many (its ticks, its codes), "" without one.

    The page draws one key for all of them: each item is stored under a key of its own, so
    ticking a second item is not taken for the first tick sent again with other content.
    """
    if not page_key:
        return ""
    return hashlib.sha256(f"{page_key}/{item}".encode()).hexdigest()


def record_submission(
    session: Session,
    *,
    key: str,
    kind: str,
    digest: str,
    url: str,
    case_id: int | None,
    user_id: int,
    has_draft: bool = True,
    result_name: str = "",
) -> None:
    """Remember a form key's result, so a retry replays it; the form's draft is done with.

    has_draft False (read in the submit's first query) skips looking for a draft to finish.
    result_name: what the result's page names that it cannot read elsewhere (a backup's file).
    """
    insert_row(
        session,
        Submission.__table__,
        {
            "key": key,
            "kind": kind,
            "payload_hash": digest,
            "result_url": url,
            "case_id": case_id,
            "user_id": user_id,
            "result_name": result_name,
        },
    )
    if has_draft:
        finish_draft(session, key, case_id)


def write_once(form_key: str, digest: str, write: Callable[[Session], T]) -> T | SubmitResult:
    """Run a submit's writes as one transaction; a twin that raced past the key check replays.

    `write` looks its form key up itself (find_replay, or replay_of beside its first query) and
    stores it with record_submission. The form key is held first (lock_form_key): an autosave
    of the form at the same moment comes wholly before or after the submit, and two taps at
    the same moment take turns, the second finding the first one's stored key. A twin whose
    look-up still missed it fails on the unique key, and is answered with the first one's
    stored result, as a retry would be (other content under the key: SubmissionConflict).
    """
    try:
        with write_transaction() as session:
            if form_key:
                lock_form_key(session, form_key)
            return write(session)
    except IntegrityError as exc:
        if not form_key:
            raise
        with write_transaction() as session:
            earlier = find_replay(session, form_key, digest)
        if earlier is None:
            raise SubmitNotStored() from exc
        return earlier


def store_once(
    *,
    form_key: str,
    digest: str,
    kind: str,
    user_id: int,
    write: Callable[[Session], T],
    url_of: Callable[[T], str],
    case_id: int | None = None,
    has_draft: bool = False,
) -> T | SubmitResult:
    """A write of an act on a page, once per form key; `has_draft` for a typed form that
    autosaves (a cancel's reason), whose draft is done with in the same transaction.

    The look-up comes before anything `write` checks: the twin of a write is answered with
    the write's own result (its page from `url_of`), not refused by what the write changed
    (a case already cancelled, a step already ticked). Without a form key the write simply
    runs. SubmitNotStored as for write_once.
    """

    def run(session: Session) -> T | SubmitResult:
        earlier = find_replay(session, form_key, digest) if form_key else None
        if earlier is not None:
            return earlier
        result = write(session)
        if form_key:
            record_submission(
                session,
                key=form_key,
                kind=kind,
                digest=digest,
                url=url_of(result),
                case_id=case_id,
                user_id=user_id,
                has_draft=has_draft,
            )
        return result

    return write_once(form_key, digest, run)


def finish_draft(
    session: Session, form_key: str, case_id: int | None, *, only_kind: str = ""
) -> None:
    """Mark the form's draft (if the tablet saved one) as done, linked to its case.

    Refused (ContinuedElsewhere, rolling the whole submit back) when the draft holds text
    another tablet saved after what the sending page showed: sent, it would be a form without
    that text, the text left in a draft marked done. The page sending it knowingly is not.
    only_kind: a draft of that kind of this case only (a key is never the way to close, or
    refuse, another form's draft).
    """
    copy = SENT_COPY.get()
    values: dict[str, Any] = {
        "draft_key": form_key,
        "is_done": True,
        "case_id": case_id,
        "updated_at": utcnow(),
    }
    if copy is not None or only_kind:
        stored = session.connection().execute(_DRAFT_COUNT, {"key": form_key}).first()
        if only_kind and (stored is None or (stored.kind, stored.case_id) != (only_kind, case_id)):
            return
        if copy is not None and stored is not None and not stored.is_done:
            if is_behind(copy, stored.writer, stored.client_seq):
                raise _continued_elsewhere(session, copy, form_key, stored)
            if is_behind(copy._replace(anyway=False), stored.writer, stored.client_seq):
                _log_sent_over(session, stored, case_id)
            # The sending copy and the count its form holds: a later save of that copy is then
            # answered as sent (its text was in the form), another copy's as not.
            values |= {"writer": copy.writer, "client_seq": max(copy.seq, stored.client_seq)}
    session.connection().execute(_FINISH_DRAFT, values)


_DRAFT_COUNT = select(
    Draft.id,
    Draft.writer,
    Draft.client_seq,
    Draft.is_done,
    Draft.kind,
    Draft.case_id,
    Draft.updated_at,
).where(Draft.form_key == bindparam("key"))


def _log_sent_over(session: Session, stored: Any, case_id: int | None) -> None:
    """The other copy's newer text, left in the draft this send finishes: the case page names
    it from this row (overridden_drafts.py), its time the save's, not the finish's."""
    case = session.get(Case, case_id) if case_id is not None else None
    saved = stored.updated_at.replace(tzinfo=None).isoformat(timespec="seconds")
    log_event("draft_sent_over", case=case, detail=f"{stored.id} {saved}")


def _continued_elsewhere(
    session: Session, copy: SentCopy, form_key: str, stored: Any
) -> ContinuedElsewhere:
    # Who went on: the login that continued text begun offline under another, else the one
    # who last saved it under their own (a colleague at another tablet, the usual case).
    by = session.scalar(
        select(User.display_name)
        .join(Draft, func.coalesce(Draft.continued_by_id, Draft.user_id) == User.id)
        .where(Draft.form_key == form_key)
    )
    return ContinuedElsewhere(
        form_key=form_key,
        kind=stored.kind,
        case_id=stored.case_id,
        at=site_time(copy, stored.updated_at),
        by=by or "",
    )


RESENT_OTHER = "Formuläret har redan skickats med annat innehåll. Ladda om sidan och försök igen."


@dataclass(frozen=True)
class SentOnce:
    """A form's key, a hash of what it sent, and the page its submit leads to ("" key: none)."""

    key: str = ""
    digest: str = ""
    url: str = ""
    # The form autosaves: its draft is done with in the same transaction (store_once).
    has_draft: bool = False

    def store(
        self,
        user_id: int,
        kind: str,
        write: Callable[[Session], T],
        refused: Callable[[str], Exception],
    ) -> T | SubmitResult:
        """store_once for this form; its own refusals come as `refused` (the caller's error).

        The caller's views already show its error beside the form: a resent form's conflict
        or a key lost in a race needs no handling of its own there.
        """
        try:
            return store_once(
                form_key=self.key,
                digest=self.digest,
                kind=kind,
                user_id=user_id,
                write=write,
                url_of=lambda _result: self.url,
                has_draft=self.has_draft,
            )
        except SubmissionConflict as exc:
            raise refused(RESENT_OTHER) from exc
        except SubmitNotStored as exc:
            raise refused(exc.message) from exc


NOT_SENT = SentOnce()
