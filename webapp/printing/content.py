"""The version of what a case sheet shows, which the KOPIA and ÄNDRAD rule compares."""

from __future__ import annotations

import hashlib

from ..models import Case
from ..siteconfig import SiteConfig
from .services import Printed
from .sheets import BUILDERS
from .versions import CaseChanges, content_version

# The sheets that print the referral's safety warnings, and nothing that changes by the minute
# (the report sheets' fax header says when it was sent).
_DIGESTED = frozenset({"referral", "referral-anon", "exam"})


def printed_content_version(
    case: Case, kind: str, config: SiteConfig, changes: CaseChanges | None = None
) -> int:
    """content_version, and for the sheets with safety warnings a digest of what they print.

    Their warnings follow the site's configuration as well as the case (a raised eGFR limit
    warns of a value that did not warn before), and no counter of the case sees a saved
    configuration. Comparing what the paper says, rather than counting each thing it is
    drawn from, keeps a reprint from being a KOPIA of a sheet that said something else. The
    count stays in the digest, so a sheet changed and changed back is still no copy of the
    first. The QR's version stays the case's (document_version): a scan compares the paper
    with the case's data, which a changed limit leaves as it was.
    """
    counted = content_version(case, kind, changes)
    if kind not in _DIGESTED:
        return counted
    # Drawn as a first print: whether it is a copy is what the digest is for.
    shown = BUILDERS[kind](case, config, Printed())
    digest = hashlib.blake2b(repr((counted, shown)).encode(), digest_size=4).digest()
    # 31 bits: the print record's column is a 32-bit integer on PostgreSQL.
    return int.from_bytes(digest, "big") & 0x7FFF_FFFF
