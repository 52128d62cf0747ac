"""Printing: builds plain data from the database and hands it to printforms."""

from flask import Blueprint

bp = Blueprint("printing", __name__, url_prefix="/print")

from . import views  # noqa: E402,F401
