"""Use cases behind the provider API (R1, R26). The provider id always comes from the
verified token, and every lookup is keyed by it, so another tenant's ids find nothing."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from billing_core.changes.coulance import apply_coulance, proposal_for
from billing_core.changes.hold import put_on_hold
from billing_core.changes.stop import StopRequest, apply_stop
from billing_core.correspondence.confirmations import STOP_CONFIRMATION
from billing_core.declarations.record import DeclarationRecord, DeclarationStatus
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.updates import save_change
from billing_core.ports import BillingStore, DeliveryQueue, DeliveryRequest
from billing_core.providers.actions import ActionKind, ActionState, OpenAction
from billing_core.shared.clock import Clock
from billing_core.shared.errors import Refused

_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class UploadUrls(Protocol):
    """Hands out a URL that takes one HTTP PUT of the file (presigned S3 when deployed)."""

    def upload_url(self, object_key: str, expires_in_seconds: int) -> str: ...


@dataclass(frozen=True, slots=True)
class UploadTicket:
    declaration_id: str
    upload_url: str
    expires_at: datetime


def new_declaration_id(now: datetime) -> str:
    """Sorts by time (newest-first listings) and cannot be guessed."""
    return f"{now:%Y%m%d%H%M%S}-{secrets.token_hex(4)}"


def safe_file_name(file_name: str) -> str:
    """Keep the name recognisable but fit for an S3 key: no paths, no odd characters."""
    base = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE_IN_FILE_NAME.sub("_", base).strip("._") or "declaration.csv"
    return cleaned[:120]


def upload_key(provider_id: str, declaration_id: str, file_name: str) -> str:
    return f"incoming/{provider_id}/{declaration_id}/{file_name}"


def retour_upload_key(provider_id: str, upload_id: str, file_name: str) -> str:
    """Where the retour import (billing_core.retour) picks an insurer's retour file up."""
    return f"retour/{provider_id}/{upload_id}/{file_name}"


def request_upload(
    provider_id: str,
    file_name: str,
    *,
    store: BillingStore,
    urls: UploadUrls,
    clock: Clock,
    expires_in_seconds: int,
    key_for: Callable[[str, str, str], str] = upload_key,
) -> UploadTicket:
    """An upload URL for exactly one key of the token's provider (R26), registered as an
    upload awaiting its file, so its status and report are read the same way (R1).
    ``key_for(provider, upload id, file name)``: ``upload_key`` for a declaration,
    ``retour_upload_key`` for an insurer's retour file."""
    now = clock.now()
    name = safe_file_name(file_name)
    declaration_id = new_declaration_id(now)
    key = key_for(provider_id, declaration_id, name)
    store.put_declaration(
        DeclarationRecord(
            provider_id=provider_id,
            declaration_id=declaration_id,
            file_name=name,
            status=DeclarationStatus.AWAITING_UPLOAD,
            created_at=now,
            object_key=key,
        )
    )
    return UploadTicket(
        declaration_id=declaration_id,
        upload_url=urls.upload_url(key, expires_in_seconds),
        expires_at=now + timedelta(seconds=expires_in_seconds),
    )


def stop_invoice(
    provider_id: str,
    invoice_id: str,
    request: StopRequest,
    *,
    store: BillingStore,
    clock: Clock,
    delivery: DeliveryQueue,
    user: str,
) -> Invoice | None:
    """R21: book the stop (versioned, R28) and e-mail the patient the lowered amount with
    a pay link — never a new invoice. None when the provider has no such invoice."""
    invoice = store.get_invoice(provider_id, invoice_id)
    if invoice is None:
        return None
    now = clock.now()
    stop_id = f"stop-{now:%Y%m%d%H%M%S%f}"
    stored, _ = save_change(
        store,
        invoice,
        lambda current: apply_stop(current, request, now, f"provider:{user}:{stop_id}"),
    )
    if stored.addressee.email:
        delivery.enqueue(
            [DeliveryRequest(provider_id, invoice_id, kind=STOP_CONFIRMATION, event_id=stop_id)]
        )
    return stored


def hold_invoice(
    provider_id: str,
    invoice_id: str,
    until: date,
    reason: str,
    *,
    store: BillingStore,
    clock: Clock,
) -> Invoice | None:
    """R16: versioned like every invoice change (R28). None when the provider has no such invoice."""
    invoice = store.get_invoice(provider_id, invoice_id)
    if invoice is None:
        return None
    today = clock.today()
    stored, _ = save_change(
        store, invoice, lambda current: put_on_hold(current, until, reason, today)
    )
    return stored


# --- a coulance proposal (R17) -------------------------------------------------------------


class CoulanceDecision(StrEnum):
    APPLY = "apply"
    DECLINE = "decline"


def decide_coulance(
    provider_id: str,
    action_id: str,
    decision: CoulanceDecision,
    *,
    store: BillingStore,
    clock: Clock,
    delivery: DeliveryQueue,
    user: str,
) -> OpenAction | None:
    """R17: the provider applies or declines a coulance proposal; applying is the partial
    stop of R21 with its e-mail, over the figures of today (a payment since the statement
    is taken into account). Decided once: the same decision again changes nothing. None
    when the provider has no such action."""
    action = next((a for a in store.list_actions(provider_id) if a.action_id == action_id), None)
    if action is None:
        return None
    if action.kind is not ActionKind.COULANCE_PROPOSAL:
        raise Refused(
            "not_a_proposal",
            "Deze actie is geen coulancevoorstel.",
            "This action is not a coulance proposal.",
        )
    if "decision" in action.details:
        return action
    if decision is CoulanceDecision.APPLY:
        _apply_proposal(provider_id, action, store=store, clock=clock, delivery=delivery, user=user)
    decided = replace(
        action, state=ActionState.DONE, details={**action.details, "decision": decision.value}
    )
    store.put_action(decided)
    return decided


def _apply_proposal(
    provider_id: str,
    action: OpenAction,
    *,
    store: BillingStore,
    clock: Clock,
    delivery: DeliveryQueue,
    user: str,
) -> None:
    invoice = store.get_invoice(provider_id, action.invoice_id)
    provider = store.get_provider(provider_id)
    if invoice is None or provider is None or invoice.insurer_statement is None:
        raise LookupError(f"coulance proposal {action.action_id} without its invoice")
    now = clock.now()
    cause = f"provider:{user}:{action.action_id}"

    def forgive(current: Invoice) -> Invoice:
        assert current.insurer_statement is not None
        proposal = proposal_for(current, provider, current.insurer_statement)
        return apply_coulance(current, proposal, now, cause)

    stored, changed = save_change(store, invoice, forgive)
    if changed and stored.addressee.email:
        delivery.enqueue(
            [
                DeliveryRequest(
                    provider_id,
                    invoice.invoice_id,
                    kind=STOP_CONFIRMATION,
                    event_id=action.action_id,
                )
            ]
        )
