"""The HTTP answer of a print: a PDF the tablet's browser opens for printing."""

from __future__ import annotations

from flask import Response, current_app, flash, request

from ..i18n import gettext as _

PRINT_FAILED = (
    "Utskriften kunde inte skapas, så inget skrevs ut och inget loggades som utskrivet. "
    "Försök igen; händer det igen, kontakta administratören."
)


def pdf_response(content: bytes, filename: str) -> Response:
    """An inline, never cached PDF: a printed patient document must not stay in a cache."""
    return Response(
        content,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


def flash_print_failed() -> None:
    """Tell the user a print failed; the drawing's error goes to the server log.

    Called while handling PrintFailed, so the log gets the drawing's traceback.
    """
    current_app.logger.exception("Printing failed on %s", request.path)
    flash(_(PRINT_FAILED), "error")
