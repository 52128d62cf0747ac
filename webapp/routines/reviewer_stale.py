"""Whether the reviewer holds an out-of-date referral: changed since it was faxed.

The reviewer reads the anonymised referral as it was faxed. A priority raised or lowered, a
new question or history since then would leave the reviewer answering another question than
the radiologist now asks. The sheet's own ÄNDRAD rule says what counts as a change: what the
anonymised referral prints and the edits of the referral it counts (the radiologist's
instruction, which it does not print, does not count).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..models import PrintRecord, ReviewerExchange
from ..printing.content import printed_content_version
from ..siteconfig import SiteConfig

DOC = "referral-anon"


def changed_since_fax(exchange: ReviewerExchange | None, config: SiteConfig) -> datetime | None:
    """When the referral was last faxed to the reviewer, if what it prints has changed since.

    The fax sent is the sheet last printed before it was logged; without a print here (faxed
    from elsewhere) there is nothing to compare, and nothing is said.
    """
    if exchange is None:
        return None
    faxes = [e for e in exchange.entries if e.kind == "fax_sent"]
    if not faxes:
        return None
    fax = max(faxes, key=lambda e: (e.logged_at, e.id))
    printed = db.session.scalar(
        select(PrintRecord.content_version)
        .where(
            PrintRecord.case_id == exchange.case_id,
            PrintRecord.doc == DOC,
            PrintRecord.at <= fax.logged_at,
        )
        .order_by(PrintRecord.at.desc(), PrintRecord.id.desc())
        .limit(1)
    )
    if printed is None:
        return None
    now = printed_content_version(exchange.case, DOC, config)
    return fax.at if now != printed else None


def changed_exchanges(exchanges: Iterable[ReviewerExchange], config: SiteConfig) -> set[int]:
    """The ids of the exchanges whose referral changed since its fax (the list of cases)."""
    return {e.id for e in exchanges if changed_since_fax(e, config) is not None}
