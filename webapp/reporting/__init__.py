"""Radiologist reporting: worklist, report editor, signing, addenda, urgent calls, templates."""

from flask import Blueprint

bp = Blueprint("reporting", __name__, url_prefix="/reporting")

from . import call_views, dispatch_views, templates_views, views  # noqa: E402,F401
