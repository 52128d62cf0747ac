"""The QR code on every sheet, sized so that each module survives a fax at standard resolution."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby

import qrcode
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_M, ERROR_CORRECT_Q
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

QR_MAX_PAYLOAD = 32
# The laptop's address for a tablet's camera (the binder's routines, the PIN slips) may be
# longer: one IPv6 address, "https://[" its eight groups "]:65535/", takes 56.
QR_MAX_ADDRESS = 56
_ADDRESS_SCHEMES = ("http://", "https://")
# Standard fax resolution is 98 dpi vertically (about 3.9 lines per mm); 1.2 mm modules give
# each module at least four scan lines, which survives thresholding and a photocopy.
QR_MODULE_MM = 1.2
QR_MIN_MODULE_MM = 1.0
QR_QUIET_MODULES = 4
# Q suffices for short payloads; longer ones still fit a small version at H.
QR_LEVEL_Q_MAX_CHARS = 20
_LEVELS = {"M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q, "H": ERROR_CORRECT_H}


@dataclass(frozen=True)
class QrSpec:
    """An encoded payload: its error-correction level, module count and printed module size."""

    payload: str
    level: str
    modules: int
    module_mm: float
    # None: the smallest version that holds the payload (and `modules` is that version's).
    version: int | None = None

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
    limit = QR_MAX_ADDRESS if payload.startswith(_ADDRESS_SCHEMES) else QR_MAX_PAYLOAD
    if len(payload) > limit:
        raise ValueError(f"QR payload longer than {limit} characters: {payload!r}")


@lru_cache(maxsize=1024)
def _qr_modules(payload: str, level: str, version: int | None) -> tuple[tuple[bool, ...], ...]:
    # The qrcode package encodes in a quarter of the time of reportlab's encoder (7 against
    # 27 ms at version 3), which counts where every page of a list carries its own payload.
    # version None: the smallest that holds the payload.
    code = qrcode.QRCode(version=version, error_correction=_LEVELS[level], border=0)
    # One alphanumeric segment, as the payload alphabet allows: no mode switches to misread.
    code.add_data(payload, optimize=0)
    code.make(fit=version is None)
    return tuple(tuple(bool(m) for m in row) for row in code.modules)


@lru_cache(maxsize=4096)
def _qr_version(payload: str, level: str) -> int:
    # The smallest version that holds the payload, as make(fit=True) picks it, without the
    # encoding and its eight trial masks (a stack of 2,000 blanks sized each QR three times).
    code = qrcode.QRCode(error_correction=_LEVELS[level], border=0)
    code.add_data(payload, optimize=0)
    return int(code.best_fit())


def qr_spec(payload: str, module_mm: float = QR_MODULE_MM, level: str | None = None) -> QrSpec:
    """The payload's QR as printed: module count (of the smallest version that holds it) ×
    module size; the error-correction level by the payload's length unless given. Encoded
    only when drawn."""
    _check_payload(payload)
    if module_mm < QR_MIN_MODULE_MM:
        raise ValueError(f"QR module must be at least {QR_MIN_MODULE_MM} mm")
    level = level or qr_level(payload)
    # A QR code of version v has 17 + 4v modules a side.
    modules = 17 + 4 * _qr_version(payload, level)
    return QrSpec(payload, level, modules, module_mm)


def qr_spec_like(payload: str, like: QrSpec) -> QrSpec:
    """The payload encoded at the level and size of `like`, which must hold it.

    For the pages of one sheet whose payloads differ (a list's page numbers): the header is laid
    out once, for the QR of the longest payload, and every page's QR takes exactly that room.
    """
    _check_payload(payload)
    if len(payload) > len(like.payload):
        raise ValueError(f"QR payload {payload!r} is longer than {like.payload!r}")
    # A QR code of version v has 17 + 4v modules a side.
    version = (like.modules - 17) // 4
    modules = len(_qr_modules(payload, like.level, version))
    return QrSpec(payload, like.level, modules, like.module_mm, version)


def qr_matrix(spec: QrSpec) -> tuple[tuple[bool, ...], ...]:
    """The dark (True) and light modules, row by row from the top, without the quiet zone."""
    return _qr_modules(spec.payload, spec.level, spec.version)


def draw_qr(canv: Canvas, spec: QrSpec, x: float, y: float) -> None:
    """Draw the QR with its lower left corner at (x, y) in points."""
    # One form XObject per payload and document: drawing the vector QR is slow and pages
    # of one document share it.
    name = f"rrqr{abs(hash(spec)):x}"
    # A plain canvas (the PIN slips') gets its set of forms at its first QR.
    forms: set[str] = canv.__dict__.setdefault("_rr_forms", set())
    if name not in forms:
        canv.beginForm(name)
        canv.addLiteral(_qr_operators(spec))
        canv.endForm()
        forms.add(name)
    canv.saveState()
    canv.translate(x, y)
    canv.doForm(name)
    canv.restoreState()


@lru_cache(maxsize=1024)
def _qr_operators(spec: QrSpec) -> str:
    # One path of a rectangle per run of dark modules in a row, filled once: a few hundred
    # operators, written directly (reportlab's shapes took 40 ms a code to say the same).
    module = spec.module_mm * mm
    top = spec.size_mm * mm - QR_QUIET_MODULES * module
    ops = ["q", "0 g"]
    for r, row in enumerate(qr_matrix(spec)):
        y = top - (r + 1) * module
        c = 0
        for dark, run in groupby(row):
            count = len(list(run))
            if dark:
                x = (c + QR_QUIET_MODULES) * module
                ops.append(f"{x:.3f} {y:.3f} {count * module:.3f} {module:.3f} re")
            c += count
    ops.extend(["f", "Q"])
    return "\n".join(ops)
