"""Blank forms for the downtime binder: codes reserved in advance, entered later."""

from flask import Blueprint

bp = Blueprint("blanks", __name__, url_prefix="/blanks")

from . import attach_views, routine_views, views  # noqa: E402,F401
