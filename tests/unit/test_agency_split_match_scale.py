"""The operator's split match of the agency's transfer at scale, and the race of a part
that becomes the agency's while the match books (R34, R28, R12, R24; stop 43 money6).

The agency's parts of one split match are booked in one transaction (stop 42, audit
RETRIES4-3), and DynamoDB writes at most 100 items in one: a claim and its week's marker
each, so at most ``CLAIMS_REMITTED_TOGETHER`` (50) claims.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from billing_core.collection.collection_report import (
    CollectionReportContext,
    import_collection_report,
)
from billing_core.payments.booking import payment_id
from billing_core.payments.remittance import awaited_cents
from billing_core.payments.unmatched import CreditMatch, MatchPart, MatchTarget
from billing_core.services.operator.money import match_credit
from billing_core.shared import reference
from billing_core.shared.clock import FixedClock
from billing_core.shared.errors import Refused
from tests.unit.factories import REFERENCE, REFERENCE_KEY
from tests.unit.test_agency_remittance import (
    DUE,
    FIRST_ID,
    NO_INTEREST,
    REMITTED_AT,
    REPORTED_AT,
    SECOND,
    back_office,
    handed_over_claim,
    reported,
    to_the_patient,
)

__all__ = ["reported"]
CLAIMS_REMITTED_TOGETHER = 50  # 100 items: a claim and its week's marker each


def with_claims_reported(store, files, count: int) -> list[str]:
    """``count`` claims of the patient at the agency, the first the fixture's, all
    reported paid in full (€ 74,40 each) on Monday 15 February: their kenmerken."""
    kenmerken = [REFERENCE]
    for n in range(2, count + 1):
        kenmerk = reference.for_sequence(n, REFERENCE_KEY)
        store.put_invoice_as_is(handed_over_claim(invoice_id=f"inv-{n}", reference=kenmerk))
        kenmerken.append(kenmerk)
    rows = "".join(f"{k};CMIB-{n};paid;{DUE};2027-02-12\n" for n, k in enumerate(kenmerken[1:]))
    ctx = CollectionReportContext(store, files, FixedClock(REPORTED_AT), interest=NO_INTEREST)
    head = "reference;agency_ref;status;amount_cents;paid_on\n"
    import_collection_report((head + rows).encode(), "collection-reports/many.csv", ctx)
    return kenmerken


def claim_ids(count: int) -> list[str]:
    return [FIRST_ID, *(f"inv-{n}" for n in range(2, count + 1))]


def test_the_agencys_transfer_for_more_claims_than_one_write_is_refused_before_planning(
    reported,
):
    """R34, R28 (stop 43 money6). Given 51 claims of one patient the agency reported paid
    (€ 74,40 each), and its transfer of 51 x € 74,40 without a kenmerk
    When an operator matches it to the patient (split over the 51 waiting claims)
    Then 422 agency_transfer_too_many_claims, naming the 51 and the limit of 50 in Dutch
    and English; nothing is planned or booked, the credit stays listed (before: the
    plan written, one transaction of 102 items refused by DynamoDB: a 500, the credit
    off the list and every retry a 500 again)."""
    store, files = reported
    count = CLAIMS_REMITTED_TOGETHER + 1
    with_claims_reported(store, files, count)
    credit_id, ctx = back_office(store, files, count * DUE)

    with pytest.raises(Refused) as refused:
        match_credit(credit_id, to_the_patient(store.invoice(FIRST_ID)), ctx)

    assert refused.value.code == "agency_transfer_too_many_claims"
    assert "51" in refused.value.message_nl and "50" in refused.value.message_nl
    assert "51 claims" in refused.value.message_en and "at most 50" in refused.value.message_en
    assert [awaited_cents(store.invoice(i)) for i in claim_ids(count)] == [DUE] * count
    [still] = ctx.links.unmatched_credits()
    assert (still.credit_id, still.match) == (credit_id, None)


def test_the_agencys_transfer_for_as_many_claims_as_one_write_takes_is_booked(reported):
    """R34, R24. Given 50 claims of one patient the agency reported paid, and its
    transfer of 50 x € 74,40 When an operator matches it to the patient Then every claim
    has its € 74,40 received as the agency's transfer, in one write, none awaited."""
    store, files = reported
    count = CLAIMS_REMITTED_TOGETHER
    with_claims_reported(store, files, count)
    credit_id, ctx = back_office(store, files, count * DUE)
    store.calls.clear()

    match_credit(credit_id, to_the_patient(store.invoice(FIRST_ID)), ctx)

    assert [awaited_cents(store.invoice(i)) for i in claim_ids(count)] == [0] * count
    assert store.calls.count("save_invoices") == 1
    assert ctx.links.unmatched_credits() == []


def test_a_plan_over_too_many_claims_an_older_version_wrote_is_withdrawn_on_retry(reported):
    """R34, R12 (stop 43 money6). Given a plan an older version wrote (nothing booked) of
    the agency's transfer over 51 waiting claims: the credit off the unmatched list
    When an operator retries the match with the same target
    Then 422 agency_transfer_too_many_claims, nothing booked, and the plan withdrawn: the
    credit listed again, unmatched (before: every retry failed whole on the 100-item
    transaction, a 500, and the credit stayed off the list until its plan expired)."""
    store, files = reported
    count = CLAIMS_REMITTED_TOGETHER + 1
    kenmerken = with_claims_reported(store, files, count)
    credit_id, ctx = back_office(store, files, count * DUE)
    target = to_the_patient(store.invoice(FIRST_ID))
    parts = tuple(MatchPart(k, i, DUE) for k, i in zip(kenmerken, claim_ids(count), strict=True))
    at = datetime(2027, 2, 23, 8, 0, tzinfo=REMITTED_AT.tzinfo)
    ctx.links.plan_credit_match(credit_id, CreditMatch(at, "operator-sub-0", parts, target))
    assert ctx.links.unmatched_credits() == []

    with pytest.raises(Refused) as refused:
        match_credit(credit_id, target, ctx)

    assert refused.value.code == "agency_transfer_too_many_claims"
    assert [awaited_cents(store.invoice(i)) for i in claim_ids(count)] == [DUE] * count
    [still] = ctx.links.unmatched_credits()
    assert (still.credit_id, still.match) == (credit_id, None)


def test_a_part_that_becomes_the_agencys_while_the_match_books_is_booked_as_planned(reported):
    """R34, R28, R38 (stop 43 money6; the race of audit RETRIES4-3 on the other part).
    Given the claim the agency reported paid (€ 74,40 awaited) and the patient's second
    claim at the agency, not reported (€ 74,40 owed), and a transfer of € 148,80 naming
    both kenmerken
    When an operator matches it to both, and the agency's report of € 41,23 collected on
    the second claim is read just after the agency's part is written and before the
    second part is booked
    Then the match completes: the first claim has the agency's € 74,40 received, and the
    second part is booked as the ordinary payment the match decided it was when it
    wrote the first (the patient's € 41,23 paid twice held as the patient's credit), the
    credit booked once and off the list (before: the second part refused as more than
    the agency's € 41,23 after the first was booked: 422, the plan kept with half the
    credit booked, every retry 422 again)."""
    store, files = reported
    store.put_invoice_as_is(handed_over_claim(invoice_id="inv-2", reference=SECOND))
    credit_id, ctx = back_office(store, files, 2 * DUE)
    save_invoices = store.save_invoices

    def the_agency_reports_after(invoices, new_actions=()):
        store.save_invoices = save_invoices
        saved = save_invoices(invoices, new_actions)
        report = CollectionReportContext(
            store, files, FixedClock(REPORTED_AT), interest=NO_INTEREST
        )
        row = f"{SECOND};CMIB-2;paid;4123;2027-02-12\n"
        head = "reference;agency_ref;status;amount_cents;paid_on\n"
        import_collection_report((head + row).encode(), "collection-reports/c.csv", report)
        assert awaited_cents(store.invoice("inv-2")) == 4123
        return saved

    store.save_invoices = the_agency_reports_after

    match_credit(credit_id, MatchTarget(references=(REFERENCE, SECOND)), ctx)

    assert awaited_cents(store.invoice(FIRST_ID)) == 0
    second = store.invoice("inv-2")
    source_id = ctx.links.get_unmatched_credit(credit_id).source_id
    assert payment_id("bank", source_id) in second.applied_payments
    assert (second.amount_due_cents, second.credit_cents) == (0, 4123)
    assert awaited_cents(second) == 4123  # the agency's € 41,23 still to come
    assert ctx.links.unmatched_credits() == []
