"""When the patient is told that an invoice was corrected after it went out: one helper
(correspondence/kinds.py) for the operator's correction, the insurer's retour and a
later upload's credit line, so the three cannot tell it under different conditions
(R21, R22, R34, legal-nl.md §7)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from billing_core.correspondence.kinds import INVOICE_CORRECTED, tell_invoice_corrected
from billing_core.invoices.invoice import Channel, Correspondence, DunningStage, InvoiceStatus
from billing_core.shared.clock import AMSTERDAM
from tests.unit.factories import make_invoice, make_person
from tests.unit.fake_store import FakeQueue

AT = datetime(2026, 11, 30, 10, 0, tzinfo=AMSTERDAM)
TOLD_BEFORE = Correspondence(INVOICE_CORRECTED, Channel.EMAIL, AT, "ses-1", "retour:ledger-3")
SENT = {"status": InvoiceStatus.SENT}


@pytest.mark.parametrize(
    ("invoice", "events", "told"),
    [
        # Sent, by e-mail: each change told once, in order; "" is no change.
        (SENT, ["retour:ledger-5", "", "retour:ledger-5"], ["retour:ledger-5"]),
        (SENT, ["declaration:D3", "declaration:D2"], ["declaration:D2", "declaration:D3"]),
        # Not sent yet: the invoice itself says the corrected amount.
        ({}, ["correction:2"], []),
        # At the agency: it collects the claim and tells the patient (R22).
        ({**SENT, "dunning_stage": DunningStage.WITH_COLLECTION_AGENCY}, ["correction:2"], []),
        # Recorded on the invoice already (a retry after the delivery sent it): not again.
        (
            {**SENT, "correspondence": (TOLD_BEFORE,)},
            ["retour:ledger-3", "correction:2"],
            ["correction:2"],
        ),
        # No e-mail address: still told, on paper (R7, kinds.ON_PAPER_WITHOUT_EMAIL).
        (
            {**SENT, "patient": make_person(email=""), "channel": Channel.PAPER},
            ["correction:2"],
            ["correction:2"],
        ),
    ],
)
def test_a_corrected_invoice_is_told_once_per_change_when_sent_and_not_at_the_agency(
    invoice, events, told
):
    """R21, R22, R7, legal-nl.md §7: Given an invoice as the row says
    When a correction asks to tell its patient of the changes ``events``
    Then an ``invoice_corrected`` message is queued for exactly the changes ``told``."""
    corrected = replace(make_invoice(), **invoice)
    queue = FakeQueue()
    tell_invoice_corrected(corrected, events, queue)
    assert [(r.invoice_id, r.kind) for r in queue.requests] == [
        (corrected.invoice_id, INVOICE_CORRECTED)
    ] * len(told)
    assert [r.event_id for r in queue.requests] == told
    assert all(r.provider_id == corrected.provider_id for r in queue.requests)
