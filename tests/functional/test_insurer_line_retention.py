"""The claim marker of a line that went to the insurer instead of the patient (R3, R5,
legal-nl.md §6) ends as its upload record and its insurer-claims file do (legal-nl.md §8,
R39, GDPR art. 5(1)(e); audit retention, stop 44: it had no ``expires_at`` and was the
only item left in the table 40 years on, naming its upload and the patient's invoice long
deleted). A retour that makes the line the patient's after all hands the marker to that
invoice: kept while it is open, then with it. On moto: ``expire_items`` is the TTL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import boto3

from billing_core.adapters.dynamo import keys
from billing_core.adapters.dynamo.items import REPORT_RETENTION
from billing_core.declarations.vektis.layouts import PM305_V32
from billing_core.declarations.vektis.parser import parse_vektis
from billing_core.declarations.vektis.writer import Granted, write_retour
from billing_core.shared.clock import AMSTERDAM
from local.seed import DENTAL, PHYSIO
from tests.functional.conftest import TODAY
from tests.functional.test_action_and_insurer_claim_routes import VGZ, insurer_bound_upload
from tests.functional.test_vektis_corrections_and_retour_uploads import _header, _invoice_with

VEKTIS = Path(__file__).resolve().parents[2] / "events" / "declarations" / "vektis"
PHYSIO_FILE = VEKTIS / "fysio-centrum-oost-2026-11.pm304"
SPLINT = "FCO-26-105"  # the VGZ-group material line of the sample: to the insurer


def marker(sandbox, provider_id: str, claim_ref: str) -> dict | None:
    table = boto3.resource("dynamodb").Table(sandbox.names.table_name)
    key = keys.claim_key(provider_id, claim_ref)
    return table.get_item(Key=key, ConsistentRead=True).get("Item")


def test_an_insurer_lines_marker_ends_with_its_upload_record_and_its_file(sandbox):
    """legal-nl.md §8, R39: Given an upload whose one line the insurer pays (its marker
    names no invoice) and its upload record
    When the table's TTL runs the day before and the day after 2,922 days from processing
    Then the marker carries its upload record's expiry, is kept on the day before and is
    gone after, as the upload record and the insurer-claims file (2,922 days) are."""
    declaration_id = insurer_bound_upload(sandbox, DENTAL.provider_id, VGZ, "x.csv")
    record = sandbox.runtime.repository.get_declaration(DENTAL.provider_id, declaration_id)
    found = marker(sandbox, DENTAL.provider_id, "R0000001")
    assert found is not None and found["invoice_id"] == ""
    table = boto3.resource("dynamodb").Table(sandbox.names.table_name)
    stored_record = table.get_item(Key=keys.declaration_key(DENTAL.provider_id, declaration_id))
    assert found.get("expires_at") == stored_record["Item"]["expires_at"]
    assert int(found["expires_at"]) == int((record.processed_at + REPORT_RETENTION).timestamp())
    # When the TTL runs the day before the end, then the day after
    last_day = (record.processed_at + REPORT_RETENTION).astimezone(AMSTERDAM).date()
    sandbox.clock.set(last_day - timedelta(days=1))
    sandbox.expire_items()
    assert marker(sandbox, DENTAL.provider_id, "R0000001") is not None
    sandbox.clock.set(last_day + timedelta(days=1))
    sandbox.expire_items()
    assert marker(sandbox, DENTAL.provider_id, "R0000001") is None
    assert sandbox.runtime.repository.get_declaration(DENTAL.provider_id, declaration_id) is None


def test_a_line_the_insurer_refused_is_kept_with_the_patients_open_invoice(sandbox):
    """legal-nl.md §6, §8, R3: Given the physiotherapy PM304 whose splint went to VGZ (its
    marker ends with the upload record)
    When VGZ's retour refuses the splint, so it is the patient's invoice after all, still
    open
    Then the marker names that invoice and has no expiry: it is kept as long as the open
    invoice it protects (R3), not 2,922 days from the upload."""
    sandbox.upload_declaration(PHYSIO.provider_id, "nov.pm304", PHYSIO_FILE.read_bytes())
    assert "expires_at" in marker(sandbox, PHYSIO.provider_id, SPLINT)
    parsed = parse_vektis(PHYSIO_FILE.read_bytes(), today=TODAY, provider_agbs={PHYSIO.agb_code})
    splint = [claim for claim in parsed.claims if claim.claim_ref == SPLINT]
    header = replace(_header(PHYSIO.agb_code, "FCO-2026-11"), uzovi="7095")
    data = write_retour(PM305_V32, header, splint, {SPLINT: Granted(0, ("8072",))})
    sandbox.upload_retour(PHYSIO.provider_id, "VGZ retour nov.pm305", data)
    material = _invoice_with(sandbox, PHYSIO.provider_id, SPLINT)
    found = marker(sandbox, PHYSIO.provider_id, SPLINT)
    assert found is not None and found["invoice_id"] == material.invoice_id
    assert "expires_at" not in found
    # Forty years on, while the invoice is open, the marker is still there
    sandbox.clock.set(datetime.combine(date(2066, 11, 23), time(9), AMSTERDAM).date())
    sandbox.expire_items()
    assert marker(sandbox, PHYSIO.provider_id, SPLINT) is not None
