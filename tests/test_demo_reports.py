"""The demo drill's reports, urgent calls and catch-up: every state a drill should rehearse."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from webapp.demo import MIN_CASES
from webapp.demo_catchup import KEYER, VERIFIER
from webapp.extensions import db
from webapp.models import (
    CATCHUP_STEPS,
    AuditEvent,
    Case,
    CatchupRecord,
    CatchupTick,
    Incident,
    Referral,
    Report,
    ReportSignature,
    ReportTemplate,
    ReviewerLogEntry,
    Site,
    UrgentCall,
)
from webapp.sites import site_config


def _reports(app: Flask) -> list[Report]:
    with app.app_context():
        reports = list(db.session.scalars(select(Report)))
        for r in reports:  # load what the assertions read before the session closes
            _ = (r.case.status, r.signatures, r.addenda)
        return reports


def test_demo_has_a_report_in_every_state(demo: Flask) -> None:
    reports = _reports(demo)
    with demo.app_context():
        called = set(db.session.scalars(select(UrgentCall.case_id)))
    definitive = [r for r in reports if r.state == "definitive"]
    urgent = [r for r in reports if r.is_urgent]
    states = {
        "draft": [r for r in reports if r.state == "draft"],
        "preliminary": [r for r in reports if r.state == "preliminary"],
        "definitive": [r for r in definitive if not r.addenda and not r.received_by_fax],
        "addendum": [r for r in definitive if r.addenda],
        "urgent with call": [r for r in urgent if r.case_id in called],
        "urgent without call": [r for r in urgent if r.case_id not in called],
        "fax": [r for r in reports if r.received_by_fax],
    }
    assert all(states.values()), {k: len(v) for k, v in states.items()}
    assert {r.case.status for r in states["draft"]} == {"exam_done"}
    assert {r.case.status for r in states["preliminary"]} == {"report_preliminary"}
    assert {r.case.status for r in definitive} == {"report_definitive", "keyed_in_ris", "closed"}


def test_demo_signed_reports_carry_their_signatures(demo: Flask) -> None:
    with demo.app_context():
        rows = list(db.session.scalars(select(ReportSignature).order_by(ReportSignature.id)))
    for report in _reports(demo):
        kinds = [s.kind for s in rows if s.report_id == report.id]
        if report.state == "draft":
            assert kinds == []
            assert any(s["text"] for s in report.sections)
        elif report.received_by_fax:
            assert kinds == [report.state]
            assert report.author_id is None and report.author_name.startswith("Extern granskare")
            assert report.signatures[0].user_id is None
        else:
            assert report.state in kinds
            assert all(s.user_id and s.content_hash for s in report.signatures)
        assert kinds.count("addendum") == len(report.addenda)


def test_demo_report_texts_follow_the_template(demo: Flask) -> None:
    with demo.app_context():
        reports = list(db.session.scalars(select(Report).where(Report.template_id.is_not(None))))
        assert reports
        for report in reports:
            template = db.session.get(ReportTemplate, report.template_id)
            assert template is not None
            assert [s["heading"] for s in report.sections] == template.sections
            assert "Bedömning" in template.sections


def test_demo_urgent_calls_follow_the_signature(demo: Flask) -> None:
    with demo.app_context():
        # The external reviewer's verbal answer is a call too, made before any report is here.
        verbal = {
            e.exchange.case_id: e.at
            for e in db.session.scalars(
                select(ReviewerLogEntry).where(ReviewerLogEntry.kind == "verbal_answer")
            )
        }
        calls = list(db.session.scalars(select(UrgentCall)))
        assert calls
        for call in calls:
            case = db.session.get(Case, call.case_id)
            if call.case_id in verbal:
                assert call.called_at == verbal[call.case_id]
                continue
            assert case is not None and case.report is not None and case.report.is_urgent
            assert case.report.definitive_at is not None
            assert call.called_at > case.report.definitive_at
            assert call.called_person == case.referral.referrer_clinician


def test_demo_reviewer_has_a_persons_name(demo: Flask) -> None:
    # The call note already says "extern granskare": a role typed as the name would repeat it.
    with demo.app_context():
        people = [e.person for e in db.session.scalars(select(ReviewerLogEntry))]
        names = [p.split(" → ")[0] for p in people if p]
        assert names
        assert not any("granskare" in n.lower() or "demo" in n.lower() for n in names)


def test_demo_faxed_reports_arrive_after_the_exam(demo: Flask) -> None:
    with demo.app_context():
        faxed = list(db.session.scalars(select(Report).where(Report.received_by_fax.is_(True))))
        assert faxed
        for report in faxed:
            assert report.case.exam.ended_at < report.fax_received_at < datetime.now(UTC)
            assert report.entered_by is not None and report.entered_by.role == "secretary"


def test_demo_radiologist_writes_an_instruction_with_the_priority_change(demo: Flask) -> None:
    with demo.app_context():
        changed = db.session.scalar(
            select(AuditEvent.case_id).where(AuditEvent.action == "priority_change")
        )
        written = db.session.scalars(select(Case).where(Case.protocol != "")).all()
        assert [c.id for c in written] == [changed]
        assert written[0].protocol_by.role == "radiologist"


def test_demo_changes_one_priority(demo: Flask) -> None:
    with demo.app_context():
        changes = list(
            db.session.scalars(select(AuditEvent).where(AuditEvent.action == "priority_change"))
        )
    assert len(changes) == 1


def test_demo_incident_starts_before_every_referral(demo: Flask) -> None:
    with demo.app_context():
        incident = db.session.scalars(select(Incident)).one()
        declared = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "incident_declare")
        ).one()
        arrivals = list(db.session.scalars(select(Referral.arrived_at)))
    assert arrivals and all(incident.started_at < a for a in arrivals)
    assert "startade" in declared.detail


# --- catch-up ---------------------------------------------------------------------------------


def _catchup_states(app: Flask) -> dict[str, list[Case]]:
    """Every case sorted into the catch-up state the secretaries see."""
    with app.app_context():
        cases = list(db.session.scalars(select(Case)))
        done: dict[int, set[str]] = {}
        for tick in db.session.scalars(select(CatchupTick).order_by(CatchupTick.id)):
            steps = done.setdefault(tick.case_id, set())
            (steps.add if tick.is_done else steps.discard)(tick.step)
        states: dict[str, list[Case]] = {k: [] for k in ("not started", "partly", "keyed")}
        states |= {"verified": [], "waived": []}
        for case in cases:
            record, report = case.catchup, case.report
            signed = report is not None and report.state in ("preliminary", "definitive")
            if record is None:
                if signed and case.status != "cancelled" and not done.get(case.id):
                    states["not started"].append(case)
            elif record.waived_at is not None:
                assert case.status == "closed" and record.waive_reason
                states["waived"].append(case)
            elif record.verified_at is not None:
                assert case.status == "closed" and done[case.id] == set(CATCHUP_STEPS)
                states["verified"].append(case)
            elif record.keyed_at is not None:
                assert case.status == "keyed_in_ris" and done[case.id] == set(CATCHUP_STEPS)
                states["keyed"].append(case)
            else:
                assert record.ris_accession and 0 < len(done[case.id]) < len(CATCHUP_STEPS)
                assert case.status in ("report_preliminary", "report_definitive")
                states["partly"].append(case)
        return states


def test_demo_has_a_case_in_every_catchup_state(demo: Flask) -> None:
    states = _catchup_states(demo)
    assert all(states.values()), {k: len(v) for k, v in states.items()}


def test_demo_catchup_verifier_is_not_a_keyer(demo: Flask) -> None:
    with demo.app_context():
        records = list(db.session.scalars(select(CatchupRecord)))
        verified = [r for r in records if r.verified_by is not None]
        assert verified
        for record in verified:
            keyers = set(
                db.session.scalars(
                    select(CatchupTick.user_id).where(CatchupTick.case_id == record.case_id)
                )
            )
            assert keyers and record.verified_by_id not in keyers
            assert record.verified_by.username == VERIFIER
            assert record.keyed_by is not None and record.keyed_by.username == KEYER
            assert record.verified_at is not None and record.keyed_at is not None
            assert record.verified_at >= record.keyed_at


def test_demo_waives_with_a_reason(demo: Flask) -> None:
    with demo.app_context():
        waived = list(
            db.session.scalars(select(CatchupRecord).where(CatchupRecord.waived_at.is_not(None)))
        )
        assert waived
        for record in waived:
            assert record.waive_reason.startswith("Registrerad")
            assert record.waived_by is not None and record.waived_by.role == "secretary"


def test_demo_waivers_are_confirmed_by_a_second_secretary(demo: Flask) -> None:
    """The demo site has four eyes on: no waiver stands on one secretary's word."""
    with demo.app_context():
        waived = db.session.scalars(
            select(CatchupRecord).where(CatchupRecord.waived_at.is_not(None))
        ).all()
        assert waived
        for record in waived:
            assert record.reconciled_at is not None and record.case.status == "closed"
            confirmer = record.waiver_confirmed_by
            assert confirmer is not None and confirmer.role == "secretary"
            assert record.waiver_confirmed_by_id != record.waived_by_id


def _accessions(app: Flask) -> list[str]:
    with app.app_context():
        rows = db.session.execute(
            select(CatchupRecord.ris_accession, CatchupRecord.ris_exam_number)
        ).all()
    assert all(bool(a) == bool(n) for a, n in rows)
    return [a for a, _ in rows if a]


def test_demo_ris_accessions_are_unique_and_realistic(demo: Flask) -> None:
    accessions = _accessions(demo)
    assert accessions and len(set(accessions)) == len(accessions)
    with demo.app_context():
        code = site_config(db.session.scalars(select(Site)).one()).code
    assert all(re.fullmatch(rf"{code}\d{{8}}", a) for a in accessions)


def test_demo_rerun_keeps_accessions_unique(app: Flask, runner: FlaskCliRunner) -> None:
    for _ in range(2):
        result = runner.invoke(args=["demo", "--cases", str(MIN_CASES)])
        assert result.exit_code == 0, result.output
    accessions = _accessions(app)
    assert len(accessions) >= 4 and len(set(accessions)) == len(accessions)


def test_demo_shows_signed_reports_both_faxed_and_not(demo: Flask) -> None:
    from webapp.dispatch_rule import needs_fax_clause
    from webapp.models import ReportDispatch

    with demo.app_context():
        faxed = set(db.session.scalars(select(ReportDispatch.case_id)))
        unfaxed = set(db.session.scalars(select(Case.id).where(needs_fax_clause())))
        numbers = {
            d.fax_number == d_case.referral.reply_fax
            for d in db.session.scalars(select(ReportDispatch))
            for d_case in [db.session.get(Case, d.case_id)]
        }
    assert faxed and unfaxed
    # An addendum signed after the fax: the case is faxed once and needs faxing again.
    assert faxed & unfaxed
    assert numbers == {True}
