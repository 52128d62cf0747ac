"""Cases: referral capture, exam documentation, identity correction, history."""

from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/cases")

from . import (  # noqa: E402,F401
    blank_detach_views,
    blank_read_views,
    cancel_views,
    identity_views,
    move_views,
    page_views,
    views,
)
