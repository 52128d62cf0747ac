"""A page of a long list, and how many the whole list holds: a list that names patients is
paged, never cut without a word."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class ListPage(Generic[T]):
    """One page of a list, and how many the whole list holds."""

    rows: list[T]
    total: int
    page: int
    size: int

    @property
    def first(self) -> int:
        """The place of the page's first row in the whole list (1-based), 0 when empty."""
        return (self.page - 1) * self.size + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0

    @property
    def has_next(self) -> bool:
        return self.page * self.size < self.total


def bounded_page(page: int, total: int, size: int) -> int:
    """The page to show of a list of total rows, size a page, for a page asked by a link."""
    # Past the end the last page is shown, as a link kept from a longer list would expect;
    # a typed page number never reaches the database's integer.
    return max(1, min(page, (total + size - 1) // size or 1))
