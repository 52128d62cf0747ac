"""Laterality: which side a sided exam (a hand, a hip, a knee) is of, asked and compared.

The site's catalogue marks the sided exams (`sided = true`); nothing here knows which they are.
A side typed into the exam's text dropped the catalogue code, and a wrong side is a wrong exam:
so the side is a field of its own, required for a sided exam, compared between the referral
and what was done, and shown wherever the exam is named.
"""

from __future__ import annotations

import re

from ..siteconfig import SiteConfig

SIDES = ("right", "left", "both")
SIDE_CHOICES = [("right", "Höger"), ("left", "Vänster"), ("both", "Båda sidor")]
SIDE_LABELS = dict(SIDE_CHOICES)
# Beside the exam on the board and in lists, where a word does not fit.
SIDE_SHORT = {"right": "hö", "left": "vä", "both": "bilat"}
SIDE_MISSING = "Ange sida – undersökningen gäller en sida."
SIDE_DIFFERS = "Sidan avviker från remissen – bekräftad"
# Side words staff type into an exam's text, whole words only ("höftled" is no side).
SIDE_WORDS = frozenset({"höger", "vänster", "hö", "vä", "bilateral", "bilat", "bilaterala"})
SIDE_IN_TEXT = (
    "Sidan hör hemma i fältet Sida: skriven i undersökningens text följer den inte med som sida, "
    "och en fritext har ingen katalogkod."
)


def side_word_in_text(text: str, *, side: str, exam_code: str) -> bool:
    """Whether a free-text exam names its side in the text while the side field is empty."""
    if exam_code or side:
        return False
    return any(word in SIDE_WORDS for word in re.findall(r"\w+", (text or "").lower()))


def needs_side(config: SiteConfig, exam_code: str) -> bool:
    """Whether the catalogue marks the exam as sided: the side is then required."""
    exam = config.exam(exam_code or "") if exam_code else None
    return exam is not None and exam.sided


def asks_side(config: SiteConfig, exam_code: str) -> bool:
    """Whether a form asks for the side: a sided exam must, a free-text exam may give one."""
    return not exam_code or needs_side(config, exam_code)


def sides_differ(referral_side: str, exam_side: str) -> bool:
    """Whether the side performed is not the one referred (both given)."""
    return bool(referral_side and exam_side) and referral_side != exam_side


def side_label(side: str) -> str:
    """The side in words ("" when none was given)."""
    return SIDE_LABELS.get(side or "", "")


def side_short(side: str) -> str:
    """The side as the board writes it beside the exam ("" when none was given)."""
    return SIDE_SHORT.get(side or "", "")


def exam_with_side(text: str, side: str) -> str:
    """The exam's name with its side in words, as sheets and exports name it."""
    label = side_label(side)
    return f"{text}, {label.lower()}" if label else text
