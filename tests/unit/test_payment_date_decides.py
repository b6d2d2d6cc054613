"""The payment date decides, not the moment we learn of it (issue 12 item 1; legal-nl.md
§2, §4, §5), through the public use cases: the daily dunning run at 06:00, the delivery of
its letters, and the bank statement import.

The issue's example: €1,000.00 by e-mail, final payment date 2026-12-23, reminder
2026-12-31, term to 2027-01-14. The transfer is credited on 2027-01-14.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from billing_core.correspondence.kinds import PAYMENT_RECEIVED
from billing_core.dunning.letters import KINDS as DUNNING_LETTERS
from billing_core.dunning.letters import SECOND_NOTICE
from billing_core.invoices.invoice import Correspondence
from billing_core.invoices.ledger import Component, EntryKind, balance
from billing_core.payments.booking import IncomingPayment, book_payment, book_reversal, reversible
from billing_core.payments.unmatched import MatchTarget, UnmatchedCredit, credit_id_of
from billing_core.services.operator.context import BackOfficeContext
from billing_core.services.operator.money import match_credit
from billing_core.shared.audit import Reader
from billing_core.shared.clock import AMSTERDAM
from tests.unit.dunning_world import DunningWorld, Money, one_invoice
from tests.unit.fake_store import AuditInMemory

CREDITED_ON = date(2027, 1, 14)  # the last day of the reminder's term
COSTS_DAY = date(2027, 1, 15)
LATER = date(2027, 2, 10)  # after the day the claim would have gone to the agency


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM)


def reminded(*invoices) -> DunningWorld:
    world = DunningWorld(list(invoices) or [one_invoice(100_000)])
    world.run_days(date(2026, 12, 24), CREDITED_ON)
    return world


def dunning_letters(world: DunningWorld, invoice_id: str = "inv-1") -> list[Correspondence]:
    return [c for c in world.invoice(invoice_id).correspondence if c.kind in DUNNING_LETTERS]


def test_payment_dated_in_term_imported_late_undoes_costs():
    """Given the example, when the statement is imported after the 06:00 run of
    2027-01-15 (which charged the €150.00 BIK and sent the second notice), then nothing
    is due and nothing is charged: the costs are reversed by an entry that says why, and
    no handover follows (legal-nl.md §2)."""
    world = reminded()
    world.run(COSTS_DAY)
    assert world.money(COSTS_DAY).costs == 15_000

    world.import_transfer(100_000, booked_on=CREDITED_ON, at=at(COSTS_DAY, 9))

    assert world.money(COSTS_DAY) == Money(principal=0, costs=0, interest=0, due=0)
    reversal = world.invoice().ledger[-1]
    assert (reversal.kind, reversal.component, reversal.amount_cents) == (
        EntryKind.COSTS,
        Component.COSTS,
        -15_000,
    )
    assert "2027-01-14 was within the reminder's term to 2027-01-14" in reversal.note
    world.run_days(COSTS_DAY + timedelta(days=1), LATER)
    assert world.handover_files() == [] and world.money(LATER).due == 0


def test_a_second_notice_not_yet_sent_is_withdrawn():
    """Given the run charged the costs and queued the second notice, when the statement
    with the payment of the 14th is read before the letter went out, then the letter is
    not sent: the patient only hears that the payment was received."""
    world = reminded()
    world.run(COSTS_DAY, deliver=False)

    world.import_transfer(100_000, booked_on=CREDITED_ON, at=at(COSTS_DAY, 6, 1))

    assert [c.kind for c in world.invoice().correspondence][-1] == PAYMENT_RECEIVED
    assert SECOND_NOTICE not in {c.kind for c in world.invoice().correspondence}
    assert world.invoice().letters_due == ()


def test_a_handover_already_sent_is_reported_to_the_agency():
    """Given the claim went to the collection agency on 2027-01-29, when a transfer
    credited on 2027-01-14 is read on 2027-02-01, then the costs are undone, nothing is
    due, the patient is no longer blocked, and the agency gets a record of the day with
    the amounts and the entries (R22, legal-nl.md §2)."""
    world = reminded()
    world.run_days(COSTS_DAY, date(2027, 1, 29))
    assert world.invoice().is_with_collection_agency

    world.import_transfer(100_000, booked_on=CREDITED_ON, at=at(date(2027, 2, 1), 9))

    assert world.money(date(2027, 2, 1)).due == 0
    assert world.store.blocked_patients(world.provider.provider_id) == []
    kenmerk = world.invoice().reference
    key = f"collection/updates/2027-02-01/{world.provider.provider_id}/{kenmerk}-paid-in-term.json"
    record = json.loads(world.files.files[key])
    assert record["amounts_cents"] == {
        "principal": 0,
        "collection_costs": 0,
        "arrangement_fee": 0,
        "interest": 0,
        "total": 0,
    }
    assert [(e["kind"], e["amount_cents"]) for e in record["entries"]] == [
        ("payment", -100_000),
        ("costs", -15_000),
    ]


def test_a_combined_letter_is_set_right_on_each_of_its_invoices():
    """Given one letter for €2,000 + €2,000 (announced €525.00, charged €262.50 each on
    2027-01-15), when A's transfer credited in the term is read after the run, then A owes
    nothing and B carries the staffel over what was left: €300.00, as if A's payment had
    been known on its date (legal-nl.md §2)."""
    world = reminded(one_invoice(200_000, number=1), one_invoice(200_000, number=2))
    world.run(COSTS_DAY)

    world.import_transfer(200_000, booked_on=CREDITED_ON, at=at(COSTS_DAY, 9))

    assert world.money(COSTS_DAY, "inv-1").due == 0
    assert balance(world.invoice("inv-2").ledger, Component.COSTS) == 30_000


def test_a_combined_letter_is_set_right_when_the_payment_read_a_from_before_the_run():
    """R28 and legal-nl.md §2 (audit money D6): the import finds A by its kenmerk as it
    was before the run charged the letter's costs (the by-reference index lags, or the
    read came first) and writes after it. Given the same letter as above, then B still
    carries €300.00, as when A was read after the run."""
    world = reminded(one_invoice(200_000, number=1), one_invoice(200_000, number=2))
    read_before_the_run = world.invoice("inv-1")
    world.run(COSTS_DAY)
    find = world.store.find_invoice_by_reference
    stale = {read_before_the_run.reference: read_before_the_run}
    world.store.find_invoice_by_reference = lambda reference: (
        stale.pop(reference, None) or find(reference)
    )

    world.import_transfer(200_000, booked_on=CREDITED_ON, at=at(COSTS_DAY, 6))

    assert not stale, "the import read A from before the run"
    assert world.money(COSTS_DAY, "inv-1").due == 0
    assert balance(world.invoice("inv-2").ledger, Component.COSTS) == 30_000


def test_a_credit_matched_to_the_patient_after_the_run_is_split_by_what_was_due_on_its_date():
    """Given one letter for €500 + €300 and €800 without a kenmerk credited on the last
    day of its term, when an operator matches it to the patient after the run charged the
    costs, then each invoice gets what it owed on the credit's date (legal-nl.md §5: the
    oldest due invoice first, the rest to the next; §2: the payment date decides, so the
    costs charged later were not due): both are paid in the term, no costs, no handover."""
    world = reminded(one_invoice(50_000, number=1), one_invoice(30_000, number=2))
    world.run_days(COSTS_DAY, date(2027, 1, 19))
    source = "NL20INGB0001234567/ING-99"
    world.links.keep_unmatched_credit(
        UnmatchedCredit(
            credit_id_of(source), source, "STMT-9", "ING-99", CREDITED_ON, "CRDT", 80_000,
            "EUR", "no_reference", counterparty_name="J. Jansen",
        )
    )  # fmt: skip
    world.clock.set(at(date(2027, 1, 20), 10))
    office = BackOfficeContext(
        world.store, world.files, world.links, AuditInMemory(), world.queue, world.clock,
        Reader("operator-sub-1", "operator"),
    )  # fmt: skip
    patient = MatchTarget(
        provider_id=world.provider.provider_id, patient_ref=world.invoice().patient_ref
    )

    matched = match_credit(credit_id_of(source), patient, office)

    assert [(p.invoice_id, p.amount_cents) for p in matched.match.parts] == [
        ("inv-1", 50_000),
        ("inv-2", 30_000),
    ]
    world.run_days(date(2027, 1, 20), LATER)
    for invoice_id in ("inv-1", "inv-2"):
        assert world.money(LATER, invoice_id) == Money(principal=0, costs=0, interest=0, due=0)
        assert world.invoice(invoice_id).handed_over_on is None
    assert world.handover_files() == []


def test_costs_paid_by_a_later_payment_move_on_to_the_principal():
    """Given €600.00 paid on 2027-01-20 (after the term: it paid the €150.00 BIK first,
    then interest, then principal), when a €500.00 transfer credited on the 14th is read
    on the 21st, then the BIK is the staffel over €500.00 (€75.00), and what the later
    payment put on the costs no longer due pays the principal (art. 6:44 BW): the same
    amount due as had both been known on their dates."""
    late = reminded()
    late.run_days(COSTS_DAY, date(2027, 1, 20))
    late.import_transfer(60_000, booked_on=date(2027, 1, 20), at=at(date(2027, 1, 20), 18))
    late.import_transfer(50_000, booked_on=CREDITED_ON, at=at(date(2027, 1, 21), 9))
    in_time = reminded()
    in_time.import_transfer(50_000, booked_on=CREDITED_ON, at=at(CREDITED_ON, 18))
    in_time.run_days(COSTS_DAY, date(2027, 1, 20))
    in_time.import_transfer(60_000, booked_on=date(2027, 1, 20), at=at(date(2027, 1, 20), 18))

    assert late.money(LATER) == in_time.money(LATER)
    assert late.money(LATER).costs == 0 and late.money(LATER).due == 0


def test_interest_runs_up_to_the_day_the_payment_is_received_not_read():
    """Given the costs charged on the 15th, when a transfer credited on Wednesday 20
    January is read on Monday the 25th, then the interest it pays runs from the first day
    of default up to, not including, the 20th (legal-nl.md §4): the five days it waited
    for the statement cost the patient nothing."""
    world = reminded()
    world.run_days(COSTS_DAY, date(2027, 1, 25))
    due_on_the_20th = world.money(date(2027, 1, 20))

    world.import_transfer(
        due_on_the_20th.due, booked_on=date(2027, 1, 20), at=at(date(2027, 1, 25), 9)
    )

    (interest,) = [e for e in world.invoice().ledger if e.kind is EntryKind.INTEREST]
    assert interest.amount_cents == due_on_the_20th.interest == 296  # 27 days at 4%
    assert world.money(date(2027, 1, 25)).due == 0


# --- the property: the order of learning never matters ------------------------------------


@cache
def known_on_its_date(amount: int) -> tuple[Money, tuple[tuple[str, datetime], ...], tuple]:
    """The statement read the evening of the day the money came in: before any costs."""
    world = reminded()
    world.import_transfer(amount, booked_on=CREDITED_ON, at=at(CREDITED_ON, 18))
    world.run_days(COSTS_DAY, LATER)
    letters = tuple((c.kind, c.at) for c in dunning_letters(world))
    return world.money(LATER), letters, tuple(world.handover_files())


@settings(max_examples=25, deadline=None)
@given(
    amount=st.sampled_from([100_000, 60_000, 99_999, 120_000, 2_500]),
    delay_days=st.integers(min_value=0, max_value=5),
    before_the_run=st.booleans(),
)
def test_statement_before_or_after_the_run_gives_the_same_result(
    amount, delay_days, before_the_run
):
    """Given a transfer credited on the last day of the term, when its statement is read
    0-5 days later, before or after that day's 06:00 run, then the ledger balances, the
    amount due, the handover and the letters are those of the statement read on the
    day itself; the one thing that can differ is a second notice that went out before
    the statement was read (a letter sent cannot be taken back; the patient then gets
    the payment's confirmation with nothing due)."""
    read_at = at(CREDITED_ON + timedelta(days=delay_days), 5 if before_the_run else 7)
    expected_money, expected_letters, expected_handovers = known_on_its_date(amount)
    world = reminded()

    def read_the_statement() -> None:
        world.import_transfer(amount, booked_on=CREDITED_ON, at=read_at)

    if delay_days == 0:
        read_the_statement()
    for day in (COSTS_DAY + timedelta(days=n) for n in range((LATER - COSTS_DAY).days + 1)):
        if day == read_at.date() and before_the_run:
            read_the_statement()
        world.run(day)
        if day == read_at.date() and not before_the_run:
            read_the_statement()

    assert world.money(LATER) == expected_money
    assert tuple(world.handover_files()) == expected_handovers
    letters = [(c.kind, c.at) for c in dunning_letters(world)]
    assert [letter for letter in letters if letter[1] >= read_at] == [
        letter for letter in expected_letters if letter[1] >= read_at
    ]
    assert {kind for kind, sent in letters if sent < read_at} - {
        kind for kind, sent in expected_letters if sent < read_at
    } <= {SECOND_NOTICE}


# --- payments dated after the term, learned of out of order (audits legal D5/D6, money D2) --

AFTER_THE_TERM_END = date(2027, 3, 15)
ASKED_ON = date(2027, 3, 20)


def pay_by_ideal(
    world: DunningWorld, amount: int, paid_at: datetime, psp_id: str, *, booked_at=None
) -> None:
    world.clock.set(booked_at or paid_at)
    payment = IncomingPayment("psp", psp_id, amount, paid_at)
    book_payment(world.store, world.invoice().reference, payment, clock=world.clock)


def interest_booked(world: DunningWorld) -> int:
    return sum(e.amount_cents for e in world.invoice().ledger if e.kind is EntryKind.INTEREST)


def test_a_transfer_after_the_term_read_after_a_later_payment_takes_its_interest_back():
    """Given €10,000 with the €875.00 BIK charged on 2027-01-15 and €1,000 paid by iDEAL on
    1 March, when the €8,000 transfer credited on 20 January is read on 2 March, then the
    interest is what it is with the transfer known on its date: €29.59 up to the 20th on
    €10,000, €12.73 up to 1 March on what the transfer left (legal-nl.md §2: the payment
    date decides; §4: interest runs up to, not including, the day the payment is
    received). Audit legal D5."""
    ideal_at = at(date(2027, 3, 1), 12)
    late = reminded(one_invoice(1_000_000))
    late.run(COSTS_DAY)
    pay_by_ideal(late, 100_000, ideal_at, "tr_1")
    late.import_transfer(800_000, booked_on=date(2027, 1, 20), at=at(date(2027, 3, 2), 10))
    in_time = reminded(one_invoice(1_000_000))
    in_time.run(COSTS_DAY)
    in_time.import_transfer(800_000, booked_on=date(2027, 1, 20), at=at(date(2027, 1, 20), 10))
    pay_by_ideal(in_time, 100_000, ideal_at, "tr_1")

    assert late.money(date(2027, 3, 3)) == in_time.money(date(2027, 3, 3))
    assert late.money(date(2027, 3, 3)).due == 191_774
    assert interest_booked(late) == 2_959 + 1_273


def test_money_a_late_in_term_payment_moves_is_dated_at_the_payment_it_comes_from():
    """Given €10,000 with the €875.00 BIK charged, €1,500 paid by iDEAL on 16 January (it
    paid the BIK first), when the €5,000 transfer credited on the term's last day is read on
    1 March, then what the iDEAL payment put on the BIK no longer due paid the principal on
    the 16th, not on 1 March: the interest is that of the payments known on their dates,
    €20.46 on 2 March (legal-nl.md §2). Audit legal D6."""
    ideal_at = at(date(2027, 1, 16), 12)
    late = reminded(one_invoice(1_000_000))
    late.run(COSTS_DAY)
    pay_by_ideal(late, 150_000, ideal_at, "tr_1")
    late.run_days(date(2027, 1, 17), date(2027, 2, 28))
    late.import_transfer(500_000, booked_on=CREDITED_ON, at=at(date(2027, 3, 1), 10))
    in_time = reminded(one_invoice(1_000_000))
    in_time.import_transfer(500_000, booked_on=CREDITED_ON, at=at(CREDITED_ON, 10))
    in_time.run(COSTS_DAY)
    pay_by_ideal(in_time, 150_000, ideal_at, "tr_1")
    in_time.run_days(date(2027, 1, 17), date(2027, 3, 1))

    assert late.money(date(2027, 3, 2)) == in_time.money(date(2027, 3, 2))
    assert late.money(date(2027, 3, 2)).interest == 2_046
    moved = [e for e in late.invoice().ledger if e.cause == "psp:tr_1" and e.at > ideal_at]
    assert moved == []


@cache
def each_known_on_its_date(payments: tuple[tuple[int, date], ...]) -> Money:
    """Every transfer read the evening of the day it was credited, after that day's run."""
    world = reminded()
    day = COSTS_DAY
    for amount, credited_on in sorted(payments, key=lambda p: p[1]):
        if credited_on >= COSTS_DAY:
            world.run_days(day, credited_on)
            day = credited_on + timedelta(days=1)
        world.import_transfer(amount, booked_on=credited_on, at=at(credited_on, 18))
    world.run_days(day, AFTER_THE_TERM_END)
    return world.money(ASKED_ON)


@settings(max_examples=20, deadline=None)
@given(
    payments=st.lists(
        st.tuples(
            st.sampled_from([60_000, 25_000, 10_000, 2_500]),
            st.integers(min_value=-4, max_value=55).map(lambda n: COSTS_DAY + timedelta(n)),
        ),
        min_size=2,
        max_size=3,
    ),
    learning_order=st.randoms(use_true_random=False),
)
def test_the_order_of_learning_never_matters_also_after_the_term(payments, learning_order):
    """Given €1,000 with its reminder's term to 2027-01-14 and two or three transfers
    credited from 10 January to 11 March (in the term, after it, or both), when their
    statements are all read on 16 March in any order, then what is owed on 20 March is
    what it is with each transfer read the day it was credited (legal-nl.md §2: "the
    result after a late payment equals what it would have been had every payment been
    known on its date"; §4; §5 costs -> interest -> principal). Audit money D2."""
    expected = each_known_on_its_date(tuple(payments))
    world = reminded()
    world.run_days(COSTS_DAY, AFTER_THE_TERM_END)
    read = list(payments)
    learning_order.shuffle(read)

    for hour, (amount, credited_on) in enumerate(read, start=9):
        world.import_transfer(amount, booked_on=credited_on, at=at(date(2027, 3, 16), hour))

    assert world.money(ASKED_ON) == expected


def test_a_returned_later_payment_stays_returned_when_an_earlier_one_comes_in():
    """Given €600.00 credited on 1 February (it paid the €150.00 BIK first) and returned in
    full on the 5th, when a €300.00 transfer credited on the term's last day is read after
    that, then the BIK is the staffel over €700.00 (€105.00), the principal is what the
    transfer left, and nothing is left of the returned payment to undo (legal-nl.md §2;
    R12: a return undoes exactly what the payment did)."""
    late = reminded()
    late.run(COSTS_DAY)
    late.import_transfer(60_000, booked_on=date(2027, 2, 1), at=at(date(2027, 2, 1), 18))
    late.clock.set(at(date(2027, 2, 5), 12))
    book_reversal(
        late.store, late.invoice().reference, "NL20INGB0001234567/ING-1", "R-1", 60_000,
        clock=late.clock,
    )  # fmt: skip
    late.import_transfer(30_000, booked_on=CREDITED_ON, at=at(date(2027, 2, 6), 9))

    money = late.money(date(2027, 3, 1))
    assert (money.principal, money.costs) == (70_000, 10_500)
    left = reversible(late.invoice(), "bank:NL20INGB0001234567/ING-1")
    assert left == {component: 0 for component in Component}


# --- paid on the costs day, learned of before or after that day's run (audit legal2 LEGAL2-1) --


def paid_by(world: DunningWorld, payment_id: str) -> dict[str, int]:
    """What a payment paid off, per component, net of the entries that set it right."""
    paid: dict[str, int] = {}
    for entry in world.invoice().ledger:
        if entry.kind is EntryKind.PAYMENT and entry.cause == payment_id:
            paid[entry.component.value] = paid.get(entry.component.value, 0) - entry.amount_cents
    return paid


@pytest.mark.parametrize(
    "booked_at", [at(COSTS_DAY, 2, 1), at(COSTS_DAY, 7)], ids=["before", "after"]
)
def test_an_ideal_payment_of_the_costs_day_pays_the_costs_first_whenever_it_is_booked(booked_at):
    """Given the example's reminder (term to 2027-01-14), when €400.00 paid by iDEAL at
    02:00 on the 15th is booked at 02:01, before the 06:00 run charges the €150.00 BIK,
    or at 07:00, after it, then either way it paid the costs, the 22 days' interest up to
    it (€2.41) and the rest principal (legal-nl.md §5, art. 6:44 BW), and €752.82 is due on
    the 20th: costs are due from the day after the term, and the order in which we learn
    of the payment and the costs changes nothing (§2)."""
    world = reminded()
    ideal = at(COSTS_DAY, 2)
    if booked_at < at(COSTS_DAY, 6):
        pay_by_ideal(world, 40_000, ideal, "tr_1", booked_at=booked_at)
    world.run(COSTS_DAY)
    if booked_at > at(COSTS_DAY, 6):
        pay_by_ideal(world, 40_000, ideal, "tr_1", booked_at=booked_at)

    assert paid_by(world, "psp:tr_1") == {"costs": 15_000, "interest": 241, "principal": 24_759}
    assert interest_booked(world) == 241
    assert world.money(date(2027, 1, 20)) == Money(
        principal=75_241, costs=0, interest=41, due=75_282
    )
    assert all(e.recorded >= booked_at for e in world.invoice().ledger if e.cause == "psp:tr_1")


@pytest.mark.parametrize(
    "paid_at, paid",
    [
        # 23:59 in Amsterdam on the term's last day: in the term, no costs, no interest
        (datetime(2027, 1, 14, 22, 59, tzinfo=UTC), {"principal": 100_000}),
        # 00:30 in Amsterdam on the 15th: after the term, costs and interest come first
        (
            datetime(2027, 1, 14, 23, 30, tzinfo=UTC),
            {"costs": 15_000, "interest": 241, "principal": 84_759},
        ),
    ],
    ids=["last-minute-of-the-term", "first-hour-after-it"],
)
def test_an_ideal_payment_stamped_in_utc_counts_on_its_dutch_day(paid_at, paid):
    """legal-nl.md §2: an iDEAL payment counts on the day the PSP reports it paid, and the
    term's days are Dutch days (the PSP stamps its paidAt in UTC). Given the example's
    reminder (term to 2027-01-14), when €1,000.00 reported paid at 22:59Z on the 14th, or
    at 23:30Z (00:30 on the 15th in Amsterdam), is booked after the 06:00 run of the 15th
    charged the €150.00 BIK, then the first paid in the term: the costs are undone and
    nothing is due; the second pays the costs, the 22 days' interest (€2.41) and then the
    principal (§5, art. 6:44 BW), leaving €152.41 of principal."""
    world = reminded()
    world.run(COSTS_DAY)

    pay_by_ideal(world, 100_000, paid_at, "tr_1", booked_at=at(COSTS_DAY, 9))

    assert paid_by(world, "psp:tr_1") == paid
    expected_principal = 100_000 - paid["principal"]
    assert world.money(COSTS_DAY) == Money(
        principal=expected_principal, costs=0, interest=0, due=expected_principal
    )


@pytest.mark.parametrize("read_at", [at(COSTS_DAY, 5), at(COSTS_DAY, 10)], ids=["before", "after"])
def test_a_transfer_credited_on_the_costs_day_is_allocated_alike_read_before_or_after_the_run(
    read_at,
):
    """Given the example's reminder, when a €400.00 transfer credited on 2027-01-15 is read
    at 05:00, before that day's run, or at 10:00, after it, then the ledger holds the
    same: €150.00 BIK paid, €2.41 interest paid, €247.59 principal paid; due on the 20th
    €752.82 (legal-nl.md §2, §5)."""
    world = reminded()
    if read_at < at(COSTS_DAY, 6):
        world.import_transfer(40_000, booked_on=COSTS_DAY, at=read_at)
    world.run(COSTS_DAY)
    if read_at > at(COSTS_DAY, 6):
        world.import_transfer(40_000, booked_on=COSTS_DAY, at=read_at)

    (payment,) = {e.cause for e in world.invoice().ledger if e.kind is EntryKind.PAYMENT}
    assert paid_by(world, payment) == {"costs": 15_000, "interest": 241, "principal": 24_759}
    assert world.money(date(2027, 1, 20)).due == 75_282
