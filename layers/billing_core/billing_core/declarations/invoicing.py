"""Claims -> patient invoices (R4-R8): pure, no AWS.

Claims of one patient in one file become one invoice with a line per treatment (R4);
each line is routed by the line rules and the coverage component (R5, R6); lines the
insurer takes go to the insurer-claim export instead. A credit line of a line in the same
file settles like its line, as one of an earlier upload does (credit_corrections.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from billing_core.declarations.claims import Claim, LineType
from billing_core.declarations.credit_shares import given_back
from billing_core.declarations.findings import Finding, Severity
from billing_core.declarations.rules.coverage import CoverageComponent
from billing_core.declarations.rules.insurers import InsurerRegisters, shipped_registers
from billing_core.declarations.rules.line_rules import (
    PRICE_QUOTE_MISSING,
    LineRouting,
    Payer,
    in_treatment_plan,
    plan_lacks_quote,
    route_line,
)
from billing_core.invoices.invoice import Channel, Invoice, InvoiceLine
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.providers.provider import Provider

_INVOICE_IDS = uuid.UUID("6f1c3a52-8d0e-4b7a-9c55-0e2d7f4b9a10")
# An invoice and its claim markers are written in one transaction of at most 100 items;
# a patient with more lines in one file gets more than one invoice (INVOICE_SPLIT says so).
MAX_LINES_PER_INVOICE = 90
INVOICE_SPLIT = "INVOICE_SPLIT"
LINES_CANCEL_OUT = "LINES_CANCEL_OUT"
# A credit line of a line the insurer took goes to the insurer too: the export's reason,
# and the report's warning, for a credit in the same file as in a later one.
CREDIT_OF_INSURER_LINE = "CREDIT_OF_INSURER_LINE"
CREDIT_OF_INSURER_REASON = "credit_of_insurer_line"
# Enum members as module constants for the per-claim loops: on Python 3.11 reading
# ``LineType.CARE`` goes through the enum's class property, ~25x a global's cost.
_MATERIAL, _INSURER, _PATIENT = LineType.MATERIAL, Payer.INSURER, Payer.PATIENT


@dataclass(frozen=True, slots=True)
class InsurerClaimLine:
    """A line for the insurer-claim export (R5): the insurer pays it, not the patient."""

    claim: Claim
    reason: str


@dataclass(frozen=True, slots=True)
class InvoiceDraft:
    """Everything of a patient invoice except its identity, which storage hands out."""

    claims: tuple[Claim, ...]  # every claim of the patient in this file, also insurer-bound ones
    lines: tuple[InvoiceLine, ...]  # what the patient is invoiced for
    warnings: tuple[str, ...] = ()  # finding codes the provider should see on the invoice

    @property
    def first(self) -> Claim:
        return self.claims[0]

    @property
    def amount_due_cents(self) -> int:
        return sum(line.patient_share_cents for line in self.lines)


@dataclass(slots=True)
class InvoicingPlan:
    """What a file's claims become: invoice drafts, lines for the insurer, and findings (R4)."""

    drafts: list[InvoiceDraft] = field(default_factory=list)
    insurer_lines: list[InsurerClaimLine] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # Lines processed with nothing to invoice: a credit line and the debit it reverses.
    cancelled_out: list[Claim] = field(default_factory=list)


def plan_invoices(
    claims: Iterable[Claim],
    provider: Provider,
    coverage: CoverageComponent,
    insurers: InsurerRegisters | None = None,
) -> InvoicingPlan:
    """``insurers``: the register versions (R33) materials are routed by."""
    plan = InvoicingPlan()
    router = _CachedRouter(coverage, insurers or shipped_registers())
    per_patient = _claims_per_patient(claims)
    credits = _SameFileCredits(router, per_patient, plan)
    for patient_claims in per_patient:
        if len(patient_claims) <= MAX_LINES_PER_INVOICE:
            _plan_patient(patient_claims, provider, router, credits, plan)
        else:
            _plan_split_patient(patient_claims, provider, router, credits, plan)
    return plan


class _CachedRouter:
    """The same treatment at the same insurer and price is routed once per file: a
    100,000-line file holds a few hundred distinct lines, and routing is the hot path."""

    def __init__(self, coverage: CoverageComponent, insurers: InsurerRegisters) -> None:
        self._coverage = coverage
        self._insurers = insurers
        self._known: dict[tuple[object, ...], LineRouting] = {}

    def route(self, claim: Claim, amount_cents: int) -> LineRouting:
        """``amount_cents``: the claim's amount, which the caller has already computed."""
        line_type = claim.line_type
        coverage_date = claim.treatment_start_date or claim.treatment_date  # Claim.coverage_date
        key = (
            line_type,
            claim.insurer_uzovi,
            coverage_date,
            claim.treatment_code,
            amount_cents,
            # A material's payer depends on its insurer's group in the register of its date.
            self._insurers.in_force(coverage_date).version if line_type is _MATERIAL else "",
        )
        routing = self._known.get(key)
        if routing is None:
            routing = self._known[key] = route_line(claim, self._coverage, self._insurers)
        return routing


class _SameFileCredits:
    """A credit line of a line in the same file (vektis.md §1) settles as the same credit
    does in a later file (credit_corrections.with_credit), whatever its own date and code
    would be rated (R5, R27: one correction, one amount): it follows a line the insurer
    took to the insurer-claim export, and otherwise gives back ``given_back`` of what was
    deducted on its line, in file order, so the last credit gives back exactly the rest."""

    __slots__ = ("_left", "_lines", "_per_patient", "_plan", "_router")

    def __init__(
        self, router: _CachedRouter, per_patient: list[list[Claim]], plan: InvoicingPlan
    ) -> None:
        self._router = router
        self._per_patient = per_patient
        self._plan = plan
        self._lines: dict[str, Claim] | None = None  # by claim_ref, at the first credit line
        self._left: dict[str, tuple[int, int]] = {}  # per credited line: amount, reimbursement

    def line_reversed_by(self, credit: Claim) -> Claim | None:
        """The line of this file the credit line names: a debit of the same patient (the
        Vektis checks reject any other). None for a CSV credit, which names none."""
        if not credit.reverses_claim_ref:
            return None
        if self._lines is None:
            self._lines = {c.claim_ref: c for claims in self._per_patient for c in claims}
        line = self._lines.get(credit.reverses_claim_ref)
        if line is None or line.unit_price_cents <= 0 or line.patient_key != credit.patient_key:
            return None
        return line

    def route(self, credit: Claim, amount_cents: int, line: Claim) -> LineRouting:
        line_amount = line.quantity * line.unit_price_cents
        routing = self._router.route(line, line_amount)
        if routing.payer is _INSURER:
            warning = Finding(
                CREDIT_OF_INSURER_LINE,
                Severity.WARNING,
                line=credit.line_number,
                claim_ref=credit.claim_ref,
                params={"reference": line.claim_ref},
            )
            self._plan.findings.append(warning)
            return LineRouting(_INSURER, 0, CREDIT_OF_INSURER_REASON, routing.contracted)
        left = self._left.get(line.claim_ref) or (line_amount, routing.reimbursed_cents)
        amount_left, reimbursed_left = left
        credited = -amount_cents
        reimbursed = given_back(credited, amount_left, reimbursed_left)
        self._left[line.claim_ref] = (amount_left - credited, reimbursed_left - reimbursed)
        # The credit keeps its line's contract, as credit_corrections' credit does (R31).
        return LineRouting(_PATIENT, -reimbursed, "credit_of_line", routing.contracted)


def group_by_patient(claims: Iterable[Claim]) -> list[tuple[Claim, ...]]:
    """Claims per invoice: per patient, patients in order of first appearance (stable
    across retries), cut at MAX_LINES_PER_INVOICE."""
    return [chunk for group in _claims_per_patient(claims) for chunk in _per_invoice(group)]


def _claims_per_patient(claims: Iterable[Claim]) -> list[list[Claim]]:
    groups: dict[tuple[str, str], list[Claim]] = {}
    for claim in claims:
        key = (claim.patient_ref, claim.bsn)  # Claim.patient_key, inlined on the hot path
        group = groups.get(key)
        if group is None:
            groups[key] = [claim]
        else:
            group.append(claim)
    return list(groups.values())


def _per_invoice(group: list[Claim]) -> list[tuple[Claim, ...]]:
    return [
        tuple(group[start : start + MAX_LINES_PER_INVOICE])
        for start in range(0, len(group), MAX_LINES_PER_INVOICE)
    ]


def _plan_split_patient(
    claims: list[Claim],
    provider: Provider,
    router: _CachedRouter,
    credits: _SameFileCredits,
    plan: InvoicingPlan,
) -> None:
    """R4 asks one invoice per patient and file, but an invoice is written with its claim
    markers in one transaction (MAX_LINES_PER_INVOICE): a patient with more lines gets
    more invoices, each with its own kenmerk and e-mail. The report says so, on the first
    line of each further invoice (audit ingest D2)."""
    first = len(plan.drafts)
    for chunk in _per_invoice(claims):
        _plan_patient(chunk, provider, router, credits, plan)
    drafts = plan.drafts[first:]
    plan.findings.extend(
        Finding(
            INVOICE_SPLIT,
            Severity.WARNING,
            line=draft.first.line_number,
            claim_ref=draft.first.claim_ref,
            params={
                "patient_ref": draft.first.patient_ref,
                "invoices": len(drafts),
                "max_lines": MAX_LINES_PER_INVOICE,
            },
        )
        for draft in drafts[1:]
    )


def _plan_patient(
    claims: Sequence[Claim],
    provider: Provider,
    router: _CachedRouter,
    credits: _SameFileCredits,
    plan: InvoicingPlan,
) -> None:
    """One pass over the patient's claims: route each line, keep the totals the rules need."""
    lines: list[InvoiceLine] = []
    amount_due = plan_total = 0
    has_quote = unlinked_credit = False
    for claim in claims:
        amount = claim.quantity * claim.unit_price_cents
        if in_treatment_plan(claim.line_type):
            plan_total += amount
            has_quote = has_quote or bool(claim.price_quote_ref)
        reversed_line = None
        if amount < 0:
            reversed_line = credits.line_reversed_by(claim)
            unlinked_credit = unlinked_credit or not claim.reverses_claim_ref
        if reversed_line is None:
            routing = router.route(claim, amount)
        else:
            routing = credits.route(claim, amount, reversed_line)
        if routing.payer is _INSURER:
            plan.insurer_lines.append(InsurerClaimLine(claim, routing.reason))
        else:
            reimbursed, contracted = routing.reimbursed_cents, routing.contracted
            lines.append(invoice_line(claim, reimbursed, contracted, reversed_line))
            amount_due += amount - routing.reimbursed_cents
    if unlinked_credit:
        # Here, not at import: only a CSV credit line names no line (no cold start pays).
        from billing_core.declarations.unlinked_credits import unlinked_credit_findings

        plan.findings.extend(unlinked_credit_findings(claims, router.route))
    if not lines:
        return
    if amount_due <= 0:
        _plan_nothing_to_invoice(claims, lines, amount_due, plan)
        return
    warnings: tuple[str, ...] = ()
    if plan_lacks_quote(provider, plan_total, has_quote):
        warnings = (PRICE_QUOTE_MISSING,)
        plan.findings.append(_finding(PRICE_QUOTE_MISSING, Severity.WARNING, claims[0]))
    plan.drafts.append(InvoiceDraft(claims=tuple(claims), lines=tuple(lines), warnings=warnings))


def _plan_nothing_to_invoice(
    claims: Sequence[Claim], lines: list[InvoiceLine], amount_due: int, plan: InvoicingPlan
) -> None:
    """A credit line reverses the debit it names (vektis.md §1): lines that cancel out
    exactly are processed, with nothing to ask of the patient, and reported as a warning,
    not rejected (R2 rejects a claim for a content error only). Credits that exceed the
    debits are an error in the file: those claims are rejected, nothing is paid back.
    Without a credit line, a non-contracted insurer reimburses every line in full (R5):
    rejected too, said so, never as credit lines the file does not have."""
    if amount_due == 0 and sum(line.amount_cents for line in lines) == 0:
        on_invoice = {line.claim_ref for line in lines}
        cancelled = [claim for claim in claims if claim.claim_ref in on_invoice]
        plan.cancelled_out.extend(cancelled)
        plan.findings.extend(_finding(LINES_CANCEL_OUT, Severity.WARNING, c) for c in cancelled)
        return
    # Without a credit line, what left nothing is the insurer: it reimburses every line in
    # full without a contract (a contracted one's lines go to the insurer-claim export, R5).
    credited = any(line.amount_cents < 0 for line in lines)
    code = "NOTHING_TO_INVOICE" if credited else "FULLY_REIMBURSED_NOT_CONTRACTED"
    plan.findings.extend(_finding(code, Severity.CLAIM, c) for c in claims)


def invoice_line(
    claim: Claim, reimbursed_cents: int, contracted: bool, reversed_line: Claim | None = None
) -> InvoiceLine:
    """The invoice's line for a claim, with what the insurer reimburses (R5; a retour
    re-rates it the same way) and whether its insurer had a contract with the provider on
    its coverage date, decided now, at issue, once (R17, R31). A credit line of
    ``reversed_line`` takes back part of that line: care of its coverage date and type, as
    credit_corrections books one."""
    of = reversed_line or claim
    # Positional, in InvoiceLine's field order: keywords cost a tenth of the planning.
    return InvoiceLine(
        claim.claim_ref,
        claim.treatment_date,
        of.coverage_date,
        claim.treatment_code,
        claim.description,
        of.line_type,
        claim.quantity,
        claim.unit_price_cents,
        reimbursed_cents,
        claim.insurer_uzovi,
        claim.reverses_claim_ref,
        contracted,
    )


def _finding(code: str, severity: Severity, claim: Claim) -> Finding:
    return Finding(code, severity, line=claim.line_number, claim_ref=claim.claim_ref)


def invoice_id_for(provider_id: str, declaration_id: str, first_claim: Claim) -> str:
    """Stable per upload and the invoice's first line, so a retried upload finds its own."""
    name = f"{provider_id}/{declaration_id}/{first_claim.claim_ref}"
    return str(uuid.uuid5(_INVOICE_IDS, name))


def issue_invoice(
    draft: InvoiceDraft,
    *,
    provider: Provider,
    declaration_id: str,
    reference: str,
    issued_at: datetime,
) -> Invoice:
    first = draft.first
    gross = sum(line.amount_cents for line in draft.lines)
    reimbursed = sum(line.reimbursed_cents for line in draft.lines)
    cause = f"declaration:{declaration_id}"
    ledger = [LedgerEntry(EntryKind.ISSUED, Component.PRINCIPAL, gross, issued_at, cause)]
    if reimbursed:
        ledger.append(
            LedgerEntry(EntryKind.REIMBURSEMENT, Component.PRINCIPAL, -reimbursed, issued_at, cause)
        )
    addressee = first.debtor or first.patient
    issue_date: date = issued_at.date()
    final_payment_date = issue_date + timedelta(days=provider.payment_term_days)
    return Invoice(
        invoice_id=invoice_id_for(provider.provider_id, declaration_id, first),
        provider_id=provider.provider_id,
        declaration_id=declaration_id,
        reference=reference,
        patient_ref=first.patient_ref,
        bsn=first.bsn,
        birth_date=first.birth_date,
        patient=first.patient,
        debtor=first.debtor,
        channel=Channel.EMAIL if addressee.email else Channel.PAPER,
        issue_date=issue_date,
        final_payment_date=final_payment_date,
        lines=draft.lines,
        ledger=tuple(ledger),
        warnings=draft.warnings,
        next_check_on=provider.dunning.first_check_on(final_payment_date),
    )
