"""The reconciliation batch as JSON, the shape documented in docs/batch-schema.json."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from typing import Any

from .batch import CaseExport
from .json_stream import iter_document
from .moved_out import MovedOut
from .moved_out_export import withdrawn_json

SCHEMA_ID = "reservrutin-batch/1"


def iter_json(
    cases: Iterable[CaseExport],
    *,
    incident: dict[str, Any],
    generated_at: str,
    since: str | None,
    withdrawn: Sequence[MovedOut] = (),
) -> Iterator[str]:
    """The batch document as text, one case at a time: UTF-8 friendly, keys in a stable order.

    withdrawn: cases moved out of the incident since an export held them, before the cases so
    whoever opens the file reads them first.
    """
    head: dict[str, Any] = {
        "schema": SCHEMA_ID,
        "incident": dict(incident),
        "generated_at": generated_at,
        "since": since,
    }
    # Only when there are any: a file without them is as it was before the list existed.
    if withdrawn:
        head["withdrawn"] = [withdrawn_json(m) for m in withdrawn]
    # No sort_keys: dataclass order reads naturally (patient before referral before exam) and is
    # already stable; sorting would scatter related fields for the person reading the file.
    yield from iter_document(head, "cases", (asdict(case) for case in cases), indent=2)
    yield "\n"


def to_json(
    cases: Iterable[CaseExport], *, incident: dict[str, Any], generated_at: str, since: str | None
) -> str:
    """The whole batch document as one string."""
    return "".join(iter_json(cases, incident=incident, generated_at=generated_at, since=since))
