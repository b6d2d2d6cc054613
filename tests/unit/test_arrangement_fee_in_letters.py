"""The fee of a cancelled instalment arrangement (R15) in the dunning that resumes after it
(audit legal D3, D4): the 14-day letter asks it with the principal, as its own line, and
neither the second notice nor the agency's file passes it off as collection costs (BIK).

legal-nl.md §2: the reminder "states the amount due"; BIK "may only be charged ... if the
term passes", and the BIK charged is "never more than the letter announced". §3: BIK is
over the outstanding principal only. §5 / R13: a payment goes to costs (the fee is on the
costs) first, so a letter that left the fee out asked too little: paying what it asked
left principal open and cost the patient € 40 BIK.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from billing_core.changes.arrangement import create_arrangement
from billing_core.dunning.letters import REMINDER, SECOND_NOTICE
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.invoices.open_costs import OpenCosts, open_costs
from billing_core.payments.booking import IncomingPayment, book_payment
from billing_core.shared.clock import AMSTERDAM
from tests.unit.dunning_world import DunningWorld, one_invoice
from tests.unit.test_dunning_letters import letter_pdf, notice_of, reminder_of, rendered
from tests.unit.test_invoice_pdf import page_count

PRINCIPAL = 30_000
FEE = 1_000  # the provider's default arrangement fee
ANNOUNCED_BIK = 4_500  # 15% of € 300,00 (legal-nl.md §3)
REMINDER_DAY = date(2027, 1, 7)  # the arrangement's first term (23 Dec) missed > 14 days
FINAL_DATE = date(2027, 1, 21)  # e-mail: received the day sent, + 14 days


def cancelled_arrangement() -> DunningWorld:
    """A € 300,00 invoice with a two-term arrangement made on 1 December 2026 (fee
    € 10,00) of which nothing is paid: it is cancelled on 7 January 2027 and the run
    sends the 14-day letter that day."""
    world = DunningWorld([one_invoice(PRINCIPAL)])
    made = datetime(2026, 12, 1, 12, 0, tzinfo=AMSTERDAM)
    world.store.save_invoice(create_arrangement(world.invoice(), world.provider, 2, made))
    world.run_days(date(2026, 12, 2), REMINDER_DAY)
    reminder = world.invoice().reminder
    assert reminder is not None and reminder.sent_on == REMINDER_DAY
    assert reminder.final_date == FINAL_DATE and reminder.costs_cents == ANNOUNCED_BIK
    return world


def sent(world: DunningWorld, kind: str):
    return [email for (_, email, _) in world.outbox.sent if email.kind == kind]


def pay(world: DunningWorld, cents: int, day: date) -> None:
    at = datetime.combine(day, datetime.min.time(), tzinfo=AMSTERDAM) + timedelta(hours=12)
    world.clock.set(at)
    payment = IncomingPayment("psp", f"tr_{day.isoformat()}", cents, at)
    book_payment(world.store, world.invoice().reference, payment, clock=world.clock)


# --- D3: the 14-day letter asks the fee still owed, as its own line --------------------------


@pytest.mark.parametrize(
    "language, fee_line, asks",
    [
        ("nl", ("Kosten betalingsregeling", "€ 10,00"), "Wij vragen u € 310,00 te betalen"),
        ("en", ("Instalment arrangement fee", "€10.00"), "Please pay €310.00"),
    ],
)
def test_the_reminder_after_a_cancelled_arrangement_asks_its_fee_as_its_own_line(
    language, fee_line, asks
):
    """legal-nl.md §2, R15: given a cancelled arrangement whose € 10,00 fee is unpaid,
    then the 14-day letter lists the principal and the fee each on its own line and
    asks their sum, € 310,00; the BIK it announces is still over the principal (§3)."""
    context = reminder_of([cancelled_arrangement().invoice()])
    assert (context["total_cents"], context["fee_cents"]) == (PRINCIPAL + FEE, FEE)
    letter = rendered(REMINDER, context, language)
    for part in ("text", "html", "pdf"):
        label, amount = fee_line
        shown = f"{label}: {amount}" if part == "text" else f"{label} {amount}"
        assert shown in letter[part], (part, letter[part])
        assert asks in letter[part], (part, letter[part])


@pytest.mark.parametrize(
    "short_of_the_letter, bik",
    [
        (0, 0),  # what the letter asks: no BIK (legal-nl.md §2)
        # the fee is paid first (§5): € 10,00 principal left, the staffel's minimum (§3)
        (FEE, 4_000),
    ],
)
def test_paying_what_the_reminder_asks_in_its_term_costs_no_bik(short_of_the_letter, bik):
    """legal-nl.md §2: BIK only "if the term passes". Given the reminder after a
    cancelled arrangement, when the patient pays on 15 January (in the term) the amount
    the letter asks, then no BIK follows; paying € 10,00 less is "a partial payment
    within the term: BIK is computed over the remainder"."""
    world = cancelled_arrangement()
    asked = reminder_of([world.invoice()])["total_cents"]

    pay(world, asked - short_of_the_letter, date(2027, 1, 15))
    world.run_days(date(2027, 1, 16), FINAL_DATE + timedelta(days=1))

    invoice = world.invoice()
    charged = sum(e.amount_cents for e in invoice.ledger if e.kind is EntryKind.COSTS)
    assert charged == bik
    assert invoice.is_paid == (bik == 0)
    assert bool(sent(world, SECOND_NOTICE)) == (bik > 0)


# --- D4: collection costs are the BIK only, the fee its own item ----------------------------


def test_the_second_notice_states_the_bik_announced_and_the_fee_apart():
    """legal-nl.md §2: the BIK charged is "never more than the letter announced". Given
    the reminder announcing € 45,00 and nothing paid, then the second notice states
    € 45,00 of collection costs and the € 10,00 fee as its own item, and its total is
    still everything due."""
    world = cancelled_arrangement()

    world.run(FINAL_DATE + timedelta(days=1))

    invoice = world.invoice()
    context = notice_of([invoice], FINAL_DATE + timedelta(days=1))
    assert (context["costs_cents"], context["fee_cents"]) == (ANNOUNCED_BIK, FEE)
    assert context["total_cents"] == PRINCIPAL + ANNOUNCED_BIK + FEE + context["interest_cents"]
    assert context["total_cents"] == invoice.balance_cents + context["interest_cents"]
    for language, costs, fee, in_columns, in_lines in (
        (
            "nl",
            "Incassokosten: € 45,00",
            "Kosten betalingsregeling: € 10,00",
            "€ 300,00 € 45,00 € 10,00",
            "Hoofdsom € 300,00 Incassokosten € 45,00 Kosten betalingsregeling € 10,00",
        ),
        (
            "en",
            "Collection costs: €45.00",
            "Instalment arrangement fee: €10.00",
            "€300.00 €45.00 €10.00",
            "Principal €300.00 Collection costs €45.00 Instalment arrangement fee €10.00",
        ),
    ):
        letter = rendered(SECOND_NOTICE, context, language)
        assert costs in letter["text"] and fee in letter["text"], letter["text"]
        # principal, BIK, fee: each in its own column on paper, each on its own labelled
        # line in the e-mail (stacked so that no phone scrolls sideways: emaillayout53)
        assert in_columns in letter["pdf"], letter["pdf"]
        assert in_lines in letter["html"], letter["html"]
        assert page_count(letter_pdf(SECOND_NOTICE, context, language)) == 1
    (notice,) = sent(world, SECOND_NOTICE)
    assert "€\u00a055,00" not in notice.text


def test_the_agency_file_reports_the_bik_as_collection_costs_and_the_fee_apart():
    """R19, legal-nl.md §2, §3: given the same claim handed over unpaid, then the
    handover file's collection_costs is the € 45,00 BIK the letter announced, the fee
    is ``arrangement_fee``, and the total adds them all up."""
    world = cancelled_arrangement()

    world.run_days(FINAL_DATE + timedelta(days=1), date(2027, 2, 10))

    (key,) = world.handover_files()
    amounts = json.loads(world.files.files[key])["amounts_cents"]
    assert amounts["collection_costs"] == ANNOUNCED_BIK
    assert amounts["arrangement_fee"] == FEE
    assert amounts["total"] == (amounts["principal"] + ANNOUNCED_BIK + FEE + amounts["interest"])


# --- telling the open costs apart -----------------------------------------------------------

AT = datetime(2027, 1, 1, 12, 0, tzinfo=AMSTERDAM)


def entry(kind: EntryKind, cents: int, days: int) -> LedgerEntry:
    return LedgerEntry(kind, Component.COSTS, cents, AT + timedelta(days=days), "test")


@pytest.mark.parametrize(
    "entries, expected",
    [
        ([], OpenCosts(0, 0)),
        ([entry(EntryKind.FEE, 1_000, 0)], OpenCosts(0, 1_000)),
        ([entry(EntryKind.COSTS, 4_500, 0)], OpenCosts(4_500, 0)),
        # the fee came first: a payment on the costs before the BIK paid the fee
        (
            [
                entry(EntryKind.FEE, 1_000, 0),
                entry(EntryKind.PAYMENT, -1_000, 1),
                entry(EntryKind.COSTS, 4_500, 2),
            ],
            OpenCosts(4_500, 0),
        ),
        (
            [
                entry(EntryKind.FEE, 1_000, 0),
                entry(EntryKind.COSTS, 4_500, 2),
                entry(EntryKind.PAYMENT, -2_000, 3),
            ],
            OpenCosts(3_500, 0),
        ),
        # an arrangement made after the BIK: payments before it paid the BIK
        (
            [
                entry(EntryKind.COSTS, 4_500, 0),
                entry(EntryKind.PAYMENT, -2_000, 1),
                entry(EntryKind.FEE, 1_000, 2),
            ],
            OpenCosts(2_500, 1_000),
        ),
        # BIK undone (a payment dated in the term, read late): only the fee is left
        (
            [
                entry(EntryKind.FEE, 1_000, 0),
                entry(EntryKind.COSTS, 4_500, 2),
                entry(EntryKind.COSTS, -4_500, 3),
            ],
            OpenCosts(0, 1_000),
        ),
    ],
)
def test_open_costs_tell_the_bik_from_the_fee(entries, expected):
    """The costs still owed, split the way the checker's breakdown splits the charges
    (EntryKind.COSTS: BIK, EntryKind.FEE: the arrangement's fee); a payment on the costs
    paid the older charge first."""
    assert open_costs(entries) == expected
