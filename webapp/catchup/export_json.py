"""The reconciliation batch as JSON, the shape documented in docs/batch-schema.json."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Any

from .batch import CaseExport
from .json_stream import iter_document

SCHEMA_ID = "reservrutin-batch/1"


def iter_json(
    cases: Iterable[CaseExport],
    *,
    incident: dict[str, Any],
    generated_at: str,
    since: str | None,
) -> Iterator[str]:
    """The batch document as text, one case at a time: UTF-8 friendly, keys in a stable order."""
    head = {
        "schema": SCHEMA_ID,
        "incident": dict(incident),
        "generated_at": generated_at,
        "since": since,
    }
    # No sort_keys: dataclass order reads naturally (patient before referral before exam) and is
    # already stable; sorting would scatter related fields for the person reading the file.
    yield from iter_document(head, "cases", (asdict(case) for case in cases), indent=2)
    yield "\n"


def to_json(
    cases: Iterable[CaseExport], *, incident: dict[str, Any], generated_at: str, since: str | None
) -> str:
    """The whole batch document as one string."""
    return "".join(iter_json(cases, incident=incident, generated_at=generated_at, since=since))
