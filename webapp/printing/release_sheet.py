"""The report for a release's recipient: the case's report sheet, addressed to them."""

from __future__ import annotations

import hashlib

from printforms import data as pd

from ..extensions import db
from ..models import ImageRelease
from ..release_terms import DELIVERY_LABELS, MEDIA_LABELS
from ..reporting.signed import signed_text
from ..siteconfig import SiteConfig
from .services import Printed
from .sheets import report_sheet
from .versions import release_report_version

RELEASE_REPORT_DOC = "release-{id}"
# The portal as the content version names it, whatever the site calls it on paper. No
# version follows the site's wording on a sheet (the department, the portal): a renamed
# portal is no new content, so a reprint stays a KOPIA and no second original goes out. It is
# also the name the reports printed before it came from the configuration were versioned
# with, so their reprints are judged as they were.
VERSIONED_IEP_NAME = "IEP"


def release_report_refusal(release: ImageRelease) -> str | None:
    """Why the release's report may not be printed; None when it may."""
    if not release.includes_report:
        return "Utlämnandet omfattar inte utlåtandet: bara bilderna lämnas ut."
    case = release.case
    if case.status == "cancelled":
        return "Ärendet är makulerat."
    if case.report is None or signed_text(db.session, case.report) is None:
        return "Utlåtandet är inte signerat och kan inte skickas med."
    return None


def release_report_doc(release: ImageRelease) -> str:
    """The print log's name of this release's report: each recipient's first print is no copy."""
    return RELEASE_REPORT_DOC.format(id=release.id)


def release_content_version(
    release: ImageRelease, *, recipient_name: str, recipient_address: str
) -> int:
    """The version of what the recipient's report shows, which the KOPIA rule compares.

    Besides the case's part it prints the recipient as typed for this print and what goes
    with it: no counter follows typed text, so the version is a digest of all of them (the
    rule only asks whether two prints show the same), kept within a 32-bit column.
    """
    shown = "\x1f".join(
        (
            str(release_report_version(release.case)),
            recipient_name,
            recipient_address,
            sent_with(release, VERSIONED_IEP_NAME),
        )
    )
    digest = hashlib.blake2b(shown.encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") & 0x7FFF_FFFF


def sent_with(release: ImageRelease, iep_name: str) -> str:
    """What goes with the report, in the recipient's words; iep_name names the portal."""
    if release.channel == "iep":
        return f"Bilder via {iep_name}"
    media = MEDIA_LABELS.get(release.media_kind, "skiva")
    delivery = DELIVERY_LABELS.get(release.delivery, "")
    return f"Bilder på {media}" + (f", {delivery.lower()}" if delivery else "")


def release_report_sheet(
    release: ImageRelease,
    config: SiteConfig,
    printed: Printed,
    *,
    recipient_name: str,
    recipient_address: str,
) -> pd.ReleaseReportData:
    """The printforms data of the report for the release's recipient."""
    return pd.ReleaseReportData(
        report=report_sheet(release.case, config, printed),
        recipient_name=recipient_name,
        recipient_address=recipient_address,
        sent_with=sent_with(release, config.routines.release.iep_name),
    )
