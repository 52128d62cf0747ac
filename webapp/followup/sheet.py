"""The follow-up as printforms data: plain Swedish strings, cases by their code only."""

from __future__ import annotations

from datetime import datetime

from printforms import data as pd
from printforms import data_office as po

from ..codes import incident_payload_prefix
from ..durations import duration_text
from ..models import Incident
from ..siteconfig import SiteConfig
from ..web import local_time_marked as shown_time
from .figures import BackOn, CaseFigures, Count, SetAside
from .measure import Spread
from .modality import LeftOnModality
from .notices import CancelNotices
from .report import CleanUp, FollowUp, ReleaseNoteLeft, RisRemoval
from .timeline import Tick
from .urgent_sheet import urgent_table

NONE_SHOWN = "–"


def _n(value: int | None) -> str:
    return NONE_SHOWN if value is None else str(value)


def _codes(codes: tuple[str, ...]) -> str:
    return ", ".join(codes) if codes else "Inga"


def _counts(title: str, head: str, counts: tuple[Count, ...]) -> po.FollowUpTable:
    return po.FollowUpTable(
        title, ((head, 3.0), ("Antal", 1.0)), tuple((c.label, str(c.count)) for c in counts)
    )


def _set_aside(title: str, cases: tuple[SetAside, ...], waived: bool) -> po.FollowUpTable:
    columns = [("Ärende", 1.0), ("Av", 2.0), ("Tid", 1.5)]
    columns.append(("Bekräftat av (fyra ögon)", 2.0) if waived else ("Till remittenten", 2.0))
    rows = []
    for c in cases:
        row = [c.code, c.by, shown_time(c.at)]
        if waived:
            row.append("Väntar på bekräftelse" if c.is_pending else c.confirmed_by or NONE_SHOWN)
        else:
            row.append(_told(c))
        rows.append(tuple(row))
    return po.FollowUpTable(title, tuple(columns), tuple(rows))


def _told(c: SetAside) -> str:
    """What a cancelled case's referrer was told; the why of "not needed" stays in the case."""
    if c.notice == "faxed":
        return f"Faxat {shown_time(c.notice_at)}".strip()
    if c.notice == "not_needed":
        return "Behövs inte"
    return "Inte meddelad"


def _reviewer_told(cases: tuple[SetAside, ...]) -> list[po.FollowUpTable]:
    """The cancelled cases whose referral the external reviewer held: told, by whom, when."""
    rows = tuple(
        (c.code, shown_time(c.reviewer_told_at), c.reviewer_told_by)
        if c.reviewer_told_at
        else (c.code, "Inte meddelad", NONE_SHOWN)
        for c in cases
        if c.reviewer_told_at or c.reviewer_untold
    )
    if not rows:
        return []
    return [
        po.FollowUpTable(
            "Extern granskare meddelad om makulering",
            (("Ärende", 1.0), ("Meddelad", 2.0), ("Av", 2.0)),
            rows,
        )
    ]


def _back_on(cases: tuple[BackOn, ...]) -> list[po.FollowUpTable]:
    """The cases restored after the external reviewer was told of their cancellation."""
    if not cases:
        return []
    rows = tuple(
        (c.code, shown_time(c.told_at), c.told_by)
        if c.told_at
        else (c.code, "Inte meddelad", NONE_SHOWN)
        for c in cases
    )
    return [
        po.FollowUpTable(
            "Makulering ångrad: extern granskare meddelad att undersökningen görs ändå",
            (("Ärende", 1.0), ("Meddelad", 2.0), ("Av", 2.0)),
            rows,
        )
    ]


def _notices(n: CancelNotices) -> po.FollowUpTable:
    return po.FollowUpTable(
        "Besked om makulering till remittenten",
        (("Uppgift", 3.0), ("Värde", 2.0)),
        (
            ("Makulerade ärenden", str(n.cancelled)),
            ("Besked faxat", str(n.faxed)),
            ("Besked behövs inte", str(n.not_needed)),
            ("Inte meddelade", _codes(n.untold)),
            ("Ångrade efter besked", str(n.restored_told)),
            ("Inte ringda om ångrad makulering", _codes(n.uncalled)),
        ),
    )


def _clean_up(cases: tuple[CleanUp, ...]) -> po.FollowUpTable:
    rows = []
    for c in cases:
        in_pacs = (c.temp_id or "Id saknas") if c.images_sent else "Inga bilder"
        done = f"{c.cleaned_by}, {shown_time(c.cleaned_at)}" if c.cleaned_at else "Inte städat"
        rows.append((c.code, c.accession or NONE_SHOWN, in_pacs, done))
    return po.FollowUpTable(
        "Att städa upp i RIS/PACS (makulerade ärenden)",
        (
            ("Ärende", 1.0),
            ("Accessionsnummer", 1.5),
            ("Tillfälligt id i PACS", 1.6),
            ("Städat", 2.0),
        ),
        tuple(rows),
    )


def _ris_removal(answers: tuple[RisRemoval, ...]) -> po.FollowUpTable:
    return po.FollowUpTable(
        "Granskarsvar att ta bort ur RIS (registrerade på fel ärende)",
        (("Ärende", 1.0), ("Svar", 2.0), ("Ångrat", 1.5), ("Borttaget ur RIS", 2.5)),
        tuple(
            (
                r.code,
                _answer(r),
                shown_time(r.undone_at),
                f"{r.removed_by}, {shown_time(r.removed_at)}" if r.removed_at else "Inte borttaget",
            )
            for r in answers
        ),
    )


def _answer(r: RisRemoval) -> str:
    """Which of the case's answers: its number and when it was received."""
    if not r.answer_number:
        return NONE_SHOWN
    return f"Svar {r.answer_number}, mottaget {shown_time(r.answer_received_at)}".strip()


def _release_notes(notes: tuple[ReleaseNoteLeft, ...]) -> po.FollowUpTable:
    return po.FollowUpTable(
        "Remissanteckningar om utlämnade bilder att föra in i RIS",
        (("Ärende", 1.0), ("Accessionsnummer", 1.5), ("Utlämnat", 1.5), ("Införd i RIS", 2.5)),
        tuple(
            (n.code, n.accession or NONE_SHOWN, shown_time(n.released_at), release_note_state(n))
            for n in notes
        ),
    )


def release_note_state(n: ReleaseNoteLeft) -> str:
    """Whether RIS holds the release's note as it stands, in the sheet's words."""
    if n.recorded_at is not None:
        return f"{n.recorded_by}, {shown_time(n.recorded_at)}"
    return "Ändrad sedan den fördes in i RIS" if n.has_changed else "Inte införd i RIS"


def on_modality_text(f: CaseFigures) -> str:
    """How many cases had images only on the modality, and how many still have."""
    n = len(f.on_modality)
    if not n:
        return "Inga"
    cases = "1 ärende" if n == 1 else f"{n} ärenden"
    return f"{cases}, {f.still_on_modality} inte i PACS än"


def _on_modality(left: tuple[LeftOnModality, ...]) -> po.FollowUpTable:
    rows = []
    for m in left:
        if not m.is_sent:
            sent, stayed = "Inte än", f"minst {duration_text(m.minutes)}"
        else:
            sent, stayed = shown_time(m.sent_at) or "Tid saknas", duration_text(m.minutes)
        rows.append((m.code, shown_time(m.exam_at), sent, stayed))
    return po.FollowUpTable(
        "Bilder som bara fanns på modaliteten",
        (("Ärende", 1.0), ("Undersökt", 1.5), ("I PACS", 1.5), ("Bara på modaliteten", 1.6)),
        tuple(rows),
    )


def _second_look(codes: tuple[str, ...]) -> po.FollowUpTable:
    """Reports read on the modality's screen still to be looked at again in PACS, as the page
    says it (the second look is clinical: it does not hold the close)."""
    n = len(codes)
    cases = "1 ärende" if n == 1 else f"{n} ärenden"
    return po.FollowUpTable(
        "Väntar på eftergranskning i PACS",
        (("Ärenden", 1.0),),
        ((f"{cases}: {', '.join(codes)}",),) if codes else (),
    )


def _spread(s: Spread) -> tuple[str, str]:
    return _n(s.median), _n(s.longest)


def _case_parts(f: CaseFigures) -> list[po.FollowUpTable]:
    waits = tuple(
        (
            w.priority,
            str(w.cases),
            *_spread(w.to_exam),
            *_spread(w.to_report),
            f"{w.limit_minutes}" if w.limit_minutes else "Ingen",
            str(w.past_limit) if w.limit_minutes else NONE_SHOWN,
        )
        for w in f.waits
    )
    fax = f.faxing
    ident = f.identity
    return [
        _counts("Ärenden per prioritet", "Prioritet", f.by_priority),
        _counts("Ärenden per modalitet", "Modalitet", f.by_modality),
        _counts("Ärenden per slutläge", "Läge", f.by_status),
        _set_aside("Makulerade ärenden (orsaken står i ärendet)", f.cancelled, False),
        _notices(f.notices),
        *_reviewer_told(f.cancelled),
        *_back_on(f.back_on),
        _set_aside("Undantagna från efterregistreringen (orsaken står i ärendet)", f.waived, True),
        po.FollowUpTable(
            "Väntetider i minuter från remissens ankomst",
            (
                ("Prioritet", 2.0),
                ("Ärenden", 1.2),
                ("Till us. median", 1.3),
                ("Till us. längst", 1.3),
                ("Till svar median", 1.3),
                ("Till svar längst", 1.3),
                ("Gräns (def. svar)", 1.3),
                ("Över gränsen", 1.2),
            ),
            waits,
        ),
        urgent_table(f.urgent),
        po.FollowUpTable(
            "Faxade svar",
            (("Uppgift", 3.0), ("Värde", 2.0)),
            (
                ("Ärenden med signerat svar", str(fax.signed)),
                ("Ärenden med faxat svar", str(fax.faxed)),
                ("Faxningar", str(fax.dispatches)),
                ("Minuter från signering till fax, median", _n(fax.delay.median)),
                ("Minuter från signering till fax, längst", _n(fax.delay.longest)),
                ("Svar som inte är loggade som faxade", _codes(fax.unfaxed)),
            ),
        ),
        _on_modality(f.on_modality),
        _second_look(f.awaiting_second_look),
        po.FollowUpTable(
            "Identitet",
            (("Uppgift", 3.0), ("Värde", 2.0)),
            (
                ("Rättade identiteter", str(ident.corrections)),
                ("varav från reservnummer", str(ident.from_reserve)),
                ("Ärenden med rättad identitet", _codes(ident.corrected_cases)),
                ("Patienter kvar på reservnummer", _codes(ident.left_on_reserve)),
            ),
        ),
        _counts("Blanketter från pärmen", "Blankett", f.blanks),
        _counts("Efterregistrering: inskrivna ärenden per person", "Inskrivet av", f.keyed_by),
        _counts("Kontroller (fyra ögon) per person", "Kontrollerat av", f.verified_by),
    ]


def _tick_state(tick: Tick) -> str:
    if not tick.is_done:
        return "Ångrad"
    if tick.uncounted is None:
        return "Klar"
    # Paper has no "today": the date always, as every other time on the sheet.
    at = shown_time(tick.uncounted.at)
    if tick.uncounted.by_scenario:
        return f"Klar (före byte av scenario {at}, räknas inte)"
    return f"Klar (före ångrat 'Systemen fungerar igen' {at}, räknas inte)"


def followup_sheet(
    report: FollowUp, incident: Incident, config: SiteConfig, printed_at: datetime
) -> po.FollowUpData:
    """The follow-up sheet's data; a running outage's is marked as provisional."""
    t = report.timeline
    f = report.cases
    facts = (
        ("Driftstopp", report.title),
        *((("Började", shown_time(t.started_at)),) if t.started_at != t.declared_at else ()),
        ("Registrerat", f"{shown_time(t.declared_at)}, {t.declared_by}"),
        ("Systemen fungerar igen", shown_time(t.restored_at) or "Inte markerat"),
        (
            "Avslutat",
            f"{shown_time(t.ended_at)}, {t.ended_by}" if t.ended_at else "Pågår",
        ),
        ("Driftstoppets längd", duration_text(t.outage_minutes)),
        ("Efterregistrering (till avslut)", duration_text(t.catchup_minutes)),
        ("Ärenden", str(f.total)),
        (
            "Kontrollerade (fyra ögon)",
            # As the page: without it, a reader takes "0 av 4" checked for a failure.
            f"{f.verified} av {f.to_key}"
            + ("" if report.four_eyes else ". Enheten kräver inte fyra ögon."),
        ),
        ("Bilder bara på modaliteten", on_modality_text(f)),
        ("Avvikelsenummer", incident.deviation_number or "Inte registrerat"),
    )
    parts = [
        po.FollowUpTable(
            "Förlopp",
            (("Tid", 1.3), ("Händelse", 4.0), ("Av", 1.7)),
            tuple((shown_time(e.at), e.what, e.who) for e in t.events),
        ),
        po.FollowUpTable(
            "Kontakter och uppföljning",
            (("Tid", 1.3), ("Punkt", 2.6), ("Läge", 1.4), ("Av", 1.7)),
            tuple((shown_time(k.at), k.label, _tick_state(k), k.who) for k in t.ticks),
        ),
        po.FollowUpTable(
            "Kontakter och uppföljning som inte är gjorda",
            (("Punkt", 1.0),),
            tuple((label,) for label in t.unmade),
        ),
        *_case_parts(f),
        _clean_up(report.clean_up),
        _ris_removal(report.ris_removal),
        _release_notes(report.release_notes),
        po.FollowUpTable(
            "Utkast som kom in efter avslutet",
            (("Tid", 1.3), ("Formulär", 2.0), ("Ärende", 1.0), ("Av", 1.7)),
            tuple(
                (shown_time(d.at), d.kind, d.code or NONE_SHOWN, d.who) for d in report.late_drafts
            ),
        ),
        po.FollowUpTable(
            "Exporter",
            (("Tid", 1.3), ("Format", 1.0), ("Ärenden", 1.0), ("Slutlig", 1.0), ("Av", 1.7)),
            tuple(
                (
                    shown_time(e.at),
                    e.format.upper(),
                    str(e.cases),
                    "Ja" if e.is_final else "Nej",
                    e.who,
                )
                for e in report.exports
            ),
        ),
    ]
    return po.FollowUpData(
        incident_label=f"Driftstopp {incident.id}",
        qr_payload=incident_payload_prefix(incident.id, stamp=incident.list_stamp) + pd.PAGE_FIELD,
        title=report.title,
        facts=facts,
        sections=tuple(parts),
        department=config.department or config.name,
        is_drill=report.is_drill,
        provisional_as_of=shown_time(report.as_of) if report.is_provisional else "",
        printed_at=shown_time(printed_at),
    )
