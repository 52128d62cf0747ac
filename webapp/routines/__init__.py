"""The other fallback routines: external night reviewer, image transfer, release of images."""

from flask import Blueprint

bp = Blueprint("routines", __name__, url_prefix="/routines")

from . import (  # noqa: E402,F401
    labels,
    release_views,
    reviewer_admin_views,
    reviewer_receive_views,
    reviewer_removal_views,
    reviewer_undo_views,
    reviewer_views,
    transfer_request_views,
    transfer_views,
    views,
)
