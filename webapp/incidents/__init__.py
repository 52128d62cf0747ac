"""Incidents (driftstopp): declaring, the routine checklist, ending."""

from flask import Blueprint

bp = Blueprint("incidents", __name__, url_prefix="/incidents")

from . import checklist_views, views  # noqa: E402,F401
