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
from reportlab.pdfgen.textobject import PDFTextObject

# Letters written right to left (Hebrew, Arabic, Syriac, Thaana, N'Ko and the rest, and their
# presentation forms): a line without any is drawn exactly as before.
_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_PAIRS = {"(": ")", "[": "]", "{": "}"}
# Stand-in brackets for one pair at a time, to find where the pair is drawn: a pair of another
# kind is paired, and so ordered, as the pair it stands for.
_PROBES = (("\u27e6", "\u27e7"), ("\u2983", "\u2984"), ("\u3010", "\u3011"))
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


def visual(line: str, base: str | None = None) -> str:
    """One drawn line in visual order, left to right.

    The line runs in the direction of its first letter (Unicode's rule, as dir="auto" on the
    screens) unless base ("L" or "R") says otherwise. A bracket is drawn facing the words it
    encloses, and an accent or vowel point after the letter it belongs to.
    """
    if not _RTL.search(line):
        return line
    shown = list(get_display(line, base_dir=base))
    for opener, closer, left, right in _reversed_pairs(line, base):
        shown[left], shown[right] = opener, closer
    return _marks_after_letters("".join(shown))


def _reversed_pairs(line: str, base: str | None) -> list[tuple[str, str, int, int]]:
    """Bracket pairs drawn right to left: each pair's glyphs and where they are drawn."""
    pairs = _bracket_pairs(line)
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
            found.append((line[start], line[end], at_close, at_open))
    return found


def _bracket_pairs(line: str) -> list[tuple[int, int]]:
    """Positions of the bracket pairs in the typed line, as Unicode pairs them."""
    pairs, open_at = [], []
    for index, ch in enumerate(line):
        if ch in _PAIRS:
            open_at.append(index)
        elif ch in _PAIRS.values():
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
    """A text object that draws each line it is given in visual order."""

    def _formatText(self, text: Any) -> Any:
        if isinstance(text, str):
            text = visual(text, _BASES.get(self.direction))
        return super()._formatText(text)
