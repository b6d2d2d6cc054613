"""The agency is told (issue 12 item 11, R34): the daily run writes, per practice, a file
of yesterday's payments, returns and stops on the claims the agency holds."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime

from billing_core.dunning.run import DunningContext, run_dunning
from billing_core.invoices.invoice import DunningStage
from billing_core.payments.booking import IncomingPayment, book_payment
from billing_core.shared import reference
from billing_core.shared.clock import AMSTERDAM, FixedClock
from tests.unit.factories import REFERENCE, REFERENCE_KEY, make_invoice, make_provider
from tests.unit.fake_store import FakeQueue, FakeStore, FilesInMemory

PAID_AT = datetime(2027, 2, 15, 14, 0, tzinfo=AMSTERDAM)
KEY = "collection-updates/2027-02-15/tandarts-de-vries.json"


def test_a_payment_on_a_claim_at_the_agency_is_in_the_next_mornings_file_once():
    """Given a claim at the agency and another invoice of the practice, both paid in part
    on 15 February
    When the dunning run of 16 February goes, and again
    Then the agency's file of the 15th lists the claim with the payment and what is still
    owed, not the other invoice, and the rerun writes the same bytes."""
    claim = make_invoice(
        dunning_stage=DunningStage.WITH_COLLECTION_AGENCY, handed_over_on=date(2027, 2, 1)
    )
    other = replace(
        make_invoice(invoice_id="inv-2", reference=reference.for_sequence(2, REFERENCE_KEY)),
        next_check_on=None,
    )
    store, files = FakeStore([claim, other], [make_provider()]), FilesInMemory()
    clock = FixedClock(PAID_AT)
    for invoice in (claim, other):
        payment = IncomingPayment("bank", f"E-{invoice.invoice_id}", 1_000, PAID_AT)
        book_payment(store, invoice.reference, payment, clock=clock, interest=lambda i, d: 0)
    ctx = DunningContext(store, files, FakeQueue(), clock)
    clock.set(datetime(2027, 2, 16, 6, 0, tzinfo=AMSTERDAM))

    first = run_dunning(ctx, date(2027, 2, 16))
    written = files.files[KEY]
    run_dunning(ctx, date(2027, 2, 16))

    assert first.answer()["agency_files"] == 1 and files.files[KEY] == written
    [told] = json.loads(written)["claims"]
    assert told["reference"] == REFERENCE
    assert [(e["kind"], e["amount_cents"]) for e in told["entries"]] == [("payment", -1_000)]
    assert told["amounts_cents"]["principal"] == claim.balance_cents - 1_000
