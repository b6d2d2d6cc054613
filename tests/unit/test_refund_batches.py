"""Credit held for patients, refunded by bank transfer in a batch an operator approves
(issue 14 item 5, R13, R27, R34)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from billing_core.adapters.fake_psp import FakePsp
from billing_core.invoices.ledger import EntryKind
from billing_core.payments import transfer_batches
from billing_core.payments.booking import (
    IncomingPayment,
    apply_payment,
    apply_refund,
    book_payment,
)
from billing_core.payments.checkouts import CheckoutRecord
from billing_core.payments.psp import PaymentRequest, PspStatus
from billing_core.payments.refunds import (
    RefundContext,
    RefundDecision,
    refund_overpayment,
    with_refund_intent,
)
from billing_core.payments.transfer_batches import (
    BankState,
    BatchState,
    approve,
    approved,
    sending,
)
from billing_core.providers.retrocession import build_statement
from billing_core.providers.week import Week
from billing_core.services.inputs import InvalidInput
from billing_core.services.operator.money_out import (
    RefundRequest,
    approve_batch,
    get_batch,
    held_credits,
    propose_refunds,
)
from billing_core.shared import reference as betalingskenmerk
from billing_core.shared.audit import Reader, ReadKind
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.errors import Refused
from billing_core.shared.retries import KeyReused, RequestCause
from tests.unit.camt_builder import credit, debit
from tests.unit.factories import REFERENCE, make_invoice, make_provider
from tests.unit.faults import Killed
from tests.unit.money_out_world import (
    PAIN_001,
    MoneyOutWorld,
    crash_on_saving_as_sent,
    executed,
    new_request,
    overpaid_by_bank,
)
from tests.unit.payment_fakes import CheckoutsInMemory

DUE = 3317  # what make_invoice's patient owes
PAID_ON = date(2026, 11, 24)
PATIENT_ACCOUNT = ("NL39RABO0300065264", "A. Visser")


@pytest.fixture
def world() -> MoneyOutWorld:
    return overpaid_by_bank(DUE, PAID_ON)


def refund(world: MoneyOutWorld, amount_cents: int | None = None):
    request = RefundRequest(REFERENCE, *PATIENT_ACCOUNT, amount_cents=amount_cents)
    return propose_refunds([request], "operator-anna", world.ctx, cause=new_request())


def test_the_credit_held_is_listed_and_refunded_once_an_operator_approves(world):
    # Given the overpayment held as credit, listed for the operator
    [held] = held_credits(world.ctx)[0]
    assert (held.reference, held.credit_cents, held.in_batch) == (REFERENCE, 500, "")
    # When an operator proposes its refund, it is listed as in that batch, nothing paid yet
    batch = refund(world)
    assert held_credits(world.ctx)[0][0].in_batch == batch.batch_id
    assert world.store.invoice().credit_cents == 500
    # When it is approved
    sent = approve_batch(batch.batch_id, "operator-anna", world.ctx)
    # Then a valid pain.001 pays the patient EUR 5.00 quoting the kenmerk, under refunds/
    assert sent.state is BatchState.SENT
    assert sent.file_key.startswith("refunds/2026-11-25/RF-20261125-")
    document = world.pain_001(sent)
    PAIN_001.validate(document)
    assert b'<InstdAmt Ccy="EUR">5.00</InstdAmt>' in document
    assert REFERENCE.encode() in document
    # And the refund is a ledger entry (R27): the credit is gone, the list is empty
    invoice = world.store.invoice()
    [entry] = [e for e in invoice.ledger if e.kind is EntryKind.REFUND]
    assert (
        entry.amount_cents == 500
        and entry.cause == f"bank-refund:{sent.transfers[0].end_to_end_id}"
    )
    assert invoice.credit_cents == 0 and held_credits(world.ctx)[0] == []
    # And the week's statement shows it refunded, off the practice's payout (R24)
    statement = build_statement(make_provider(), Week.of(date(2026, 11, 25)), [invoice])
    assert statement.refunded_cents == 500
    # And the bank's debit of it books the transfer
    world.bank_statement(*executed(sent, date(2026, 11, 26)), day=date(2026, 11, 26))
    stored = world.store.get_batch(sent.batch_id)
    assert stored.transfers[0].bank_state is BankState.BOOKED


def test_reading_a_refund_batch_is_recorded_for_the_practice_whose_patient_is_in_it(world):
    """R32, NEN 7513 (audit security D4): a refund batch shows the patient's name and
    IBAN; an operator's read of it is recorded per practice, naming the batch and the
    kenmerk of each refund of the practice's in it, never the name or the IBAN; and its
    patient by number, so a search of the log by patient finds the read (access53)."""
    batch = refund(world)
    reader = Reader("operator-sub-1", "operators")
    assert get_batch(batch.batch_id, reader, world.ctx).transfers[0].name == "A. Visser"
    [read] = world.audit.records
    assert (read.provider_id, read.user_id, read.kind, read.subject) == (
        make_provider().provider_id,
        "operator-sub-1",
        ReadKind.REFUND_BATCH,
        f"{batch.batch_id} patient:{make_invoice().patient_ref} kenmerk:{REFERENCE}",
    )
    assert "Visser" not in read.subject and PATIENT_ACCOUNT[0] not in read.subject


def test_more_than_the_credit_is_not_refunded(world):
    with pytest.raises(Refused) as refusal:
        refund(world, amount_cents=501)
    assert refusal.value.code == "refund_above_credit"
    # R35 (words53): and says how much can go back; before, only that no more would.
    assert refusal.value.message_nl == (
        f"Op nota {REFERENCE} staat €\u00a05,00 tegoed; meer dan dat wordt niet terugbetaald."
        " Betaal hoogstens €\u00a05,00 terug."
    )
    assert refusal.value.message_en == (
        f"Invoice {REFERENCE} holds €5.00 of credit; no more is refunded. Refund at most €5.00."
    )
    assert world.store.batches == {}


def test_a_refund_naming_no_invoice_says_to_check_its_digits(world):
    """R34, R35 (words53: it named the refund and the kenmerk, no way to find the right
    one). Given no invoice with kenmerk K / When an operator proposes a refund to K as the
    batch's first refund / Then it is refused naming refund 1 and K, saying to check the
    digits against the invoice, in Dutch and English; no batch is proposed."""
    unknown = betalingskenmerk.from_payload(987_654)
    request = RefundRequest(unknown, *PATIENT_ACCOUNT)

    with pytest.raises(Refused) as refusal:
        propose_refunds([request], "operator-anna", world.ctx, cause=new_request())

    assert refusal.value.message_nl == (
        f"Terugbetaling 1 (refunds.0.reference): er is geen nota met betalingskenmerk {unknown}."
        " Controleer de cijfers tegen de nota."
    )
    assert refusal.value.message_en == (
        f"Refund 1 (refunds.0.reference): no invoice has payment reference {unknown}. Check"
        " its digits against the invoice."
    )
    assert world.store.batches == {}


def test_only_a_batch_enough_operators_approved_is_one_to_send(world):
    """R34 (four eyes; words54: ``sending`` and ``sent`` refused any other batch as
    batch_not_approved, a code no request could meet and that was outside the approval's
    409s, a 500 had it fired). Now they take an ApprovedBatch, which only ``approved``
    makes: mypy refuses to send any other. Given a refund batch proposed / When it is
    asked for as one to send, before and after its approval and once sent / Then only the
    approved batch is one, the same batch."""
    # Given
    batch = refund(world)
    moments = {"proposed": batch}
    moments["approved"] = approve(
        batch, "operator-anna", sent_at(9), world.ctx.second_approval_above_cents
    )
    ready = approved(moments["approved"])
    assert ready is not None
    moments["sent"] = transfer_batches.sent(
        sending(ready, "operator-anna", sent_at(10)), "refunds/x.xml", "operator-anna", sent_at(11)
    )
    # When
    to_send = {moment: approved(state) for moment, state in moments.items()}
    # Then
    assert to_send == {"proposed": None, "approved": moments["approved"], "sent": None}
    assert [s.state for s in moments.values()] == [
        BatchState.PROPOSED,
        BatchState.APPROVED,
        BatchState.SENT,
    ]


def sent_at(hour: int) -> datetime:
    return datetime(2026, 11, 26, hour, 0, tzinfo=AMSTERDAM)


def test_an_invoice_already_in_a_batch_not_sent_is_not_proposed_again(world):
    refund(world, amount_cents=200)
    with pytest.raises(InvalidInput):
        refund(world, amount_cents=300)


def test_a_credit_in_an_old_open_batch_is_not_proposed_again_behind_newer_batches(world):
    """R13, R34 (refunds53): Given the credit's refund proposed on 25 November, then 52
    refund batches of other invoices made and sent on the days after (a page of the
    batch list is 52)
    When an operator proposes the same credit's refund again
    Then it is refused as in a batch not sent, and the credits list names that batch
    (before: the second batch was made, and the list named no batch)."""
    # Given
    first = refund(world)
    for day in range(52):
        made_on = date(2026, 11, 26) + timedelta(days=day)
        newer = replace(first, batch_id=f"RF-{made_on:%Y%m%d}-abc123", state=BatchState.SENT)
        world.store.create_batch(replace(newer, transfers=()))
    # When
    with pytest.raises(InvalidInput) as refusal:
        refund(world)
    # Then
    assert refusal.value.said_as == "refund_already_proposed"
    assert [h.in_batch for h in held_credits(world.ctx)[0]] == [first.batch_id]
    assert len(world.store.batches) == 53


def refunds_booked(world: MoneyOutWorld) -> list[int]:
    return [e.amount_cents for e in world.store.invoice().ledger if e.kind is EntryKind.REFUND]


@pytest.mark.parametrize(
    ("recalled", "recalled_cents", "paid_cents"),
    [
        ("TX-2", 700, 500),  # the second overpayment went back: the first's EUR 5.00 is left
        ("TX-1", DUE + 500, 0),  # the first payment went back: no credit left at all
    ],
)
def test_a_refund_pays_at_most_the_credit_still_held_when_its_batch_is_sent(
    world, recalled, recalled_cents, paid_cents
):
    """R13, R34: a refund pays back credit the invoice holds. Given a refund of the whole
    EUR 12.00 credit proposed, and then the bank took one overpaying transfer back
    When the batch is approved
    Then the transfer pays what is still held (all of it, or nothing: it stays in the batch,
    marked as reduced from what was proposed), the file holds exactly what is booked, and
    the patient does not owe the refund again."""
    # Given EUR 12.00 credit (two overpaying transfers), its refund proposed
    world.bank_statement(credit(700, scor=REFERENCE, tx_id="TX-2"), day=PAID_ON)
    batch = refund(world)
    assert batch.total_cents == 1200
    # And then one of the transfers is recalled by the payer's bank
    world.bank_statement(
        debit(recalled_cents, return_reason="MD06", tx_id=recalled), day=date(2026, 11, 26)
    )
    due_before = world.store.invoice().amount_due_cents
    # When an operator approves the batch
    sent = approve_batch(batch.batch_id, "operator-anna", world.ctx)
    # Then the transfer pays what the invoice still held, and says what was proposed
    assert sent.state is BatchState.SENT
    [transfer] = sent.transfers
    assert (transfer.amount_cents, transfer.reduced_from_cents) == (paid_cents, 1200)
    # And exactly that is booked (R27) and in the bank's file: nothing paid twice
    assert refunds_booked(world) == ([paid_cents] if paid_cents else [])
    invoice = world.store.invoice()
    assert (invoice.credit_cents, invoice.amount_due_cents) == (0, due_before)
    if paid_cents:
        document = world.pain_001(sent)
        PAIN_001.validate(document)
        assert b'<InstdAmt Ccy="EUR">5.00</InstdAmt>' in document
        assert b"<CtrlSum>5.00</CtrlSum>" in document
    else:
        assert (sent.file_key, world.files.files) == ("", {})


def test_a_refund_sent_again_after_a_crash_is_booked_and_written_once(world):
    """R13, R38: the approval dies after the file and the REFUND entry are written; approved
    again, the refund is not taken for credit gone (it is its own entry), the same file is
    written under the same key, and the REFUND entry is there once."""
    batch = refund(world)
    crash_on_saving_as_sent(world)
    with pytest.raises(Killed):
        approve_batch(batch.batch_id, "operator-anna", world.ctx)
    first = dict(world.files.files)
    sent = approve_batch(batch.batch_id, "operator-anna", world.ctx)
    assert sent.state is BatchState.SENT
    assert (sent.transfers[0].amount_cents, sent.transfers[0].reduced_from_cents) == (500, 0)
    assert list(world.files.files) == list(first) == [sent.file_key]
    assert refunds_booked(world) == [500]


def test_two_proposals_at_the_same_moment_pay_the_credit_back_once(world):
    """R28, R34 (propose_refunds: 'not an invoice a batch not yet sent pays back already'):
    Given operator Bob's proposal of the same refund is created after operator Anna's
    proposal checked the open batches, and before hers is created
    When Anna's proposal goes on
    Then it is checked again on Bob's batch and refused: one batch pays the credit back."""
    list_batches = world.store.list_batches
    bobs = []

    def bob_proposes_meanwhile(kind, *, limit=52):
        listed = list_batches(kind, limit=limit)
        world.store.list_batches = list_batches  # once
        request = RefundRequest(REFERENCE, *PATIENT_ACCOUNT)
        bobs.append(propose_refunds([request], "operator-bob", world.ctx, cause=new_request()))
        return listed

    world.store.list_batches = bob_proposes_meanwhile
    with pytest.raises(InvalidInput):
        refund(world)
    [bob] = bobs
    assert list(world.store.batches) == [bob.batch_id]
    assert held_credits(world.ctx)[0][0].in_batch == bob.batch_id


@pytest.mark.parametrize(
    ("retried_after", "same_batch"),
    [
        # A retry within the key's 24 hours (its first attempt failed past the batch)
        (timedelta(minutes=1), True),
        (timedelta(hours=23), True),
        # The same key reused after its record expired: a new request, refused as any
        (timedelta(hours=25), False),
    ],
)
def test_a_proposal_retried_after_its_batch_was_made_gets_that_batch(
    world, retried_after, same_batch
):
    """R38, R34 (known.md stop 37, Retries): Given Anna's proposal, whose batch was created
    and whose answer then failed (the batch not read back: a 5xx, its key released)
    When the same request (its cause) comes again
    Then it gets that batch, not "an invoice in a refund batch not yet sent"; one batch."""
    request = RefundRequest(REFERENCE, *PATIENT_ACCOUNT)
    get_batch = world.store.get_batch
    world.store.get_batch = lambda batch_id: (_ for _ in ()).throw(Killed())
    with pytest.raises(Killed):
        propose_refunds([request], "operator-anna", world.ctx, cause=RequestCause("anna-key-1"))
    world.store.get_batch = get_batch
    [made] = world.store.batches
    world.clock.set(world.clock.now() + retried_after)
    if same_batch:
        again = propose_refunds(
            [request], "operator-anna", world.ctx, cause=RequestCause("anna-key-1")
        )
        assert again.batch_id == made
    else:
        with pytest.raises(InvalidInput):
            propose_refunds([request], "operator-anna", world.ctx, cause=RequestCause("anna-key-1"))
    assert list(world.store.batches) == [made]


@pytest.mark.parametrize(
    ("first", "retry", "refused"),
    [
        # The same request again: the batch its first attempt made
        (RequestCause("anna-key-1", "body-1"), RequestCause("anna-key-1", "body-1"), False),
        # Another request under the same key: refused as the key's record refuses it
        (RequestCause("anna-key-1", "body-1"), RequestCause("anna-key-1", "body-2"), True),
        # A batch made before fingerprints were kept: taken as the same (as before)
        (RequestCause("anna-key-1"), RequestCause("anna-key-1", "body-2"), False),
    ],
)
def test_a_proposal_retried_with_its_key_and_another_request_is_refused(
    world, first, retry, refused
):
    """R38 ("same key, other body: 422"), interfaces.md §7, R34 (audit weekly2 WEEKLY2-1):
    Given Anna's proposal whose batch was made and whose answer then failed (a 5xx)
    When its key comes again / Then with another request KeyReused, one batch all the same."""
    request = RefundRequest(REFERENCE, *PATIENT_ACCOUNT)
    get_batch = world.store.get_batch
    world.store.get_batch = lambda batch_id: (_ for _ in ()).throw(Killed())
    with pytest.raises(Killed):
        propose_refunds([request], "operator-anna", world.ctx, cause=first)
    world.store.get_batch = get_batch
    [made] = world.store.batches
    if refused:
        with pytest.raises(KeyReused):
            propose_refunds([request], "operator-anna", world.ctx, cause=retry)
    else:
        assert propose_refunds([request], "operator-anna", world.ctx, cause=retry).batch_id == made
    assert list(world.store.batches) == [made]


def test_a_proposal_that_met_another_one_for_other_invoices_is_made(world):
    """R28, R34: Given Bob's proposal for another invoice is created while Anna's is under
    way / Then Anna's, checked again on it, is made all the same: two batches."""
    other = make_invoice(invoice_id="other-invoice", reference=betalingskenmerk.from_payload(7))
    world.store.put_invoice_as_is(other)
    world.bank_statement(credit(DUE + 300, scor=other.reference, tx_id="TX-9"), day=PAID_ON)
    list_batches = world.store.list_batches

    def bob_proposes_meanwhile(kind, *, limit=52):
        listed = list_batches(kind, limit=limit)
        world.store.list_batches = list_batches  # once
        request = RefundRequest(other.reference, *PATIENT_ACCOUNT)
        propose_refunds([request], "operator-bob", world.ctx, cause=new_request())
        return listed

    world.store.list_batches = bob_proposes_meanwhile
    anna = refund(world)
    assert len(world.store.batches) == 2
    assert {h.reference: h.in_batch for h in held_credits(world.ctx)[0]}[REFERENCE] == anna.batch_id


# --- credit from a PSP payment goes back through the PSP (R13, R34; audit BACKOFFICE1) ----------

PSP_PAID_AT = datetime(2026, 11, 24, 12, 0, tzinfo=AMSTERDAM)


def paid_too_much_by_ideal(world: MoneyOutWorld, cents: int, *, refund: str) -> None:
    """The patient also paid ``cents`` too much by iDEAL (tr_1), and the automatic PSP refund
    of it is ``refund``: "pending" (the call timed out after Mollie may have paid it),
    "booked", or "none" (not asked)."""
    invoice = apply_payment(
        world.store.invoice(), IncomingPayment("psp", "tr_1", cents, PSP_PAID_AT)
    )
    if refund != "none":
        invoice = with_refund_intent(invoice, "tr_1", cents)
    if refund == "booked":
        invoice = apply_refund(invoice, "re_1", cents, PSP_PAID_AT, "psp:tr_1")
    world.store.put_invoice_as_is(invoice)


def test_a_credit_whose_psp_refund_is_pending_is_not_refunded_by_bank(world):
    """R13, R34, R28 (payments/refunds.py: "one refund too few ... is better than one refund
    too many"). Given only the iDEAL overpayment held (the bank one refunded already), its
    PSP refund pending
    When an operator lists the held credits and proposes a bank refund of it
    Then the list shows it pending with nothing refundable by bank, and the proposal is
    refused (psp_refund_pending): no batch, no second payment."""
    approve_batch(refund(world).batch_id, "operator-anna", world.ctx)  # the bank's EUR 5.00
    paid_too_much_by_ideal(world, 700, refund="pending")
    [held] = held_credits(world.ctx)[0]
    assert (held.credit_cents, held.by_bank_cents, held.psp_refund_pending) == (700, 0, True)
    batches_before = dict(world.store.batches)
    with pytest.raises(Refused) as refusal:
        refund(world)
    assert refusal.value.code == "psp_refund_pending"
    assert world.store.batches == batches_before


@pytest.mark.parametrize(
    ("psp_refund", "asked", "refused"),
    [
        ("pending", None, ""),  # the whole credit by bank: the bank's EUR 5.00
        ("pending", 500, ""),
        ("pending", 501, "psp_refund_pending"),  # a cent of the iDEAL credit
        ("none", 700, "credit_from_psp_payment"),  # not asked of the PSP (yet)
        ("booked", None, ""),  # refunded by the PSP: what is left is the bank's
    ],
)
def test_a_bank_refund_pays_at_most_the_credit_from_bank_payments(
    world, psp_refund, asked, refused
):
    """R13, R34: Given EUR 5.00 paid too much by bank transfer and EUR 7.00 by iDEAL
    When a bank refund is proposed
    Then it pays at most the EUR 5.00; the iDEAL credit goes back through the PSP."""
    paid_too_much_by_ideal(world, 700, refund=psp_refund)
    [held] = held_credits(world.ctx)[0]
    assert held.by_bank_cents == 500
    if refused:
        with pytest.raises(Refused) as refusal:
            refund(world, amount_cents=asked)
        assert refusal.value.code == refused
        assert world.store.batches == {}
    else:
        assert refund(world, amount_cents=asked).total_cents == 500


@pytest.mark.parametrize(
    ("psp_refund", "refused"),
    [("pending", "psp_refund_pending"), ("none", "credit_from_psp_payment")],
)
def test_with_nothing_refundable_by_bank_the_refusal_names_no_ceiling(world, psp_refund, refused):
    """R13, R34: Given the bank's EUR 5.00 refunded already and only EUR 7.00 paid too much
    by iDEAL held (its PSP refund pending, or not asked)
    When a bank refund is proposed
    Then the refusal says nothing goes back by bank transfer, not "at most EUR 0,00"."""
    approve_batch(refund(world).batch_id, "operator-anna", world.ctx)
    paid_too_much_by_ideal(world, 700, refund=psp_refund)
    with pytest.raises(Refused) as refusal:
        refund(world)
    assert refusal.value.code == refused
    for said in (refusal.value.message_nl, refusal.value.message_en):
        assert "0,00" not in said and "0.00" not in said
    assert "Per bankoverschrijving gaat niets terug" in refusal.value.message_nl
    assert "Nothing goes back by bank transfer" in refusal.value.message_en


def test_credit_that_became_the_psps_after_the_proposal_is_not_paid_by_bank(world):
    """R13, R34: Given EUR 12.00 paid too much by two bank transfers, all of it proposed for
    a bank refund; then EUR 3.00 paid too much by iDEAL (its PSP refund pending), and the
    payer's bank takes the EUR 7.00 transfer back: EUR 8.00 credit, EUR 3.00 of it iDEAL's
    When the batch is approved
    Then the bank refund pays EUR 5.00, not the EUR 3.00 the PSP may have paid already."""
    world.bank_statement(credit(700, scor=REFERENCE, tx_id="TX-2"), day=PAID_ON)
    batch = refund(world)
    assert batch.total_cents == 1200
    paid_too_much_by_ideal(world, 300, refund="pending")
    world.bank_statement(debit(700, return_reason="MD06", tx_id="TX-2"), day=date(2026, 11, 26))
    assert world.store.invoice().credit_cents == 800
    sent = approve_batch(batch.batch_id, "operator-anna", world.ctx)
    [transfer] = sent.transfers
    assert (transfer.amount_cents, transfer.reduced_from_cents) == (500, 1200)
    assert refunds_booked(world) == [500]
    assert b'<InstdAmt Ccy="EUR">5.00</InstdAmt>' in world.pain_001(sent)


# --- credit a transfer dated earlier moved onto an iDEAL payment (R13, legal-nl.md §2; MONEY3) ----

TUESDAY, WEDNESDAY, THURSDAY = date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26)


class IdealThenEarlierTransfer:
    """The invoice paid in full by iDEAL on Wednesday (the webhook booked it: no credit, so
    no PSP refund asked), and then, on Thursday, the patient's own payment of Tuesday read:
    from the bank statement, or reported by the collection agency. The payment date decides
    (legal-nl.md §2): Tuesday's payment pays the invoice, the iDEAL payment is credit."""

    def __init__(self, source: str, read_on: date | None = THURSDAY) -> None:
        """``read_on`` None: read at the iDEAL payment's own moment (a clock that stands
        still, as the sandbox's does within a day)."""
        self.world = MoneyOutWorld()
        self.world.store.put_provider(make_provider())
        invoice = make_invoice()
        self.world.store.put_invoice_as_is(invoice)
        self.world.clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=AMSTERDAM))
        self.psp = FakePsp("https://zorgnota.example.org", self.world.clock)
        self.checkouts = CheckoutsInMemory()
        request = PaymentRequest(DUE, "Nota", REFERENCE, "https://r", "https://w")
        self.psp_id = self.psp.create_payment(request, "k1").psp_payment_id
        self.checkouts.record_checkout(
            CheckoutRecord(
                self.psp_id,
                invoice.provider_id,
                invoice.invoice_id,
                REFERENCE,
                DUE,
                self.world.clock.now(),
                PspStatus.PAID,
            )
        )
        self.psp.complete(self.psp_id, "paid")
        ideal = IncomingPayment("psp", self.psp_id, DUE, self.world.clock.now())
        book_payment(self.world.store, REFERENCE, ideal, clock=self.world.clock)
        if read_on is not None:
            self.world.clock.set(read_on)
        if source == "bank":
            entry = credit(DUE, scor=REFERENCE, tx_id="TX-TUE", booking_date=TUESDAY.isoformat())
            self.world.bank_statement(entry, day=read_on or WEDNESDAY)
        else:
            tuesday = datetime.combine(TUESDAY, datetime.min.time(), AMSTERDAM)
            paid = IncomingPayment(source, "AG-1", DUE, tuesday)
            book_payment(self.world.store, REFERENCE, paid, clock=self.world.clock)

    def psp_refund(self):  # type: ignore[no-untyped-def]
        """A PSP refund asked now, as a webhook retried by the PSP would ask it."""
        ctx = RefundContext(self.world.store, self.checkouts, self.psp, self.world.clock)
        return refund_overpayment(REFERENCE, ctx)


@pytest.mark.parametrize("source", ["bank", "agency"])
def test_an_ideal_payment_made_credit_by_a_payment_dated_earlier_is_refunded_by_bank_once(
    source,
):
    """R13 ("an overpayment is kept as a credit and refunded; never silently dropped"),
    legal-nl.md §2, R34; audit money MONEY3.
    Given the invoice paid by iDEAL on Wednesday, and the patient's payment of Tuesday read
    (or reported by the agency) on Thursday: the iDEAL payment is credit, and no PSP
    refund was ever asked of it (the webhook saw no credit)
    When the operator lists the held credits and has it refunded by bank
    Then all of it is refundable by bank and paid back by the batch; a PSP refund asked
    after it (a retried webhook) pays nothing: the patient is paid back once."""
    paid = IdealThenEarlierTransfer(source)
    world = paid.world
    assert world.store.invoice().credit_cents == DUE

    [held] = held_credits(world.ctx)[0]
    assert (held.credit_cents, held.by_bank_cents, held.psp_refund_pending) == (DUE, DUE, False)
    sent = approve_batch(refund(world).batch_id, "operator-anna", world.ctx)

    assert [t.amount_cents for t in sent.transfers] == [DUE] and refunds_booked(world) == [DUE]
    assert world.store.invoice().credit_cents == 0
    assert paid.psp_refund().decision is RefundDecision.NOTHING_TO_REFUND
    assert paid.psp.refunds(paid.psp_id) == ()


@pytest.mark.parametrize("source", ["bank", "agency"])
def test_credit_moved_onto_an_ideal_payment_at_its_own_moment_is_refundable_by_bank(source):
    """R13, legal-nl.md §2; audit money MONEY3 as the money walk met it (tests/chaos:
    walk([("day", 3), ("psp", 2, 1.0, "now"), ("bank", 2, 1.0, 10)])).
    Given the iDEAL payment booked, and Tuesday's payment read at the same clock moment
    (entries of both bookings recorded alike)
    When the operator lists the held credits
    Then the credit the later booking moved onto the iDEAL payment is refundable by bank:
    the iDEAL payment's own booking made none, so no webhook refunds it."""
    paid = IdealThenEarlierTransfer(source, read_on=None)

    [held] = held_credits(paid.world.ctx)[0]

    assert (held.credit_cents, held.by_bank_cents, held.psp_refund_pending) == (DUE, DUE, False)


def test_a_psp_refund_asked_while_its_bank_refund_waits_leaves_the_bank_nothing_to_pay():
    """R13, R28, R34; audit money MONEY3 (at most once).
    Given the iDEAL payment made credit by Tuesday's transfer read on Thursday, its bank
    refund proposed
    When a PSP refund of it is asked before the batch is approved (a retried webhook)
    Then the PSP pays it back, and the approved batch pays nothing of it by bank."""
    paid = IdealThenEarlierTransfer("bank")
    world = paid.world
    batch = refund(world)

    assert paid.psp_refund().decision is RefundDecision.REFUNDED
    sent = approve_batch(batch.batch_id, "operator-anna", world.ctx)

    assert len(paid.psp.refunds(paid.psp_id)) == 1
    [transfer] = sent.transfers
    assert (transfer.amount_cents, transfer.reduced_from_cents) == (0, DUE)
    assert refunds_booked(world) == [DUE]  # the PSP's refund, once
    assert world.store.invoice().credit_cents == 0


# --- what the bank's file cannot pay is refused when proposed (R34, R13; BACKOFFICE2, 5) --------


@pytest.mark.parametrize("holder", ["   ", "***", "~"])
def test_an_account_holder_without_a_character_the_bank_accepts_is_refused(world, holder):
    """R34, interfaces.md §2 (a 400, never a 5xx): Given a held credit
    When its refund to account holder "***" is proposed
    Then it is refused naming refunds[0].account_holder, and no batch is made."""
    request = RefundRequest(REFERENCE, PATIENT_ACCOUNT[0], holder)
    with pytest.raises(InvalidInput) as refusal:
        propose_refunds([request], "operator-anna", world.ctx, cause=new_request())
    assert refusal.value.where == "body.refunds.0.account_holder"
    assert world.store.batches == {}


@pytest.mark.parametrize("iban", ["SA0380000000608010167519", "BR1500000000000010932840814P2"])
def test_a_refund_to_an_iban_outside_sepa_is_refused(world, iban):
    """R34 (a SEPA credit-transfer batch): Given a held credit
    When its refund to a Saudi (or Brazilian) IBAN is proposed
    Then it is refused (iban_not_sepa): no batch, the credit stays held."""
    with pytest.raises(Refused) as refusal:
        propose_refunds(
            [RefundRequest(REFERENCE, iban, "A. Visser")],
            "operator-anna",
            world.ctx,
            cause=new_request(),
        )
    assert refusal.value.code == "iban_not_sepa"
    assert world.store.batches == {} and world.store.invoice().credit_cents == 500


def test_a_batch_whose_file_cannot_be_written_books_no_refund(world):
    """R13: Given a refund batch holding a name without any SEPA character (proposed before
    that was refused)
    When it is approved
    Then the approval is refused (transfer_file_refused) before any refund is booked: the
    credit is still held, and no file is written."""
    batch = refund(world)
    [transfer] = batch.transfers
    world.store.save_batch(batch.with_transfer(replace(transfer, name="***")))
    with pytest.raises(Refused) as refusal:
        approve_batch(batch.batch_id, "operator-anna", world.ctx)
    assert refusal.value.code == "transfer_file_refused"
    # R35 (words53): and says how to go on; before, only that nothing was booked.
    nl, en = refusal.value.message_nl, refusal.value.message_en
    assert nl.startswith("Het bankbestand van deze batch kan niet worden gemaakt (") and (
        nl.endswith(
            "). Er is niets geboekt of betaald. Trek de batch in en stel een nieuwe voor: die"
            " controleert elke overschrijving al bij het voorstel."
        )
    )
    assert en.startswith("The bank file of this batch cannot be made (") and en.endswith(
        "). Nothing was booked or paid. Withdraw the batch and propose a new one: it checks"
        " each transfer when proposed."
    )
    assert refunds_booked(world) == [] and world.store.invoice().credit_cents == 500
    assert world.files.files == {}


# --- the requested execution date (R34, EPC SCT rulebook: TARGET2 days; BACKOFFICE6) ----------


@pytest.mark.parametrize(
    ("approved_on", "executed_on"),
    [
        (date(2026, 11, 28), "2026-11-30"),  # Saturday -> Monday
        (date(2026, 11, 29), "2026-11-30"),  # Sunday -> Monday
        (date(2027, 3, 26), "2027-03-30"),  # Good Friday -> Tuesday after Easter Monday
        (date(2026, 12, 25), "2026-12-28"),  # Christmas (a Friday) -> Monday
        (date(2026, 11, 27), "2026-11-27"),  # a Friday, a TARGET2 day
    ],
)
def test_the_file_asks_execution_on_the_first_target2_day_from_the_approval(
    world, approved_on, executed_on
):
    """R34: Given a refund batch approved on a Saturday (a Sunday, a TARGET2 holiday)
    When it is sent
    Then its ReqdExctnDt is the next TARGET2 business day, under the approval's date."""
    world.clock.set(approved_on)
    sent = approve_batch(refund(world).batch_id, "operator-anna", world.ctx)
    assert sent.file_key.startswith(f"refunds/{approved_on.isoformat()}/")
    document = world.pain_001(sent)
    PAIN_001.validate(document)
    assert f"<ReqdExctnDt><Dt>{executed_on}</Dt></ReqdExctnDt>".encode() in document


def test_a_saturday_batch_sent_again_on_monday_writes_the_same_bytes(world):
    """R34, R38: Given a batch approved on Saturday whose approval died after its file was
    written / When it is approved again on Monday / Then the file written again is the same,
    byte for byte: executed on Monday, created on Saturday."""
    world.clock.set(date(2026, 11, 28))
    batch = refund(world)
    crash_on_saving_as_sent(world)
    with pytest.raises(Killed):
        approve_batch(batch.batch_id, "operator-anna", world.ctx)
    saturday = dict(world.files.files)
    world.clock.set(date(2026, 11, 30))
    sent = approve_batch(batch.batch_id, "operator-anna", world.ctx)
    assert world.files.files == saturday
    assert b"<ReqdExctnDt><Dt>2026-11-30</Dt></ReqdExctnDt>" in world.pain_001(sent)


@pytest.mark.parametrize(
    ("psp_refund", "refused"),
    [
        ("", "refund_above_credit"),  # EUR 5.01 of the EUR 5.00 credit
        ("pending", "psp_refund_pending"),  # at most the EUR 5.00 paid too much by bank
        ("none", "credit_from_psp_payment"),
    ],
)
def test_a_refund_refusal_writes_its_amount_as_each_language_does(world, psp_refund, refused):
    """R9, R34: Given EUR 5.00 paid too much by bank transfer (and EUR 7.00 by iDEAL)
    When a bank refund of EUR 5.01 is proposed
    Then the refusal names EUR 5.00 as each language writes it: € 5,00 in the Dutch
    sentence, €5.00 in the English one (not the Dutch amount in the English sentence)."""
    if psp_refund:
        paid_too_much_by_ideal(world, 700, refund=psp_refund)
    with pytest.raises(Refused) as refusal:
        refund(world, amount_cents=501)
    assert refusal.value.code == refused
    assert "€\u00a05,00" in refusal.value.message_nl
    assert "€5.00" in refusal.value.message_en and "5,00" not in refusal.value.message_en
