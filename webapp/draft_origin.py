"""Whose text a stored draft holds, when a shared tablet sent it under another login."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g, request
from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from .extensions import db
from .models import Draft, User

_TypedUnder = aliased(User, name="typed_under_user")
_DeliveredBy = aliased(User, name="delivered_by_user")
_ContinuedBy = aliased(User, name="continued_by_user")


@dataclass(frozen=True)
class DraftOrigin:
    """Text typed offline under one login and sent under another: both, as the laptop knows."""

    # The name of the login the tablet says it was typed under; "" when the laptop cannot tell.
    typed_under_name: str
    delivered_by_name: str
    # Who typed on in it after it was begun ("" if no other login did), and whether that was
    # the login it was sent under.
    continued_by_name: str = ""
    is_continued_by_sender: bool = False


def with_origin(stmt: Select[Any]) -> Select[Any]:
    """The query of drafts with the columns origin_of() reads."""
    return (
        stmt.add_columns(
            Draft.delivered_by_id,
            Draft.continued_by_id,
            _TypedUnder.display_name.label("typed_under_name"),
            _DeliveredBy.display_name.label("delivered_by_name"),
            _ContinuedBy.display_name.label("continued_by_name"),
        )
        .outerjoin(_TypedUnder, _TypedUnder.id == Draft.typed_under_id)
        .outerjoin(_DeliveredBy, _DeliveredBy.id == Draft.delivered_by_id)
        .outerjoin(_ContinuedBy, _ContinuedBy.id == Draft.continued_by_id)
    )


def origin_of(row: Any) -> DraftOrigin | None:
    """The origin of a row of a with_origin() query; None for text saved under its own login."""
    if row.delivered_by_id is None:
        return None
    return DraftOrigin(
        row.typed_under_name or "",
        row.delivered_by_name,
        row.continued_by_name or "",
        row.continued_by_id == row.delivered_by_id,
    )


def continued_draft_origin() -> DraftOrigin | None:
    """The origin of the draft a form page was opened to continue (?draft=), if delivered."""
    key = request.args.get("draft", "") if request.method == "GET" else ""
    user = g.get("user")
    if not key or user is None:
        return None
    stmt = with_origin(select(Draft.id)).where(
        Draft.form_key == key, Draft.site_id == user.site_id, Draft.is_done.is_(False)
    )
    row = db.session.execute(stmt).first()
    return origin_of(row) if row is not None else None


def continued_draft_base() -> str:
    """The key and count of the laptop's draft a form page shows (?draft=), as "KEY COUNT".

    The page's autosave names the count its text goes on from, so the laptop tells a save over
    text this page never showed (typed on another tablet since) from one that goes on from it.
    "" when the page continues no draft the laptop holds.
    """
    key = request.args.get("draft", "") if request.method == "GET" else ""
    user = g.get("user")
    if not key or user is None:
        return ""
    count = db.session.scalar(
        select(Draft.client_seq).where(
            Draft.form_key == key, Draft.site_id == user.site_id, Draft.is_done.is_(False)
        )
    )
    return f"{key} {count}" if count is not None else ""
