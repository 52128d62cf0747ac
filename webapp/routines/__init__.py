"""The other fallback routines: external night reviewer, image transfer, release of images."""

from flask import Blueprint

bp = Blueprint("routines", __name__, url_prefix="/routines")

from . import labels, release_views, transfer_views, views  # noqa: E402,F401
