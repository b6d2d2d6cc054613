"""Domain objects <-> DynamoDB items of the single table; the keys come from ``keys``.
Here the aggregates every function reads or writes (invoices, providers, actions, claims);
upload records, insurer registers, statements and settings versions have their own
``*_items`` modules, loaded by the repository methods that use them (cold start).

Key design (one table, pk/sk):
  PROVIDER#{p}                 SETTINGS                 provider settings (with their version)
  PROVIDER#{p}                 SETTINGSVERSION#{n}      R31: who changed what when, per version
  PROVIDER#{p}                 DECLARATION#{id}         upload record (listed by begins_with)
  PROVIDER#{p}                 ACTION#{id}              open action for the provider (R23)
  PROVIDER#{p}                 RETROCESSION#{week}      weekly statement totals (R24)
  PROVIDER#{p}                 PATIENTBLOCK#{patient}   R22: the claims at the agency that block
                                                        the patient (kept, empty, once unblocked,
                                                        until BLOCK_RETENTION after the unblock)
  PROVIDER#{p}                 BLOCKCHANGE#{utc}#{n}#{patient}  R22 change log: blocked or
                                                        unblocked; n = the block's version;
                                                        expires BLOCK_RETENTION after the change
  PROVIDER#{p}#CLAIM#{ref}     CLAIM                    R3 idempotency: who invoiced this line
                                                        (an insurer's line: and the patient's
                                                        invoice of its upload, legal-nl.md §6)
  PROVIDER#{p}#INVOICE#{id}    INVOICE                  the invoice aggregate with its ledger
  PROVIDER#{p}#LEDGERWEEK#{w}  INVOICE#{id}             the invoice had a ledger entry recorded in
                                                        ISO week w: the retrocession's read (R24)
  SEQUENCE#reference           SEQUENCE                 betalingskenmerk counter
  RUN#agency-updates           WRITTEN                  the last day whose agency files the
                                                        dunning run wrote (R34)
  RUN#agency-updates           OWED                     the days whose agency file was written
                                                        without a stored invoice that did not
                                                        load: written again by the next runs
  RUN#parts                    {function}#{day}#{run}#  a part of a run in parts its function
                               {hash}                   finished, with its answer (parts58;
                                                        expires 15 days after: run_parts.py);
                                                        {run}# absent for a part queued
                                                        before runs had ids
  REFERENCE#{kenmerk}          REFERENCE                the one invoice that carries this
                                                        betalingskenmerk (issue 13 item 1)
  AGB#{code}                   AGB                      the provider that holds this AGB code (R31,
                                                        interfaces.md §6); none once released
  PSP#{psp payment id}         CHECKOUT                 an online payment we started (R11)
  BANK#{iban}#TRANSFER#{id}    CREDIT                   which booked payment a return undoes (R12)
  TRANSFERBATCH#{kind}         {batch id}               a payout or refund batch (R34), as one
                                                        JSON document with its version
  TRANSFERBATCHLIST#{kind}     VERSION                  one up with every batch of the kind
                                                        created: proposals are checked on it (R28)
  INSURERS                     VERSION#{version}        an insurer register version an operator loaded (R33)
The provider is part of every tenant key, so an id of another tenant finds nothing (R26).
A settled invoice, its REFERENCE# marker and its lines' CLAIM markers carry the table's TTL
``expires_at`` (retention_expiry, legal-nl.md §8); an open one has none. The CLAIM marker
of a line that went to the insurer ends with its upload record (insurer_claim_expiry).
An invoice's ACTION# items get it when the TTL removes the invoice (the expired-invoices
stream, expire_invoice_actions); an action about no invoice a year after it was set done.
GSIs: by-reference (gsi1pk = REF#{reference}), by-provider (gsi2pk/gsi2sk listing),
by-next-action (sparse: gsi3pk = DUNNING, gsi3sk = {day}#{provider}#{patient}#{invoice} on
invoices the daily run must look at on that day; one patient's invoices due the same day
sit together, so the run can put them in one reminder), by-credit (sparse: gsi4pk = CREDIT,
gsi4sk = {provider}#{issue date}#{invoice} on invoices whose ledger holds a patient's
credit or a PSP refund of it still pending, R13: the back office's list of credit to
refund and the Monday run's count of refunds pending read those only, R34, R39; and
every action, gsi4pk = PROVIDER#{p}#ACTIONS, gsi4sk = {utc created}#{action id} for a done
one, OPEN#{utc created}#{action id} for an open one: a page of the practice's action list,
or of its open actions, is one Query, R23, R35; and each bank credit nobody matched yet,
gsi4pk = BANK#UNMATCHED, gsi4sk = {booking date}#{credit id}, off it once matched: a page
of the operator's list of them is one Query, R34, payment_links).
On by-provider: invoices (gsi2pk = PROVIDER#{p}#INVOICES, gsi2sk = {issue date}#{id}),
every provider's settings (gsi2pk = PROVIDERS, gsi2sk = provider id: the weekly
retrocession run lists the providers with a Query), and each invoice's actions
(gsi2pk = PROVIDER#{p}#INVOICE#{id}#ACTIONS, gsi2sk = {utc created}#{action id}).

An action is keyed by its id alone, so finding one (to mark it done or decide on it) is
one GetItem; the provider's lists are pages of its partition of the by-credit index,
sorted by creation in UTC, the open ones under their own prefix (openact57); the invoice
page queries its own actions on by-provider, not every action of the tenant. Invoices
carry their derived ``payment_status`` (from the ledger alone), written on every save,
so a status filter runs in the Query and every page of the list is full.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, fields
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from billing_core.adapters.dynamo import keys
from billing_core.collection.blocking import BlockChange, BlockChangeKind, PatientBlock
from billing_core.declarations.claims import Address, Language, LineType, Person
from billing_core.invoices.invoice import (
    Arrangement,
    ArrangementStatus,
    ArrangementTerm,
    Channel,
    Correspondence,
    CoveredInvoice,
    Deferral,
    DunningStage,
    InsurerStatement,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    PendingLetter,
    Reminder,
)
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.invoices.name_search import searchable_names
from billing_core.invoices.payment_status import ledger_payment_status
from billing_core.invoices.retention import kept_until
from billing_core.ports import KnownClaim, action_position
from billing_core.providers.actions import ActionKind, ActionState, OpenAction
from billing_core.providers.week import Week
from billing_core.shared.clock import AMSTERDAM

Item = dict[str, Any]

# Retrocession statements and what they are built from: 7 full years after their year.
STATEMENT_RETENTION = timedelta(days=2922)
# Processing reports (reports/, template.yaml), and the upload records that name them.
REPORT_RETENTION = timedelta(days=2922)
# A patient's block changes and an unblocked block (patient number, when blocked or
# unblocked): legal-nl.md §8 names no period; kept as the audit of reads is, 8 years after
# the change, never longer than the claims they were about (settled at the unblock, so kept
# to the end of the 7th year after), and never for ever (R39, audit retention54).
BLOCK_RETENTION = timedelta(days=2922)


# --- claim ------------------------------------------------------------------------------


def claim_to_item(
    provider_id: str,
    claim_ref: str,
    declaration_id: str,
    invoice_id: str,
    patient_invoice_id: str = "",
) -> Item:
    """invoice_id is "" for a line that went to the insurer instead of the patient; such a
    line's patient_invoice_id (KnownClaim) is stored when there is one."""
    item = {
        **keys.claim_key(provider_id, claim_ref),
        "entity": "claim",
        "declaration_id": declaration_id,
        "invoice_id": invoice_id,
    }
    if patient_invoice_id:
        item["patient_invoice_id"] = patient_invoice_id
    return item


def known_claim_from_item(item: Item) -> KnownClaim:
    return KnownClaim(
        keys.claim_ref_of(item["pk"]),
        item["declaration_id"],
        item["invoice_id"],
        item.get("patient_invoice_id", ""),  # none on markers written before it existed
    )


def insurer_claim_expiry(processed_at: datetime | None) -> Item:
    """The TTL of an insurer-bound line's marker (it names no invoice): as the record of
    the upload it came in (``REPORT_RETENTION`` after processing) and its insurer-claims
    file (2,922 days, template.yaml), so no marker outlives them (legal-nl.md §8, R39).
    A retour that makes the line the patient's hands the marker to that invoice."""
    if processed_at is None:
        return {}
    return {"expires_at": expires_at(processed_at, REPORT_RETENTION)}


def invoice_claim_to_item(invoice: Invoice, claim_ref: str, declaration_id: str) -> Item:
    """The marker of a line on ``invoice``: it serves that invoice only, so it expires
    with it (legal-nl.md §8)."""
    marker = claim_to_item(invoice.provider_id, claim_ref, declaration_id, invoice.invoice_id)
    return marker | retention_expiry(invoice.ledger)


def reference_marker_to_item(invoice: Invoice) -> Item:
    """Ids only: which provider's invoice holds the kenmerk; it expires with the invoice."""
    return {
        **keys.reference_marker_key(invoice.reference),
        "entity": "reference",
        "provider_id": invoice.provider_id,
        "invoice_id": invoice.invoice_id,
        **retention_expiry(invoice.ledger),
    }


def reference_holder(item: Item) -> tuple[str, str]:
    """(provider id, invoice id) of a reference marker."""
    return item["provider_id"], item["invoice_id"]


# --- invoice ----------------------------------------------------------------------------


def dunning_index_key(invoice: Invoice) -> Item:
    """The sparse by-next-action keys, or none: the daily run queries, never scans (R18)."""
    day = invoice.dunning_check_day
    if day is None:
        return {}
    position = keys.dunning_position(
        day, invoice.provider_id, invoice.patient_ref, invoice.invoice_id
    )
    return {"gsi3pk": keys.DUNNING_INDEX, "gsi3sk": position}


def credit_index_key(invoice: Invoice) -> Item:
    """The sparse by-credit keys while the invoice holds credit or a PSP refund of it is
    pending (``credit_or_refund_pending``), or none. From the ledger alone, written with
    the whole item on every save: a payment, refund or correction that makes or ends the
    credit moves the invoice on or off the index in its own write, so the index is never
    behind the ledger (R13, R28)."""
    # Imported here, not at every handler's start (bench (d)): only a save of an invoice needs it.
    from billing_core.payments.refunds import credit_or_refund_pending

    if not credit_or_refund_pending(invoice):
        return {}
    position = keys.credit_position(invoice.provider_id, invoice.issue_date, invoice.invoice_id)
    return {"gsi4pk": keys.CREDIT_INDEX, "gsi4sk": position}


def invoice_to_item(invoice: Invoice) -> Item:
    return {
        **keys.invoice_key(invoice.provider_id, invoice.invoice_id),
        **dunning_index_key(invoice),
        **credit_index_key(invoice),
        "entity": "invoice",
        "gsi1pk": keys.reference_partition(invoice.reference),
        "gsi2pk": keys.invoice_list_partition(invoice.provider_id),
        "gsi2sk": keys.invoice_position(invoice.issue_date, invoice.invoice_id),
        "invoice_id": invoice.invoice_id,
        "provider_id": invoice.provider_id,
        "declaration_id": invoice.declaration_id,
        "reference": invoice.reference,
        "patient_ref": invoice.patient_ref,
        "bsn": invoice.bsn,
        "birth_date": invoice.birth_date.isoformat(),
        "patient": _person_to_map(invoice.patient),
        "names": searchable_names(invoice),  # the list's name search (issue 16)
        "debtor": _person_to_map(invoice.debtor) if invoice.debtor else None,
        "channel": invoice.channel.value,
        "issue_date": invoice.issue_date.isoformat(),
        "final_payment_date": invoice.final_payment_date.isoformat(),
        "lines": [_line_to_map(line) for line in invoice.lines],
        "ledger": [_entry_to_map(entry) for entry in invoice.ledger],
        "warnings": list(invoice.warnings),
        "debtor_risk_with_provider": invoice.debtor_risk_with_provider,
        "status": invoice.status.value,
        "payment_status": ledger_payment_status(invoice).value,  # the list's filter
        "correspondence": [_letter_to_map(letter) for letter in invoice.correspondence],
        "deferral": _deferral_to_map(invoice.deferral) if invoice.deferral else None,
        "arrangement": _arrangement_to_map(invoice.arrangement) if invoice.arrangement else None,
        "hold_until": invoice.hold_until.isoformat() if invoice.hold_until else None,
        "hold_reason": invoice.hold_reason,
        "hold_days_used": invoice.hold_days_used,
        "hold_by": invoice.hold_by,
        "dunning_stage": invoice.dunning_stage.value,
        "reminder": _reminder_to_map(invoice.reminder) if invoice.reminder else None,
        "costs_charged_on": _optional_iso(invoice.costs_charged_on),
        "costs_decided_on": _optional_iso(invoice.costs_decided_on),
        "handed_over_on": _optional_iso(invoice.handed_over_on),
        "handover_pending": invoice.handover_pending,
        "handover_entries": invoice.handover_entries,
        "next_check_on": _optional_iso(invoice.next_check_on),
        "letters_due": [_pending_to_map(letter) for letter in invoice.letters_due],
        "insurer_statement": (
            _statement_to_map(invoice.insurer_statement) if invoice.insurer_statement else None
        ),
        "applied_payments": list(invoice.applied_payments),
        "bounced_emails": list(invoice.bounced_emails),
        "sent_final_payment_date": _optional_iso(invoice.sent_final_payment_date),
        "print_batch_day": _optional_iso(invoice.print_batch_day),
        "paper_messages": [_pending_to_map(letter) for letter in invoice.paper_messages],
        "version": invoice.version,
        **retention_expiry(invoice.ledger),
    }


def retention_expiry(ledger: Sequence[LedgerEntry]) -> Item:
    """The table's TTL on a settled invoice and on the markers that serve only it: the
    end of the last day it is kept, Europe/Amsterdam (legal-nl.md §8); none while it is
    open. Every save writes the whole item, so a reopened invoice loses it."""
    return expiry_after(kept_until(ledger))


def expiry_after(last_day: date | None) -> Item:
    """The TTL at the end of ``last_day`` in the Netherlands; none (kept) for None."""
    if last_day is None:
        return {}
    day_after = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=AMSTERDAM)
    return {"expires_at": expires_at(day_after, timedelta(0))}


def ledger_week_items(invoice: Invoice) -> list[Item]:
    """One marker per week in which an entry new to the table was recorded; kept as long
    as the statements of that week (legal-nl.md §8), then expired by the table's TTL."""
    weeks = {Week.containing(entry.recorded) for entry in invoice.new_entries}
    return [
        {
            **keys.ledger_week_key(invoice.provider_id, week.label, invoice.invoice_id),
            "entity": "ledger_week",
            "invoice_id": invoice.invoice_id,
            "expires_at": expires_at(week.ends_at, STATEMENT_RETENTION),
        }
        for week in sorted(weeks)
    ]


def expires_at(moment: datetime, kept: timedelta) -> int:
    """The table's TTL attribute: epoch seconds after which DynamoDB deletes the item."""
    return int((moment + kept).timestamp())


def invoice_from_item(item: Item) -> Invoice:
    ledger = tuple(_entry_from_map(m) for m in item["ledger"])
    return Invoice(
        invoice_id=item["invoice_id"],
        provider_id=item["provider_id"],
        declaration_id=item["declaration_id"],
        reference=item["reference"],
        patient_ref=item["patient_ref"],
        bsn=item["bsn"],
        birth_date=date.fromisoformat(item["birth_date"]),
        patient=_person_from_map(item["patient"]),
        debtor=_person_from_map(item["debtor"]) if item.get("debtor") else None,
        channel=Channel(item["channel"]),
        issue_date=date.fromisoformat(item["issue_date"]),
        final_payment_date=date.fromisoformat(item["final_payment_date"]),
        lines=tuple(_line_from_map(m) for m in item["lines"]),
        ledger=ledger,
        warnings=tuple(item.get("warnings", ())),
        debtor_risk_with_provider=bool(item.get("debtor_risk_with_provider", False)),
        status=InvoiceStatus(item["status"]),
        correspondence=tuple(_letter_from_map(m) for m in item.get("correspondence", ())),
        # Items written before deferrals, arrangements and dunning existed load with defaults.
        deferral=_deferral_from_map(item["deferral"]) if item.get("deferral") else None,
        arrangement=_arrangement_from_map(item["arrangement"]) if item.get("arrangement") else None,
        hold_until=_optional_date(item.get("hold_until")),
        hold_reason=item.get("hold_reason", ""),
        hold_days_used=int(item.get("hold_days_used", 0)),
        hold_by=item.get("hold_by", ""),
        dunning_stage=DunningStage(item.get("dunning_stage", DunningStage.NONE.value)),
        reminder=_reminder_from_map(item["reminder"]) if item.get("reminder") else None,
        costs_charged_on=_optional_date(item.get("costs_charged_on")),
        costs_decided_on=_optional_date(item.get("costs_decided_on")),
        handed_over_on=_optional_date(item.get("handed_over_on")),
        handover_pending=bool(item.get("handover_pending", False)),
        handover_entries=_optional_int(item.get("handover_entries")),
        next_check_on=_optional_date(item.get("next_check_on")),
        letters_due=tuple(_pending_from_map(m) for m in item.get("letters_due", ())),
        insurer_statement=(
            _statement_from_map(item["insurer_statement"])
            if item.get("insurer_statement")
            else None
        ),
        applied_payments=tuple(item.get("applied_payments", ())),
        bounced_emails=tuple(item.get("bounced_emails", ())),
        # None on an invoice sent before it was kept (invoice_copy.sent_final_payment_date).
        sent_final_payment_date=_optional_date(item.get("sent_final_payment_date")),
        print_batch_day=_optional_date(item.get("print_batch_day")),
        paper_messages=tuple(_pending_from_map(m) for m in item.get("paper_messages", ())),
        version=int(item["version"]),
        stored_entries=len(ledger),
    )


# --- open action -----------------------------------------------------------------------


def action_to_item(action: OpenAction) -> Item:
    return {
        **keys.action_key(action.provider_id, action.action_id),
        **_invoice_actions_index_key(action),
        **action_list_index_key(action),
        "entity": "action",
        "action_id": action.action_id,
        "provider_id": action.provider_id,
        "kind": action.kind.value,
        "invoice_id": action.invoice_id,
        "reference": action.reference,
        "created_at": action.created_at.isoformat(),
        "state": action.state.value,
        "details": dict(action.details),
        **({"patient_ref": action.patient_ref} if action.patient_ref else {}),
    }


def _invoice_actions_index_key(action: OpenAction) -> Item:
    """Listed with its invoice, oldest first, for the invoice page."""
    if not action.invoice_id:
        return {}
    return {
        "gsi2pk": keys.invoice_actions_partition(action.provider_id, action.invoice_id),
        "gsi2sk": action_position(action.created_at, action.action_id),
    }


def action_list_index_key(action: OpenAction) -> Item:
    """Listed with the provider's actions, oldest first, a page a Query (R23, R35); the
    open ones under their own prefix."""
    return {
        "gsi4pk": keys.action_list_partition(action.provider_id),
        "gsi4sk": action_list_sort_key(action, action.state),
    }


def action_list_sort_key(action: OpenAction, state: ActionState) -> str:
    """``action``'s place in its practice's list in ``state``: an open one under
    keys.OPEN_ACTIONS, so the open list reads none of the done ones (openact57); every
    write of a state writes this with it."""
    return listed_at(action_position(action.created_at, action.action_id), state)


def listed_at(position: str, state: ActionState) -> str:
    """The action list's sort key of an ``action_position`` in ``state``."""
    return keys.OPEN_ACTIONS + position if state is ActionState.OPEN else position


def action_from_item(item: Item) -> OpenAction:
    return OpenAction(
        action_id=item["action_id"],
        provider_id=item["provider_id"],
        kind=ActionKind(item["kind"]),
        invoice_id=item["invoice_id"],
        reference=item["reference"],
        created_at=datetime.fromisoformat(item["created_at"]),
        state=ActionState(item["state"]),
        details=plain_json(item.get("details", {})),
        patient_ref=item.get("patient_ref", ""),
    )


def _person_to_map(person: Person) -> Item:
    return {
        "initials": person.initials,
        "name_prefix": person.name_prefix,
        "last_name": person.last_name,
        "address": asdict(person.address),
        "email": person.email,
        "mobile": person.mobile,
        "language": person.language.value,
    }


def _person_from_map(m: Item) -> Person:
    return Person(
        initials=m["initials"],
        name_prefix=m["name_prefix"],
        last_name=m["last_name"],
        address=Address(**m["address"]),
        email=m["email"],
        mobile=m["mobile"],
        language=Language(m["language"]),
    )


# InvoiceLine holds only scalars: reading its fields does what asdict's recursive deep copy
# did, at a tenth of the cost (one map per treatment line of an ingest, #18).
_LINE_FIELDS = tuple(f.name for f in fields(InvoiceLine))


def _line_to_map(line: InvoiceLine) -> Item:
    return {
        **{name: getattr(line, name) for name in _LINE_FIELDS},
        "treatment_date": line.treatment_date.isoformat(),
        "coverage_date": line.coverage_date.isoformat(),
        "line_type": line.line_type.value,
    }


def _line_from_map(m: Item) -> InvoiceLine:
    return InvoiceLine(
        claim_ref=m["claim_ref"],
        treatment_date=date.fromisoformat(m["treatment_date"]),
        # Lines stored before they kept it were judged on their treatment date: read so.
        coverage_date=date.fromisoformat(m.get("coverage_date") or m["treatment_date"]),
        treatment_code=m["treatment_code"],
        description=m["description"],
        line_type=LineType(m["line_type"]),
        quantity=int(m["quantity"]),
        unit_price_cents=int(m["unit_price_cents"]),
        reimbursed_cents=int(m["reimbursed_cents"]),
        insurer_uzovi=m["insurer_uzovi"],
        # Lines stored before credit corrections existed have no reference.
        reverses_claim_ref=m.get("reverses_claim_ref", ""),
        # Lines stored before the decision was kept have none (coulance.was_contracted).
        contracted=m.get("contracted"),
    )


def _entry_to_map(entry: LedgerEntry) -> Item:
    return {
        "kind": entry.kind.value,
        "component": entry.component.value,
        "amount_cents": entry.amount_cents,
        "at": entry.at.isoformat(),
        "cause": entry.cause,
        "note": entry.note,
        "recorded_at": entry.recorded_at.isoformat() if entry.recorded_at else None,
        # Only on a stop asked with a key: not one more attribute on every entry.
        **({"request_fingerprint": entry.request_fingerprint} if entry.request_fingerprint else {}),
    }


def _entry_from_map(m: Item) -> LedgerEntry:
    return LedgerEntry(
        kind=EntryKind(m["kind"]),
        component=Component(m["component"]),
        amount_cents=int(m["amount_cents"]),
        at=datetime.fromisoformat(m["at"]),
        cause=m["cause"],
        note=m.get("note", ""),
        recorded_at=optional_datetime(m.get("recorded_at")),
        request_fingerprint=m.get("request_fingerprint", ""),
    )


def _letter_to_map(letter: Correspondence) -> Item:
    return {
        "kind": letter.kind,
        "channel": letter.channel.value,
        "at": letter.at.isoformat(),
        "message_id": letter.message_id,
        "event_id": letter.event_id,
        "kept_key": letter.kept_key,
    }


def _letter_from_map(m: Item) -> Correspondence:
    return Correspondence(
        kind=m["kind"],
        channel=Channel(m["channel"]),
        at=datetime.fromisoformat(m["at"]),
        message_id=m["message_id"],
        event_id=m.get("event_id", ""),
        kept_key=m.get("kept_key", ""),  # letters e-mailed before their PDF was kept
    )


def _deferral_to_map(deferral: Deferral) -> Item:
    return {"granted_at": deferral.granted_at.isoformat(), "until": deferral.until.isoformat()}


def _deferral_from_map(m: Item) -> Deferral:
    return Deferral(
        granted_at=datetime.fromisoformat(m["granted_at"]), until=date.fromisoformat(m["until"])
    )


def _arrangement_to_map(arrangement: Arrangement) -> Item:
    return {
        "created_at": arrangement.created_at.isoformat(),
        "terms": [
            {"due_date": term.due_date.isoformat(), "amount_cents": term.amount_cents}
            for term in arrangement.terms
        ],
        "fee_cents": arrangement.fee_cents,
        "status": arrangement.status.value,
        "cancelled_at": (
            arrangement.cancelled_at.isoformat() if arrangement.cancelled_at else None
        ),
        "ledger_start": arrangement.ledger_start,
        "kept_by": arrangement.kept_by,
    }


def _arrangement_from_map(m: Item) -> Arrangement:
    return Arrangement(
        created_at=datetime.fromisoformat(m["created_at"]),
        terms=tuple(
            ArrangementTerm(date.fromisoformat(t["due_date"]), int(t["amount_cents"]))
            for t in m["terms"]
        ),
        fee_cents=int(m["fee_cents"]),
        status=ArrangementStatus(m["status"]),
        cancelled_at=optional_datetime(m.get("cancelled_at")),
        ledger_start=int(m.get("ledger_start", 0)),
        kept_by=m.get("kept_by", ""),
    )


def _reminder_to_map(reminder: Reminder) -> Item:
    return {
        "letter_id": reminder.letter_id,
        "sent_on": reminder.sent_on.isoformat(),
        "channel": reminder.channel.value,
        "received_on": reminder.received_on.isoformat(),
        "final_date": reminder.final_date.isoformat(),
        "decided_on": _optional_iso(reminder.decided_on),
        "undelivered": reminder.undelivered,
        "covers": [
            {
                "invoice_id": c.invoice_id,
                "reference": c.reference,
                "principal_cents": c.principal_cents,
                "costs_cents": c.costs_cents,
                "fee_cents": c.fee_cents,
            }
            for c in reminder.covers
        ],
    }


def _reminder_from_map(m: Item) -> Reminder:
    return Reminder(
        letter_id=m["letter_id"],
        sent_on=date.fromisoformat(m["sent_on"]),
        channel=Channel(m["channel"]),
        received_on=date.fromisoformat(m["received_on"]),
        final_date=date.fromisoformat(m["final_date"]),
        decided_on=_optional_date(m.get("decided_on")),
        undelivered=bool(m.get("undelivered", False)),
        covers=tuple(
            CoveredInvoice(
                c["invoice_id"],
                c["reference"],
                int(c["principal_cents"]),
                int(c["costs_cents"]),
                int(c.get("fee_cents", 0)),  # reminders stored before the fee was recorded
            )
            for c in m["covers"]
        ),
    )


def _statement_to_map(statement: InsurerStatement) -> Item:
    return {
        "reimbursed_cents": statement.reimbursed_cents,
        "withheld_deductible_cents": statement.withheld_deductible_cents,
        "received_at": statement.received_at.isoformat(),
        "proposal_open": statement.proposal_open,
        "adjusted_at": _optional_iso(statement.adjusted_at),
    }


def _statement_from_map(m: Item) -> InsurerStatement:
    return InsurerStatement(
        int(m["reimbursed_cents"]),
        int(m["withheld_deductible_cents"]),
        datetime.fromisoformat(m["received_at"]),
        proposal_open=bool(m.get("proposal_open", False)),
        adjusted_at=optional_datetime(m.get("adjusted_at")),
    )


def _pending_to_map(letter: PendingLetter) -> Item:
    return {
        "kind": letter.kind,
        "event_id": letter.event_id,
        "since": letter.since.isoformat(),
        "print_batch_day": _optional_iso(letter.print_batch_day),
        "kept_key": letter.kept_key,
    }


def _pending_from_map(m: Item) -> PendingLetter:
    since, print_batch_day = (
        date.fromisoformat(m["since"]),
        _optional_date(m.get("print_batch_day")),
    )
    # No kept_key: recorded before it was (a letter's print batch only), or not yet.
    return PendingLetter(m["kind"], m["event_id"], since, print_batch_day, m.get("kept_key", ""))


def _optional_iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _optional_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _optional_int(value: Decimal | None) -> int | None:
    """A number as DynamoDB gives it back, or None when the item has none."""
    return None if value is None else int(value)


def optional_datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def plain_json(value: Any) -> Any:
    """DynamoDB hands numbers back as Decimal; summaries are plain JSON again."""
    if isinstance(value, dict):
        return {k: plain_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_json(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# --- blocked patients (R22) -------------------------------------------------------------------


def patient_block_to_item(block: PatientBlock) -> Item:
    """``blocked_at`` only while blocked: the list of blocked patients filters on it.
    ``changed_at``, the last change's moment, also after an unblock (audit agency AGENCY1).
    An unblocked one expires as its change does (``block_expiry``); a block writes the
    whole item, so blocking again takes the expiry away."""
    item: Item = {
        **keys.patient_block_key(block.provider_id, block.patient_ref),
        "entity": "patient_block",
        "provider_id": block.provider_id,
        "patient_ref": block.patient_ref,
        "invoice_ids": list(block.invoice_ids),
        "version": block.version,
    }
    if block.changed_at is not None:
        item["changed_at"] = block.changed_at.isoformat()
        if block.is_blocked:
            item["blocked_at"] = item["changed_at"]
        else:
            item["expires_at"] = block_expiry(block.changed_at)
    if block.bsn:  # only while blocked (blocking.without_claim clears it)
        item["bsn"] = block.bsn
    return item


def patient_block_from_item(item: Item) -> PatientBlock:
    """A block stored before ``changed_at`` was kept has ``blocked_at`` while blocked, and
    no moment once unblocked."""
    return PatientBlock(
        provider_id=item["provider_id"],
        patient_ref=item["patient_ref"],
        invoice_ids=tuple(item.get("invoice_ids", ())),
        changed_at=optional_datetime(item.get("changed_at") or item.get("blocked_at")),
        version=int(item["version"]),
        bsn=item.get("bsn", ""),
    )


def block_change_to_item(change: BlockChange, version: int) -> Item:
    """``version``: the block's version after the change; two changes of one patient at the
    same moment keep their order."""
    return {
        **keys.block_change_key(change.provider_id, change.at, version, change.patient_ref),
        "entity": "block_change",
        "provider_id": change.provider_id,
        "patient_ref": change.patient_ref,
        "change": change.change.value,
        "at": change.at.isoformat(),
        "expires_at": block_expiry(change.at),
    }


def block_expiry(changed_at: datetime) -> int:
    """The TTL of a block change and of an unblocked block (``BLOCK_RETENTION``)."""
    return expires_at(changed_at, BLOCK_RETENTION)


def block_change_from_item(item: Item) -> BlockChange:
    return BlockChange(
        provider_id=item["provider_id"],
        patient_ref=item["patient_ref"],
        change=BlockChangeKind(item["change"]),
        at=datetime.fromisoformat(item["at"]),
    )
