"""What a patient can do with a betalingskenmerk (R10, R14-R16), on an in-memory store:
what the answers show, what they never show, and that a fake reference and a wrong birth
date cannot be told apart."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from html import unescape

import pytest

from billing_core.changes.stop import StopRequest, StopScope, apply_stop
from billing_core.entrypoints.http.patient_models import PaymentStatusOut
from billing_core.entrypoints.web.checker_page import render_checker
from billing_core.invoices.access import LOCKOUT, BirthDate
from billing_core.invoices.invoice import ArrangementTerm, Deferral, DunningStage, InvoiceStatus
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.payments.booking import IncomingPayment, apply_payment
from billing_core.providers.actions import ActionKind, ActionState
from billing_core.services.patient import (
    InvoiceState,
    PatientContext,
    PaymentStatus,
    file_objection,
    payment_status,
    request_arrangement,
    request_deferral,
)
from billing_core.shared.clock import AMSTERDAM, FixedClock
from billing_core.shared.errors import NotFound, Refused, StateConflict
from billing_core.shared.reference import InvalidReference, grouped
from billing_core.shared.retries import KEY_LIFETIME
from tests.unit.factories import (
    BSN,
    REFERENCE,
    make_invoice,
    make_line,
    make_person,
    make_provider,
)
from tests.unit.fake_store import FakeQueue, FakeStore
from tests.unit.test_checker_state import CHARGED, REMINDED

CLOCK = FixedClock(datetime(2026, 11, 25, 19, 0, tzinfo=AMSTERDAM))
BIRTH = BirthDate(date(1984, 3, 7))  # the factory patient's
UNKNOWN = "12234534622567"  # legal-nl.md §1's example: valid, but nobody's
WRONG_DIGIT = REFERENCE[:-1] + str((int(REFERENCE[-1]) + 1) % 10)


def ctx(store, queue=None, **changes) -> PatientContext:
    return PatientContext(store, queue or FakeQueue(), CLOCK, **changes)


def store_with(invoice=None, provider=None) -> FakeStore:
    return FakeStore([invoice or make_invoice()], [provider or make_provider()])


def paid_by(invoice, cents, source_id="tr_1"):
    moment = datetime(2026, 11, 24, 12, 0, tzinfo=AMSTERDAM)
    return apply_payment(invoice, IncomingPayment("psp", source_id, cents, moment))


def big_invoice(**changes):
    return make_invoice(lines=(make_line(unit_price_cents=30000),), **changes)


# --- payment status (R10) ---------------------------------------------------------------------


def test_an_open_invoice():
    # Given an invoice of € 33,17, final payment date 23 December
    store = store_with()
    # When the patient enters the kenmerk the way it is printed, with spaces
    view = payment_status(grouped(REFERENCE), ctx(store))
    # Then the answer is open, € 33,17, 23 December, and deferral is possible
    assert view.reference == REFERENCE
    assert (view.status, view.state) == (PaymentStatus.OPEN, InvoiceState.OPEN)
    assert view.amount_due_cents == 3317
    assert view.final_payment_date == date(2026, 12, 23)
    assert view.can_defer and not view.can_arrange  # € 43,17 with the fee: too small
    assert view.offer.deferral_days == 30 and view.offer.max_terms == 0


def test_one_read_per_check_once_warm():
    store = store_with()
    payment_status(REFERENCE, ctx(store))
    assert store.calls == ["find_invoice_by_reference", "cached_provider"]


def test_partly_paid_and_paid():
    half = paid_by(make_invoice(), 1000)
    view = payment_status(REFERENCE, ctx(store_with(half)))
    assert (view.status, view.amount_due_cents) == (PaymentStatus.PARTLY_PAID, 2317)
    full = paid_by(half, 2317, "tr_2")
    view = payment_status(REFERENCE, ctx(store_with(full)))
    assert (view.status, view.state, view.amount_due_cents) == (
        PaymentStatus.PAID,
        InvoiceState.PAID,
        0,
    )
    assert not view.can_defer and not view.can_arrange


def test_an_overpayment_shows_as_credit():
    view = payment_status(REFERENCE, ctx(store_with(paid_by(make_invoice(), 5000))))
    assert (view.status, view.amount_due_cents, view.credit_cents) == (PaymentStatus.PAID, 0, 1683)


def test_interest_accrued_today_is_in_the_amount_due():
    view = payment_status(REFERENCE, ctx(store_with(), interest=lambda invoice, day: 12))
    assert view.amount_due_cents == 3329


@pytest.mark.parametrize(
    "changes, state",
    [
        ({"deferral": Deferral(CLOCK.now(), date(2027, 1, 22))}, InvoiceState.DEFERRED),
        (REMINDED, InvoiceState.REMINDER_SENT),
        # R19: once the costs are charged, the final notice's state (audit checker50)
        (CHARGED, InvoiceState.SECOND_NOTICE_SENT),
        (
            {"dunning_stage": DunningStage.WITH_COLLECTION_AGENCY},
            InvoiceState.WITH_COLLECTION_AGENCY,
        ),
        ({"hold_until": date(2026, 12, 31), "hold_reason": "bezwaar"}, InvoiceState.ON_HOLD),
        ({"hold_until": date(2026, 11, 24)}, InvoiceState.OPEN),  # the hold ended yesterday
        (
            REMINDED | {"hold_until": date(2026, 12, 31)},
            InvoiceState.ON_HOLD,
        ),
    ],
)
def test_the_state_shown(changes, state):
    """R10: a dunning stage with the letter that made it (tests/unit/test_checker_state.py:
    the state follows the date that counts, which the reminder's record dates)."""
    view = payment_status(REFERENCE, ctx(store_with(make_invoice(**changes))))
    assert view.state is state


def sent():
    return make_invoice(status=InvoiceStatus.SENT)  # only a sent invoice can be stopped


def stopped_in_full(invoice):
    request = StopRequest(StopScope.FULL, "goodwill", "", accept_terms=True)
    return apply_stop(invoice, request, datetime(2026, 11, 25, 9, tzinfo=AMSTERDAM), "stop-1")


def partly_forgiven(invoice, cents):
    request = StopRequest(StopScope.PARTIAL, "goodwill", "", True, amount_cents=cents)
    return apply_stop(invoice, request, datetime(2026, 11, 24, 9, tzinfo=AMSTERDAM), "stop-1")


def forgiven_rest(invoice):
    """R17: coulance that takes the amount due to zero."""
    request = StopRequest(
        StopScope.PARTIAL, "goodwill", "", True, amount_cents=invoice.amount_due_cents
    )
    return apply_stop(invoice, request, datetime(2026, 11, 25, 9, tzinfo=AMSTERDAM), "stop-1")


@pytest.mark.parametrize(
    "settled, state",
    [
        (lambda: stopped_in_full(sent()), InvoiceState.WAIVED),
        (lambda: paid_by(sent(), 3317), InvoiceState.PAID),
        # R21: part paid by the patient, the rest stopped or forgiven by the practice: not
        # "paid", nor "waived", but both
        (lambda: stopped_in_full(paid_by(sent(), 1000)), InvoiceState.PAID_REST_WAIVED),
        (lambda: forgiven_rest(paid_by(sent(), 1000)), InvoiceState.PAID_REST_WAIVED),
        # R17: coulance first, then the patient paid all that was left: the patient paid it
        (lambda: paid_by(partly_forgiven(sent(), 1000), 2317), InvoiceState.PAID),
        # R5: the insurer's retour deducted all of it, nothing paid: the insurer settled it
        (lambda: reimbursed_rest(sent()), InvoiceState.REIMBURSED),
        # ... and after a part paid by the patient, who then paid too
        (lambda: reimbursed_rest(paid_by(sent(), 1000)), InvoiceState.PAID),
    ],
)
def test_who_settled_a_settled_invoice(settled, state):
    # Given an invoice of € 33,17 with nothing left to pay
    # When the patient checks it
    view = payment_status(REFERENCE, ctx(store_with(settled())))
    # Then R10's status is paid, and the state says who settled it (R10, R21, R5)
    assert (view.status, view.amount_due_cents, view.state) == (PaymentStatus.PAID, 0, state)


SETTLED_AND_HOW = [
    (lambda: stopped_in_full(sent()), "nothing_to_pay"),
    (lambda: stopped_in_full(paid_by(sent(), 1000)), "nothing_to_pay"),
    (lambda: forgiven_rest(paid_by(sent(), 1000)), "nothing_to_pay"),
    (lambda: reimbursed_rest(sent()), "nothing_to_pay"),
    (lambda: paid_by(sent(), 3317), "paid"),
    (lambda: paid_by(partly_forgiven(sent(), 1000), 2317), "paid"),
]


@pytest.mark.parametrize("settled, code", SETTLED_AND_HOW)
def test_what_a_patient_asks_of_a_settled_invoice_is_refused_with_who_settled_it(settled, code):
    """R5, R14, R15, R21 (audit psp53): a patient asking to pay, defer or arrange an invoice
    the practice stopped or forgave, or the insurer's deduction settled, was told "Deze nota
    is al betaald" / "already been paid": untrue for a patient who paid nothing (or not the
    rest); the page says "U hoeft niets te betalen" for the same invoice."""
    from billing_core.payments.online import start_payment
    from tests.unit.test_online_payments import World

    # Given an invoice of € 33,17 with nothing left to pay, settled as the table says
    world = World(settled())
    store = store_with(settled())
    # When the patient asks to pay it, to defer it and to pay it in terms
    asked = [
        lambda: start_payment(REFERENCE, BIRTH, world.context()),
        lambda: request_deferral(REFERENCE, BIRTH, ctx(store)),
        lambda: request_arrangement(REFERENCE, BIRTH, 3, ctx(store)),
    ]
    said = {"paid": "Deze nota is al betaald.", "nothing_to_pay": NOTHING_TO_PAY_NL}[code]
    for ask in asked:
        with pytest.raises(StateConflict) as refused:
            ask()
        # Then each is refused saying who settled it, in each language of the patient
        assert refused.value.code == code
        texts = [refused.value.message(language) for language in ("nl", "en", "pl", "ar")]
        assert texts[0] == said and len(set(texts)) == 4


NOTHING_TO_PAY_NL = "Op deze nota hoeft u niets meer te betalen."


def reimbursed_rest(invoice):
    """R5: an insurer's retour that grants what the patient still owed."""
    retour = LedgerEntry(
        EntryKind.REIMBURSEMENT,
        Component.PRINCIPAL,
        -invoice.amount_due_cents,
        datetime(2026, 11, 25, 9, tzinfo=AMSTERDAM),
        "retour:mz302.xml",
    )
    return invoice.with_entry(retour)


# What the page says of it, and the state it no longer shows: paid (by the patient).
NOTHING_PAID_ALL_REIMBURSED = {
    "nl": ("U hoeft niets te betalen: uw zorgverzekeraar vergoedt", "Betaald"),
    "en": ("You do not need to pay anything: your health insurer reimburses", "Paid"),
    "pl": ("ubezpieczyciel zdrowotny pokrywa całą kwotę", "Zapłacona"),
    "ar": ("تعوّض شركة التأمين الصحي كامل مبلغ", "مدفوعة"),
}


@pytest.mark.parametrize("language", sorted(NOTHING_PAID_ALL_REIMBURSED))
@pytest.mark.parametrize(
    "settled",
    [
        lambda: make_invoice(lines=(make_line(unit_price_cents=3000, reimbursed_cents=3000),)),
        lambda: reimbursed_rest(sent()),
    ],
    ids=["reimbursed in full when issued", "the rest reimbursed by a retour"],
)
def test_r5_r10_an_invoice_the_insurer_settled_is_not_paid_by_the_patient(settled, language):
    """R5, R10, R36 (known.md stop 37, Texts). Given an invoice the insurer's deduction
    settled, with nothing paid by the patient
    When anyone checks it, on the page or the API
    Then R10's status stays paid, and the state says the insurer reimbursed it and there
    is nothing to pay: not "paid" (by the patient), and nothing of money to pay back."""
    view = payment_status(REFERENCE, ctx(store_with(settled())))
    answer = PaymentStatusOut.of(view, "https://zorgnota.example/").model_dump()
    assert (answer["status"], answer["state"], answer["credit"]) == ("paid", "reimbursed", 0)
    said, paid = NOTHING_PAID_ALL_REIMBURSED[language]
    page = unescape(render_checker(language, view))
    assert said in page and f'id="state">{paid}<' not in page
    assert 'id="credit"' not in page and 'id="bd-credit"' not in page  # nothing to pay back


def test_a_running_arrangement_shows_its_terms_and_nothing_else_is_offered():
    store = store_with(big_invoice())
    request_arrangement(REFERENCE, BIRTH, 3, ctx(store))
    view = payment_status(REFERENCE, ctx(store))
    assert view.state is InvoiceState.ARRANGEMENT_ACTIVE
    assert view.arrangement_terms == (
        ArrangementTerm(date(2026, 12, 23), 10333),
        ArrangementTerm(date(2027, 1, 23), 10333),
        ArrangementTerm(date(2027, 2, 23), 10334),
    )
    assert not view.can_defer and not view.can_arrange


HOLD_END = date(2026, 12, 31)


def on_hold(invoice, until=HOLD_END):
    return dataclasses.replace(invoice, hold_until=until, hold_reason="navragen")


def arranged_then_held():
    store = store_with(big_invoice())
    request_arrangement(REFERENCE, BIRTH, 3, ctx(store))
    return on_hold(store.invoice())


@pytest.mark.parametrize(
    "held, state, hold_until",
    [
        # R16 "visible in the checker": a hold during an arrangement is shown beside its state
        (arranged_then_held, InvoiceState.ARRANGEMENT_ACTIVE, HOLD_END),
        (lambda: on_hold(make_invoice()), InvoiceState.ON_HOLD, HOLD_END),
        (lambda: on_hold(make_invoice(), date(2026, 11, 24)), InvoiceState.OPEN, None),  # ended
        # Nothing of ours left to pause: paid, or with the collection agency (R19)
        (lambda: on_hold(paid_by(sent(), 3317)), InvoiceState.PAID, None),
        (
            lambda: on_hold(make_invoice(dunning_stage=DunningStage.WITH_COLLECTION_AGENCY)),
            InvoiceState.WITH_COLLECTION_AGENCY,
            None,
        ),
    ],
    ids=["arrangement", "open", "hold_ended", "paid", "collection_agency"],
)
def test_r16_a_hold_shows_whatever_the_state_while_it_pauses_dunning(held, state, hold_until):
    # Given an invoice the practice put on hold until 31 December (audit ARRANGEMENTS6)
    store = store_with(held())
    # When the patient checks it on 25 November
    view = payment_status(REFERENCE, ctx(store))
    # Then the state is the one that applies first, and the hold is shown beside it
    assert (view.state, view.on_hold, view.hold_until) == (
        state,
        hold_until is not None,
        hold_until,
    )


def test_a_wrong_check_digit_is_refused_before_any_read():
    store = store_with()
    with pytest.raises(InvalidReference):
        payment_status(WRONG_DIGIT, ctx(store))
    with pytest.raises(InvalidReference):
        request_deferral(WRONG_DIGIT, BIRTH, ctx(store))
    assert store.calls == []


def test_an_unknown_reference_is_not_found():
    with pytest.raises(NotFound):
        payment_status(UNKNOWN, ctx(store_with()))


def test_the_view_holds_nothing_personal():
    # Given an invoice full of personal data
    invoice = make_invoice(debtor=make_person(initials="M.", last_name="Jansen"))
    # When its status is asked
    view = payment_status(REFERENCE, ctx(store_with(invoice)))
    # Then the answer has only these fields, and none of the personal values (R10, R29)
    assert {f.name for f in dataclasses.fields(view)} == {
        "reference",
        "status",
        "amount_due_cents",
        "final_payment_date",
        "state",
        "can_defer",
        "can_arrange",
        "arrangement_terms",
        "extra_term",  # the rest after the agreed terms, as the letters name it (R15)
        "credit_cents",
        "offer",
        "breakdown",
        "practice",  # the practice's name and how to reach it (R36): nobody's personal data
        "awaits_insurer_statement",
        "can_send_statement",
        "awaits_coulance_decision",  # the practice decides on the adjusted amount (R17)
        "follow_up_channel",  # how what follows comes, by e-mail or by post (R7): not where
        "hold_until",  # the last day of the practice's hold (R16)
        "costs_charged",  # the collection costs were charged: the hold's words (R16, R19)
        # the next letter has nowhere to go: the hold's last words, which name no contact
        # details (R16, R7, R23; holdnote54)
        "hold_waits_for_practice",
        "arrangement_ended_on",  # the day a missed term ended the arrangement (R15)
        # that a reminder never arrived and a new one follows (R7): said once the birth
        # date is checked, never by the public API
        "new_reminder",
        "new_second_notice",  # the same of the final notice (R7, R19; audit52)
        # that the first final notice is still to go: said once the birth date is checked
        # (R19; checker53)
        "second_notice_to_go",
        # that it waits for a hold on another invoice of its letter: said, as it goes
        # later, once the birth date is checked, the hold not named (R16, R19; portalwords53)
        "second_notice_held",
        # that the invoice's own e-mail never arrived and, with no postal address, the
        # reminder waits for the practice: said once the birth date is checked (R7, R23;
        # nowhy54)
        "invoice_undelivered",
    }
    text = repr(view)
    personal = ("s.vanderberg@", "m.jansen@", "Oudegracht", "3511", "P-004711", "1984", "C11")
    for secret in (BSN, "Berg", "Jansen", *personal):
        assert secret not in text


# --- write actions: the birth date gate ----------------------------------------------------------


WRITES = [
    lambda store, born: request_deferral(REFERENCE, born, ctx(store)),
    lambda store, born: request_arrangement(REFERENCE, born, 3, ctx(store)),
    lambda store, born: file_objection(
        REFERENCE, born, "amount", "Te hoog", "s@example.nl", ctx(store)
    ),
]


@pytest.mark.parametrize("write", WRITES)
def test_a_wrong_birth_date_answers_exactly_like_an_unknown_reference(write):
    # Given a real invoice, and a store without it
    real, empty = store_with(big_invoice()), FakeStore([], [make_provider()])
    # When one asks with the wrong birth date, the other with any birth date
    with pytest.raises(NotFound) as wrong_birth_date:
        write(real, BirthDate(date(1984, 3, 8)))
    with pytest.raises(NotFound) as unknown:
        write(empty, BIRTH)
    # Then the answers are the same, after the same reads, and nothing changed
    assert (type(wrong_birth_date.value), str(wrong_birth_date.value)) == (
        type(unknown.value),
        str(unknown.value),
    )
    assert (
        real.calls
        == empty.calls
        == [
            "wrong_birth_dates",
            "find_invoice_by_reference",
            "add_wrong_birth_date",
        ]
    )
    assert real.invoice().version == 0 and real.all_actions() == []


@pytest.mark.parametrize("write", WRITES)
def test_five_wrong_birth_dates_lock_the_reference_for_an_hour(write):
    """Issue 13.3: 73 requests found a birth date in 3 s; now 5 wrong ones lock it."""
    store = store_with(big_invoice())
    # Given five wrong birth dates for one reference
    for day in range(1, 6):
        with pytest.raises(NotFound):
            write(store, BirthDate(date(1984, 4, day)))
    # When the right one follows, within the hour
    with pytest.raises(NotFound) as locked:
        write(store, BIRTH)
    # Then it finds nothing, with the answer of an unknown reference, and nothing changed
    with pytest.raises(NotFound) as unknown:
        write(FakeStore([], [make_provider()]), BIRTH)
    assert str(locked.value) == str(unknown.value)
    assert store.invoice().version == 0 and store.all_actions() == []
    # And an hour after the last try the patient gets in again
    an_hour_later = PatientContext(store, FakeQueue(), FixedClock(CLOCK.now() + LOCKOUT))
    assert request_deferral(REFERENCE, BIRTH, an_hour_later).reference == REFERENCE


def test_four_wrong_birth_dates_do_not_lock():
    store = store_with(big_invoice())
    for day in range(1, 5):
        with pytest.raises(NotFound):
            request_deferral(REFERENCE, BirthDate(date(1984, 4, day)), ctx(store))
    assert request_deferral(REFERENCE, BIRTH, ctx(store)).reference == REFERENCE


# --- deferral (R14) ------------------------------------------------------------------------------


def test_a_deferral_is_granted_saved_and_confirmed():
    store, queue = store_with(), FakeQueue()
    view = request_deferral(REFERENCE, BIRTH, ctx(store, queue))
    assert view.final_payment_date == date(2027, 1, 22) and view.confirmation_sent
    assert store.invoice().current_final_payment_date == date(2027, 1, 22)
    assert [(r.kind, r.event_id) for r in queue.requests] == [("deferral_confirmation", "deferral")]
    # And the form sent again (a double click, a reload; R38) gets the first answer: the same
    # date, nothing saved, the confirmation queued under the same event (sent once)
    assert request_deferral(REFERENCE, BIRTH, ctx(store, queue)) == view
    assert store.invoice().version == 1
    assert {(r.kind, r.event_id) for r in queue.requests} == {("deferral_confirmation", "deferral")}
    # And a second request after a retry's lifetime is refused (R14: once per invoice)
    a_day_later = PatientContext(store, queue, FixedClock(CLOCK.now() + KEY_LIFETIME + LOCKOUT))
    with pytest.raises(StateConflict, match="already_deferred"):
        request_deferral(REFERENCE, BIRTH, a_day_later)
    assert store.invoice().version == 1


def test_a_patient_on_paper_gets_the_deferral_without_an_email():
    store, queue = store_with(make_invoice(patient=make_person(email=""))), FakeQueue()
    view = request_deferral(REFERENCE, BIRTH, ctx(store, queue))
    assert not view.confirmation_sent and queue.requests == []


def test_the_provider_settings_for_a_write_are_read_fresh():
    store = store_with(provider=make_provider(deferral_days=14))
    request_deferral(REFERENCE, BIRTH, ctx(store))
    assert "get_provider" in store.calls and "cached_provider" not in store.calls
    assert store.invoice().current_final_payment_date == date(2027, 1, 6)


# --- arrangement (R15) ---------------------------------------------------------------------------


def test_an_arrangement_is_made_saved_and_confirmed():
    store, queue = store_with(big_invoice()), FakeQueue()
    view = request_arrangement(REFERENCE, BIRTH, 4, ctx(store, queue))
    assert (view.total_cents, view.fee_cents, len(view.terms)) == (31000, 1000, 4)
    assert sum(t.amount_cents for t in view.terms) == 31000 and view.confirmation_sent
    assert store.invoice().arrangement.terms == view.terms
    assert queue.kinds == ["arrangement_confirmation"]
    # And the form sent again (R38) gets the first answer, nothing saved
    assert request_arrangement(REFERENCE, BIRTH, 4, ctx(store, queue)) == view
    assert store.invoice().version == 1 and set(queue.kinds) == {"arrangement_confirmation"}


def test_an_arrangement_asked_again_with_other_terms_or_later_is_refused():
    """Given an arrangement of 4 terms (R15)
    When the patient asks one of 3 terms, or 4 terms a day later (past a retry's lifetime)
    Then each is refused as one the invoice already has: another request, not a retry (R38)."""
    store = store_with(big_invoice())
    request_arrangement(REFERENCE, BIRTH, 4, ctx(store))
    a_day_later = PatientContext(
        store, FakeQueue(), FixedClock(CLOCK.now() + KEY_LIFETIME + LOCKOUT)
    )
    for terms, context in ((3, ctx(store)), (4, a_day_later)):
        with pytest.raises(StateConflict):
            request_arrangement(REFERENCE, BIRTH, terms, context)
    assert store.invoice().version == 1


@pytest.mark.parametrize("terms, code", [(13, "terms_out_of_range"), (1, "terms_out_of_range")])
def test_a_bad_number_of_terms_is_refused(terms, code):
    store, queue = store_with(big_invoice()), FakeQueue()
    with pytest.raises(Refused, match=code):
        request_arrangement(REFERENCE, BIRTH, terms, ctx(store, queue))
    assert store.invoice().version == 0 and queue.requests == []


def test_no_arrangement_with_the_collection_agency():
    invoice = big_invoice(dunning_stage=DunningStage.WITH_COLLECTION_AGENCY)
    with pytest.raises(StateConflict, match="with_collection_agency"):
        request_arrangement(REFERENCE, BIRTH, 3, ctx(store_with(invoice)))


# --- objection (R16) -----------------------------------------------------------------------------


def test_an_objection_becomes_an_open_action_and_an_acknowledgement():
    store, queue = store_with(), FakeQueue()
    before = store.invoice()
    file_objection(
        REFERENCE,
        BIRTH,
        "treatment",
        "  Deze behandeling heb ik niet gehad.  ",
        " s.berg@example.org ",
        ctx(store, queue),
    )
    # Then the provider has an open action with what the patient said
    (action,) = store.list_actions("tandarts-de-vries", ActionState.OPEN)
    assert action.kind is ActionKind.OBJECTION
    assert (action.invoice_id, action.reference, action.created_at) == (
        before.invoice_id,
        REFERENCE,
        CLOCK.now(),
    )
    assert action.details == {
        "reason": "treatment",
        "message": "Deze behandeling heb ik niet gehad.",
        "email": "s.berg@example.org",
    }
    # And the acknowledgement, about this action, goes to the invoice's own address (a
    # request carries no address), never to the one typed into the form (issue 13.3)
    (request,) = queue.requests
    assert dataclasses.asdict(request) == {
        "provider_id": before.provider_id,
        "invoice_id": before.invoice_id,
        "kind": "objection_acknowledgement",
        "event_id": action.action_id,
        "language": "",  # asked for no page language: the invoice's (R9)
    }
    # And the invoice is untouched: an objection does not suspend payment (seed 000)
    assert store.invoice() == before


def test_r16_the_same_objection_twice_on_a_day_is_one_action_and_one_message():
    """R16 (audit round 37 RETRIES3): the same reason, message and reply address on the
    same invoice and day is one objection: written on condition, and its acknowledgement
    queued again with the same event, which the delivery sends once."""
    store, queue = store_with(), FakeQueue()

    def objection(message="Te hoog", email="a@example.nl"):
        file_objection(REFERENCE, BIRTH, "amount", message, email, ctx(store, queue))

    objection()
    objection(message="  Te hoog ", email=" a@example.nl")  # as typed again: the same
    (action,) = store.list_actions("tandarts-de-vries")
    assert "put_action" not in store.calls
    assert [r.event_id for r in queue.requests] == [action.action_id] * 2
    assert queue.requests[0] == queue.requests[1]
    # Another message, or another reply address, is another objection
    objection(message="Niet gehad")
    objection(email="b@example.nl")
    assert len(store.list_actions("tandarts-de-vries")) == 3


@pytest.mark.parametrize(
    "reason, message, email",
    [
        ("angry", "Te hoog", "a@example.nl"),
        ("amount", "   ", "a@example.nl"),
        ("amount", "x" * 2001, "a@example.nl"),
        ("amount", "Te hoog", "not-an-address"),
        ("amount", "Te hoog", ""),
        ("amount", "Te hoog", "a@example.nl\nBcc: b@example.nl"),
        ("amount", "Te hoog", "a@exam\nple.nl"),
        ("amount", "Te hoog", "a;b@example.nl"),
    ],
)
def test_an_unusable_objection_is_refused_before_any_read(reason, message, email):
    store = store_with()
    with pytest.raises(Refused, match="invalid_objection"):
        file_objection(REFERENCE, BIRTH, reason, message, email, ctx(store))
    assert store.calls == []


@pytest.mark.parametrize(
    "reason, message, email, codes",
    [
        (
            "angry",
            "",
            "jan@hotmail",
            ["invalid_objection_reason", "invalid_objection_message", "invalid_objection_email"],
        ),
        ("amount", "x" * 2001, "", ["invalid_objection_message", "invalid_objection_email"]),
        (
            "angry",
            "Te hoog",
            "jan@hotmail",
            ["invalid_objection_reason", "invalid_objection_email"],
        ),
    ],
)
def test_an_objection_wrong_in_several_ways_is_refused_for_each_at_once(
    reason, message, email, codes
):
    """R16, WCAG 3.3.1/3.3.3: given an objection with more than one part unusable, when it
    is filed, then the refusal's code is the first part's, as an API client tests for it,
    and the refusal names every other part too, in the order of the form."""
    store = store_with()
    with pytest.raises(Refused) as refusal:
        file_objection(REFERENCE, BIRTH, reason, message, email, ctx(store))
    assert [refusal.value.code, *(other.code for other in refusal.value.also)] == codes
    assert all(other.message("nl") for other in refusal.value.also)
    assert store.calls == []


def test_an_objection_does_not_stop_a_deferral_or_payment_status():
    store = store_with()
    file_objection(REFERENCE, BIRTH, "amount", "Te hoog", "a@example.nl", ctx(store))
    view = payment_status(REFERENCE, ctx(store))
    assert (view.state, view.amount_due_cents, view.can_defer) == (InvoiceState.OPEN, 3317, True)


def test_a_stale_read_does_not_grant_two_deferrals(monkeypatch):
    # Two deferral requests at once read the same version (R28): one wins, the other
    # re-reads and finds the deferral just granted: the same answer (a double click, R38),
    # one deferral saved.
    store = store_with()
    stale = store.invoice()
    first = request_deferral(REFERENCE, BIRTH, ctx(store))
    monkeypatch.setattr(store, "find_invoice_by_reference", lambda reference: stale)
    monkeypatch.setattr("billing_core.invoices.updates.pause", lambda attempt: None)
    assert request_deferral(REFERENCE, BIRTH, ctx(store)) == first
    assert store.invoice().version == 1
