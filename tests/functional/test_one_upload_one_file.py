"""One upload URL, one file; one betalingskenmerk, one invoice (issue 13 item 1, R3, R10).

Each layer on its own, on moto with the declarations bucket versioned as the template has
it: the signed URL refuses a second PUT (412); a second object version forced into S3
around the URL is processed into nothing and reported; a kenmerk another invoice holds
is never written twice, and the upload still ends with a report.
"""

from __future__ import annotations

import json
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import boto3
import requests
from botocore.config import Config

from billing_core.adapters.uploads import S3PresignedUploads
from billing_core.services.provider.declarations import retour_upload_key, upload_key
from billing_core.shared import reference
from local.generate import declaration_csv
from local.seed import DENTAL, PHYSIO
from tests.functional.conftest import SAMPLES
from tests.functional.test_declaration_ingest import _report

PROVIDER = DENTAL.provider_id
PHYSIO_FILE = SAMPLES / "vektis" / "fysio-centrum-oost-2026-11.pm304"
PHYSIO_RETOUR = SAMPLES / "vektis" / "fysio-centrum-oost-2026-11.pm305"


def _references(sandbox, provider_id=PROVIDER):
    invoices, _ = sandbox.runtime.repository.list_invoices(provider_id, limit=100)
    return Counter(invoice.reference for invoice in invoices)


def _actions(sandbox, provider_id=PROVIDER, kind="upload_version_ignored"):
    _, actions = sandbox.api("GET", "/api/v1/provider/actions", provider_id=provider_id)
    return [a for a in actions["items"] if a["kind"] == kind]


def _versions(sandbox, key):
    listed = sandbox.runtime.s3.list_object_versions(
        Bucket=sandbox.names.declarations_bucket, Prefix=key
    )
    return listed.get("Versions", [])


def test_the_signed_url_takes_one_file_and_a_second_put_gets_412(sandbox):
    # Given an upload URL as the provider API hands it out when deployed (SigV4)
    signer = boto3.client("s3", config=Config(signature_version="s3v4"))
    uploads = S3PresignedUploads(signer, sandbox.names.declarations_bucket)
    key = upload_key(PROVIDER, "D-once")
    first, second = declaration_csv(8), declaration_csv(8, seed=48)
    signed = uploads.upload_url(key, 900, size_bytes=len(first))
    # Then the headers it must send are in its signature: S3 refuses a PUT without them
    signed_headers = parse_qs(urlsplit(signed.url).query)["X-Amz-SignedHeaders"][0]
    assert set(signed_headers.split(";")) >= {"if-none-match", "content-length"}
    assert signed.headers == {"If-None-Match": "*", "Content-Length": str(len(first))}
    # When the practice PUTs its file, and then another file of the same size
    answers = [
        requests.put(signed.url, data=body, headers=signed.headers, timeout=10)
        for body in (first, second)
    ]
    # Then S3 took the first only: 412 for the second, one version of the key
    assert [answer.status_code for answer in answers] == [200, 412]
    assert len(_versions(sandbox, key)) == 1


def test_a_second_version_forced_into_s3_makes_no_invoice_and_is_reported(sandbox):
    # Given a declaration of 8 lines, processed and delivered
    declaration_id = sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(8))
    sandbox.drain_deliveries()
    before = _references(sandbox)
    report_before = _report(sandbox, declaration_id)
    # When a larger file is written under the same key around the upload URL (a second
    # object version: before issue 13 it reused the first one's kenmerk block and failed)
    key = upload_key(PROVIDER, declaration_id)
    answer = sandbox.put_upload(key, declaration_csv(30, seed=48))
    sandbox.drain_deliveries()
    # Then no invoice was made, no kenmerk is shared, and the report is the first file's
    assert answer["processed"][0]["outcome"] == "other_version_ignored"
    assert _references(sandbox) == before and max(before.values()) == 1
    assert _report(sandbox, declaration_id) == report_before
    assert len(_versions(sandbox, key)) == 2
    # And the practice sees what happened, once per version
    [action] = _actions(sandbox)
    assert action["state"] == "open" and action["details"]["declaration_id"] == declaration_id
    assert "tweede bestand" in action["details"]["what_to_do"]
    # And the first version's event delivered again is answered as before (R3)
    first = _versions(sandbox, key)[-1]
    again = sandbox.notify_upload(key, first["VersionId"], first["ETag"].strip('"'))
    assert again["processed"][0]["outcome"] == report_before["outcome"]
    assert _references(sandbox) == before and len(_actions(sandbox)) == 1


def test_a_kenmerk_another_invoice_holds_is_not_written_and_the_upload_still_ends(sandbox):
    """The last guard, when everything before it failed: the kenmerk's marker is written
    in its invoice's own transaction on condition that it is new."""
    # Given the kenmerk the next upload's first invoice will get is held by another invoice
    repository = sandbox.runtime.repository
    next_number = repository.reserve_references(0)
    held = reference.for_sequence(next_number, sandbox.runtime.reference_key)
    repository._table.put_item(
        Item={
            "pk": f"REFERENCE#{held}",
            "sk": "REFERENCE",
            "provider_id": PHYSIO.provider_id,
            "invoice_id": "inv-elsewhere",
        }
    )
    # When a declaration is uploaded
    declaration_id = sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(12))
    sandbox.drain_deliveries()
    # Then the invoice with that kenmerk is not written, the others are
    references = _references(sandbox)
    assert held not in references and references and max(references.values()) == 1
    # And the upload is processed, not stuck: its report names the lines left out
    report = _report(sandbox, declaration_id)
    assert (report["status"], report["outcome"]) == ("processed", "partially_accepted")
    refused = [f for f in report["findings"] if f["code"] == "REFERENCE_ALREADY_USED"]
    assert refused and all(reference.grouped(held) in f["message"] for f in refused)
    assert report["summary"]["invoices"] == len(references)


def test_a_second_version_of_a_retour_upload_is_ignored_and_reported(sandbox):
    # Given the physiotherapy practice's invoices and VGZ's retour applied once
    sandbox.upload_declaration(PHYSIO.provider_id, "nov.pm304", PHYSIO_FILE.read_bytes())
    sandbox.drain_deliveries()
    upload_id = sandbox.upload_retour(PHYSIO.provider_id, "vgz.pm305", PHYSIO_RETOUR.read_bytes())
    invoices_before = sandbox.runtime.repository.list_invoices(PHYSIO.provider_id)[0]
    report_key = f"reports/{PHYSIO.provider_id}/retour-{upload_id}.json"
    report_before = json.loads(sandbox.output_object(report_key))
    # When another file is written under the same retour key
    key = retour_upload_key(PHYSIO.provider_id, upload_id)
    answer = sandbox.put_retour(key, PHYSIO_RETOUR.read_bytes() + b"\n")
    # Then nothing changed and the practice is told
    assert answer["processed"][0]["outcome"] == "other_version_ignored"
    assert sandbox.runtime.repository.list_invoices(PHYSIO.provider_id)[0] == invoices_before
    assert json.loads(sandbox.output_object(report_key)) == report_before
    assert len(_actions(sandbox, PHYSIO.provider_id)) == 1
