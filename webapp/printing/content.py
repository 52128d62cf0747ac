"""The version of what a case sheet shows, which the KOPIA and ÄNDRAD rule compares."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from printforms import data as pd

from ..models import Case
from ..siteconfig import SiteConfig
from .reply_contact import steady_reply_to
from .services import Printed
from .sheet_parts import marked, sheet_changes
from .sheets import BUILDERS
from .versions import CaseChanges, content_version

# The sheets that print the referral's safety warnings, and nothing that changes by the minute
# (the report sheets' fax header says when it was sent).
_DIGESTED = frozenset({"referral", "referral-anon", "exam"})
_DigestedSheet = pd.ReferralData | pd.AnonymisedReferralData | pd.ExamData


def printed_content_version(
    case: Case,
    kind: str,
    config: SiteConfig,
    changes: CaseChanges | None = None,
    shown: pd.CaseDocument | None = None,
) -> int:
    """content_version, and for the sheets with safety warnings a digest of what they print.

    Their warnings follow the site's configuration as well as the case (a raised eGFR limit
    warns of a value that did not warn before), and no counter of the case sees a saved
    configuration. Comparing what the paper says, rather than counting each thing it is
    drawn from, keeps a reprint from being a KOPIA of a sheet that said something else. The
    count stays in the digest, so a sheet changed and changed back is still no copy of the
    first. The QR's version stays the case's (document_version): a scan compares the paper
    with the case's data, which a changed limit leaves as it was.

    shown: the sheet already built as a first print, if the caller has it.
    """
    counted = content_version(case, kind, changes)
    if kind not in _DIGESTED:
        return counted
    if shown is None:
        # Drawn as a first print: whether it is a copy is what the digest is for.
        shown = BUILDERS[kind](case, config, Printed())
    if isinstance(shown, pd.AnonymisedReferralData):
        # Where to answer follows the clock; a reprint after the reply contact closed is the
        # same referral, and its hours say so. The configured reply still counts.
        shown = replace(shown, reply_to=steady_reply_to(config))
    digest = hashlib.blake2b(repr((counted, shown)).encode(), digest_size=4).digest()
    # 31 bits: the print record's column is a 32-bit integer on PostgreSQL.
    return int.from_bytes(digest, "big") & 0x7FFF_FFFF


class CaseSheets:
    """The sheets of one print of a case, each built from the database once.

    A digested sheet is built as a first print for its digest; the print then marks that same
    data KOPIA or ÄNDRAD (all a print changes of it) instead of building it again, once for
    each drawing the print log asks for.
    """

    def __init__(self, case: Case, config: SiteConfig) -> None:
        self.case = case
        self.config = config
        self._first: dict[str, _DigestedSheet] = {}

    def content_version(self, kind: str, changes: CaseChanges | None = None) -> int:
        """printed_content_version of one sheet, keeping what it digested for build."""
        if kind in _DIGESTED:
            first = BUILDERS[kind](self.case, self.config, Printed())
            assert isinstance(first, _DigestedSheet)
            self._first[kind] = first
        return printed_content_version(self.case, kind, self.config, changes, self._first.get(kind))

    def build(self, kind: str, printed: Printed) -> pd.CaseDocument:
        """The sheet's data as this print draws it."""
        first = self._first.get(kind)
        if first is None:
            return BUILDERS[kind](self.case, self.config, printed)
        changes = sheet_changes(self.case, kind, printed)
        return replace(first, meta=marked(first.meta, printed, changes))
