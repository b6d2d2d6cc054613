"""Domain objects <-> DynamoDB items of the single table.

Key design (one table, pk/sk):
  PROVIDER#{p}                 SETTINGS                 provider settings
  PROVIDER#{p}                 DECLARATION#{id}         upload record (listed by begins_with)
  PROVIDER#{p}                 ACTION#{utc iso}#{id}    open action for the provider (R23)
  PROVIDER#{p}#CLAIM#{ref}     CLAIM                    R3 idempotency: who invoiced this line
  PROVIDER#{p}#INVOICE#{id}    INVOICE                  the invoice aggregate with its ledger
  SEQUENCE#reference           SEQUENCE                 betalingskenmerk counter
The provider is part of every tenant key, so an id of another tenant finds nothing (R26).
GSIs: by-reference (gsi1pk = REF#{reference}), by-provider (gsi2pk/gsi2sk listing).
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from datetime import UTC, date, datetime
from typing import Any

from billing_core.actions import ActionKind, ActionState, OpenAction
from billing_core.claims import Address, Language, LineType, Person
from billing_core.declarations.record import DeclarationRecord, DeclarationStatus
from billing_core.invoice import (
    Arrangement,
    ArrangementStatus,
    ArrangementTerm,
    Channel,
    Correspondence,
    Deferral,
    DunningStage,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
)
from billing_core.ledger import Component, EntryKind, LedgerEntry
from billing_core.providers import Provider

Item = dict[str, Any]


def provider_key(provider_id: str) -> Item:
    return {"pk": f"PROVIDER#{provider_id}", "sk": "SETTINGS"}


def declaration_key(provider_id: str, declaration_id: str) -> Item:
    return {"pk": f"PROVIDER#{provider_id}", "sk": f"DECLARATION#{declaration_id}"}


def action_key(action: OpenAction) -> Item:
    """Sorted by creation in UTC: local offsets (+01:00/+02:00) would not sort across DST."""
    created = action.created_at.astimezone(UTC).isoformat()
    return {"pk": f"PROVIDER#{action.provider_id}", "sk": f"ACTION#{created}#{action.action_id}"}


def claim_key(provider_id: str, claim_ref: str) -> Item:
    return {"pk": f"PROVIDER#{provider_id}#CLAIM#{claim_ref}", "sk": "CLAIM"}


def invoice_key(provider_id: str, invoice_id: str) -> Item:
    return {"pk": f"PROVIDER#{provider_id}#INVOICE#{invoice_id}", "sk": "INVOICE"}


SEQUENCE_KEY: Item = {"pk": "SEQUENCE#reference", "sk": "SEQUENCE"}


# --- provider ---------------------------------------------------------------------------


def provider_to_item(provider: Provider) -> Item:
    return {**provider_key(provider.provider_id), **provider.model_dump(mode="json")}


def provider_from_item(item: Item) -> Provider:
    return Provider.model_validate({k: v for k, v in item.items() if k not in ("pk", "sk")})


# --- declaration ------------------------------------------------------------------------


def declaration_to_item(record: DeclarationRecord) -> Item:
    item = {
        **declaration_key(record.provider_id, record.declaration_id),
        "entity": "declaration",
        **asdict(record),
        "status": record.status.value,
        "created_at": record.created_at.isoformat(),
        "processed_at": record.processed_at.isoformat() if record.processed_at else None,
    }
    return {k: v for k, v in item.items() if v is not None}


def declaration_from_item(item: Item) -> DeclarationRecord:
    block = item.get("reference_block_start")
    return DeclarationRecord(
        provider_id=item["provider_id"],
        declaration_id=item["declaration_id"],
        file_name=item["file_name"],
        status=DeclarationStatus(item["status"]),
        created_at=datetime.fromisoformat(item["created_at"]),
        object_key=item.get("object_key", ""),
        reference_block_start=int(block) if block is not None else None,
        reference_block_size=int(item.get("reference_block_size", 0)),
        processed_at=_optional_datetime(item.get("processed_at")),
        outcome=item.get("outcome", ""),
        summary=_plain(item.get("summary", {})),
        report_key=item.get("report_key", ""),
    )


# --- claim ------------------------------------------------------------------------------


def claim_to_item(provider_id: str, claim_ref: str, declaration_id: str, invoice_id: str) -> Item:
    """invoice_id is "" for a line that went to the insurer instead of the patient."""
    return {
        **claim_key(provider_id, claim_ref),
        "entity": "claim",
        "declaration_id": declaration_id,
        "invoice_id": invoice_id,
    }


# --- invoice ----------------------------------------------------------------------------


def invoice_to_item(invoice: Invoice) -> Item:
    return {
        **invoice_key(invoice.provider_id, invoice.invoice_id),
        "entity": "invoice",
        "gsi1pk": f"REF#{invoice.reference}",
        "gsi2pk": f"PROVIDER#{invoice.provider_id}#INVOICES",
        "gsi2sk": f"{invoice.issue_date.isoformat()}#{invoice.invoice_id}",
        "invoice_id": invoice.invoice_id,
        "provider_id": invoice.provider_id,
        "declaration_id": invoice.declaration_id,
        "reference": invoice.reference,
        "patient_ref": invoice.patient_ref,
        "bsn": invoice.bsn,
        "birth_date": invoice.birth_date.isoformat(),
        "patient": _person_to_map(invoice.patient),
        "debtor": _person_to_map(invoice.debtor) if invoice.debtor else None,
        "channel": invoice.channel.value,
        "issue_date": invoice.issue_date.isoformat(),
        "final_payment_date": invoice.final_payment_date.isoformat(),
        "lines": [_line_to_map(line) for line in invoice.lines],
        "ledger": [_entry_to_map(entry) for entry in invoice.ledger],
        "warnings": list(invoice.warnings),
        "debtor_risk_with_provider": invoice.debtor_risk_with_provider,
        "status": invoice.status.value,
        "correspondence": [_letter_to_map(letter) for letter in invoice.correspondence],
        "deferral": _deferral_to_map(invoice.deferral) if invoice.deferral else None,
        "arrangement": _arrangement_to_map(invoice.arrangement) if invoice.arrangement else None,
        "hold_until": invoice.hold_until.isoformat() if invoice.hold_until else None,
        "hold_reason": invoice.hold_reason,
        "dunning_stage": invoice.dunning_stage.value,
        "applied_payments": list(invoice.applied_payments),
        "version": invoice.version,
    }


def invoice_from_item(item: Item) -> Invoice:
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
        ledger=tuple(_entry_from_map(m) for m in item["ledger"]),
        warnings=tuple(item.get("warnings", ())),
        debtor_risk_with_provider=bool(item.get("debtor_risk_with_provider", False)),
        status=InvoiceStatus(item["status"]),
        correspondence=tuple(_letter_from_map(m) for m in item.get("correspondence", ())),
        # Items written before deferrals, arrangements and dunning existed load with defaults.
        deferral=_deferral_from_map(item["deferral"]) if item.get("deferral") else None,
        arrangement=_arrangement_from_map(item["arrangement"]) if item.get("arrangement") else None,
        hold_until=_optional_date(item.get("hold_until")),
        hold_reason=item.get("hold_reason", ""),
        dunning_stage=DunningStage(item.get("dunning_stage", DunningStage.NONE.value)),
        applied_payments=tuple(item.get("applied_payments", ())),
        version=int(item["version"]),
    )


# --- open action -----------------------------------------------------------------------


def action_to_item(action: OpenAction) -> Item:
    return {
        **action_key(action),
        "entity": "action",
        "action_id": action.action_id,
        "provider_id": action.provider_id,
        "kind": action.kind.value,
        "invoice_id": action.invoice_id,
        "reference": action.reference,
        "created_at": action.created_at.isoformat(),
        "state": action.state.value,
        "details": dict(action.details),
    }


def action_from_item(item: Item) -> OpenAction:
    return OpenAction(
        action_id=item["action_id"],
        provider_id=item["provider_id"],
        kind=ActionKind(item["kind"]),
        invoice_id=item["invoice_id"],
        reference=item["reference"],
        created_at=datetime.fromisoformat(item["created_at"]),
        state=ActionState(item["state"]),
        details=_plain(item.get("details", {})),
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


def _line_to_map(line: InvoiceLine) -> Item:
    return {
        **asdict(line),
        "treatment_date": line.treatment_date.isoformat(),
        "line_type": line.line_type.value,
    }


def _line_from_map(m: Item) -> InvoiceLine:
    return InvoiceLine(
        claim_ref=m["claim_ref"],
        treatment_date=date.fromisoformat(m["treatment_date"]),
        treatment_code=m["treatment_code"],
        description=m["description"],
        line_type=LineType(m["line_type"]),
        quantity=int(m["quantity"]),
        unit_price_cents=int(m["unit_price_cents"]),
        reimbursed_cents=int(m["reimbursed_cents"]),
        insurer_uzovi=m["insurer_uzovi"],
    )


def _entry_to_map(entry: LedgerEntry) -> Item:
    return {
        "kind": entry.kind.value,
        "component": entry.component.value,
        "amount_cents": entry.amount_cents,
        "at": entry.at.isoformat(),
        "cause": entry.cause,
        "note": entry.note,
    }


def _entry_from_map(m: Item) -> LedgerEntry:
    return LedgerEntry(
        kind=EntryKind(m["kind"]),
        component=Component(m["component"]),
        amount_cents=int(m["amount_cents"]),
        at=datetime.fromisoformat(m["at"]),
        cause=m["cause"],
        note=m.get("note", ""),
    )


def _letter_to_map(letter: Correspondence) -> Item:
    return {
        "kind": letter.kind,
        "channel": letter.channel.value,
        "at": letter.at.isoformat(),
        "message_id": letter.message_id,
        "event_id": letter.event_id,
    }


def _letter_from_map(m: Item) -> Correspondence:
    return Correspondence(
        kind=m["kind"],
        channel=Channel(m["channel"]),
        at=datetime.fromisoformat(m["at"]),
        message_id=m["message_id"],
        event_id=m.get("event_id", ""),
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
        cancelled_at=_optional_datetime(m.get("cancelled_at")),
        ledger_start=int(m.get("ledger_start", 0)),
    )


def _optional_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _optional_datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _plain(value: Any) -> Any:
    """DynamoDB hands numbers back as Decimal; summaries are plain JSON again."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
