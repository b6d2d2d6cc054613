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
    CHANGES_PAGE,
    STAMP_BEFORE_WRITE,
    BlockChanges,
)
from billing_core.shared.clock import AMSTERDAM

router = ResourceRouter("Blocked patients", role=Role.VIEWER)
_MARGIN_MINUTES = STAMP_BEFORE_WRITE // timedelta(minutes=1)
_CSV_OR_JSON = "json, or csv (; separated, one header row) for import into practice software"


@router.get(
    "/api/v1/provider/blocked-patients",
    summary="Your patients with a claim at the collection agency (R22)",
    responses=json_or_csv(
        "Patient numbers and since when; CSV columns patient_ref;blocked_at",
        BlockedPatientListOut,
    ),
)
def list_blocked_patients(  # noqa: ANN201 - JSON or CSV: the responses above document both
    output_format: Annotated[
        Literal["json", "csv"], Query(alias="format", description=_CSV_OR_JSON)
    ] = "json",
):
    user = caller(router.current_event)
    tenant = user.provider_id
    blocked = blocked_patients.blocked_patients(user, bootstrap.current().provider_context())
    if output_format == "csv":
        name = f"geblokkeerde-patienten-{tenant}-{blocked.as_of.isoformat()}.csv"
        return csv_download(name, blocked_patients_csv(blocked.patients))
    return BlockedPatientListOut.of(blocked.patients)


_PAGING_HEADERS = {
    "X-Next-Since": {
        "description": "With the CSV: the JSON's next_since, the moment to ask from next time",
        "schema": {"type": "string", "format": "date-time"},
    },
    "X-Next-Cursor": {
        "description": "With the CSV, when more changes follow: the JSON's next_cursor",
        "schema": {"type": "string"},
    },
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
            le=CHANGES_PAGE,
            description=f"Changes a page holds at most; JSON: {CHANGES_PAGE} when not given",
        ),
    ] = None,
    cursor_token: Annotated[
        str | None,
        Query(alias="cursor", max_length=400, description="next_cursor of the page before"),
    ] = None,
):
    user = caller(router.current_event)
    tenant = user.provider_id
    whole_csv = output_format == "csv" and limit is None and cursor_token is None
    found = blocked_patients.block_changes_since(
        user,
        since,
        bootstrap.current().provider_context(),
        limit=None if whole_csv else limit or CHANGES_PAGE,
        after=cursor.decode(cursor_token) if cursor_token else None,
    )
    if output_format == "csv":
        name = f"blokkade-wijzigingen-{tenant}-{found.since.date().isoformat()}.csv"
        return csv_download(name, block_changes_csv(found.changes), _paging_headers(found))
    return BlockChangeListOut.of(found)


def _paging_headers(found: BlockChanges) -> dict[str, str]:
    """What the JSON says beside its items, for the CSV, whose rows are only changes."""
    headers = {"X-Next-Since": found.next_since.astimezone(AMSTERDAM).isoformat()}
    if found.next_position:
        headers["X-Next-Cursor"] = cursor.encode(found.next_position)
    return headers
