"""The weekly retrocession statement (R24): what moved on a provider's invoices in one week,
and what the provider is paid for it.

Who keeps what
--------------
Patients pay into zorgnota's collection account on the provider's behalf. Each week the
provider is paid

    payout = received - refunded - service fee

- received: payments less reversals (returned transfers, chargebacks) booked that week,
  on every component: principal, collection costs (BIK), statutory interest and the
  arrangement fee. All of it is passed on: the BIK and the interest are the creditor's
  damages (art. 6:96 and 6:119 BW, legal-nl.md §3, §4) and the creditor is the provider;
  the arrangement fee is configured per provider (R15). No rule gives any of it to
  zorgnota, which is paid by the service fee alone.
- refunded: money paid back to patients that week (an overpayment, R13). It left the
  collection account, so it comes off the payout.
- service fee: ``Provider.service_fee_percentage`` (default 3.5%) of what was received
  that week, rounded half-up to the cent once per statement (money.py). A week where more
  came back than came in has a negative fee: the fee on the returned money is given back.
  A refund does not lower the fee base: the money was received and handled.
- A negative payout (a week of returns and refunds) is what the provider owes; the
  statement shows it as it is.

The collection agency's report of money it collected on a claim handed over to it
(entries with cause ``agency:``, collection/collection_report.py) settles the claim but is
no money in the collection account: it is not received and not paid out; the statement
shows it as information, ``collected_by_agency``. The agency's transfer of that money is
received the week it arrives (payments/remittance.py: a bank payment, its figure
``remitted_by_agency`` information too). One money movement per euro, counted when it
reaches our account, so the statement reconciles with the bank to the cent (audit
AGENCY3; the owners' decision, which they may change).

Every other entry kind - issued, reimbursement deduction, coulance, stop, costs and
interest charged, arrangement fee charged - changes what the patient owes, not money in
the account: those lines are on the statement for the provider's books (R21: the coulance
shows here) and do not change the payout.

The lines are the ledger entries themselves (R27), with the ledger's sign: + raises what
the patient owes, - lowers it (a payment is negative). So the lines of all weeks add up
to the ledgers to the cent, per kind and in total. A week is an ISO week on the Dutch
calendar: Monday 00:00 up to the next Monday 00:00, Europe/Amsterdam; an entry belongs
to the week its moment falls in there (the weeks around a DST change are 167 and 169
hours long).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import Component, EntryKind, is_agency
from billing_core.providers.provider import Provider
from billing_core.providers.week import Week, in_amsterdam
from billing_core.shared.money import percentage_of
from billing_core.shared.spreadsheet import csv_rows, csv_text

# The kinds that are money in or out of the collection account (the rest is information),
# unless the collection agency's (``is_agency``): its report, not money in our account.
RECEIVED_KINDS = (EntryKind.PAYMENT, EntryKind.REVERSAL)


# --- the statement ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One ledger entry of the week, as the invoice's ledger has it (R27)."""

    at: datetime  # in Europe/Amsterdam
    reference: str  # the betalingskenmerk
    invoice_id: str
    kind: EntryKind
    component: Component
    amount_cents: int  # the ledger's sign: + raises what the patient owes
    cause: str  # "declaration:<id>", "psp:<id>", "bank:<ref>", "provider:<user id>"
    note: str


@dataclass(frozen=True, slots=True)
class Statement:
    """A provider's weekly retrocession statement (R24): the week's ledger lines and the service
    fee."""

    provider_id: str
    week: Week
    service_fee_percentage: Decimal
    lines: tuple[StatementLine, ...]

    def total(self, kind: EntryKind, component: Component | None = None) -> int:
        """The sum of the week's lines of one kind (and component), in the ledger's sign."""
        return sum(
            line.amount_cents
            for line in self.lines
            if line.kind is kind and (component is None or line.component is component)
        )

    @property
    def totals_by_kind(self) -> dict[EntryKind, int]:
        """Every kind, also those with nothing this week, in the ledger's sign."""
        return {kind: self.total(kind) for kind in EntryKind}

    @property
    def received_by_component(self) -> dict[Component, int]:
        """Money received per component (payments less reversals), positive when received;
        not what the agency reported collected (its transfer is received when it comes)."""
        received = {component: 0 for component in Component}
        for line in self.lines:
            if line.kind in RECEIVED_KINDS and not is_agency(line.cause):
                received[line.component] -= line.amount_cents
        return received

    @property
    def collected_by_agency_cents(self) -> int:
        """Information: what the collection agency reported collected this week. It settled
        the claims but is not in our account until the agency transfers it."""
        return -sum(
            line.amount_cents
            for line in self.lines
            if line.kind is EntryKind.PAYMENT and is_agency(line.cause)
        )

    @property
    def remitted_by_agency_cents(self) -> int:
        """Information: of ``received``, the agency's transfers of what it collected."""
        return sum(
            line.amount_cents
            for line in self.lines
            if line.kind is EntryKind.REVERSAL and is_agency(line.cause)
        )

    @property
    def received_cents(self) -> int:
        return sum(self.received_by_component.values())

    @property
    def refunded_cents(self) -> int:
        """Paid back to patients (REFUND entries raise the balance, so they are positive)."""
        return self.total(EntryKind.REFUND)

    @property
    def service_fee_cents(self) -> int:
        return percentage_of(self.received_cents, self.service_fee_percentage)

    @property
    def payout_cents(self) -> int:
        return self.received_cents - self.refunded_cents - self.service_fee_cents

    @property
    def invoice_count(self) -> int:
        return len({line.invoice_id for line in self.lines})


def build_statement(
    provider: Provider,
    week: Week,
    invoices: Iterable[Invoice],
    *,
    service_fee_percentage: Decimal | None = None,
) -> Statement:
    """The provider's statement of ``week``: every ledger entry of its invoices recorded in
    it (``LedgerEntry.recorded``: a payment dated last week but read this week is paid
    out now, not lost in a statement already built). The service fee is the one given
    (the week's own, retrocession_run.week_fee), else the provider's current one.

    The lines are in time order (then by kenmerk and ledger position), so the same ledgers
    always give the same statement, byte for byte once rendered.
    """
    keyed: list[tuple[tuple[datetime, str, int], StatementLine]] = []
    for invoice in invoices:
        if invoice.provider_id != provider.provider_id:
            raise ValueError("an invoice of another provider on this statement (R26)")
        for position, entry in enumerate(invoice.ledger):
            if in_amsterdam(entry.recorded) not in week:  # the week it reached the ledger
                continue
            at = in_amsterdam(entry.at)
            line = StatementLine(
                at,
                invoice.reference,
                invoice.invoice_id,
                entry.kind,
                entry.component,
                entry.amount_cents,
                entry.cause,
                entry.note,
            )
            keyed.append(((at, invoice.reference, position), line))
    keyed.sort(key=lambda pair: pair[0])
    return Statement(
        provider.provider_id,
        week,
        provider.service_fee_percentage
        if service_fee_percentage is None
        else service_fee_percentage,
        tuple(line for _, line in keyed),
    )


# --- where it is kept (interfaces.md §3) ------------------------------------------------------


def statement_key(provider_id: str, week: Week, extension: str) -> str:
    """retrocession/{provider}/{week}.csv|json in the output bucket."""
    if extension not in ("csv", "json"):
        raise ValueError(extension)
    return f"retrocession/{provider_id}/{week.label}.{extension}"


@dataclass(frozen=True, slots=True)
class StatementSummary:
    """What the list of statements shows per week; kept as a small table item."""

    provider_id: str
    week: Week
    service_fee_percentage: Decimal
    entries: int
    invoices: int
    received_cents: int
    refunded_cents: int
    service_fee_cents: int
    payout_cents: int
    totals_by_kind: dict[str, int]
    json_sha256: str  # of the JSON document: the same ledgers write the same bytes
    # Information: what the collection agency reported collected (not in received)
    collected_by_agency_cents: int = 0
    # Information: of received, the agency's transfers (the statement's remitted_by_agency).
    # None: an item stored before it was kept (remitted54); its statement file has it
    # (services/provider/statements.with_agency_transfers reads it from there, until
    # migration 15 stores it on the item).
    remitted_by_agency_cents: int | None = 0

    @classmethod
    def of(cls, statement: Statement, json_document: bytes) -> StatementSummary:
        return cls(
            provider_id=statement.provider_id,
            week=statement.week,
            service_fee_percentage=statement.service_fee_percentage,
            entries=len(statement.lines),
            invoices=statement.invoice_count,
            received_cents=statement.received_cents,
            refunded_cents=statement.refunded_cents,
            service_fee_cents=statement.service_fee_cents,
            payout_cents=statement.payout_cents,
            totals_by_kind={kind.value: cents for kind, cents in statement.totals_by_kind.items()},
            json_sha256=hashlib.sha256(json_document).hexdigest(),
            collected_by_agency_cents=statement.collected_by_agency_cents,
            remitted_by_agency_cents=statement.remitted_by_agency_cents,
        )


# --- renderings (JSON and CSV, R24) ----------------------------------------------------------

CSV_COLUMNS = (
    "record",
    "date",
    "at",
    "reference",
    "invoice_id",
    "kind",
    "component",
    "amount_cents",
    "amount_eur",
    "cause",
    "note",
)


def statement_document(statement: Statement) -> dict[str, Any]:
    """The JSON statement (the provider API's RetrocessionStatementOut has this shape)."""
    return {
        "provider_id": statement.provider_id,
        "week": statement.week.label,
        "period_start": statement.week.starts_at.isoformat(),
        "period_end": statement.week.ends_at.isoformat(),
        "currency": "EUR",
        "service_fee_percentage": str(statement.service_fee_percentage),
        "settlement": {
            "received": statement.received_cents,
            "refunded": statement.refunded_cents,
            "service_fee": statement.service_fee_cents,
            "payout": statement.payout_cents,
        },
        "received_by_component": {
            component.value: cents for component, cents in statement.received_by_component.items()
        },
        "totals_by_kind": {kind.value: cents for kind, cents in statement.totals_by_kind.items()},
        **_agency_information(statement),
        "invoices": statement.invoice_count,
        "lines": [
            {
                "date": line.at.date().isoformat(),
                "at": line.at.isoformat(),
                "reference": line.reference,
                "invoice_id": line.invoice_id,
                "kind": line.kind.value,
                "component": line.component.value,
                "amount": line.amount_cents,
                "cause": line.cause,
                "note": line.note,
            }
            for line in statement.lines
        ],
    }


def _agency_information(statement: Statement) -> dict[str, Any]:
    """The agency's figures, in a week that has them: information, not in the settlement
    (a week without them keeps the bytes it always had)."""
    figures = _agency_figures(statement)
    if not any(cents for _, cents, _ in figures):
        return {}
    return {"information": {name: cents for name, cents, _ in figures}}


def _agency_figures(statement: Statement) -> tuple[tuple[str, int, str], ...]:
    """(name, cents, what it is in Dutch and English)."""
    return (
        ("collected_by_agency", statement.collected_by_agency_cents, COLLECTED_BY_AGENCY),
        ("remitted_by_agency", statement.remitted_by_agency_cents, REMITTED_BY_AGENCY),
    )


COLLECTED_BY_AGENCY = (
    "geïnd door incassobureau: niet ontvangen op onze rekening, niet in de uitbetaling"
    " / collected by the collection agency: not received in our account, not in the payout"
)
REMITTED_BY_AGENCY = (
    "overgemaakt door incassobureau: in ontvangen"
    " / transferred by the collection agency: in received"
)


def statement_json(statement: Statement) -> bytes:
    return (json.dumps(statement_document(statement), indent=2, ensure_ascii=False) + "\n").encode()


def statement_csv(statement: Statement) -> bytes:
    """UTF-8, ``;``-separated (what Dutch spreadsheet software expects), one header row.

    ``record`` tells the rows apart: ``entry`` rows are the ledger entries (ledger sign),
    ``total`` rows the week's sum per kind (ledger sign), ``settlement`` rows the money:
    received, refunded, service_fee (as amounts) and payout = received - refunded -
    service_fee; in a week with the collection agency's money, ``information`` rows:
    collected_by_agency (not received) and remitted_by_agency (in received), with what
    each is in the note. Amounts in cents and as euro text with a decimal comma.
    """
    rows: list[tuple[Any, ...]] = [
        (
            "entry",
            line.at.date().isoformat(),
            line.at.isoformat(),
            line.reference,
            line.invoice_id,
            line.kind.value,
            line.component.value,
            line.amount_cents,
            euro_text(line.amount_cents),
            line.cause,
            line.note,
        )
        for line in statement.lines
    ]
    last_day = statement.week.sunday.isoformat()
    for kind, cents in statement.totals_by_kind.items():
        rows.append(_summary_row("total", last_day, kind.value, cents))
    settlement = (
        ("received", statement.received_cents),
        ("refunded", statement.refunded_cents),
        ("service_fee", statement.service_fee_cents),
        ("payout", statement.payout_cents),
    )
    rows += [_summary_row("settlement", last_day, name, cents) for name, cents in settlement]
    if _agency_information(statement):
        rows += [
            _summary_row("information", last_day, name, cents, note)
            for name, cents, note in _agency_figures(statement)
        ]
    return csv_text(CSV_COLUMNS, rows).encode("utf-8")


def _summary_row(record: str, day: str, kind: str, cents: int, note: str = "") -> tuple[Any, ...]:
    return (record, day, "", "", "", kind, "", cents, euro_text(cents), "", note)


def euro_text(cents: int) -> str:
    """-1234,56: a decimal comma and no thousands separator, for spreadsheets."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros},{rest:02d}"


def invoices_in_statement(body: bytes, output_format: str) -> list[str]:
    """The ids of the invoices whose lines a stored statement shows, each once, in their
    order: what its read names (R32, NEN 7513), read from the file as it was handed out
    (``statement_json`` or ``statement_csv``)."""
    if output_format == "json":
        ids = [line["invoice_id"] for line in json.loads(body)["lines"]]
    else:
        import csv  # only a CSV statement's read needs it

        rows = csv.DictReader(body.decode("utf-8-sig").splitlines(), delimiter=";")
        ids = [row["invoice_id"] for row in rows if row["record"] == "entry"]
    return list(dict.fromkeys(ids))


# --- the payout's state, added when the statement is read (issue 19 item 4) ------------------


def with_payout(body: bytes, output_format: str, payout: dict[str, Any]) -> bytes:
    """The stored statement with its payout's state (providers/payouts.payout_state): the
    file stays what the ledgers wrote (the same bytes on every rerun), the state is the
    batch's and the bank's of today."""
    if output_format == "json":
        document = json.loads(body)
        document["payout"] = payout
        return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()
    reference = payout.get("end_to_end_id", "")
    paid, batch = int(payout.get("paid", 0)), payout["batch_id"]
    rows = [
        _payout_row(step, paid, batch, day, reference)
        for step, day in payout.get("dates", {}).items()
    ]
    weeks = payout.get("weeks", [])
    if len(weeks) > 1:
        # One transfer for several weeks (a late or made-up statement): the JSON's weeks and
        # their statements' payout, so that each week's CSV does not read as paid on its own
        # (R24; audit risk56: its steps' amount stood in every one of those weeks' CSVs).
        together = int(payout["statement_payout"])
        rows.append(_payout_row("weeks", together, batch, reference=" ".join(weeks)))
    rows += [
        _payout_row(name, int(payout[name]), batch)
        for name in ("carried_in", "owed_again", "carried_out")
        if payout.get(name)
    ]
    if payout.get("repaid_in"):  # returned, and owed again in that batch
        rows.append(_payout_row("repaid_in", paid, payout["repaid_in"]))
    if payout["state"] in ("waiting", "carried"):
        rows.append(_payout_row(payout["state"], 0, batch))
    return body + csv_rows(rows).encode("utf-8")


def _payout_row(
    step: str, cents: int, batch: str, day: str = "", reference: str = ""
) -> tuple[str | int, ...]:
    """One row of the payout's part of the CSV: a step with its day, or an amount it carried,
    owed again or was repaid in (``batch``)."""
    return ("payout", day, "", "", "", step, "", cents, euro_text(cents), batch, reference)
