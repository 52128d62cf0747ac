"""Radiologist reporting: worklist, report editor, signing, addenda, urgent calls, templates."""

from flask import Blueprint

bp = Blueprint("reporting", __name__, url_prefix="/reporting")

from . import (  # noqa: E402,F401
    call_views,
    dispatch_views,
    faxed_views,
    protocol_views,
    second_look_views,
    templates_views,
    views,
)
