"""Case codes and QR/barcode payloads for Reservrutin.

Case codes
    Five random characters plus one check character from ALPHABET (31 symbols, no 0/O, 1/I/L
    look-alikes), shown as ``XXX-XXX``, e.g. ``K7M-2Q2``. The check character is chosen so that
    ``sum(WEIGHTS[i] * value(code[i])) % 31 == 0`` over all six characters. Because 31 is prime and
    the six weights are distinct and non-zero modulo 31, every single-character substitution and
    every transposition of two different characters (adjacent or not) changes the sum.

QR payloads (at most 32 characters, upper case, ``:`` as separator)
    Case document:  ``RR1:<code without dash>:<DOC>:<version>``  e.g. ``RR1:K7M2Q2:REM:1``
    Incident list:  ``RR1:I<incident id>-<stamp>:LST:<page>``     e.g. ``RR1:I42-K7Q3:LST:3``
    Transfer label: ``RR1:T<transfer id>-<stamp><check>:OVF:<version>``  ``RR1:T42-K7Q3U:OVF:1``
    Ward referral:  ``RR1:W<site stamp>:AVR:<version>``          e.g. ``RR1:W7K3QM:AVR:1``
    Disc label:     ``RR1:<code>:ETK<U|T><record id>:<version>``  e.g. ``RR1:K7M2Q2:ETKU12:3``

    A disc label names the release (``U``) or transfer (``T``) its disc is of, so two discs of
    one case are two sheets (see ``disc_label_codes``); a label printed before that carries
    ``ETK`` alone and still parses, naming no record.

    The ward referral form is no case's: one form of a site, copied and used many times, its
    site named by a stamp of the site's code (see ``ward_codes``).

    A transfer with no case has a reference instead of a case code, ``T42-K7Q3U``: its id, a
    stamp (of its site, id and creation time, see ``transfer_refs``) and a check character
    (``transfer_codes``; the alphabet and arithmetic all of them share are ``code_alphabet``).
    After ``T`` and the id it always has five characters, so it is never six characters long
    as a case code is, typed or scanned: neither is ever read as the other.

    DOC is one of DOC_TYPES; version, incident id and page are positive integers. Every downtime
    laptop numbers its incidents from 1, so the id alone would open this laptop's incident for a
    list printed on another one: the stamp (STAMP_LENGTH random characters of ALPHABET, drawn
    when the incident is declared and stored with it, see ``generate_incident_stamp``) tells
    them apart. Lists printed before the stamp existed carry ``I<incident id>`` only; they still
    parse, with ``incident_stamp`` None, and the scan station asks for a check by eye.

Scanning
    USB barcode scanners act as keyboards and type the payload followed by CR/LF. A scanner set to
    US layout attached to a PC with Swedish layout sends the key for ``:`` (shift + the US ``;``
    key), which the Swedish layout turns into ``Ö``; other mismatches give ``;``. ``parse_scan``
    therefore accepts ``:``, ``;``, ``Ö`` and ``ö`` as separators, ignores case and surrounding
    whitespace, and also accepts a bare case code typed by hand. Text without any separator is
    treated as a bare case code. The case code inside a payload is check-verified as well, so a
    damaged scan raises CodeError rather than silently opening another case. The same scanner
    types the stamp's ``-`` (and a transfer reference's) with the key that the Swedish layout
    reads as ``+``, so ``+`` is accepted there too.

Typed and pasted codes
    Text pasted from a document, a chat or a web page may carry characters that show as nothing
    (zero-width space, joiner and non-joiner, word joiner, BOM, soft hyphen, direction marks: the
    format characters, text_lines.without_format_chars, as a personnummer drops them): they are
    dropped wherever a code or payload is read. Between the code's two halves ``_``, ``.`` and
    ``/`` are read as its dash. None of them is a payload separator, nor a scanner's misreading
    of one (``:`` comes as ``;``, ``Ö`` or ``ö``, the stamp's ``-`` as ``+``), and only the single
    character between the halves of an otherwise six-character code is taken for a dash: a
    payload, however its separators came out, is never read as a bare code.
"""

from __future__ import annotations

import re
import secrets
from random import Random

from .code_alphabet import (
    ALPHABET,
    ASCII_UPPER,
    BASE,
    BODY_LENGTH,
    CODE_LENGTH,
    MAX_PAYLOAD_LENGTH,
    MSG_BAD_VERSION,
    PAYLOAD_PREFIX,
    STAMP_LENGTH,
    TO_HYPHEN,
    VALUE,
    WEIGHTS,
    CodeError,
    ScanResult,
    checked_stamp,
    compact_code,
    limit_payload,
    parse_positive,
    require_positive,
)
from .disc_label_codes import DISC_LABEL_DOC, disc_label_record, disc_label_reference
from .text_lines import without_format_chars
from .transfer_codes import (
    TRANSFER_DOC,
    make_transfer_payload,
    make_transfer_reference,
    transfer_scan,
)
from .ward_codes import WARD_REFERRAL_DOC, ward_referral_payload, ward_referral_scan

__all__ = [
    "ALPHABET",
    "DOC_TYPES",
    "MAX_PAYLOAD_LENGTH",
    "CodeError",
    "ScanResult",
    "canonical_scan",
    "case_code_problem",
    "check_character",
    "generate_case_code",
    "generate_incident_stamp",
    "incident_payload_prefix",
    "make_case_payload",
    "make_disc_label_payload",
    "make_incident_payload",
    "make_transfer_payload",
    "make_transfer_reference",
    "parse_case_code",
    "parse_scan",
    "typed_label_reading",
]

INCIDENT_DOC = "LST"
DOC_TYPES: dict[str, str] = {
    "REM": "Remiss",
    "DOK": "Undersökningsdokumentation",
    "UTL": "Utlåtande",
    "BAK": "Försättsblad för röd back",
    "ARE": "Anonymiserad remiss",
    "AUT": "Anonymiserat utlåtande",
    "MAK": "Besked till remittenten: undersökningen utförs inte",
    "BLR": "Blankett i pärm: remiss",
    "BLD": "Blankett i pärm: dokumentation",
    "BLU": "Blankett i pärm: utlåtande",
    "ETK": "Skivetikett för utlämnade bilder",
}

# The example is a valid code (its check character fits): staff may type it to try the field.
MSG_LENGTH = "Ärendekoden ska ha 6 tecken, t.ex. K7M-2Q2."
# Where the code is typed into a form (the scan station's field also takes the QR code).
MSG_PERSONAL_NUMBER = (
    "Det här är ett personnummer. Skriv ärendekoden som står på papperet (t.ex. K7M-2Q2)."
)
MSG_CHECK = "Kontrolltecknet stämmer inte – koden är felskriven. Kontrollera koden på papperet."
# %(ch)s and %(doc)s are filled in quoted (repr), so an invisible character is still seen.
MSG_LOOKALIKE = (
    "Tecknet %(ch)s finns inte i ärendekoder (koderna använder inte 0, O, 1, I eller L)."
)
MSG_BAD_CHAR = "Tecknet %(ch)s finns inte i ärendekoder."
MSG_UNKNOWN_PAYLOAD = "Koden känns inte igen som en Reservrutin-kod. Skanna igen eller skriv koden."
MSG_UNKNOWN_DOC = "Okänd dokumenttyp %(doc)s i koden."
MSG_BAD_INCIDENT_ID = "Incident-id måste vara ett positivt heltal."
MSG_BAD_PAGE = "Sidnumret måste vara ett positivt heltal."

_LOOKALIKES = frozenset("0O1IL")
_PERSONAL_NUMBER_RE = re.compile(r"([0-9]{6}|[0-9]{8})[-+]?[0-9]{4}")
_SEPARATOR_RE = re.compile("[:;Ö]")
# The incident target: "I", the id, then optionally "-" (or "+", see Scanning) and the stamp.
# A disc label's line under its QR without its space: the case code, then U or T and an id.
_TYPED_LABEL_RE = re.compile(r"([A-Z0-9]{6})([UT][1-9][0-9]*)")
_INCIDENT_TARGET_RE = re.compile(r"I([^-+]*)(?:[-+](.*))?", re.DOTALL)


def check_character(body5: str) -> str:
    """Return the check character for a five-character code body."""
    if len(body5) != BODY_LENGTH:
        raise CodeError(MSG_LENGTH)
    _refuse_unknown_characters(body5)
    total = sum(w * VALUE[ch] for w, ch in zip(WEIGHTS[:BODY_LENGTH], body5, strict=True))
    # The check weight is -1, so the check value equals the weighted body sum.
    return ALPHABET[total % BASE]


def generate_case_code(rng: Random | secrets.SystemRandom | None = None) -> str:
    """Return a new random case code in display form (XXX-XXX)."""
    chooser = rng if rng is not None else secrets.SystemRandom()
    body = "".join(chooser.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return _display(body + check_character(body))


def parse_case_code(text: str) -> str:
    """Parse a typed case code and return its canonical display form (XXX-XXX)."""
    compact = compact_code(text)
    if len(compact) != CODE_LENGTH:
        raise CodeError(MSG_LENGTH)
    _refuse_unknown_characters(compact)
    if check_character(compact[:BODY_LENGTH]) != compact[BODY_LENGTH]:
        raise CodeError(MSG_CHECK)
    return _display(compact)


def looks_like_personal_number(text: str) -> bool:
    """Whether text typed for a case code has a personnummer's form (checked or not).

    The red tray's sheets and faxes show the patient's number beside the case code: typed by
    mistake, it is named as what it is rather than as a case code of the wrong length.
    """
    typed = "".join(without_format_chars(text).split()).translate(TO_HYPHEN)
    return _PERSONAL_NUMBER_RE.fullmatch(typed) is not None


def case_code_problem(text: str) -> CodeError | None:
    """Why text written as a case code is none; None if it is one, or is no attempt at one.

    For fields that take a case code or other text (a personnummer, a reserve number): only six
    characters of the code's alphabet or its look-alikes, with or without the dash, are taken
    for a code, so a misspelt code is named as one rather than as nothing found.
    """
    compact = compact_code(text)
    if len(compact) != CODE_LENGTH or any(
        ch not in VALUE and ch not in _LOOKALIKES for ch in compact
    ):
        return None
    try:
        parse_case_code(compact)
    except CodeError as exc:
        return exc
    return None


def make_case_payload(code: str, doc: str, version: int) -> str:
    """Return the QR payload for a case document."""
    compact = parse_case_code(code).replace("-", "")
    doc_upper = doc.strip().upper()
    if doc_upper not in DOC_TYPES:
        raise CodeError(MSG_UNKNOWN_DOC, doc=repr(doc))
    require_positive(version, MSG_BAD_VERSION)
    return limit_payload(f"{PAYLOAD_PREFIX}:{compact}:{doc_upper}:{version}")


def make_disc_label_payload(code: str, version: int, *, record: str, record_id: int) -> str:
    """Return the QR payload of the label of a release's or a transfer's disc (record
    "release" or "transfer", record_id its id)."""
    compact = parse_case_code(code).replace("-", "")
    require_positive(version, MSG_BAD_VERSION)
    reference = disc_label_reference(record, record_id)
    return limit_payload(f"{PAYLOAD_PREFIX}:{compact}:{DISC_LABEL_DOC}{reference}:{version}")


def generate_incident_stamp(rng: Random | secrets.SystemRandom | None = None) -> str:
    """Return a new random stamp for an incident's lists."""
    chooser = rng if rng is not None else secrets.SystemRandom()
    return "".join(chooser.choice(ALPHABET) for _ in range(STAMP_LENGTH))


def make_incident_payload(incident_id: int, page: int, *, stamp: str | None) -> str:
    """Return the QR payload for a page of an incident's patient list.

    `stamp` is the incident's (``Incident.list_stamp``); None only to spell a list printed before
    lists carried one.
    """
    require_positive(page, MSG_BAD_PAGE)
    return limit_payload(f"{incident_payload_prefix(incident_id, stamp=stamp)}{page}")


def incident_payload_prefix(incident_id: int, *, stamp: str | None) -> str:
    """The QR payload of an incident list's pages up to the page number (which ends it)."""
    require_positive(incident_id, MSG_BAD_INCIDENT_ID)
    target = f"I{incident_id}" if stamp is None else f"I{incident_id}-{checked_stamp(stamp)}"
    return f"{PAYLOAD_PREFIX}:{target}:{INCIDENT_DOC}:"


def parse_scan(text: str) -> ScanResult:
    """Parse a scanned QR payload, or a case code or transfer reference typed by hand."""
    cleaned = without_format_chars(text).strip().translate(ASCII_UPPER)
    if not _SEPARATOR_RE.search(cleaned):
        try:
            transfer = transfer_scan(cleaned, None)
        except CodeError:
            # A label's line of a code that begins with T and digits ("T23-ABD U5") has a
            # reference's form too: read as the label when its code's check holds.
            typed_label = _label_or_none(cleaned)
            if typed_label is None:
                raise
            return typed_label
        if transfer is not None:
            return transfer
        typed_label = _typed_disc_label(cleaned)
        if typed_label is not None:
            return typed_label
        code = parse_case_code(cleaned)
        return ScanResult(kind="case", case_code=code, incident_id=None, doc=None, version=None)
    if len(cleaned) > MAX_PAYLOAD_LENGTH:
        raise CodeError(MSG_UNKNOWN_PAYLOAD)
    parts = _SEPARATOR_RE.split(cleaned)
    if len(parts) != 4 or parts[0] != PAYLOAD_PREFIX:
        raise CodeError(MSG_UNKNOWN_PAYLOAD)
    _, target, doc, number = parts
    if doc == INCIDENT_DOC:
        match = _INCIDENT_TARGET_RE.fullmatch(target)
        if match is None:
            raise CodeError(MSG_UNKNOWN_PAYLOAD)
        incident_id, stamp = match.groups()
        return ScanResult(
            kind="incident",
            case_code=None,
            incident_id=parse_positive(incident_id, MSG_BAD_INCIDENT_ID),
            doc=INCIDENT_DOC,
            version=None,
            page=parse_positive(number, MSG_BAD_PAGE),
            incident_stamp=None if stamp is None else checked_stamp(stamp),
        )
    if doc == TRANSFER_DOC:
        # The reference's "-" comes as "+" from the same scanner as an incident list's stamp's.
        target = target.replace("+", "-", 1)
        transfer = transfer_scan(target, parse_positive(number, MSG_BAD_VERSION))
        if transfer is None or "-" not in target:
            raise CodeError(MSG_UNKNOWN_PAYLOAD)
        return transfer
    if doc == WARD_REFERRAL_DOC:
        return ward_referral_scan(target, number)
    record = disc_label_record(doc)
    if record is not None:
        doc = DISC_LABEL_DOC
    if doc not in DOC_TYPES:
        raise CodeError(MSG_UNKNOWN_DOC, doc=repr(doc))
    # Payloads are machine-made: a dash or space inside means the scan is not ours.
    if len(target) != CODE_LENGTH:
        raise CodeError(MSG_LENGTH)
    return ScanResult(
        kind="case",
        case_code=parse_case_code(target),
        incident_id=None,
        doc=doc,
        version=parse_positive(number, MSG_BAD_VERSION),
        disc_record=record[0] if record else None,
        disc_record_id=record[1] if record else None,
    )


def _typed_disc_label(text: str) -> ScanResult | None:
    """A disc label's line under its QR typed by hand (``K7M-2Q2 U12``): its case code with the
    record named; None for text of no such form."""
    match = _TYPED_LABEL_RE.fullmatch(compact_code(text))
    if match is None:
        return None
    code, reference = match.groups()
    record = disc_label_record(DISC_LABEL_DOC + reference)
    return ScanResult(
        kind="case",
        case_code=parse_case_code(code),
        incident_id=None,
        doc=None,
        version=None,
        disc_record=record[0] if record else None,
        disc_record_id=record[1] if record else None,
    )


def typed_label_reading(text: str) -> ScanResult | None:
    """What a typed line reads as a disc label's line of a valid code, also when parse_scan
    took it for a transfer reference whose check holds (about one in 31 such lines)."""
    cleaned = without_format_chars(text).strip().translate(ASCII_UPPER)
    return None if _SEPARATOR_RE.search(cleaned) else _label_or_none(cleaned)


def _label_or_none(text: str) -> ScanResult | None:
    """_typed_disc_label, None also for a label of a code whose check fails."""
    try:
        return _typed_disc_label(text)
    except CodeError:
        return None


def canonical_scan(result: ScanResult) -> str:
    """The scanned text in one spelling, so a sheet is recognised however it was read or typed."""
    if result.kind == "transfer":
        transfer_id, stamp = result.transfer_id or 0, result.transfer_stamp or ""
        if result.version is None:
            return make_transfer_reference(transfer_id, stamp)
        return make_transfer_payload(transfer_id, stamp, result.version)
    if result.kind == "ward_referral":
        return ward_referral_payload(result.site_stamp or "", result.version or 0)
    if result.kind == "incident":
        return make_incident_payload(
            result.incident_id or 0, result.page or 0, stamp=result.incident_stamp
        )
    if result.doc is None and result.disc_record is not None and result.disc_record_id:
        # A disc label's line typed by hand, as printed: two discs of one case are two labels,
        # and the bare code would take the second for the first typed again ("Redan öppnad").
        reference = disc_label_reference(result.disc_record, result.disc_record_id)
        return f"{result.case_code or ''} {reference}"
    if result.doc is None or result.version is None:
        return result.case_code or ""
    if result.disc_record is not None and result.disc_record_id is not None:
        return make_disc_label_payload(
            result.case_code or "",
            result.version,
            record=result.disc_record,
            record_id=result.disc_record_id,
        )
    return make_case_payload(result.case_code or "", result.doc, result.version)


def _display(code6: str) -> str:
    return f"{code6[:3]}-{code6[3:]}"


def _refuse_unknown_characters(code: str) -> None:
    bad = next((ch for ch in code if ch not in VALUE), None)
    if bad is not None:
        raise CodeError(MSG_LOOKALIKE if bad in _LOOKALIKES else MSG_BAD_CHAR, ch=repr(bad))
