"""An insurer's retour that raises what the patient pays (the insurer pays the practice
less than the invoice deducted) on a non-contracted invoice whose insurer's statement the
automatic coulance policy already took (R17, legal-nl.md §6, §7; audit late2 LATE2-1).

The policy: the patient pays the gross reimbursement, at least 60% of the care they claim
from the insurer; the practice forgives the rest. That amount holds for the invoice as
it stands, whichever came first, the statement or the retour.

The invoice: € 100,00 of non-contracted care, € 30,00 deducted as the insurer's part;
the statement: € 50,00 reimbursed; the retour: the insurer grants the practice nothing."""

from __future__ import annotations

from datetime import date

import pytest

from billing_core.changes.coulance_policy import CoulanceMode, CoulancePolicy
from billing_core.correspondence.kinds import INVOICE_CORRECTED
from billing_core.declarations.upload import IngestContext
from billing_core.declarations.vektis.layouts import MZ302_V13
from billing_core.declarations.vektis.writer import Granted, write_retour
from billing_core.invoices.access import BirthDate
from billing_core.invoices.ledger import EntryKind
from billing_core.services.patient import PatientContext, submit_insurer_statement
from tests.unit.dunning_world import DunningWorld
from tests.unit.factories import REFERENCE_KEY, make_provider
from tests.unit.test_retour_raise import at, deducted_world, the_insurer_refuses_the_line
from tests.unit.vektis_files import HEADER, apply_retour, dental_claim

INVOICED = 10_000
DEDUCTED = 3_000
REIMBURSED_TO_THE_PATIENT = 5_000
MINIMUM = 6_000  # 60% of € 100,00: what the policy asks once the insurer grants nothing


def a_world(mode: CoulanceMode = CoulanceMode.AUTOMATIC) -> DunningWorld:
    provider = make_provider(coulance=CoulancePolicy(mode=mode, wait_for_statement=True))
    return deducted_world(INVOICED, DEDUCTED, provider, contracted=False)


def the_patient_sends_the_statement(world: DunningWorld, day: date) -> None:
    world.clock.set(at(day))
    invoice = world.invoice()
    context = PatientContext(world.store, world.queue, world.clock)
    birth_date = BirthDate(invoice.birth_date)
    submit_insurer_statement(invoice.reference, birth_date, REIMBURSED_TO_THE_PATIENT, 0, context)
    world.deliver()


def test_a_retour_after_the_statement_leaves_the_policys_amount_as_the_other_order_does():
    """R17, legal-nl.md §6: given the statement taken on 10 December (€ 20,00 forgiven,
    € 50,00 to pay), when the retour of 15 December grants the practice nothing, then
    the patient pays € 60,00, the policy's minimum, as when the retour comes first, not
    € 80,00; the e-mail about the retour names € 60,00."""
    first_the_statement = a_world()
    the_patient_sends_the_statement(first_the_statement, date(2026, 12, 10))
    the_insurer_refuses_the_line(first_the_statement, date(2026, 12, 15), INVOICED)

    first_the_retour = a_world()
    the_insurer_refuses_the_line(first_the_retour, date(2026, 12, 10), INVOICED)
    the_patient_sends_the_statement(first_the_retour, date(2026, 12, 15))

    assert first_the_retour.invoice().balance_cents == MINIMUM
    assert first_the_statement.invoice().balance_cents == MINIMUM
    [mail] = [m for _, m, _ in first_the_statement.outbox.sent if m.kind == INVOICE_CORRECTED]
    assert "U betaalt nu nog €\u00a060,00, uiterlijk 14 januari 2027." in mail.text


def test_the_same_retour_again_forgives_nothing_more():
    """R3: the same retour file processed again changes nothing: € 60,00 stays."""
    world = a_world()
    the_patient_sends_the_statement(world, date(2026, 12, 10))
    the_insurer_refuses_the_line(world, date(2026, 12, 15), INVOICED)

    the_insurer_refuses_the_line(world, date(2026, 12, 16), INVOICED)

    assert world.invoice().balance_cents == MINIMUM


def test_a_proposal_on_the_practices_list_is_left_to_its_decision():
    """R17, R23: a practice that confirms each proposal decides on the figures of the day
    of its decision (coulance.proposal_for); the retour that comes while the proposal is
    on its list raises the amount as it raises any (€ 30,00 more) and forgives nothing of
    its own accord."""
    world = a_world(CoulanceMode.PROVIDER_CONFIRMS)
    the_patient_sends_the_statement(world, date(2026, 12, 10))

    the_insurer_refuses_the_line(world, date(2026, 12, 15), INVOICED)

    assert world.invoice().balance_cents == INVOICED
    assert not [e for e in world.invoice().ledger if e.kind is EntryKind.COULANCE]


def the_insurer_grants(world: DunningWorld, day: date, cents: int) -> None:
    world.clock.set(at(day))
    claim = dental_claim("L-1", unit_price_cents=INVOICED, insurer_uzovi="3311")
    data = write_retour(MZ302_V13, HEADER, [claim], {"L-1": Granted(cents, ())})
    ctx = IngestContext(world.store, world.files, world.queue, world.clock, REFERENCE_KEY)
    apply_retour(world.provider.provider_id, f"r-{day}", data, ctx, file_name="retour.mz302")
    world.deliver()


@pytest.mark.xfail(
    strict=True,
    reason="known, not fixed (round 40 chaos4): a retour that grants more after the "
    "automatic coulance keeps all it forgave; only a raise re-applies the policy",
)
def test_a_retour_granting_more_after_the_statement_leaves_the_policys_amount():
    """R17, legal-nl.md §6 (round 40 chaos4, the order the walk checks): given the
    statement taken on 10 December (€ 20,00 forgiven, € 50,00 to pay), when the retour of
    15 December grants the practice € 50,00 (€ 20,00 more than deducted), then the
    patient pays € 50,00, the gross reimbursement, as when the retour comes first; not
    € 30,00 (the coulance forgiven on the larger amount kept whole)."""
    first_the_statement = a_world()
    the_patient_sends_the_statement(first_the_statement, date(2026, 12, 10))
    the_insurer_grants(first_the_statement, date(2026, 12, 15), 5_000)

    first_the_retour = a_world()
    the_insurer_grants(first_the_retour, date(2026, 12, 10), 5_000)
    the_patient_sends_the_statement(first_the_retour, date(2026, 12, 15))

    assert first_the_retour.invoice().balance_cents == REIMBURSED_TO_THE_PATIENT
    assert first_the_statement.invoice().balance_cents == REIMBURSED_TO_THE_PATIENT
