"""What waits for the practice (R23): its open actions, marked done or open again, and
the decision on a coulance proposal (R17), which closes the action."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from billing_core.changes.coulance import (
    apply_coulance,
    proposal_as_now,
    proposal_decided,
    proposal_for,
)
from billing_core.correspondence.kinds import COULANCE_DECLINED, STOP_CONFIRMATION, reaches_patient
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import booked_by
from billing_core.invoices.updates import save_change
from billing_core.ports import ConcurrentChange, DeliveryRequest
from billing_core.providers.actions import ActionKind, ActionState, OpenAction
from billing_core.providers.users import ProviderUser, Role
from billing_core.services.inputs import InvalidInput
from billing_core.services.provider.access import tenant_for
from billing_core.services.provider.context import ProviderContext
from billing_core.shared.audit import ReadKind, naming_patient, patients_named
from billing_core.shared.errors import practice_refused


class CoulanceDecision(StrEnum):
    APPLY = "apply"
    DECLINE = "decline"


def count_open_actions(
    user: ProviderUser, ctx: ProviderContext, title: Callable[[str, Mapping[str, Any]], str]
) -> Counter[str]:
    """How many open actions there are under each ``title`` (of an action's kind and
    details: the overview's card, R23, R35): one Query of the open range of the action
    list's index (openact57; migrations 16 and 17 put older ones there). Counts only, no
    patient or invoice shown: no read is recorded
    (R32, NEN 7513: a read names what it showed; the actions page records its own)."""
    provider_id = tenant_for(user, Role.VIEWER)
    open_actions = ctx.store.list_actions(provider_id, ActionState.OPEN)
    return Counter(title(action.kind, action.details) for action in open_actions)


# The actions an API page holds at most: one answer of every action passed Lambda's 6 MB
# (actionpages56: done objections are kept as long as their invoice). The largest action
# is an objection with the longest message the checker takes, 2,000 characters: 10,292 B
# of JSON in Arabic, 24,292 B in astral characters (emoji, escaped as surrogate pairs), so
# 100 are at most 1.0 MB and 2.4 MB.
ACTION_PAGE = 100


def list_actions_page(
    user: ProviderUser,
    state: ActionState | None,
    limit: int,
    after: str | None,
    ctx: ProviderContext,
) -> tuple[list[OpenAction], str | None]:
    """A page of the actions, oldest first (only ``state`` ones when given), at most
    ``limit``, and the position of the next page (None on the last): ``after`` is the one the page before gave (InvalidPosition for
    one no page hands out). Only the page's actions are recorded as shown (R32), and
    only its undecided proposals read as now (R35)."""
    provider_id = tenant_for(user, Role.VIEWER)
    actions, following = ctx.store.action_page(provider_id, state, limit, after)
    ctx.record_shown(user, ReadKind.PATIENT_LIST, "actions", _named(provider_id, actions, ctx))
    return as_now(actions, ctx), following


def _named(provider_id: str, actions: list[OpenAction], ctx: ProviderContext) -> list[str]:
    """What the list's read names (R32, NEN 7513): the patient of each action's invoice,
    as an invoice list's read names them (kept with the action; for one stored before it
    was, read in one request a hundred invoices), then every action and its invoice."""
    invoice_ids = [a.invoice_id for a in actions if a.invoice_id and not _patient_kept(a)]
    numbers = ctx.store.patient_numbers(provider_id, invoice_ids) if invoice_ids else {}
    shown = patients_named(_patient_kept(a) or numbers.get(a.invoice_id, "") for a in actions)
    for action in actions:
        shown += [f"action:{action.action_id}"]
        shown += [f"invoice:{action.invoice_id}"] if action.invoice_id else []
    return shown


def as_now(actions: list[OpenAction], ctx: ProviderContext) -> list[OpenAction]:
    """``actions`` as the practice decides on them: an undecided coulance proposal with
    the figures of its invoice as it stands now, what "apply" would forgive now (R17,
    R23; changes/coulance.proposal_as_now), not those of the day the statement came.
    Reads the invoice of each undecided proposal only."""
    undecided = [a for a in actions if _undecided_proposal(a)]
    if not undecided:
        return actions
    provider = ctx.store.cached_provider(undecided[0].provider_id)
    if provider is None:
        return actions
    now: dict[str, OpenAction] = {}
    for action in undecided:
        invoice = ctx.store.get_invoice(action.provider_id, action.invoice_id)
        if invoice is not None:
            now[action.action_id] = proposal_as_now(action, invoice, provider)
    return [now.get(a.action_id, a) for a in actions]


def get_action(user: ProviderUser, action_id: str, ctx: ProviderContext) -> OpenAction | None:
    """One action (interfaces.md §7); None for an unknown id or another practice's: the
    lookup is keyed by the token's tenant (R26). Its details name a patient: audited."""
    return _shown(user, ctx.store.get_action(tenant_for(user, Role.VIEWER), action_id), ctx)


def _shown(
    user: ProviderUser, action: OpenAction | None, ctx: ProviderContext
) -> OpenAction | None:
    """``action`` of ``user``'s practice, recorded as read by them (R32, NEN 7513): every
    answer that shows one, the action itself or a change's, goes through here."""
    if action is None:
        return None
    patient = _patient_of(action, ctx)
    ctx.record_read(user, ReadKind.ACTION, naming_patient(action.action_id, patient))
    [shown] = as_now([action], ctx)
    return shown


def _patient_of(action: OpenAction, ctx: ProviderContext) -> str:
    """The patient number of ``action``'s invoice, which its read names (R32): kept with
    it, else (an action stored before it was kept) its invoice's number, read alone (one
    projected read, as a list of actions reads them); "" for none."""
    number = _patient_kept(action)
    if number or not action.invoice_id:
        return number
    numbers = ctx.store.patient_numbers(action.provider_id, [action.invoice_id])
    return numbers.get(action.invoice_id, "")


def _patient_kept(action: OpenAction) -> str:
    """The patient number the action holds: its own, or its details' (a handover's, a
    quote's, stored before actions kept it)."""
    return action.patient_ref or str(action.details.get("patient_ref", ""))


@dataclass(frozen=True, slots=True)
class HandoversThisWeek:
    since: date  # this week's Monday, in Dutch time
    count: int


def handed_over_this_week(user: ProviderUser, ctx: ProviderContext) -> HandoversThisWeek:
    """The claims handed to the collection agency from this Monday to today, in Dutch
    time (R19): a count, no patient data, so no audit."""
    provider_id = tenant_for(user, Role.VIEWER)
    today = ctx.clock.today()
    monday = today - timedelta(days=today.weekday())
    return HandoversThisWeek(monday, len(ctx.store.handovers_between(provider_id, monday, today)))


def update_action(
    user: ProviderUser,
    action_id: str,
    state: ActionState,
    decision: CoulanceDecision | None,
    ctx: ProviderContext,
) -> OpenAction | None:
    """Set the state; a decision on a coulance proposal closes it, so it comes with
    ``state`` done. None when the provider has no such action (or no longer: its TTL
    removed it). Refused (409) when another change set another state between this read
    and its write (R28): the state is written on condition of the one read. The answer
    is the action, its details naming the patient: a read (R32)."""
    return _shown(user, _updated(user, action_id, state, decision, ctx), ctx)


def _updated(
    user: ProviderUser,
    action_id: str,
    state: ActionState,
    decision: CoulanceDecision | None,
    ctx: ProviderContext,
) -> OpenAction | None:
    provider_id = tenant_for(user, Role.STAFF)
    if decision is None:
        action = _action_to_set(provider_id, action_id, state, ctx)
        if action is None:
            return None
        try:
            return ctx.store.set_action_state(action, state, ctx.clock.today())
        except ConcurrentChange:
            raise practice_refused("action_changed") from None
    if state is not ActionState.DONE:
        raise InvalidInput("body.state", "decision_closes_action")
    return decide_coulance(user, action_id, decision, ctx)


def _action_to_set(
    provider_id: str, action_id: str, state: ActionState, ctx: ProviderContext
) -> OpenAction | None:
    """The action as read, refused when ``state`` may not be set on it. The patient told
    not to pay yet hears the lowered amount or the refusal (R17, legal-nl.md §7), so a
    coulance proposal is closed by its decision alone (400, not marked done), and a
    decided one stays closed (409: the decision was carried out and the patient told)."""
    action = ctx.store.get_action(provider_id, action_id)
    if action is not None and state is ActionState.DONE and _undecided_proposal(action):
        # R28: a colleague's decision may have landed since that read; the refusal is for
        # a proposal still undecided (the decided one is answered as done).
        action = ctx.store.get_action(provider_id, action_id)
        if action is not None and _undecided_proposal(action):
            raise InvalidInput("body.decision", "coulance_decision")
    if action is not None and state is ActionState.OPEN and "decision" in action.details:
        raise practice_refused("proposal_already_decided", said_as="decided_proposal_stays")
    return action


def _undecided_proposal(action: OpenAction) -> bool:
    return action.kind is ActionKind.COULANCE_PROPOSAL and "decision" not in action.details


def decide_coulance(
    user: ProviderUser,
    action_id: str,
    decision: CoulanceDecision,
    ctx: ProviderContext,
) -> OpenAction | None:
    """R17: the provider applies or declines a coulance proposal; applying is the partial
    stop of R21 with its e-mail, over the figures of today (a payment since the statement
    is taken into account). None when the provider has no such action.

    Decided once, with what it books (R28, R38): the decision is written in the
    transaction that carries it out on the invoice (which closes the invoice's proposal),
    on condition that the action has none yet. So of two decisions at the same moment
    one wins and only that one is carried out, the other is refused (409); and one whose
    invoice keeps changing past the store's retries writes nothing at all
    (ConcurrentChange: the action stays open, to be decided again). The same decision
    again answers the action as decided and finishes what an earlier call left undone;
    once the invoice's proposal is closed it books nothing more."""
    provider_id = tenant_for(user, Role.STAFF)
    action = ctx.store.get_action(provider_id, action_id)
    if action is None:
        return None
    if action.kind is not ActionKind.COULANCE_PROPOSAL:
        raise practice_refused("not_a_proposal")
    if "decision" not in action.details:
        # Applied, it keeps the figures "apply" books, as the list showed them (R17, R23):
        # a payment since the statement leaves less to forgive than was proposed then.
        [now] = as_now([action], ctx) if decision is CoulanceDecision.APPLY else [action]
        decided = replace(
            now, state=ActionState.DONE, details={**now.details, "decision": decision.value}
        )
        if _carry_out(provider_id, decided, user.user_id, ctx, deciding=True):
            return decided
        # Nothing to carry out: a decision closed the invoice's proposal since the read;
        # the conditional write answers the action as that one left it (R28).
        action = ctx.store.decide_action(decided)
        if action is None:
            return None
    if action.details["decision"] != decision.value:
        raise practice_refused("proposal_already_decided")
    _carry_out(provider_id, action, user.user_id, ctx, deciding=False)
    return action


def _carry_out(
    provider_id: str, action: OpenAction, user: str, ctx: ProviderContext, *, deciding: bool
) -> bool:
    """Whether the invoice was changed. ``deciding``: ``action``'s decision is written
    with the change (none without it); else it was written by an earlier call."""
    if action.details["decision"] == CoulanceDecision.APPLY.value:
        return _apply_proposal(provider_id, action, user, ctx, deciding=deciding)
    return _decline_proposal(provider_id, action, ctx, deciding=deciding)


def _apply_proposal(
    provider_id: str, action: OpenAction, user: str, ctx: ProviderContext, *, deciding: bool
) -> bool:
    """The coulance booked while the invoice's proposal is open (once closed, by this
    decision or another, nothing is booked again)."""
    invoice = ctx.store.get_invoice(provider_id, action.invoice_id)
    provider = ctx.store.get_provider(provider_id)
    if invoice is None or provider is None or invoice.insurer_statement is None:
        raise LookupError(f"coulance proposal {action.action_id} without its invoice")
    now = ctx.clock.now()
    cause = f"provider:{user}:{action.action_id}"

    def forgive(current: Invoice) -> Invoice:
        assert current.insurer_statement is not None
        if not current.insurer_statement.proposal_open:
            return current
        proposal = proposal_for(current, provider, current.insurer_statement)
        decided = proposal_decided(current, ctx.clock.today())
        return apply_coulance(
            decided, proposal, now, cause, payment_term_days=provider.payment_term_days
        )

    stored, changed = save_change(ctx.store, invoice, forgive, decided=_written(action, deciding))
    if deciding and not changed:
        return False
    # The new amount and its date, by e-mail or on paper (R7, legal-nl.md §7), whenever
    # the coulance is booked: also when an earlier call booked it and died before queueing
    # this (the delivery sends it once per action). A proposal closed by a payment since
    # the statement forgave nothing: nothing to tell.
    if booked_by(stored.ledger, cause) and reaches_patient(stored, STOP_CONFIRMATION):
        confirmation = DeliveryRequest(
            provider_id, invoice.invoice_id, kind=STOP_CONFIRMATION, event_id=action.action_id
        )
        ctx.delivery.enqueue([confirmation])
    return changed


def _decline_proposal(
    provider_id: str, action: OpenAction, ctx: ProviderContext, *, deciding: bool
) -> bool:
    """The amount stays; the first reminder no longer waits for the decision, and the
    patient is told (legal-nl.md §7, R17)."""
    invoice = ctx.store.get_invoice(provider_id, action.invoice_id)
    if invoice is None:
        raise LookupError(f"coulance proposal {action.action_id} without its invoice")
    today = ctx.clock.today()
    _, changed = save_change(
        ctx.store,
        invoice,
        lambda current: proposal_decided(current, today),
        decided=_written(action, deciding),
    )
    if deciding and not changed:
        return False
    # Told not to pay yet (§7), the patient hears what is due now and by when: by e-mail,
    # or on paper without one that works (kinds.reaches_patient, R7). Queued again
    # by the same decision sent again (a retry after a crash here): the delivery sends it
    # once per action.
    declined = DeliveryRequest(
        provider_id, invoice.invoice_id, kind=COULANCE_DECLINED, event_id=action.action_id
    )
    ctx.delivery.enqueue([declined])
    return changed


def _written(action: OpenAction, deciding: bool) -> OpenAction | None:
    """The decision to write with the invoice's change: ``action`` when this call decides."""
    return action if deciding else None
