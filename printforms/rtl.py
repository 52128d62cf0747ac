"""Right-to-left text (Hebrew, Arabic) as a PDF must hold it: Arabic letters joined, and each
drawn line in the order the eye reads it.

A PDF has no text layout of its own: glyphs are placed left to right as they come. Typed
(logical) order drawn as it came printed a Hebrew name backwards, and Arabic as a row of
unjoined letters, backwards too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from functools import cache
from typing import Any

from arabic_reshaper import ArabicReshaper
from bidi import get_display
from bidi.mirror import MIRRORED
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable, Paragraph

# Letters written right to left (Hebrew, Arabic, Syriac, Thaana, N'Ko and the rest, and their
# presentation forms): a line without any is drawn exactly as before.
_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
# Each mirrored character (Bidi_Mirrored) and the one it is drawn as in a right-to-left run, as
# Unicode's BidiMirroring.txt pairs them; the rest (a summation sign) have no mirror glyph.
_MIRRORS: dict[str, str] = {
    ch: mirror for ch, mirror in MIRRORED.items() if unicodedata.mirrored(ch)
}
# Bracket pairs as Unicode pairs them (BidiBrackets.txt is derived so): an opening punctuation
# mark and the closing one it mirrors to.
_PAIRS = {
    ch: mirror
    for ch, mirror in _MIRRORS.items()
    if unicodedata.category(ch) == "Ps" and unicodedata.category(mirror) == "Pe"
}
_CLOSERS = frozenset(_PAIRS.values())
# Stand-in brackets for one pair at a time, to find where the pair is drawn: a pair of another
# kind is paired, and so ordered, as the pair it stands for.
_PROBES = (("\u27e6", "\u27e7"), ("\u2983", "\u2984"), ("\u3010", "\u3011"))
# Stand-ins for one other mirrored character: neutral as it is, neither a bracket nor mirrored.
_SIGN_PROBES = (("\u2e3a", "\u2e3b"), ("\u2016", "\u2017"))
_BASES = {"LTR": "L", "RTL": "R"}


def shaped(text: str, drawable: Container[str]) -> str:
    """The text with Arabic letters in the forms that join them to their neighbours.

    A word with a joined form the font lacks (Urdu's yeh barree in DejaVu Sans) stays as typed,
    unjoined: the letter the font has not is then shown as its code, never as a form's code.
    """
    if not _ARABIC.search(text):
        return text
    reshape = _reshaper().reshape

    def joined(word: str) -> str:
        forms: str = reshape(word) if _ARABIC.search(word) else word
        return forms if all(ch in drawable for ch in forms) else word

    # Letters join within a word only, so each word is shaped alone.
    return re.sub(r"\S+", lambda m: joined(m.group(0)), text)


@cache
def _reshaper() -> ArabicReshaper:
    # Vowel marks stay (they can tell two names apart); Allah is spelled out, not one glyph.
    return ArabicReshaper(configuration={"delete_harakat": False, "ARABIC LIGATURE ALLAH": False})


def base_direction(text: str) -> str:
    """ "R" if the text's first letter with a direction is written right to left, else "L":
    Unicode's rule for a paragraph, as dir="auto" on the screens."""
    if not _RTL.search(text):
        return "L"
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return "L"
        if kind in ("R", "AL"):
            return "R"
    return "L"


def visual(line: str, base: str | None = None) -> str:
    """One drawn line in visual order, left to right.

    The line runs in the direction of its first letter (Unicode's rule, as dir="auto" on the
    screens) unless base ("L" or "R") says otherwise. A mirrored character (a bracket, < or «)
    drawn right to left is drawn as its mirror image, facing the words it belongs to, and an
    accent or vowel point after the letter it belongs to.
    """
    if not _RTL.search(line):
        return line
    shown = list(get_display(line, base_dir=base))
    # python-bidi orders the characters but draws none mirrored (Unicode's rule L4).
    for at in _drawn_right_to_left(line, base):
        shown[at] = _MIRRORS[shown[at]]
    return _marks_after_letters("".join(shown))


def _drawn_right_to_left(line: str, base: str | None) -> list[int]:
    """Where the line's mirrored characters are drawn in a right-to-left run."""
    pairs = _bracket_pairs(line)
    paired = {index for pair in pairs for index in pair}
    found = _reversed_pairs(line, pairs, base)
    for index, ch in enumerate(line):
        if ch in _MIRRORS and index not in paired:
            found.extend(_reversed_sign(line, index, base))
    return found


def _reversed_pairs(line: str, pairs: list[tuple[int, int]], base: str | None) -> list[int]:
    """Where the bracket pairs drawn right to left are drawn."""
    probes = [p for p in _PROBES if p[0] not in line and p[1] not in line]
    if not pairs or not probes:
        return []
    stand_open, stand_close = probes[0]
    found = []
    for start, end in pairs:
        probed = f"{line[:start]}{stand_open}{line[start + 1 : end]}{stand_close}{line[end + 1 :]}"
        shown = get_display(probed, base_dir=base)
        at_open, at_close = shown.index(stand_open), shown.index(stand_close)
        if at_close < at_open:
            found += [at_close, at_open]
    return found


def _reversed_sign(line: str, index: int, base: str | None) -> list[int]:
    """Where the mirrored character at index is drawn, if in a right-to-left run.

    It is neutral, as the two stand-ins put in its place are: they take its direction, and are
    drawn side by side, the second first if right to left.
    """
    probes = [p for p in _SIGN_PROBES if p[0] not in line and p[1] not in line]
    if not probes:
        return []
    first, second = probes[0]
    shown = get_display(f"{line[:index]}{first}{second}{line[index + 1 :]}", base_dir=base)
    at_first, at_second = shown.index(first), shown.index(second)
    return [at_second] if at_second < at_first else []


def _bracket_pairs(line: str) -> list[tuple[int, int]]:
    """Positions of the bracket pairs in the typed line, as Unicode pairs them."""
    pairs, open_at = [], []
    for index, ch in enumerate(line):
        if ch in _PAIRS:
            open_at.append(index)
        elif ch in _CLOSERS:
            for depth in range(len(open_at) - 1, -1, -1):
                if _PAIRS[line[open_at[depth]]] == ch:
                    pairs.append((open_at[depth], index))
                    del open_at[depth:]
                    break
    return pairs


def _marks_after_letters(shown: str) -> str:
    """Combining marks moved back after their letter where reversing a run put them before."""
    if not any(_is_mark(ch) for ch in shown):
        return shown
    out: list[str] = []
    index = 0
    while index < len(shown):
        end = index
        while end < len(shown) and _is_mark(shown[end]):
            end += 1
        after_ltr = bool(out) and unicodedata.bidirectional(out[-1]) == "L"
        if index < end < len(shown) and _is_rtl(shown[end]) and not after_ltr:
            out.append(shown[end])
            out.extend(reversed(shown[index:end]))
            index = end + 1
        else:
            out.extend(shown[index : max(end, index + 1)])
            index = max(end, index + 1)
    return "".join(out)


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def _is_rtl(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("R", "AL")


class VisualTextObject(PDFTextObject):
    """A text object that draws each line it is given in visual order.

    base: the direction ("L" or "R") of the paragraph the lines are of, for every line of it.
    """

    base: str | None = None

    def _formatText(self, text: Any) -> Any:
        if isinstance(text, str):
            text = visual(text, self.base or _BASES.get(self.direction))
        return super()._formatText(text)


class DirectedParagraph(Paragraph):
    """A paragraph whose every line runs in the paragraph's direction, its first letter's (as
    dir="auto" on the screens), and that stands at the right of its box if right to left.

    Line by line, a wrapped Hebrew paragraph's line that began with "CT" or "5 mm" ran left to
    right, and its words read in a broken order. reportlab sets the direction of each text
    object it draws lines with from the style's wordWrap ("RTL" asks for its own bidi, which
    needs rlbidi), so the direction goes to the text object as its base.
    """

    def __init__(self, text: str | None, style: ParagraphStyle, *args: Any, **kwargs: Any) -> None:
        super().__init__(text, style, *args, **kwargs)
        self.base = base_direction("".join(getattr(frag, "text", "") for frag in self.frags))
        if self.base == "R" and style.alignment == TA_LEFT:
            self.style = _right_aligned(style)

    def beginText(self, x: float, y: float) -> Any:
        text = super().beginText(x, y)
        text.base = self.base
        return text

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        # The rest of a paragraph broken at a page keeps its direction, whatever it begins with.
        parts: list[Flowable] = super().split(availWidth, availHeight)
        for part in parts:
            if isinstance(part, DirectedParagraph) and part is not self:
                part.base, part.style = self.base, _restyled(part.style, self.style)
        return parts


def _right_aligned(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)


def _restyled(part: ParagraphStyle, whole: ParagraphStyle) -> ParagraphStyle:
    """The style of a part of a paragraph, aligned as the whole paragraph is."""
    if part.alignment == whole.alignment:
        return part
    return ParagraphStyle(part.name, parent=part, alignment=whole.alignment)
