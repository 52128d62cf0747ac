"""What each case held when a batch was exported, kept as a digest for the next 'changed only'.

A case counts as changed when what the batch carries of it differs from what the previous
export of the format held, whatever wrote the change and whatever the clock said: compared by
time, a change made after the laptop's clock was set back (stamped earlier than the export)
would reach no batch of changes, and one of the records the batch carries that leaves the
case's own row as it was would need its own time to compare.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Iterator, Sequence

from .batch import CaseExport


def case_digest(case: CaseExport) -> str:
    """A digest of everything the batch carries of one case."""
    # The document links name the address the export was made from; what they link to (the
    # referral, the exam, the report) is in the rest already. The dataclasses' repr spells
    # out every field, nested ones too, in their declared order: a tenth of the cost of
    # asdict and json.dumps, which doubled the time of an export of 10,000 cases.
    text = repr(dataclasses.replace(case, documents=[]))
    ref = case.referral
    if ref is not None and ref.protocol:
        # Out of the repr: an instruction written since changes the digest, no instruction
        # leaves it as it was before there were instructions (batch.ReferralData).
        text += repr((ref.protocol, ref.protocol_by, ref.protocol_at))
    if ref is not None and (ref.infection or ref.infection_note or ref.mobility):
        # Likewise: infection and mobility answered since change the digest, none leave it.
        text += repr((ref.infection, ref.infection_note, ref.mobility))
    exam = case.exam
    if exam is not None and (
        exam.contrast_batch or exam.contrast_batch_unknown or exam.patient_weight_kg is not None
    ):
        # Likewise: a batch or weight recorded since changes the digest, none leave it.
        text += repr((exam.contrast_batch, exam.contrast_batch_unknown, exam.patient_weight_kg))
    if exam is not None and exam.short_scan_confirmed:
        # Likewise: a short scan confirmed since changes the digest, none leaves it.
        text += repr(("short_scan_confirmed", True))
    report = case.report
    if report is not None and (report.read_on or report.second_look_at):
        # Likewise: where the images were read and their second look, once said, change it.
        text += repr(
            (
                report.read_on,
                report.second_look_at,
                report.second_look_by,
                report.second_look_outcome,
            )
        )
    if case.release_notes:
        # Likewise: a release made, or its note recorded in RIS, changes it; none leave it.
        text += repr(case.release_notes)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


class ChangedCases:
    """The cases an export sends: of those it reads, each one `held` does not hold as it is now
    (all of them when held is None: the whole batch). Digests every case read, sent or not, as
    what the reader of the format has once this file is imported."""

    def __init__(
        self, case_ids: Sequence[int], cases: Iterable[CaseExport], held: dict[str, str] | None
    ) -> None:
        self.case_ids = case_ids
        self.cases = cases
        self.held = held
        self.digests: dict[str, str] = {}
        self.sent: list[int] = []

    def __iter__(self) -> Iterator[CaseExport]:
        for case_id, case in zip(self.case_ids, self.cases, strict=True):
            key = str(case_id)
            digest = self.digests[key] = case_digest(case)
            if self.held is None or self.held.get(key) != digest:
                self.sent.append(case_id)
                yield case
