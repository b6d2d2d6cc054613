"""A provider's settings, created and replaced by an operator (R31, interfaces.md §6).

Each save is a new version with its field-level history entry, written on condition of
the version it replaces: a stale edit changes nothing (409). The settings are the
pydantic ``Provider``, so what is written has passed the runtime's own validation.

A stored item that no longer validates (UnreadableProvider, a 409 wherever it is read) is
listed by id with why, and a replace writes over it on its stored version (0 for an item
without one): the one way to repair it without code (R31: one bad provider never stops a
run for the others).

An AGB code has one owner (interfaces.md §6): the store claims a code's marker in the
write of the settings that add it, so two saves claiming one code cannot both succeed; a
provider stored before the markers holds its codes without one, which the read of the
other providers' settings before the write refuses.

A version is saved under the cause of the request that asked for it (``shared.retries``),
as a stop or an invitation is: the request sent again after its answer was lost (the
function died after the save, its key's record gone) finds its version saved and is
answered with the settings as that version saved them, not refused as a stale edit (409
``stale_version``) or as an id taken (409 ``provider_exists``) by its own first attempt
(R38). An edit of an old version by another request stays 409; the same key with other
settings is 422 ``idempotency_key_reused``, whichever version it names.
"""

from __future__ import annotations

from dataclasses import dataclass

from billing_core.declarations.rules.insurers import registers_in_use
from billing_core.payments.sepa_transfers import in_sepa_scheme, usable_name
from billing_core.ports import (
    AGB_CODE_CHANGES_PER_SAVE,
    AgbCodeTaken,
    ConcurrentChange,
    ProviderSettingsStore,
    UnreadableProvider,
)
from billing_core.providers.provider import Provider
from billing_core.providers.settings_history import (
    Editor,
    SettingsVersion,
    changes_between,
    settings_as_saved,
)
from billing_core.services.inputs import InvalidInput
from billing_core.services.operator.context import OperatorContext
from billing_core.shared.clock import Clock
from billing_core.shared.errors import practice_refused
from billing_core.shared.retries import RequestCause, RetryCauses, retry_causes


def create_provider(
    settings: Provider, editor: Editor, ctx: OperatorContext, *, cause: RequestCause | None = None
) -> Provider:
    """Version 1; refused (409) when the id is taken, but by this request's first attempt
    (``cause``: ``save_version``): then the provider as that attempt saved it."""
    existing = ctx.store.get_provider(settings.provider_id)
    if existing is not None:
        saved = _saved_by_this_request(existing, _causes(cause, ctx.clock), ctx.store)
        if saved is not None:
            return saved
        raise practice_refused("provider_exists")
    _refuse_a_payout_sepa_cannot_pay(settings)
    _refuse_what_the_store_contradicts(settings, ctx)
    try:
        return save_version(None, settings, editor, ctx.store, ctx.clock, cause=cause)
    except ConcurrentChange:
        raise practice_refused("provider_exists") from None


def replace_provider(
    provider_id: str,
    settings: Provider,
    editor: Editor,
    ctx: OperatorContext,
    *,
    cause: RequestCause | None = None,
) -> Provider | None:
    """``settings.version`` is the version the operator edited (of an unreadable item: its
    stored version); None for an unknown id. ``cause``: ``save_version``."""
    if settings.provider_id != provider_id:
        raise InvalidInput("body.provider_id", "provider_id_fixed")
    replaces = None
    try:
        current = ctx.store.get_provider(provider_id)
    except UnreadableProvider as unreadable:
        current, replaces = None, unreadable.version
    else:
        if current is None:
            return None
    _refuse_a_payout_sepa_cannot_pay(settings)
    _refuse_what_the_store_contradicts(settings, ctx)
    return save_version(
        current, settings, editor, ctx.store, ctx.clock, replaces=replaces, cause=cause
    )


def _refuse_a_payout_sepa_cannot_pay(settings: Provider) -> None:
    """The weekly payout is a SEPA credit transfer (R24, R34): a bank outside the SEPA
    countries never receives it, and a holder without one character the bank accepts
    ("***") stops the batch's file. Checked here, where an operator writes the payout
    account (the only place: a practice cannot, settings.py), and not in the settings
    model: every function builds that model on its cold start (issue 18 (d)), and these
    checks would cost the tightest of them their margin. A stored account is read as is."""
    payout = settings.payout
    if not in_sepa_scheme(payout.iban):
        raise InvalidInput("body.payout.iban", "payout_iban_not_sepa", country=payout.iban[:2])
    if not usable_name(payout.account_holder):
        raise InvalidInput("body.payout.account_holder", "payout_holder_not_sepa")


def _refuse_what_the_store_contradicts(settings: Provider, ctx: OperatorContext) -> None:
    """What the settings model cannot judge alone (400, the place named): an insurer the
    register does not know, an AGB code of another provider."""
    _refuse_insurers_not_in_register(settings, ctx)
    _refuse_codes_of_others(settings, ctx)


def _refuse_insurers_not_in_register(settings: Provider, ctx: OperatorContext) -> None:
    """R33: a contract with a code the register does not know (9644, a typo for CZ's 9664)
    would make every patient of that insurer non-contracted (R5, R17) without a word. The
    code is known when a version in force during the contract lists it: a past contract
    with an insurer that merged since stays valid."""
    if not settings.contracts:
        return
    registers = registers_in_use(ctx.registers)
    for position, contract in enumerate(settings.contracts):
        versions = registers.in_force_during(contract.starts, contract.ends)
        if not any(version.is_known(contract.uzovi) for version in versions):
            raise InvalidInput(
                f"body.contracts.{position}.uzovi",
                "uzovi_not_in_register",
                uzovi=contract.uzovi,
                version=", ".join(version.version for version in versions),
            )


def _refuse_codes_of_others(settings: Provider, ctx: OperatorContext) -> None:
    """A Vektis file belongs to the provider whose agb_codes hold one of its header's
    codes (interfaces.md §6): one owner per code, or the second practice's invoices print
    the first one's. Read here for the codes of providers stored before the markers; a
    code claimed at the same moment is refused by the write (save_version)."""
    holders = {
        code: other.provider_id
        for other in ctx.store.readable_providers().providers
        if other.provider_id != settings.provider_id
        for code in other.all_agb_codes
    }
    for agb in settings.agb_codes:
        if agb.code in holders:
            raise _code_taken(settings, AgbCodeTaken(agb.code, holders[agb.code]))


def _code_taken(settings: Provider, taken: AgbCodeTaken) -> InvalidInput:
    """The 400 names the holder: an operator sees every provider."""
    position = next(i for i, agb in enumerate(settings.agb_codes) if agb.code == taken.code)
    return InvalidInput(f"body.agb_codes.{position}.code", "agb_code_taken", holder=taken.holder)


# The fewest digits of a phone number a patient can call: a Dutch number has 10 (a service
# number as 0800 1234 has 8), an international one more.
PHONE_DIGITS_AT_LEAST = 8


def _refuse_a_new_phone_without_its_digits(settings: Provider, current: Provider | None) -> None:
    """The settings model takes 8 to 20 digits, spaces, brackets or hyphens, so "(--------)"
    passed the operator's PUT, the admin's PATCH and the portal's form, to be printed on
    every letter and the checker as the practice's number (R31, R36). Checked here, where
    every write passes, and not in the model: a stored provider must stay readable, so a
    phone stored before is read as is, and refused only once it is written changed."""
    phone = settings.contact.phone
    if current is not None and phone == current.contact.phone:
        return
    if sum(character.isdigit() for character in phone) < PHONE_DIGITS_AT_LEAST:
        raise InvalidInput(
            "body.contact.phone", "phone_too_few_digits", least=PHONE_DIGITS_AT_LEAST
        )


def _refuse_too_many_code_changes(settings: Provider, codes_before: frozenset[str]) -> None:
    """Each code added or dropped is a marker in the save's one transaction."""
    changed = settings.all_agb_codes ^ codes_before
    if len(changed) > AGB_CODE_CHANGES_PER_SAVE:
        raise InvalidInput(
            "body.agb_codes",
            "agb_codes_changed_too_many",
            changed=len(changed),
            most=AGB_CODE_CHANGES_PER_SAVE,
        )


# Providers a page of the operator's list: a practice's settings (its contracts, AGB codes)
# are a few KB, so even the largest page stays far below Lambda's 6 MB answer.
PROVIDER_PAGE = 100
MAX_PROVIDER_PAGE = 200


@dataclass(frozen=True, slots=True)
class ProviderList:
    """A page of the providers whose settings validate, by id, and why each of the others
    on it does not; ``next_position``: the last id, when more follow."""

    providers: list[Provider]
    unreadable: list[UnreadableProvider]
    next_position: str | None = None


def list_providers(
    ctx: OperatorContext, limit: int = PROVIDER_PAGE, *, after: str | None = None
) -> ProviderList:
    """``limit`` providers after the provider ``after`` (the previous page's last), by id
    (interfaces.md §6); InvalidPosition for an ``after`` that is no provider id."""
    listing = ctx.store.provider_page(limit, after)
    # One more read for each unreadable id (there are few): the listing names only the id.
    unreadable = [_why_unreadable(provider_id, ctx) for provider_id in listing.unreadable]
    known = [u for u in unreadable if u is not None]
    return ProviderList(listing.providers, known, listing.next_position)


def _why_unreadable(provider_id: str, ctx: OperatorContext) -> UnreadableProvider | None:
    """None when it reads by now (replaced since the listing)."""
    try:
        ctx.store.get_provider(provider_id)
    except UnreadableProvider as unreadable:
        return unreadable
    return None


def get_provider(provider_id: str, ctx: OperatorContext) -> Provider | None:
    return ctx.store.get_provider(provider_id)


def provider_history(provider_id: str, ctx: OperatorContext) -> list[SettingsVersion] | None:
    """Oldest first; None for an unknown id."""
    if ctx.store.get_provider(provider_id) is None:
        return None
    return ctx.store.provider_history(provider_id)


def save_version(
    current: Provider | None,
    settings: Provider,
    editor: Editor,
    store: ProviderSettingsStore,
    clock: Clock,
    *,
    replaces: int | None = None,
    cause: RequestCause | None = None,
) -> Provider:
    """The one way settings are written (the operator's and the practice admin's): the
    next version, when ``settings`` edits the current one and changes something.
    ``replaces``: without a current one, the stored version of an item that does not
    validate (0: it has none; every field is new in the history, as in a first version).

    ``cause``: what the request is known by, the same for its retries
    (``idempotency.request_cause``, a portal form's one-time key), kept with the version.
    A retry whose first attempt saved a version is answered with the settings as that
    version saved them, nothing saved twice, also when others saved since; the same key
    asking other settings is refused (``KeyReused``, R38), also when it names the
    current version. None: a request nobody sends again."""
    causes = _causes(cause, clock)
    if current is not None:
        saved = _saved_by_this_request(current, causes, store)
        if saved is not None:
            return saved
    current_version = current.version if current else replaces or 0
    if (current is not None or replaces is not None) and settings.version != current_version:
        raise practice_refused("stale_version", version=current_version)
    stored = settings.model_copy(update={"version": current_version + 1})
    changes = changes_between(current, stored)
    if current is not None and not changes:
        return current
    _refuse_a_new_phone_without_its_digits(stored, current)
    codes_before = current.all_agb_codes if current else frozenset()
    _refuse_too_many_code_changes(stored, codes_before)
    change = SettingsVersion(
        provider_id=stored.provider_id,
        version=stored.version,
        changed_by=editor.user_id,
        role=editor.role,
        changed_at=clock.now(),
        changes=changes,
        cause=causes.new if causes else "",
        request_fingerprint=causes.request if causes else "",
    )
    try:
        store.save_provider(stored, change, codes_before=codes_before)
    except AgbCodeTaken as taken:
        raise _code_taken(stored, taken) from None
    except ConcurrentChange:
        raise practice_refused("stale_version", version=current_version) from None
    return stored


def _causes(cause: RequestCause | None, clock: Clock) -> RetryCauses | None:
    return retry_causes(cause, clock.now()) if cause is not None else None


def _saved_by_this_request(
    current: Provider, causes: RetryCauses | None, store: ProviderSettingsStore
) -> Provider | None:
    """The settings as an earlier attempt of this request saved them, within its key's
    lifetime (as they are now when the history cannot give them back); ``KeyReused``
    when that attempt asked other settings (R38). One read of the history for each
    keyed save, as an invitation's retry reads the user changes: a key reused with
    another body names the current version as often as an old one. None read for a
    request without a key, which nobody sends again (audit settings53: it read it too)."""
    if causes is None or not causes.sent_again:
        return None
    history = store.provider_history(current.provider_id)
    made = next((v for v in history if causes.made(v.cause, v.changed_at)), None)
    if made is None:
        return None
    causes.same_request(made.request_fingerprint)
    return settings_as_saved(current, history, made.version) or current
