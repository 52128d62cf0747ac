"""Typed models, one module per area."""

from .audit import AuditEvent, RecordVersion
from .base import utcnow
from .case import CASE_STATUSES, ID_KINDS, Case
from .incident import Incident, IncidentLogEntry
from .site import Site
from .submission import Draft, Submission
from .user import ROLES, User, UserSession

__all__ = [
    "CASE_STATUSES",
    "ID_KINDS",
    "ROLES",
    "AuditEvent",
    "Case",
    "Draft",
    "Incident",
    "IncidentLogEntry",
    "RecordVersion",
    "Site",
    "Submission",
    "User",
    "UserSession",
    "utcnow",
]
