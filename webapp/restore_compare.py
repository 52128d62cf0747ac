"""What a restore would take out of view: the live database's work newer than the backup.

Read straight from both files (read-only), without the app: the live one may be the broken
database the restore is meant to replace.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

# A backup taken from the command line logs itself in the live database after the copy: that
# row is the backup, not work it lacks.
NOT_WORK = ("backup",)
# Rows that only say someone logged in or looked: a restore takes them out of the live log
# (they stay in the file set aside) but undoes nothing done to a case, a form or the setup, so
# they are told and not asked about. Asking for them, as after a mere look at the board, would
# teach the admin to say yes to the question that matters. A print is work: its record numbers
# the sheet versions in the red tray. An action not named here counts as work.
ACCESS_ONLY = (
    "audit_export",
    "board_refresh",
    "login",
    "login_failed",
    "logout",
    "session_timeout",
)
# Every read of a screen is logged as an action ending so ("case_view", "board_view", ...).
READ_SUFFIX = "_view"


class NotCompared(Exception):
    """Why the live database was not compared with the backup (in Swedish)."""


@dataclass(frozen=True)
class CaseCounts:
    """Cases per site code, and when the newest case was made, of one database.

    No case code or patient: printed on the admin's terminal, unaudited.
    """

    per_site: dict[str, int]
    newest: datetime | None


@dataclass(frozen=True)
class NewerWork:
    """The live database's audit events after the backup's newest one, and what they name.

    events, cases and newest_at count work alone (none: 0, 0, None); reads, the rows that
    only say someone logged in or looked; drafts, the forms in progress saved since (an
    autosave writes no audit row, and its text is often the only copy of what was typed).
    """

    events: int
    cases: int
    newest_at: datetime | None
    live: CaseCounts
    backup: CaseCounts
    reads: int = 0
    drafts: int = 0


def _open(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def _parse(stamp: str) -> datetime:
    # Stored as naive UTC text by the app's UTC column type.
    return datetime.fromisoformat(stamp).replace(tzinfo=UTC)


def _cases(conn: sqlite3.Connection) -> CaseCounts:
    per_site = Counter(
        code
        for (code,) in conn.execute('SELECT site.code FROM "case" JOIN site ON site.id = site_id')
    )
    (newest,) = conn.execute('SELECT max(created_at) FROM "case"').fetchone()
    return CaseCounts(dict(per_site), _parse(newest) if newest else None)


def newer_work(live: Path, backup: Path) -> NewerWork | None:
    """The live database's work newer than the backup's, or None when it holds none.

    Newer: an audit event with a higher id or a later time than the backup's newest, so a
    clock set back between the backup and now still counts. Raises NotCompared when the live
    file is empty or cannot be read as a Reservrutin database.
    """
    if live.stat().st_size == 0:
        raise NotCompared("den är tom")
    conn = _open(backup)
    try:
        last_id, last_at = conn.execute("SELECT max(id), max(at) FROM audit_event").fetchone()
        before = _cases(conn)
        drafts_before = _drafts(conn)
    finally:
        conn.close()
    try:
        conn = _open(live)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if not tables:
                raise NotCompared("den är tom")
            if not {"audit_event", "case", "site"} <= tables:
                raise NotCompared("den är inte en databas från Reservrutin")
            skip = ",".join("?" * len(NOT_WORK))
            only = ",".join("?" * len(ACCESS_ONLY))
            # "_" is a LIKE wildcard: escaped, the suffix is matched as written.
            read = f"(action IN ({only}) OR action LIKE ? ESCAPE '\\')"
            events, cases, newest, reads = conn.execute(
                f"SELECT coalesce(sum(NOT {read}), 0), "
                f"count(DISTINCT CASE WHEN NOT {read} THEN case_id END), "
                f"max(CASE WHEN NOT {read} THEN at END), coalesce(sum({read}), 0) "
                f"FROM audit_event WHERE action NOT IN ({skip}) AND (id > ? OR at > ?)",
                (*_read_args() * 4, *NOT_WORK, last_id or 0, last_at or ""),
            ).fetchone()
            now = _cases(conn)
            drafts_now = _drafts(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise NotCompared(f"den kan inte läsas ({exc})") from exc
    # A save since the backup changes the draft's count or time: compared draft by draft, a
    # clock set back still counts.
    drafts = sum(1 for key, saved in drafts_now.items() if drafts_before.get(key) != saved)
    if not events and not reads and not drafts:
        return None
    return NewerWork(events, cases, _parse(newest) if newest else None, now, before, reads, drafts)


def _drafts(conn: sqlite3.Connection) -> dict[str, tuple[object, ...]]:
    """Each draft's form key, with its save count and time (none before drafts were kept)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'draft'").fetchone() is None:
        return {}
    return {
        key: (seq, at)
        for key, seq, at in conn.execute("SELECT form_key, client_seq, updated_at FROM draft")
    }


def _read_args() -> tuple[str, ...]:
    return (*ACCESS_ONLY, "%" + READ_SUFFIX.replace("_", "\\_"))


def counted(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def describe(work: NewerWork, zone: str) -> list[str]:
    """What the restore would take out of view, in Swedish lines for the admin."""

    def local(at: datetime) -> str:
        return at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")

    def newest(counts: CaseCounts) -> str:
        return f"skapat {local(counts.newest)}" if counts.newest else "inget"

    reads = (
        f"{counted(work.reads, 'rad', 'rader')} i åtkomstloggen sedan säkerhetskopian "
        "(inloggningar och visningar) sparas i den undanlagda filen men syns inte i loggen "
        "efter återställningen."
    )
    drafts = (
        f"Den nuvarande databasen har {counted(work.drafts, 'utkast', 'utkast')} som sparats "
        "sedan säkerhetskopian (text som skrivits men inte skickats). De sparas i den "
        "undanlagda filen men syns inte efter återställningen."
    )
    told = [*([drafts] if work.drafts else []), *([reads] if work.reads else [])]
    if not work.events or work.newest_at is None:
        return told
    sites = sorted(set(work.live.per_site) | set(work.backup.per_site))
    per_site = ", ".join(
        f"{code} {work.live.per_site.get(code, 0)} / {work.backup.per_site.get(code, 0)}"
        for code in sites
    )
    return [
        f"Den nuvarande databasen har {counted(work.cases, 'ärende', 'ärenden')} och "
        f"{counted(work.events, 'händelse', 'händelser')} som är nyare än säkerhetskopian "
        f"(senast {local(work.newest_at)}). De sparas i den undanlagda filen men syns inte "
        "efter återställningen.",
        f"Ärenden per enhet, nu / i säkerhetskopian: {per_site or 'inga'}.",
        f"Nyaste ärendet nu: {newest(work.live)}; i säkerhetskopian: {newest(work.backup)}.",
        *told,
    ]
