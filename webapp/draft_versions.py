"""Drafts of a case's forms, and which of them a later save of the record has overtaken.

A form carries the version of the record it showed (optimistic locking). A draft whose version
is older than the stored one can no longer be sent as it is: the save would be refused as a
conflict. Such a draft is superseded: still readable and continuable by whoever typed it (the
save then shows what changed), but no longer an unsent form that holds an incident open.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import g
from sqlalchemy import and_, or_, select

from .draft_kinds import is_moot, sheet_code
from .draft_origin import DraftOrigin, origin_of, with_origin
from .draft_twins import NO_TWIN, TwinMark, TwinRow, twin_marks
from .extensions import db
from .formutil import version_shown
from .models import Case, Draft, ExamRecord, Referral, Report, User

# Per draft kind: the form's version fields and the stored record each one stood on.
VERSION_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "referral_edit": (("version", "referral"), ("case_version", "case")),
    "identity": (("case_version", "case"),),
    "exam": (("version", "exam"),),
    "report": (("version", "report"),),
}


# The draft kinds whose form leaves the instruction alone: versions of the case that changed
# only the instruction leave them current, as their saves do (cases/versions.case_form_stale).
_CASE_FORMS_BESIDE_INSTRUCTION = frozenset(("referral_edit", "identity"))
# Per record: the key of stored_versions' oldest version a draft may still stand on, where
# later versions changed nothing its form shows.
_BASES = {"case": "case_base", "report": "report_base"}


def stored_versions(drafts: Iterable[tuple[int, str]]) -> dict[int, dict[str, int | None]]:
    """The current version of each case's records (None where a record does not exist yet).

    drafts: the case and kind of each draft to be judged. A history is read only where a
    later version may have left the draft's form current: the case's for a referral edit or an
    identity correction ("case_base"), the report's for a report whose second look was
    recorded ("report_base").
    """
    pairs = list(drafts)
    ids = sorted({case_id for case_id, _kind in pairs})
    if not ids:
        return {}
    rows = db.session.execute(
        select(
            Case.id,
            Case.version,
            Referral.version,
            ExamRecord.version,
            Report.version,
            Report.id,
            Report.second_look_at,
        )
        .outerjoin(Referral, Referral.case_id == Case.id)
        .outerjoin(ExamRecord, ExamRecord.case_id == Case.id)
        .outerjoin(Report, Report.case_id == Case.id)
        .where(Case.id.in_(ids))
    )
    found: dict[int, dict[str, int | None]] = {}
    looked: dict[int, tuple[int, int]] = {}  # report id: (case id, report version)
    for case_id, case_v, referral_v, exam_v, report_v, report_id, looked_at in rows:
        found[case_id] = {
            "case": case_v,
            "referral": referral_v,
            "exam": exam_v,
            "report": report_v,
        }
        if looked_at is not None and report_id is not None and report_v is not None:
            looked[report_id] = (case_id, report_v)
    beside = {
        c: found[c]["case"] or 1
        for c, kind in pairs
        if kind in _CASE_FORMS_BESIDE_INSTRUCTION and c in found
    }
    reported = {c for c, kind in pairs if kind == "report"}
    looked = {r: at for r, at in looked.items() if at[0] in reported}
    if beside or looked:
        # Imported here: the cases package's views import this module.
        from .cases.versions import case_form_bases, report_form_bases

        for case_id, oldest in case_form_bases(db.session, beside).items():
            found[case_id]["case_base"] = oldest
        bases = report_form_bases(db.session, {r: at[1] for r, at in looked.items()})
        for report_id, oldest in bases.items():
            found[looked[report_id][0]]["report_base"] = oldest
    return found


def is_superseded(kind: str, data: Any, versions: Mapping[str, int | None] | None) -> bool:
    """Whether a record was saved in a newer version than the one the draft's form showed.

    A draft without a version field (none is known) is never called superseded: only one that
    provably stands on an older version is let go of.
    """
    if versions is None or not isinstance(data, dict):
        return False
    for field, record in VERSION_FIELDS.get(kind, ()):
        if field not in data:
            continue
        stored = versions.get(record)
        if stored is None:
            continue
        shown = version_shown(data[field])
        # Versions that changed nothing this form shows leave it current: the save's own rule,
        # so the draft goes when its save would be refused and not before.
        oldest = versions.get(_BASES.get(record, ""), stored) or stored
        if shown is None or not oldest <= shown <= stored:
            return True
    return False


@dataclass(frozen=True)
class DraftOffer:
    """An open draft of a case's form, offered when the form is opened without it."""

    id: int
    form_key: str
    updated_at: datetime
    user_name: str
    # Who wrote it: the one who may throw it away, besides an admin (drafts.discarding).
    user_id: int
    is_superseded: bool
    origin: DraftOrigin | None = None
    # Beside another offer by the same person: what tells the two apart.
    twin: TwinMark = NO_TWIN
    # A live case's form while the case is cancelled: its save would be refused until the
    # cancellation is undone on the case page, so the draft is offered to read, not to continue.
    case_id: int | None = None
    is_case_cancelled: bool = False


def offered_drafts(
    kind: str, case_id: int | None, site_id: int, current_key: str, sheet: str = ""
) -> list[DraftOffer]:
    """Open drafts of this form of this case other than the one shown, newest first.

    case_id None: the form is begun without a case (the case code is typed into it). sheet: the
    binder blank the form is typed from; only drafts typed from that same sheet are offered.
    """
    return offers_by_kind({kind: current_key}, case_id, site_id, sheet)[kind]


def offers_by_kind(
    current_keys: Mapping[str, str], case_id: int | None, site_id: int, sheet: str = ""
) -> dict[str, list[DraftOffer]]:
    """offered_drafts() for several forms of one page, read in one statement.

    current_keys: per draft kind, the key of the draft its form shows (not offered again).
    """
    if not current_keys:
        return {}
    shown = [and_(Draft.kind == kind, Draft.form_key != key) for kind, key in current_keys.items()]
    rows = db.session.execute(
        with_origin(
            select(
                Draft.id,
                Draft.kind,
                Draft.form_key,
                Draft.updated_at,
                Draft.data,
                User.display_name,
                Draft.user_id,
                Case.status,
            )
        )
        .join(User, User.id == Draft.user_id)
        .outerjoin(Case, Case.id == Draft.case_id)
        .where(
            Draft.site_id == site_id,
            Draft.case_id == case_id if case_id is not None else Draft.case_id.is_(None),
            Draft.is_done.is_(False),
            or_(*shown),
        )
        .order_by(Draft.updated_at.desc(), Draft.id.desc())
    ).all()
    rows = [r for r in rows if sheet_code(r.kind, r.data) == sheet]
    versions = None
    # Only a form with a version field can be overtaken: the others' drafts read no versions.
    if case_id is not None and any(r.kind in VERSION_FIELDS for r in rows):
        versions = stored_versions([(case_id, kind) for kind in current_keys]).get(case_id)
    return {
        kind: _offers([r for r in rows if r.kind == kind], kind, case_id, versions)
        for kind in current_keys
    }


def _offers(
    rows: list[Any], kind: str, case_id: int | None, versions: Mapping[str, int | None] | None
) -> list[DraftOffer]:
    twins = twin_marks(
        [TwinRow((r.display_name, origin_of(r)), kind, r.data, r.updated_at) for r in rows],
        g.site_config,
    )
    return [
        DraftOffer(
            id=r.id,
            form_key=r.form_key,
            updated_at=r.updated_at,
            user_name=r.display_name,
            user_id=r.user_id,
            is_superseded=is_superseded(kind, r.data, versions),
            origin=origin_of(r),
            twin=twin,
            case_id=case_id,
            is_case_cancelled=r.status == "cancelled" and is_moot(kind, r.status),
        )
        for r, twin in zip(rows, twins, strict=True)
    ]
