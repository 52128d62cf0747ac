"""What a report's signature covers: the text as signed, even after unsigned saves since.

A preliminary report can be saved again without a signature while the radiologist works
towards the definitive one. Everything that leaves the laptop as the report (the faxed sheet,
the RIS batch) must then carry the text that was signed and its signer, not the unsigned edit
nor the name of whoever saved it last, nor where the images were read as that edit says.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import bindparam, select, tuple_
from sqlalchemy.orm import Session, scoped_session

from ..models import RecordVersion, Report, ReportSignature
from ..models.report import SIGNING_KINDS as SIGNING_KINDS
from ..models.report import read_on_note, sections_text

UNSIGNED_EDIT = (
    "Utlåtandet har ändrats efter signeringen och ändringen är inte signerad. Radiologen "
    "signerar det igen innan det läggs in i RIS."
)
_REPORT_AND_LAST_SIGNATURE = (
    select(Report.sections, ReportSignature.content_hash)
    .join(ReportSignature, ReportSignature.report_id == Report.id)
    .where(Report.case_id == bindparam("case_id"), ReportSignature.kind.in_(SIGNING_KINDS))
    # The last written, whatever the clock said: it may have been set back between two.
    .order_by(ReportSignature.id.desc())
    .limit(1)
)


class SignedTextMissing(LookupError):
    """The text a report's last signature covers is not in the report's history."""

    def __init__(self, report_id: int) -> None:
        super().__init__(f"The signed text of report {report_id} is not in its history.")
        self.report_id = report_id


def content_hash(sections: Sequence[dict[str, Any]]) -> str:
    """A fingerprint of the signed text, so a signature names exactly what was signed."""
    return hashlib.sha256(json.dumps(list(sections), sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class SignedText:
    """The report's text as last signed, with its signer and where the images were read."""

    sections: list[dict[str, str]]
    signer_name: str
    is_current: bool  # False: the report has been saved since without a signature
    # As signed (READ_ON): a save since without a signature may have said otherwise.
    read_on: str = ""

    @property
    def read_on_note(self) -> str:
        """The fax's line of where the images were read, as signed."""
        return read_on_note(self.read_on)

    @property
    def text(self) -> str:
        return sections_text(self.sections)

    def author(self, report_author: str) -> str:
        """Who the report goes out as: its author while the text is as signed (a faxed-in
        report's real author), else the signer of the text, not whoever saved it last."""
        return report_author if self.is_current else self.signer_name


class Signature(Protocol):
    """What the signed text is found by: a signature row, as the ORM or a plain query gives it."""

    @property
    def content_hash(self) -> str: ...
    @property
    def report_version(self) -> int: ...
    @property
    def signer_name(self) -> str: ...
    @property
    def read_on(self) -> str: ...


def signed_texts(
    session: Session | scoped_session[Any],
    current: Mapping[int, Sequence[dict[str, Any]]],
    last: Mapping[int, Signature],
) -> dict[int, SignedText]:
    """The last signed text of each report that has a signature, by report id, in one query.

    current holds each report's sections as stored now, last its latest preliminary or
    definitive signature. A text saved since without a signature is read back from the
    version kept when it was changed.
    """
    out: dict[int, SignedText] = {}
    changed: dict[int, Signature] = {}
    for report_id, sig in last.items():
        sections = current[report_id]
        if content_hash(sections) == sig.content_hash:
            out[report_id] = SignedText(list(sections), sig.signer_name, True, sig.read_on)
        else:
            changed[report_id] = sig
    if not changed:
        return out
    keys = [(report_id, sig.report_version) for report_id, sig in changed.items()]
    kept = {
        (r.entity_id, r.version): list(r.data["sections"])
        for r in session.execute(
            select(RecordVersion.entity_id, RecordVersion.version, RecordVersion.data).where(
                RecordVersion.entity == "report",
                tuple_(RecordVersion.entity_id, RecordVersion.version).in_(keys),
            )
        )
    }
    for report_id, sig in changed.items():
        found = kept.get((report_id, sig.report_version))
        if found is None or content_hash(found) != sig.content_hash:
            # A signature whose text cannot be found must stop the print or the export, never
            # let other text go out under it.
            raise SignedTextMissing(report_id)
        out[report_id] = SignedText(found, sig.signer_name, False, sig.read_on)
    return out


def signed_text(session: Session | scoped_session[Any], report: Report) -> SignedText | None:
    """The last signed text of a report, or None when it has never been signed."""
    signed = [s for s in report.signatures if s.kind in SIGNING_KINDS]
    if not signed:
        return None
    return signed_texts(session, {report.id: report.sections}, {report.id: signed[-1]})[report.id]


def text_as_signed(
    session: Session | scoped_session[Any], report: Report | None
) -> SignedText | None:
    """For a page showing the report: its text as last signed when a save since changed it
    without a signature, else None (a draft, never signed, or stored as signed).

    The changed text went out to no one, so a page must not show it as the signed report. A
    signed text missing from the history comes back with no sections: the page then shows the
    stored text under the warning rather than failing.
    """
    if report is None or report.state == "draft":
        return None
    signed = [s for s in report.signatures if s.kind in SIGNING_KINDS]
    if not signed or content_hash(report.sections) == signed[-1].content_hash:
        return None
    try:
        return signed_text(session, report)
    except LookupError:
        return SignedText([], signed[-1].signer_name, False, signed[-1].read_on)


def has_unsigned_edit(session: Session | scoped_session[Any], case_id: int) -> bool:
    """Whether the case's report text differs from what was last signed (saved, not signed).

    Such text is no one's signed report, and must not be keyed into RIS as if it were.
    """
    row = session.execute(_REPORT_AND_LAST_SIGNATURE, {"case_id": case_id}).first()
    return row is not None and content_hash(row.sections) != row.content_hash
