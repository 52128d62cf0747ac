"""The release-of-images routine as pure rules: one test per rule, allowed and refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from webapp.routines.handover import Handover, check_handover
from webapp.routines.notes import NoteFacts, referral_note
from webapp.routines.rules import ReleaseContext, ReleaseRequest, channel_labels, decide_release

CTX = ReleaseContext(
    region="Region Exempel",
    archive_name="Regionarkivet (BFR)",
    archive_push_route="teleradiologidestinationen i PACS",
    iep_name="IEP",
    own_region_hospitals=("Lillby lasarett", "Norrby sjukhus"),
    billing_unit="Fakturaenheten",
)


def _patient(**overrides: object) -> ReleaseRequest:
    values: dict[str, object] = {
        "recipient_kind": "patient",
        "has_exam": True,
        "channel": "media",
        "media_kind": "cd",
        "delivery": "pickup",
        "report_state": "definitive",
        "findings_positive": "no",
        "billing_recorded": True,
    }
    values.update(overrides)
    return ReleaseRequest(**values)  # type: ignore[arg-type]


def _hospital(**overrides: object) -> ReleaseRequest:
    values: dict[str, object] = {
        "recipient_kind": "other_region_hospital",
        "has_exam": True,
        "recipient_name": "Grannby universitetssjukhus",
        "channel": "iep",
        "report_state": "definitive",
    }
    values.update(overrides)
    return ReleaseRequest(**values)  # type: ignore[arg-type]


def _rules(req: ReleaseRequest) -> set[str]:
    return {r.rule for r in decide_release(req, CTX).refusals}


def test_definitive_report_is_released() -> None:
    assert decide_release(_patient(), CTX).allowed


@pytest.mark.parametrize("state", ["", "draft", "preliminary"])
def test_release_without_definitive_report_is_refused(state: str) -> None:
    decision = decide_release(_patient(report_state=state), CTX)
    assert not decision.allowed
    refusal = next(r for r in decision.refusals if r.rule == "definitive_report")
    assert "definitivt signerat" in refusal.message
    assert refusal.instead


def test_urgent_care_outside_region_goes_before_the_report_is_definitive() -> None:
    decision = decide_release(_hospital(report_state="draft", is_urgent_care=True), CTX)
    assert decision.allowed


def test_urgent_care_exception_is_for_images_that_follow_the_patient() -> None:
    posted = _hospital(
        report_state="preliminary",
        is_urgent_care=True,
        channel="media",
        media_kind="cd",
        delivery="post",
        recipient_not_on_iep=True,
    )
    refusal = next(r for r in decide_release(posted, CTX).refusals if r.rule == "urgent_care")
    assert refusal.field == "delivery"
    assert decide_release(replace(posted, delivery="with_patient"), CTX).allowed
    # A definitive report may go by post, urgent or not.
    assert decide_release(replace(posted, report_state="definitive"), CTX).allowed


def test_report_is_attached_when_preliminary() -> None:
    decision = decide_release(_hospital(report_state="preliminary", is_urgent_care=True), CTX)
    assert decision.allowed and decision.includes_report


def test_report_is_not_attached_when_unsigned() -> None:
    decision = decide_release(_hospital(report_state="draft", is_urgent_care=True), CTX)
    assert decision.allowed and not decision.includes_report


@pytest.mark.parametrize("channel", ["iep", "media"])
def test_no_iep_or_media_to_a_hospital_in_the_own_region(channel: str) -> None:
    req = ReleaseRequest(
        has_exam=True,
        recipient_kind="own_region_hospital",
        recipient_name="Lillby lasarett",
        channel=channel,
        media_kind="cd",
        report_state="definitive",
    )
    decision = decide_release(req, CTX)
    refusal = next(r for r in decision.refusals if r.rule == "own_region_archive")
    assert "Regionarkivet (BFR)" in refusal.advice()
    assert "välj 'Skicka till Regionarkivet (BFR)'" in refusal.advice()


def test_archive_push_to_own_region_is_allowed_even_unsigned() -> None:
    req = ReleaseRequest(
        has_exam=True,
        recipient_kind="own_region_hospital",
        recipient_name="Lillby lasarett",
        channel="archive_push",
        report_state="draft",
    )
    decision = decide_release(req, CTX)
    assert decision.allowed and not decision.includes_report


def test_a_hospital_listed_in_the_own_region_is_not_outside_it() -> None:
    assert "own_region_archive" in _rules(_hospital(recipient_name="norrby  sjukhus"))


def test_archive_push_outside_the_region_is_refused() -> None:
    assert "archive_own_region_only" in _rules(_hospital(channel="archive_push"))


def test_abroad_on_media_is_allowed() -> None:
    req = ReleaseRequest(
        has_exam=True,
        recipient_kind="abroad",
        channel="media",
        media_kind="cd",
        delivery="with_patient",
        report_state="definitive",
    )
    assert decide_release(req, CTX).allowed


def test_abroad_by_iep_is_refused() -> None:
    req = ReleaseRequest(
        recipient_kind="abroad", channel="iep", has_exam=True, report_state="definitive"
    )
    decision = decide_release(req, CTX)
    refusal = next(r for r in decision.refusals if r.rule == "abroad_media_only")
    assert "CD" in refusal.advice()


def test_positive_findings_with_doctor_clearance_are_released() -> None:
    decision = decide_release(_patient(findings_positive="yes", doctor_cleared_by="Dr Berg"), CTX)
    assert decision.allowed


def test_positive_findings_without_doctor_clearance_are_refused() -> None:
    decision = decide_release(_patient(findings_positive="yes"), CTX)
    refusal = next(r for r in decision.refusals if r.rule == "doctor_clearance")
    assert refusal.field == "doctor_cleared_by"
    assert "läkare" in refusal.message


def test_a_report_marked_with_an_urgent_finding_has_positive_findings() -> None:
    # The form's "no positive findings" cannot outvote the report's own urgent-finding mark.
    decision = decide_release(_patient(has_urgent_finding=True), CTX)
    refusal = next(r for r in decision.refusals if r.rule == "doctor_clearance")
    assert refusal.field == "findings_positive"
    assert "akut fynd" in refusal.message
    refused = decide_release(_patient(has_urgent_finding=True, findings_positive="yes"), CTX)
    assert "doctor_clearance" in {r.rule for r in refused.refusals}
    cleared = _patient(
        has_urgent_finding=True, findings_positive="yes", doctor_cleared_by="Dr Berg"
    )
    assert decide_release(cleared, CTX).allowed


def test_private_use_must_say_whether_findings_are_positive() -> None:
    assert "doctor_clearance" in _rules(_patient(findings_positive=""))


def test_private_use_with_billing_record_is_billable() -> None:
    decision = decide_release(_patient(), CTX)
    assert decision.allowed and decision.is_billable


def test_private_use_without_billing_record_is_refused() -> None:
    decision = decide_release(_patient(billing_recorded=False), CTX)
    refusal = next(r for r in decision.refusals if r.rule == "billing_record")
    assert "Fakturaenheten" in refusal.advice()


def test_hospital_release_is_not_billed() -> None:
    assert not decide_release(_hospital(), CTX).is_billable


def test_pickup_by_the_patient_needs_a_handover() -> None:
    assert decide_release(_patient(), CTX).needs_handover
    assert not decide_release(_patient(channel="iep", delivery=""), CTX).needs_handover


def test_handover_with_patient_id_is_allowed() -> None:
    assert check_handover(Handover("patient", patient_id_checked=True)) == ()


def test_handover_without_patient_id_is_refused() -> None:
    refusals = check_handover(Handover("patient"))
    assert [r.rule for r in refusals] == ["id_check"]


def test_proxy_with_power_of_attorney_and_both_ids_is_allowed() -> None:
    handover = Handover(
        "proxy",
        patient_id_checked=True,
        proxy_name="Eva Ek",
        proxy_id_checked=True,
        power_of_attorney=True,
    )
    assert check_handover(handover) == ()


@pytest.mark.parametrize(
    ("missing", "rule"),
    [
        ("power_of_attorney", "proxy_power_of_attorney"),
        ("proxy_id_checked", "proxy_id_check"),
        ("patient_id_checked", "id_check"),
    ],
)
def test_proxy_without_power_of_attorney_or_both_ids_is_refused(missing: str, rule: str) -> None:
    values = {
        "patient_id_checked": True,
        "proxy_id_checked": True,
        "power_of_attorney": True,
        missing: False,
    }
    refusals = check_handover(Handover("proxy", proxy_name="Eva Ek", **values))
    assert [r.rule for r in refusals] == [rule]


def test_proxy_gets_media_only() -> None:
    req = _patient(recipient_kind="proxy", channel="iep", delivery="")
    assert "proxy_media_only" in _rules(req)


def test_iep_comes_first_for_hospitals_outside_the_region() -> None:
    media = _hospital(channel="media", media_kind="cd", delivery="post")
    assert "iep_first" in _rules(media)
    assert decide_release(
        _hospital(channel="media", media_kind="cd", delivery="post", recipient_not_on_iep=True),
        CTX,
    ).allowed


def test_media_must_be_handed_over_in_a_way_that_fits_the_recipient() -> None:
    assert "delivery" in _rules(_patient(delivery="with_patient", recipient_kind="proxy"))
    assert "delivery" in _rules(_patient(delivery=""))


def test_referral_note_says_what_how_to_whom_and_id_checked() -> None:
    facts = NoteFacts(
        at=datetime(2026, 1, 15, 14, 2),
        recipient_kind="patient",
        recipient_name="",
        channel="media",
        media_kind="cd",
        delivery="pickup",
        includes_report=True,
        report_state="definitive",
        billing_recorded=True,
        handover=Handover("patient", patient_id_checked=True),
        handed_over_at=datetime(2026, 1, 16, 9, 30),
        signed_by="Kim Ström",
    )
    note = referral_note(facts, CTX)
    assert note.startswith("2026-01-15 14:02 Bränt CD med undersökningsbilder och svarsutlåtande")
    assert "definitivt signerat" in note
    assert "till patienten" in note
    assert "Fakturaunderlag skickat till Fakturaenheten" in note
    assert "2026-01-16 09:30 Utlämnat till patienten: giltig ID-handling kontrollerad" in note
    assert note.endswith("/Kim Ström")


def test_referral_note_for_an_archive_push_names_archive_and_route() -> None:
    facts = NoteFacts(
        at=datetime(2026, 1, 15, 3, 0),
        recipient_kind="own_region_hospital",
        recipient_name="Lillby lasarett",
        channel="archive_push",
    )
    note = referral_note(facts, CTX)
    assert "till Regionarkivet (BFR) via teleradiologidestinationen i PACS" in note
    assert "Lillby lasarett" in note


@pytest.mark.parametrize(
    "req",
    [
        _hospital(has_exam=False, report_state="", is_urgent_care=True),
        _hospital(has_exam=False, report_state="", recipient_kind="abroad", channel="media"),
        _hospital(
            has_exam=False,
            recipient_kind="own_region_hospital",
            recipient_name="Lillby lasarett",
            channel="archive_push",
        ),
        _patient(has_exam=False),
    ],
    ids=["urgent_care", "abroad", "archive_push", "patient"],
)
def test_nothing_is_released_without_an_exam(req: ReleaseRequest) -> None:
    assert _rules(req) == {"exam_done"}


def test_refusal_fills_in_the_sites_names_in_swedish() -> None:
    decision = decide_release(_hospital(recipient_kind="abroad", channel="iep"), CTX)
    refusal = next(r for r in decision.refusals if r.rule == "abroad_media_only")
    assert refusal.text() == "Bilder kan inte skickas via IEP till utlandet."


def test_refused_delivery_lists_the_ways_that_fit_in_swedish() -> None:
    decision = decide_release(_patient(recipient_kind="proxy", delivery="post"), CTX)
    refusal = next(r for r in decision.refusals if r.rule == "delivery")
    assert refusal.advice() == "Välj: hämtas i receptionen."


def test_media_to_a_hospital_in_the_own_region_is_refused_for_the_channel_alone() -> None:
    # No way of handing over media fits such a hospital: a delivery refusal would only say
    # "Välj: –." beside the delivery; the channel's refusal says what to do instead.
    req = ReleaseRequest(
        has_exam=True,
        recipient_kind="own_region_hospital",
        recipient_name="Lillby lasarett",
        channel="media",
        media_kind="usb",
        delivery="post",
        report_state="definitive",
    )
    decision = decide_release(req, CTX)
    assert [r.rule for r in decision.refusals] == ["own_region_archive"]


def test_channel_labels_name_the_sites_portal_and_archive() -> None:
    ctx = replace(CTX, iep_name="Bildportalen Nord", archive_name="Arkivet Syd")
    assert channel_labels(ctx) == {
        "iep": "Bildportalen Nord",
        "media": "CD/DVD/USB",
        "archive_push": "Skicka till Arkivet Syd",
    }
