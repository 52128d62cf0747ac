"""A backup an admin asks for: taken once per form, however often the form is sent."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select

from .audit import log_event
from .backup import remove_partial, take_backup
from .backup_errors import FAILURE_REASONS, BackupError
from .cases.errors import SubmissionConflict
from .cases.submissions import RESENT_OTHER, SentOnce, find_replay, record_submission
from .extensions import db
from .models import Site, Submission, User
from .storage import write_transaction
from .storage_errors import DatabaseBusy

# The copy is taken outside any write transaction (tablets keep writing meanwhile), so the
# form key alone cannot hold back a twin of the tap: the twin waits here, then finds the
# first one's record instead of taking a second copy.
_ONE_AT_A_TIME = threading.Lock()


@contextmanager
def _busy_is_a_failure() -> Iterator[None]:
    """Another program's write lock held past SQLite's wait: a backup to try again, not a 500.

    Told in the backup's own words on the admin screen: the general busy message speaks of
    typed text kept in a form, and this form has none.
    """
    try:
        yield
    except DatabaseBusy as exc:
        raise BackupError(FAILURE_REASONS["busy"], "busy") from exc


@dataclass(frozen=True)
class AskedBackup:
    """The backup file's name, and whether it was taken by an earlier submit of the form."""

    name: str
    replayed: bool


def take_asked_backup(app: Flask, *, user: User, sent: SentOnce) -> AskedBackup:
    """Take a backup now and log it; the same form again reports the backup it took.

    Raises BackupError (why, in Swedish) when no copy could be taken, and ValueError for a
    form sent again with other content.
    """
    with _ONE_AT_A_TIME:
        if sent.key:
            with _busy_is_a_failure(), write_transaction() as session:
                try:
                    earlier = find_replay(session, sent.key, sent.digest)
                except SubmissionConflict as exc:
                    raise ValueError(RESENT_OTHER) from exc
                if earlier is not None:
                    return AskedBackup(asked_backup_name(sent.key) or "", replayed=True)
        path = take_backup(app)
        try:
            with _busy_is_a_failure(), write_transaction() as session:
                # The copy holds every site's patients: each site's log says who took it, as a
                # backup from the command line is logged.
                for site_id in session.scalars(select(Site.id)).all():
                    log_event("backup", user=user, detail=path.name, site_id=site_id)
                if sent.key:
                    record_submission(
                        session,
                        key=sent.key,
                        kind="backup",
                        digest=sent.digest,
                        url=sent.url,
                        case_id=None,
                        user_id=user.id,
                        has_draft=False,
                        result_name=path.name,
                    )
        except BaseException:
            # The admin is told no backup was made: no copy of the patients that no access
            # log names may stay behind on the stick.
            remove_partial(path)
            raise
    return AskedBackup(path.name, replayed=False)


def asked_backup_name(key: str) -> str | None:
    """The file of the backup the form with this key took, or None for no such form.

    Its answer page (the address a second tap and a shared link lead to as well) names the
    file from here, so the address itself needs to carry nothing but the key.
    """
    if not key:
        return None
    return db.session.scalar(
        select(Submission.result_name).where(Submission.key == key, Submission.kind == "backup")
    )
