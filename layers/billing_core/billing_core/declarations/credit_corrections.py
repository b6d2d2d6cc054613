"""A credit line that reverses a line of an EARLIER upload corrects that earlier invoice
(vektis.md §1: D/C = C with REFERENTIENUMMER VOORGAANDE GERELATEERDE PRESTATIERECORD;
R3, R27, R28, R13).

Practice software corrects a treatment it declared before by sending, in a later file, a
credit line that names the line it reverses. A credit of a line in the same file is
netted on that file's invoice by invoicing (R4), settled by the same rule as here
(``given_back``; to the insurer with a line the insurer took); this module takes the others:

- The reversed line is found by its claim marker (R3): the invoice it is on.
- The credit becomes one more line of that invoice (negative, "Correctie: ..."), with two
  ledger entries (R27) caused by ``declaration:<new upload>`` and a note naming both
  lines: ISSUED with the credit's negative amount, and REIMBURSEMENT giving back the part
  of the insurer's deduction that belonged to the credited part (in proportion: a full
  credit gives back exactly what was deducted). So gross, reimbursement and the invoice
  amount (``original_amount_cents``) stay the sums of the invoice's lines.
- Idempotent on the credit line's own reference: the line on the invoice is the record
  (booking it again changes nothing, also after a concurrent write, R28), and its claim
  marker, pointing at the earlier invoice, is how a repeated upload and a retour file
  find it.
- Refused, with a reason in the report (the credit line is left out), when the reversed
  line is unknown, belongs to another patient, is itself a credit, was credited in full
  already, or has less left than the credit.
- A reversed line that went to the insurer (its marker has no invoice): the credit goes
  to the insurer-claim export too.
- A paid invoice then shows the overpayment as credit (R13); an unpaid one the lower
  amount. Forgiven money (stop, coulance: R21) is not money the patient paid: the part of
  a forgiveness the correction made unnecessary is booked back (same kind, positive), so
  the credit shown never exceeds what the patient paid.
- The addressee of an invoice that was sent, and is not at the collection agency, gets
  an ``invoice_corrected`` confirmation (by e-mail, or on paper without an address that
  works: R7, legal-nl.md §7; correspondence/kinds.py) once per upload and invoice:
  keyed on the upload whose entries booked the credit, so a retry, or the same file
  processed at the same moment (which reports the credit as already processed), asks
  for the same event again.

CSV (interfaces.md §1a) has no column for the reversed line: its negative lines are
rated on their own in their own file (invoicing warns when that settles one unlike a
look-alike line of the patient), so this applies to Vektis EI uploads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from billing_core.collection.blocking import block_follows_claim
from billing_core.correspondence.kinds import tell_invoice_corrected
from billing_core.declarations.claims import Claim, canonical_reference
from billing_core.declarations.credit_shares import given_back, without_needless_forgiveness
from billing_core.declarations.findings import Finding, Severity
from billing_core.declarations.invoicing import (
    CREDIT_OF_INSURER_LINE,
    CREDIT_OF_INSURER_REASON,
    InsurerClaimLine,
)
from billing_core.invoices.invoice import Invoice, InvoiceLine
from billing_core.invoices.ledger import (
    Component,
    EntryKind,
    LedgerEntry,
)
from billing_core.invoices.updates import save_change
from billing_core.ports import BillingStore, DeliveryQueue, KnownClaim
from billing_core.shared import reference as betalingskenmerk
from billing_core.shared.clock import Clock
from billing_core.shared.money import euro_params


class CreditRefused(Exception):
    """The credit line does not fit the line it names; the report says why."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def split_earlier_credits(claims: Sequence[Claim]) -> tuple[list[Claim], list[Claim]]:
    """(claims to invoice, credit lines of lines that are not among them). A line that is
    not among them was invoiced by an earlier upload, or never was: the markers tell."""
    here = {claim.claim_ref for claim in claims}
    to_invoice: list[Claim] = []
    earlier: list[Claim] = []
    for claim in claims:
        reverses = claim.reverses_claim_ref
        (earlier if reverses and reverses not in here else to_invoice).append(claim)
    return to_invoice, earlier


# --- the invoice, pure -----------------------------------------------------------------------


def left_of(invoice: Invoice, line: InvoiceLine) -> tuple[int, int]:
    """(amount, reimbursement) of a line minus what credit lines of it took off."""
    credits = [other for other in invoice.lines if other.reverses_claim_ref == line.claim_ref]
    return (
        line.amount_cents + sum(credit.amount_cents for credit in credits),
        line.reimbursed_cents + sum(credit.reimbursed_cents for credit in credits),
    )


def with_credit(invoice: Invoice, credit: Claim, at: datetime, cause: str) -> Invoice:
    """The invoice with the credit line booked, or the same invoice when it already is.
    Raises CreditRefused when the credit does not fit. Pure (R28: applied again on a
    fresh read after a concurrent write)."""
    if any(line.claim_ref == credit.claim_ref for line in invoice.lines):
        return invoice
    target = _reversed_line(invoice, credit)
    amount_left, reimbursed_left = left_of(invoice, target)
    credited = -credit.amount_cents
    if amount_left <= 0:
        raise CreditRefused(
            "CREDIT_LINE_ALREADY_REVERSED",
            reference=target.claim_ref,
            kenmerk=betalingskenmerk.grouped(invoice.reference),
        )
    if credited > amount_left:
        raise CreditRefused(
            "CREDIT_EXCEEDS_LINE",
            reference=target.claim_ref,
            **euro_params("amount", credited),
            **euro_params("left", amount_left),
        )
    reimbursed = given_back(credited, amount_left, reimbursed_left)
    line = _credit_line(credit, target, -reimbursed)
    note = _credit_note(credit)
    entries = [LedgerEntry(EntryKind.ISSUED, Component.PRINCIPAL, -credited, at, cause, note)]
    if reimbursed:
        entries.append(
            LedgerEntry(EntryKind.REIMBURSEMENT, Component.PRINCIPAL, reimbursed, at, cause, note)
        )
    corrected = replace(invoice, lines=(*invoice.lines, line)).with_entries(entries)
    return without_needless_forgiveness(corrected, at, cause, note)


def _credit_note(credit: Claim) -> str:
    return f"credit line {credit.claim_ref} reverses line {credit.reverses_claim_ref}"


def _booked_by(invoice: Invoice, credit: Claim, default: str) -> str:
    """The cause of the entry that booked the credit line on the invoice: which upload
    made that change (``default`` when no entry says so)."""
    note = _credit_note(credit)
    return next(
        (e.cause for e in invoice.ledger if e.kind is EntryKind.ISSUED and e.note == note),
        default,
    )


def with_credits(
    invoice: Invoice, credits: Iterable[Claim], at: datetime, cause: str
) -> tuple[Invoice, dict[str, CreditRefused | None]]:
    """Each credit in turn (a second credit of one line sees the first); per credit line
    None when booked (now or before), or why not. The same invoice when nothing changed."""
    outcomes: dict[str, CreditRefused | None] = {}
    current = invoice
    for credit in credits:
        try:
            current = with_credit(current, credit, at, cause)
            outcomes[credit.claim_ref] = None
        except CreditRefused as refused:
            outcomes[credit.claim_ref] = refused
    return current, outcomes


def _reversed_line(invoice: Invoice, credit: Claim) -> InvoiceLine:
    reverses = credit.reverses_claim_ref
    target = next((line for line in invoice.lines if line.claim_ref == reverses), None)
    if target is None:  # a marker without its line: treat it as the unknown line it is
        raise CreditRefused("CREDIT_LINE_UNKNOWN", reference=reverses)
    if credit.patient_key != (invoice.patient_ref, invoice.bsn):
        raise CreditRefused("CREDIT_LINE_OTHER_PATIENT", reference=reverses)
    if target.amount_cents < 0:
        raise CreditRefused("CREDIT_LINE_IS_CREDIT", reference=reverses)
    return target


def _credit_line(credit: Claim, target: InvoiceLine, reimbursed_cents: int) -> InvoiceLine:
    return InvoiceLine(
        claim_ref=credit.claim_ref,
        treatment_date=credit.treatment_date,
        # It takes back part of the line it reverses: care of that line's insurer.
        coverage_date=target.coverage_date,
        treatment_code=credit.treatment_code,
        description=credit.description,
        line_type=target.line_type,
        quantity=credit.quantity,
        unit_price_cents=credit.unit_price_cents,
        reimbursed_cents=reimbursed_cents,
        insurer_uzovi=credit.insurer_uzovi,
        reverses_claim_ref=target.claim_ref,
        contracted=target.contracted,  # as the line it takes back was decided (R31)
    )


# --- the use case ---------------------------------------------------------------------------


@dataclass
class CreditRun:
    """What the credit lines of earlier lines did, for the upload's report."""

    findings: list[Finding] = field(default_factory=list)
    insurer_lines: list[InsurerClaimLine] = field(default_factory=list)
    booked: int = 0
    lowered_cents: int = 0  # what the earlier invoices ask of patients less, together
    # Credit lines another upload of the same file booked at the same moment (R3): by
    # claim reference, its marker as that upload writes it.
    booked_elsewhere: dict[str, KnownClaim] = field(default_factory=dict)

    def refuse(self, credit: Claim, code: str, params: dict[str, Any]) -> None:
        self.findings.append(_finding(code, Severity.CLAIM, credit, params))


def book_earlier_credits(
    provider_id: str,
    declaration_id: str,
    credits: Sequence[Claim],
    *,
    store: BillingStore,
    delivery: DeliveryQueue,
    clock: Clock,
) -> CreditRun:
    """Book each credit line on the invoice of the line it reverses (see the module)."""
    run = CreditRun()
    if not credits:
        return run
    markers = store.known_claims(provider_id, (c.reverses_claim_ref for c in credits))
    credits, markers = _named_as_stored(provider_id, credits, markers, store)
    per_invoice: dict[str, list[Claim]] = {}
    for credit in credits:
        marker = markers.get(credit.reverses_claim_ref)
        if marker is None:
            run.refuse(credit, "CREDIT_LINE_UNKNOWN", {"reference": credit.reverses_claim_ref})
        elif not marker.invoice_id:
            run.insurer_lines.append(InsurerClaimLine(credit, CREDIT_OF_INSURER_REASON))
            params = {"reference": credit.reverses_claim_ref}
            warning = _finding(CREDIT_OF_INSURER_LINE, Severity.WARNING, credit, params)
            run.findings.append(warning)
        else:
            per_invoice.setdefault(marker.invoice_id, []).append(credit)
    cause = f"declaration:{declaration_id}"
    for invoice_id, group in per_invoice.items():
        _book_on_invoice(
            run,
            provider_id,
            declaration_id,
            invoice_id,
            group,
            cause,
            store=store,
            delivery=delivery,
            clock=clock,
        )
    return run


def _named_as_stored(
    provider_id: str,
    credits: Sequence[Claim],
    markers: dict[str, KnownClaim],
    store: BillingStore,
) -> tuple[Sequence[Claim], dict[str, KnownClaim]]:
    """R3, R40: a CSV upload stored the all-digit line 000123 as 123 (canonical_reference),
    while the practice software's Vektis credit names it as it declared it, 000123. A
    reversed line not known as written is looked up so (one more request, only for a file
    with such credits), and the credit then names it as it is stored: as the invoice line
    it takes back is named (retour.py reads a retour's lines the same way)."""
    canonical = {
        reverses: as_stored
        for reverses, as_stored in (
            (c.reverses_claim_ref, canonical_reference(c.reverses_claim_ref)) for c in credits
        )
        if reverses not in markers and as_stored != reverses
    }
    found = store.known_claims(provider_id, canonical.values()) if canonical else {}
    if not found:
        return credits, markers
    named = [
        replace(c, reverses_claim_ref=canonical[c.reverses_claim_ref])
        if canonical.get(c.reverses_claim_ref) in found
        else c
        for c in credits
    ]
    return named, {**markers, **found}


def _book_on_invoice(
    run: CreditRun,
    provider_id: str,
    declaration_id: str,
    invoice_id: str,
    credits: list[Claim],
    cause: str,
    *,
    store: BillingStore,
    delivery: DeliveryQueue,
    clock: Clock,
) -> None:
    invoice = store.get_invoice(provider_id, invoice_id)
    if invoice is None:  # a marker without its invoice: never written apart (store_new)
        raise LookupError(f"claim marker points to a missing invoice {invoice_id}")
    at = clock.now()
    outcomes: dict[str, CreditRefused | None] = {}

    def change(current: Invoice) -> Invoice:
        corrected, found = with_credits(current, credits, at, cause)
        outcomes.clear()
        outcomes.update(found)
        return corrected

    stored, _ = save_change(store, invoice, change)
    # Also when nothing changed now: a retry repairs a crash after the save (R22).
    block_follows_claim(store, stored, clock)
    on_invoice = [credit for credit in credits if outcomes[credit.claim_ref] is None]
    # Booked by this upload, now or by an attempt killed after its save: not by another
    # upload of the same file, processed at the same moment, that saved first.
    causes = {credit.claim_ref: _booked_by(stored, credit, cause) for credit in on_invoice}
    booked = [credit for credit in on_invoice if causes[credit.claim_ref] == cause]
    for credit in credits:
        refused = outcomes[credit.claim_ref]
        if refused is not None:
            run.refuse(credit, refused.code, refused.params)
    for credit in on_invoice:
        by = causes[credit.claim_ref].removeprefix("declaration:")
        if by != declaration_id:
            run.booked_elsewhere[credit.claim_ref] = KnownClaim(credit.claim_ref, by, invoice_id)
    if booked:
        # After the invoice: a crash in between is repaired by the retry, which finds the
        # lines booked and writes the markers then.
        store.add_claim_markers(declaration_id, stored, [c.claim_ref for c in booked])
        _report_booked(run, stored, booked)
    # One message per change, under the event of the upload that made it, however often
    # it is asked for: the delivery sends each (kind, event) once (R3).
    tell_invoice_corrected(stored, causes.values(), delivery)


def _report_booked(run: CreditRun, invoice: Invoice, booked: list[Claim]) -> None:
    lines = {line.claim_ref: line for line in invoice.lines}
    kenmerk = betalingskenmerk.grouped(invoice.reference)
    for credit in booked:
        lowered = -lines[credit.claim_ref].patient_share_cents
        run.booked += 1
        run.lowered_cents += lowered
        if invoice.is_with_collection_agency:
            code = "CREDIT_INVOICE_WITH_COLLECTION_AGENCY"
            run.findings.append(_finding(code, Severity.WARNING, credit, {"kenmerk": kenmerk}))
        params = {
            "kenmerk": kenmerk,
            "declaration_id": invoice.declaration_id,
            "reference": credit.reverses_claim_ref,
            **euro_params("amount", lowered),
        }
        run.findings.append(
            _finding("CREDIT_BOOKED_ON_EARLIER_INVOICE", Severity.WARNING, credit, params)
        )


def _finding(code: str, severity: Severity, credit: Claim, params: dict[str, Any]) -> Finding:
    return Finding(
        code, severity, line=credit.line_number, claim_ref=credit.claim_ref, params=params
    )
