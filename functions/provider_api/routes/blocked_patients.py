"""The practice's blocked patients and the changes to them (R22, seed 002 advice 7)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.openapi.params import Query

from billing_core import bootstrap
from billing_core.collection.block_files import block_changes_csv, blocked_patients_csv
from billing_core.entrypoints.http.caller import caller
from billing_core.entrypoints.http.provider_models import BlockChangeListOut, BlockedPatientListOut
from billing_core.entrypoints.http.routing import ResourceRouter, csv_download, json_or_csv
from billing_core.providers.users import Role
from billing_core.services.provider import blocked_patients
from billing_core.services.provider.blocked_patients import STAMP_BEFORE_WRITE

router = ResourceRouter("Blocked patients", role=Role.VIEWER)
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


@router.get(
    "/api/v1/provider/blocked-patients/changes",
    summary="Blocks and unblocks since a moment, for your practice software (R22)",
    responses=json_or_csv(
        "Oldest first; CSV columns patient_ref;change;at. The CSV has no next_since: ask"
        f" next time from the moment of this request less {STAMP_BEFORE_WRITE // timedelta(minutes=1)}"
        " minutes (changes may come twice; applying one twice is harmless)",
        BlockChangeListOut,
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
):
    user = caller(router.current_event)
    tenant = user.provider_id
    found = blocked_patients.block_changes_since(
        user, since, bootstrap.current().provider_context()
    )
    if output_format == "csv":
        name = f"blokkade-wijzigingen-{tenant}-{found.since.date().isoformat()}.csv"
        return csv_download(name, block_changes_csv(found.changes))
    return BlockChangeListOut.of(found)
