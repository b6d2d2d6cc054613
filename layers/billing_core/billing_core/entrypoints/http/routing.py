"""How a JSON API is put together, the one way (``json_api``): its app finds its routes
(one ``ResourceRouter`` per resource, in the ``routes/`` package next to the function's
``app.py``), maps errors, serves its OpenAPI document (and the Swagger page), and its
handler is guarded, observed and, behind the token, idempotent per key. Also what routes
answer alike."""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from importlib import import_module
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.logging import correlation_paths
from pydantic import BaseModel

from billing_core.entrypoints.http.docs import SECURITY_SCHEME, ApiDocument, docs_page
from billing_core.entrypoints.http.error_document import with_error_answers
from billing_core.entrypoints.http.errors import register_error_handlers
from billing_core.entrypoints.http.idempotency import (
    with_idempotency_keys,
    with_keys_documented,
)
from billing_core.entrypoints.http.middleware import TooLargePage, guarded
from billing_core.entrypoints.powertools import LambdaHandler, observed_handler

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger, Metrics
    from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

    from billing_core.providers.users import Role

Middleware = Callable[..., Any]
# Who may call a route at all, from the verified token and the least role the route
# declares (None: it declares none): raises UnauthorizedError (401) or a 403.
Gate = Callable[["APIGatewayProxyEvent", "Role | None"], None]


class ResourceRouter(Router):
    """A Powertools ``Router`` whose routes carry its resource as their OpenAPI tag, so
    that the Swagger page groups them by resource; and, on the provider API, the least
    practice role each route needs (``role``: the router's, or the route's own), which
    the API checks before it reads anything of the request (``json_api``'s ``gate``)."""

    def __init__(self, tag: str, *, role: Role | None = None) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.tag = tag
        self.role = role
        self.roles: dict[Callable[..., Any], Role] = {}

    def route(self, *args: Any, **kwargs: Any) -> Any:
        arguments = inspect.signature(Router.route).bind(self, *args, **kwargs).arguments
        del arguments["self"]
        arguments["tags"] = arguments.get("tags") or [self.tag]
        return self._needing(super().route(**arguments), None)

    # Powertools' get, post, ... take no other keywords than their own: each passes the
    # route to ``route`` above and ``role`` here.
    def get(self, *args: Any, role: Role | None = None, **kwargs: Any) -> Any:
        return self._needing(super().get(*args, **kwargs), role)

    def post(self, *args: Any, role: Role | None = None, **kwargs: Any) -> Any:
        return self._needing(super().post(*args, **kwargs), role)

    def put(self, *args: Any, role: Role | None = None, **kwargs: Any) -> Any:
        return self._needing(super().put(*args, **kwargs), role)

    def patch(self, *args: Any, role: Role | None = None, **kwargs: Any) -> Any:
        return self._needing(super().patch(*args, **kwargs), role)

    def delete(self, *args: Any, role: Role | None = None, **kwargs: Any) -> Any:
        return self._needing(super().delete(*args, **kwargs), role)

    def _needing(self, register: Callable[..., Any], role: Role | None) -> Any:
        """``register`` (a route's decorator), keeping the least role the route needs:
        its own, else the router's."""

        def registered(func: Callable[..., Any]) -> Any:
            routed = register(func)
            needed = role or self.roles.get(func) or self.role
            if needed is not None:
                self.roles[func] = needed
            return routed

        return registered


class _Resolver(APIGatewayRestResolver):
    """Powertools' resolver, where a path parameter takes whatever one segment of the path
    holds, and one named in ``any_text`` whatever the path holds there, slashes included.
    Powertools' own parameters take only letters, digits and some ASCII signs: a kenmerk
    pasted with a PDF's no-break spaces, or typed in its groups with '/' (%2F), reached no
    route and answered 404 "address does not exist", its parser never asked (R10); an
    invoice id holding a no-break space the same 404 where ``not-a-uuid`` got the route's
    400 (audit access51). The route's own reading (its ``Path`` pattern) decides instead."""

    def __init__(self, any_text: Collection[str]) -> None:
        self.any_text = frozenset(any_text)  # before Powertools' own set-up compiles a rule
        super().__init__(enable_validation=True)

    def _compile_regex(  # type: ignore[override]  # Powertools' is static: ours reads any_text
        self, rule: str, base_regex: str = "^{}/*$"
    ) -> re.Pattern[str]:
        def parameter(name: re.Match[str]) -> str:
            return f"(?P<{name[1]}>{'.+?' if name[1] in self.any_text else '[^/]+'})"

        # As Powertools compiles a rule (trailing slashes too), with our parameters.
        return re.compile(base_regex.format(re.sub(r"<(\w+)>", parameter, rule)))

    def _convert_matches_into_route_keys(self, match: re.Match[str]) -> dict[str, str]:
        """The route's parameters, those in ``any_text`` percent-decoded: a REST API passes
        the path as the browser sent it ("1223%C2%A04534..."), where the sandbox decodes
        it; decoded once here, both reach the parser alike (no kenmerk holds a '%')."""
        keys: dict[str, str] = match.groupdict()
        return {name: unquote(v) if name in self.any_text else v for name, v in keys.items()}


@dataclass(frozen=True, slots=True)
class JsonApi:
    app: APIGatewayRestResolver
    lambda_handler: LambdaHandler
    document: ApiDocument

    def openapi_json(self) -> str:
        return openapi_json(self.app, self.document)


def openapi_json(app: APIGatewayRestResolver, document: ApiDocument) -> str:
    """What the API serves as its OpenAPI document: Powertools' own, with the error
    answers the API gives (``error_document``) and, behind the token, the
    Idempotency-Key its writes take."""
    generated = json.loads(app.get_openapi_json_schema())
    if document.bearer_token:  # the APIs whose writes take an Idempotency-Key
        generated = with_keys_documented(generated)
    return json.dumps(with_error_answers(generated, behind_token=document.bearer_token))


_BEARER_JWT = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}


def json_api(
    package: str,
    resources: Sequence[str],
    *,
    document: ApiDocument,
    logger: Logger,
    metrics: Metrics,
    max_body_bytes: int,
    docs_path: str | None = None,
    middlewares: Sequence[Middleware] = (),
    too_large_page: TooLargePage | None = None,
    every_answer: Mapping[str, str] | None = None,
    visitor_languages: bool = False,
    gate: Gate | None = None,
    any_text: Collection[str] = (),
) -> JsonApi:
    """The app of ``resources`` and its Lambda handler. An API behind the token declares
    the bearer token in its document and takes Idempotency-Keys (kept per user);
    ``docs_path``: where it serves the Swagger page of every API, its own first;
    ``too_large_page``: the page for a person's form over ``max_body_bytes``;
    ``every_answer``: headers on every answer, errors included (``guarded``);
    ``visitor_languages``: its errors in the caller's Accept-Language (the patients');
    ``gate``: who may call its routes (the API's documents excepted), checked before the
    request's validation (``gated_first``); ``any_text``: the path parameters that take
    any text, '/' included (``_Resolver``), for the route to read or refuse itself."""
    app = _Resolver(any_text)
    app.use(list(middlewares))
    # As the document's JSON, not Powertools' HTTPBearer: its module holds every OpenAPI
    # model, a third of an API's cold start, and the document validates this when served.
    token = {SECURITY_SCHEME: _BEARER_JWT} if document.bearer_token else None
    app.configure_openapi(
        title=document.title,
        version="1.0.0",
        security_schemes=token,  # type: ignore[arg-type]  # Powertools' SecurityScheme union
        security=[{SECURITY_SCHEME: []}] if token else None,
    )
    register_error_handlers(app, visitors=visitor_languages)
    roles = include_routes(app, package, resources)
    public = _serve_documents(app, document, docs_path)
    if gate is not None:
        gated_first(app, gate, roles, public)
    resolve = with_idempotency_keys(app.resolve) if document.bearer_token else app.resolve
    handler = observed_handler(
        lambda: guarded(
            resolve,
            max_body_bytes=max_body_bytes,
            too_large_page=too_large_page,
            every_answer=every_answer,
        ),
        logger=logger,
        metrics=metrics,
        correlation_id_path=correlation_paths.API_GATEWAY_REST,
    )
    return JsonApi(app, handler, document)


def gated_first(
    app: APIGatewayRestResolver,
    gate: Gate,
    roles: Mapping[Callable[..., Any], Role],
    public: Collection[Callable[..., Any]],
) -> None:
    """Who asks is decided before what was asked (R32, R26): the ``gate`` runs before
    Powertools' request validation, so a caller of the wrong role (or none) gets the 403
    (401) every such request gets, whatever the body, path or query hold, never the 400
    that names the request's fields. Powertools runs its validation before every
    middleware (``app.use`` and a route's own alike): the gate therefore wraps the
    validation middleware itself, which each route's stack takes from the resolver when
    it is first called. ``public``: the routes no token is needed for (the documents)."""
    validate = app._request_validation_middleware

    def gated_then_validated(
        resolver: APIGatewayRestResolver, next_middleware: NextMiddleware
    ) -> Response[Any]:
        func = resolver.context["_route"].func
        if func not in public:
            gate(resolver.current_event, roles.get(func))
        return validate(resolver, next_middleware)

    # A middleware as any other (Powertools calls it with the resolver and the next one).
    app._request_validation_middleware = gated_then_validated  # type: ignore[assignment]


def _serve_documents(
    app: APIGatewayRestResolver, document: ApiDocument, docs_path: str | None
) -> tuple[Callable[..., Any], ...]:
    def openapi() -> Response[str]:
        return Response(HTTPStatus.OK.value, "application/json", openapi_json(app, document))

    def swagger_page() -> Response[str]:
        assert docs_path is not None  # only routed when given
        return docs_page(docs_path, document)

    app.get(document.path, include_in_schema=False)(openapi)
    if docs_path is None:
        return (openapi,)
    app.get(docs_path, include_in_schema=False)(swagger_page)
    return openapi, swagger_page


def include_routes(
    app: APIGatewayRestResolver, package: str, resources: Sequence[str]
) -> dict[Callable[..., Any], Role]:
    """``package``: the app module's ``__package__``. Lambda runs the function's folder as
    the root (``routes.<resource>``); the sandbox and the tests import the same files as
    ``functions.<api>.routes.<resource>``. The least role each route declares."""
    routes = f"{package}.routes" if package else "routes"
    roles: dict[Callable[..., Any], Role] = {}
    for resource in resources:
        router = import_module(f"{routes}.{resource}").router
        app.include_router(router)
        roles |= getattr(router, "roles", {})
    return roles


def csv_download(
    file_name: str, text: str, headers: Mapping[str, str] | None = None
) -> Response[str]:
    """A CSV file to save: with the byte order mark Excel needs to read UTF-8 (R24, R35;
    shared/spreadsheet.for_excel, as the portal's downloads); ``headers``: more to send."""
    # Here, not at import: only a CSV answer loads the CSV writer's module (cold start).
    from billing_core.shared.spreadsheet import text_for_excel

    return Response(
        HTTPStatus.OK.value,
        "text/csv; charset=utf-8",
        text_for_excel(text),
        headers={"Content-Disposition": f'attachment; filename="{file_name}"', **(headers or {})},
    )


_FILE_NAME: dict[str, Any] = {
    "description": 'With the CSV: attachment; filename="…", the name to save the file under',
    "schema": {"type": "string"},
}
_CSV = {"schema": {"type": "string"}}


def json_or_csv(
    description: str, model: type[BaseModel], headers: Mapping[str, Any] | None = None
) -> dict[int, dict[str, Any]]:
    """The documented 200 of a route that answers JSON, or CSV with ?format=csv (then a
    file, ``csv_download``: its name in Content-Disposition, and ``headers``)."""
    return {
        200: {
            "description": description,
            "headers": {"Content-Disposition": _FILE_NAME, **(headers or {})},
            "content": {"application/json": {"model": model}, "text/csv": _CSV},
        }
    }


def csv_file(description: str) -> dict[int, dict[str, Any]]:
    """The documented 200 of a route that answers only a CSV file (``csv_download``)."""
    return {
        200: {
            "description": description,
            "headers": {"Content-Disposition": _FILE_NAME},
            "content": {"text/csv": _CSV},
        }
    }


def created(description: str, model: type[BaseModel]) -> dict[int, dict[str, Any]]:
    """The documented answer of a route that answers 201 Created with ``model``: without
    it Powertools documents a 200, which a generated client does not expect a 201 for."""
    return {
        HTTPStatus.CREATED.value: {
            "description": description,
            "content": {"application/json": {"model": model}},
        }
    }
