"""Page numbers and sizes of the JSON API, bounded: a page far beyond any real list (``page=2**63``) would
overflow the database's OFFSET and answer 500. Out of range, zero, negative or not a number is the usual
validation error (400, ``invalid``, naming the field)."""

# No ``from __future__ import annotations``: django-ninja reads this Input schema's annotations at runtime.
from typing import Any

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 10_000
MAX_PAGE_SIZE = 100


def page_field(default: int = 1) -> Any:
    """A ``page`` query parameter (1 … MAX_PAGE) for a route that pages by hand."""
    return Field(default, ge=1, le=MAX_PAGE, description=f"From 1 to {MAX_PAGE}.")


class BoundedPageNumberPagination(PageNumberPagination):
    """``page`` 1 … 10,000 and ``page_size`` 1 … 100; else 400 before any query runs."""

    class Input(Schema):
        page: int = page_field()
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE, description=f"From 1 to {MAX_PAGE_SIZE}.")

    def __init__(self, *, page_size: int = 50, max_page_size: int = MAX_PAGE_SIZE, **kwargs: Any) -> None:
        super().__init__(
            page_size=min(page_size, MAX_PAGE_SIZE), max_page_size=min(max_page_size, MAX_PAGE_SIZE), **kwargs
        )
