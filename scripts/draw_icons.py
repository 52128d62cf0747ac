"""Draw the home-screen icons (PNG) from static/img/icon.svg, once; the PNGs are committed.

Run again after a change to icon.svg: `.venv/bin/python scripts/draw_icons.py`. It reads the
SVG's rounded square and its one path (the letter), and draws them with Pillow, four times
larger and scaled down so the edges are smooth. The SVG uses only M, H, V, L, A and Z
(absolute or relative): anything else stops the script rather than drawing a wrong icon.
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "static" / "img" / "icon.svg"
OUT = ROOT / "static" / "img"
# The manifest's icons keep the rounded square's clear corners; the touch icon is square,
# because iOS rounds it itself and shows a clear corner black.
ICONS = {"icon-192.png": (192, True), "icon-512.png": (512, True), "icon-180.png": (180, False)}
SUPERSAMPLE = 4
ARC_STEPS = 48

Point = tuple[float, float]


def _attr(tag: str, name: str) -> str:
    found = re.search(rf'\b{name}="([^"]*)"', tag)
    if not found:
        raise SystemExit(f"icon.svg: {name} missing in {tag}")
    return found.group(1)


def _arc(start: Point, end: Point, r: float, large: bool, sweep: bool) -> list[Point]:
    """Points along an SVG elliptical arc of equal radii (SVG 1.1, appendix F.6.5)."""
    (x1, y1), (x2, y2) = start, end
    dx, dy = (x1 - x2) / 2, (y1 - y2) / 2
    r = max(r, math.hypot(dx, dy))
    root = math.sqrt(max(0.0, (r * r - dx * dx - dy * dy) / (dx * dx + dy * dy)))
    if large == sweep:
        root = -root
    cx, cy = root * dy + (x1 + x2) / 2, -root * dx + (y1 + y2) / 2
    a1 = math.atan2(y1 - cy, x1 - cx)
    a2 = math.atan2(y2 - cy, x2 - cx)
    delta = a2 - a1
    if sweep and delta < 0:
        delta += 2 * math.pi
    elif not sweep and delta > 0:
        delta -= 2 * math.pi
    steps = max(2, int(ARC_STEPS * abs(delta) / math.pi))
    return [
        (cx + r * math.cos(a1 + delta * i / steps), cy + r * math.sin(a1 + delta * i / steps))
        for i in range(1, steps + 1)
    ]


def path_polygons(d: str) -> list[list[Point]]:
    """The closed outlines of an SVG path, as polygons in the SVG's units."""
    tokens = re.findall(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)", d)
    polygons: list[list[Point]] = []
    current: list[Point] = []
    x = y = 0.0
    start = (0.0, 0.0)
    i = 0
    command = ""

    def number() -> float:
        nonlocal i
        value = float(tokens[i])
        i += 1
        return value

    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
        relative = command.islower()
        op = command.upper()
        if op == "Z":
            polygons.append(current)
            current = []
            x, y = start
            continue
        if op == "M":
            dx, dy = number(), number()
            x, y = (x + dx, y + dy) if relative else (dx, dy)
            start = (x, y)
            current = [start]
            # Further pairs after a move are lines.
            command = "l" if relative else "L"
            continue
        if op == "H":
            x = x + number() if relative else number()
            current.append((x, y))
        elif op == "V":
            y = y + number() if relative else number()
            current.append((x, y))
        elif op == "L":
            dx, dy = number(), number()
            x, y = (x + dx, y + dy) if relative else (dx, dy)
            current.append((x, y))
        elif op == "A":
            rx, ry, _rotation = number(), number(), number()
            large, sweep = bool(number()), bool(number())
            dx, dy = number(), number()
            end = (x + dx, y + dy) if relative else (dx, dy)
            if rx != ry:
                raise SystemExit("icon.svg: only circular arcs are drawn")
            current.extend(_arc((x, y), end, rx, large, sweep))
            x, y = end
        else:
            raise SystemExit(f"icon.svg: path command {command} is not drawn")
    return polygons


def _colour(hex_colour: str) -> tuple[int, int, int, int]:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16), 255)


def draw_icon(svg: str, size: int, rounded: bool) -> Image.Image:
    """The SVG icon drawn at size×size pixels, its corners rounded (clear) or filled square."""
    view = [float(n) for n in _attr(svg, "viewBox").split()]
    rect = re.search(r"<rect [^>]*>", svg)
    path = re.search(r"<path [^>]*>", svg)
    if not rect or not path:
        raise SystemExit("icon.svg: a rect and a path expected")
    big = size * SUPERSAMPLE
    scale = big / view[2]
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    canvas = ImageDraw.Draw(image)
    background = _colour(_attr(rect.group(0), "fill"))
    radius = float(_attr(rect.group(0), "rx")) * scale if rounded else 0
    canvas.rounded_rectangle((0, 0, big - 1, big - 1), radius=radius, fill=background)
    ink = _colour(_attr(path.group(0), "fill"))
    outlines = path_polygons(_attr(path.group(0), "d"))
    # The first outline is the letter, each later one a counter cut out of it (even-odd, as
    # the SVG's nonzero rule gives for this drawing).
    for index, outline in enumerate(outlines):
        points = [((px - view[0]) * scale, (py - view[1]) * scale) for px, py in outline]
        canvas.polygon(points, fill=ink if index == 0 else background)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> int:
    svg = SVG.read_text(encoding="utf-8")
    for name, (size, rounded) in ICONS.items():
        draw_icon(svg, size, rounded).save(OUT / name, optimize=True)
        print(f"{OUT / name}: {size}×{size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
