"""Letters typed as a base letter and a combining mark print as the one letter they are."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from PIL import ImageChops

import printforms as pf

from . import factories as f
from .conftest import FINE_FAX, fax_pages

# Pasted from some systems (and typed on some keyboards) Ö comes as O + U+0308. The PDF has no
# text shaping: the dots were drawn where a lower-case letter has them, inside the O, which a
# fax reader takes for Ø.
NAME = "Åsa Öberg-Ängström"
TEXT = "Ökad täthet i vänster överlob, jämför med föregående. Émile Ström, Müller."


def _decomposed(text: str) -> str:
    return unicodedata.normalize("NFD", text)


SHEETS: dict[str, Callable[[Callable[[str], str]], bytes]] = {
    "referral": lambda t: pf.render_referral(
        f.referral(patient=f.patient(name=t(NAME)), history=t(TEXT), requested_exam=t("DT hjärna"))
    ),
    "report": lambda t: pf.render_report(
        f.with_meta(
            f.report(patient=f.patient(name=t(NAME)), sections=(("Fynd", t(TEXT)),)),
            department=t("Röntgenkliniken, Demosjukhuset"),
        )
    ),
    "incident-list": lambda t: pf.render_incident_list(
        replace(
            f.incident_list(scenario=t("Integrationsmotor nere")),
            cases=(f.incident_row(1, patient=t(NAME), exam=t("Lungröntgen")),),
        )
    ),
    "blank": lambda t: pf.render_blank_stack(
        [f.blank("referral", priorities=(t("Akut"), t("Inom två dygn"), t("Övrigt")))],
    ),
}


def _same(left: Any, right: Any) -> bool:
    return ImageChops.difference(left.convert("L"), right.convert("L")).getbbox() is None


@pytest.mark.parametrize("sheet", list(SHEETS))
def test_decomposed_letters_print_like_the_composed_ones(sheet: str) -> None:
    composed = fax_pages(SHEETS[sheet](lambda t: t), FINE_FAX)
    decomposed = fax_pages(SHEETS[sheet](_decomposed), FINE_FAX)
    assert len(composed) == len(decomposed)
    assert all(_same(a, b) for a, b in zip(composed, decomposed, strict=True))


def _soft_hyphens(text: str) -> str:
    """The text with a soft hyphen inside each longer word, as text pasted from a word
    processor or a web page may have: a break allowed there, drawn only where a line breaks."""
    return " ".join(w[:3] + "\N{SOFT HYPHEN}" + w[3:] if len(w) > 5 else w for w in text.split(" "))


@pytest.mark.parametrize("sheet", list(SHEETS))
def test_a_soft_hyphen_where_no_line_breaks_prints_as_nothing(sheet: str) -> None:
    # A hyphen in a name is part of it (Öberg-Ängström): one drawn for a soft hyphen in the
    # header of every page spelt the name otherwise than its box.
    plain = fax_pages(SHEETS[sheet](lambda t: t), FINE_FAX)
    hyphenable = fax_pages(SHEETS[sheet](_soft_hyphens), FINE_FAX)
    assert len(plain) == len(hyphenable)
    assert all(_same(a, b) for a, b in zip(plain, hyphenable, strict=True))
