"""The data migration after the deploy of issues 13 and 16, through the operator API on
moto: invoices stored before have no searchable names and no kenmerk marker, and their
handover actions the old id; after the migration a practice finds them, counts them and
the kenmerk is guarded. Run twice, the second run changes nothing."""

from __future__ import annotations

import json
from dataclasses import replace
from http import HTTPStatus

import pytest

from billing_core.adapters.dynamo import keys
from billing_core.invoices.invoice import Channel
from billing_core.ports import NewInvoice
from local.migrate import old_handover, store_as_before_the_migration
from local.sandbox import Caller
from local.seed import DENTAL, PHYSIO
from tests.contract.samples import plant_invoice_before_names_and_marker
from tests.functional.conftest import declaration_csv
from tests.functional.test_provider_portal import PortalUser, sample_login

MIGRATION = "/api/v1/operator/migrations/invoice-names-kenmerk-markers-handover-ids"


@pytest.fixture
def old_invoices(sandbox):
    """Given the dental practice's invoices as the deploy before stored them: no names, no
    kenmerk markers, and the first one handed over today with the old action id."""
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(6))
    sandbox.drain_deliveries()
    repository = sandbox.runtime.repository
    found, _ = repository.list_invoices(DENTAL.provider_id)
    for invoice in found:
        store_as_before_the_migration(repository, invoice)
    target = next(i for i in found if i.channel is Channel.EMAIL)
    repository.put_action(old_handover(target, sandbox.clock.now()))
    return found, target


def migrate(sandbox, key, body=None):
    answer = sandbox.api_raw(
        "POST",
        MIGRATION,
        body=body or {},
        headers={"Content-Type": "application/json", "Idempotency-Key": key},
        caller=Caller.operator(),
    )
    return answer["statusCode"], answer["body"], answer["headers"]


def found_by_name(sandbox, invoice):
    # R29: a name is searched from the body, never from the URL.
    body = {"name": invoice.patient.last_name.upper(), "limit": 100}
    status, page = sandbox.api(
        "POST",
        "/api/v1/provider/invoices/search",
        provider_id=DENTAL.provider_id,
        body=body,
        headers={"Content-Type": "application/json"},
    )
    assert status == HTTPStatus.OK
    return [item["invoice_id"] for item in page["items"]]


def handed_over_this_week(sandbox):
    viewer = PortalUser(sandbox)
    viewer.sign_in(sample_login(DENTAL, "viewer"))
    _, html = viewer.page("/portal/")
    line = html[html.index('id="handed-over">') :].split("</p>")[0]
    return line.removeprefix('id="handed-over">').split(" ")[0]  # the count


def test_after_the_migration_old_invoices_are_found_counted_and_their_kenmerk_guarded(
    sandbox, old_invoices
):
    invoices, target = old_invoices
    # Given (before): the name search misses the invoice, the overview counts no handover
    assert target.invoice_id not in found_by_name(sandbox, target)
    assert handed_over_this_week(sandbox) == "0"
    # When the operator runs the migration, and then runs it again
    status, first, _ = migrate(sandbox, "migrate-1")
    again_status, again, _ = migrate(sandbox, "migrate-2")
    # Then the first run wrote what was missing, the second found it all done
    assert (status, again_status) == (HTTPStatus.OK, HTTPStatus.OK)
    summary, second = json.loads(first)["summary"], json.loads(again)["summary"]
    done = len(invoices)
    assert summary == {
        "invoices_total": done,
        "invoices_done": done,
        "names_written": done,
        "markers_written": done,
        "handovers_rekeyed": 1,
        "kenmerk_conflicts": 0,
    }
    assert (second["names_written"], second["markers_written"]) == (0, 0)
    assert (second["handovers_rekeyed"], second["invoices_done"]) == (0, done)
    # And the practice finds the invoice by name and counts the handover this week
    assert target.invoice_id in found_by_name(sandbox, target)
    assert handed_over_this_week(sandbox) == "1"
    # And a second invoice with that kenmerk is refused, even of another practice
    twin = replace(target, provider_id=PHYSIO.provider_id, invoice_id="twin-1")
    stored = sandbox.runtime.repository.store_new(PHYSIO.provider_id, "D9", [_new(twin)], [])
    assert stored.reference_taken == ("twin-1",)


def test_a_kenmerk_held_twice_is_reported_and_left_as_it_is(sandbox, old_invoices):
    # Given another practice's old invoice with the kenmerk of one of the dental practice's
    _, target = old_invoices
    twin = replace(target, provider_id=PHYSIO.provider_id, invoice_id="twin-1")
    plant_invoice_before_names_and_marker(sandbox.runtime.repository, twin)
    # When the operator runs the migration for every practice, twice
    first = json.loads(migrate(sandbox, "migrate-1")[1])
    second = json.loads(migrate(sandbox, "migrate-2")[1])
    # Then both runs name the two invoices for the back office: the one the marker names
    # (the first migrated) holds the kenmerk, the other is left without a marker
    assert first["conflicts"] == second["conflicts"] and len(first["conflicts"]) == 1
    [conflict] = first["conflicts"]
    pair = {conflict["invoice_id"], conflict["held_by_invoice_id"]}
    assert pair == {target.invoice_id, "twin-1"} and conflict["reference"] == target.reference
    held = sandbox.runtime.repository._table.get_item(
        Key=keys.reference_marker_key(target.reference)
    )["Item"]
    assert (held["provider_id"], held["invoice_id"]) == (
        conflict["held_by_provider_id"],
        conflict["held_by_invoice_id"],
    )


def test_one_practice_only_a_replayed_key_and_operators_only(sandbox, old_invoices):
    invoices, _ = old_invoices
    # When the operator migrates the dental practice alone, and sends that request again
    body = {"provider_id": DENTAL.provider_id}
    status, first, headers = migrate(sandbox, "dental-1", body)
    _, replayed, replay_headers = migrate(sandbox, "dental-1", body)
    assert status == HTTPStatus.OK and headers["Idempotent-Replayed"] == "false"
    # Then that practice alone, once: the replay is the first answer
    practices = json.loads(first)["practices"]
    assert [p["provider_id"] for p in practices] == [DENTAL.provider_id]
    assert practices[0]["invoices_total"] == practices[0]["invoices_done"] == len(invoices)
    assert replayed == first and replay_headers["Idempotent-Replayed"] == "true"
    # And an unknown practice or migration is not found; a practice's admin is refused
    assert migrate(sandbox, "x-1", {"provider_id": "nobody-here"})[0] == HTTPStatus.NOT_FOUND
    unknown = sandbox.api("POST", f"{MIGRATION}-v9", body={}, caller=Caller.operator())
    assert unknown[0] == HTTPStatus.NOT_FOUND
    admin = Caller.practice(DENTAL.provider_id, "admin")
    assert sandbox.api("POST", MIGRATION, body={}, caller=admin)[0] == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize(
    "path, body, message",
    [
        (
            f"{MIGRATION}-v9",
            {},
            "Er is geen datamigratie met deze naam. / There is no data migration with this name.",
        ),
        (
            MIGRATION,
            {"provider_id": "nobody-here"},
            "Er is geen zorgaanbieder met dit id. / There is no provider with this id.",
        ),
    ],
)
def test_an_unknown_migration_or_practice_is_not_found_in_the_operators_words(
    sandbox, path, body, message
):
    """R34 (fix last37 item 1): Given no migration of the name, or no provider of the id,
    when an operator runs it, then the 404 says which of the two is unknown, in Dutch and
    English, and not the payment checker's "no invoice for this payment reference"."""
    answer = sandbox.api_raw(
        "POST",
        path,
        body=body,
        headers={"Content-Type": "application/json", "Idempotency-Key": "unknown-1"},
        caller=Caller.operator(),
    )
    error = json.loads(answer["body"])["error"]
    assert (answer["statusCode"], error["code"]) == (HTTPStatus.NOT_FOUND, "not_found")
    assert error["message"] == message
    assert "nota" not in error["message"] and "betalingskenmerk" not in error["message"]


def _new(invoice):
    return NewInvoice(invoice, tuple(f"twin-{line.claim_ref}" for line in invoice.lines), ())
