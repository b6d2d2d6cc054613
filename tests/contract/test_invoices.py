"""BillingStore: invoices, their versions and their claim markers (R3, R26, R28)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from billing_core.ports import ConcurrentChange, KnownClaim, NewInvoicesStored, TransactionConflict
from billing_core.providers.actions import ActionKind, ActionState
from tests.contract.samples import A, B, action, invoice, new, stored


def test_a_stored_invoice_reads_back_by_id_and_by_kenmerk(store):
    # Given an invoice issued by an upload
    first = invoice(1)
    stored(store, first)
    # When it is read by id (eventually or strongly consistent) and by kenmerk
    # Then it is the invoice as written, version 0
    assert store.get_invoice(A, first.invoice_id) == first
    assert store.get_invoice(A, first.invoice_id, consistent=True) == first
    assert store.find_invoice_by_reference(first.reference) == first
    assert first.version == 0


def test_a_read_says_whether_it_is_the_invoice_as_stored_now(store):
    """R28 (audit race52b): a strongly consistent read and a save's answer are the invoice
    as stored now; an ordinary read and an index read may lag behind a write, and say so,
    so that a change refusing on one is decided again on a strongly consistent read."""
    # Given an invoice issued by an upload, and saved once since
    first = invoice(1)
    stored(store, first)
    saved = store.save_invoice(replace(first, hold_reason="x"))
    # When it is read in each way; Then only the consistent read and the save are current
    assert saved.read_current
    assert store.get_invoice(A, first.invoice_id, consistent=True).read_current
    assert not store.get_invoice(A, first.invoice_id).read_current
    assert not store.find_invoice_by_reference(first.reference).read_current


def test_each_lines_contract_decision_reads_back_as_written(store):
    """R31, R17 (audit coverage COVERAGE1): whether a line was invoiced as contracted care
    is kept on the line, also after a save; a line from before it was kept reads None."""
    # Given an invoice with a contracted line, a non-contracted one and one without either
    one, two = invoice(1).lines
    lines = (replace(one, contracted=True), replace(two, contracted=False))
    lines += (replace(two, claim_ref="A-1-3", contracted=None),)
    first = invoice(1, lines=lines)
    stored(store, first)
    # When it is read back, and read back after a save
    # Then every line's decision is as written
    assert store.get_invoice(A, first.invoice_id, consistent=True) == first
    saved = store.save_invoice(replace(first, hold_reason="x"))
    read = store.get_invoice(A, first.invoice_id, consistent=True)
    assert read == saved and [line.contracted for line in read.lines] == [True, False, None]


def test_an_unknown_invoice_or_kenmerk_is_none(store):
    stored(store, invoice(1))
    assert store.get_invoice(A, "inv-404") is None
    assert store.find_invoice_by_reference(invoice(404).reference) is None


def test_another_practice_never_sees_the_invoice_even_with_the_same_id(store):
    """R26: the provider is part of the key, so B's invoice with A's id is another invoice."""
    # Given practice A's invoice, and practice B's with the same id
    ours, theirs = invoice(1), invoice(2, B, invoice_id="inv-1")
    stored(store, ours, theirs)
    # Then each practice reads its own
    assert store.get_invoice(A, "inv-1") == ours
    assert store.get_invoice(B, "inv-1") == theirs
    assert store.get_invoice(B, invoice(3).invoice_id) is None


def test_saving_writes_the_next_version_and_a_stale_copy_is_refused(store):
    """R28: a change is saved on condition of the version it was read at."""
    # Given an invoice two processes read at version 0
    stored(store, invoice(1))
    read_by_one = read_by_other = store.get_invoice(A, "inv-1")
    # When the first saves a change
    saved = store.save_invoice(replace(read_by_one, hold_reason="first"))
    # Then it is version 1, and the second's save of its stale copy is refused
    assert saved.version == 1 and store.get_invoice(A, "inv-1") == saved
    with pytest.raises(ConcurrentChange):
        store.save_invoice(replace(read_by_other, hold_reason="second"))
    assert store.get_invoice(A, "inv-1", consistent=True).hold_reason == "first"


def test_saving_an_invoice_that_was_never_stored_is_a_concurrent_change(store):
    with pytest.raises(ConcurrentChange):
        store.save_invoice(invoice(1))
    assert store.get_invoice(A, "inv-1") is None


def test_saving_several_is_all_or_nothing(store):
    """R28: one dunning letter changes every invoice it covers, or none of them."""
    # Given two invoices, one of which changed since it was read
    stored(store, invoice(1), invoice(2))
    one, two = store.get_invoice(A, "inv-1"), store.get_invoice(A, "inv-2")
    store.save_invoice(two)
    # When both are saved from the copies read, with an action
    with pytest.raises(ConcurrentChange):
        store.save_invoices(
            [replace(one, hold_reason="letter"), replace(two, hold_reason="letter")],
            [action("letter-1")],
        )
    # Then nothing was written
    assert store.get_invoice(A, "inv-1") == one
    assert store.get_invoice(A, "inv-2").version == 1
    assert store.list_actions(A) == []


def test_saving_several_writes_each_next_version_and_the_new_actions(store):
    stored(store, invoice(1), invoice(2))
    read = [store.get_invoice(A, "inv-1"), store.get_invoice(A, "inv-2")]
    saved = store.save_invoices([replace(i, hold_reason="letter") for i in read], [action("x")])
    assert [i.version for i in saved] == [1, 1]
    assert [store.get_invoice(A, i.invoice_id) for i in read] == saved
    assert store.list_actions(A) == [action("x")]


def test_saving_several_with_an_action_that_exists_writes_nothing(store):
    # Given an action written before
    stored(store, invoice(1))
    read = store.get_invoice(A, "inv-1")
    store.put_action(action("x"))
    # When a save brings the same action as new
    with pytest.raises(ConcurrentChange):
        store.save_invoices(
            [replace(read, hold_reason="letter")], [action("x", state=ActionState.DONE)]
        )
    # Then the invoice is unchanged and the action as it was
    assert store.get_invoice(A, "inv-1") == read
    assert store.list_actions(A) == [action("x")]


def test_a_decision_saved_with_its_invoice_lands_with_it_or_not_at_all(store):
    """R17, R28, R38 (audit coulanceapply55: the decision was written before its booking,
    which could then fail, leaving the action done with nothing booked)."""
    # Given an invoice and its coulance proposal, undecided
    stored(store, invoice(1))
    read = store.get_invoice(A, "inv-1")
    proposal = action("p", kind=ActionKind.COULANCE_PROPOSAL)
    store.put_action(proposal)

    def decided(decision: str):
        return replace(proposal, details={**proposal.details, "decision": decision}).done()

    # When the invoice is saved from a copy that is no longer current, with a decision
    store.save_invoice(read)
    with pytest.raises(ConcurrentChange):
        store.save_invoices([replace(read, hold_reason="letter")], decided=decided("apply"))
    # Then neither is written: the proposal is still open and undecided
    assert store.get_action(A, "p") == proposal
    # When it is saved from the current copy with the decision
    current = store.get_invoice(A, "inv-1")
    [saved] = store.save_invoices(
        [replace(current, hold_reason="letter")], decided=decided("apply")
    )
    # Then both are written
    assert store.get_invoice(A, "inv-1") == saved and store.get_action(A, "p") == decided("apply")
    # And another decision, even with the current invoice, writes neither
    with pytest.raises(ConcurrentChange):
        store.save_invoices([replace(saved, hold_reason="other")], decided=decided("decline"))
    assert store.get_invoice(A, "inv-1") == saved and store.get_action(A, "p") == decided("apply")


# --- store_new: invoices with their claim markers (R3) ---------------------------------------


def test_new_invoices_are_written_with_their_markers_and_actions_in_one_request(store):
    # Given an upload with an invoice (with an action born with it) and an insurer line
    first = invoice(1)
    quote = action("quote-inv-1", kind=ActionKind.MISSING_PRICE_QUOTE)
    # When it is stored
    stored_now = store.store_new(A, "D1", [new(first, quote)], ["ABC-9-1"])
    # Then everything is there, the markers say who took care of each line
    assert stored_now == NewInvoicesStored(requests=1, reference_taken=())
    assert store.get_invoice(A, "inv-1") == first
    assert store.list_actions(A) == [quote]
    refs = [line.claim_ref for line in first.lines]
    assert store.known_claims(A, [*refs, "ABC-9-1", "ABC-0-0"]) == {
        **{ref: KnownClaim(ref, "D1", "inv-1") for ref in refs},
        "ABC-9-1": KnownClaim("ABC-9-1", "D1", ""),
    }


def test_nothing_new_costs_no_request(store):
    assert store.store_new(A, "D1", [], []).requests == 0


def test_an_invoice_that_exists_cancels_its_write(store):
    """R3: an upload processed twice does not invoice twice."""
    # Given an upload stored once
    stored(store, invoice(1))
    # When its invoice comes again, now with an extra line
    again = invoice(1, hold_reason="again")
    with pytest.raises(TransactionConflict):
        store.store_new(A, "D1", [new(again)], ["ABC-9-1"])
    # Then nothing of that write is there
    assert store.get_invoice(A, "inv-1") == invoice(1)
    assert store.known_claims(A, ["ABC-9-1"]) == {}


def test_a_known_claim_cancels_the_invoice_it_comes_with(store):
    stored(store, invoice(1))
    known_line = invoice(1).lines[0]
    other = invoice(2, lines=(known_line,))
    with pytest.raises(TransactionConflict):
        store.store_new(A, "D2", [new(other)], [])
    assert store.get_invoice(A, "inv-2") is None
    assert store.known_claims(A, [known_line.claim_ref])[known_line.claim_ref].invoice_id == "inv-1"


def test_a_large_upload_is_several_transactions_and_a_conflict_keeps_the_earlier_ones(store):
    """Transactions hold at most 100 items, an invoice never split over two; a conflict
    cancels its own transaction only (the retry re-reads what is known)."""
    # Given 40 invoices of 5 items each (invoice, its kenmerk's marker, its week's ledger
    # marker, two claim markers): 20 fit the first transaction
    invoices = [invoice(n) for n in range(1, 41)]
    stored(store, invoices[-1])  # the last one exists already
    # When they are stored
    with pytest.raises(TransactionConflict):
        store.store_new(A, "D1", [new(i) for i in invoices], [])
    # Then the first transaction's invoices are there, the second's are not
    assert store.get_invoice(A, "inv-20") == invoices[19]
    assert store.get_invoice(A, "inv-21") is None
    # And without the conflict it takes two requests (B's kenmerken are B's own)
    for_b = [
        new(replace(i, provider_id=B, reference=invoice(100 + n).reference))
        for n, i in enumerate(invoices)
    ]
    assert store.store_new(B, "D1", for_b, []).requests == 2


def test_a_known_insurer_line_cancels_before_any_invoice_is_written(store):
    """Issue 18 item 2: the ingest writes a first attempt without reading the markers and
    plans again when one was known; an insurer-bound line counts toward its patient's
    invoice (R6), so its marker is written before the invoices."""
    # Given an insurer-bound line that an earlier upload took care of
    insurer_refs = [f"ABC-900-{n}" for n in range(100)]
    store.store_new(A, "D1", [], insurer_refs[-1:])
    # When another upload stores an invoice and a transaction's worth of insurer lines,
    # the known one among them
    with pytest.raises(TransactionConflict):
        store.store_new(A, "D2", [new(invoice(1))], insurer_refs)
    # Then the invoice was not written
    assert store.get_invoice(A, "inv-1") is None


# --- one betalingskenmerk, one invoice (issue 13 item 1) ---------------------------------------


def test_an_invoice_whose_kenmerk_another_invoice_holds_is_not_written(store):
    """Issue 13 item 1: even when every other guard failed, a kenmerk is never on two
    invoices; the invoices beside it in the transaction are written."""
    # Given invoice 1 stored with its kenmerk
    holder = invoice(1)
    stored(store, holder)
    # When another upload brings invoice 2 with the same kenmerk, and invoice 3 with its own
    twin = invoice(2, reference=holder.reference)
    result = store.store_new(A, "D2", [new(twin), new(invoice(3))], [])
    # Then the twin is not written and named; its lines stay unknown; invoice 3 is there
    assert result.reference_taken == ("inv-2",)
    assert store.get_invoice(A, "inv-2") is None
    assert store.known_claims(A, new(twin).claim_refs) == {}
    assert store.get_invoice(A, "inv-3") == invoice(3)
    assert store.find_invoice_by_reference(holder.reference) == holder


def test_another_practice_cannot_take_a_kenmerk_either(store):
    stored(store, invoice(1))
    result = store.store_new(B, "D1", [new(invoice(1, B, invoice_id="inv-9"))], [])
    assert result.reference_taken == ("inv-9",)
    assert store.get_invoice(B, "inv-9") is None


def test_the_same_invoice_again_is_a_conflict_not_a_taken_kenmerk(store):
    """R3: a retried upload meets its own markers: the retry's re-read decides."""
    stored(store, invoice(1))
    with pytest.raises(TransactionConflict):
        store.store_new(A, "D1", [new(invoice(1))], [])


def test_an_insurer_line_invoice_with_a_taken_kenmerk_is_not_written(store):
    stored(store, invoice(1))
    material = invoice(5, reference=invoice(1).reference)
    store.store_new(A, "D1", [], new(material).claim_refs)
    assert store.store_invoice_for_insurer_claims(A, new(material)) is False
    assert store.get_invoice(A, "inv-5") is None
    assert {c.invoice_id for c in store.known_claims(A, new(material).claim_refs).values()} == {""}


def test_markers_of_another_practice_are_not_known(store):
    """R26, R3: two practices may number their lines alike."""
    stored(store, invoice(1))
    refs = [line.claim_ref for line in invoice(1).lines]
    assert store.known_claims(B, refs) == {}
    stored(store, invoice(1, B, lines=invoice(1).lines, reference=invoice(2).reference))
    assert store.known_claims(B, refs[:1] * 2) == {refs[0]: KnownClaim(refs[0], "D1", "inv-1")}


def test_added_markers_keep_the_ones_that_exist(store):
    # Given a line already marked by upload D1
    stored(store, invoice(1))
    known = invoice(1).lines[0].claim_ref
    # When a later upload marks it and a new credit line onto the invoice
    store.add_claim_markers("D2", invoice(1), [known, "ABC-7-1"])
    # Then the existing marker is kept, the new one written
    assert store.known_claims(A, [known, "ABC-7-1"]) == {
        known: KnownClaim(known, "D1", "inv-1"),
        "ABC-7-1": KnownClaim("ABC-7-1", "D2", "inv-1"),
    }


# --- an invoice for lines the insurer sent back (legal-nl.md §6, R3) ---------------------------


def test_lines_that_went_to_the_insurer_are_invoiced_once(store):
    # Given two lines that went to the insurer first
    material = invoice(5)
    store.store_new(A, "D1", [], new(material).claim_refs)
    # When the retour makes them the patient's, twice (a retried S3 event)
    first = store.store_invoice_for_insurer_claims(A, new(material))
    again = store.store_invoice_for_insurer_claims(A, new(replace(material, invoice_id="inv-6")))
    # Then one invoice, and the markers point to it
    assert (first, again) == (True, False)
    assert store.get_invoice(A, "inv-5") == material
    assert store.get_invoice(A, "inv-6") is None
    known = store.known_claims(A, new(material).claim_refs)
    assert [c.invoice_id for c in known.values()] == ["inv-5", "inv-5"]


def test_an_insurer_lines_marker_names_the_patients_invoice_of_the_upload(store):
    """legal-nl.md §6, R7: a refused VGZ-group material is invoiced as the patient's other
    invoice of its declaration is addressed; the marker keeps that invoice's id (an id,
    no personal data: R29), also once the line is invoiced, and old markers read as ""."""
    # Given an upload with the patient's invoice, their materials to the insurer, and a
    # line of another patient to the insurer
    care, material = invoice(1), invoice(5)
    refs = new(material).claim_refs
    store.store_new(A, "D1", [new(care)], [*refs, "ABC-9-1"], dict.fromkeys(refs, "inv-1"))
    # When the markers are read, before and after the materials are invoiced
    before = store.known_claims(A, [*refs, "ABC-9-1"])
    store.store_invoice_for_insurer_claims(A, new(material))
    after = store.known_claims(A, refs)
    # Then the materials' markers name the patient's invoice, the other's names none
    assert before == {
        **{ref: KnownClaim(ref, "D1", "", "inv-1") for ref in refs},
        "ABC-9-1": KnownClaim("ABC-9-1", "D1", ""),
    }
    assert after == {ref: KnownClaim(ref, "D1", "inv-5", "inv-1") for ref in refs}


def test_lines_without_a_marker_are_not_invoiced_as_the_insurers(store):
    # Given one of the two lines was never marked as the insurer's
    material = invoice(5)
    marked, unmarked = new(material).claim_refs
    store.store_new(A, "D1", [], [marked])
    # Then no invoice is written for them, and the marker still says "insurer"
    assert store.store_invoice_for_insurer_claims(A, new(material)) is False
    assert store.get_invoice(A, "inv-5") is None
    assert store.known_claims(A, [marked, unmarked]) == {marked: KnownClaim(marked, "D1", "")}


def test_another_practices_insurer_lines_are_not_invoiced(store):
    material = invoice(5)
    store.store_new(A, "D1", [], new(material).claim_refs)
    assert store.store_invoice_for_insurer_claims(B, new(replace(material, provider_id=B))) is False
    assert store.get_invoice(B, "inv-5") is None


@pytest.mark.xfail(
    strict=True,
    reason="#11: store_invoice_for_insurer_claims drops NewInvoice.actions (R23); the "
    "adapter writes the invoice and markers only, the fake follows it",
)
def test_actions_born_with_an_invoice_for_insurer_lines_are_written_with_it(store):
    material = invoice(5)
    store.store_new(A, "D1", [], new(material).claim_refs)
    quote = action("quote-inv-5", kind=ActionKind.MISSING_PRICE_QUOTE, invoice_id="inv-5")
    assert store.store_invoice_for_insurer_claims(A, new(material, quote)) is True
    assert store.list_actions(A) == [quote]
