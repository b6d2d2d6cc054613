"""The practice's blocked patients and the changes to them (R22, seed 002 advice 7)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.openapi.params import Query

from billing_core import bootstrap
from billing_core.collection.block_files import block_changes_csv, blocked_patients_csv
from billing_core.entrypoints.http import cursor
from billing_core.entrypoints.http.caller import caller
from billing_core.entrypoints.http.provider_models import BlockChangeListOut, BlockedPatientListOut
from billing_core.entrypoints.http.routing import ResourceRouter, csv_download, json_or_csv
from billing_core.providers.users import Role
from billing_core.services.provider import blocked_patients
from billing_core.services.provider.blocked_patients import (
    API_PAGE,
    STAMP_BEFORE_WRITE,
    BlockChanges,
)
from billing_core.shared.clock import AMSTERDAM

router = ResourceRouter("Blocked patients", role=Role.VIEWER)
_MARGIN_MINUTES = STAMP_BEFORE_WRITE // timedelta(minutes=1)
_CSV_OR_JSON = "json, or csv (; separated, one header row) for import into practice software"


_NEXT_CURSOR_HEADER = {
    "X-Next-Cursor": {
        "description": "With the CSV, when more follow: the JSON's next_cursor",
        "schema": {"type": "string"},
    },
}
_CURSOR = "next_cursor of the page before"


@router.get(
    "/api/v1/provider/blocked-patients",
    summary="Your patients with a claim at the collection agency (R22)",
    responses=json_or_csv(
        "By patient number, a page of at most limit; CSV columns patient_ref;blocked_at, the"
        " JSON's next_cursor in the header X-Next-Cursor. A CSV asked without limit or cursor"
        " holds every blocked patient (as before pages: software that reads the CSV whole"
        " and knows no X-Next-Cursor would take a first page for the list; at 36 B a"
        " patient, 95 B with 64-character patient numbers, it stays below Lambda's 6 MB"
        " answer up to some 170,000 patients, 66,000 with such numbers)",
        BlockedPatientListOut,
        headers=_NEXT_CURSOR_HEADER,
    ),
)
def list_blocked_patients(  # noqa: ANN201 - JSON or CSV: the responses above document both
    output_format: Annotated[
        Literal["json", "csv"], Query(alias="format", description=_CSV_OR_JSON)
    ] = "json",
    limit: Annotated[
        int | None,
        Query(
            ge=1,
            le=API_PAGE,
            description=f"Patients a page holds at most; JSON: {API_PAGE} when not given",
        ),
    ] = None,
    cursor_token: Annotated[
        str | None, Query(alias="cursor", max_length=400, description=_CURSOR)
    ] = None,
):
    user = caller(router.current_event)
    tenant = user.provider_id
    ctx = bootstrap.current().provider_context()
    if output_format == "csv" and limit is None and cursor_token is None:
        blocked = blocked_patients.blocked_patients(user, ctx)
    else:
        after = cursor.after(cursor_token)
        blocked = blocked_patients.blocked_patients_page(user, limit or API_PAGE, after, ctx)
    if output_format == "csv":
        name = f"geblokkeerde-patienten-{tenant}-{blocked.as_of.isoformat()}.csv"
        csv = blocked_patients_csv(blocked.patients)
        return csv_download(name, csv, _next_cursor_header(blocked.next_position))
    return BlockedPatientListOut.of(blocked)


_PAGING_HEADERS = {
    "X-Next-Since": {
        "description": "With the CSV: the JSON's next_since, the moment to ask from next time",
        "schema": {"type": "string", "format": "date-time"},
    },
    **_NEXT_CURSOR_HEADER,
}


@router.get(
    "/api/v1/provider/blocked-patients/changes",
    summary="Blocks and unblocks since a moment, for your practice software (R22)",
    responses=json_or_csv(
        "Oldest first, a page of at most limit; CSV columns patient_ref;change;at, the JSON's"
        " next_since and next_cursor in the headers X-Next-Since and X-Next-Cursor. A CSV"
        " asked without limit or cursor holds every change (as before pages: software that"
        f" asks next time from the moment of its request less {_MARGIN_MINUTES} minutes"
        " misses none)",
        BlockChangeListOut,
        headers=_PAGING_HEADERS,
    ),
)
def list_block_changes(  # noqa: ANN201 - JSON or CSV: the responses above document both
    since: Annotated[
        str,
        Query(
            max_length=40,
            description="ISO 8601 moment, inclusive: 2026-11-25T08:00:00Z, an offset (+01:00: a "
            "+ sent without its %2B arrives as a space and is read as +), or a date (midnight, "
            "Dutch time)",
        ),
    ],
    output_format: Annotated[
        Literal["json", "csv"], Query(alias="format", description=_CSV_OR_JSON)
    ] = "json",
    limit: Annotated[
        int | None,
        Query(
            ge=1,
            le=API_PAGE,
            description=f"Changes a page holds at most; JSON: {API_PAGE} when not given",
        ),
    ] = None,
    cursor_token: Annotated[
        str | None,
        Query(alias="cursor", max_length=400, description=_CURSOR),
    ] = None,
):
    user = caller(router.current_event)
    tenant = user.provider_id
    whole_csv = output_format == "csv" and limit is None and cursor_token is None
    found = blocked_patients.block_changes_since(
        user,
        since,
        bootstrap.current().provider_context(),
        limit=None if whole_csv else limit or API_PAGE,
        after=cursor.after(cursor_token),
    )
    if output_format == "csv":
        name = f"blokkade-wijzigingen-{tenant}-{found.since.date().isoformat()}.csv"
        return csv_download(name, block_changes_csv(found.changes), _paging_headers(found))
    return BlockChangeListOut.of(found)


def _paging_headers(found: BlockChanges) -> dict[str, str]:
    """What the JSON says beside its items, for the CSV, whose rows are only changes."""
    next_since = found.next_since.astimezone(AMSTERDAM).isoformat()
    return {"X-Next-Since": next_since, **_next_cursor_header(found.next_position)}


def _next_cursor_header(position: str | None) -> dict[str, str]:
    """The JSON's next_cursor for a CSV page, whose rows are only its items; none last."""
    return {"X-Next-Cursor": cursor.encode(position)} if position else {}
