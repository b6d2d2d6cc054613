"""A full stop (R21) saved between the run's handover save and its ``_finish_handover``
(audit race3): the agency's handover file keeps the figures the handover decided on, the
stop reaches the agency in the day's update file, and the block is released (R19, R22,
R34). A regression guard on the interleaving: no defect was found there.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from billing_core.changes.stop import StopRequest, StopScope, apply_stop
from billing_core.shared.clock import AMSTERDAM
from tests.unit.dunning_world import DunningWorld, one_invoice

HANDOVER_DAY = date(2027, 1, 29)


def test_a_full_stop_saved_during_the_handover_leaves_the_agency_file_as_decided():
    """R19, R21, R22, R34. Given a claim the run hands over on 29 January, when the
    practice's full stop is saved after the run's handover save and before it writes the
    agency's file (its write of the file's end then loses the race and looks again),
    then the file under the handover's key is written twice with the same bytes, the
    amounts of the handover (€500 + €75 BIK + interest); the next day's update file tells
    the agency the stop (total 0), and the patient is not left blocked."""
    world = DunningWorld([one_invoice(50_000)])
    world.run_days(date(2026, 12, 31), date(2027, 1, 28))
    store, put_files = world.store, []
    real_save, real_put = store.save_invoices, world.files.put

    def put(key, body, content_type):
        if key.startswith("collection/"):
            put_files.append((key, body))
        return real_put(key, body, content_type)

    def save_invoices(invoices, actions=()):
        saved = real_save(invoices, actions)
        if any(i.handover_pending for i in saved) and not put_files:
            current = store.invoice("inv-1")
            stop = StopRequest(StopScope.FULL, "goodwill", current.addressee.email, True)
            at = datetime(2027, 1, 29, 6, 0, 1, tzinfo=AMSTERDAM)
            store.save_invoice(apply_stop(current, stop, at, "stop:1"))
        return saved

    world.files.put, store.save_invoices = put, save_invoices
    world.run(HANDOVER_DAY)
    world.run(date(2027, 1, 30))

    assert len({key for key, _ in put_files}) == 1  # one key: the handover's
    assert len(put_files) == 2 and put_files[0][1] == put_files[1][1]
    amounts = json.loads(put_files[0][1])["amounts_cents"]
    assert (amounts["principal"], amounts["collection_costs"]) == (50_000, 7_500)
    update = json.loads(world.files.files["collection-updates/2027-01-29/tandarts-de-vries.json"])
    (claim,) = update["claims"]
    assert claim["amounts_cents"]["total"] == 0
    invoice = world.invoice()
    assert invoice.is_paid and not invoice.handover_pending
    assert all(block.invoice_ids == () for block in store.blocks.values())
