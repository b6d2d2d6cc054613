"""An insurer's retour on an invoice the practice stopped in part (coulance) or in full
(R21): what the stop forgave and the insurer now pays is no money the patient paid, so it
is never credit "to pay back" (R13); a corrected retour that grants less again leaves the
patient what the stop left them (R5, R27). As a credit line of a later upload does it
(declarations/credit_corrections.py).

Through the real use cases on one invoice: the stop, the bank import and the retour file."""

from __future__ import annotations

from datetime import date

from billing_core.changes.stop import StopRequest, StopScope, apply_stop
from billing_core.correspondence.kinds import INVOICE_CORRECTED
from billing_core.declarations.upload import IngestContext
from billing_core.declarations.vektis.layouts import MZ302_V13
from billing_core.declarations.vektis.writer import Granted, write_retour
from billing_core.invoices.ledger import EntryKind, paid_by_patient
from billing_core.payments.refunds import credit_refundable_by_bank
from tests.unit.dunning_world import DunningWorld
from tests.unit.factories import REFERENCE_KEY
from tests.unit.test_retour_raise import ASKED, DEDUCTED, INVOICED, a_world, at
from tests.unit.vektis_files import HEADER, apply_retour, dental_claim

COULANCE = 4_000  # the practice forgives € 40,00 of the € 57,59 asked


def stopped(world: DunningWorld, scope: StopScope, amount_cents: int | None = None) -> None:
    request = StopRequest(
        scope=scope,
        reason="administrative_error",
        patient_email="",
        accept_terms=True,
        amount_cents=amount_cents,
    )
    stop = apply_stop(world.invoice(), request, at(date(2026, 11, 30)), "provider:u-1:stop-1")
    world.store.put_invoice_as_is(stop)


def the_insurer_grants(world: DunningWorld, granted_cents: int, day: date, upload: str) -> None:
    """The insurer's MZ302 grants ``granted_cents`` of the line (€ 18,88 was deducted)."""
    world.clock.set(at(day))
    claim = dental_claim("L-1", unit_price_cents=INVOICED, insurer_uzovi="3311")
    data = write_retour(MZ302_V13, HEADER, [claim], {"L-1": Granted(granted_cents, ())})
    ctx = IngestContext(world.store, world.files, world.queue, world.clock, REFERENCE_KEY)
    apply_retour(world.provider.provider_id, upload, data, ctx, file_name=f"{upload}.mz302")
    world.deliver()


def corrected_mails(world: DunningWorld) -> list[str]:
    return [mail.text for _, mail, _ in world.outbox.sent if mail.kind == INVOICE_CORRECTED]


def test_a_retour_that_covers_what_a_coulance_forgave_is_no_credit_for_the_patient():
    """R13, R21, R5: given € 57,59 asked, € 40,00 of it forgiven by coulance and nothing
    paid, when the insurer's retour grants € 30,00 more, then nothing is open and there is
    no credit: € 12,41 of the coulance is booked back (the insurer pays it), nothing is to
    be paid back, and the patient's e-mail does not say they paid too much."""
    world = a_world()
    stopped(world, StopScope.PARTIAL, COULANCE)

    the_insurer_grants(world, DEDUCTED + 3_000, date(2026, 12, 5), "r-1")

    invoice = world.invoice()
    assert (invoice.balance_cents, invoice.credit_cents) == (0, 0)
    assert credit_refundable_by_bank(invoice) == 0
    booked_back = [e.amount_cents for e in invoice.ledger if e.kind is EntryKind.COULANCE]
    assert booked_back == [-COULANCE, COULANCE + 3_000 - ASKED]  # € 12,41 back
    [mail] = corrected_mails(world)
    assert "te veel betaald" not in mail and "niets meer open" in mail


def test_a_corrected_retour_that_grants_less_again_leaves_what_the_coulance_left():
    """R5 (a corrected retour sets the corrected amount), R21: given the coulance of
    € 40,00 and a retour that granted € 30,00 more (the coulance booked back by € 12,41),
    when a corrected retour grants the € 18,88 first deducted again, then the patient owes
    € 17,59, what the coulance left them, not € 30,00."""
    world = a_world()
    stopped(world, StopScope.PARTIAL, COULANCE)
    the_insurer_grants(world, DEDUCTED + 3_000, date(2026, 12, 5), "r-1")

    the_insurer_grants(world, DEDUCTED, date(2026, 12, 6), "r-2")

    assert world.invoice().balance_cents == ASKED - COULANCE


def test_a_retour_on_a_fully_stopped_invoice_leaves_nothing_to_pay_back():
    """R13, R21: given the invoice stopped in full, when the retour grants € 30,00 more,
    then there is no credit: the stop forgave less."""
    world = a_world()
    stopped(world, StopScope.FULL)

    the_insurer_grants(world, DEDUCTED + 3_000, date(2026, 12, 5), "r-1")

    invoice = world.invoice()
    assert (invoice.balance_cents, invoice.credit_cents) == (0, 0)


def test_a_retour_after_a_coulance_and_a_payment_pays_back_at_most_what_was_paid():
    """R13: given the coulance of € 40,00 and the € 17,59 left paid by bank, when the
    retour grants € 30,00 more, then the credit is the € 17,59 paid, never more: the
    rest of the grant took back the coulance."""
    world = a_world()
    stopped(world, StopScope.PARTIAL, COULANCE)
    world.import_transfer(ASKED - COULANCE, booked_on=date(2026, 12, 1), at=at(date(2026, 12, 1)))

    the_insurer_grants(world, DEDUCTED + 3_000, date(2026, 12, 5), "r-1")

    invoice = world.invoice()
    assert invoice.credit_cents == paid_by_patient(invoice.ledger) == ASKED - COULANCE
