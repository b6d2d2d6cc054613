"""The composition root: adapters built once per cold start from the typed settings.

Handlers ask this module for what they need; the local sandbox sets a test clock here.
The use-case contexts, and the adapters only some functions use, are imported where they
are built: a handler pays at cold start only for what it uses (the PDF renderer alone
costs the ingest function 0.25 s).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from pydantic import SecretStr

from billing_core.adapters.dynamo.repository import BillingRepository
from billing_core.adapters.s3 import S3FileStore
from billing_core.adapters.sqs import SqsDeliveryQueue
from billing_core.settings import Settings, get_settings
from billing_core.shared.clock import Clock, SystemClock

if TYPE_CHECKING:
    from billing_core.adapters.dynamo.audit import DynamoAuditLog
    from billing_core.adapters.dynamo.payment_links import PaymentLinkRepository
    from billing_core.adapters.dynamo.run_parts import RunPartMarks
    from billing_core.adapters.dynamo.stream import TableStream
    from billing_core.adapters.dynamo.transfer_batches import TransferBatchRepository
    from billing_core.adapters.ses import SesNotifier
    from billing_core.collection.collection_report import CollectionReportContext
    from billing_core.correspondence.bounces import EmailEventContext
    from billing_core.correspondence.delivery import DeliveryContext
    from billing_core.correspondence.kept_letters import ExpiredLettersContext
    from billing_core.declarations.upload import IngestContext
    from billing_core.dunning.run import DunningContext
    from billing_core.invoices.invoice import Invoice
    from billing_core.payments.bank_import import BankImportContext
    from billing_core.payments.collection_account import CollectionAccount
    from billing_core.payments.online import OnlinePaymentContext
    from billing_core.payments.psp import PaymentProvider
    from billing_core.ports import PortalSignIn, UploadUrls, UserDirectory
    from billing_core.providers.provider import Provider
    from billing_core.providers.retrocession_run import RetrocessionContext
    from billing_core.providers.settings_history import Editor
    from billing_core.services.operator.context import BackOfficeContext, OperatorContext
    from billing_core.services.operator.migrations import MigrationContext
    from billing_core.services.operator.money_out import MoneyOutContext
    from billing_core.services.patient import PatientContext
    from billing_core.services.provider.context import ProviderContext


class LazyClient:
    """A boto3 client made on its first call. A use case's context names every adapter
    the use case may need; a request pays a client's start (0.05-0.15 s at cold start)
    only when it really calls it (the payment checker never sends a message)."""

    def __init__(self, service: str) -> None:
        self._service = service
        self._client: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._client is None:
            self._client = boto3.client(self._service)
        return getattr(self._client, name)


class Runtime:
    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        self.settings = settings
        self.clock: Clock = clock or SystemClock()

    @cached_property
    def repository(self) -> BillingRepository:
        table = boto3.resource("dynamodb").Table(self.settings.table_name)
        return BillingRepository(table)

    @cached_property
    def s3(self) -> Any:
        return LazyClient("s3")

    @cached_property
    def output_files(self) -> S3FileStore:
        return S3FileStore(self.s3, self.settings.output_bucket)

    @cached_property
    def delivery_queue(self) -> SqsDeliveryQueue:
        return SqsDeliveryQueue(LazyClient("sqs"), self.settings.delivery_queue_url)

    @cached_property
    def notifier(self) -> SesNotifier:
        from billing_core.adapters.ses import SesNotifier

        return SesNotifier(
            boto3.client("sesv2"),
            sender=self.settings.sender_email,
            configuration_set=self.settings.ses_configuration_set,
        )

    @cached_property
    def upload_urls(self) -> UploadUrls:
        from billing_core.adapters.uploads import S3PresignedUploads

        # SigV4: only it signs the upload's headers (adapters/uploads.py).
        signer = boto3.client("s3", config=Config(signature_version="s3v4"))
        return S3PresignedUploads(signer, self.settings.declarations_bucket)

    @cached_property
    def reference_key(self) -> bytes:
        settings = self.settings
        return _key(settings.reference_key_secret_arn, settings.reference_key, "REFERENCE_KEY")

    @cached_property
    def visit_key(self) -> bytes:
        """Signs the checker's visit pass (R36)."""
        return _key(self.settings.visit_key_secret_arn, self.settings.visit_key, "VISIT_KEY")

    @cached_property
    def portal_session_key(self) -> bytes:
        """Signs the portal's session cookies (R35)."""
        settings = self.settings
        return _key(
            settings.portal_session_key_secret_arn,
            settings.portal_session_key,
            "PORTAL_SESSION_KEY",
        )

    @cached_property
    def portal_sign_in(self) -> PortalSignIn:
        """The Cognito hosted UI; the sandbox installs its sample users instead."""
        from billing_core.adapters.cognito_sign_in import CognitoHostedSignIn

        if not self.settings.portal_sign_in_domain:
            raise RuntimeError("set PORTAL_SIGN_IN_DOMAIN and PORTAL_CLIENT_ID (deployed)")
        return CognitoHostedSignIn(
            self.settings.portal_sign_in_domain,
            self.settings.portal_client_id,
            f"{self.settings.public_base_url.rstrip('/')}/portal/callback",
        )

    @property
    def collection_account(self) -> CollectionAccount:
        from billing_core.payments.collection_account import CollectionAccount, collection_iban

        return CollectionAccount(
            collection_iban(self.settings.collection_iban), self.settings.collection_account_holder
        )

    @cached_property
    def user_directory(self) -> UserDirectory:
        """The Cognito user pool when deployed; in memory in the sandbox and the tests."""
        if self.settings.user_pool_id:
            from billing_core.adapters.cognito_users import CognitoUserDirectory

            return CognitoUserDirectory(LazyClient("cognito-idp"), self.settings.user_pool_id)
        from billing_core.adapters.users_in_memory import InMemoryUserDirectory

        return InMemoryUserDirectory(self.clock)

    @cached_property
    def payment_links(self) -> PaymentLinkRepository:
        """PSP checkouts and bank credit links, on the billing table."""
        from billing_core.adapters.dynamo.payment_links import PaymentLinkRepository

        table = boto3.resource("dynamodb").Table(self.settings.table_name)
        return PaymentLinkRepository(table, self.clock)

    @cached_property
    def transfer_batches(self) -> TransferBatchRepository:
        """Payout and refund batches (R34), on the billing table."""
        from billing_core.adapters.dynamo.transfer_batches import TransferBatchRepository

        return TransferBatchRepository(boto3.resource("dynamodb").Table(self.settings.table_name))

    @cached_property
    def run_parts(self) -> RunPartMarks:
        """The parts of runs in parts finished (parts58), on the billing table."""
        from billing_core.adapters.dynamo.run_parts import RunPartMarks

        return RunPartMarks(boto3.resource("dynamodb").Table(self.settings.table_name))

    @cached_property
    def audit_log(self) -> DynamoAuditLog:
        """The audit of reads (R32), on the billing table."""
        from billing_core.adapters.dynamo.audit import DynamoAuditLog

        return DynamoAuditLog(boto3.resource("dynamodb").Table(self.settings.table_name))

    @cached_property
    def psp(self) -> PaymentProvider:
        """Mollie when an API key secret is configured (deployed); else the local fake PSP,
        whose checkout page is served by the sandbox (make serve, tests)."""
        if self.settings.psp_api_key_secret_arn:
            from billing_core.adapters.mollie import MolliePsp

            return MolliePsp(api_key=self._psp_api_key)
        from billing_core.adapters.fake_psp import FakePsp

        return FakePsp(self.settings.public_base_url, self.clock)

    def _psp_api_key(self) -> str:
        from aws_lambda_powertools.utilities import parameters

        secret = parameters.get_secret(self.settings.psp_api_key_secret_arn, max_age=3600)
        return str(secret).strip()

    def bank_import_context(self) -> BankImportContext:
        from billing_core.payments.bank_import import BankImportContext
        from billing_core.payments.collection_account import collection_iban

        return BankImportContext(
            store=self.repository,
            files=self.output_files,
            links=self.payment_links,
            clock=self.clock,
            delivery=self.delivery_queue,
            batches=self.transfer_batches,
            collection_iban=collection_iban(self.settings.collection_iban),
        )

    def ingest_context(self) -> IngestContext:
        from billing_core.declarations.upload import IngestContext

        return IngestContext(
            store=self.repository,
            files=self.output_files,
            delivery=self.delivery_queue,
            clock=self.clock,
            reference_key=self.reference_key,
            max_lines=self.settings.max_declaration_lines,
            registers=self.repository,
        )

    def dunning_context(self) -> DunningContext:
        from billing_core.dunning.run import DunningContext

        return DunningContext(
            store=self.repository,
            files=self.output_files,
            delivery=self.delivery_queue,
            clock=self.clock,
        )

    def collection_report_context(self) -> CollectionReportContext:
        from billing_core.collection.collection_report import CollectionReportContext

        return CollectionReportContext(
            store=self.repository, files=self.output_files, clock=self.clock
        )

    def retrocession_context(self) -> RetrocessionContext:
        from billing_core.providers.retrocession_run import RetrocessionContext

        return RetrocessionContext(store=self.repository, files=self.output_files)

    def delivery_context(self) -> DeliveryContext:
        from billing_core.correspondence.delivery import DeliveryContext

        return DeliveryContext(
            store=self.repository,
            files=self.output_files,
            notifier=self.notifier,
            clock=self.clock,
            public_base_url=self.settings.public_base_url,
            account=self.collection_account,
        )

    # --- the contexts of the two APIs' use cases and of the other functions' (issue 11) ---

    def money_out_context(self) -> MoneyOutContext:
        from billing_core.payments.collection_account import collection_bic, collection_iban
        from billing_core.payments.sepa_transfers import DebtorAccount
        from billing_core.services.operator.money_out import MoneyOutContext

        settings = self.settings
        return MoneyOutContext(
            store=self.repository,
            batches=self.transfer_batches,
            files=self.output_files,
            clock=self.clock,
            debtor=lambda: DebtorAccount(
                settings.collection_account_holder,
                collection_iban(settings.collection_iban),
                collection_bic(settings.collection_bic),
            ),
            second_approval_above_cents=settings.second_approval_above_cents,
            audit=self.audit_log,
            psp=lambda: self.psp,
        )

    def provider_context(self) -> ProviderContext:
        from billing_core.services.provider.context import ProviderContext

        return ProviderContext(
            store=self.repository,
            files=self.output_files,
            uploads=self.upload_urls,
            delivery=self.delivery_queue,
            clock=self.clock,
            users=self.user_directory,
            audit=self.audit_log,
            upload_url_seconds=self.settings.upload_url_seconds,
            batches=self.transfer_batches,
            invoice_document=self._invoice_document,
            registers=self.repository,
        )

    def operator_context(self) -> OperatorContext:
        from billing_core.services.operator.context import OperatorContext

        return OperatorContext(
            store=self.repository,
            users=self.user_directory,
            clock=self.clock,
            registers=self.repository,
        )

    def back_office_context(self, operator: Editor) -> BackOfficeContext:
        """For one request of an operator (the ``operators`` group's user)."""
        from billing_core.services.operator.context import BackOfficeContext
        from billing_core.shared.audit import Reader

        return BackOfficeContext(
            store=self.repository,
            files=self.output_files,
            links=self.payment_links,
            audit=self.audit_log,
            delivery=self.delivery_queue,
            clock=self.clock,
            operator=Reader(operator.user_id, operator.role),
        )

    def migration_context(self, operator: Editor) -> MigrationContext:
        """For one data migration an operator starts after a deploy (issues 13, 16)."""
        from billing_core.services.operator.migrations import MigrationContext
        from billing_core.shared.audit import Reader

        return MigrationContext(
            store=self.repository,
            audit=self.audit_log,
            clock=self.clock,
            operator=Reader(operator.user_id, operator.role),
            links=self.payment_links,
            reports=self.output_files,
        )

    def patient_context(self) -> PatientContext:
        from billing_core.services.patient import PatientContext

        return PatientContext(
            store=self.repository,
            delivery=self.delivery_queue,
            clock=self.clock,
            visit_key=self.visit_key,
            invoice_document=self._invoice_document,
        )

    def _invoice_document(self, invoice: Invoice, provider: Provider) -> tuple[str, bytes]:
        """The invoice PDF as its addressee received it, with what is due now when that
        changed since, for download from the checker and the portal (R36, R30)."""
        from billing_core.correspondence.invoice_copy import invoice_copy
        from billing_core.correspondence.pdf import invoice_file_name
        from billing_core.dunning.letter_costs import rest_of_the_notice

        pdf = invoice_copy(
            invoice,
            provider,
            self.clock.today(),
            public_base_url=self.settings.public_base_url,
            account=self.collection_account,
            letter=rest_of_the_notice(self.repository, invoice),
        )
        return invoice_file_name(invoice), pdf

    def online_payment_context(self) -> OnlinePaymentContext:
        from billing_core.payments.online import OnlinePaymentContext

        return OnlinePaymentContext(
            store=self.repository,
            checkouts=self.payment_links,
            psp=self.psp,
            clock=self.clock,
            public_base_url=self.settings.public_base_url,
            delivery=self.delivery_queue,
            files=self.output_files,
        )

    def email_event_context(self) -> EmailEventContext:
        from billing_core.correspondence.bounces import EmailEventContext

        return EmailEventContext(store=self.repository)

    def expired_letters_context(self) -> ExpiredLettersContext:
        from billing_core.correspondence.kept_letters import ExpiredLettersContext

        return ExpiredLettersContext(
            store=self.repository, files=self.output_files, clock=self.clock
        )

    def table_stream(self) -> TableStream:
        """The billing table's stream, read only to replay a batch that failed for good
        (an operator invokes the expired-letters function with its on-failure record)."""
        from billing_core.adapters.dynamo.stream import TableStream

        return TableStream(boto3.client("dynamodbstreams"))


def _key(secret_arn: str, local_key: SecretStr, variable: str) -> bytes:
    """A key from Secrets Manager when deployed; from the environment on a developer's
    machine (``variable``)."""
    if secret_arn:
        from aws_lambda_powertools.utilities import parameters

        return str(parameters.get_secret(secret_arn, max_age=3600)).encode()
    value = local_key.get_secret_value()
    if not value:
        raise RuntimeError(f"set {variable}_SECRET_ARN (deployed) or {variable} (local)")
    return value.encode()


_current: Runtime | None = None


def current() -> Runtime:
    global _current
    if _current is None:
        _current = Runtime(get_settings())
    return _current


def install(runtime: Runtime) -> None:
    """For the local sandbox and tests: use this runtime (e.g. with a FixedClock)."""
    global _current
    _current = runtime
