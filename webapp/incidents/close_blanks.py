"""Blank sheets printed before the close that were neither joined to a case nor voided.

A blank filled in on paper and never scanned sits in the red tray with no case in the app: its
exam or report would be lost without anyone seeing it. But most are unused: printed to restock
the downtime binder, they go back into it for the next outage, and voiding each would throw
good paper away one tap at a time (a drill that overlaps a real outage sees that outage's
blanks too). So the close asks, as for the patients left on reserve numbers: each one is
joined (a referral typed in as its own case) or voided, or the admin confirms that none of
them is filled in, and the close's audit row names them. Every close asks again about every
such blank of the site, those confirmed unused at an earlier close too: back in the binder,
any of them may have been filled in during this outage.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..blanks.kinds import BLANK_KIND_NAMES
from ..extensions import db
from ..models import Incident, ReservedCode, User
from ..refusal import Message
from ..web import local_time
from .close_checks import ConfirmationMissing

LOOSE_BLANKS_ONE = (
    "1 blankett skrevs ut före eller under driftstoppet men är varken kopplad till ett ärende "
    "eller makulerad: %(listed)s. En blankett i pärmen frågas om vid varje avslut tills den "
    "kopplas eller makuleras, även om den bekräftats oanvänd förut: leta efter den ifylld i "
    "röda backen. Är den ifylld: skanna den och koppla den till sitt ärende (en remissblankett "
    "förs in som ett eget ärende). Är den oanvänd: lägg den i pärmen till nästa driftstopp och "
    "bekräfta det här, eller makulera koden under Blanketter."
)
LOOSE_BLANKS_MANY = (
    "%(n)s blanketter skrevs ut före eller under driftstoppet men är varken kopplade till ett "
    "ärende eller makulerade: %(listed)s. Blanketterna i pärmen frågas om vid varje avslut "
    "tills de kopplas eller makuleras, även de som bekräftats oanvända förut: leta efter "
    "ifyllda i röda backen. Är en ifylld: skanna den och koppla den till sitt ärende (en "
    "remissblankett förs in som ett eget ärende). Är de oanvända: lägg dem i pärmen till nästa "
    "driftstopp och bekräfta det här, eller makulera koderna under Blanketter."
)
# A restock prints hundreds: the close names this many, in the order printed, and counts the rest
# (all are listed on a page of their own).
SHOWN_AT_MOST = 50


@dataclass(frozen=True)
class LooseBlank:
    """A printed blank not joined nor voided: its code, kind, who printed it last and when."""

    code: str
    doc_kind: str
    printed_by: str
    printed_at: datetime

    @property
    def named(self) -> Message:
        """The blank as the close's message names it, in Swedish (the page translates)."""
        return Message(
            "%(code)s (%(kind)s, utskriven %(at)s av %(user)s)",
            {
                "code": self.code,
                "kind": Message(BLANK_KIND_NAMES.get(self.doc_kind, self.doc_kind)),
                "at": local_time(self.printed_at),
                "user": self.printed_by or Message("okänd"),
            },
        )


def loose_blanks(incident: Incident, *, lock: bool = False) -> list[LooseBlank]:
    """The site's blanks neither used nor voided, last printed before the incident ended (or
    now, while it runs).

    Most blanks are printed between outages, to restock the binder, and are filled in during
    a later one. One confirmed unused at an earlier close went back into the binder: it may
    have been filled in since, so it is asked about again, at every close until it is joined
    or voided (no lower bound on when it was printed).

    lock (PostgreSQL, the close): each is held until the close commits, so a join or a void
    in flight is waited for and then read as done. The close takes it after the incident and
    its cases (incidents/ending.py), as a join and a detach take the case before the blank.
    """
    query = (
        select(ReservedCode)
        .where(
            ReservedCode.site_id == incident.site_id,
            ReservedCode.used_case_id.is_(None),
            ReservedCode.voided_at.is_(None),
            ReservedCode.last_printed_at.is_not(None),
        )
        .order_by(ReservedCode.last_printed_at, ReservedCode.id)
    )
    if incident.ended_at is not None:
        query = query.where(ReservedCode.last_printed_at <= incident.ended_at)
    if lock:
        query = query.with_for_update()
    blanks = list(db.session.scalars(query))
    users = _names({b.last_printed_by_id for b in blanks if b.last_printed_by_id is not None})
    return [
        LooseBlank(
            b.code,
            b.doc_kind,
            users.get(b.last_printed_by_id, "") if b.last_printed_by_id is not None else "",
            b.last_printed_at,
        )
        for b in blanks
        if b.last_printed_at is not None
    ]


def confirm_blanks(blanks: list[LooseBlank], *, confirmed: Collection[str]) -> list[str]:
    """Refuse the close over loose blanks unless the admin confirmed that none is filled in;
    their codes, for the audit row.

    confirmed: the codes the ticked form listed. A blank printed after the page was drawn was
    never seen by whoever ticked, so it is asked about, alone, on the page drawn again.
    """
    unseen = [b for b in blanks if b.code not in confirmed]
    if unseen:
        raise ConfirmationMissing(
            "confirm_blanks",
            LOOSE_BLANKS_ONE if len(unseen) == 1 else LOOSE_BLANKS_MANY,
            n=len(unseen),
            listed=named_at_most(unseen),
        )
    return [b.code for b in blanks]


def named_at_most(blanks: list[LooseBlank]) -> Message:
    """The first blanks (SHOWN_AT_MOST) named, and how many more: a refusal after a restock
    naming hundreds would bury what it asks for."""
    named = Message.joined((b.named for b in blanks[:SHOWN_AT_MOST]), "; ")
    more = len(blanks) - SHOWN_AT_MOST
    if more <= 0:
        return named
    return Message("%(shown)s och %(n)s till", {"shown": named, "n": more})


def _names(user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return dict(
        db.session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids))).all()
    )
