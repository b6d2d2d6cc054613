"""Embedded AWS for `make demo`, `make serve`, the functional tests and the bench.

Everything runs in one process on moto: resources come from template.yaml's own
definitions, handlers are the real ``functions/*/app.py`` modules, and the events that
AWS would deliver (S3 notification, SQS batch, API Gateway request) are built from the
sample events in ``events/`` and handed to them, as the template wires them.
"""

from __future__ import annotations

import copy
import importlib
import json
import os
import re
import threading
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from email import message_from_bytes, policy
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any, TypedDict, Unpack
from urllib.parse import quote_plus, unquote, urlencode

import boto3
import botocore.handlers
import botocore.hooks
import botocore.loaders
import botocore.session
from boto3.dynamodb.conditions import Attr
from boto3.dynamodb.types import TypeSerializer
from moto import mock_aws

from billing_core import bootstrap
from billing_core.adapters.uploads import ONCE_ONLY
from billing_core.adapters.users_in_memory import InMemoryUserDirectory
from billing_core.correspondence.delivery import posting_key
from billing_core.declarations.record import DeclarationRecord
from billing_core.invoices.invoice import Channel
from billing_core.providers.provider import Provider
from billing_core.providers.settings_history import Editor
from billing_core.providers.users import OPERATORS_GROUP, DirectoryUser
from billing_core.services.operator.providers import create_provider, replace_provider
from billing_core.services.provider.declarations import (
    retour_upload_key,
    upload_key,
    upload_record,
)
from billing_core.settings import Settings, get_settings
from billing_core.shared.clock import FixedClock
from billing_core.shared.signed_uploads import SignedUpload
from local import moto_snapshot, moto_speedup
from local.api_gateway import proxy_event
from local.lambda_context import LocalLambdaContext
from local.resources import (
    LocalNames,
    LocalResources,
    create_resources,
    function_events,
    load_template,
    resources_of_type,
)
from local.seed import SAMPLE_PROVIDERS, SAMPLE_USERS
from local.sign_in import SampleSignIn

ROOT = Path(__file__).resolve().parent.parent
ONBOARDED_DAYS_BEFORE = 7  # the sample practices' first settings version, before today
SANDBOX_OPERATOR = Editor(user_id="sandbox-operator", role=OPERATORS_GROUP)
EVENTS = ROOT / "events"
REGION = "eu-central-1"
# What a signed-in caller sends; the sandbox's authorizer passes its claims (``Caller``).
_SAMPLE_AUTHORIZATION = "Bearer eyJraWQiOiJleGFtcGxlIn0"
MOLLIE_USER_AGENT = "Mollie.com/Webhook"  # what Mollie's webhook calls send
TTL_PRINCIPAL = "dynamodb.amazonaws.com"  # who removes an item whose TTL passed
# moto accepts any credentials; these only keep boto3 from looking for real ones.
_OFFLINE_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "local-sandbox",
    "AWS_SECRET_ACCESS_KEY": "local-sandbox",
    "AWS_SESSION_TOKEN": "local-sandbox",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    # botocore sends DynamoDB Streams calls to {account}.streams-ddb..., which moto does
    # not serve; the regional endpoint it does (deployed, either reaches the same stream).
    "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_DISABLED": "true",
}
# Quiet unless the operator asks otherwise: POWERTOOLS_LOG_LEVEL=INFO make serve shows a
# long import's progress lines (the bank import's "n of m entries done", R12).
_QUIET_BY_DEFAULT = {"POWERTOOLS_LOG_LEVEL": "WARNING"}


def offline_environment(current: Mapping[str, str]) -> dict[str, str]:
    """What the sandbox sets in the environment ``current``: the offline settings always
    (moto's credentials, never a real account's), the log level only when none is set."""
    quiet = {name: value for name, value in _QUIET_BY_DEFAULT.items() if not current.get(name)}
    return _OFFLINE_ENVIRONMENT | quiet


LOCAL_FUNCTION_PREFIX = "zorgnota-local-"  # a function's name locally: the prefix, its folder


class _Accepted:
    """The HTTP answer of an asynchronous Lambda call the sandbox accepted."""

    def __init__(self) -> None:
        self.status_code = 202
        self.headers: dict[str, str] = {}


def notified_key(key: str) -> str:
    """An object's key as S3 puts it in an event notification: URL-encoded as a form is
    ("red flower.jpg" -> "red+flower.jpg", "é" -> "%C3%A9"), its slashes kept. The
    sandbox's PUT-then-notify passes keys this way, as the functions get them deployed."""
    return quote_plus(key, safe="/")


def sample_event(name: str) -> dict[str, Any]:
    """A copy of events/<function>/<scenario>.json."""
    return copy.deepcopy(json.loads((EVENTS / name).read_text(encoding="utf-8")))


class LocalUploads:
    """The sandbox's upload URL: a plain HTTP PUT to the local server (see local/server.py)
    with the headers a presigned URL signs (adapters/uploads.py); a file the portal takes
    lands the same way, S3's notification included."""

    def __init__(self, base_url: str, put: Callable[[str, bytes], object]) -> None:
        self.base_url = base_url.rstrip("/")
        self._put = put

    def upload_url(
        self, object_key: str, expires_in_seconds: int, size_bytes: int | None = None
    ) -> SignedUpload:
        url = f"{self.base_url}/_local/uploads/{object_key}"
        headers = dict(ONCE_ONLY)
        if size_bytes is not None:  # the local server checks it as S3 checks the signature
            url += "?" + urlencode({"content-length": size_bytes})
            headers["Content-Length"] = str(size_bytes)
        return SignedUpload(url, headers)

    def put_upload(self, object_key: str, body: bytes) -> None:
        self._put(object_key, body)


@dataclass(frozen=True)
class ApiRoute:
    method: str
    path: str  # as in template.yaml: /api/v1/invoices/{reference}/payments
    function: str  # the folder under functions/
    pattern: re.Pattern[str]
    public: bool = False  # Auth: {Authorizer: NONE}; else behind the Cognito authorizer

    def parameters(self, path: str) -> dict[str, str]:
        match = self.pattern.match(path)
        return match.groupdict() if match else {}

    @property
    def greedy(self) -> bool:
        """A catch-all (``/{proxy+}``): API Gateway takes it only when no other resource
        names the path."""
        return self.path.endswith("+}")

    def takes(self, method: str) -> bool:
        return self.method in (method.upper(), "ANY")


# API Gateway's answer when no route takes a request and the API sets no gateway response.
_UNROUTED_DEFAULT = {
    "StatusCode": "403",
    "ResponseTemplates": {"application/json": '{"message": "Missing Authentication Token"}'},
}


@dataclass(frozen=True)
class ApiRoutes:
    """The Api events of template.yaml: which function answers which method and path, and
    what API Gateway answers itself when none takes a request (``unrouted``)."""

    routes: tuple[ApiRoute, ...]
    unrouted: dict[str, Any]  # the Lambda proxy answer of the API's gateway response
    # The headers of the API's UNAUTHORIZED gateway response (template.yaml), which the
    # local server's own 401 sends as the deployed gateway does (no-store, nosniff).
    unauthorized_headers: dict[str, str]

    @classmethod
    def from_template(cls, template: dict[str, Any]) -> ApiRoutes:
        return cls(
            _routes(template),
            _unrouted_answer(template),
            _gateway_headers(template, "UNAUTHORIZED"),
        )

    def match(self, method: str, path: str) -> ApiRoute | None:
        """The route API Gateway picks: of the resources that name the path, one that takes
        the method; only when none names it, the longest catch-all (``{proxy+}``). A
        resource named but without the method is no match: ``unrouted``."""
        named = [r for r in self.routes if not r.greedy and r.pattern.match(path)]
        if named:
            return next((r for r in named if r.takes(method)), None)
        caught = [r for r in self.routes if r.greedy and r.pattern.match(path)]
        longest = max(caught, key=lambda r: len(r.path), default=None)
        return longest if longest is not None and longest.takes(method) else None


def _unrouted_answer(template: dict[str, Any]) -> dict[str, Any]:
    """The API's MISSING_AUTHENTICATION_TOKEN gateway response (template.yaml), as API
    Gateway sends it for a method or path no route takes; its default without one."""
    response = _gateway_response(template, "MISSING_AUTHENTICATION_TOKEN") or _UNROUTED_DEFAULT
    return {
        "statusCode": int(response["StatusCode"]),
        "headers": {"Content-Type": "application/json", **_headers_of(response)},
        "body": response["ResponseTemplates"]["application/json"],
    }


def _gateway_response(template: dict[str, Any], kind: str) -> dict[str, Any] | None:
    (api,) = resources_of_type(template, "AWS::Serverless::Api").values()
    response: dict[str, Any] | None = api.get("GatewayResponses", {}).get(kind)
    return response


def _headers_of(response: dict[str, Any]) -> dict[str, str]:
    """A gateway response's headers, their values without the quotes of a literal."""
    return {
        name: value.strip("'")
        for name, value in response.get("ResponseParameters", {}).get("Headers", {}).items()
    }


def _gateway_headers(template: dict[str, Any], kind: str) -> dict[str, str]:
    """The headers of the API's gateway response of this kind; none without one."""
    response = _gateway_response(template, kind)
    return _headers_of(response) if response is not None else {}


def _routes(template: dict[str, Any]) -> tuple[ApiRoute, ...]:
    functions = resources_of_type(template, "AWS::Serverless::Function")
    routes = []
    for logical_id, events in function_events(template).items():
        folder = Path(functions[logical_id]["CodeUri"]).name
        for kind, properties in events:
            if kind == "Api":
                path = properties["Path"]
                # API Gateway's resources have no trailing slash (SAM strips one): a
                # resource answers its path with and without it (/portal, /portal/).
                regex = re.escape(path.rstrip("/")).replace(r"\{proxy\+\}", "(?P<proxy>.+)")
                regex = re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", regex) + "/?"
                public = properties.get("Auth", {}).get("Authorizer") == "NONE"
                routes.append(
                    ApiRoute(
                        properties["Method"].upper(),
                        path,
                        folder,
                        re.compile(f"^{regex}$"),
                        public,
                    )
                )
    return tuple(routes)


@dataclass(frozen=True)
class Caller:
    """Who a sandbox request comes from: the claims Cognito's authorizer would pass."""

    user_id: str
    groups: str  # cognito:groups, as API Gateway passes it: "staff", "operators"
    provider_id: str = ""

    @classmethod
    def practice(cls, provider_id: str, role: str, user_id: str = "") -> Caller:
        return cls(user_id or f"sandbox-{role}-{provider_id}", role, provider_id)

    @classmethod
    def operator(cls, user_id: str = "sandbox-operator") -> Caller:
        return cls(user_id, OPERATORS_GROUP)

    @classmethod
    def user(cls, user: DirectoryUser) -> Caller:
        """A user created through the API: its id, its practice and its role."""
        return cls(user.user_id, user.role.value, user.provider_id)

    def claims(self) -> dict[str, str]:
        tenant = {"custom:provider_id": self.provider_id} if self.provider_id else {}
        return {"sub": self.user_id, "cognito:groups": self.groups, "token_use": "id", **tenant}


class ApiRequest(TypedDict, total=False):
    """What a sandbox API request may carry besides its method and path (``api_raw``)."""

    provider_id: str | None
    body: Any
    query: dict[str, str] | None
    headers: dict[str, str] | None
    caller: Caller | None


# botocore reads its service models (large JSON files) once per session, and moto starts
# every sandbox with a new default session: one loader keeps them read for the process.
_SERVICE_MODELS = botocore.loaders.create_loader()


@cache
def _builtin_handlers() -> botocore.hooks.HierarchicalEmitter:
    """botocore's own event handlers (some 650), registered once per process: a new
    session registers each of them again (an eighth of a sandbox's start), and each
    session made here starts with a copy of them, as botocore gives each client a copy of
    its session's."""
    handlers = botocore.hooks.HierarchicalEmitter()
    aliased = botocore.hooks.EventAliaser(handlers)  # as a session registers them
    for event_name, handler, *how in botocore.handlers.BUILTIN_HANDLERS:
        if how == [botocore.handlers.REGISTER_FIRST]:
            aliased.register_first(event_name, handler)
        elif how == [botocore.handlers.REGISTER_LAST]:
            aliased.register_last(event_name, handler)
        else:
            aliased.register(event_name, handler)
    return handlers


def _session_sharing_service_models() -> boto3.Session:
    """A new session (its own credentials, clients and handlers) that reads no model file
    and registers none of botocore's handlers again."""
    handlers = copy.copy(_builtin_handlers())
    core = botocore.session.Session(event_hooks=handlers, include_builtin_handlers=False)
    core.register_component("data_loader", _SERVICE_MODELS)
    return boto3.Session(botocore_session=core, region_name=REGION)


class _ClientsMadeOnce:
    """What ``create_resources`` asks of a session (its region, its clients), each client
    made once per process: every sandbox creates the same resources with the same four,
    and a client's start (a tenth of a sandbox's start) makes nothing of AWS's. moto
    serves a client made under an earlier mock as any other (its handler is botocore's,
    for every client), and the credentials it took are the sandbox's own, the same in
    each. The functions' clients are not these: each sandbox's runtime makes its own."""

    region_name = REGION

    def __init__(self) -> None:
        self._session = _session_sharing_service_models()
        self._clients: dict[str, Any] = {}

    def client(self, service: str, region_name: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self._session.client(service, region_name=region_name)
        return self._clients[service]


@cache
def _resource_creator() -> _ClientsMadeOnce:
    """Made in the first sandbox, inside its mock and its offline environment."""
    return _ClientsMadeOnce()


@cache
def _template() -> dict[str, Any]:
    """template.yaml, read once per process: every sandbox takes its routes and resources
    from it and none changes it."""
    return load_template()


@cache
def _api_routes() -> ApiRoutes:
    """The template's routes, read once per process (a tenth of a sandbox's start): they
    are frozen, and what a request is answered with is copied from them."""
    return ApiRoutes.from_template(_template())


@dataclass(frozen=True)
class _Start:
    """What a sandbox's start left (``local/moto_snapshot.py``): its resources, moto's
    backends, and the template they were made from."""

    template: dict[str, Any]
    resources: LocalResources
    backends: moto_snapshot.Snapshot


# What the first start of a process left, by what decides it (``Sandbox._start_key``): the
# latest few (a test of its own providers or day starts from scratch once).
_STARTS: dict[str, _Start] = {}
_STARTS_KEPT = 16


class Sandbox:
    def __init__(
        self,
        today: date,
        *,
        providers: tuple[Provider, ...] = SAMPLE_PROVIDERS,
        base_url: str = "http://127.0.0.1:8000",
    ) -> None:
        self.clock = FixedClock(today)
        self.providers = providers
        self.base_url = base_url
        self.names = LocalNames()
        self._mock = mock_aws()
        self._handlers: dict[str, ModuleType] = {}
        # Asynchronous calls a function made to a function (lambda.invoke, "Event"), run
        # in-process once the call being handled returns, as Lambda runs them after it;
        # per thread (a test may call functions from several at once).
        self._calls = threading.local()
        self.deliveries_queued = 0  # delivery messages sent to the queue since the start
        self._template = _template()
        self.routes = _api_routes()

    # --- lifecycle ---------------------------------------------------------------------

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(self) -> None:
        self._saved_environment = dict(os.environ)
        os.environ.update(offline_environment(os.environ))
        # Locally there is nowhere to publish metrics to; Powertools warns about it per call.
        warnings.filterwarnings("ignore", message="No application metrics to publish")
        moto_speedup.install()
        self._mock.start()
        # moto starts every mock without a default session; this one reads no model again.
        boto3.DEFAULT_SESSION = session = _session_sharing_service_models()
        session.events.register("before-call.lambda.Invoke", self._called_asynchronously)
        fresh = moto_snapshot.untouched()  # not inside another mock holding something
        key = self._start_key()
        started = _STARTS.get(key) if fresh else None
        if started is not None and started.template is self._template:
            started.backends.restore()
            self.resources = started.resources
        else:
            started = None
            self.resources = create_resources(_resource_creator(), self.names, self._template)
        for sent in ("SendMessage", "SendMessageBatch"):
            session.events.register(f"before-parameter-build.sqs.{sent}", self._count_queued)
        os.environ.update(self.resources.environment())
        os.environ["PUBLIC_BASE_URL"] = self.base_url
        get_settings.cache_clear()
        self.runtime = bootstrap.Runtime(Settings.from_environment(), self.clock)
        self.runtime.upload_urls = LocalUploads(self.base_url, self.put_upload)  # type: ignore[misc]
        self.sign_in = SampleSignIn(self.runtime.user_directory, self.base_url)  # type: ignore[arg-type]
        self.runtime.portal_sign_in = self.sign_in  # type: ignore[misc]
        bootstrap.install(self.runtime)
        if started is None:
            self._onboard_providers()
            if fresh:
                while len(_STARTS) >= _STARTS_KEPT:
                    del _STARTS[next(iter(_STARTS))]
                _STARTS[key] = _Start(self._template, self.resources, moto_snapshot.take())

    def _start_key(self) -> str:
        """What decides the state a start leaves in a fresh mock: the providers (by content:
        a provider is a model, which a test may change between two sandboxes), the moment
        they were onboarded, the resources' names and the sandbox's address (the template:
        ``_Start.template``)."""
        settings = [provider.model_dump_json() for provider in self.providers]
        names = json.dumps(asdict(self.names), sort_keys=True)
        return json.dumps([self.clock.now().isoformat(), names, self.base_url, settings])

    def _onboard_providers(self) -> None:
        """The providers as an operator onboards them (R31): the same validation and
        history. The sample practices were onboarded a week before the sandbox's first
        day: the week before it has their statements (R24: none for a week before a
        practice). The first start of a process onboards them; the next ones start from
        a copy of what it left (``_STARTS``; test_sandbox_start.py compares the two)."""
        first_moment = self.clock.now()
        self.clock.set(first_moment - timedelta(days=ONBOARDED_DAYS_BEFORE))
        for provider in self.providers:
            create_provider(provider, SANDBOX_OPERATOR, self.runtime.operator_context())
        self.clock.set(first_moment)

    def replace_provider(self, settings: Provider) -> Provider:
        """A new version of a sample provider's settings, as an operator saves it."""
        current = self.runtime.repository.get_provider(settings.provider_id)
        assert current is not None, settings.provider_id
        edited = settings.model_copy(update={"version": current.version})
        replaced = replace_provider(
            settings.provider_id, edited, SANDBOX_OPERATOR, self.runtime.operator_context()
        )
        assert replaced is not None
        return replaced

    def users(self) -> list[DirectoryUser]:
        """Every practice user created through the APIs (the sandbox keeps them in memory)."""
        directory = self.runtime.user_directory
        assert isinstance(directory, InMemoryUserDirectory)
        return directory.everyone()

    def invite_sample_users(self) -> None:
        """The practices' sample users (R32) into the user directory, once: the portal's
        sign-in page lists them (make serve and the tests that sign in)."""
        directory = self.runtime.user_directory
        known = {u.email for u in self.users()}  # a disabled one too: invited once
        for user in SAMPLE_USERS:
            if user.email not in known:
                directory.invite(user.provider_id, user.email, user.role)

    def stop(self) -> None:
        self._mock.stop()
        os.environ.clear()
        os.environ.update(self._saved_environment)
        get_settings.cache_clear()

    def handler(self, function: str) -> ModuleType:
        """functions/<function>/app.py, imported inside the sandbox (it reads env at import)."""
        if function not in self._handlers:
            module = importlib.import_module(f"functions.{function}.app")
            self._handlers[function] = importlib.reload(module)
        return self._handlers[function]

    # --- S3 -> declaration ingest --------------------------------------------------------

    def upload_declaration(
        self, provider_id: str, file_name: str, data: bytes, declaration_id: str | None = None
    ) -> str:
        """PUT the file where the upload URL points, then let S3 notify the ingest function."""
        record = self._registered_upload(provider_id, file_name, declaration_id, upload_key)
        self.put_upload(record.object_key, data)
        return record.declaration_id

    def _registered_upload(
        self,
        provider_id: str,
        file_name: str,
        declaration_id: str | None,
        key_for: Callable[[str, str], str],
    ) -> DeclarationRecord:
        """The upload as asking for an upload URL registers it (its file name on the
        record, not in the key: R29); an upload registered already keeps its record (a
        second file for it is a second version of its key)."""
        now = self.clock.now()
        declaration_id = declaration_id or f"{now:%Y%m%d%H%M%S}-{os.urandom(4).hex()}"
        repository = self.runtime.repository
        record = repository.get_declaration(provider_id, declaration_id)
        if record is None:
            record = upload_record(provider_id, declaration_id, file_name, key_for, now)
            repository.put_declaration(record)
        return record

    def put_upload(self, key: str, data: bytes, *, once: bool = False) -> dict[str, Any]:
        """``once``: as through an upload URL, with If-None-Match: * (S3 answers a second
        PUT with 412 PreconditionFailed, a botocore ClientError)."""
        answer = self._put_declarations_object(key, data, once)
        version, etag = answer.get("VersionId", ""), answer["ETag"].strip('"')
        return self.notify_upload(notified_key(key), version, etag)

    def _put_declarations_object(self, key: str, data: bytes, once: bool) -> dict[str, Any]:
        condition = {"IfNoneMatch": "*"} if once else {}
        answer: dict[str, Any] = self.runtime.s3.put_object(
            Bucket=self.names.declarations_bucket, Key=key, Body=data, **condition
        )
        return answer

    def notify_upload(self, key: str, version: str, etag: str) -> dict[str, Any]:
        event = self.s3_event(key, version, etag)
        return self.invoke("declaration_ingest", event)

    def s3_event(self, key: str, version: str, etag: str) -> dict[str, Any]:
        return self._s3_event(
            "declaration_ingest", self.names.declarations_bucket, key, version, etag
        )

    def _s3_event(
        self, function: str, bucket: str, key: str, version: str, etag: str
    ) -> dict[str, Any]:
        """The notification S3 sends the function, from its sample in events/<function>/."""
        event = sample_event(f"{function}/s3-object-created.json")
        record = event["Records"][0]
        record["s3"]["bucket"].update(name=bucket, arn=f"arn:aws:s3:::{bucket}")
        record["s3"]["object"].update({"key": key, "versionId": version, "eTag": etag})
        record["eventTime"] = self.clock.now().isoformat()
        return event

    # --- S3 retour/ -> retour import (R5) ------------------------------------------------------

    def upload_retour(
        self, provider_id: str, file_name: str, data: bytes, declaration_id: str | None = None
    ) -> str:
        """PUT an insurer's retour file under retour/{provider}/{upload}/file in the
        declarations bucket, then let S3 notify the retour import function."""
        record = self._registered_upload(provider_id, file_name, declaration_id, retour_upload_key)
        self.put_retour(record.object_key, data)
        return record.declaration_id

    def put_retour(self, key: str, data: bytes, *, once: bool = False) -> dict[str, Any]:
        """What a PUT to a retour upload URL does: the object under retour/, then S3's
        notification to the retour import (as for incoming/ and the ingest)."""
        answer = self._put_declarations_object(key, data, once)
        version, etag = answer.get("VersionId", ""), answer["ETag"].strip('"')
        bucket = self.names.declarations_bucket
        event = self._s3_event("retour_import", bucket, notified_key(key), version, etag)
        return self.invoke("retour_import", event)

    # --- S3 -> bank statement import (R12) ---------------------------------------------------

    def upload_bank_statement(self, xml_bytes: bytes, name: str) -> dict[str, Any]:
        """PUT a CAMT.053 file into the bank bucket under camt053/, then let S3 notify the
        import function; returns its answer (the import summary)."""
        key = f"camt053/{name}"
        answer = self.runtime.s3.put_object(Bucket=self.names.bank_bucket, Key=key, Body=xml_bytes)
        version, etag = answer.get("VersionId", ""), answer["ETag"].strip('"')
        event = self.bank_s3_event(notified_key(key), version, etag)
        return self.invoke("bank_statement_import", event)

    def bank_s3_event(self, key: str, version: str, etag: str) -> dict[str, Any]:
        return self._s3_event("bank_statement_import", self.names.bank_bucket, key, version, etag)

    # --- S3 -> the collection agency's report-back (R19, R22) ----------------------------------

    def upload_collection_report(self, csv_bytes: bytes, name: str) -> dict[str, Any]:
        """PUT the agency's report-back file into the bank bucket under collection-reports/,
        then let S3 notify the import function; returns its answer (the import summary)."""
        key = f"collection-reports/{name}"
        answer = self.runtime.s3.put_object(Bucket=self.names.bank_bucket, Key=key, Body=csv_bytes)
        version, etag = answer.get("VersionId", ""), answer["ETag"].strip('"')
        event = self.collection_report_s3_event(notified_key(key), version, etag)
        return self.invoke("collection_report_import", event)

    def collection_report_s3_event(self, key: str, version: str, etag: str) -> dict[str, Any]:
        bucket = self.names.bank_bucket
        return self._s3_event("collection_report_import", bucket, key, version, etag)

    # --- fake PSP -> webhook (R11) ------------------------------------------------------------

    def complete_psp_payment(
        self, psp_payment_id: str, status: str, *, amount_cents: int | None = None
    ) -> dict[str, Any]:
        """What the local checkout page does: the patient pays (or gives up), and the fake
        PSP calls the webhook as Mollie would. Returns the webhook function's answer."""
        webhook = self.runtime.psp.complete(psp_payment_id, status, amount_cents=amount_cents)  # type: ignore[attr-defined]
        return self.post_psp_webhook(webhook.body, webhook.content_type)

    def post_psp_webhook(
        self, body: str, content_type: str = "application/x-www-form-urlencoded"
    ) -> dict[str, Any]:
        """POST /webhooks/psp with this body: a replay, or a forgery, as anyone could send.
        Routed and built as every other API request (``api_raw``, local/api_gateway.py):
        the form body base64, as API Gateway passes every body for this template
        (BinaryMediaTypes */*), with Mollie's User-Agent."""
        # Imported here: the payments room is no part of starting a sandbox (fix/speed).
        from billing_core.payments.online import WEBHOOK_PATH

        headers = {"Content-Type": content_type, "User-Agent": MOLLIE_USER_AGENT}
        return self.api_raw("POST", WEBHOOK_PATH, body=body.encode("utf-8"), headers=headers)

    # --- schedules ----------------------------------------------------------------------------

    def run_dunning(self, as_of: date | None = None) -> dict[str, Any]:
        """The daily dunning run as EventBridge Scheduler starts it (``{}``: today on the
        sandbox clock) or as an operator replays a day; then its letters are delivered."""
        summary = self.invoke("dunning_run", {"as_of": as_of.isoformat()} if as_of else {})
        self.drain_deliveries()
        return summary

    def run_retrocession(self, as_of: date | None = None) -> dict[str, Any]:
        """The weekly retrocession run as EventBridge Scheduler starts it on Monday (``{}``:
        the week before the sandbox's today) or as an operator rebuilds a week."""
        return self.invoke("retrocession_run", {"as_of": as_of.isoformat()} if as_of else {})

    # --- SQS -> invoice delivery -----------------------------------------------------------

    def _count_queued(self, params: dict[str, Any], **_: Any) -> None:
        """Counts each message a function (or a test) sends to the delivery queue: the
        local server delivers after a request that queued one (local/server.py)."""
        if params.get("QueueUrl") == self.resources.delivery_queue_url:
            self.deliveries_queued += len(params.get("Entries", [params]))

    def drain_deliveries(self) -> int:
        """Hand queued delivery messages to the delivery function until the queue is empty."""
        sqs = boto3.client("sqs", region_name=REGION)
        url = self.resources.delivery_queue_url
        handled = 0
        while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
            answer = self.invoke("invoice_delivery", self.sqs_event(messages))
            failed = {f["itemIdentifier"] for f in answer.get("batchItemFailures", [])}
            for message in messages:
                if message["MessageId"] in failed:
                    raise RuntimeError(f"delivery failed for message {message['Body']}")
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            handled += len(messages)
        return handled

    def sqs_event(self, messages: list[dict[str, Any]]) -> dict[str, Any]:
        template = sample_event("invoice_delivery/sqs-deliver-invoice.json")["Records"][0]
        records = []
        for message in messages:
            record = copy.deepcopy(template)
            record.update(
                messageId=message["MessageId"],
                receiptHandle=message["ReceiptHandle"],
                body=message["Body"],
                md5OfBody=message["MD5OfBody"],
            )
            records.append(record)
        return {"Records": records}

    # --- DynamoDB TTL -> the billing table's stream -> expired letters ------------------------

    def expire_items(self) -> dict[str, Any]:
        """What DynamoDB's TTL does (moto never does it): delete the billing table's items
        whose ``expires_at`` passed on the sandbox clock, then hand their removals to the
        expired-letters function, as the table's stream mapping does (legal-nl.md §8)."""
        table = boto3.resource("dynamodb", region_name=REGION).Table(self.names.table_name)
        now = int(self.clock.now().timestamp())
        scan: dict[str, Any] = {"FilterExpression": Attr("expires_at").lte(now)}
        expired: list[dict[str, Any]] = []
        while True:
            page = table.scan(**scan)
            expired += page["Items"]
            if "LastEvaluatedKey" not in page:
                break
            scan["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        for item in expired:
            table.delete_item(Key={"pk": item["pk"], "sk": item["sk"]})
        removals = self._removed_by_the_ttl(len(expired))
        try:
            return self.invoke("expired_letters", self.ttl_stream_event(expired))
        except Exception:
            # The sandbox tries once; deployed, the mapping retries 5 times, then sends this.
            self._report_failed_batch(removals)
            raise

    def _removed_by_the_ttl(self, count: int) -> list[Any]:
        """The stream records of the last ``count`` deletes, made to name DynamoDB's TTL as
        their remover, as GetRecords reports a TTL removal (moto records a caller)."""
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.dynamodb.models import dynamodb_backends

        backend = dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION]
        shard = backend.get_table(self.names.table_name).stream_shard
        removals = shard.items[len(shard.items) - count :] if count else []
        for removal in removals:
            removal.record["userIdentity"] = {"PrincipalId": TTL_PRINCIPAL, "Type": "Service"}
        return removals

    def _report_failed_batch(self, removals: list[Any]) -> None:
        """What the stream mapping sends ExpiredLettersFailureQueue when a batch failed for
        good: where the batch lies in the stream (the invoice removals its filter passes),
        no item (events/expired_letters/failed-batch.json)."""
        invoices = [
            r.record
            for r in removals
            if r.record["dynamodb"].get("OldImage", {}).get("entity") == {"S": "invoice"}
        ]
        if not invoices:
            return
        stream_arn = boto3.client("dynamodb", region_name=REGION).describe_table(
            TableName=self.names.table_name
        )["Table"]["LatestStreamArn"]
        shard = boto3.client("dynamodbstreams", region_name=REGION).describe_stream(
            StreamArn=stream_arn
        )["StreamDescription"]["Shards"][0]
        record = sample_event("expired_letters/failed-batch.json")
        record["DDBStreamBatchInfo"].update(
            shardId=shard["ShardId"],
            startSequenceNumber=invoices[0]["dynamodb"]["SequenceNumber"],
            endSequenceNumber=invoices[-1]["dynamodb"]["SequenceNumber"],
            batchSize=len(invoices),
            streamArn=stream_arn,
        )
        boto3.client("sqs", region_name=REGION).send_message(
            QueueUrl=self.resources.queue_urls["ExpiredLettersFailureQueue"],
            MessageBody=json.dumps(record),
        )

    def ttl_stream_event(self, removed: list[dict[str, Any]]) -> dict[str, Any]:
        """The stream records of items DynamoDB's TTL removed, as they were stored."""
        template = sample_event("expired_letters/ttl-removed-invoice.json")["Records"][0]
        serializer = TypeSerializer()
        records = []
        for item in removed:
            image = {name: serializer.serialize(value) for name, value in item.items()}
            record = copy.deepcopy(template)
            record["dynamodb"].update(Keys={"pk": image["pk"], "sk": image["sk"]}, OldImage=image)
            records.append(record)
        return {"Records": records}

    # --- API Gateway -> provider API ---------------------------------------------------------

    def api(self, method: str, path: str, **request: Unpack[ApiRequest]) -> tuple[int, Any]:
        """One request through API Gateway's proxy integration, as the authorizer passes it:
        as ``caller``; with only ``provider_id``, as that practice's admin; else public.
        The status and the body, decoded when it is JSON."""
        answer = self.api_raw(method, path, **request)
        payload = answer.get("body") or ""
        content_type = (answer.get("headers") or {}).get("Content-Type", "") or (
            answer.get("multiValueHeaders", {}).get("Content-Type", [""])[0]
        )
        return answer["statusCode"], json.loads(payload) if "json" in content_type else payload

    def api_raw(
        self,
        method: str,
        path: str,
        *,
        provider_id: str | None = None,
        body: Any = None,
        query: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        caller: Caller | None = None,
    ) -> dict[str, Any]:
        """Routed to the function whose Api event in template.yaml matches, as API Gateway
        does (``ApiRoutes.match``: an unknown path goes to the catch-all routes); a method
        a path's resource does not take gets the API's gateway response (template.yaml's
        MISSING_AUTHENTICATION_TOKEN). The event is the one ``make serve`` passes
        (``api_event``): the body base64, the path percent-decoded."""
        route = self.routes.match(method, unquote(path))
        if route is None:
            return copy.deepcopy(self.routes.unrouted)
        if caller is None and provider_id is not None:
            caller = Caller.practice(provider_id, "admin")
        event = self.api_event(method, path, caller=caller, body=body, query=query, headers=headers)
        event["resource"] = event["requestContext"]["resourcePath"] = route.path
        event["pathParameters"] = route.parameters(unquote(path)) or None
        return self.invoke(route.function, event)

    def api_event(
        self,
        method: str,
        path: str,
        *,
        caller: Caller | None,
        body: Any,
        query: dict[str, str] | None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """The event API Gateway passes for this request (``local.api_gateway.proxy_event``,
        as ``make serve`` builds it): ``body`` bytes as sent, text as UTF-8, anything else
        as JSON; sent with ``Content-Type: application/json`` and, for a ``caller``, a
        bearer token, unless ``headers`` name them otherwise (in any case)."""
        if body is None or isinstance(body, bytes):
            sent_body = body or b""
        elif isinstance(body, str):
            sent_body = body.encode("utf-8")
        else:
            sent_body = json.dumps(body).encode("utf-8")
        defaults = {"Content-Type": "application/json"} if body is not None else {}
        if caller is not None:
            defaults["Authorization"] = _SAMPLE_AUTHORIZATION
        given = {name.lower() for name in headers or {}}
        sent = [(k, v) for k, v in defaults.items() if k.lower() not in given]
        sent += list((headers or {}).items())
        return proxy_event(
            method,
            path,
            urlencode(query or {}),
            sent,
            sent_body,
            resource=path,
            claims=caller.claims() if caller is not None else None,
        )

    # --- invoking and reading back ------------------------------------------------------------

    def invoke(self, function: str, event: dict[str, Any]) -> dict[str, Any]:
        """The function's answer to ``event``; the calls it made to a function, each
        asynchronously (a bank statement's next run, R12), are run after it returns."""
        if getattr(self._calls, "made", None) is not None:  # within a call: run as it is
            return self._invoked(function, event)
        made: list[tuple[str, dict[str, Any]]] = []
        self._calls.made = made
        try:
            answer = self._invoked(function, event)
            while made:
                self._invoked(*made.pop(0))
        finally:
            self._calls.made = None
        return answer

    def _invoked(self, function: str, event: dict[str, Any]) -> dict[str, Any]:
        context = LocalLambdaContext(function_name=f"{LOCAL_FUNCTION_PREFIX}{function}")
        module = self.handler(function)
        try:
            return module.lambda_handler(event, context)
        finally:
            # Metrics are disabled locally, but Powertools still flushes them to stdout once
            # 100 pile up; locally they go nowhere, so they are dropped after each call.
            if hasattr(module, "metrics"):
                module.metrics.clear_metrics()

    def _called_asynchronously(self, params: dict[str, Any], **_: Any) -> tuple[Any, Any] | None:
        """lambda.invoke of a local function, "Event": kept to run after the call that made
        it (``invoke``), answered as Lambda accepts it (202). moto has no such function:
        a bank statement's run that stopped at its time called it in vain (audit bank4)."""
        from urllib.parse import unquote

        name = unquote(params["url_path"]).split("/functions/", 1)[1].split("/", 1)[0]
        function = name.rsplit(":", 1)[-1].removeprefix(LOCAL_FUNCTION_PREFIX)
        made = getattr(self._calls, "made", None)
        if made is None:  # called outside a function (a test's own client): moto answers
            return None
        made.append((function, json.loads(params["body"] or b"{}")))
        return _Accepted(), {"StatusCode": 202, "ResponseMetadata": {"HTTPStatusCode": 202}}

    def outbox(self) -> list[dict[str, Any]]:
        """Every e-mail SES accepted: to, subject, text, html, attachments, time, kenmerk."""
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.ses.models import ses_backends

        backend = ses_backends[DEFAULT_ACCOUNT_ID][REGION]
        letters = self._letters_by_message_id()
        return [
            _parsed_email(message) | letters.get(message.id, {"kenmerk": "", "time": ""})
            for message in backend.sent_messages
        ]

    def _letters_by_message_id(self) -> dict[str, dict[str, str]]:
        """Which invoice each e-mail was about, from the correspondence on the invoices (R30):
        one about several (a patient's reminder covering two invoices, recorded on each) by
        its lead, the invoice its attachment and kept PDF are named after (``_named_by``),
        whichever order the scan reads the invoices in. Before, the last one read."""
        letters: dict[str, dict[str, str]] = {}
        for message_id, records in self._recorded_by_message_id(Channel.EMAIL).items():
            kenmerk, letter = _named_by(records[0][1].get("kept_key", ""), records)
            letters[message_id] = {"kenmerk": kenmerk, "time": letter["at"]}
        return letters

    def _recorded_by_message_id(
        self, channel: Channel
    ) -> dict[str, list[tuple[str, dict[str, Any]]]]:
        """The letters of ``channel`` recorded on the invoices (R30) by their message id (a
        posted one's is its key), each with the kenmerken of the invoices that recorded it:
        a letter about several invoices is recorded on each."""
        recorded: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for kenmerk, letter in self._correspondence():
            if letter["channel"] == channel.value:
                recorded.setdefault(letter["message_id"], []).append((kenmerk, letter))
        return recorded

    def _correspondence(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every letter and e-mail recorded on an invoice (R30), with the invoice's kenmerk."""
        table = boto3.resource("dynamodb", region_name=REGION).Table(self.names.table_name)
        scan: dict[str, Any] = {
            "FilterExpression": "entity = :invoice",
            "ExpressionAttributeValues": {":invoice": "invoice"},
        }
        while True:
            page = table.scan(**scan)
            for item in page["Items"]:
                for letter in item.get("correspondence", []):
                    yield item["reference"], letter
            if "LastEvaluatedKey" not in page:
                return
            scan["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def printed_letters(self) -> list[dict[str, str]]:
        """The PDFs of the print batches (``print/{day}/{provider}/``, what the print house
        takes: paper invoices, reminders, confirmations), each with what the invoices
        recorded of it (R30: a posted letter's ``message_id`` is its key): its kind, the
        kenmerk its PDF is named by (a dunning letter's lead, recorded on every invoice it
        covers), when it was put, and the day its batch is posted (legal-nl.md §2)."""
        recorded = self._recorded_by_message_id(Channel.PAPER)
        keys = [key for key in self.output_keys("print/") if key.endswith(".pdf")]
        return [self._printed_letter(key, recorded.get(key, [])) for key in keys]

    def _printed_letter(
        self, key: str, records: list[tuple[str, dict[str, Any]]]
    ) -> dict[str, str]:
        """One PDF of a print batch; kind, kenmerk and time "" when no invoice recorded it
        (an attempt that died between the put and the noting, R38)."""
        _, day, provider_id, file_name = key.split("/", 3)
        kenmerk, letter = _named_by(file_name, records)
        posting = posting_key(provider_id, date.fromisoformat(day))
        return {
            "batch": f"{day}/{provider_id}",
            "file": file_name,
            "kind": letter.get("kind", ""),
            "kenmerk": kenmerk,
            "time": letter.get("at", ""),
            "posted_on": json.loads(self.output_object(posting))["posted_on"],
            "key": key,
        }

    def output_keys(self, prefix: str) -> list[str]:
        pages = self.runtime.s3.get_paginator("list_objects_v2").paginate(
            Bucket=self.names.output_bucket, Prefix=prefix
        )
        return [o["Key"] for page in pages for o in page.get("Contents", [])]

    def output_object(self, key: str) -> bytes:
        return self.runtime.output_files.get(key)


def _named_by(
    file_key: str, records: list[tuple[str, dict[str, Any]]]
) -> tuple[str, dict[str, Any]]:
    """Of the (kenmerk, letter) records of one letter, the one of the invoice its file is
    named after: the letter's lead, or the first invoice it is about (a file name starts
    with that kenmerk, all digits, then "-" or ".pdf": letter_print_key,
    dunning_letter_key). Failing that (no file, or none recorded on that invoice: an
    attempt that died before noting, R38) the lowest kenmerk, so the answer never depends
    on the order a scan read them in; ("", {}) for no record."""
    name = file_key.rsplit("/", 1)[-1].removesuffix(".pdf").split("-", 1)[0]
    named = [record for record in records if record[0] == name]
    return min(named or records, key=lambda record: record[0], default=("", {}))


def _parsed_email(message: Any) -> dict[str, Any]:
    mime = message_from_bytes(
        message.raw_data.encode() if isinstance(message.raw_data, str) else message.raw_data,
        policy=policy.default,
    )
    text = mime.get_body(preferencelist=("plain",))
    html = mime.get_body(preferencelist=("html",))
    return {
        "message_id": message.id,
        "to": mime["To"],
        "subject": str(mime["Subject"]).strip(),
        "text": text.get_content() if text else "",
        "html": html.get_content() if html else "",
        "attachments": [
            {"filename": part.get_filename(), "content": part.get_content()}
            for part in mime.iter_attachments()
        ],
    }
