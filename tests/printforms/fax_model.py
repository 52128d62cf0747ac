"""A fax line as it really treats paper: crooked feed, speckle, lost lines, toner, copies.

`receive` takes a page rendered once in greys (`render_grey`) and returns it as the receiving
machine prints it under one of the named CONDITIONS: scanned at standard resolution (204 × 98
dpi, thresholded to black and white), each scan line then printed as two rows of a 204 dpi
page. That print (or a fax server's image shown at its true proportions) is what the scan
station's reader sees. Every condition is seeded, so a failure shows the same image again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image, ImageFilter, ImageOps

X_DPI, Y_DPI = 204, 98
# A fax machine's scanner and printer both lose the outer band of the sheet.
CROP_MM = 5.0


@dataclass(frozen=True)
class Fax:
    """How one transmission treats the sheet."""

    skew_deg: float = 0.0
    # Share of pixels whose black or white is flipped (dust, line noise).
    speckle: float = 0.005
    dropped_lines: int = 3
    doubled_lines: int = 3
    # Grey level (0–255) below which a pixel is received black, after the scan's blur: low is
    # a light setting or low toner (strokes thin out), high a dark setting (strokes spread).
    threshold: int = 128
    # The sheet went through a copier at this scale before it was faxed.
    copy_scale: float = 1.0
    upside_down: bool = False


# Each condition alone, and a fax of a fax (the received paper faxed on, crooked both times).
CONDITIONS: dict[str, tuple[Fax, ...]] = {
    "plain": (Fax(),),
    "skew-left": (Fax(skew_deg=1.5),),
    "skew-right": (Fax(skew_deg=-1.5),),
    "light": (Fax(threshold=60),),
    "dark": (Fax(threshold=195),),
    "upside-down": (Fax(upside_down=True),),
    "copy-95": (Fax(copy_scale=0.95),),
    "fax-of-fax": (Fax(skew_deg=1.5, threshold=110), Fax(skew_deg=-1.5, threshold=150)),
}


def render_grey(pdf: bytes) -> list[Image.Image]:
    """Every page of the PDF in greys at X_DPI both ways, as the sending scanner's optics see it."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return [
            doc[i].render(scale=X_DPI / 72, grayscale=True).to_pil().convert("L")
            for i in range(len(doc))
        ]
    finally:
        doc.close()


def transmit(page: Image.Image, fax: Fax, seed: int) -> Image.Image:
    """The page (greys at X_DPI both ways) as printed at the far end, at X_DPI both ways."""
    rng = random.Random(seed)
    width, height = page.size
    image = page
    if fax.copy_scale != 1.0:
        small = image.resize(
            (round(width * fax.copy_scale), round(height * fax.copy_scale)),
            Image.Resampling.BILINEAR,
        )
        image = Image.new("L", (width, height), 255)
        image.paste(small, ((width - small.width) // 2, (height - small.height) // 2))
    if fax.upside_down:
        image = image.rotate(180)
    if fax.skew_deg:
        image = image.rotate(fax.skew_deg, resample=Image.Resampling.BILINEAR, fillcolor=255)
    lines = image.resize((width, round(height * Y_DPI / X_DPI)), Image.Resampling.BOX)
    # The scanner's optics blur about 0.15 mm, so the threshold moves edges: strokes thin out or
    # spread. (Blurred after the lines are taken: half the pixels, the same greys.)
    lines = lines.filter(ImageFilter.GaussianBlur((0.15 * X_DPI / 25.4, 0.15 * Y_DPI / 25.4)))
    lines = lines.point(lambda v: 0 if v < fax.threshold else 255)
    lines = _speckle(_crop_edges(_lost_lines(lines, fax, rng)), fax.speckle, rng)
    # The receiving printer draws each scan line as X_DPI / Y_DPI printed lines.
    return lines.resize((width, height), Image.Resampling.NEAREST)


def receive(page: Image.Image, condition: str, seed: int = 0) -> Image.Image:
    """The page (from render_grey) as printed after each transmission of the condition."""
    for n, fax in enumerate(CONDITIONS[condition]):
        page = transmit(page, fax, seed * 31 + n)
    return page


def _lost_lines(image: Image.Image, fax: Fax, rng: random.Random) -> Image.Image:
    # A scan line lost in transmission closes up the page below it; one sent twice pushes it
    # down. The page keeps its length: the printer cuts or pads its bottom.
    out = image.copy()
    events = [(rng.randrange(1, image.height - 1), -1) for _ in range(fax.dropped_lines)]
    events += [(rng.randrange(1, image.height - 1), 1) for _ in range(fax.doubled_lines)]
    for row, shift in sorted(events):
        below = out.crop((0, row, out.width, out.height - max(shift, 0)))
        out.paste(below, (0, row + shift))
    return out


def _crop_edges(image: Image.Image) -> Image.Image:
    x = round(CROP_MM / 25.4 * X_DPI)
    y = round(CROP_MM / 25.4 * Y_DPI)
    out = Image.new("L", image.size, 255)
    out.paste(image.crop((x, y, image.width - x, image.height - y)), (x, y))
    return out


def _speckle(image: Image.Image, share: float, rng: random.Random) -> Image.Image:
    noise = Image.frombytes("L", image.size, rng.randbytes(image.width * image.height))
    flipped = noise.point(lambda v: 255 if v < 256 * share else 0)
    return Image.composite(ImageOps.invert(image), image, flipped)
