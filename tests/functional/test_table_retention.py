"""Nothing in the billing table outlives the files and records it belongs to (legal-nl.md
§8: kept 7 years after the end of the year, then deleted; R39; round 38 audit RET1-RET3),
and a listed record whose file the bucket's rule deleted answers in words, not 502 (R24,
R35). On moto: the sandbox deletes what the table's TTL would (``expire_items``); moto
runs no lifecycle rules, so a test deletes the files as the rule does."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from html import unescape

import boto3
import pytest

from billing_core.adapters.dynamo import keys
from billing_core.adapters.dynamo.items import STATEMENT_RETENTION
from billing_core.invoices.access import BirthDate
from billing_core.invoices.invoice import Channel
from billing_core.payments.online import start_payment
from billing_core.providers.week import Week
from billing_core.services.operator.migrations import (
    BLOCK_RECORD_EXPIRY,
    SETTINGS_VERSION_EXPIRY,
    STORED_ITEM_EXPIRY,
)
from billing_core.shared.clock import AMSTERDAM
from local.generate import declaration_csv
from local.migrate import (
    block_and_unblock_before_expiry,
    run,
    store_blocks_as_before_their_expiry,
    store_items_as_before_their_expiry,
    store_settings_versions_as_before_their_expiry,
)
from local.sandbox import Caller
from local.seed import DENTAL, PHYSIO
from tests.functional.conftest import lines_of_patient
from tests.functional.test_blocked_patients import agency_file, due_on, hand_over
from tests.functional.test_provider_portal import PortalUser, sample_login
from tests.functional.test_refunds import operator, paid_twice
from tests.unit.camt_builder import credit, statement

PROVIDER = DENTAL.provider_id
WEEK_48 = Week(2026, 48)
PATIENT_IBAN = "NL39RABO0300065264"  # in no practice's settings: only the batch holds it


def refund_body(invoice) -> dict[str, object]:
    account = {"iban": PATIENT_IBAN, "account_holder": "A. Visser"}
    return {"refunds": [{"reference": invoice.reference, **account}]}


def table(sandbox):
    return boto3.resource("dynamodb").Table(sandbox.names.table_name)


def stored_item(sandbox, key: dict) -> dict | None:
    return table(sandbox).get_item(Key=key, ConsistentRead=True).get("Item")


def end_of(day: date) -> int:
    """The TTL at the end of ``day`` in the Netherlands (epoch seconds)."""
    return int(datetime.combine(day + timedelta(days=1), time(0), AMSTERDAM).timestamp())


def keys_of(found: list[dict]) -> list[dict]:
    return [{"pk": item["pk"], "sk": item["sk"]} for item in found]


def delete_files(sandbox, prefix: str) -> None:
    """What the output bucket's lifecycle rule does after 2,922 days (template.yaml)."""
    s3 = boto3.client("s3")
    for key in sandbox.output_keys(prefix):
        s3.delete_object(Bucket=sandbox.names.output_bucket, Key=key)


# --- RET1: payout and refund batches ----------------------------------------------------------


def test_a_sent_refund_batch_is_deleted_at_the_end_of_the_seventh_year_after(sandbox):
    """legal-nl.md §8, R39, GDPR art. 5: Given a refund batch (the patient's name, IBAN and
    the invoice's kenmerk) sent on 23 November 2026, its pain.001 written that day
    When the table's TTL runs on 1 January 2034
    Then the batch is gone, at the end of 2033 (before its file's 2,922 days), and no item
    in the table holds the patient's IBAN any more."""
    invoice = paid_twice(sandbox)
    _, batch = operator(sandbox, "POST", "/api/v1/operator/refunds", body=refund_body(invoice))
    status, sent = operator(
        sandbox, "POST", f"/api/v1/operator/refunds/{batch['batch_id']}/approve"
    )
    assert status == 200 and sent["state"] == "sent" and sent["file_key"]
    key = keys.transfer_batch_key("refund", batch["batch_id"])
    item = stored_item(sandbox, key)
    assert PATIENT_IBAN in item["document"]
    assert item["expires_at"] == end_of(date(2033, 12, 31))
    sent_at = datetime.fromisoformat(sent["steps"][-1]["at"])
    assert item["expires_at"] <= int((sent_at + timedelta(days=2922)).timestamp())
    # When the TTL runs on the first day of 2034
    sandbox.clock.set(date(2034, 1, 1))
    sandbox.expire_items()
    # Then the batch is gone and nothing holds the patient's account
    assert stored_item(sandbox, key) is None
    everything = table(sandbox).scan()["Items"]
    assert not [i for i in everything if PATIENT_IBAN in json.dumps(i, default=str)]


def test_a_refund_batch_not_yet_sent_is_kept(sandbox):
    """§8: only what is done expires. Given a refund batch proposed, not approved
    Then its item has no expiry (the credit is still to be paid back)."""
    invoice = paid_twice(sandbox)
    _, batch = operator(sandbox, "POST", "/api/v1/operator/refunds", body=refund_body(invoice))
    item = stored_item(sandbox, keys.transfer_batch_key("refund", batch["batch_id"]))
    assert "expires_at" not in item


def test_a_sent_payout_batch_is_kept_as_long_as_its_weeks_statement(sandbox, paid_week):
    """§8, R24: Given week 48's payout batch sent on Monday 30 November 2026
    Then it expires at the later of the end of 2033 (the fiscal rule) and the end of the
    week's statement (week end + 2,922 days, 30 November 2034): while the statement is
    there, proposing the week again finds this batch and pays nothing twice; and before
    its pain.001 (written on 30 November 2026, kept 2,922 days)."""
    sandbox.run_retrocession()
    status, sent = operator(sandbox, "POST", "/api/v1/operator/payouts/PO-2026-W48/approve")
    assert status == 200 and sent["state"] == "sent"
    item = stored_item(sandbox, keys.transfer_batch_key("payout", "PO-2026-W48"))
    statement = stored_item(sandbox, keys.retrocession_key(PROVIDER, WEEK_48.label))
    assert item["expires_at"] == statement["expires_at"] > end_of(date(2033, 12, 31))
    sent_at = datetime.fromisoformat(sent["steps"][-1]["at"])
    assert item["expires_at"] <= int((sent_at + timedelta(days=2922)).timestamp())


# --- RET2: the week's statement ---------------------------------------------------------------


def test_a_weeks_statement_expires_with_its_files(sandbox, paid_week):
    """§8 ("retrocession statements are kept 7 years after the end of the year"), R39:
    Given week 48's statements written on 30 November 2026
    Then the week's item expires with its files (week end + 2,922 days) and not later,
    and once the TTL ran the week is no longer listed."""
    sandbox.run_retrocession()
    item = stored_item(sandbox, keys.retrocession_key(PROVIDER, WEEK_48.label))
    assert item["expires_at"] == int((WEEK_48.ends_at + STATEMENT_RETENTION).timestamp())
    assert item["expires_at"] <= int((sandbox.clock.now() + timedelta(days=2922)).timestamp())
    # When the TTL runs after that day
    sandbox.clock.set(date(2034, 12, 1))
    sandbox.expire_items()
    status, listed = sandbox.api("GET", "/api/v1/provider/retrocessions", provider_id=PROVIDER)
    assert status == 200 and listed["items"] == []


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("nl", "Dit weekoverzicht wordt niet meer bewaard: weekoverzichten worden 7 jaar"),
        ("en", "This statement is no longer kept: statements are kept 7 years"),
    ],
)
def test_a_listed_week_whose_file_is_deleted_says_it_is_no_longer_kept(
    sandbox, paid_week, language, said
):
    """§8, R24, R35: Given week 48's statement still listed (its item not yet removed by
    the TTL, or stored before it had one) and its files deleted by the bucket's rule
    When the practice downloads it through the API and the portal
    Then both answer 404 saying it is no longer kept, in Dutch and English; the function
    does not fail (was NoSuchKey: 502 and a function-error alarm)."""
    sandbox.run_retrocession()
    delete_files(sandbox, f"retrocession/{PROVIDER}/")
    path = f"/api/v1/provider/retrocessions/{WEEK_48.label}"
    for output_format in ("json", "csv"):
        status, answer = sandbox.api(
            "GET", path, provider_id=PROVIDER, query={"format": output_format}
        )
        assert (status, answer["error"]["code"]) == (404, "statement_no_longer_kept")
        dutch, english = answer["error"]["message"].split(" / ")
        assert dutch.startswith(said) or english.startswith(said)
    viewer = PortalUser(sandbox)
    viewer.sign_in(sample_login(DENTAL, "viewer"))
    viewer.request("GET", f"/portal/taal/{language}")
    status, html = viewer.page(f"/portal/uitbetalingen/{WEEK_48.label}")
    assert status == 404 and said in unescape(html)


# --- RET3: an upload's processing report ------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("nl", "Het verwerkingsverslag van deze upload wordt niet meer bewaard"),
        ("en", "This upload's processing report is no longer kept"),
    ],
)
def test_an_upload_whose_report_is_deleted_answers_its_record_saying_so(sandbox, language, said):
    """§8 (reports: 2,922 days, README), R1, R35: Given a processed upload whose report the
    bucket's rule deleted, its record still listed
    When the practice opens it through the API and the portal
    Then 200 with the upload's record (status, outcome, summary), no findings, and
    report_no_longer_kept; the page says the report is no longer kept, not "no findings"
    (was NoSuchKey: 502)."""
    declaration_id = sandbox.upload_declaration(PROVIDER, "week-48.csv", declaration_csv(4))
    status, kept = sandbox.api(
        "GET", f"/api/v1/provider/declarations/{declaration_id}", provider_id=PROVIDER
    )
    assert status == 200 and kept["report_no_longer_kept"] is False
    delete_files(sandbox, f"reports/{PROVIDER}/")
    # When the practice opens it
    status, answer = sandbox.api(
        "GET", f"/api/v1/provider/declarations/{declaration_id}", provider_id=PROVIDER
    )
    assert status == 200 and answer["report_no_longer_kept"] is True
    assert (answer["status"], answer["summary"]) == (kept["status"], kept["summary"])
    assert (answer["findings"], answer["finding_counts"], answer["retour_codes"]) == ([], {}, [])
    viewer = PortalUser(sandbox)
    viewer.sign_in(sample_login(DENTAL, "viewer"))
    viewer.request("GET", f"/portal/taal/{language}")
    status, html = viewer.page(f"/portal/declaraties/{declaration_id}")
    assert status == 200 and said in unescape(html)
    assert 'id="report-no-longer-kept"' in html


def test_an_upload_record_expires_with_its_report(sandbox):
    """§8 names no period for an upload record: it holds no patient data (the file's name,
    counts, its report's key; the raw file with its BSNs goes after 90 days), so it is kept
    as long as its processing report (reports/, 2,922 days from the day it was written:
    README) and never longer, so the detail never names a report long gone (R35); known
    since stop 32: it never expired.
    Given an upload processed on 23 November 2026, and an upload URL asked and never used
    Then the processed record expires 2,922 days after its report was written, the unused
    one 2,922 days after it was asked for; once the TTL ran, neither is listed."""
    declaration_id = sandbox.upload_declaration(PROVIDER, "week-48.csv", declaration_csv(4))
    status, unused = sandbox.api(
        "POST", "/api/v1/provider/declarations", provider_id=PROVIDER, body={"file_name": "a.csv"}
    )
    assert status == 201
    processed = stored_item(sandbox, keys.declaration_key(PROVIDER, declaration_id))
    asked = stored_item(sandbox, keys.declaration_key(PROVIDER, unused["declaration_id"]))
    report_written = datetime.fromisoformat(processed["processed_at"])
    assert processed["expires_at"] == int((report_written + timedelta(days=2922)).timestamp())
    created = datetime.fromisoformat(asked["created_at"])
    assert asked["expires_at"] == int((created + timedelta(days=2922)).timestamp())
    # When the TTL runs after that day
    sandbox.clock.set(date(2034, 11, 25))
    sandbox.expire_items()
    status, listed = sandbox.api("GET", "/api/v1/provider/declarations", provider_id=PROVIDER)
    assert status == 200 and listed["items"] == []


# --- stored before round 38: the migration ---------------------------------------------------


def test_items_stored_before_their_expiry_get_it_from_the_migration_once(sandbox, paid_week):
    """legal-nl.md §8, R39 (known stop 38: "stored before this deploy"): Given week 48's
    statement item, its payout batch sent, a refund batch sent (the patient's name and
    IBAN) and the practice's upload records, all stored as before round 38: no expiry
    When an operator runs statement-upload-batch-expiry over every practice, twice
    Then each item is exactly what today's save wrote (its expiry, nothing else changed);
    the second run writes nothing and finds everything present."""
    sandbox.run_retrocession()
    assert operator(sandbox, "POST", "/api/v1/operator/payouts/PO-2026-W48/approve")[0] == 200
    invoice = paid_twice(sandbox)
    _, batch = operator(sandbox, "POST", "/api/v1/operator/refunds", body=refund_body(invoice))
    assert (
        operator(sandbox, "POST", f"/api/v1/operator/refunds/{batch['batch_id']}/approve")[0] == 200
    )
    as_saved = store_items_as_before_their_expiry(sandbox.runtime.repository)
    sort_keys = {str(i["sk"]).split("#")[0] for i in as_saved}
    assert sort_keys == {"DECLARATION", "RETROCESSION", "PO-2026-W48", batch["batch_id"]}
    assert all("expires_at" in i for i in as_saved)
    assert not any("expires_at" in stored_item(sandbox, i) for i in keys_of(as_saved))
    # When the migration runs twice
    first = run(sandbox, STORED_ITEM_EXPIRY, "", "retention2-first")
    second = run(sandbox, STORED_ITEM_EXPIRY, "", "retention2-second")
    # Then every item is as today's save wrote it
    assert [stored_item(sandbox, key) for key in keys_of(as_saved)] == as_saved
    items = sum(1 for i in as_saved if not str(i["pk"]).startswith("TRANSFERBATCH#"))
    assert first["summary"] == {
        "invoices_total": items,
        "invoices_done": items,
        "item_expiries_written": items,
        "item_expiries_present": 0,
        "batch_expiries_written": 2,
        "batch_expiries_present": 0,
        "open_batches_skipped": 0,
    }
    assert second["summary"] == first["summary"] | {
        "item_expiries_written": 0,
        "item_expiries_present": items,
        "batch_expiries_written": 0,
        "batch_expiries_present": 2,
    }


def test_settings_versions_stored_before_their_expiry_get_theirs_from_migration_7(sandbox):
    """legal-nl.md §8, R39 (stop 42: "Retention: settings versions ... expire"; a version
    names who changed the settings and the practice's contact and account before and
    after): Given each practice's settings versions stored as before that deploy, without
    expires_at, except one given an expiry of its own since
    When an operator runs settings-version-expiry over every practice, twice
    Then each version without one has exactly what its save writes (8 years after its own
    change, AUDIT_RETENTION), nothing else of it changed; the one with its own keeps it;
    the second run writes nothing; and 8 years on the TTL removes the versions, not the
    practices' settings."""
    for practice in (DENTAL, PHYSIO):
        sandbox.replace_provider(practice.model_copy(update={"name": f"{practice.name} BV"}))
    sandbox.clock.set(date(2026, 12, 7))
    sandbox.replace_provider(DENTAL.model_copy(update={"name": "Tandarts De Vries"}))
    as_saved = store_settings_versions_as_before_their_expiry(sandbox.runtime.repository)
    assert len(as_saved) == 5 and not any("expires_at" in i for i in as_saved)
    assert not any("expires_at" in stored_item(sandbox, key) for key in keys_of(as_saved))
    own = keys.settings_version_key(PROVIDER, 3)
    own_expiry = 4_000_000_000  # e.g. written by a save with another clock: never overwritten
    table(sandbox).update_item(
        Key=own,
        UpdateExpression="SET expires_at = :e",
        ExpressionAttributeValues={":e": own_expiry},
    )
    # When the migration runs twice
    first = run(sandbox, SETTINGS_VERSION_EXPIRY, "", "settings-expiry-first")
    second = run(sandbox, SETTINGS_VERSION_EXPIRY, "", "settings-expiry-second")
    # Then each version is as stored, with its expiry 8 years (2,922 days) after its change
    for before in as_saved:
        changed = datetime.fromisoformat(str(before["changed_at"]))
        expected = own_expiry if before["sk"] == own["sk"] else changed + timedelta(days=2922)
        if isinstance(expected, datetime):
            expected = int(expected.timestamp())
        assert stored_item(sandbox, keys_of([before])[0]) == before | {"expires_at": expected}
    assert (first["migration"], first["version"], first["complete"]) == (
        SETTINGS_VERSION_EXPIRY,
        7,
        True,
    )
    assert first["summary"] == {
        "invoices_total": 5,
        "invoices_done": 5,
        "settings_expiries_written": 4,
        "settings_expiries_present": 1,
    }
    assert second["summary"] == first["summary"] | {
        "settings_expiries_written": 0,
        "settings_expiries_present": 5,
    }
    # And 8 years on, the TTL removes the versions of 2026, not the settings
    sandbox.clock.set(date(2034, 12, 8))
    sandbox.expire_items()
    remaining = [stored_item(sandbox, key) for key in keys_of(as_saved)]
    assert [i["sk"] for i in remaining if i is not None] == [own["sk"]]
    assert sandbox.runtime.repository.get_provider(PROVIDER) is not None


# --- blocked patients (R22) ------------------------------------------------------------------


def block_items(sandbox) -> list[dict]:
    found = table(sandbox).scan()["Items"]
    return [i for i in found if i.get("entity") in {"patient_block", "block_change"}]


def handed_over_then_paid_through_the_agency(sandbox):
    """Two patients handed over on 28 January 2027; the agency reports the first one's
    claim paid on 15 February (unblocked), the second stays blocked."""
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(4))
    invoices, _ = sandbox.runtime.repository.list_invoices(PROVIDER)
    first_two = sorted(invoices, key=lambda i: i.patient_ref)[:2]
    paid, kept = (hand_over(sandbox, i) for i in first_two)
    sandbox.clock.set(datetime(2027, 2, 15, 7, 30, tzinfo=AMSTERDAM))
    paid_on = date(2027, 2, 12)
    row = (paid.reference, "CMIB-2027-000123", "paid", due_on(paid, paid_on), paid_on)
    sandbox.upload_collection_report(agency_file(row), "agency-2027-02-15.csv")
    return paid, kept


def test_r39_a_patients_block_and_its_changes_are_not_kept_for_ever(sandbox):
    """legal-nl.md §8, R39, R29 (audit retention54: a block change (the patient's number,
    blocked or unblocked at the agency, when) and an unblocked patient's block had no
    expiry: 40 years on they were still there, long after the claims they were about).
    Given a patient blocked on 28 January 2027 and unblocked on 15 February when the agency
    reported the claim paid, and another patient still blocked
    When I read the table, and when its TTL has run 8 years and a day after each change
    Then each change and the unblocked block expire 8 years (2,922 days) after their
    change, as the audit of reads; the block of the patient still blocked has none and
    stays listed, while its change of 28 January 2027 is gone with the years."""
    paid, kept = handed_over_then_paid_through_the_agency(sandbox)
    # Then every change and the unblocked block carry 8 years from their moment
    by_patient = {}
    for item in block_items(sandbox):
        moment = item.get("at") or item["changed_at"]
        by_patient.setdefault(item["patient_ref"], []).append(
            (item["entity"], item.get("change"), item.get("expires_at"), moment)
        )
    eight_years = timedelta(days=2922)
    blocked_at = datetime(2027, 1, 28, 6, 0, tzinfo=AMSTERDAM)
    unblocked_at = datetime(2027, 2, 15, 7, 30, tzinfo=AMSTERDAM)
    blocked_until = int((blocked_at + eight_years).timestamp())
    unblocked_until = int((unblocked_at + eight_years).timestamp())
    assert sorted(by_patient[paid.patient_ref], key=str) == sorted(
        [
            ("block_change", "blocked", blocked_until, blocked_at.isoformat()),
            ("block_change", "unblocked", unblocked_until, unblocked_at.isoformat()),
            ("patient_block", None, unblocked_until, unblocked_at.isoformat()),
        ],
        key=str,
    )
    assert sorted(by_patient[kept.patient_ref], key=str) == [
        ("block_change", "blocked", blocked_until, blocked_at.isoformat()),
        ("patient_block", None, None, blocked_at.isoformat()),
    ]
    # When the TTL has run 8 years and a day after the unblock
    sandbox.clock.set(date(2035, 2, 16))
    sandbox.expire_items()
    # Then only the block of the patient still blocked is left, and it is still listed
    left = [(i["entity"], i["patient_ref"]) for i in block_items(sandbox)]
    assert left == [("patient_block", kept.patient_ref)]
    blocked = sandbox.runtime.repository.blocked_patients(PROVIDER)
    assert [b.patient_ref for b in blocked] == [kept.patient_ref]


# --- a letter's kept PDF ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("nl", "Deze brief wordt niet meer bewaard"),
        ("en", "This letter is no longer kept"),
    ],
)
def test_a_letter_whose_kept_pdf_is_deleted_says_it_is_no_longer_kept(sandbox, language, said):
    """§8 (letters are kept with their invoice, then deleted), R30, R35: Given a paper
    invoice posted in the day's print batch, its PDF deleted (the bucket's backstop rule,
    or its invoice removed while the page was open)
    When the practice opens the letter from the invoice page
    Then 404 saying the letter is no longer kept, in Dutch and English, and no read is
    recorded; the function does not fail (was NoSuchKey: 502 and a function error)."""
    # Of the 40 lines only PAT000005's, the first patient on paper (no e-mail address)
    week = lines_of_patient(declaration_csv(40), "PAT000005")
    sandbox.upload_declaration(PROVIDER, "week-48.csv", week)
    sandbox.drain_deliveries()
    invoices, _ = sandbox.runtime.repository.list_invoices(PROVIDER, limit=100)
    (posted,) = [i for i in invoices if i.channel is Channel.PAPER]
    link = f"/portal/notas/{posted.invoice_id}/brieven/0"
    viewer = PortalUser(sandbox)
    viewer.sign_in(sample_login(DENTAL, "viewer"))
    viewer.request("GET", f"/portal/taal/{language}")
    assert viewer.request("GET", link)[0] == 200
    delete_files(sandbox, f"print/{sandbox.clock.today().isoformat()}/{PROVIDER}/")
    # When the practice opens it again
    status, html = viewer.page(link)
    # Then 404 in words, and only the first opening is a read
    assert status == 404 and said in unescape(html)
    reads, _ = sandbox.runtime.audit_log.reads(
        PROVIDER,
        sandbox.clock.now() - timedelta(hours=1),
        sandbox.clock.now() + timedelta(hours=1),
        limit=100,
    )
    letter_read = f"{posted.invoice_id}:0:invoice patient:{posted.patient_ref}"  # access52b
    assert [r.subject for r in reads if r.kind == "letter"] == [letter_read]


# --- stop 42 (audit ops): every kind of item ends, or is kept only while it is used ----------

# What may stay in the table for ever, and why: the practice's current settings and its AGB
# code's marker (while it is our customer), counters, the list of every batch (ids only),
# an invoice still open with its kenmerk's and lines' markers (§8 counts from settlement).
KEPT_WHILE_IN_USE = {"SETTINGS", "AGB", "SEQUENCE", "VERSION"}
KEPT_WHILE_OPEN = {"invoice", "reference", "claim"}


def test_r39_nothing_of_a_settled_invoice_or_a_settings_change_outlives_its_term(sandbox):
    """legal-nl.md §8, R39 ("data kept only as long as legal-nl.md §8 says"), R29 (audit
    ops, stop 42: a settings version (who changed what: a user's id, the practice's
    contact and account before and after), the PSP checkout of an iDEAL payment and the
    link of a bank credit to its kenmerk had no expiry: 40 years on they were still there,
    naming invoices long deleted).
    Given an invoice paid by bank transfer, one paid by iDEAL, and a settings change by
    the practice's admin
    When the table's TTL has run 40 years later
    Then nothing is left but what is kept while it is in use: no settings version, no
    checkout, no bank credit link, and no item of a settled invoice."""
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(3))
    invoices, _ = sandbox.runtime.repository.list_invoices(PROVIDER)
    by_bank, by_ideal = sorted(invoices, key=lambda i: i.invoice_id)[:2]
    transfer = credit(by_bank.amount_due_cents, scor=by_bank.reference, tx_id="TX-42")
    sandbox.upload_bank_statement(statement(transfer, statement_id="S42"), "2026-11-24.xml")
    checkout = start_payment(
        by_ideal.reference,
        BirthDate(by_ideal.birth_date),
        sandbox.runtime.online_payment_context(),
    )
    sandbox.complete_psp_payment(checkout.psp_payment_id, "paid")
    admin = Caller.practice(PROVIDER, "admin", "admin-42")
    _, own = sandbox.api("GET", "/api/v1/provider/settings", caller=admin)
    body = {"version": own["version"], "contact": {"phone": "+31 30 765 4321"}}
    assert sandbox.api("PATCH", "/api/v1/provider/settings", caller=admin, body=body)[0] == 200
    # When the TTL has run 40 years later
    sandbox.clock.set(date(2066, 11, 24))
    sandbox.expire_items()
    # Then only what is in use is left
    left = table(sandbox).scan()["Items"]
    outlived = [
        {"pk": item["pk"], "sk": item["sk"], "entity": item.get("entity")}
        for item in left
        if str(item["sk"]) not in KEPT_WHILE_IN_USE
        and not (item.get("entity") in KEPT_WHILE_OPEN and "expires_at" not in item)
    ]
    assert outlived == []
    settled = {by_bank.invoice_id, by_ideal.invoice_id}
    assert not [item for item in left if item.get("invoice_id") in settled]


def test_r39_the_key_kept_for_a_checkout_is_gone_a_day_later(sandbox):
    """legal-nl.md §8, R39, R38: Given a patient who started an iDEAL payment
    When I read the table
    Then the PSP key kept for the next click (kenmerk, amount, ledger length) expires a
    day after it was kept: it is used 15 minutes, and names the kenmerk no longer."""
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(1))
    [invoice], _ = sandbox.runtime.repository.list_invoices(PROVIDER)
    context = sandbox.runtime.online_payment_context()
    start_payment(invoice.reference, BirthDate(invoice.birth_date), context)
    [kept] = [i for i in table(sandbox).scan()["Items"] if i.get("entity") == "psp_checkout_key"]
    day = int((sandbox.clock.now() + timedelta(days=1)).timestamp())
    assert kept["expires_at"] == day and str(kept["key"]).startswith(f"zn-{invoice.reference}-")


def block_records(sandbox) -> list[dict]:
    """Every practice's block changes and blocks as stored, by key."""
    prefixes = (keys.BLOCK_CHANGE_PREFIX, keys.PATIENT_BLOCK_PREFIX)
    found = table(sandbox).scan(ConsistentRead=True)["Items"]
    return sorted(
        (i for i in found if i["sk"].startswith(prefixes)), key=lambda i: (i["pk"], i["sk"])
    )


def test_block_records_stored_before_their_expiry_get_theirs_from_migration_14(sandbox):
    """legal-nl.md §8, R22, R29, R39 (migration version 14; blocksttl54): Given in each
    practice a patient blocked and unblocked and one still blocked, the block changes and
    blocks stored as before retention54, without expires_at
    When an operator runs block-record-expiry over every practice, twice
    Then each change and unblocked block has exactly the expiry its save writes (8 years
    after the change), nothing else of it changed; the block that still blocks has none;
    the second run writes nothing."""
    with pytest.MonkeyPatch.context() as patch:  # the items as their save writes them
        patch.setattr("local.migrate.store_blocks_as_before_their_expiry", lambda _: None)
        block_and_unblock_before_expiry(sandbox)
    as_saved = block_records(sandbox)
    store_blocks_as_before_their_expiry(sandbox.runtime.repository)
    assert not any("expires_at" in item for item in block_records(sandbox))
    # When the migration runs twice
    first = run(sandbox, BLOCK_RECORD_EXPIRY, "", "block-expiry-first")
    second = run(sandbox, BLOCK_RECORD_EXPIRY, "", "block-expiry-second")
    # Then each item is as its save wrote it: 8 dated, the 2 blocks that block without one
    assert block_records(sandbox) == as_saved
    assert [i["sk"] for i in as_saved if "expires_at" not in i] == ["PATIENTBLOCK#P-NOW"] * 2
    assert (first["migration"], first["version"], first["complete"]) == (
        BLOCK_RECORD_EXPIRY,
        14,
        True,
    )
    assert first["summary"] == {
        "invoices_total": 8,
        "invoices_done": 8,
        "block_expiries_written": 8,
        "block_expiries_present": 0,
        "blocks_still_blocking": 2,
        "blocks_changed_meanwhile": 0,
    }
    assert second["summary"] == first["summary"] | {
        "block_expiries_written": 0,
        "block_expiries_present": 8,
    }
