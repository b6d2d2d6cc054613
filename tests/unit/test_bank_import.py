"""The bank import's decisions per transaction, on in-memory stores (R12, R13)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime

import pytest

from billing_core.payments import camt053
from billing_core.payments.bank_import import BankImportContext, import_statement, unmatched_key
from billing_core.shared import reference
from billing_core.shared.clock import AMSTERDAM, FixedClock
from tests.unit.camt_builder import ACCOUNT, credit, debit, statement
from tests.unit.factories import INVOICE_ID, REFERENCE, REFERENCE_KEY, make_invoice
from tests.unit.fake_store import FakeStore, FilesInMemory
from tests.unit.payment_fakes import LinksInMemory

DUE = 3317


@pytest.fixture
def ctx() -> BankImportContext:
    return BankImportContext(
        store=FakeStore([make_invoice()]),
        files=FilesInMemory(),
        links=LinksInMemory(),
        clock=FixedClock(datetime(2026, 11, 25, 6, 0, tzinfo=AMSTERDAM)),
    )


def run(ctx, *entries, key="camt053/2026-11-24.xml"):
    return import_statement(statement(*entries), key, ctx)


def reasons(ctx, report):
    return [line["reason"] for line in json.loads(ctx.files.files[report.unmatched_key])["lines"]]


def test_a_booked_credit_is_remembered_by_its_transfer_ids_for_a_later_return(ctx):
    run(ctx, credit(1000, reference="ING-1", scor=REFERENCE, tx_id="TX-1", end_to_end_id="E2E-1"))
    assert {t for _, t in ctx.links.links} == {"TX-1", "E2E-1"}
    assert ctx.links.find_bank_credit(ACCOUNT, "TX-1").source_id == f"{ACCOUNT}/ING-1"


def test_a_payment_is_dated_on_the_banks_booking_date(ctx):
    run(ctx, credit(1000, scor=REFERENCE, booking_date="2026-11-24"))
    [payment] = [e for e in ctx.store.invoice().ledger if e.kind.value == "payment"]
    assert payment.at.astimezone(AMSTERDAM).date() == date(2026, 11, 24)


def test_r12_a_return_the_bank_says_only_by_its_transaction_code_undoes_the_payment(ctx):
    """R12, R27: Given € 20,00 booked from a transfer (TxId TX-1) When the next statement
    has a debit of € 20,00 repeating TX-1 that the bank marks as the return of a received
    transfer only by its transaction code (BkTxCd PMNT/RCDT/RRTN, no RtrInf) Then it is
    booked as that payment's reversal: € 33,17 is due again, nothing listed as bank costs.
    Before: read as bank costs (debits_ignored 1), the invoice stayed paid down by
    € 20,00 with the money gone, and no operator list could book it."""
    run(ctx, credit(2000, scor=REFERENCE, tx_id="TX-1"))
    report = run(ctx, debit(2000, bank_code="PMNT/RCDT/RRTN", tx_id="TX-1"))
    assert (len(report.reversed), report.other_debits) == (1, [])
    assert ctx.store.invoice().amount_due_cents == DUE
    [reversal] = [e for e in ctx.store.invoice().ledger if e.kind.value == "reversal"]
    assert reversal.amount_cents == 2000


def test_a_partial_return_reverses_only_what_came_back(ctx):
    run(ctx, credit(2000, scor=REFERENCE, tx_id="TX-1"))
    report = run(ctx, debit(500, return_reason="MD06", tx_id="TX-1"))
    assert len(report.reversed) == 1
    assert ctx.store.invoice().amount_due_cents == DUE - 2000 + 500


def test_a_return_of_more_than_was_booked_is_left_to_a_person(ctx):
    run(ctx, credit(1000, scor=REFERENCE, tx_id="TX-1"))
    report = run(ctx, debit(1500, return_reason="AC04", tx_id="TX-1"))
    assert reasons(ctx, report) == ["return_not_bookable"]
    assert ctx.store.invoice().amount_due_cents == DUE - 1000


def test_a_return_quoting_another_kenmerk_than_its_original_is_left_to_a_person(ctx):
    run(ctx, credit(1000, scor=REFERENCE, tx_id="TX-1"))
    report = run(
        ctx, debit(1000, return_reason="MD06", tx_id="TX-1", ustrd=("nota 12234534622567",))
    )
    assert reasons(ctx, report) == ["return_without_original"]


def test_a_credit_that_reverses_a_debit_and_one_in_another_currency_are_left_to_a_person(ctx):
    report = run(
        ctx,
        credit(1000, reversal=True, scor=REFERENCE),
        credit(1000, scor=REFERENCE, currency="USD"),
    )
    assert reasons(ctx, report) == ["reversed_debit", "other_currency"]
    assert ctx.store.invoice().amount_due_cents == DUE


def test_the_same_entry_twice_in_one_file_is_booked_once(ctx):
    report = run(
        ctx,
        credit(1000, reference="ING-9", scor=REFERENCE),
        credit(1000, reference="ING-9", scor=REFERENCE),
    )
    assert (len(report.booked), report.duplicates) == (1, 1)


def test_r12_r3_a_retried_upload_counts_its_own_bookings_once_and_a_repeat_still_a_duplicate(
    ctx, subtests
):
    """R12 "duplicates are ignored", R3 (a crashed run retried) (audit bank4):
    Given a run of the function (its upload's checkpoint key) of a file listing one
    credit twice, and one of a file with that credit's return
    When each upload is run a second time (Lambda's retry of a run that crashed after its
    bookings, before it answered)
    Then the credit counts as booked once and its repeat as a duplicate, both times, and
    the return as reversed, not a duplicate (before: the retries counted every entry a
    duplicate)."""
    from billing_core.payments.bank_import import checkpoint_key

    def upload(version: str, *entries):
        key = f"camt053/{version}.xml"
        run_of = replace(ctx, checkpoint_key=checkpoint_key(key, version), checkpoints=ctx.files)
        first, retried = (run(run_of, *entries, key=key) for _ in range(2))
        return first, retried

    twice = credit(1000, reference="ING-9", scor=REFERENCE, tx_id="TX-9")
    credits = upload("v1", twice, twice)
    returns = upload("v2", debit(1000, reference="ING-R", return_reason="MD06", tx_id="TX-9"))

    for name, report in zip(("first", "retried"), credits, strict=True):
        with subtests.test(f"the credit twice, {name}"):
            assert (len(report.booked), report.duplicates) == (1, 1)
    for name, report in zip(("first", "retried"), returns, strict=True):
        with subtests.test(f"its return, {name}"):
            assert (len(report.reversed), report.duplicates) == (1, 0)
    assert ctx.store.invoice().amount_due_cents == DUE


def test_nothing_unmatched_writes_no_list(ctx):
    report = run(ctx, credit(1000, scor=REFERENCE))
    assert report.unmatched_key == "" and ctx.files.files == {}


def test_a_refused_statement_books_nothing_and_says_why(ctx):
    report = import_statement(b"<?xml version='1.0'?><Document/>", "camt053/x.xml", ctx)
    assert (report.outcome, report.refusal) == ("refused", "not a camt.053.001 Document")
    assert ctx.store.invoice().version == 0


def test_the_summary_for_the_log_holds_no_payer_details(ctx):
    report = run(ctx, credit(6017, ustrd=("Betaling J. Jansen",), payer="J. Jansen"))
    assert "Jansen" not in json.dumps(report.summary()) and "NL91" not in json.dumps(
        report.summary()
    )


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("camt053/2026-11-24.xml", "bank/unmatched/2026-11-25/2026-11-24.json"),
        ("camt053/ING 24 nov (1).xml", "bank/unmatched/2026-11-25/ING-24-nov-1-.json"),
        ("camt053/../../reports/x.xml", "bank/unmatched/2026-11-25/x.json"),
        ("camt053/ing/statement.xml", "bank/unmatched/2026-11-25/ing/statement.json"),
        ("camt053/ING NL/nov 24.xml", "bank/unmatched/2026-11-25/ING-NL/nov-24.json"),
        ("camt053/ing/../abn/x.xml", "bank/unmatched/2026-11-25/x.json"),
        ("camt053/ing//./x.xml", "bank/unmatched/2026-11-25/x.json"),
    ],
)
def test_the_unmatched_list_key_is_made_of_safe_characters(key, expected):
    assert unmatched_key(date(2026, 11, 25), key) == expected


def test_r12_a_return_quoting_the_kenmerk_reverses_the_one_payment_of_its_amount(ctx):
    """R12 "returned transfers are reversed" (audit money D1, variant B): given a transfer
    quoting the kenmerk without a TxId (EndToEndId NOTPROVIDED), booked on the invoice
    When the bank returns it quoting the kenmerk, and that statement is read again
    Then the payment is reversed once: what it paid is due again."""
    run(ctx, credit(1000, scor=REFERENCE))
    returned = debit(1000, reference="ING-R1", return_reason="AC04", scor=REFERENCE)

    report, again = run(ctx, returned), run(ctx, returned, key="camt053/again.xml")

    assert (len(report.reversed), report.unmatched) == (1, [])
    assert (again.duplicates, again.unmatched) == (1, [])
    assert ctx.store.invoice().amount_due_cents == DUE


@pytest.mark.parametrize(
    ("payments", "returned"),
    [
        ((1000, 1000), 1000),  # two payments of its amount: which one is not ours to guess
        ((1000,), 400),  # part of a payment: which one, or a fee, a person sees
        ((1000,), 1500),  # more than any payment
    ],
)
def test_r12_a_return_by_kenmerk_that_fits_no_one_payment_is_left_to_a_person(
    ctx, payments, returned
):
    """R12: the kenmerk and the amount trace a return only when exactly one bank payment of
    exactly its amount, none of it reversed yet, is on that invoice."""
    run(ctx, *(credit(cents, scor=REFERENCE) for cents in payments))
    report = run(ctx, debit(returned, return_reason="MD06", scor=REFERENCE))
    assert reasons(ctx, report) == ["return_without_original"]
    assert ctx.store.invoice().amount_due_cents == DUE - sum(payments)


def test_r12_a_return_listed_before_its_own_credit_is_traced_to_it(ctx):
    """R12 "returned transfers are reversed" (audit payments-in PAYIN4): given a statement
    whose return of TxId X is listed before the credit with TxId X
    When it is imported, and then again
    Then the credit is booked and the return reverses it (nothing for a person), the amount
    due is what it was, and the second import is all duplicates (the keys are unchanged)."""
    returned = debit(800, reference="ING-R", return_reason="AC04", tx_id="TX-1", scor=REFERENCE)
    booked = credit(800, reference="ING-C", scor=REFERENCE, tx_id="TX-1")

    report = run(ctx, returned, booked)
    again = run(ctx, returned, booked, key="camt053/again.xml")

    assert (len(report.booked), len(report.reversed), report.unmatched) == (1, 1, [])
    assert ctx.store.invoice().amount_due_cents == DUE
    assert (again.duplicates, again.booked, again.reversed) == (2, [], [])


def without_bank_reference(*entries, statement_id):
    """A statement whose entries the bank gave no AcctSvcrRef, only NtryRef 1, 2, ..."""
    for number, entry in enumerate(entries, 1):
        entry.reference, entry.ntry_ref = None, str(number)
    return statement(*entries, statement_id=statement_id)


def test_r12_one_transfer_in_two_overlapping_statements_is_booked_once(ctx):
    """R12 "duplicates (same bank entry reference) are ignored" (audit payments-in PAYIN1):
    given a credit with NtryRef 1 and TxId X and no AcctSvcrRef, imported in statement S1
    When a statement S2 with another Id (the 24th-25th) repeats it
    Then S2 books nothing and reports one duplicate: the invoice has one payment."""
    day = without_bank_reference(credit(500, scor=REFERENCE, tx_id="X"), statement_id="S1")
    days = without_bank_reference(
        credit(500, scor=REFERENCE, tx_id="X"), credit(300, scor=REFERENCE), statement_id="S2"
    )

    first = import_statement(day, "camt053/s1.xml", ctx)
    overlapping = import_statement(days, "camt053/s2.xml", ctx)

    assert (len(first.booked), len(overlapping.booked), overlapping.duplicates) == (1, 1, 1)
    assert ctx.store.invoice().amount_due_cents == DUE - 500 - 300
    # The credit without a TxId can only be keyed by its statement: reported, not hidden.
    assert (first.keyed_by_statement, overlapping.keyed_by_statement) == (0, 1)


@pytest.mark.parametrize("bank_reference_first", [True, False])
def test_r12_one_transfer_with_and_without_the_banks_reference_is_booked_once(
    ctx, bank_reference_first
):
    """R12 "duplicates (same bank entry reference) are ignored" (audit camt, stop 45):
    given a credit of EUR 5,00 with TxId X, listed in one statement with the bank's
    AcctSvcrRef and in an overlapping one without it (only NtryRef), in either order,
    when both are imported, then the second books nothing and reports a duplicate: the
    invoice has one payment of EUR 5,00, not two for the one transfer."""
    with_reference = statement(
        credit(500, reference="ING-77", scor=REFERENCE, tx_id="X"), statement_id="S1"
    )
    without = without_bank_reference(credit(500, scor=REFERENCE, tx_id="X"), statement_id="S2")
    first, second = (with_reference, without) if bank_reference_first else (without, with_reference)

    import_statement(first, "camt053/s1.xml", ctx)
    again = import_statement(second, "camt053/s2.xml", ctx)

    assert (len(again.booked), again.duplicates) == (0, 1)
    assert ctx.store.invoice().amount_due_cents == DUE - 500


def test_r12_two_transfers_that_share_only_an_end_to_end_id_are_both_booked(ctx):
    """R12: the payer chooses the EndToEndId and may repeat it (the invoice number on
    every instalment): given two credits of EUR 5,00 with one EndToEndId, other TxIds and
    the bank's own references, when imported, then both are booked."""
    report = run(
        ctx,
        credit(500, scor=REFERENCE, tx_id="X1", end_to_end_id="NOTA-1"),
        credit(500, scor=REFERENCE, tx_id="X2", end_to_end_id="NOTA-1"),
    )
    assert (len(report.booked), report.duplicates) == (2, 0)
    assert ctx.store.invoice().amount_due_cents == DUE - 1000


def test_r12_a_return_and_its_credit_without_bank_references_have_keys_of_their_own(ctx):
    """R12: a return repeats its credit's TxId; keyed by the TxId, the two must still
    differ, or the return would be taken for the credit."""
    credit_ = credit(800, scor=REFERENCE, tx_id="X")
    returned = debit(800, return_reason="AC04", tx_id="X")

    report = import_statement(
        without_bank_reference(credit_, returned, statement_id="S1"), "a", ctx
    )

    assert (len(report.booked), len(report.reversed), report.unmatched) == (1, 1, [])
    assert ctx.store.invoice().amount_due_cents == DUE


def keyed_as_before_this_change(monkeypatch):
    """The parser as it was: an entry without AcctSvcrRef keyed {Stmt/Id}/{NtryRef}."""
    monkeypatch.setattr(camt053, "_keyed_by_transfer", lambda xml, detail, booking: booking)


@pytest.mark.parametrize(
    ("entries", "outcome"),
    [
        (lambda: [credit(500, scor=REFERENCE, tx_id="X")], (0, 0, 1, 0)),
        (lambda: [credit(500, ustrd=("geen kenmerk",), tx_id="X")], (0, 0, 0, 1)),
        (
            lambda: [
                credit(800, scor=REFERENCE, tx_id="X"),
                debit(800, return_reason="AC04", tx_id="X"),
            ],
            (0, 0, 2, 0),
        ),
    ],
    ids=["booked", "listed", "returned"],
)
def test_r12_a_statement_imported_with_the_old_keys_is_a_duplicate_when_it_comes_again(
    ctx, monkeypatch, entries, outcome
):
    """R12 (PAYIN1, the deploy): given a statement without AcctSvcrRefs imported while its
    entries were keyed {Stmt/Id}/{NtryRef} (booked, listed for a person, or reversed)
    When it is uploaded again after the change (its entries now keyed by their TxId)
    Then it books nothing (duplicates n), lists nothing new, and the invoice is unchanged."""
    xml = without_bank_reference(*entries(), statement_id="S1")
    with monkeypatch.context() as old:
        keyed_as_before_this_change(old)
        import_statement(xml, "camt053/s1.xml", ctx)
    before = (ctx.store.invoice(), ctx.links.unmatched_credits())

    again = import_statement(xml, "camt053/s1-again.xml", ctx)

    counts = (len(again.booked), len(again.reversed), again.duplicates, len(again.unmatched))
    assert counts == outcome
    assert (ctx.store.invoice(), ctx.links.unmatched_credits()) == before


def test_r12_r39_a_refused_statement_is_counted_and_written_for_the_operator(ctx):
    """R12 "a malformed file: clear error and nothing lost", R39 (audit payments-in PAYIN2):
    given a statement cut short in transfer
    When it is imported
    Then nothing is booked, ``Bank_refused`` counts it (an alarm watches that metric), and
    bank/refused/{day}/{file}.json names the file and the reason, with no payer details."""
    whole = statement(credit(1000, scor=REFERENCE, payer="J. Jansen"))

    report = import_statement(whole[:-30], "camt053/2026-11-24.xml", ctx)

    entry = report.log_entry()
    assert (entry.error, entry.counts["Bank_refused"]) == (True, 1)
    assert report.refusal_key == "bank/refused/2026-11-25/2026-11-24.json"
    written = json.loads(ctx.files.files[report.refusal_key])
    assert written == {"statement_key": "camt053/2026-11-24.xml", "refusal": report.refusal}
    assert report.refusal.startswith("not well-formed XML") and "Jansen" not in str(written)
    assert ctx.store.invoice().version == 0


def test_an_imported_statement_counts_no_refusal(ctx):
    report = run(ctx, credit(1000, scor=REFERENCE))
    assert (report.log_entry().counts["Bank_refused"], report.refusal_key) == (0, "")


@pytest.mark.parametrize("bank_reference_first", [True, False])
def test_r12_r34_one_unmatched_transfer_in_two_overlapping_statements_is_one_line(
    ctx, bank_reference_first
):
    """R12 "duplicates are ignored", R34 "unmatched credits become a list" (audit camt2):
    given a credit of EUR 7,00 without a kenmerk, TxId X, listed in one statement with the
    bank's AcctSvcrRef and in an overlapping one without it (only NtryRef), in either order
    When both are imported
    Then the second lists nothing and reports a duplicate: the operator sees one line
    (one kept credit), which cannot be matched twice; the first statement read again
    still lists its own line."""
    text = ("tandarts november",)
    with_reference = statement(
        credit(700, reference="ING-77", ustrd=text, tx_id="X"), statement_id="S1"
    )
    without = without_bank_reference(credit(700, ustrd=text, tx_id="X"), statement_id="S2")
    first, second = (with_reference, without) if bank_reference_first else (without, with_reference)

    listed = import_statement(first, "camt053/s1.xml", ctx)
    again = import_statement(second, "camt053/s2.xml", ctx)
    reread = import_statement(first, "camt053/s1.xml", ctx)

    assert (len(listed.unmatched), len(again.unmatched), again.duplicates) == (1, 0, 1)
    assert [c.source_id for c in ctx.links.unmatched_credits()] == [listed.unmatched[0].source_id]
    assert len(reread.unmatched) == 1


def in_one_file(*documents: bytes) -> bytes:
    """The statements of each document as one document's, in order (a bank's download of
    several days or accounts)."""
    texts = [document.decode() for document in documents]
    stmts = "".join(t[t.index("<Stmt>") : t.index("</BkToCstmrStmt>")] for t in texts)
    first = texts[0]
    return (
        first[: first.index("<Stmt>")] + stmts + first[first.index("</BkToCstmrStmt>") :]
    ).encode()


def test_r12_r34_the_same_unmatched_transfer_twice_in_one_file_is_one_line(ctx):
    """R12, R34 (audit camt2): given one file with two statements that both list a credit
    of EUR 7,00 without a kenmerk, TxId X (with and without the bank's AcctSvcrRef)
    When it is imported
    Then one line is listed and one duplicate reported; two credits with other TxIds of
    the same amount are two lines."""
    with_reference = credit(700, reference="ING-77", ustrd=("zomaar",), tx_id="X")
    other = credit(700, ustrd=("zomaar",), tx_id="Y")
    without = without_bank_reference(credit(700, ustrd=("zomaar",), tx_id="X"), statement_id="S2")
    both = in_one_file(statement(with_reference, other, statement_id="S1"), without)

    report = import_statement(both, "camt053/two.xml", ctx)

    assert (report.statements, len(report.unmatched), report.duplicates) == (["S1", "S2"], 2, 1)
    assert sorted(line.transaction_id for line in report.unmatched) == ["X", "Y"]


def test_r12_the_collection_account_is_recognised_as_configured_with_spaces(ctx):
    """R12 (audit camt2): given the collection account configured as printed on invoices
    (groups of four, lower case) When its statement is imported Then it is booked; a
    statement of another account books nothing and names only its last 4 characters."""
    ours = replace(ctx, collection_iban="nl20 ingb 0001 2345 67")
    booked = run(ours, credit(1000, scor=REFERENCE))
    other = statement(credit(1000, scor=REFERENCE)).replace(ACCOUNT.encode(), b"NL02ABNA0123456789")
    refused = import_statement(other, "camt053/other.xml", ours)

    assert (booked.outcome, len(booked.booked)) == ("imported", 1)
    assert (refused.outcome, refused.booked, refused.statements) == ("refused", [], [])
    assert "ending 6789" in refused.refusal and "ABNA0123" not in refused.refusal
    assert ctx.store.invoice().amount_due_cents == DUE - 1000


# --- an end-to-end id the payer repeats (audit59b) ----------------------------------------------

SECOND = reference.for_sequence(2, REFERENCE_KEY)


def two_invoices() -> FakeStore:
    return FakeStore([make_invoice(), make_invoice(invoice_id="inv-2", reference=SECOND)])


def test_r12_a_return_traced_only_by_an_end_to_end_id_two_credits_share_goes_to_a_person():
    """R12 "returned transfers are reversed", R27, R34 (audit59b): Given two credits of
    € 33,17 from one payer, TxIds TX-1 and TX-2, both with EndToEndId KLANT-77 (a payer's
    software that repeats it), one paying invoice 1 and one invoice 2
    When the bank returns € 33,17 with its own TxId TX-R, EndToEndId KLANT-77 and no
    remittance
    Then nothing is reversed: both invoices stay paid (0 due), and the return is on the
    operator's list as ``return_transfer_id_shared``, for a person to say which it undoes.
    Before: the link of KLANT-77 kept only the first credit, and the import reversed
    invoice 1 (€ 33,17 due again) though the money of invoice 2 may have come back."""
    ctx = BankImportContext(
        store=two_invoices(),
        files=FilesInMemory(),
        links=LinksInMemory(),
        clock=FixedClock(datetime(2026, 11, 25, 6, 0, tzinfo=AMSTERDAM)),
    )
    run(
        ctx,
        credit(DUE, scor=REFERENCE, tx_id="TX-1", end_to_end_id="KLANT-77"),
        credit(DUE, scor=SECOND, tx_id="TX-2", end_to_end_id="KLANT-77"),
    )

    report = run(ctx, debit(DUE, return_reason="MD06", tx_id="TX-R", end_to_end_id="KLANT-77"))

    assert [ctx.store.invoice(i).amount_due_cents for i in (INVOICE_ID, "inv-2")] == [0, 0]
    assert (report.reversed, reasons(ctx, report)) == ([], ["return_transfer_id_shared"])
    [listed] = ctx.links.unmatched_credits()
    assert (listed.direction, listed.amount_cents, listed.reason) == (
        "DBIT",
        DUE,
        "return_transfer_id_shared",
    )


def test_r12_a_return_by_a_shared_end_to_end_id_that_quotes_a_kenmerk_undoes_that_payment():
    """R12: Given the two credits of KLANT-77 above When the return quotes invoice 2's
    kenmerk Then the kenmerk and the amount trace it (the one payment of € 33,17 there):
    invoice 2 owes € 33,17 again, invoice 1 stays paid, nothing is listed."""
    ctx = BankImportContext(
        store=two_invoices(),
        files=FilesInMemory(),
        links=LinksInMemory(),
        clock=FixedClock(datetime(2026, 11, 25, 6, 0, tzinfo=AMSTERDAM)),
    )
    run(
        ctx,
        credit(DUE, scor=REFERENCE, tx_id="TX-1", end_to_end_id="KLANT-77"),
        credit(DUE, scor=SECOND, tx_id="TX-2", end_to_end_id="KLANT-77"),
    )

    returned = debit(DUE, return_reason="MD06", tx_id="TX-R", end_to_end_id="KLANT-77", scor=SECOND)
    report = run(ctx, returned)

    assert (len(report.reversed), report.unmatched) == (1, [])
    assert [ctx.store.invoice(i).amount_due_cents for i in (INVOICE_ID, "inv-2")] == [0, DUE]


def test_r12_the_same_credit_read_again_does_not_make_its_end_to_end_id_shared(ctx):
    """R12: Given a credit with EndToEndId KLANT-77 When its statement is read again (a
    duplicate) Then its link still traces it: a return by KLANT-77 alone undoes it."""
    booked = credit(1000, reference="ING-1", scor=REFERENCE, tx_id="TX-1", end_to_end_id="KLANT-77")
    run(ctx, booked)
    run(ctx, booked, key="camt053/again.xml")

    report = run(ctx, debit(1000, return_reason="MD06", tx_id="TX-R", end_to_end_id="KLANT-77"))

    assert (len(report.reversed), report.unmatched) == (1, [])
    assert ctx.store.invoice().amount_due_cents == DUE


def test_r12_notprovided_is_no_end_to_end_id_a_return_could_be_traced_by(ctx):
    """R12 (audit59b: "NOTPROVIDED" must never match): Given a credit whose EndToEndId is
    the SEPA placeholder NOTPROVIDED When it is booked Then it is remembered by its TxId
    only, and a return with another TxId and NOTPROVIDED is for a person."""
    run(ctx, credit(1000, scor=REFERENCE, tx_id="TX-1", end_to_end_id="NOTPROVIDED"))
    assert {t for _, t in ctx.links.links} == {"TX-1"}

    report = run(ctx, debit(1000, return_reason="MD06", tx_id="TX-R", end_to_end_id="NOTPROVIDED"))

    assert reasons(ctx, report) == ["return_without_original"]
    assert ctx.store.invoice().amount_due_cents == DUE - 1000


# --- two statements with one file name on one day (audit59b) ------------------------------------


def test_r12_r34_two_statements_of_one_name_in_two_folders_keep_both_lists(ctx):
    """R12 "unmatched credits become a list", R34 (audit59b): Given the ING and the ABN
    statements both uploaded on 25 November as camt053/ing/statement.xml and
    camt053/abn/statement.xml, each with a credit without a kenmerk and bank costs
    When both are imported
    Then each has its own list, bank/unmatched/2026-11-25/ing/statement.json and
    .../abn/statement.json, each with its own credit and its own debit of costs.
    Before: both wrote bank/unmatched/2026-11-25/statement.json and the ABN statement's
    list took the place of ING's: ING's bank costs (kept nowhere else) were gone."""
    ing = run(ctx, credit(1100, ustrd=("ing",)), debit(150), key="camt053/ing/statement.xml")
    abn = run(ctx, credit(2200, ustrd=("abn",)), debit(250), key="camt053/abn/statement.xml")

    assert (ing.unmatched_key, abn.unmatched_key) == (
        "bank/unmatched/2026-11-25/ing/statement.json",
        "bank/unmatched/2026-11-25/abn/statement.json",
    )
    lists = [json.loads(ctx.files.files[report.unmatched_key]) for report in (ing, abn)]
    assert [[line["amount_cents"] for line in kept["lines"]] for kept in lists] == [[1100], [2200]]
    assert [[line["amount_cents"] for line in kept["debits"]] for kept in lists] == [[150], [250]]
