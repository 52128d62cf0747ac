"""Typed models, one module per area."""

from .audit import AuditEvent, RecordVersion
from .base import utcnow
from .case import CASE_STATUSES, ID_KINDS, Case, ReservedCode
from .clinical import ANSWERS, ARRIVAL_CHANNELS, PACS_STATES, ExamRecord, Referral
from .incident import Incident, IncidentLogEntry
from .site import Site
from .submission import Draft, Submission
from .user import ROLES, User, UserSession

__all__ = [
    "ANSWERS",
    "ARRIVAL_CHANNELS",
    "CASE_STATUSES",
    "ID_KINDS",
    "PACS_STATES",
    "ROLES",
    "AuditEvent",
    "Case",
    "Draft",
    "ExamRecord",
    "Incident",
    "IncidentLogEntry",
    "RecordVersion",
    "Referral",
    "ReservedCode",
    "Site",
    "Submission",
    "User",
    "UserSession",
    "utcnow",
]
