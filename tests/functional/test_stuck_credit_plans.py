"""Migration version 8, stuck-credit-plans, through the operator API on moto (R34, R12;
audit MONEY6-3): a bank credit whose match plan an older version stored and then booked
nothing of is off the unmatched list, every retry refused, until its TTL deletes it 366
days later with the money never booked. The migration withdraws such plans (older than an
hour, nothing booked), so the credit is listed again and can be matched once."""

from __future__ import annotations

from datetime import timedelta

from billing_core.payments.booking import IncomingPayment, book_payment, payment_id
from billing_core.payments.unmatched import CreditMatch, MatchPart, MatchTarget
from local.sandbox import Sandbox
from tests.functional.test_expiry_migration import migrate
from tests.functional.test_operator_reads import OPERATOR, PAYER, PAYER_IBAN, invoices_of
from tests.unit.camt_builder import credit, statement

MIGRATION = "stuck-credit-plans"
CREDITS = "/api/v1/operator/unmatched-credits"


def listed(sandbox: Sandbox) -> list[str]:
    return [line["credit_id"] for line in sandbox.api("GET", CREDITS, caller=OPERATOR)[1]["items"]]


def stuck_plan(sandbox: Sandbox, credit_id: str, invoice, at) -> None:
    """What an older version left: the plan stored, then refused before any booking."""
    part = MatchPart(invoice.reference, invoice.invoice_id, invoice.amount_due_cents)
    plan = CreditMatch(at, "operator-sub-old", (part,), MatchTarget(reference=invoice.reference))
    sandbox.runtime.payment_links.plan_credit_match(credit_id, plan)


def test_r34_a_plan_with_nothing_booked_is_withdrawn_once_and_the_credit_listed_again(sandbox):
    """R34, R12 (audit MONEY6-3; migration version 8).
    Given three unmatched credits: one matched by hand today (booked), one whose plan an
    older version stored two hours ago with nothing booked (off the list), and one planned
    ten minutes ago with nothing booked yet (a request may be booking it now)
    When an operator runs stuck-credit-plans, then again
    Then the first run withdraws the two-hour-old plan only, and that credit is listed
    again while the others are not; the second run withdraws nothing; matched again, the
    credit is booked once on its invoice."""
    first, second, third = invoices_of(sandbox, 8)[:3]
    # told apart by their amounts: two overpay by a cent or two
    amounts = [i.amount_due_cents + n for n, i in enumerate((first, second, third))]
    entries = [
        credit(cents, ustrd=("betaling nota",), payer=PAYER, payer_iban=PAYER_IBAN)
        for cents in amounts
    ]
    assert sandbox.upload_bank_statement(statement(*entries), "2026-11-24.xml")["imported"]
    credits = {
        line["amount_cents"]: line["credit_id"]
        for line in sandbox.api("GET", CREDITS, caller=OPERATOR)[1]["items"]
    }
    stuck, booked, recent = (credits[cents] for cents in amounts)
    path = f"{CREDITS}/{booked}/match"
    assert (
        sandbox.api("POST", path, caller=OPERATOR, body={"reference": second.reference})[0] == 200
    )
    stuck_plan(sandbox, stuck, first, sandbox.clock.now())
    sandbox.clock.advance(hours=2)
    stuck_plan(sandbox, recent, third, sandbox.clock.now() - timedelta(minutes=10))
    assert listed(sandbox) == []

    status, answer = migrate(sandbox, "stuck-plans-1", MIGRATION)

    assert status == 200, answer
    assert (answer["version"], answer["complete"], answer["practices"]) == (8, True, [])
    assert answer["summary"] == {
        "plans_withdrawn": 1,
        "plans_booked": 1,
        "plans_partly_booked": 0,
        "plans_too_recent": 1,
    }
    assert listed(sandbox) == [stuck]
    status, again = migrate(sandbox, "stuck-plans-2", MIGRATION)
    assert status == 200 and again["summary"]["plans_withdrawn"] == 0
    assert listed(sandbox) == [stuck]
    path = f"{CREDITS}/{stuck}/match"
    assert sandbox.api("POST", path, caller=OPERATOR, body={"reference": first.reference})[0] == 200
    paid = sandbox.runtime.repository.get_invoice(first.provider_id, first.invoice_id)
    source_id = sandbox.runtime.payment_links.get_unmatched_credit(stuck).source_id
    assert paid.applied_payments.count(payment_id("bank", source_id)) == 1
    assert paid.is_paid


def test_r34_a_plan_with_a_part_booked_is_kept_and_counted(sandbox):
    """R34 (migration version 8). Given a credit split over two invoices whose plan is two
    hours old, one part booked and the other not
    When an operator runs stuck-credit-plans
    Then the plan is kept (listed again, the credit could be booked twice) and counted as
    partly booked, for the back office; nothing is withdrawn."""
    first, second = invoices_of(sandbox, 8)[:2]
    cents = first.amount_due_cents + second.amount_due_cents
    entry = credit(cents, ustrd=("betaling nota",), payer=PAYER, payer_iban=PAYER_IBAN)
    sandbox.upload_bank_statement(statement(entry), "2026-11-24.xml")
    [credit_id] = listed(sandbox)
    stored = sandbox.runtime.payment_links.get_unmatched_credit(credit_id)
    parts = tuple(MatchPart(i.reference, i.invoice_id, i.amount_due_cents) for i in (first, second))
    target = MatchTarget(references=(first.reference, second.reference))
    plan = CreditMatch(sandbox.clock.now(), "operator-sub-old", parts, target)
    sandbox.runtime.payment_links.plan_credit_match(credit_id, plan)
    repository = sandbox.runtime.repository
    half = repository.get_invoice(first.provider_id, first.invoice_id, consistent=True)
    repository.save_invoice(half.with_applied_payment(payment_id("bank", stored.source_id)))
    sandbox.clock.advance(hours=2)

    status, answer = migrate(sandbox, "stuck-plans-partly", MIGRATION)

    assert status == 200, answer
    assert answer["summary"]["plans_partly_booked"] == 1
    assert answer["summary"]["plans_withdrawn"] == 0
    assert listed(sandbox) == []


def test_r28_r34_a_plan_booked_between_the_read_and_the_withdrawal_is_kept(sandbox):
    """R28, R34 (audit money8: the withdrawal read, then wrote). Given a credit whose plan
    on one invoice is two hours old with nothing booked
    When stuck-credit-plans reads that invoice, and a retry of the match books the plan
    right after the read, before the withdrawal is written
    Then the plan is kept and counted booked, the credit stays off the unmatched list (listed
    again it could be booked a second time), and the invoice holds the payment once;
    before, the plan was withdrawn on the stale read and the booked credit listed again."""
    first = invoices_of(sandbox, 8)[0]
    entry = credit(first.amount_due_cents, ustrd=("betaling",), payer=PAYER, payer_iban=PAYER_IBAN)
    sandbox.upload_bank_statement(statement(entry), "2026-11-24.xml")
    [credit_id] = listed(sandbox)
    source_id = sandbox.runtime.payment_links.get_unmatched_credit(credit_id).source_id
    stuck_plan(sandbox, credit_id, first, sandbox.clock.now())
    sandbox.clock.advance(hours=2)
    repository = sandbox.runtime.repository
    read = repository.get_invoice

    def a_retry_books_right_after_the_read(provider_id, invoice_id, *, consistent=False):
        found = read(provider_id, invoice_id, consistent=consistent)
        if consistent and invoice_id == first.invoice_id and found is not None:
            booked_as = payment_id("bank", source_id)
            if booked_as not in found.applied_payments:
                repository.save_invoice(found.with_applied_payment(booked_as))
        return found

    repository.get_invoice = a_retry_books_right_after_the_read

    status, answer = migrate(sandbox, "stuck-plans-raced", MIGRATION)

    assert status == 200, answer
    assert answer["summary"]["plans_withdrawn"] == 0
    assert answer["summary"]["plans_booked"] == 1
    assert listed(sandbox) == []
    held = read(first.provider_id, first.invoice_id, consistent=True)
    assert held.applied_payments.count(payment_id("bank", source_id)) == 1


def test_r12_r34_a_plan_kept_for_a_part_the_import_booked_on_a_named_invoice_is_withdrawn(
    sandbox,
):
    """R12, R34 "matched once, never lost" (migration version 8; brief refund51b item 3).
    Given a transfer quoting two kenmerken, EUR 1,00 short of what the two invoices owe,
    listed as several_kenmerken while the first invoice's part is booked under the
    transfer's own id (an import that stopped between its parts), and an operator's plan
    of two hours ago over both invoices whose second part an older version refused
    When an operator runs stuck-credit-plans
    Then the plan is withdrawn and the line listed again, as the back office withdraws
    such a plan since refund51 (before: kept as partly booked, the rest on no invoice
    and off the list); matched again to the second kenmerk, the first part stays booked
    once and only the rest goes to the second invoice, EUR 1,00 still due on it."""
    a, b = invoices_of(sandbox, 8)[:2]
    short = a.amount_due_cents + b.amount_due_cents - 100
    entry = credit(short, ustrd=(f"{a.reference} {b.reference}",), tx_id="TX-AB")
    sandbox.upload_bank_statement(statement(entry), "2026-11-24.xml")
    [credit_id] = listed(sandbox)
    links = sandbox.runtime.payment_links
    source_id = links.get_unmatched_credit(credit_id).source_id
    repository = sandbox.runtime.repository
    import_part = IncomingPayment("bank", source_id, a.amount_due_cents, sandbox.clock.now())
    book_payment(repository, a.reference, import_part, clock=sandbox.clock)
    parts = (
        MatchPart(a.reference, a.invoice_id, a.amount_due_cents),
        MatchPart(b.reference, b.invoice_id, short - a.amount_due_cents),
    )
    plan = CreditMatch(sandbox.clock.now(), "operator-sub-old", parts, MatchTarget(b.reference))
    links.plan_credit_match(credit_id, plan)
    sandbox.clock.advance(hours=2)

    status, answer = migrate(sandbox, "stuck-plans-named", MIGRATION)

    assert status == 200, answer
    assert answer["summary"] == {
        "plans_withdrawn": 1,
        "plans_booked": 0,
        "plans_partly_booked": 0,
        "plans_too_recent": 0,
    }
    assert listed(sandbox) == [credit_id]
    path = f"{CREDITS}/{credit_id}/match"
    assert sandbox.api("POST", path, caller=OPERATOR, body={"reference": b.reference})[0] == 200
    booked_as = payment_id("bank", source_id)
    held = [repository.get_invoice(i.provider_id, i.invoice_id, consistent=True) for i in (a, b)]
    assert [i.applied_payments.count(booked_as) for i in held] == [1, 1]
    assert [i.amount_due_cents for i in held] == [0, 100]
