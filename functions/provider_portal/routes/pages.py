"""The portal's pages and forms: each route names the page of ``portal.pages`` it serves
and the query parameters it takes (none unless named): any other is refused with 400, as
the provider API refuses a parameter its route does not declare (closing 14)."""

from __future__ import annotations

from collections.abc import Callable

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError

from billing_core.entrypoints.web.portal import pages
from billing_core.entrypoints.web.portal.pages import PortalAnswer
from billing_core.entrypoints.web.portal.web import (
    PageHandler,
    serve_change,
    serve_form,
    serve_not_found,
    serve_page,
    to_the_portal,
)
from billing_core.providers.users import Role

router = Router()
BOTH = ("csv", "json")  # the files a list's format gives, as the API's format does


@router.get("/portal/")
def overview() -> Response[str | bytes]:
    if not router.current_event.path.endswith("/"):  # /portal: Powertools matches it too
        return to_the_portal(router.current_event)
    return serve_page(router.current_event, pages.overview)


@router.get("/portal/declaraties")
def declarations() -> Response[str | bytes]:
    return serve_page(router.current_event, pages.declaration_list, takes=("cursor",))


@router.get("/portal/declaratie-sjabloon.csv")
def declaration_template() -> Response[str | bytes]:
    return serve_page(router.current_event, pages.declaration_template)


@router.post("/portal/declaraties")
def upload() -> Response[str | bytes]:
    return _change(pages.upload, Role.STAFF)


@router.get("/portal/declaraties/<declaration_id>")
def declaration(declaration_id: str) -> Response[str | bytes]:
    return serve_page(
        router.current_event,
        lambda request, ctx: pages.declaration_report(request, declaration_id, ctx),
        takes=pages.REPORT_CURSORS,
    )


@router.get("/portal/notas")
def invoices() -> Response[str | bytes]:
    return serve_page(router.current_event, pages.invoice_list, takes=pages.INVOICE_LIST_QUERY)


@router.post("/portal/notas")
def search_invoices() -> Response[str | bytes]:
    return serve_form(router.current_event, pages.invoice_search)


@router.get("/portal/notas/<invoice_id>")
def invoice(invoice_id: str) -> Response[str | bytes]:
    return serve_page(
        router.current_event,
        lambda request, ctx: pages.invoice_page(request, invoice_id, ctx),
        takes=("done",),
    )


@router.get("/portal/notas/<invoice_id>/brieven/<position>")
def letter(invoice_id: str, position: str) -> Response[str | bytes]:
    return serve_page(router.current_event, _with(pages.letter, invoice_id, position))


@router.post("/portal/notas/<invoice_id>/stop")
def stop(invoice_id: str) -> Response[str | bytes]:
    return _change(_with(pages.stop, invoice_id), Role.STAFF)


@router.post("/portal/notas/<invoice_id>/hold")
def hold(invoice_id: str) -> Response[str | bytes]:
    return _change(_with(pages.hold, invoice_id), Role.STAFF)


@router.get("/portal/acties")
def actions() -> Response[str | bytes]:
    return serve_page(router.current_event, pages.action_list, takes=("state", "done", "cursor"))


@router.post("/portal/acties/<action_id>")
def update_action(action_id: str) -> Response[str | bytes]:
    return _change(_with(pages.update_action, action_id), Role.STAFF)


@router.get("/portal/geblokkeerd")
def blocked() -> Response[str | bytes]:
    return serve_page(
        router.current_event, pages.blocked, takes=("format", "since", "cursor"), formats=BOTH
    )


@router.get("/portal/geblokkeerd/wijzigingen")
def block_changes() -> Response[str | bytes]:
    return serve_page(
        router.current_event, pages.block_changes, takes=("since", "format"), formats=BOTH
    )


@router.get("/portal/uitbetalingen")
def payouts() -> Response[str | bytes]:
    return serve_page(router.current_event, pages.payouts, takes=("before",))


@router.get("/portal/uitbetalingen/<week>")
def statement(week: str) -> Response[str | bytes]:
    return serve_page(
        router.current_event,
        lambda request, ctx: pages.statement(request, week, ctx),
        takes=("format",),
        formats=BOTH,
    )


@router.get("/portal/debiteurenrisico")
def debtor_risk() -> Response[str | bytes]:
    return serve_page(router.current_event, pages.debtor_risk, takes=pages.RISK_QUERY)


@router.get("/portal/inzage")
def access_log() -> Response[str | bytes]:
    return serve_page(
        router.current_event, pages.access_log, takes=pages.ACCESS_LOG_QUERY, formats=("csv",)
    )


@router.get("/portal/instellingen")
def settings() -> Response[str | bytes]:
    return serve_page(router.current_event, pages.settings, takes=("done",))


@router.post("/portal/instellingen/<part>")
def change_settings(part: str) -> Response[str | bytes]:
    return _change(_with(pages.change_settings, part), Role.ADMIN)


@router.post("/portal/instellingen/gebruikers/<change>")
def change_user(change: str) -> Response[str | bytes]:
    return _change(_with(pages.change_user, change), Role.ADMIN)


def _change(page: PageHandler, needs: Role) -> Response[str | bytes]:
    """A form that changes something, for ``needs`` and up (R32): done once per its form
    key (R38)."""
    return serve_change(router.current_event, page, router.lambda_context, needs=needs)


def _with(page: Callable[..., PortalAnswer], *path_values: str) -> PageHandler:
    """The page for this request, with the values from its path."""
    return lambda request, ctx: page(request, *path_values, ctx)


@router.exception_handler(NotFoundError)
def unknown_page(_: NotFoundError) -> Response[str | bytes]:
    """A path under /portal/ that no route above serves (template.yaml's catch-all)."""
    return serve_not_found(router.current_event)
