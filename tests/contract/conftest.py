"""The repository contract (issue 11): every case runs against the in-memory fakes the unit
tests use AND against the adapters on moto, on a table and a bucket built from
template.yaml's own definitions (local/resources.py, as the functional tests build them).

A case that passes on one and fails on the other is drift. DynamoDB's behaviour is the
contract: the fake follows the adapter. Where the adapter itself looks wrong, the case is
an ``xfail(strict=True)`` that names the issue, so fixing the adapter makes it fail loudly.

One moto serves the whole package (starting it costs more than the cases), stopped when
the last contract case is done; each case gets a table and a bucket of its own, so no
case sees another's items.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from billing_core.adapters.cognito_users import CognitoUserDirectory
from billing_core.adapters.dynamo.audit import DynamoAuditLog
from billing_core.adapters.dynamo.payment_links import PaymentLinkRepository
from billing_core.adapters.dynamo.repository import BillingRepository
from billing_core.adapters.dynamo.transfer_batches import TransferBatchRepository
from billing_core.adapters.s3 import S3FileStore
from billing_core.adapters.users_in_memory import InMemoryUserDirectory
from billing_core.providers.users import Role
from local import moto_speedup
from local.resources import LocalNames, create_buckets, create_tables, load_template
from tests.unit.fake_store import AuditInMemory, FakeStore, FilesInMemory
from tests.unit.payment_fakes import CheckoutsInMemory, LinksInMemory

IN_MEMORY = "in-memory"
MOTO = "moto"
REGION = "eu-central-1"


@pytest.fixture(scope="package")
def aws() -> Iterator[boto3.Session]:
    moto_speedup.install()  # as the sandbox does: the same transaction rollback
    with mock_aws():
        yield boto3.Session(region_name=REGION)


@pytest.fixture(scope="package")
def template() -> dict[str, Any]:
    return load_template()


@pytest.fixture(params=[IN_MEMORY, MOTO])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def table(request: pytest.FixtureRequest, template: dict[str, Any]) -> Any:
    """A fresh BillingTable: its keys, indexes and TTL as the template defines them."""
    session = request.getfixturevalue("aws")
    names = LocalNames(table_name=f"contract-{uuid.uuid4().hex}")
    create_tables(session.client("dynamodb"), _only(template, "BillingTable"), names)
    return session.resource("dynamodb").Table(names.table_name)


@pytest.fixture
def store(request: pytest.FixtureRequest, backend: str) -> FakeStore | BillingRepository:
    return _fake_or_adapter(request, backend, FakeStore, BillingRepository)


@pytest.fixture
def batches(request: pytest.FixtureRequest, backend: str) -> FakeStore | TransferBatchRepository:
    return _fake_or_adapter(request, backend, FakeStore, TransferBatchRepository)


@pytest.fixture
def audit(request: pytest.FixtureRequest, backend: str) -> AuditInMemory | DynamoAuditLog:
    return _fake_or_adapter(request, backend, AuditInMemory, DynamoAuditLog)


@pytest.fixture
def checkouts(
    request: pytest.FixtureRequest, backend: str
) -> CheckoutsInMemory | PaymentLinkRepository:
    return _fake_or_adapter(request, backend, CheckoutsInMemory, PaymentLinkRepository)


@pytest.fixture
def links(request: pytest.FixtureRequest, backend: str) -> LinksInMemory | PaymentLinkRepository:
    """On the case's own table, as its ``store``: a withdrawal checks invoice versions."""
    if backend == IN_MEMORY:
        return LinksInMemory(request.getfixturevalue("store"))
    return PaymentLinkRepository(request.getfixturevalue("table"))


@pytest.fixture
def files_and_contents(
    request: pytest.FixtureRequest, backend: str, template: dict[str, Any]
) -> tuple[FilesInMemory | S3FileStore, Callable[[], dict[str, bytes]]]:
    """The output bucket as a FileStore, and what it holds now (key -> bytes)."""
    if backend == IN_MEMORY:
        files = FilesInMemory()
        return files, lambda: dict(files.files)
    session = request.getfixturevalue("aws")
    s3 = session.client("s3")
    names = LocalNames(output_bucket=f"contract-{uuid.uuid4().hex}")
    create_buckets(s3, _only(template, "OutputBucket"), names, REGION)

    def contents() -> dict[str, bytes]:
        listed = s3.list_objects_v2(Bucket=names.output_bucket).get("Contents", [])
        return {
            o["Key"]: s3.get_object(Bucket=names.output_bucket, Key=o["Key"])["Body"].read()
            for o in listed
        }

    return S3FileStore(s3, names.output_bucket), contents


@pytest.fixture
def xfail_on_moto(request: pytest.FixtureRequest, backend: str) -> Callable[[str], None]:
    """For a case the adapter fails and should not: strict, so a fix is noticed."""

    def mark(reason: str) -> None:
        if backend == MOTO:
            request.applymarker(pytest.mark.xfail(strict=True, reason=reason))

    return mark


def _fake_or_adapter(
    request: pytest.FixtureRequest,
    backend: str,
    fake: Callable[[], Any],
    adapter: Callable[[Any], Any],
) -> Any:
    """A new fake, or the adapter on this case's own table."""
    if backend == IN_MEMORY:
        return fake()
    return adapter(request.getfixturevalue("table"))


def _only(template: dict[str, Any], logical_id: str) -> dict[str, Any]:
    """The template with just this resource: the other tables and buckets are not needed."""
    return {"Resources": {logical_id: template["Resources"][logical_id]}}


@pytest.fixture
def users(request: pytest.FixtureRequest, backend: str, template: dict[str, Any]) -> Any:
    """The practices' users: in memory, or a Cognito user pool with the template's sign-in
    by e-mail address, custom attributes and role groups (R32)."""
    if backend == IN_MEMORY:
        return InMemoryUserDirectory()
    cognito = request.getfixturevalue("aws").client("cognito-idp")
    pool_properties = template["Resources"]["ProviderUserPool"]["Properties"]
    pool = cognito.create_user_pool(
        PoolName=f"contract-{uuid.uuid4().hex}",
        UsernameAttributes=pool_properties["UsernameAttributes"],
        Schema=pool_properties["Schema"],
    )["UserPool"]["Id"]
    for role in Role:
        cognito.create_group(UserPoolId=pool, GroupName=role.value)
    return CognitoUserDirectory(cognito, pool)


@pytest.fixture
def first_sign_in(backend: str, users: Any) -> Callable[[str], None]:
    """The invited user signs in and chooses their own password (Cognito: from
    FORCE_CHANGE_PASSWORD to CONFIRMED); the sandbox's sign-in page does it in memory."""
    if backend == IN_MEMORY:
        return users.first_sign_in  # type: ignore[no-any-return]

    def choose_own_password(email: str) -> None:
        users._client.admin_set_user_password(
            UserPoolId=users._pool, Username=email, Password="Eigen-wachtwoord-2026", Permanent=True
        )

    return choose_own_password
