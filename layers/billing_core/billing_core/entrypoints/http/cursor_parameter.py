"""The ``cursor`` query parameter of the APIs' paged lists (interfaces.md §2): the
next_cursor of the page before (any page hands out one far shorter than 400), read by
``cursor.after``. One definition for the provider's and the operator's routes, in a module
of its own: only the API routes import it, so the portal, which reads cursors too
(``cursor``), does not load Powertools' OpenAPI parameters."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

Cursor = Annotated[
    str | None,
    Query(alias="cursor", max_length=400, description="next_cursor of the page before"),
]
