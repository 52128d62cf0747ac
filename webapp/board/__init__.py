"""The department board (tavla): every case of the current incident."""

from flask import Blueprint

bp = Blueprint("board", __name__, url_prefix="/board")

from . import views  # noqa: E402,F401
