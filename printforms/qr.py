"""The QR code on every sheet, sized so that each module survives a fax at standard resolution."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing, Group
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

QR_MAX_PAYLOAD = 32
# Standard fax resolution is 98 dpi vertically (about 3.9 lines per mm); 1.2 mm modules give
# each module at least four scan lines, which survives thresholding and a photocopy.
QR_MODULE_MM = 1.2
QR_MIN_MODULE_MM = 1.0
QR_QUIET_MODULES = 4
# Q suffices for short payloads; longer ones still fit a small version at H.
QR_LEVEL_Q_MAX_CHARS = 20


@dataclass(frozen=True)
class QrSpec:
    """An encoded payload: its error-correction level, module count and printed module size."""

    payload: str
    level: str
    modules: int
    module_mm: float

    @property
    def size_mm(self) -> float:
        """Side of the printed square including the quiet zone."""
        return (self.modules + 2 * QR_QUIET_MODULES) * self.module_mm


def qr_level(payload: str) -> str:
    """The error-correction level for a payload of this length."""
    return "Q" if len(payload) <= QR_LEVEL_Q_MAX_CHARS else "H"


def _check_payload(payload: str) -> None:
    if not payload:
        raise ValueError("QR payload is empty")
    if len(payload) > QR_MAX_PAYLOAD:
        raise ValueError(f"QR payload longer than {QR_MAX_PAYLOAD} characters: {payload!r}")


@lru_cache(maxsize=512)
def _qr_geometry(payload: str, level: str) -> tuple[int, Group]:
    # QR encoding is slow in pure Python; one encoding per payload is enough for the process.
    widget = QrCodeWidget(payload, barLevel=level, barBorder=QR_QUIET_MODULES)
    widget.qr.make()
    modules = widget.qr.getModuleCount()
    side = (modules + 2 * QR_QUIET_MODULES) * QR_MODULE_MM * mm
    widget.barWidth = widget.barHeight = side
    return modules, widget.draw()


def qr_spec(payload: str, module_mm: float = QR_MODULE_MM) -> QrSpec:
    """Encode the payload and compute the printed size from module count × module size."""
    _check_payload(payload)
    if module_mm < QR_MIN_MODULE_MM:
        raise ValueError(f"QR module must be at least {QR_MIN_MODULE_MM} mm")
    level = qr_level(payload)
    modules, _ = _qr_geometry(payload, level)
    return QrSpec(payload, level, modules, module_mm)


def qr_drawing(payload: str) -> Drawing:
    """The vector QR (reportlab's QrCodeWidget) as a Drawing, quiet zone included."""
    spec = qr_spec(payload)
    _, group = _qr_geometry(payload, spec.level)
    side = spec.size_mm * mm
    drawing = Drawing(side, side)
    drawing.add(group)
    return drawing


def draw_qr(canv: Canvas, spec: QrSpec, x: float, y: float) -> None:
    """Draw the QR with its lower left corner at (x, y) in points."""
    # One form XObject per payload and document: drawing the vector QR is slow and pages
    # of one document share it.
    name = f"rrqr{abs(hash(spec.payload)):x}"
    forms: set[str] = canv._rr_forms  # type: ignore[attr-defined]
    if name not in forms:
        canv.beginForm(name)
        canv.addLiteral(_qr_operators(spec.payload))
        canv.endForm()
        forms.add(name)
    canv.saveState()
    canv.translate(x, y)
    canv.doForm(name)
    canv.restoreState()


@lru_cache(maxsize=512)
def _qr_operators(payload: str) -> str:
    # renderPDF walks a few hundred shapes with full state changes (about 10 ms); render once
    # per payload and reuse its operators. Its font preamble goes: the QR draws no text.
    scratch = Canvas(io.BytesIO())
    renderPDF.draw(qr_drawing(payload), scratch, 0, 0)
    lines = scratch.getCurrentPageContent().splitlines()
    return "\n".join(line for line in lines if not line.startswith("BT "))
