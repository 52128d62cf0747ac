"""The site's catalogue: priorities, modalities and exams."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import siteconfig_alike as alike
from . import siteconfig_values as v
from .refusal import Message


@dataclass(frozen=True)
class Priority:
    code: str
    label: str
    rank: int
    # From arrival to a definitive report; a case waiting longer is overdue. 0: no limit.
    max_wait_minutes: int = 0


@dataclass(frozen=True)
class Modality:
    code: str
    name: str
    rooms: tuple[str, ...] = ()
    pregnancy: bool = False
    mr_safety: bool = False


@dataclass(frozen=True)
class Exam:
    code: str
    name: str
    modality: str
    contrast: bool = False
    pregnancy: bool = False
    mr_safety: bool = False
    # A hand, hip or knee: the referral and the documentation name the side (cases/laterality.py).
    sided: bool = False


# The columns a case stores the codes in (case.priority, exam.modality, exam.room ...).
CODE_LENGTH = 30
ROOM_LENGTH = 60
EXAM_CODE_LENGTH = 40
EXAM_NAME_LENGTH = 300

# Longer than any outage; a wait beyond what a date holds made every board and case page fail.
MAX_WAIT_LIMIT = 30 * 24 * 60
# Far more priorities than any site has; the board sorts by rank in SQL, and a rank beyond what
# a database integer holds made it fail on every load.
RANK_LIMIT = 1000


def parse_priorities(raw: dict[str, Any]) -> tuple[Priority, ...]:
    """The [[priorities]] blocks, checked."""
    found = []
    for i, p in enumerate(v.tables(raw, "priorities", "[[priorities]]"), start=1):
        where = v.block_where(p, "code", i, 'prioritet "%(key)s"', "prioritet %(i)s")
        v.known(p, ("code", "label", "rank", "max_wait_minutes"), where)
        max_wait = v.integer(p, "max_wait_minutes", where, default=0)
        if max_wait < 0:
            raise v.ConfigValueError(
                "%(where)s: max_wait_minutes ska vara minuter (0 eller mer), t.ex. 60.", where=where
            )
        if max_wait > MAX_WAIT_LIMIT:
            raise v.ConfigValueError(
                "%(where)s: max_wait_minutes ska vara högst %(limit)s minuter (30 dygn), "
                "t.ex. 360.",
                where=where,
                limit=MAX_WAIT_LIMIT,
            )
        rank = v.integer(p, "rank", where, default=i)
        if abs(rank) > RANK_LIMIT:
            v.rule(
                "%(where)s: rank ska vara mellan -%(limit)s och %(limit)s, t.ex. rank = 1.",
                where=where,
                limit=RANK_LIMIT,
            )
            # A stored configuration still loads (the laptop starts), and its board still sorts.
            rank = max(-RANK_LIMIT, min(rank, RANK_LIMIT))
        found.append(
            Priority(
                v.text(p, "code", where, required=True, max_length=CODE_LENGTH),
                v.text(p, "label", where, required=True),
                rank,
                max_wait,
            )
        )
    v.unique((p.code for p in found), Message("Prioriteten"))
    _codes_told_apart([p.code for p in found], Message("Prioriteten"))
    alike.names_alike(((p.code, p.label) for p in found), Message("Prioriteterna"))
    return tuple(found)


def parse_modalities(raw: dict[str, Any]) -> tuple[Modality, ...]:
    """The [[modalities]] blocks, checked."""
    found = []
    for i, m in enumerate(v.tables(raw, "modalities", "[[modalities]]"), start=1):
        where = v.block_where(m, "code", i, 'modalitet "%(key)s"', "modalitet %(i)s")
        v.known(m, ("code", "name", "rooms", "pregnancy", "mr_safety"), where)
        found.append(
            Modality(
                v.text(m, "code", where, required=True, max_length=CODE_LENGTH),
                v.text(m, "name", where, required=True),
                v.texts(m, "rooms", where, max_length=ROOM_LENGTH),
                v.flag(m, "pregnancy", where),
                v.flag(m, "mr_safety", where),
            )
        )
        alike.rooms_alike(found[-1].rooms, where)
    v.unique((m.code for m in found), Message("Modaliteten"))
    _codes_told_apart([m.code for m in found], Message("Modaliteten"))
    alike.names_alike(((m.code, m.name) for m in found), Message("Modaliteterna"))
    return tuple(found)


def parse_exams(raw: dict[str, Any]) -> tuple[Exam, ...]:
    """The [[exams]] blocks, checked."""
    found = []
    for i, e in enumerate(v.tables(raw, "exams", "[[exams]]"), start=1):
        where = v.block_where(e, "code", i, 'undersökning "%(key)s"', "undersökning %(i)s")
        v.known(
            e, ("code", "name", "modality", "contrast", "pregnancy", "mr_safety", "sided"), where
        )
        found.append(
            Exam(
                v.text(e, "code", where, required=True, max_length=EXAM_CODE_LENGTH),
                v.text(e, "name", where, required=True, max_length=EXAM_NAME_LENGTH),
                v.text(e, "modality", where, required=True),
                v.flag(e, "contrast", where),
                v.flag(e, "pregnancy", where),
                v.flag(e, "mr_safety", where),
                v.flag(e, "sided", where),
            )
        )
    v.unique((e.code for e in found), Message("Undersökningen"))
    _codes_told_apart([e.code for e in found], Message("Undersökningen"))
    alike.exam_names_alike((e.code, e.name, e.modality) for e in found)
    return tuple(found)


def _codes_told_apart(codes: list[str], what: Message) -> None:
    alike.codes_alike(codes, what)
    alike.latin_letters(codes, what)
