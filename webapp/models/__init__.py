"""Typed models, one module per area."""

# Imported for its listener: a case's name key follows the name in plain statements too.
from . import name_key  # noqa: F401
from .audit import AuditEvent, RecordVersion
from .base import MAX_ROW_ID, utcnow
from .case import CASE_STATUSES, ID_KINDS, Case, ReservedCode
from .catchup import (
    CATCHUP_STEPS,
    CatchupRecord,
    CatchupTick,
    ExportBatch,
    RisPacsCleanUp,
    ScanEvent,
)
from .clinical import ANSWERS, ARRIVAL_CHANNELS, MOBILITIES, PACS_STATES, ExamRecord, Referral
from .incident import Incident, IncidentLogEntry
from .notice import NOTICE_KINDS, CancelNotice
from .printing import PrintRecord
from .report import (
    REPORT_STATES,
    Addendum,
    Report,
    ReportDispatch,
    ReportSignature,
    ReportTemplate,
    UrgentCall,
)
from .routines import (
    ImageRelease,
    ImageTransfer,
    ReleaseRisNote,
    ReviewerExchange,
    ReviewerLogEntry,
    RouteStatus,
    TransferAttempt,
    TransferCheck,
)
from .site import Site
from .submission import Draft, Submission
from .user import ROLES, FailedLogin, User, UserSession

__all__ = [
    "ANSWERS",
    "ARRIVAL_CHANNELS",
    "CASE_STATUSES",
    "CATCHUP_STEPS",
    "ID_KINDS",
    "MAX_ROW_ID",
    "MOBILITIES",
    "NOTICE_KINDS",
    "PACS_STATES",
    "REPORT_STATES",
    "ROLES",
    "Addendum",
    "AuditEvent",
    "CancelNotice",
    "Case",
    "CatchupRecord",
    "CatchupTick",
    "Draft",
    "ExamRecord",
    "ExportBatch",
    "FailedLogin",
    "ImageRelease",
    "ImageTransfer",
    "Incident",
    "IncidentLogEntry",
    "PrintRecord",
    "RecordVersion",
    "Referral",
    "ReleaseRisNote",
    "Report",
    "ReportDispatch",
    "ReportSignature",
    "ReportTemplate",
    "ReservedCode",
    "ReviewerExchange",
    "ReviewerLogEntry",
    "RisPacsCleanUp",
    "RouteStatus",
    "ScanEvent",
    "Site",
    "Submission",
    "TransferAttempt",
    "TransferCheck",
    "UrgentCall",
    "User",
    "UserSession",
    "utcnow",
]
