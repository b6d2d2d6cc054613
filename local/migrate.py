"""`python -m local.migrate [NAME]`: a data migration after a deploy, in the sandbox,
without make.

The sample practices upload a declaration; their items are then turned back into what the
deploy before the migration stored, and an operator runs the migration through the
operator API twice: the first run writes what is missing, the second finds it all done.
The function's progress lines and both answers are printed. ``--provider`` migrates one
practice only.

- ``invoice-names-kenmerk-markers-handover-ids`` (issues 13 and 16, the default): no
  searchable names, no kenmerk markers, a handover action under its old id.
- ``settled-invoice-expiry`` (legal-nl.md §8): the first invoice of each practice paid in
  full and, with its markers, stored without the expiry its save now writes.
- ``expired-invoice-actions`` (legal-nl.md §8, R29): the first e-mailed invoice of each
  practice objected to, paid, and removed by the table's TTL without the stream's
  removal reaching the expired-letters function (its objection kept, with no expiry).
- ``invoice-search-names`` (audit INTERFACES1): the first invoice of each practice made
  out to a patient Yılmaz, its names folded as before (" y lmaz").
- ``statement-upload-batch-expiry`` (legal-nl.md §8): week 48's statements built and its
  payout batch sent on 30 November; every upload record, statement item and batch stored
  without the expiry its save now writes.
- ``canonical-claim-markers`` (R3, R40): each practice's export of week 47 with all-digit
  refs (claim 0000001.., patient 000001..) uploaded as the deploy before read it: its
  claims' markers under the refs with their leading zeros.
- ``settings-version-expiry`` (legal-nl.md §8, R39): each practice's settings saved once
  more (a second version), then every settings version stored without the expiry its
  save now writes.
- ``open-batch-ids`` (R13, R34): week 48's payout batch proposed on 30 November, its
  kind's list item without the ids of its open batches, as before refunds53.
- ``credit-index`` (R13, R34): the first invoice of each practice paid 5.00 more than
  it owes, its item without the by-credit keys, as before credits54.
- ``block-record-expiry`` (R22, R39, legal-nl.md §8): in each practice one patient blocked
  and unblocked on 2 November, another still blocked; every block change and block
  stored without the expiry its save now writes, as before retention54.
- ``statement-agency-transfers`` (R24): weeks 48 and 49's statements built on 30 November
  and 7 December, their items without the agency's transfers, as before remitted54.
- ``action-list-index`` (R23, R35): the first e-mailed invoice of each practice objected
  to, every action of the practice without the action list's index keys, as before
  actionpages56.
- ``open-action-list`` (R23, R35): the first e-mailed invoice of each practice objected
  to, its open action listed at its bare position among the done ones, as before
  openact57.
- ``refund-pending-credit-index`` (R13, R39): the first invoice of each practice paid by
  bank transfer and by iDEAL, the iDEAL payment's refund pending at the PSP, then the
  transfer returned (no credit left), its item without the by-credit keys, as before
  runs57.

On a sandbox served by ``python -m local.server``, the same route takes the operator's
token from ``/_local/tokens`` (README, "After a deploy: migrations").
"""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta

from billing_core.adapters.dynamo import keys
from billing_core.adapters.dynamo.items import (
    action_list_sort_key,
    action_to_item,
    invoice_to_item,
)
from billing_core.adapters.dynamo.repository import BillingRepository, invoice_marker_keys
from billing_core.declarations import csv_format
from billing_core.invoices.access import BirthDate
from billing_core.invoices.invoice import Channel, Invoice
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.payments.booking import IncomingPayment, apply_payment, apply_reversal
from billing_core.payments.refunds import with_refund_intent
from billing_core.payments.transfer_batches import BatchKind
from billing_core.providers.actions import ActionKind, ActionState, OpenAction
from billing_core.services.operator.migrations import (
    ACTION_LIST_INDEX,
    AGENCY_TRANSFERS,
    BLOCK_RECORD_EXPIRY,
    CANONICAL_CLAIM_MARKERS,
    CREDIT_INDEX,
    EXPIRED_INVOICE_ACTIONS,
    NAMES_MARKERS_HANDOVERS,
    OPEN_ACTION_LIST,
    OPEN_BATCH_IDS,
    REFUND_PENDING_INDEX,
    SEARCH_NAMES,
    SETTINGS_VERSION_EXPIRY,
    SETTLED_INVOICE_EXPIRY,
    STORED_ITEM_EXPIRY,
    STUCK_CREDIT_PLANS,
)
from billing_core.services.patient import file_objection
from billing_core.shared.clock import AMSTERDAM
from local.generate import declaration_csv
from local.sandbox import Caller, Sandbox
from local.seed import DENTAL, PHYSIO

SANDBOX_TODAY = date(2026, 11, 23)


def put_invoice_without_names(repository: BillingRepository, invoice: Invoice) -> None:
    """The invoice's item as the deploy before issue 16 wrote it: no searchable names."""
    item = {name: value for name, value in invoice_to_item(invoice).items() if name != "names"}
    repository._table.put_item(Item=item)


def names_folded_before(invoice: Invoice) -> str:
    """The invoice's searchable names as the deploy before audit INTERFACES1 folded them:
    only a-z and 0-9 kept, so "Yılmaz" was " y lmaz" and a name in Arabic script none."""
    people = (invoice.patient, invoice.debtor) if invoice.debtor else (invoice.patient,)
    text = " ".join(f"{p.initials} {p.name_prefix} {p.last_name}" for p in people)
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_APOSTROPHES))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(f" {word}" for word in dict.fromkeys(re.findall("[a-z0-9]+", bare)))


_APOSTROPHES = str.maketrans("", "", "'’`´")


def put_invoice_with_names_folded_before(repository: BillingRepository, invoice: Invoice) -> None:
    """The invoice's item as the deploy before audit INTERFACES1 wrote it."""
    item = invoice_to_item(invoice) | {"names": names_folded_before(invoice)}
    repository._table.put_item(Item=item)


def store_as_before_the_migration(repository: BillingRepository, invoice: Invoice) -> None:
    """A stored invoice as the deploy before issues 13 and 16 left it: no searchable
    names, and no marker of its kenmerk."""
    put_invoice_without_names(repository, invoice)
    repository._table.delete_item(Key=keys.reference_marker_key(invoice.reference))


def old_handover(invoice: Invoice, now: datetime) -> OpenAction:
    """A "call your patient" action as the dunning run made it before issue 16: its id
    without the handover day."""
    return OpenAction.about(
        invoice,
        ActionKind.COLLECTION_HANDOVER,
        f"handover-{invoice.invoice_id}",
        now,
        {"todo": "call_your_patient", "handed_over_on": now.date().isoformat()},
    )


def rewind_to_before_the_deploy(sandbox: Sandbox) -> None:
    """Every invoice of the sample practices as the deploy before stored it, and the first
    dental invoice handed over today under the old action id."""
    repository = sandbox.runtime.repository
    for practice in (DENTAL, PHYSIO):
        invoices, _ = repository.list_invoices(practice.provider_id)
        for invoice in invoices:
            store_as_before_the_migration(repository, invoice)
    first = repository.list_invoices(DENTAL.provider_id, limit=1)[0][0]
    repository.put_action(old_handover(first, sandbox.clock.now()))


def paid_in_full(repository: BillingRepository, invoice: Invoice, at: datetime) -> Invoice:
    """The invoice saved with a payment of all it owes: settled, so it and its markers
    now carry the expiry (legal-nl.md §8)."""
    payment = LedgerEntry(EntryKind.PAYMENT, Component.PRINCIPAL, -invoice.balance_cents, at, "")
    return repository.save_invoice(invoice.with_entry(payment))


def store_as_settled_before_expiry(
    repository: BillingRepository, invoice: Invoice, *, markers_only: bool = False
) -> None:
    """A settled invoice as the deploy before retention left it: neither it nor its
    markers expire (``markers_only``: a later save that did not settle it anew gave the
    invoice its own, and no marker one)."""
    invoice_key = keys.invoice_key(invoice.provider_id, invoice.invoice_id)
    for key in invoice_marker_keys(invoice) + ([] if markers_only else [invoice_key]):
        if repository._table.get_item(Key=key).get("Item"):  # an Update would make one
            repository._table.update_item(Key=key, UpdateExpression="REMOVE expires_at")


def settle_before_the_deploy(sandbox: Sandbox) -> None:
    """The first invoice of each sample practice paid in full before the deploy that
    dates settled invoices: kept with no expiry."""
    repository = sandbox.runtime.repository
    for practice in (DENTAL, PHYSIO):
        first = repository.list_invoices(practice.provider_id, limit=1)[0][0]
        paid = paid_in_full(repository, first, sandbox.clock.now())
        store_as_settled_before_expiry(repository, paid)


def overpaid_before_the_credit_index(sandbox: Sandbox) -> None:
    """The first invoice of each sample practice paid 5.00 more than it owes before the
    deploy that put invoices holding credit on the by-credit index: off it."""
    repository = sandbox.runtime.repository
    for practice in (DENTAL, PHYSIO):
        first = repository.list_invoices(practice.provider_id, limit=1)[0][0]
        more = LedgerEntry(
            EntryKind.PAYMENT,
            Component.PRINCIPAL,
            -(first.balance_cents + 500),
            sandbox.clock.now(),
            "",
        )
        overpaid = repository.save_invoice(first.with_entry(more))
        put_invoice_without_credit_index(repository, overpaid)


def refund_pending_before_the_index_kept_it(sandbox: Sandbox) -> None:
    """The first invoice of each sample practice paid by bank transfer and again by iDEAL,
    the automatic refund of the iDEAL payment pending at the PSP (its answer never came),
    then the transfer returned by the bank (MD06): no credit left, the refund pending, and
    its item without the by-credit keys, as the deploy before runs57 saved it."""
    repository = sandbox.runtime.repository
    at = sandbox.clock.now()
    for practice in (DENTAL, PHYSIO):
        first = repository.list_invoices(practice.provider_id, limit=1)[0][0]
        due = first.amount_due_cents
        paid = first
        for source, source_id in (("bank", "RETURNED-1"), ("psp", f"tr_{practice.provider_id}")):
            paid = apply_payment(paid, IncomingPayment(source, source_id, due, at))
        pending = with_refund_intent(paid, f"tr_{practice.provider_id}", due)
        returned = apply_reversal(pending, "RETURNED-1", "MD06-1", due, at + timedelta(hours=1))
        put_invoice_without_credit_index(repository, repository.save_invoice(returned))


def put_invoice_without_credit_index(repository: BillingRepository, invoice: Invoice) -> None:
    """The invoice's item as the deploy before credits54 wrote it: no by-credit keys."""
    item = invoice_to_item(invoice)
    repository._table.put_item(Item={k: v for k, v in item.items() if k not in _BY_CREDIT_KEYS})


# The by-credit index's keys: an invoice's credit, a practice's action list (actionpages56).
_BY_CREDIT_KEYS = ("gsi4pk", "gsi4sk")


def objected_before_the_action_list_index(sandbox: Sandbox) -> None:
    """Each sample practice's first e-mailed invoice objected to by its patient before the
    deploy that put actions on the action list's index: every action of the practice
    stored as that deploy wrote it, without the index keys."""
    repository = sandbox.runtime.repository
    for practice in (DENTAL, PHYSIO):
        _first_emailed_invoice_objected(sandbox, practice.provider_id)
        for action in repository.list_actions(practice.provider_id):
            put_action_without_list_index(repository, action)


def _first_emailed_invoice_objected(sandbox: Sandbox, provider_id: str) -> None:
    invoices, _ = sandbox.runtime.repository.list_invoices(provider_id)
    invoice = next(i for i in invoices if i.channel is Channel.EMAIL)
    proof = BirthDate(invoice.birth_date)
    context = sandbox.runtime.patient_context()
    file_objection(invoice.reference, proof, "amount", "Ik was er niet.", "p@example.org", context)


def put_action_without_list_index(repository: BillingRepository, action: OpenAction) -> None:
    """The action's item as the deploy before actionpages56 wrote it: no list index keys."""
    item = action_to_item(action)
    repository._table.put_item(Item={k: v for k, v in item.items() if k not in _BY_CREDIT_KEYS})


def objected_before_the_open_action_list(sandbox: Sandbox) -> None:
    """Each sample practice's first e-mailed invoice objected to by its patient before the
    deploy that listed open actions under their own prefix: every open action of the
    practice listed as that deploy listed it, at its bare position among the done ones."""
    repository = sandbox.runtime.repository
    for practice in (DENTAL, PHYSIO):
        _first_emailed_invoice_objected(sandbox, practice.provider_id)
        for action in repository.list_actions(practice.provider_id, ActionState.OPEN):
            put_open_action_at_bare_position(repository, action)


def put_open_action_at_bare_position(repository: BillingRepository, action: OpenAction) -> None:
    """The open action's item as the deploy before openact57 wrote it: listed by its bare
    position (creation in UTC and id), as a done one is."""
    item = action_to_item(action) | {"gsi4sk": action_list_sort_key(action, ActionState.DONE)}
    repository._table.put_item(Item=item)


def objected_paid_and_removed(sandbox: Sandbox, practice_id: str) -> Invoice:
    """The practice's first e-mailed invoice objected to by its patient, then paid in full
    and removed as the table's TTL does, with its removal lost to the expired-letters
    function (a batch that failed for good, not replayed within the stream's 24 hours)."""
    repository = sandbox.runtime.repository
    invoices, _ = repository.list_invoices(practice_id)
    invoice = next(i for i in invoices if i.channel is Channel.EMAIL)
    proof = BirthDate(invoice.birth_date)
    context = sandbox.runtime.patient_context()
    file_objection(invoice.reference, proof, "amount", "Ik was er niet.", "p@example.org", context)
    paid = paid_in_full(repository, invoice, sandbox.clock.now())
    repository._table.delete_item(Key=keys.invoice_key(practice_id, paid.invoice_id))
    return paid


def remove_invoices_without_the_stream(sandbox: Sandbox) -> None:
    for practice in (DENTAL, PHYSIO):
        objected_paid_and_removed(sandbox, practice.provider_id)


def fold_names_as_before(sandbox: Sandbox) -> None:
    """The first invoice of each sample practice made out to a patient Yılmaz, stored with
    the names the deploy before audit INTERFACES1 folded (" y lmaz")."""
    repository = sandbox.runtime.repository
    for practice in (DENTAL, PHYSIO):
        first = repository.list_invoices(practice.provider_id, limit=1)[0][0]
        renamed = replace(first, patient=replace(first.patient, last_name="Yılmaz"))
        put_invoice_with_names_folded_before(repository, renamed)


def _stored_before_expiry(item: dict[str, object]) -> bool:
    """An upload record, a weekly statement item or a payout or refund batch."""
    pk, sk = str(item["pk"]), str(item["sk"])
    return sk.startswith((keys.DECLARATION_PREFIX, keys.RETROCESSION_PREFIX)) or (
        pk.startswith("TRANSFERBATCH#")
    )


def store_items_as_before_their_expiry(repository: BillingRepository) -> list[dict[str, object]]:
    """Every upload record, weekly statement item and batch as the deploy before round 38
    stored it: no ``expires_at``. The items as they were before, for a test to compare."""
    table = repository._table
    found = [i for i in table.scan(ConsistentRead=True)["Items"] if _stored_before_expiry(i)]
    for item in found:
        key = {"pk": item["pk"], "sk": item["sk"]}
        table.update_item(Key=key, UpdateExpression="REMOVE expires_at")
    return found


def store_settings_versions_as_before_their_expiry(
    repository: BillingRepository,
) -> list[dict[str, object]]:
    """Every settings version as the deploy before stop 42 stored it: no ``expires_at``.
    The items as they were before, for a test to compare."""
    table = repository._table
    found = [
        item
        for item in table.scan(ConsistentRead=True)["Items"]
        if str(item["sk"]).startswith(keys.SETTINGS_VERSION_PREFIX)
    ]
    for item in found:
        key = {"pk": item["pk"], "sk": item["sk"]}
        table.update_item(Key=key, UpdateExpression="REMOVE expires_at")
    return [{k: v for k, v in item.items() if k != "expires_at"} for item in found]


def store_blocks_as_before_their_expiry(repository: BillingRepository) -> None:
    """Every block change and block as the deploy before retention54 stored it: no
    ``expires_at`` (a block that still blocks had none then either)."""
    table = repository._table
    prefixes = (keys.BLOCK_CHANGE_PREFIX, keys.PATIENT_BLOCK_PREFIX)
    for item in table.scan(ConsistentRead=True)["Items"]:
        if str(item["sk"]).startswith(prefixes):
            key = {"pk": item["pk"], "sk": item["sk"]}
            table.update_item(Key=key, UpdateExpression="REMOVE expires_at")


def block_and_unblock_before_expiry(sandbox: Sandbox) -> None:
    """In each practice patient P-OLD blocked and unblocked on 2 November and P-NOW still
    blocked, then every block change and block stripped of its expiry."""
    repository = sandbox.runtime.repository
    at = datetime(2026, 11, 2, 10, tzinfo=AMSTERDAM)
    for practice in (DENTAL, PHYSIO):
        repository.block_patient(practice.provider_id, "P-OLD", "claim-old", at)
        repository.release_claim(practice.provider_id, "P-OLD", "claim-old", at + timedelta(1))
        repository.block_patient(practice.provider_id, "P-NOW", "claim-now", at)
    store_blocks_as_before_their_expiry(repository)


def store_weeks_as_before_their_agency_transfers(repository: BillingRepository) -> None:
    """Every weekly statement item as the deploy before remitted54 stored it: without
    ``remitted_by_agency_cents`` (the list reads the figure from the week's statement)."""
    table = repository._table
    for item in table.scan(ConsistentRead=True)["Items"]:
        if str(item["sk"]).startswith(keys.RETROCESSION_PREFIX):
            key = {"pk": item["pk"], "sk": item["sk"]}
            table.update_item(Key=key, UpdateExpression="REMOVE remitted_by_agency_cents")


def build_weeks_before_agency_transfers(sandbox: Sandbox) -> None:
    """Weeks 48 and 49's statements built on Mondays 30 November and 7 December, their
    items then stripped of the agency's transfers."""
    for monday in (date(2026, 11, 30), date(2026, 12, 7)):
        sandbox.clock.set(monday)
        sandbox.run_retrocession()
    store_weeks_as_before_their_agency_transfers(sandbox.runtime.repository)


def store_batches_as_before_their_open_ids(repository: BillingRepository) -> None:
    """Each kind's list item as the deploy before refunds53 stored it: no ids of its open
    batches (an open batch behind 52 newer ones is then read by nobody, R13)."""
    for kind in BatchKind:
        repository._table.update_item(
            Key=keys.transfer_batch_list_key(kind.value), UpdateExpression="REMOVE open_batches"
        )


def propose_week_48_before_open_ids(sandbox: Sandbox) -> None:
    """Week 48's payout batch proposed on Monday 30 November, before its kind's list item
    kept the ids of its open batches."""
    sandbox.clock.set(date(2026, 11, 30))
    sandbox.run_retrocession()
    store_batches_as_before_their_open_ids(sandbox.runtime.repository)


def change_settings_before_expiry(sandbox: Sandbox) -> None:
    """Each practice's settings saved once more by the operator (a second version of
    them, R31), then every settings version stripped of its expiry."""
    for practice in (DENTAL, PHYSIO):
        sandbox.replace_provider(practice.model_copy(update={"name": f"{practice.name} BV"}))
    store_settings_versions_as_before_their_expiry(sandbox.runtime.repository)


def pay_out_week_48_before_expiry(sandbox: Sandbox) -> None:
    """Week 48's statements built and its payout batch sent on Monday 30 November, then
    every upload record, statement item and batch stripped of its expiry."""
    sandbox.clock.set(date(2026, 11, 30))
    sandbox.run_retrocession()
    sandbox.api_raw(
        "POST",
        "/api/v1/operator/payouts/PO-2026-W48/approve",
        headers={"Idempotency-Key": "local-migrate-payout"},
        caller=Caller.operator(),
    )
    store_items_as_before_their_expiry(sandbox.runtime.repository)


@contextmanager
def refs_read_as_written() -> Iterator[None]:
    """Uploads read as the deploy before round 40 read them: an all-digit claim_ref or
    patient_ref kept its leading zeros (csv_format's canonical_reference did not exist)."""
    today = csv_format.canonical_reference
    csv_format.canonical_reference = lambda ref: ref
    try:
        yield
    finally:
        csv_format.canonical_reference = today


def zero_padded_export(data: bytes) -> bytes:
    """declaration_csv's lines as a practice system exports them: R0000001 is the claim
    0000001, PAT000001 the patient 000001."""
    header, *rows = data.decode("utf-8").splitlines()
    padded = [re.sub(r"^R(\d+);PAT(\d+);", r"\1;\2;", row) for row in rows]
    return "\n".join([header, *padded, ""]).encode("utf-8")


def upload_zero_padded_before_the_deploy(sandbox: Sandbox) -> None:
    """Each practice's export of week 47 (zeros and all) stored before round 40."""
    with refs_read_as_written():
        for practice in (DENTAL, PHYSIO):
            export = zero_padded_export(declaration_csv(6))
            sandbox.upload_declaration(practice.provider_id, "export-week-47.csv", export)


def plan_a_credit_as_an_older_version_did(sandbox: Sandbox) -> None:
    """A credit nobody could match, planned two hours ago onto the dental practice's first
    invoice by an older version that then booked nothing of it (MONEY6-3): off the
    unmatched list until its TTL."""
    from billing_core.payments.unmatched import (
        CreditMatch,
        MatchPart,
        MatchTarget,
        UnmatchedCredit,
        credit_id_of,
    )

    found, _ = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)
    invoice = found[0]
    source_id = "NL91ABNA0417164300/STUCK-PLAN-1"
    credit = UnmatchedCredit(
        credit_id_of(source_id),
        source_id,
        "STMT-2026-11-24",
        "STUCK-PLAN-1",
        sandbox.clock.today(),
        "CRDT",
        invoice.amount_due_cents,
        "EUR",
        "no_reference",
    )
    links = sandbox.runtime.payment_links
    links.keep_unmatched_credit(credit)
    part = MatchPart(invoice.reference, invoice.invoice_id, invoice.amount_due_cents)
    at = sandbox.clock.now() - timedelta(hours=2)
    plan = CreditMatch(at, "operator-sub-old", (part,), MatchTarget(reference=invoice.reference))
    links.plan_credit_match(credit.credit_id, plan)


REWINDS = {
    NAMES_MARKERS_HANDOVERS: rewind_to_before_the_deploy,
    SETTLED_INVOICE_EXPIRY: settle_before_the_deploy,
    EXPIRED_INVOICE_ACTIONS: remove_invoices_without_the_stream,
    SEARCH_NAMES: fold_names_as_before,
    STORED_ITEM_EXPIRY: pay_out_week_48_before_expiry,
    CANONICAL_CLAIM_MARKERS: upload_zero_padded_before_the_deploy,
    SETTINGS_VERSION_EXPIRY: change_settings_before_expiry,
    STUCK_CREDIT_PLANS: plan_a_credit_as_an_older_version_did,
    OPEN_BATCH_IDS: propose_week_48_before_open_ids,
    CREDIT_INDEX: overpaid_before_the_credit_index,
    BLOCK_RECORD_EXPIRY: block_and_unblock_before_expiry,
    AGENCY_TRANSFERS: build_weeks_before_agency_transfers,
    ACTION_LIST_INDEX: objected_before_the_action_list_index,
    OPEN_ACTION_LIST: objected_before_the_open_action_list,
    REFUND_PENDING_INDEX: refund_pending_before_the_index_kept_it,
}


def run(sandbox: Sandbox, name: str, provider_id: str, key: str) -> dict[str, object]:
    """One run through the operator API, as an operator with an Idempotency-Key."""
    answer = sandbox.api_raw(
        "POST",
        f"/api/v1/operator/migrations/{name}",
        body={"provider_id": provider_id},
        headers={"Content-Type": "application/json", "Idempotency-Key": key},
        caller=Caller.operator(),
    )
    result: dict[str, object] = json.loads(answer["body"])
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # Only the migrations whose old items the sandbox can stage: another name is refused
    # by argparse, listing those (the README's "After a deploy: migrations" names them).
    parser.add_argument("name", nargs="?", default=NAMES_MARKERS_HANDOVERS, choices=REWINDS)
    parser.add_argument("--provider", default="", help="one practice's id; none: every one")
    wanted = parser.parse_args(argv)
    with Sandbox(SANDBOX_TODAY) as sandbox:
        for practice in (DENTAL, PHYSIO):
            sandbox.upload_declaration(practice.provider_id, "week-47.csv", declaration_csv(6))
        REWINDS[wanted.name](sandbox)
        for attempt in ("first", "second"):
            answer = run(sandbox, wanted.name, wanted.provider, f"local-migrate-{attempt}")
            print(f"\n{attempt} run:\n{json.dumps(answer, indent=2)}")


if __name__ == "__main__":
    main()
