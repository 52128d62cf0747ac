"""Drafts whose newer text (typed on another tablet) a form was sent over knowingly.

The refusal of an older copy offers "send this one anyway"; the other tablet's text then stays
only in the draft the send finished. The send logs it (cases.submissions.finish_draft), so the
case page can name it and link to it, and the draft stays readable though it is done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from .draft_kinds import DRAFT_KINDS
from .extensions import db
from .models import AuditEvent, Draft, User

# Written by cases.submissions.finish_draft (its action named there for the audit sweeps).
DRAFT_SENT_OVER = "draft_sent_over"


@dataclass(frozen=True)
class SentOver:
    """A finished draft whose newer text was not in the form sent: whose it is, saved when."""

    draft_id: int
    name: str
    saved_at: datetime
    # The draft's kind: only the roles that may open its form may read it (DRAFT_KINDS).
    kind: str = ""

    def may_read(self, role: str) -> bool:
        """Whether a user of the role is led to the text (the draft page refuses the others)."""
        kind = DRAFT_KINDS.get(self.kind)
        return kind is not None and role in kind.roles


def _parse(detail: str) -> tuple[int, datetime] | None:
    draft_id, _, saved = detail.partition(" ")
    try:
        return int(draft_id), datetime.fromisoformat(saved).replace(tzinfo=UTC)
    except ValueError:
        return None


def sent_over_drafts(case_id: int) -> list[SentOver]:
    """The case's drafts sent over, oldest first."""
    details = db.session.scalars(
        select(AuditEvent.detail)
        .where(AuditEvent.action == DRAFT_SENT_OVER, AuditEvent.case_id == case_id)
        .order_by(AuditEvent.id)
    ).all()
    parsed = [p for p in map(_parse, details) if p is not None]
    if not parsed:
        return []
    # Whoever typed on in it under another login, else the one who began it.
    writer = func.coalesce(Draft.continued_by_id, Draft.user_id)
    rows = db.session.execute(
        select(Draft.id, User.display_name, Draft.kind)
        .join(User, User.id == writer)
        .where(Draft.id.in_([draft_id for draft_id, _ in parsed]))
    )
    found = {draft_id: (name, kind) for draft_id, name, kind in rows}
    return [
        SentOver(draft_id, found[draft_id][0], saved, found[draft_id][1])
        for draft_id, saved in parsed
        if draft_id in found
    ]


def is_sent_over(draft_id: int) -> bool:
    """Whether a finished draft holds text a send went over (readable, not continuable)."""
    prefix = f"{draft_id} "
    return (
        db.session.scalar(
            select(AuditEvent.id)
            .where(
                AuditEvent.action == DRAFT_SENT_OVER,
                AuditEvent.detail.startswith(prefix, autoescape=True),
            )
            .limit(1)
        )
        is not None
    )
