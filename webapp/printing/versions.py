"""The version a printed document carries in its QR, and whether a scanned sheet is out of date."""

from __future__ import annotations

from sqlalchemy import select

from ..cases.services import CASE_IDENTITY_FIELDS
from ..extensions import db
from ..models import Case, RecordVersion
from .documents import CASE_DOCUMENTS

_IDENTITY = frozenset(CASE_IDENTITY_FIELDS) - {"version"}
_KIND_OF_DOC = {doc: kind for kind, doc in CASE_DOCUMENTS.items()}


def identity_version(case_id: int) -> int:
    """1, plus one for every change of the patient's identity on the case."""
    changes = db.session.scalars(
        select(RecordVersion.changes).where(
            RecordVersion.entity == "case", RecordVersion.entity_id == case_id
        )
    )
    return 1 + sum(1 for changed in changes if _IDENTITY & set(changed or ()))


def document_version(case: Case, kind: str, identity: int | None = None) -> int:
    """The version a printed document shows (and its QR carries).

    Referral, exam and report sheets print the patient, so a corrected identity must give
    them a new version: otherwise the reprint would be a KOPIA of the wrong-patient sheet and
    a scan could not tell the two apart. The document's own version and the identity version
    only ever grow, so their sum grows with every change of either and stays a small integer.
    """
    if kind == "cover":
        return case.version  # the case's version already counts identity changes
    if kind in ("referral", "referral-anon"):
        own = case.referral.version if case.referral else 1
    elif kind == "exam":
        own = case.exam.version if case.exam else 1
    elif kind in ("report", "report-anon"):
        report = case.report
        own = report.version + len(report.addenda) if report else 1
    else:
        return case.version
    if identity is None:
        identity = identity_version(case.id)
    return own + identity - 1


def outdated_sheet(case: Case, doc: str | None, version: int | None) -> tuple[int, int] | None:
    """(printed, current) version when a scanned case document is older than the case's data.

    Blank binder sheets and hand-typed codes carry no version of a printed document: None.
    """
    kind = _KIND_OF_DOC.get(doc or "")
    if kind is None or version is None:
        return None
    current = document_version(case, kind)
    return (version, current) if version < current else None
