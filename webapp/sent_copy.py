"""What a submitted page knows of its form's draft, for the submit to check against the draft.

Every submit that finishes a draft goes through cases.submissions.finish_draft, called from many
services none of which sees the request; the page's word reaches it here instead (set for each
request by the drafts blueprint, None outside one), so no submit path can forget to pass it.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import UTC, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo


class SentCopy(NamedTuple):
    """The page's copy of the form (its writer name), the laptop's count its text goes on from,
    its own last count (what the form sent holds), whether it is sent knowing a newer copy
    exists (the refusal's "send this one anyway"), and the site's time zone for the refusal."""

    writer: str
    base: int
    seq: int
    anyway: bool
    zone: str = "UTC"


# The fields drafts.js adds to a submit. They say which copy (and kind of form) sent the form,
# not what it holds: a double tap sent after an autosave's answer moved them on is still the same
# submit.
SENT_COPY_FIELDS = frozenset(
    {"draft_writer", "draft_base", "draft_seq", "draft_send_anyway", "draft_kind"}
)

SENT_COPY: ContextVar[SentCopy | None] = ContextVar("sent_copy", default=None)


def is_behind(copy: SentCopy | None, writer: str | None, count: int) -> bool:
    """Whether a draft last saved by `writer` at `count` holds text the page never showed."""
    if copy is None or copy.anyway or writer is None:
        return False
    return writer != copy.writer and count > copy.base


def parse_copy(writer: str, base: str, seq: str, anyway: str, zone: str) -> SentCopy | None:
    """The page's hidden fields read; None where the page named no copy (no script ran)."""
    if not writer or len(writer) > 32 or not base.isdigit() or len(base) > 12:
        return None
    own = int(seq) if seq.isdigit() and len(seq) <= 12 else 0
    return SentCopy(writer, int(base), max(own, int(base)), anyway == "1", zone)


def site_time(copy: SentCopy, value: datetime) -> str:
    """A stored UTC time on the site's clock, as the refusal names it: with its date when that
    is not today there (a draft may wait days in an outage)."""
    zone = ZoneInfo(copy.zone)
    local = (value if value.tzinfo is not None else value.replace(tzinfo=UTC)).astimezone(zone)
    return local.strftime(
        "%H:%M" if local.date() == datetime.now(zone).date() else "%Y-%m-%d %H:%M"
    )


def holds_save(sent_writer: str | None, sent_count: int, writer: str | None, seq: int) -> bool:
    """Whether a save reaching a sent form's draft holds text that was in the form sent.

    A submit names the copy it was sent from and its count (finish_draft keeps them on the
    draft): another copy's text, or a later count, was typed beside or after it, and the tablet
    keeps it rather than dropping it as sent. A save or a submit naming no copy cannot tell.
    """
    if writer is None or sent_writer is None:
        return True
    return sent_writer == writer and seq <= sent_count
