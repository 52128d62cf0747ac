"""The HTTP answer of a print: a PDF the tablet's browser opens for printing."""

from __future__ import annotations

from flask import Response


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
