"""The close's boxes read once from the form into one CloseConfirmations, handed down to the
checks: a box not sent is not ticked, and a name the form does not know ticks nothing."""

from __future__ import annotations

from flask import Flask
from werkzeug.datastructures import MultiDict

from webapp.incidents.close_checks import CloseConfirmations
from webapp.incidents.forms import LISTING_BOXES, CloseForm


def _read(app: Flask, sent: dict[str, str]) -> CloseConfirmations:
    with app.test_request_context("/", method="POST"):
        return CloseForm(formdata=MultiDict(sent)).confirmations()


def test_each_box_ticked_is_read_into_its_own_confirmation(app: Flask) -> None:
    ticked = {
        "confirm_unidentified": "y",
        "confirm_unfaxed": "y",
        "confirm_on_modality": "y",
        "confirm_over_signed": "y",
        "confirm_unnotified": "y",
        "confirm_blanks": "y",
        "blank_codes": "BLU-AAAA BLR-BBBB",
    }
    assert _read(app, ticked) == CloseConfirmations(
        unidentified=True,
        unfaxed=True,
        on_modality=True,
        over_signed=True,
        unnotified=True,
        blanks=("BLU-AAAA", "BLR-BBBB"),
        # Ticked with no list sent: each covers nothing (see test_incidents_close_lists_seen).
        shown={box: frozenset() for box in ticked if box in LISTING_BOXES},
    )


def test_one_box_ticked_confirms_that_one_alone(app: Flask) -> None:
    assert _read(app, {"confirm_on_modality": "y", "on_modality_shown": "7"}) == (
        CloseConfirmations(on_modality=True, shown={"confirm_on_modality": frozenset({"7"})})
    )


def test_boxes_not_sent_and_unknown_names_confirm_nothing(app: Flask) -> None:
    sent = {"confirm_everything": "y", "confirm_unfaxed_too": "y", "over_signed": "y"}
    assert _read(app, sent) == CloseConfirmations()
    assert _read(app, {}) == CloseConfirmations(
        unidentified=False, unfaxed=False, on_modality=False, over_signed=False, unnotified=False
    )


def test_the_listed_blanks_count_only_with_their_box_ticked(app: Flask) -> None:
    assert _read(app, {"blank_codes": "BLU-AAAA"}).blanks == ()
