"""Administration: users, site configuration, audit log, how tablets connect."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import bulk_views, user_views, views  # noqa: E402,F401
