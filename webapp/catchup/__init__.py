"""Secretary catch-up: scan station, keying into RIS, reconciliation batch, closing."""

from flask import Blueprint

bp = Blueprint("catchup", __name__)

from . import batch_views, views  # noqa: E402,F401
