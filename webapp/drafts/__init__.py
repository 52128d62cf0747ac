"""Server-side drafts of forms in progress (autosave)."""

from flask import Blueprint

bp = Blueprint("drafts", __name__)

from . import older_copy, views  # noqa: E402,F401
