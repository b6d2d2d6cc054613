"""Your practice's own settings (R31, interfaces.md §7): the admin changes contact,
dunning and coulance policy; payout account and AGB codes only through zorgnota."""

from __future__ import annotations

from billing_core import bootstrap
from billing_core.entrypoints.http.caller import caller
from billing_core.entrypoints.http.error_document import reading_the_settings
from billing_core.entrypoints.http.errors import NO_SETTINGS, found
from billing_core.entrypoints.http.idempotency import request_cause
from billing_core.entrypoints.http.routing import ResourceRouter
from billing_core.entrypoints.http.settings_models import OwnSettingsOut, SettingsPatchIn
from billing_core.providers.provider import Provider
from billing_core.providers.users import Role
from billing_core.services.provider import settings
from billing_core.services.provider.context import ProviderContext

router = ResourceRouter("Settings", role=Role.ADMIN)


@router.get(
    "/api/v1/provider/settings",
    summary="Your practice's settings, with their version",
    responses=reading_the_settings(OwnSettingsOut),
)
def get_settings() -> OwnSettingsOut:
    ctx = bootstrap.current().provider_context()
    own = settings.own_settings(caller(router.current_event), ctx)
    return _with_insurers(found(own, NO_SETTINGS), ctx)


@router.patch(
    "/api/v1/provider/settings",
    summary="Change contact, dunning or coulance; body.version is the version you edited",
)
def patch_settings(body: SettingsPatchIn) -> OwnSettingsOut:
    ctx = bootstrap.current().provider_context()
    changed = settings.change_own_settings(
        caller(router.current_event),
        body.changes(),
        body.version,
        ctx,
        cause=request_cause(router.current_event.raw_event),  # a retry gets its version (R38)
    )
    return _with_insurers(found(changed, NO_SETTINGS), ctx)


def _with_insurers(own: Provider, ctx: ProviderContext) -> OwnSettingsOut:
    """The settings as the portal shows them: each contract with its insurer's name, or,
    for a code the register does not know, the version that does not (R33)."""
    return OwnSettingsOut.of(own, settings.contract_insurers(own, ctx))
