"""Non-contracted care: the insurer's statement and the provider's coulance (R17; seeds
001, 004; legal-nl.md §6).

A provider without a contract with the patient's insurer invoices the full amount. The
patient declares it at the insurer and sends us the insurer's statement: what it
reimbursed and how much eigen risico it withheld. The provider's policy then sets what
the patient pays: the gross reimbursement (what the insurer paid plus the eigen risico it
withheld, which the patient owes anyway), at least ``minimum_percentage`` (default 60%)
of the non-contracted lines the patient claims from the insurer, never more than those
(``proposal_for``: the rest of the invoice is paid in full). The rest is forgiven as
coulance: a partial stop (R21) with the same e-mail, applied at once or after the
provider confirms.

One statement per invoice: a second one would let a patient shop for the lowest figure.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from billing_core.changes.refusals import settled_refusal
from billing_core.changes.stop import StopRequest, StopScope, apply_stop
from billing_core.declarations.claims import claimable_at_insurer
from billing_core.invoices.invoice import DunningStage, InsurerStatement, Invoice, InvoiceLine
from billing_core.invoices.ledger import Component, EntryKind, balance, paid_by_patient
from billing_core.providers.actions import ActionKind, OpenAction
from billing_core.shared.clock import amsterdam_day
from billing_core.shared.errors import refused
from billing_core.shared.money import percentage_of

if TYPE_CHECKING:
    # Annotations only: the PSP webhook books arrangement terms without building the
    # provider's models (issue 11 item 5).
    from billing_core.providers.provider import Provider

COULANCE_REASON = "non_contracted_coulance"  # one of stop.STOP_REASONS
STATEMENT_CAUSE = "patient:insurer-statement"  # who caused an automatic coulance (R27)
PROPOSAL_PREFIX = "coulance-"  # the id of the provider's action to confirm one


def adjusted_by_statement(event_id: str) -> bool:
    """Whether a lowered amount (its stop e-mail's event) came from the insurer's statement,
    applied at once or confirmed by the provider (R17, legal-nl.md §7)."""
    return event_id == STATEMENT_CAUSE or event_id.startswith(PROPOSAL_PREFIX)


def decided_by_the_policy(event_id: str) -> bool:
    """Whether what a statement left (its e-mail's event) was the policy's own, at the
    statement, rather than the provider's decision on a proposal (R17)."""
    return event_id == STATEMENT_CAUSE


@dataclass(frozen=True, slots=True)
class CoulanceProposal:
    """What the patient pays and the provider forgives when a non-contracted invoice is settled
    (R17)."""

    invoice_amount_cents: int  # what the invoice asked of the patient
    gross_reimbursement_cents: int  # reimbursed + eigen risico withheld
    minimum_cents: int  # minimum_percentage of the lines claimed from the insurer
    amount_to_pay_cents: int  # what the patient pays in all
    coulance_cents: int  # what the provider forgives now

    def as_details(self) -> dict[str, int]:
        return {
            "invoice_amount_cents": self.invoice_amount_cents,
            "gross_reimbursement_cents": self.gross_reimbursement_cents,
            "minimum_cents": self.minimum_cents,
            "amount_to_pay_cents": self.amount_to_pay_cents,
            "coulance_cents": self.coulance_cents,
        }


def statement_refusal(
    invoice: Invoice, provider: Provider, statement: InsurerStatement
) -> str | None:
    """Why this statement cannot be taken for this invoice (a refusal code of texts.patient)."""
    code = statement_unwelcome(invoice, provider)
    if code is None and statement.gross_reimbursement_cents > invoice.gross_cents:
        return "statement_above_invoice"
    return code


def statement_unwelcome(invoice: Invoice, provider: Provider) -> str | None:
    """Why this invoice takes no insurer's statement (whatever its figures), or None."""
    if invoice.is_with_collection_agency:
        return "with_collection_agency"
    if invoice.is_paid:
        return settled_refusal(invoice)
    if invoice.insurer_statement is not None:
        return "statement_already_received"
    if not any(claimable_at_insurer(line.line_type) for line in invoice.lines):
        return "not_for_insurer"
    if not is_non_contracted(invoice, provider):
        return "insurer_contracted"
    return None


def is_non_contracted(invoice: Invoice, provider: Provider) -> bool:
    """Care the patient's insurer has no contract with the provider for (R17): the
    patient claims it and the provider's coulance policy sets what is left to pay. Asked
    of lines an insurer is claimed for only: a no-show fee never is (R6)."""
    return any(
        claimable_at_insurer(line.line_type) and not was_contracted(line, provider)
        for line in invoice.lines
    )


def was_contracted(line: InvoiceLine, provider: Provider) -> bool:
    """Whether the line was invoiced as contracted care: decided at issue, on the day it
    was priced on (a DBC's start date, legal-nl.md §6), and kept on the line, so a
    contract entered or shortened later re-rates nothing already invoiced (R31). A line
    stored before the decision was kept has none until the operator's migration
    invoice-line-contracted (version 10) gives it the decision of the contracts known
    when its invoice was made (the settings history); till then, today's reading of the
    provider's contracts on its coverage date is what there is."""
    if line.contracted is None:
        return provider.is_contracted(line.insurer_uzovi, line.coverage_date)
    return line.contracted


def _asked_outside_policy(invoice: Invoice, provider: Provider) -> int:
    """What the invoice asks that the coulance policy is not about, paid in full: a
    no-show fee, never claimed from an insurer (R6), and the patient's share of a
    contracted line, whose reimbursement was deducted already (R5, R17)."""
    return sum(
        line.patient_share_cents
        for line in invoice.lines
        if not claimable_at_insurer(line.line_type) or was_contracted(line, provider)
    )


def awaits_insurer_statement(invoice: Invoice, provider: Provider) -> bool:
    """legal-nl.md §7, R37: "don't pay yet": a non-contracted invoice of a practice that
    waits for the statement, while the statement is not in and no reminder went out."""
    return invoice.insurer_statement is None and _first_reminder_waits(invoice, provider)


def awaits_coulance_decision(invoice: Invoice, provider: Provider) -> bool:
    """R17, legal-nl.md §7: the statement is in and its proposal is on the provider's action
    list while the first reminder waits for it: the patient waits for the adjusted amount
    by e-mail, and pays or arranges nothing of the old amount meanwhile."""
    return invoice.insurer_statement is not None and _first_reminder_waits(invoice, provider)


def told_not_to_pay_yet(invoice: Invoice, provider: Provider) -> bool:
    """legal-nl.md §7, R37: the patient is told not to pay yet, while the statement is
    awaited or its proposal decided on: what is due has no date to pay by (the checker's
    "follows with the adjusted amount"), and every text that names the amount says so."""
    return _first_reminder_waits(invoice, provider)


def _first_reminder_waits(invoice: Invoice, provider: Provider) -> bool:
    """No reminder went out to an open invoice and the first one waits for the statement or
    its proposal (``statement_wait_until``)."""
    return (
        not invoice.is_paid
        and invoice.dunning_stage is DunningStage.NONE
        and statement_wait_until(invoice, provider) is not None
    )


def statement_wait_until(invoice: Invoice, provider: Provider) -> date | None:
    """The first day the first reminder of a non-contracted invoice may go while its
    statement is not in, or is in with its proposal still on the provider's action list:
    ``statement_wait_days`` after the final payment date have passed (legal-nl.md §7:
    the patient waits for the adjusted amount by e-mail either way); None when it need
    not wait."""
    statement = invoice.insurer_statement
    if not provider.coulance.wait_for_statement:
        return None
    if statement is not None and not statement.proposal_open:
        return None
    if not is_non_contracted(invoice, provider):
        return None
    waited = timedelta(days=provider.coulance.statement_wait_days + 1)
    return invoice.current_final_payment_date + waited


def propose(invoice: Invoice, provider: Provider, statement: InsurerStatement) -> CoulanceProposal:
    """What the policy makes of a new statement (errors.Refused when it cannot be taken)."""
    code = statement_refusal(invoice, provider, statement)
    if code:
        raise refused(code)
    return proposal_for(invoice, provider, statement)


def proposal_for(
    invoice: Invoice, provider: Provider, statement: InsurerStatement
) -> CoulanceProposal:
    """The policy's figures for the invoice as it stands now: what was already forgiven
    or paid since the statement came in is taken into account. The statement is about the
    non-contracted lines the patient claims from the insurer: the policy's amount and its
    minimum are of those (legal-nl.md §6). A no-show fee beside them, never the insurer's
    business, and the patient's share of a contracted line (a line from before the
    contract's end, R5) are paid in full."""
    asked = invoice.original_amount_cents
    not_claimed = _asked_outside_policy(invoice, provider)
    claimed = asked - not_claimed
    minimum = percentage_of(claimed, provider.coulance.minimum_percentage)
    to_pay = min(max(statement.gross_reimbursement_cents, minimum), claimed) + not_claimed
    forgiven_before = -sum(
        e.amount_cents for e in invoice.ledger if e.kind in (EntryKind.COULANCE, EntryKind.STOP)
    )
    still_open = max(balance(invoice.ledger, Component.PRINCIPAL), 0)
    coulance = min(max(asked - forgiven_before - to_pay, 0), still_open)
    return CoulanceProposal(asked, statement.gross_reimbursement_cents, minimum, to_pay, coulance)


def with_statement(invoice: Invoice, statement: InsurerStatement) -> Invoice:
    return replace(invoice, insurer_statement=statement)


def proposal_decided(invoice: Invoice, on: date) -> Invoice:
    """The statement's proposal applied or declined by the provider (R17, R23): the first
    reminder no longer waits for it (``statement_wait_until``), and the daily run looks
    at the invoice again from ``on``, as declined the reminder may be due at once. The
    invoice itself (``is``) when no proposal was open."""
    statement = invoice.insurer_statement
    if statement is None or not statement.proposal_open:
        return invoice
    return replace(
        invoice,
        insurer_statement=replace(statement, proposal_open=False),
        next_check_on=on,
    )


def proposal_id(invoice_id: str) -> str:
    """The id of the provider's action to confirm the invoice's proposal: one per invoice."""
    return f"{PROPOSAL_PREFIX}{invoice_id}"


def proposal_action(invoice: Invoice, proposal: CoulanceProposal, now: datetime) -> OpenAction:
    """The provider confirms or declines (R23); one per invoice, as the statement is."""
    statement = invoice.insurer_statement
    assert statement is not None
    return OpenAction.about(
        invoice,
        ActionKind.COULANCE_PROPOSAL,
        proposal_id(invoice.invoice_id),
        now,
        {
            **proposal.as_details(),
            "reimbursed_cents": statement.reimbursed_cents,
            "withheld_deductible_cents": statement.withheld_deductible_cents,
        },
    )


def proposal_as_now(action: OpenAction, invoice: Invoice, provider: Provider) -> OpenAction:
    """R17, R23, R37: an undecided proposal's action with the figures of ``invoice`` as it
    stands now, as "apply" would book them (``proposal_for``), not those of the day the
    statement came: a payment or a stop since the statement leaves less open to forgive,
    and "apply" forgives at most that. Its details keep what was proposed then
    (``proposed_coulance_cents``) and say what the patient paid since (``paid_cents``).
    The action itself when it is decided, or the invoice's proposal is no longer open."""
    statement = invoice.insurer_statement
    if (
        action.kind is not ActionKind.COULANCE_PROPOSAL
        or "decision" in action.details
        or statement is None
        or not statement.proposal_open
    ):
        return action
    now = proposal_for(invoice, provider, statement)
    proposed = action.details.get("coulance_cents", now.coulance_cents)
    return replace(
        action,
        details={
            **action.details,
            **now.as_details(),
            "proposed_coulance_cents": proposed,
            "paid_cents": paid_by_patient(invoice.ledger),
        },
    )


# Stages in which an adjusted amount still gets a new final payment date (legal-nl.md §7).
_BEFORE_COSTS = (DunningStage.NONE, DunningStage.REMINDED)


def apply_coulance(
    invoice: Invoice,
    proposal: CoulanceProposal,
    at: datetime,
    cause: str,
    *,
    payment_term_days: int,
) -> Invoice:
    """The proposal as a partial stop (R21); the invoice unchanged when nothing is forgiven.
    Until the costs are charged, the adjusted amount gets a new final payment date: the
    day of this confirmation plus the provider's payment term (legal-nl.md §7). A
    reminder sent before asked the old amount: it no longer supports costs, and a new one
    follows the new default (dunning/letter_costs.reminder_superseded). Once the costs
    were charged they stand (the second notice's term is the date that counts): the
    patient pays the lower principal with them."""
    if proposal.coulance_cents <= 0:
        return invoice
    invoice = with_statement_term(invoice, at, payment_term_days)
    request = StopRequest(
        scope=StopScope.PARTIAL,
        reason=COULANCE_REASON,
        patient_email=invoice.addressee.email,
        accept_terms=True,  # the provider accepted them with its coulance policy
        amount_cents=proposal.coulance_cents,
    )
    return apply_stop(invoice, request, at, cause)


def with_policy_after_a_raise(
    invoice: Invoice, provider: Provider, at: datetime, cause: str
) -> Invoice:
    """R17, legal-nl.md §6: the insurer's retour raised what the patient of an invoice pays
    after the automatic policy took their statement (the insurer pays the practice less
    than the invoice deducted). The policy's amount holds for the invoice as it now
    stands, as it would had the retour come first: what it forgives beyond what was
    forgiven already is forgiven now (``proposal_for`` counts both), by ``cause``, so the
    patient never pays more than the gross reimbursement or the minimum. A proposal left
    to the provider is judged on the day of its decision; one decided by the provider is
    not reopened here."""
    # Here, not at import: the provider's settings models are no part of the payment
    # paths that load this module (see TYPE_CHECKING above).
    from billing_core.changes.coulance_policy import CoulanceMode

    statement = invoice.insurer_statement
    if statement is None or statement.proposal_open:
        return invoice
    if provider.coulance.mode is not CoulanceMode.AUTOMATIC:
        return invoice
    proposal = proposal_for(invoice, provider, statement)
    return apply_coulance(
        invoice, proposal, at, cause, payment_term_days=provider.payment_term_days
    )


def with_statement_term(invoice: Invoice, at: datetime, payment_term_days: int) -> Invoice:
    """The statement's invoice with the adjusted amount's new final payment date, and the
    moment it got it on the statement (legal-nl.md §7: confirmation + payment term): a
    reminder sent before no longer supports costs (letter_costs.reminder_superseded). The
    invoice itself once the costs were charged (the second notice's term counts, R19).
    Also for a statement that leaves the policy nothing to forgive: the patient was told
    to wait for "the adjusted amount with a new final payment date", and that amount is
    the old one (the owners' decision, round 40; theirs to change)."""
    if invoice.dunning_stage not in _BEFORE_COSTS:
        return invoice
    statement = invoice.insurer_statement
    assert statement is not None  # only the invoice of a statement gets its term
    dated = with_adjusted_amount_term(invoice, at, payment_term_days)
    return with_statement(dated, replace(statement, adjusted_at=at))


def with_adjusted_amount_term(invoice: Invoice, at: datetime, payment_term_days: int) -> Invoice:
    """The invoice whose amount was adjusted ``at``, to be paid by the day of that plus the
    provider's payment term (legal-nl.md §7: confirmation + payment term); the invoice
    itself once the costs were charged: the second notice's term is the date that counts
    then (R19), and it stands."""
    if invoice.dunning_stage not in _BEFORE_COSTS:
        return invoice
    return with_final_payment_date(invoice, amsterdam_day(at) + timedelta(payment_term_days))


def with_final_payment_date(invoice: Invoice, day: date) -> Invoice:
    """The invoice to be paid by ``day``, never earlier than it was already (a deferral
    granted before keeps its date when that is later)."""
    later = max(day, invoice.current_final_payment_date)
    deferral = replace(invoice.deferral, until=later) if invoice.deferral else None
    return replace(invoice, final_payment_date=later, deferral=deferral)
