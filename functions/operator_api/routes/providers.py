"""Providers as an operator onboards and edits them (R31, interfaces.md §6)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from billing_core import bootstrap
from billing_core.entrypoints.http import cursor
from billing_core.entrypoints.http.caller import operator
from billing_core.entrypoints.http.error_document import reading_the_settings
from billing_core.entrypoints.http.errors import NO_PROVIDER, found
from billing_core.entrypoints.http.idempotency import request_cause
from billing_core.entrypoints.http.routing import ResourceRouter, created
from billing_core.entrypoints.http.settings_models import (
    ProviderCreatedOut,
    ProviderListOut,
    SettingsHistoryOut,
    SettingsVersionOut,
    UnreadableProviderOut,
)
from billing_core.providers.provider import Provider
from billing_core.services.inputs import InvalidInput
from billing_core.services.operator import providers

router = ResourceRouter("Providers")
PROVIDER_ID = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")]


@router.post(
    "/api/v1/operator/providers",
    summary="Onboard a provider (its settings)",
    responses=created("onboarded: its settings are version 1", ProviderCreatedOut),
)
def create_provider(body: Provider) -> Response[ProviderCreatedOut]:
    editor = operator(router.current_event)
    cause = request_cause(router.current_event.raw_event)  # a retry gets its provider (R38)
    ctx = bootstrap.current().operator_context()
    onboarded = providers.create_provider(body, editor, ctx, cause=cause)
    out = ProviderCreatedOut(provider_id=onboarded.provider_id, version=onboarded.version)
    return Response(HTTPStatus.CREATED.value, body=out, content_type="application/json")


@router.get(
    "/api/v1/operator/providers",
    summary="The providers' settings by id, a page at a time, and those on it whose stored "
    "settings do not validate",
)
def list_providers(
    limit: Annotated[int, Query(ge=1, le=providers.MAX_PROVIDER_PAGE)] = providers.PROVIDER_PAGE,
    cursor_token: Annotated[str | None, Query(alias="cursor")] = None,
) -> ProviderListOut:
    operator(router.current_event)
    listed = providers.list_providers(
        bootstrap.current().operator_context(),
        limit,
        after=cursor.after(cursor_token),
    )
    unreadable = [
        UnreadableProviderOut(provider_id=u.provider_id, version=u.version, reason=u.reason)
        for u in listed.unreadable
    ]
    return ProviderListOut(
        items=listed.providers,
        unreadable=unreadable,
        next_cursor=cursor.following(listed.next_position),
    )


@router.get(
    "/api/v1/operator/providers/<provider_id>",
    summary="One provider's settings",
    responses=reading_the_settings(Provider),
)
def get_provider(provider_id: PROVIDER_ID) -> Provider:
    operator(router.current_event)
    settings = providers.get_provider(provider_id, bootstrap.current().operator_context())
    return found(settings, NO_PROVIDER)


@router.put(
    "/api/v1/operator/providers/<provider_id>",
    summary="Replace the settings; body.version (required) is the version you edited (stale: 409)",
)
def replace_provider(provider_id: PROVIDER_ID, body: Provider) -> Provider:
    editor = operator(router.current_event)
    if "version" not in body.model_fields_set:
        # The model's 0 (not written yet) is a real version to replace (an unreadable item
        # without one): a body without it would be answered 409 "someone else changed".
        raise InvalidInput("body.version", "version_missing")
    cause = request_cause(router.current_event.raw_event)  # a retry gets its version (R38)
    replaced = providers.replace_provider(
        provider_id, body, editor, bootstrap.current().operator_context(), cause=cause
    )
    return found(replaced, NO_PROVIDER)


@router.get(
    "/api/v1/operator/providers/<provider_id>/history",
    summary="Every settings version: who, when, what changed",
    responses=reading_the_settings(SettingsHistoryOut),
)
def provider_history(provider_id: PROVIDER_ID) -> SettingsHistoryOut:
    operator(router.current_event)
    history = providers.provider_history(provider_id, bootstrap.current().operator_context())
    return SettingsHistoryOut(items=[SettingsVersionOut.of(v) for v in found(history, NO_PROVIDER)])
