"""The migrations after a deploy, on the in-memory store. Version 1 (issues 13 and 16):
spread over requests it resumes where it stopped, it dates old handover actions honestly,
reports conflicts loudly and reads no personal data into its log (R29, R32). Version 2
(legal-nl.md §8): settled invoices stored before their save wrote an expiry get it, open
ones are left alone, and a reversal saved meanwhile wins (R12). Version 3 (legal-nl.md §8,
R29): the actions of an invoice the table no longer holds get an expiry. Version 4 (audit
INTERFACES1): names folded as before are written anew. Version 6 (R3, R40): a claim
stored under a ref with leading zeros is found under the ref without them. Version 7
(legal-nl.md §8, R39): settings versions stored before their save wrote an expiry get it."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.payments.booking import IncomingPayment, apply_payment, apply_reversal
from billing_core.payments.refunds import with_refund_intent
from billing_core.ports import InvalidPosition, KnownClaim, NewInvoice
from billing_core.providers.actions import ActionKind, ActionState, OpenAction, handover_action_id
from billing_core.providers.retrocession import StatementSummary, statement_key
from billing_core.providers.settings_history import SettingsVersion
from billing_core.providers.week import Week
from billing_core.services.operator import migrations
from billing_core.services.operator.migrations import (
    ACTION_LIST_INDEX,
    AGENCY_TRANSFERS,
    BLOCK_RECORD_EXPIRY,
    CANONICAL_CLAIM_MARKERS,
    CREDIT_INDEX,
    EXPIRED_INVOICE_ACTIONS,
    NAMES_MARKERS_HANDOVERS,
    OPEN_ACTION_LIST,
    OPEN_CREDIT_INDEX,
    REFUND_PENDING_INDEX,
    SEARCH_NAMES,
    SETTINGS_VERSION_EXPIRY,
    SETTLED_INVOICE_EXPIRY,
    STORED_ITEM_EXPIRY,
    MigrationContext,
    run_migration,
)
from billing_core.shared import reference
from billing_core.shared.audit import Reader, ReadKind
from billing_core.shared.clock import AMSTERDAM, FixedClock
from billing_core.shared.errors import NotFound
from tests.contract.samples import declaration
from tests.contract.test_migrations import refund_sent
from tests.unit.factories import REFERENCE_KEY, make_invoice, make_provider
from tests.unit.fake_store import AuditInMemory, FakeStore, FilesInMemory
from tests.unit.money_out_world import statement_totals

DENTAL, PHYSIO = "tandarts-de-vries", "fysio-centrum-oost"
OPERATOR = Reader("operator-anna", "operators")


def old_store(invoices_per_practice: dict[str, int]) -> FakeStore:
    """Given practices whose invoices were all stored before names and kenmerk markers."""
    providers = [make_provider(provider_id=p) for p in invoices_per_practice]
    store = FakeStore(providers=providers)
    number = 0
    for provider_id, count in invoices_per_practice.items():
        for _ in range(count):
            number += 1
            store.put_invoice_before_names_and_marker(
                make_invoice(
                    invoice_id=f"inv-{number:04d}",
                    provider_id=provider_id,
                    reference=reference.for_sequence(number, REFERENCE_KEY),
                )
            )
    return store


def context(store: FakeStore, pages: int = 5) -> MigrationContext:
    clock = FixedClock(datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
    return MigrationContext(store, AuditInMemory(), clock, OPERATOR, pages_per_request=pages)


def migrate(ctx: MigrationContext, **options):
    return run_migration(NAMES_MARKERS_HANDOVERS, ctx, **options).answer()


def test_a_run_spread_over_requests_goes_on_where_it_stopped_until_complete():
    # Given 101 old invoices of the dental practice and 1 of the physio practice, and
    # requests that may read one page (100 invoices) each
    ctx = context(old_store({DENTAL: 101, PHYSIO: 1}), pages=1)
    # When the operator sends each answer's resume back until the run is complete
    answers = [migrate(ctx)]
    while not answers[-1]["complete"]:
        answers.append(migrate(ctx, resume=answers[-1]["resume"]))
    # Then three requests did every invoice once: physio first (ids in order), then dental
    done = [[(p["provider_id"], p["names_written"]) for p in a["practices"]] for a in answers]
    assert done == [[(PHYSIO, 1)], [(DENTAL, 100)], [(DENTAL, 1)]]
    assert sum(a["summary"]["markers_written"] for a in answers) == 102
    assert answers[-1]["resume"] is None
    # And a whole run afterwards writes nothing
    again = migrate(context(ctx.store, pages=10))["summary"]
    assert (again["names_written"], again["markers_written"], again["invoices_done"]) == (0, 0, 102)


def test_old_handover_actions_get_the_day_they_name_else_the_dutch_day_they_were_made():
    # Given two old-format handover actions: one naming its handover day, one naming none,
    # made at 23:30 UTC on 1 December (already 2 December in Amsterdam), and an objection
    store = old_store({DENTAL: 1})
    named = old_action("inv-1", datetime(2026, 11, 30, 5, 0, tzinfo=UTC), "2026-11-27")
    unnamed = old_action("inv-2", datetime(2026, 12, 1, 23, 30, tzinfo=UTC), None)
    objection = OpenAction(
        "objection-1", DENTAL, ActionKind.OBJECTION, "inv-1", "", named.created_at
    )
    for action in (named, unnamed, objection):
        store.put_action(action)
    # When the migration runs
    summary = migrate(context(store))["summary"]
    # Then both handovers carry their day in their id; the objection is left alone
    assert summary["handovers_rekeyed"] == 2
    assert sorted(a.action_id for a in store.list_actions(DENTAL)) == [
        handover_action_id(date(2026, 11, 27), "inv-1"),
        handover_action_id(date(2026, 12, 2), "inv-2"),
        "objection-1",
    ]


def old_action(invoice_id: str, created_at: datetime, day: str | None) -> OpenAction:
    details = {"todo": "call_your_patient"} | ({"handed_over_on": day} if day else {})
    return OpenAction(
        f"handover-{invoice_id}",
        DENTAL,
        ActionKind.COLLECTION_HANDOVER,
        invoice_id,
        "",
        created_at,
        details=details,
    )


def test_progress_per_page_and_one_audit_record_per_practice_without_personal_data():
    ctx = context(old_store({DENTAL: 2, PHYSIO: 1}))
    lines = []
    report = run_migration(
        NAMES_MARKERS_HANDOVERS, ctx, progress=lambda p: lines.append(p.log_entry())
    )
    # Then a progress line per practice's page, done of total, ids and counts only
    assert [
        (e.fields["provider_id"], e.fields["invoices_done"], e.fields["invoices_total"])
        for e in lines
    ] == [
        (PHYSIO, 1, 1),
        (DENTAL, 2, 2),
    ]
    patient = make_invoice().patient
    logged = repr([e.fields for e in lines] + [report.log_entry().fields])
    assert patient.last_name not in logged and make_invoice().reference not in logged
    # And the audit names the operator, each practice and the migration
    records, _ = ctx.audit.reads(
        DENTAL, datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC), limit=100
    )
    assert [(r.user_id, r.kind, r.subject) for r in records] == [
        ("operator-anna", ReadKind.MIGRATION, NAMES_MARKERS_HANDOVERS)
    ]


def test_a_kenmerk_on_two_invoices_is_an_error_for_the_back_office():
    store = old_store({DENTAL: 1, PHYSIO: 1})
    twin = make_invoice(
        invoice_id="twin", provider_id=PHYSIO, reference=store.invoice("inv-0001").reference
    )
    store.put_invoice_before_names_and_marker(twin)
    report = run_migration(NAMES_MARKERS_HANDOVERS, context(store))
    entry = report.log_entry()
    assert entry.error and entry.counts == {"MigrationKenmerkConflicts": 1}
    # The physio practice comes first (ids in order): its twin got the marker
    assert [(c.invoice_id, c.held_by_invoice_id) for c in report.conflicts] == [
        ("inv-0001", "twin")
    ]


@pytest.mark.parametrize(
    ("name", "options", "refusal"),
    [
        ("no-such-migration", {}, NotFound),
        (NAMES_MARKERS_HANDOVERS, {"provider_id": "nobody-here"}, NotFound),
        (NAMES_MARKERS_HANDOVERS, {"resume": "no slash"}, InvalidPosition),
        (NAMES_MARKERS_HANDOVERS, {"resume": f"{DENTAL}/not-a-position"}, InvalidPosition),
        (NAMES_MARKERS_HANDOVERS, {"resume": "nobody-here/"}, InvalidPosition),
        (NAMES_MARKERS_HANDOVERS, {"provider_id": DENTAL, "resume": f"{PHYSIO}/"}, InvalidPosition),
    ],
)
def test_what_no_run_can_start_from_is_refused_before_anything_is_written(name, options, refusal):
    store = old_store({DENTAL: 1, PHYSIO: 1})
    with pytest.raises(refusal):
        run_migration(name, context(store), **options)
    assert store.unnamed and not store.references


# --- version 2: settled invoices expire (legal-nl.md §8) ---------------------------------

PAID_AT = datetime(2026, 11, 23, 12, 0, tzinfo=AMSTERDAM)


def paid_in_full(invoice: Invoice) -> Invoice:
    payment = LedgerEntry(
        EntryKind.PAYMENT, Component.PRINCIPAL, -invoice.balance_cents, PAID_AT, ""
    )
    return invoice.with_entry(payment)


def store_before_expiry(settled: dict[str, int], open_invoices: int = 0) -> FakeStore:
    """Given practices whose settled invoices (each with its kenmerk's marker) were stored
    before a save wrote their expiry, and the dental practice's open invoices."""
    store = FakeStore(providers=[make_provider(provider_id=p) for p in settled])
    numbers = iter(range(1, 10_000))
    wanted = [(p, True) for p, count in settled.items() for _ in range(count)]
    for provider_id, is_settled in wanted + [(DENTAL, False)] * open_invoices:
        number = next(numbers)
        issued = make_invoice(
            invoice_id=f"inv-{number:04d}",
            provider_id=provider_id,
            reference=reference.for_sequence(number, REFERENCE_KEY),
        )
        store.add_reference_marker(issued)
        if is_settled:
            store.put_settled_before_expiry(paid_in_full(issued))
        else:
            store.put_invoice_as_is(issued)
    return store


def expire(ctx: MigrationContext, **options):
    return run_migration(SETTLED_INVOICE_EXPIRY, ctx, **options).answer()


def test_settled_invoices_and_their_markers_get_their_expiry_open_ones_none_and_only_once():
    """legal-nl.md §8: settled invoices are kept 7 years after their year, then deleted;
    an open one is kept (no expiry)."""
    # Given two settled invoices of the dental practice stored before §8, and one open one
    store = store_before_expiry({DENTAL: 2}, open_invoices=1)
    # When the operator runs migration 2, and then again
    first, second = expire(context(store)), expire(context(store))
    # Then the first gave both settled invoices and their markers the expiry
    assert (first["migration"], first["version"], first["complete"]) == (
        SETTLED_INVOICE_EXPIRY,
        2,
        True,
    )
    assert first["summary"] == {
        "invoices_total": 3,
        "invoices_done": 3,
        "invoice_expiries_written": 2,
        "marker_expiries_written": 2,
        "expiries_present": 0,
        "open_invoices_skipped": 1,
    }
    assert store.without_expiry == set()
    # And the second wrote nothing and found both settled invoices done
    assert second["summary"] == first["summary"] | {
        "invoice_expiries_written": 0,
        "marker_expiries_written": 0,
        "expiries_present": 2,
    }


def test_expiry_spread_over_requests_goes_on_where_it_stopped_until_complete():
    # Given 101 settled invoices of the dental practice and 1 of the physio practice, and
    # requests that may read one page (100 invoices) each
    ctx = context(store_before_expiry({DENTAL: 101, PHYSIO: 1}), pages=1)
    # When the operator sends each answer's resume back until the run is complete
    answers = [expire(ctx)]
    while not answers[-1]["complete"]:
        answers.append(expire(ctx, resume=answers[-1]["resume"]))
    # Then three requests dated every invoice once: physio first (ids in order), then dental
    done = [
        [(p["provider_id"], p["invoice_expiries_written"]) for p in a["practices"]] for a in answers
    ]
    assert done == [[(PHYSIO, 1)], [(DENTAL, 100)], [(DENTAL, 1)]]
    assert sum(a["summary"]["marker_expiries_written"] for a in answers) == 102
    assert ctx.store.without_expiry == set()
    # And a whole run afterwards writes nothing and counts every invoice as present
    again = expire(context(ctx.store, pages=10))["summary"]
    written = (again["invoice_expiries_written"], again["marker_expiries_written"])
    assert written == (0, 0) and again["expiries_present"] == again["invoices_done"] == 102


def test_a_reversal_saved_after_the_page_was_read_wins_and_the_invoice_is_left_open():
    """R12: a returned payment reopens the invoice; the run reads it again and skips it."""
    store = store_before_expiry({DENTAL: 1})
    paid = store.invoice("inv-0001")
    migrate_one = store.add_retention_expiry

    def reversal_first(invoice: Invoice):
        if invoice.version == paid.version:  # the page's read: the bank returns it now
            returned = LedgerEntry(
                EntryKind.REVERSAL, Component.PRINCIPAL, -paid.ledger[-1].amount_cents, PAID_AT, ""
            )
            store.save_invoice(store.invoice("inv-0001").with_entry(returned))
        return migrate_one(invoice)

    store.add_retention_expiry = reversal_first
    summary = expire(context(store))["summary"]
    assert (summary["invoice_expiries_written"], summary["marker_expiries_written"]) == (0, 0)
    assert (summary["open_invoices_skipped"], summary["invoices_done"]) == (1, 1)
    assert store.invoice("inv-0001").balance_cents > 0


def test_expiry_progress_per_page_names_ids_and_counts_only():
    ctx = context(store_before_expiry({DENTAL: 2, PHYSIO: 1}))
    lines = []
    report = run_migration(
        SETTLED_INVOICE_EXPIRY, ctx, progress=lambda p: lines.append(p.log_entry())
    )
    assert [(e.fields["provider_id"], e.fields["invoices_done"]) for e in lines] == [
        (PHYSIO, 1),
        (DENTAL, 2),
    ]
    logged = repr([e.fields for e in lines] + [report.log_entry().fields])
    assert make_invoice().patient.last_name not in logged and "reference" not in logged
    assert not report.log_entry().error


# --- version 3: the actions of an invoice the TTL removed (legal-nl.md §8, R29) ----------

OBJECTED_AT = datetime(2026, 11, 24, 10, 0, tzinfo=AMSTERDAM)


def objection(invoice: Invoice) -> OpenAction:
    details = {"reason": "amount", "message": "Ik was er niet.", "email": "p@example.org"}
    return OpenAction.about(
        invoice, ActionKind.OBJECTION, f"objection-{invoice.invoice_id}", OBJECTED_AT, details
    )


def store_with_objections(removed: dict[str, int], kept: int = 0) -> FakeStore:
    """Given practices with objections on invoices the table's TTL removed without the
    expired-letters function expiring their actions, and the dental practice's objected
    invoices that are still there."""
    store = FakeStore(providers=[make_provider(provider_id=p) for p in removed])
    numbers = iter(range(1, 10_000))
    wanted = [(p, True) for p, count in removed.items() for _ in range(count)]
    for provider_id, is_removed in wanted + [(DENTAL, False)] * kept:
        invoice = make_invoice(invoice_id=f"inv-{next(numbers):04d}", provider_id=provider_id)
        store.put_action(objection(invoice))
        if not is_removed:
            store.put_invoice_as_is(invoice)
    return store


def expire_actions(ctx: MigrationContext, **options):
    return run_migration(EXPIRED_INVOICE_ACTIONS, ctx, **options).answer()


def test_actions_of_removed_invoices_expire_those_of_kept_ones_not_and_only_once():
    """legal-nl.md §8, R29 (audit NEWCOMER1): an objection goes with its invoice; when the
    stream's removal never reached the expired-letters function, the migration is the
    backstop."""
    # Given two objections on removed invoices and one on an invoice still in the table
    store = store_with_objections({DENTAL: 2}, kept=1)
    # When the operator runs migration 3, and then again
    first, second = expire_actions(context(store)), expire_actions(context(store))
    # Then the first gave the removed invoices' objections the TTL of the run's day
    assert (first["migration"], first["version"], first["complete"]) == (
        EXPIRED_INVOICE_ACTIONS,
        3,
        True,
    )
    assert first["summary"] == {
        "invoices_total": 3,
        "invoices_done": 3,
        "removed_invoices": 2,
        "action_expiries_written": 2,
        "action_expiries_present": 0,
    }
    expiring = {k: v for k, v in store.action_kept_until.items() if v is not None}
    assert expiring == {
        (DENTAL, "objection-inv-0001"): date(2026, 12, 2),
        (DENTAL, "objection-inv-0002"): date(2026, 12, 2),
    }
    # And the second wrote nothing: the objection of the kept invoice still has no expiry
    assert second["summary"] == first["summary"] | {
        "action_expiries_written": 0,
        "action_expiries_present": 2,
    }


def test_action_expiry_spread_over_requests_goes_on_where_it_stopped_until_complete():
    # Given 101 removed invoices with an objection at the dental practice, 1 at the physio
    # practice, and requests that may read one page (100 invoices) each
    ctx = context(store_with_objections({DENTAL: 101, PHYSIO: 1}), pages=1)
    # When the operator sends each answer's resume back until the run is complete
    answers = [expire_actions(ctx)]
    while not answers[-1]["complete"]:
        answers.append(expire_actions(ctx, resume=answers[-1]["resume"]))
    # Then three requests expired every objection once: physio first, then dental
    done = [
        [(p["provider_id"], p["action_expiries_written"]) for p in a["practices"]] for a in answers
    ]
    assert done == [[(PHYSIO, 1)], [(DENTAL, 100)], [(DENTAL, 1)]]
    assert answers[1]["resume"] == f"{DENTAL}/inv-0100"
    # And a position that is no invoice id is refused
    with pytest.raises(InvalidPosition):
        expire_actions(ctx, resume=f"{DENTAL}/2026-11-23#inv-0001")


def test_names_folded_before_are_written_anew_over_requests_and_only_once():
    """Version 4 (audit INTERFACES1, R35): Given 150 invoices of one practice, 120 with
    names folded as before ("Yılmaz" as " y lmaz") and 30 with today's / When the operator
    runs invoice-search-names one page a request, then again / Then the 120 are written,
    the 30 counted present, and the second run writes none."""
    store = FakeStore(providers=[make_provider(provider_id=DENTAL)])
    for number in range(1, 151):
        invoice = make_invoice(
            invoice_id=f"inv-{number:04d}",
            provider_id=DENTAL,
            reference=reference.for_sequence(number, REFERENCE_KEY),
        )
        if number <= 120:
            store.put_invoice_with_names_folded_before(invoice)
        else:
            store.put_invoice_as_is(invoice)
    ctx = context(store, pages=1)
    first = run_migration(SEARCH_NAMES, ctx).answer()
    assert (first["complete"], first["summary"]["invoices_done"]) == (False, 100)
    rest = run_migration(SEARCH_NAMES, ctx, resume=first["resume"]).answer()
    assert rest["complete"] and rest["version"] == 4
    written = first["summary"]["names_written"] + rest["summary"]["names_written"]
    present = first["summary"]["names_present"] + rest["summary"]["names_present"]
    assert (written, present) == (120, 30) and store.unnamed == set()
    again = run_migration(SEARCH_NAMES, context(store)).answer()["summary"]
    assert (again["names_written"], again["names_present"]) == (0, 150)


def test_invoices_holding_credit_before_the_index_are_put_on_it_over_requests_once():
    """Version 13 (R13, R34; credits54): Given 150 invoices of one practice, 40 holding
    credit stored before the by-credit index (the list of credit to refund misses them),
    10 holding credit saved since, 100 without / When the operator runs credit-index one
    page a request, then again / Then the 40 are written, the 10 counted present, the 100
    cost no write; the list finds all 50; the second run writes none."""
    store = FakeStore(providers=[make_provider(provider_id=DENTAL)])
    for number in range(1, 151):
        invoice = make_invoice(
            invoice_id=f"inv-{number:04d}",
            provider_id=DENTAL,
            reference=reference.for_sequence(number, REFERENCE_KEY),
        )
        if number <= 50:
            overpaid = LedgerEntry(
                EntryKind.PAYMENT,
                Component.PRINCIPAL,
                -invoice.balance_cents - number,
                datetime(2026, 11, 20, 10, 0, tzinfo=AMSTERDAM),
                f"bank:{number}",
            )
            invoice = invoice.with_entry(overpaid)
        if number <= 40:
            store.put_invoice_before_credit_index(invoice)
        else:
            store.put_invoice_as_is(invoice)
    assert len(list(store.credit_invoices())) == 10
    ctx = context(store, pages=1)
    first = run_migration(CREDIT_INDEX, ctx).answer()
    assert (first["complete"], first["summary"]["invoices_done"]) == (False, 100)
    rest = run_migration(CREDIT_INDEX, ctx, resume=first["resume"]).answer()
    assert rest["complete"] and rest["version"] == 13
    counts = ("credit_index_written", "credit_index_present", "invoices_without_credit")
    summed = tuple(first["summary"][c] + rest["summary"][c] for c in counts)
    assert summed == (40, 10, 100)
    assert len(list(store.credit_invoices())) == 50
    again = run_migration(CREDIT_INDEX, context(store)).answer()["summary"]
    assert tuple(again[c] for c in counts) == (0, 50, 100)


PAID_AT = datetime(2026, 11, 24, 12, 0, tzinfo=AMSTERDAM)


def refund_pending_after_a_bank_return(invoice: Invoice) -> Invoice:
    """The invoice paid by bank transfer (E-1) and again by iDEAL (tr_1), whose automatic
    refund of tr_1 timed out (pending at the PSP), and then the transfer returned (R12):
    no credit left, the refund still pending (runs57)."""
    due, at = invoice.amount_due_cents, PAID_AT
    for source, source_id in (("bank", "E-1"), ("psp", "tr_1")):
        invoice = apply_payment(invoice, IncomingPayment(source, source_id, due, at))
    invoice = with_refund_intent(invoice, "tr_1", due)
    return apply_reversal(invoice, "E-1", "R-1", due, at + timedelta(days=1))


def test_invoices_with_a_psp_refund_pending_and_no_credit_are_put_on_the_index_once(monkeypatch):
    """Version 18 (R13, R39, R34; runs57 kept such an invoice on the by-credit index at its
    save, one saved before is not): Given 10 invoices of one practice: 3 with a PSP refund
    pending and no credit left (a bank return took it) stored before runs57, off the index
    (the Monday run counts none of their refunds, the list of held credits shows none);
    one such saved since and one holding credit, on it; 5 without either
    When the operator runs refund-pending-credit-index four invoices a page, one page a
    request, until complete, then again
    Then the 3 are written, the 2 counted present, the 5 cost no write, over 3 requests
    each resuming where the last stopped; the index then holds all 5, and the second run
    writes none."""
    monkeypatch.setattr(migrations, "PAGE_SIZE", 4)
    store = FakeStore(providers=[make_provider(provider_id=DENTAL)])
    for number in range(1, 11):
        invoice = make_invoice(
            invoice_id=f"inv-{number:04d}",
            provider_id=DENTAL,
            reference=reference.for_sequence(number, REFERENCE_KEY),
        )
        if number <= 4:
            invoice = refund_pending_after_a_bank_return(invoice)
            assert invoice.credit_cents == 0
        if number == 5:
            invoice = apply_payment(
                invoice, IncomingPayment("bank", "E-5", invoice.amount_due_cents + 500, PAID_AT)
            )
        if number <= 3:
            store.put_invoice_before_credit_index(invoice)
        else:
            store.put_invoice_as_is(invoice)
    assert [i.invoice_id for i in store.credit_invoices()] == ["inv-0004", "inv-0005"]
    ctx = context(store, pages=1)
    answers = [run_migration(REFUND_PENDING_INDEX, ctx).answer()]
    while not answers[-1]["complete"]:
        answers.append(
            run_migration(REFUND_PENDING_INDEX, ctx, resume=answers[-1]["resume"]).answer()
        )
    assert [(a["version"], a["summary"]["invoices_done"]) for a in answers] == [
        (18, 4),
        (18, 4),
        (18, 2),
    ]
    counts = ("credit_index_written", "credit_index_present", "invoices_without_credit")
    summed = tuple(sum(a["summary"][c] for a in answers) for c in counts)
    assert summed == (3, 2, 5)
    assert sorted(i.invoice_id for i in store.credit_invoices()) == [
        f"inv-{n:04d}" for n in range(1, 6)
    ]
    again = run_migration(REFUND_PENDING_INDEX, context(store)).answer()["summary"]
    assert tuple(again[c] for c in counts) == (0, 5, 5)


def test_batches_belong_to_no_practice_and_are_dated_once_a_run_has_done_every_practice():
    """legal-nl.md §8 (migration version 5): Given two practices, each with an upload
    record stored before it had an expiry, and a refund batch sent likewise, and requests
    that may do one practice each
    When the operator runs statement-upload-batch-expiry for one practice, then over
    every practice until complete
    Then the one-practice run leaves the batches (no batch counts); the run over every
    practice dates them once, in the request after its last practice, not before; a
    resume naming a position inside a practice is refused (this migration gives none)."""
    store = FakeStore(providers=[make_provider(provider_id=p) for p in (DENTAL, PHYSIO)])
    for provider_id in (DENTAL, PHYSIO):
        store.put_declaration(declaration("D1", provider_id))
    store.create_batch(refund_sent())
    store.forget_expiries()
    ctx = context(store, pages=1)
    one = run_migration(STORED_ITEM_EXPIRY, ctx, provider_id=DENTAL).answer()
    assert "batch_expiries_written" not in one["summary"] and one["complete"]
    assert one["summary"]["item_expiries_written"] == 1
    answers = [run_migration(STORED_ITEM_EXPIRY, ctx).answer()]
    while not answers[-1]["complete"]:
        answers.append(
            run_migration(STORED_ITEM_EXPIRY, ctx, resume=answers[-1]["resume"]).answer()
        )
    done = [
        ([p["provider_id"] for p in a["practices"]], a["summary"].get("batch_expiries_written"))
        for a in answers
    ]
    assert done == [([PHYSIO], None), ([DENTAL], 1)]
    assert [a["summary"]["item_expiries_written"] for a in answers] == [1, 0]
    with pytest.raises(InvalidPosition):
        run_migration(STORED_ITEM_EXPIRY, ctx, resume=f"{DENTAL}/D1")


def test_claims_under_leading_zeros_get_their_marker_without_them_over_requests_once():
    """R3, R40 (migration version 6): Given 150 invoices of one practice, the first 120
    issued from an export read with its zeros (lines 000001-1.. as claim refs 0000011..)
    and 30 from a file without them; the claim 1001 already stored by a later upload
    When the operator runs canonical-claim-markers one page a request, then again
    Then each padded line's marker is copied once under its ref without the zeros (the
    one whose ref a later claim holds counted present, that claim kept), an invoice
    without such a line costs no write; the second run writes none."""
    store = FakeStore(providers=[make_provider(provider_id=DENTAL)])
    for number in range(1, 151):
        padding = "00" if number <= 120 else ""
        lines = tuple(
            replace(line, claim_ref=f"{padding}{number}{index}")
            for index, line in enumerate(make_invoice().lines, start=1)
        )
        invoice = make_invoice(
            invoice_id=f"inv-{number:04d}",
            provider_id=DENTAL,
            reference=reference.for_sequence(number, REFERENCE_KEY),
            lines=lines,
        )
        refs = tuple(line.claim_ref for line in lines)
        store.store_new(DENTAL, "D-export", [NewInvoice(invoice, refs)], [])
    store.add_claim_markers("D-later", make_invoice(invoice_id="inv-later"), ["1001"])
    ctx = context(store, pages=1)
    # When
    first = run_migration(CANONICAL_CLAIM_MARKERS, ctx).answer()
    assert (first["complete"], first["summary"]["invoices_done"]) == (False, 100)
    rest = run_migration(CANONICAL_CLAIM_MARKERS, ctx, resume=first["resume"]).answer()
    assert rest["complete"] and rest["version"] == 6
    # Then 240 padded lines: 239 copied, 1001 (line 1 of invoice 100) was there
    counts = ("claim_markers_written", "claim_markers_present")
    assert [first["summary"][c] + rest["summary"][c] for c in counts] == [239, 1]
    assert store.calls.count("add_canonical_claim_markers") == 120
    assert store.known_claims(DENTAL, ["11", "1001", "1202"]) == {
        "11": KnownClaim("11", "D-export", "inv-0001"),
        "1001": KnownClaim("1001", "D-later", "inv-later"),
        "1202": KnownClaim("1202", "D-export", "inv-0120"),
    }
    again = run_migration(CANONICAL_CLAIM_MARKERS, context(store)).answer()["summary"]
    assert [again[c] for c in counts] == [0, 240]


def test_settings_versions_are_dated_practice_by_practice_over_requests_once():
    """legal-nl.md §8, R39 (migration version 7; stop 42): Given two practices whose
    settings versions (two and one) were stored before a save wrote their expiry, and
    requests that may do one practice each
    When the operator runs settings-version-expiry until complete, then again
    Then each request dates one practice's versions and answers where to go on, the run
    dates every version once; the second run writes none; a resume naming a position
    inside a practice is refused (this migration gives none)."""
    store = FakeStore(providers=[make_provider(provider_id=p) for p in (DENTAL, PHYSIO)])
    at = datetime(2026, 11, 23, 12, 0, tzinfo=AMSTERDAM)
    for provider_id, version in ((DENTAL, 1), (DENTAL, 2), (PHYSIO, 1)):
        change = SettingsVersion(provider_id, version, "operator-anna", "operators", at, ())
        store.settings_history.setdefault(provider_id, []).append(change)
    store.forget_settings_expiries()
    ctx = context(store, pages=1)
    answers = [run_migration(SETTINGS_VERSION_EXPIRY, ctx).answer()]
    while not answers[-1]["complete"]:
        resume = answers[-1]["resume"]
        answers.append(run_migration(SETTINGS_VERSION_EXPIRY, ctx, resume=resume).answer())
    done = [
        ([p["provider_id"] for p in a["practices"]], a["summary"]["settings_expiries_written"])
        for a in answers
    ]
    assert done == [([PHYSIO], 1), ([DENTAL], 2)]
    assert answers[-1]["version"] == 7 and store.undated == set()
    again = run_migration(SETTINGS_VERSION_EXPIRY, context(store)).answer()["summary"]
    assert (again["settings_expiries_written"], again["settings_expiries_present"]) == (0, 3)
    with pytest.raises(InvalidPosition):
        run_migration(SETTINGS_VERSION_EXPIRY, ctx, resume=f"{DENTAL}/1")


def test_block_records_are_dated_practice_by_practice_never_a_block_that_blocks():
    """legal-nl.md §8, R22, R39 (migration version 14; blocksttl54): Given in each of two
    practices a patient blocked and unblocked and one still blocked, stored before a
    block's save wrote an expiry, and requests that may do one practice each
    When the operator runs block-record-expiry until complete, then again
    Then each request dates one practice's three changes and its unblocked block, counts
    its block that blocks and leaves it; the second run writes none; a resume naming a
    position inside a practice is refused."""
    store = FakeStore(providers=[make_provider(provider_id=p) for p in (DENTAL, PHYSIO)])
    at = datetime(2026, 11, 2, 10, 0, tzinfo=AMSTERDAM)
    for provider_id in (DENTAL, PHYSIO):
        store.block_patient(provider_id, "P-OLD", "claim-old", at)
        store.release_claim(provider_id, "P-OLD", "claim-old", at.replace(hour=11))
        store.block_patient(provider_id, "P-NOW", "claim-now", at)
    store.forget_block_expiries()
    ctx = context(store, pages=1)
    answers = [run_migration(BLOCK_RECORD_EXPIRY, ctx).answer()]
    while not answers[-1]["complete"]:
        answers.append(
            run_migration(BLOCK_RECORD_EXPIRY, ctx, resume=answers[-1]["resume"]).answer()
        )
    done = [
        [
            (p["provider_id"], p["block_expiries_written"], p["blocks_still_blocking"])
            for p in a["practices"]
        ]
        for a in answers
    ]
    assert done == [[(PHYSIO, 4, 1)], [(DENTAL, 4, 1)]]
    assert answers[-1]["version"] == 14 and store.undated == set()
    again = run_migration(BLOCK_RECORD_EXPIRY, context(store)).answer()["summary"]
    assert again == {
        "invoices_total": 8,
        "invoices_done": 8,
        "block_expiries_written": 0,
        "block_expiries_present": 8,
        "blocks_still_blocking": 2,
        "blocks_changed_meanwhile": 0,
    }
    with pytest.raises(InvalidPosition):
        run_migration(BLOCK_RECORD_EXPIRY, ctx, resume=f"{DENTAL}/P-OLD")


# --- version 9: blocks written before they kept the BSN (R22, legal-nl.md §6) ----------------


def test_block_bsns_go_page_by_page_and_leave_a_block_whose_claims_hold_no_bsn(monkeypatch):
    """R22, legal-nl.md §6 (migration version 9, blocked-patient-bsn). Given three blocks
    of the dental practice written before the BSN was kept: P-1 and P-2 with an unpaid
    claim at the agency, P-3 whose claim has no BSN; and requests of one page of two blocks
    When the operator runs blocked-patient-bsn until complete, then again
    Then the first request stops after P-2 and the resume goes on with P-3; P-1 and P-2
    get their claims' BSN, P-3 is left (counted), and the second run writes nothing; no
    answer holds a BSN (R29)."""
    from billing_core.invoices.invoice import DunningStage
    from billing_core.services.operator import migrations

    monkeypatch.setattr(migrations, "PATIENT_BLOCK_PAGE", 2)
    store = FakeStore(providers=[make_provider(provider_id=DENTAL)])
    at = datetime(2027, 1, 28, 6, 0, tzinfo=UTC)
    bsns = {"P-1": "111222333", "P-2": "222333444", "P-3": ""}
    for number, (patient, bsn) in enumerate(bsns.items(), start=1):
        invoice = make_invoice(
            invoice_id=f"inv-{number}",
            provider_id=DENTAL,
            patient_ref=patient,
            bsn=bsn,
            reference=reference.for_sequence(number, REFERENCE_KEY),
            dunning_stage=DunningStage.WITH_COLLECTION_AGENCY,
            handed_over_on=at.date(),
        )
        store.put_invoice_before_names_and_marker(invoice)
        store.block_patient(DENTAL, patient, invoice.invoice_id, at)
    ctx = context(store, pages=1)

    first = run_migration(migrations.BLOCK_BSNS, ctx).answer()
    last = run_migration(migrations.BLOCK_BSNS, ctx, resume=first["resume"]).answer()
    again = run_migration(migrations.BLOCK_BSNS, ctx).answer()

    assert (first["complete"], first["resume"]) == (False, f"{DENTAL}/P-2")
    assert first["summary"]["block_bsns_written"] == 2
    assert last["complete"] and last["summary"]["blocks_without_claim_bsn"] == 1
    assert last["summary"]["block_bsns_written"] == 0
    assert again["summary"]["block_bsns_written"] == 0
    assert again["summary"]["blocks_without_claim_bsn"] == 1
    assert store.blocked_refs_with_bsn(DENTAL) == frozenset(
        {("P-1", "111222333"), ("P-2", "222333444"), ("P-3", "")}
    )
    for answer in (first, last, again):
        assert "111222333" not in repr(answer) and "222333444" not in repr(answer)
    with pytest.raises(InvalidPosition):
        run_migration(migrations.BLOCK_BSNS, ctx, resume=f"{DENTAL}/{'P' * 65}")


# --- version 15: old weeks keep the agency's transfers (R24; remitted54) -------------------


def week_stored_before_remitted54(
    store: FakeStore, files: FilesInMemory, provider_id: str, label: str, remitted: int | None
) -> StatementSummary:
    """The week's item without the agency's transfers, as stored before remitted54, and its
    JSON statement naming ``remitted`` (None: the retention deleted the file)."""
    summary = replace(
        statement_totals(provider_id, Week.parse(label), 10_000), remitted_by_agency_cents=None
    )
    store.put_retrocession(summary)
    if remitted is not None:
        information = {"collected_by_agency": 0, "remitted_by_agency": remitted}
        document = json.dumps({"week": label, "information": information}).encode()
        files.put(statement_key(provider_id, summary.week, "json"), document, "application/json")
    return summary


def test_old_weeks_get_the_agencys_transfers_their_statement_names_week_page_by_week_page(
    monkeypatch,
):
    """R24 (migration version 15; remitted54): Given the dental practice's weeks 5 to 8
    stored before they kept the agency's transfers (week 8's statement names 1,250, weeks
    6 and 7 none, week 5's file deleted by the retention) and week 9 stored since, the
    physio practice's week 8 stored before; requests of one page of two weeks
    When the operator runs statement-agency-transfers until complete, then again
    Then each old week with a file gets its statement's figure, newest first, a resume
    after each page; week 5 is counted gone and left; week 9 is not touched; the second
    run writes none and reads no file; a resume that is no week is refused."""
    from billing_core.services.operator import migrations

    monkeypatch.setattr(migrations, "WEEK_PAGE", 2)
    store = FakeStore(providers=[make_provider(provider_id=p) for p in (DENTAL, PHYSIO)])
    files = FilesInMemory()
    for label, remitted in (
        ("2027-W05", None),
        ("2027-W06", 0),
        ("2027-W07", 0),
        ("2027-W08", 1_250),
    ):
        week_stored_before_remitted54(store, files, DENTAL, label, remitted)
    store.put_retrocession(statement_totals(DENTAL, Week.parse("2027-W09"), 500))
    week_stored_before_remitted54(store, files, PHYSIO, "2027-W08", 300)
    ctx = replace(context(store, pages=1), reports=files)
    # When
    answers = [run_migration(AGENCY_TRANSFERS, ctx).answer()]
    while not answers[-1]["complete"]:
        answers.append(run_migration(AGENCY_TRANSFERS, ctx, resume=answers[-1]["resume"]).answer())
    # Then the physio practice first, then the dental weeks newest first, two a request
    assert [a["resume"] for a in answers] == [
        f"{DENTAL}/",
        f"{DENTAL}/2027-W08",
        f"{DENTAL}/2027-W06",
        None,
    ]
    assert [
        [(p["provider_id"], p["invoices_done"], p["invoices_total"]) for p in a["practices"]]
        for a in answers
    ] == [[(PHYSIO, 1, 1)], [(DENTAL, 2, 5)], [(DENTAL, 4, 5)], [(DENTAL, 5, 5)]]
    remitted = {key: s.remitted_by_agency_cents for key, s in store.retrocessions.items()}
    assert remitted == {
        (DENTAL, "2027-W05"): None,
        (DENTAL, "2027-W06"): 0,
        (DENTAL, "2027-W07"): 0,
        (DENTAL, "2027-W08"): 1_250,
        (DENTAL, "2027-W09"): 0,
        (PHYSIO, "2027-W08"): 300,
    }
    counted = ("agency_transfers_written", "agency_transfers_present", "statement_files_gone")
    assert [sum(a["summary"][name] for a in answers) for name in counted] == [4, 1, 1]
    assert {a["version"] for a in answers} == {15}
    # And a second run writes none and reads no statement file but the gone week's
    read: list[str] = []
    monkeypatch.setattr(files, "get", lambda key: read.append(key) or FilesInMemory.get(files, key))
    again = run_migration(AGENCY_TRANSFERS, replace(context(store), reports=files)).answer()
    assert again["summary"] == {
        "invoices_total": 6,
        "invoices_done": 6,
        "agency_transfers_written": 0,
        "agency_transfers_present": 5,
        "statement_files_gone": 1,
    }
    assert read == [statement_key(DENTAL, Week.parse("2027-W05"), "json")]
    with pytest.raises(InvalidPosition):
        run_migration(AGENCY_TRANSFERS, ctx, resume=f"{DENTAL}/P-1")


# --- version 16: actions on the action list's index (R23, R35; actionpages56) --------------


def numbered_objection(number: int, first_made: datetime) -> OpenAction:
    """The dental practice's objection ``number``, made ``number`` minutes after the first."""
    return OpenAction(
        action_id=f"objection-{number:04d}",
        provider_id=DENTAL,
        kind=ActionKind.OBJECTION,
        invoice_id=f"inv-{number:04d}",
        reference=reference.for_sequence(number + 1, REFERENCE_KEY),
        created_at=first_made + timedelta(minutes=number),
    )


def test_actions_before_the_list_index_are_put_on_it_oldest_first_over_requests_once():
    """R23, R35 (migration version 16; actionpages56): Given 150 actions of the dental
    practice a minute apart, the first 120 stored before the action list's index (its
    pages miss them), the last 30 since; requests of one page (100 actions)
    When the operator runs action-list-index until complete, then again
    Then the first request does the 100 oldest and resumes after the 100th's position, the
    second the other 50: 120 written, 30 present; the pages then hold all 150 in the
    list's order; the second run writes none; a resume that is no position is refused."""
    store = FakeStore(providers=[make_provider(provider_id=DENTAL)])
    first_made = datetime(2026, 11, 2, 9, 0, tzinfo=AMSTERDAM)
    for number in range(150):
        action = numbered_objection(number, first_made)
        if number < 120:
            store.put_action_before_list_index(action)
        else:
            store.put_action(action)
    assert len(store.action_page(DENTAL, None, 200)[0]) == 30
    ctx = context(store, pages=1)
    first = run_migration(ACTION_LIST_INDEX, ctx).answer()
    hundredth = (first_made + timedelta(minutes=99)).astimezone(UTC).isoformat()
    assert first["resume"] == f"{DENTAL}/{hundredth}#objection-0099"
    assert (first["complete"], first["summary"]["invoices_done"]) == (False, 100)
    rest = run_migration(ACTION_LIST_INDEX, ctx, resume=first["resume"]).answer()
    assert rest["complete"] and rest["version"] == 16
    counts = ("action_list_index_written", "action_list_index_present")
    assert tuple(first["summary"][c] + rest["summary"][c] for c in counts) == (120, 30)
    assert store.action_page(DENTAL, None, 200) == (store.list_actions(DENTAL), None)
    again = run_migration(ACTION_LIST_INDEX, context(store)).answer()["summary"]
    assert tuple(again[c] for c in counts) == (0, 150)
    with pytest.raises(InvalidPosition):
        run_migration(ACTION_LIST_INDEX, ctx, resume=f"{DENTAL}/objection-0099")


# --- version 17: open actions under their own prefix of the list (R23, R35; openact57) -----


def test_open_actions_listed_before_the_open_prefix_are_moved_oldest_first_over_requests_once():
    """R23, R35 (migration version 17; openact57): Given 150 actions of the dental practice
    a minute apart: the first 90 open and listed as before openact57 (the open list misses
    them), the next 30 done, the last 30 open since; requests of one page (100 actions)
    When the operator runs open-action-list until complete, then again
    Then the first request does the 100 oldest and resumes after the 100th's position, the
    second the other 50: 90 written, 60 present (the done ones with no write); the open
    list then holds all 120 open ones in the list's order; the second run writes none."""
    store = FakeStore(providers=[make_provider(provider_id=DENTAL)])
    first_made = datetime(2026, 11, 2, 9, 0, tzinfo=AMSTERDAM)
    for number in range(150):
        action = numbered_objection(number, first_made)
        if number < 90:
            store.put_open_action_at_bare_position(action)
        else:
            store.put_action(action.done() if number < 120 else action)
    assert len(store.action_page(DENTAL, ActionState.OPEN, 200)[0]) == 30
    ctx = context(store, pages=1)
    first = run_migration(OPEN_ACTION_LIST, ctx).answer()
    hundredth = (first_made + timedelta(minutes=99)).astimezone(UTC).isoformat()
    assert first["resume"] == f"{DENTAL}/{hundredth}#objection-0099"
    assert (first["complete"], first["summary"]["invoices_done"]) == (False, 100)
    rest = run_migration(OPEN_ACTION_LIST, ctx, resume=first["resume"]).answer()
    assert rest["complete"] and rest["version"] == 17
    counts = ("open_action_list_written", "open_action_list_present")
    assert tuple(first["summary"][c] + rest["summary"][c] for c in counts) == (90, 60)
    opened = store.list_actions(DENTAL, ActionState.OPEN)
    assert [a.action_id for a in opened] == [
        f"objection-{n:04d}" for n in (*range(90), *range(120, 150))
    ]
    assert store.action_page(DENTAL, ActionState.OPEN, 200) == (opened, None)
    again = run_migration(OPEN_ACTION_LIST, context(store)).answer()["summary"]
    assert tuple(again[c] for c in counts) == (0, 150)


def test_open_credits_kept_before_their_index_are_put_on_it_once_for_no_practice():
    """R34, migration version 19, open-credit-index (credits58b). Given two bank credits
    nobody matched, kept before the operator's list read an index of the open ones (one
    matched since), and one kept after
    When an operator runs open-credit-index for every practice, then again
    Then the first run puts the open one on the index (1), lists no practice and records
    no read (counts only, R32); the second puts none on it; the list then holds both open
    credits, oldest booking first; the answer is the API's counts of version 19."""
    from billing_core.entrypoints.http.operator_models import MigrationOut, OpenCreditIndexCountsOut
    from billing_core.payments.unmatched import CreditMatch, MatchPart
    from tests.contract.test_payment_links import unmatched
    from tests.unit.payment_fakes import LinksInMemory

    store = old_store({DENTAL: 1})
    links = LinksInMemory(store)
    old_open, old_matched = (
        unmatched("OLD-1", date(2026, 11, 2)),
        unmatched("OLD-2", date(2026, 11, 3)),
    )
    for kept in (old_open, old_matched):
        links.keep_unmatched_credit(kept)
        links.not_indexed.add(kept.credit_id)
    plan = CreditMatch(
        datetime(2026, 12, 1, 9, tzinfo=UTC), "operator-1", (MatchPart("1", "inv-1", 1),)
    )
    links.plan_credit_match(old_matched.credit_id, plan)
    new = unmatched("NEW-1", date(2026, 11, 30))
    links.keep_unmatched_credit(new)
    ctx = replace(context(store), links=links)

    first = run_migration(OPEN_CREDIT_INDEX, ctx)
    second = run_migration(OPEN_CREDIT_INDEX, ctx).answer()

    counts = {"open_credits_indexed": 1, "open_credits_matched_meanwhile": 0}
    assert (first.answer()["summary"], first.answer()["practices"]) == (counts, [])
    assert second["summary"] == {"open_credits_indexed": 0, "open_credits_matched_meanwhile": 0}
    assert isinstance(MigrationOut.of(first).summary, OpenCreditIndexCountsOut)
    assert ctx.audit.records == [] and first.resume is None
    assert links.unmatched_credit_page(10) == ([old_open, new], None)
