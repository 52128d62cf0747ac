"""Which media each recipient may get: the routine's default (abroad a disc) and a site's own."""

from __future__ import annotations

from dataclasses import replace

import pytest

from webapp.routines.rules import (
    ReleaseContext,
    ReleaseRequest,
    decide_release,
    media_hint,
    rule_summary,
    summary_values,
)

CTX = ReleaseContext(region="Region Exempel", iep_name="IEP")
EVERY_MEDIUM = ("cd", "dvd", "usb")


def _abroad(**overrides: object) -> ReleaseRequest:
    values: dict[str, object] = {
        "recipient_kind": "abroad",
        "has_exam": True,
        "channel": "media",
        "media_kind": "cd",
        "delivery": "with_patient",
        "report_state": "definitive",
    }
    values.update(overrides)
    return ReleaseRequest(**values)  # type: ignore[arg-type]


def _with(ctx: ReleaseContext, **media: tuple[str, ...]) -> ReleaseContext:
    """ctx with the media of the recipients named replaced, as a site's TOML would."""
    return replace(ctx, media=tuple((k, media.get(k, m)) for k, m in ctx.media))


@pytest.mark.parametrize("medium", ["cd", "dvd"])
def test_a_disc_goes_abroad(medium: str) -> None:
    assert decide_release(_abroad(media_kind=medium), CTX).allowed


def test_usb_abroad_is_refused_beside_the_media_naming_the_media_allowed() -> None:
    [refusal] = decide_release(_abroad(media_kind="usb"), CTX).refusals
    assert (refusal.rule, refusal.field) == ("media_not_allowed", "media_kind")
    assert refusal.text() == (
        "Till patient bosatt utomlands / vård utomlands lämnas bara CD/DVD ut, inte USB."
    )
    assert refusal.advice() == "Bränn en CD/DVD i stället."


def test_usb_to_the_patient_for_private_use_is_still_allowed() -> None:
    req = _abroad(
        recipient_kind="patient",
        media_kind="usb",
        delivery="post",
        findings_positive="no",
        billing_recorded=True,
    )
    assert decide_release(req, CTX).allowed


def test_a_site_that_allows_usb_abroad_lets_it_out() -> None:
    ctx = _with(CTX, abroad=EVERY_MEDIUM)
    assert decide_release(_abroad(media_kind="usb"), ctx).allowed


def test_a_site_that_burns_only_cds_abroad_refuses_a_dvd() -> None:
    [refusal] = decide_release(_abroad(media_kind="dvd"), _with(CTX, abroad=("cd",))).refusals
    assert refusal.text() == (
        "Till patient bosatt utomlands / vård utomlands lämnas bara CD ut, inte DVD."
    )
    assert refusal.advice() == "Bränn en CD i stället."


def test_a_site_that_keeps_usb_from_hospitals_refuses_it_there_only() -> None:
    ctx = _with(CTX, other_region_hospital=("cd", "dvd"))
    hospital = _abroad(
        recipient_kind="other_region_hospital",
        recipient_name="Grannby universitetssjukhus",
        media_kind="usb",
        delivery="with_patient",
        is_urgent_care=True,
    )
    [refusal] = decide_release(hospital, ctx).refusals
    assert refusal.text() == "Till sjukhus utanför regionen lämnas bara CD/DVD ut, inte USB."


def test_a_missing_medium_is_asked_for_naming_the_media_allowed() -> None:
    [refusal] = decide_release(_abroad(media_kind=""), CTX).refusals
    assert (refusal.rule, refusal.text()) == ("media_kind", "Välj media: CD/DVD.")


def test_the_advice_for_abroad_by_the_portal_names_the_sites_media() -> None:
    def advice(ctx: ReleaseContext) -> str:
        refusals = decide_release(_abroad(channel="iep"), ctx).refusals
        return next(r for r in refusals if r.rule == "abroad_media_only").advice()

    assert advice(CTX) == "Bränn en CD/DVD och lämna den till patienten."
    assert advice(_with(CTX, abroad=("cd",))) == "Bränn en CD och lämna den till patienten."


def test_the_routine_in_short_names_the_media_allowed_abroad() -> None:
    def lines(ctx: ReleaseContext) -> list[str]:
        return [line % summary_values(ctx) for line in rule_summary()]

    assert "Till utlandet: bara CD/DVD." in lines(CTX)
    assert "Till utlandet: bara CD/DVD/USB." in lines(_with(CTX, abroad=EVERY_MEDIUM))


def test_the_media_hint_names_the_recipients_with_fewer_media() -> None:
    assert media_hint(CTX) == "Patient bosatt utomlands / vård utomlands: bara CD/DVD."
    both = _with(CTX, proxy=("cd",))
    assert media_hint(both) == (
        "Ombud som hämtar åt patienten: bara CD. "
        "Patient bosatt utomlands / vård utomlands: bara CD/DVD."
    )


def test_no_hint_when_every_recipient_gets_every_medium_offered() -> None:
    assert media_hint(_with(CTX, abroad=EVERY_MEDIUM)) == ""
    # USB offered to no one is not offered at all: discs for all leave nothing to say.
    discs = {k: ("cd", "dvd") for k, m in CTX.media if m}
    ctx = _with(CTX, **discs)
    assert ctx.offered_media() == ("cd", "dvd")
    assert media_hint(ctx) == ""
