"""CheckoutLog (R11) and BankCreditLinks (R12)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from billing_core.payments.checkouts import CheckoutRecord
from billing_core.payments.credit_links import BankCreditLink
from billing_core.payments.psp import PspStatus
from billing_core.payments.unmatched import (
    CreditMatch,
    MatchPart,
    MatchTarget,
    UnmatchedCredit,
    credit_id_of,
)
from billing_core.ports import InvalidPosition
from tests.contract.samples import NOON, A, invoice, stored
from tests.unit.payment_fakes import LinksInMemory

IBAN = "NL20INGB0001234567"


def checkout(psp_payment_id: str = "tr_1", amount_cents: int = 5_600) -> CheckoutRecord:
    return CheckoutRecord(
        psp_payment_id, A, "inv-1", "62987654321098", amount_cents, NOON, PspStatus.OPEN
    )


def credit(transfer_id: str = "TX-1", source_id: str = "ING-1") -> BankCreditLink:
    return BankCreditLink(IBAN, transfer_id, source_id, "62987654321098", 5_600)


def test_a_checkout_reads_back_and_its_status_changes(checkouts):
    checkouts.record_checkout(checkout())
    assert checkouts.get_checkout("tr_1") == checkout()
    checkouts.set_checkout_status("tr_1", PspStatus.PAID)
    assert checkouts.get_checkout("tr_1").status is PspStatus.PAID
    assert checkouts.get_checkout("tr_2") is None


def test_r9_a_checkout_keeps_the_pages_language(checkouts):
    """R9: given a payment started on the checker page in Arabic, when its checkout is
    read back (the webhook), then it names that language, which its "payment received"
    e-mail is written in; one stored without (before) reads as none: the invoice's."""
    checkouts.record_checkout(replace(checkout(), language="ar"))
    assert checkouts.get_checkout("tr_1").language == "ar"
    checkouts.record_checkout(checkout("tr_2"))
    assert checkouts.get_checkout("tr_2").language == ""


def test_a_checkout_recorded_again_keeps_the_first_and_its_status(checkouts):
    """The PSP hands out the same payment for a repeated idempotency key: the webhook's
    status is never reset to open, nor the amount asked replaced."""
    checkouts.record_checkout(checkout())
    checkouts.set_checkout_status("tr_1", PspStatus.PAID)
    checkouts.record_checkout(checkout(amount_cents=1))
    assert checkouts.get_checkout("tr_1").status is PspStatus.PAID
    assert checkouts.get_checkout("tr_1").amount_cents == 5_600


def test_a_checkout_key_is_kept_while_fresh_and_replaced_once_stale(checkouts):
    """R11, R38: the key a slot (kenmerk, amount, ledger length) claimed first is handed out
    while it was kept at or after ``kept_since``; once older, the new key is kept."""
    slot, minute = "62987654321098-5600-2", timedelta(minutes=1)
    assert checkouts.claim_checkout_key(slot, "k-1", NOON, NOON - 15 * minute) == "k-1"
    later = NOON + minute
    assert checkouts.claim_checkout_key(slot, "k-2", later, later - 15 * minute) == "k-1"
    assert checkouts.claim_checkout_key(slot, "k-3", later, NOON) == "k-1"  # kept at: fresh
    other = "62987654321098-5600-3"  # the ledger grew: another slot
    assert checkouts.claim_checkout_key(other, "k-4", later, later - 15 * minute) == "k-4"
    stale = NOON + 16 * minute
    assert checkouts.claim_checkout_key(slot, "k-5", stale, stale - 15 * minute) == "k-5"
    assert checkouts.claim_checkout_key(slot, "k-6", stale, stale - 15 * minute) == "k-5"


def test_a_checkout_key_kept_replaces_the_one_claimed(checkouts):
    """R11: after an ended payment the new payment's key is the one the next click uses,
    kept from when it was kept."""
    slot, minute = "62987654321098-5600-2", timedelta(minutes=1)
    checkouts.claim_checkout_key(slot, "k-1", NOON, NOON - 15 * minute)
    checkouts.keep_checkout_key(slot, "k-1-after-tr_1", NOON + 10 * minute)
    at = NOON + 20 * minute  # stale from the claim, fresh from the keep
    assert checkouts.claim_checkout_key(slot, "k-2", at, at - 15 * minute) == "k-1-after-tr_1"


def test_the_status_of_an_unknown_checkout_is_not_set(checkouts, xfail_on_moto):
    xfail_on_moto(
        "#11: PaymentLinkRepository.set_checkout_status lets botocore's ClientError "
        "(ConditionalCheckFailedException) out of the port; the domain cannot catch it"
    )
    with pytest.raises(LookupError):
        checkouts.set_checkout_status("tr_404", PspStatus.PAID)
    assert checkouts.get_checkout("tr_404") is None


def test_a_bank_credit_is_found_by_our_account_and_the_transfer_id(links):
    links.remember_bank_credit(credit())
    assert links.find_bank_credit(IBAN, "TX-1") == credit()
    assert links.find_bank_credit(IBAN, "TX-2") is None
    assert links.find_bank_credit("NL91ABNA0417164300", "TX-1") is None


def test_the_first_link_of_a_transfer_is_kept(links):
    """R12: a statement imported twice books nothing twice; the return finds the first."""
    links.remember_bank_credit(credit())
    links.remember_bank_credit(credit(source_id="ING-2"))
    assert links.find_bank_credit(IBAN, "TX-1").source_id == "ING-1"


def test_r12_a_transfer_id_of_two_credits_is_kept_as_shared_the_same_credit_again_not(links):
    """R12 (audit59b): Given the link of credit ING-1 by TX-1 When the same credit is
    remembered again (its statement read twice) Then the link is as it was, not shared;
    When another credit, ING-2, is remembered by TX-1 (a payer's repeated EndToEndId), and
    a third, ING-3 Then the link keeps ING-1 and says ``shared``: a return it alone
    traces is for a person, not ING-1's."""
    links.remember_bank_credit(credit())
    links.remember_bank_credit(credit())
    assert links.find_bank_credit(IBAN, "TX-1") == credit()

    links.remember_bank_credit(credit(source_id="ING-2"))
    links.remember_bank_credit(credit(source_id="ING-3"))

    assert links.find_bank_credit(IBAN, "TX-1") == replace(credit(), shared=True)


def test_a_credit_split_over_several_invoices_is_found_with_each_part(links):
    """R12, legal-nl.md §5: a transfer booked on two kenmerken (by the import or an
    operator's match) is found again with each part, so its return reverses both."""
    split = replace(
        credit(), amount_cents=6_891, parts=(("62987654321098", 5_130), ("12345678901234", 1_761))
    )
    links.remember_bank_credit(split)
    assert links.find_bank_credit(IBAN, "TX-1") == split
    assert links.find_bank_credit(IBAN, "TX-1").parts == split.parts


def unmatched(entry: str, booked: date, amount_cents: int = 5_600) -> UnmatchedCredit:
    source_id = f"{IBAN}/{entry}"
    return UnmatchedCredit(
        credit_id_of(source_id),
        source_id,
        "STMT-1",
        entry,
        booked,
        "CRDT",
        amount_cents,
        "EUR",
        "no_reference",
        remittance_text="tandarts nov",
        counterparty_name="J. Jansen",
        counterparty_iban="NL91ABNA0417164300",
    )


def test_r34_the_unmatched_credits_come_a_page_at_a_time_without_the_matched_ones(links):
    """R34, interfaces.md §6. Given five credits the import could not book, two of them
    matched since
    When the operator's list is read two at a time, each page from the position the one
    before gave
    Then the pages hold the three open ones, oldest booking first (credits58b: they were
    by credit id), each once, none of the matched ones, at most two a page, and the last
    page gives no position; a position that is no credit id is refused before anything
    is read."""
    credits = [unmatched(f"E-{n}", date(2026, 11, 20 + n)) for n in range(5)]
    for credit_line in credits:
        links.keep_unmatched_credit(credit_line)
    plan = CreditMatch(NOON, "operator-1", (MatchPart("62987654321098", "inv-1", 5_600),))
    for matched in credits[1:3]:
        links.plan_credit_match(matched.credit_id, plan)
    pages, after = [], None
    while len(pages) < 5:
        page, after = links.unmatched_credit_page(2, after)
        pages.append(page)
        if after is None:
            break
    assert after is None and all(len(page) <= 2 for page in pages)
    open_ones = [credits[0], *credits[3:]]  # booked on the 20th, 23rd and 24th
    assert [c for page in pages for c in page] == open_ones
    with pytest.raises(InvalidPosition):
        links.unmatched_credit_page(2, "CREDIT#not-an-id")


def stored_before_the_open_credit_index(links, credit_line: UnmatchedCredit) -> None:
    """As the deploy before credits58b kept it: no keys on the by-credit index."""
    links.keep_unmatched_credit(credit_line)
    if isinstance(links, LinksInMemory):
        links.not_indexed.add(credit_line.credit_id)
    else:
        links._table.update_item(
            Key={"pk": "BANK#UNMATCHED", "sk": f"CREDIT#{credit_line.credit_id}"},
            UpdateExpression="REMOVE gsi4pk, gsi4sk",
        )


def every_page(links, limit: int) -> list[list[UnmatchedCredit]]:
    pages, after = [], None
    while len(pages) < 10:
        page, after = links.unmatched_credit_page(limit, after)
        pages.append(page)
        if after is None:
            return pages
    raise AssertionError("no last page")


def test_r34_a_page_of_unmatched_credits_is_the_open_ones_oldest_booking_first(links):
    """R34, interfaces.md §6 (credits58b). Given six credits the import could not book,
    booked on 20, 24, 21, 23, 22 and 22 November, those of the 21st and the 23rd matched
    since and the plan of the 21st withdrawn again
    When the operator's list is read two at a time, each page from the position the one
    before gave
    Then the five open ones come oldest booking first (the two of the 22nd by credit id),
    two on every page but the last, each once, the matched one never; a position of the
    list before (a bare credit id) is refused before anything is read."""
    days = (20, 24, 21, 23, 22, 22)
    credits = [unmatched(f"E-{n}", date(2026, 11, day)) for n, day in enumerate(days)]
    for credit_line in credits:
        links.keep_unmatched_credit(credit_line)
    plan = CreditMatch(NOON, "operator-1", (MatchPart("62987654321098", "inv-1", 5_600),))
    for matched in (credits[2], credits[3]):
        links.plan_credit_match(matched.credit_id, plan)
    assert links.withdraw_credit_match(credits[2].credit_id, plan, ()) is True

    pages = every_page(links, 2)

    twenty_second = sorted((credits[4], credits[5]), key=lambda c: c.credit_id)
    oldest_first = [credits[0], credits[2], *twenty_second, credits[1]]
    assert [[c.entry_reference for c in page] for page in pages] == [
        [c.entry_reference for c in oldest_first[0:2]],
        [c.entry_reference for c in oldest_first[2:4]],
        [c.entry_reference for c in oldest_first[4:]],
    ]
    with pytest.raises(InvalidPosition):
        links.unmatched_credit_page(2, credits[0].credit_id)
    with pytest.raises(InvalidPosition):
        links.unmatched_credit_page(2, f"2026-13-01#{credits[0].credit_id}")


def test_open_credits_stored_before_their_index_keys_are_listed_once_migrated(links):
    """R34, migration version 19 (credits58b). Given three credits kept before the open
    credits' index (one of them matched since) and one kept after
    When the operator's list is read, then the credits are put on the index, twice
    Then the list holds only the one kept after, then all three open ones oldest booking
    first; the first run puts two on the index, the second none; the matched one stays
    off the list."""
    before = [unmatched(f"OLD-{n}", date(2026, 11, 10 + n)) for n in range(3)]
    for credit_line in before:
        stored_before_the_open_credit_index(links, credit_line)
    plan = CreditMatch(NOON, "operator-1", (MatchPart("62987654321098", "inv-1", 5_600),))
    links.plan_credit_match(before[1].credit_id, plan)
    after = unmatched("NEW-1", date(2026, 11, 30))
    links.keep_unmatched_credit(after)
    assert links.unmatched_credit_page(10) == ([after], None)

    assert links.index_open_credits() == (2, 0)
    assert links.index_open_credits() == (0, 0)

    assert links.unmatched_credit_page(10) == ([before[0], before[2], after], None)


def test_an_unmatched_credit_is_kept_once_listed_until_matched_and_matched_once(links):
    """R34: given two credits the import could not book, one of them read twice
    When the operator lists them, matches one and then matches it again differently
    Then both are listed oldest first with the payer's details, the matched one leaves
    the list, and the second match gets the first one's plan back."""
    late, early = unmatched("E-2", date(2026, 11, 24)), unmatched("E-1", date(2026, 11, 23))
    for credit_line in (late, early, replace(late, amount_cents=1)):
        links.keep_unmatched_credit(credit_line)
    assert links.unmatched_credits() == [early, late]

    # Each plan is kept with its target, for a later match to tell a retry from another
    # target (audit BACKOFFICE7).
    to_patient = MatchTarget(provider_id="tandarts-de-vries", patient_ref="P-17")
    first = CreditMatch(
        NOON, "operator-1", (MatchPart("62987654321098", "inv-1", 5_600),), to_patient
    )
    second = CreditMatch(
        NOON,
        "operator-2",
        (MatchPart("12345678901234", "inv-9", 5_600),),
        MatchTarget(reference="12345678901234"),
    )
    assert links.plan_credit_match(early.credit_id, first).match == first
    assert links.plan_credit_match(early.credit_id, second).match == first
    assert links.get_unmatched_credit(early.credit_id) == replace(early, match=first)
    assert links.unmatched_credits() == [late]
    assert links.get_unmatched_credit("no-such-credit") is None
    with pytest.raises(LookupError):
        links.plan_credit_match("no-such-credit", first)


def test_a_plan_withdrawn_lists_the_credit_again_and_only_that_plan_goes(links):
    """R34, R12 (audit security4): a plan whose booking was refused before any of it was
    booked is withdrawn, so the credit is on the unmatched list again, without the plan's
    expiry; withdrawing a plan the credit does not hold (another's since, or none)
    changes nothing."""
    line = unmatched("E-4", date(2026, 11, 26))
    links.keep_unmatched_credit(line)
    part = MatchPart("62987654321098", "inv-1", 5_600)
    plan = CreditMatch(NOON, "operator-1", (part,), MatchTarget(reference="62987654321098"))
    other = replace(plan, operator="operator-2")
    links.plan_credit_match(line.credit_id, plan)

    assert links.withdraw_credit_match(line.credit_id, other, ()) is False
    assert links.get_unmatched_credit(line.credit_id) == replace(line, match=plan)
    assert links.planned_credits() == [replace(line, match=plan)]  # migration 8 reads these
    assert links.withdraw_credit_match(line.credit_id, plan, ()) is True
    assert links.get_unmatched_credit(line.credit_id) == line
    assert links.unmatched_credits() == [line]
    assert links.planned_credits() == []
    # again: nothing to withdraw
    assert links.withdraw_credit_match(line.credit_id, plan, ()) is False
    assert links.plan_credit_match(line.credit_id, other).match == other


def test_a_credit_keeps_its_transfer_ids_and_a_return_the_payment_it_reverses(links):
    """R12: the transfer ids let an operator's match be found by the bank's return of it;
    a return's plan names the bank payment it reverses, so a retry reverses the same."""
    line = replace(unmatched("E-3", date(2026, 11, 25)), direction="DBIT", transfer_ids=("TX-1",))
    links.keep_unmatched_credit(line)
    part = MatchPart("62987654321098", "inv-1", 5_600, reverses=f"{IBAN}/ING-1")
    plan = CreditMatch(NOON, "operator-1", (part,), MatchTarget(reference="62987654321098"))
    assert links.plan_credit_match(line.credit_id, plan) == replace(line, match=plan)


def test_a_plan_is_withdrawn_only_while_its_invoices_are_as_read(links, store):
    """R28, R34 (audit money8): the withdrawal of a plan with nothing booked is one write,
    conditional on the plan's invoices being at the versions read.
    Given a credit planned on an invoice, read at version v
    When the invoice is saved meanwhile (a request booking the plan, say) and the plan is
    withdrawn on the read of version v
    Then nothing is withdrawn (False) and the plan is kept; withdrawn on the invoice read
    again, it goes (True) and the credit is listed again."""
    stored(store, invoice(1))
    as_read = store.get_invoice(A, "inv-1", consistent=True)
    line = unmatched("E-5", date(2026, 11, 26))
    links.keep_unmatched_credit(line)
    part = MatchPart(as_read.reference, as_read.invoice_id, 5_600)
    plan = CreditMatch(NOON, "operator-1", (part,), MatchTarget(reference=as_read.reference))
    links.plan_credit_match(line.credit_id, plan)
    moved_on = store.save_invoice(as_read.with_applied_payment("bank:elsewhere"))

    assert links.withdraw_credit_match(line.credit_id, plan, [as_read]) is False
    assert links.get_unmatched_credit(line.credit_id) == replace(line, match=plan)
    assert links.withdraw_credit_match(line.credit_id, plan, [moved_on]) is True
    assert links.unmatched_credits() == [line]


def test_an_unmatched_credit_keeps_the_banks_transaction_id(links):
    """R12, R34 (audit camt2): the bank's TxId of a credit kept for an operator is read
    back as written, so the same transfer in an overlapping statement is one line; a
    credit kept before it was stored reads ""."""
    line = replace(
        unmatched("E-7", date(2026, 11, 24)), transfer_ids=("TX-7",), transaction_id="TX-7"
    )
    links.keep_unmatched_credit(line)
    links.keep_unmatched_credit(unmatched("E-8", date(2026, 11, 25)))
    assert [c.transaction_id for c in links.unmatched_credits()] == ["TX-7", ""]
