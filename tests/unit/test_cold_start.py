"""A cold start pays for no AWS client, no X-Ray SDK and no idempotency utility before its
first event (issue 11 item 5, bench (d)): Powertools' tracer and idempotency utility are
made on the first invocation."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from local.bench import EVENT_HANDLERS

ROOT = Path(__file__).resolve().parents[2]

# Counts the boto3/botocore clients made while the handler modules are imported.
IMPORT_ALL = """
import json, sys
import botocore.session

made = []
create_client = botocore.session.Session.create_client

def counted(self, service_name, *args, **kwargs):
    made.append(service_name)
    return create_client(self, service_name, *args, **kwargs)

botocore.session.Session.create_client = counted
for name in sys.argv[1:]:
    __import__(f"functions.{name}.app")
loaded = sorted(m for m in sys.modules if m.startswith("billing_core."))
idempotency = "aws_lambda_powertools.utilities.idempotency" in sys.modules
answer = {"clients": made, "xray": "aws_xray_sdk" in sys.modules, "idempotency": idempotency}
answer["openapi_models"] = "aws_lambda_powertools.event_handler.openapi.models" in sys.modules
answer["stdnum"] = "stdnum" in sys.modules
# The classes billing_core built: a dataclass costs ~3.8M instructions to make (bench (d)).
answer["classes"] = sorted(
    {
        value.__qualname__
        for name in loaded
        for value in vars(sys.modules[name]).values()
        if isinstance(value, type) and value.__module__ == name
    }
)
print(json.dumps({**answer, "loaded": loaded}))
"""


def imported(*handlers: str) -> dict[str, object]:
    environment = {**os.environ, "AWS_DEFAULT_REGION": "eu-central-1"}
    environment["PYTHONPATH"] = f"{ROOT / 'layers' / 'billing_core'}:{ROOT}"
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL, *handlers],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    answer: dict[str, object] = json.loads(result.stdout)
    return answer


def test_importing_a_handler_makes_no_aws_client_and_loads_no_xray_sdk():
    # Given a fresh interpreter, when every event handler module is imported
    answer = imported(*EVENT_HANDLERS)
    # Then no client was made, and neither the X-Ray SDK nor Powertools' idempotency
    # utility (the S3 and queue functions use it) is loaded: they wait for an event
    assert (answer["clients"], answer["xray"], answer["idempotency"]) == ([], False, False)


API_FUNCTIONS = ("provider_api", "patient_api", "operator_api", "provider_portal")


def test_an_api_function_builds_the_openapi_models_only_when_its_document_is_asked_for():
    # Given a fresh interpreter, when every API function's module is imported
    answer = imported(*API_FUNCTIONS)
    # Then Powertools' OpenAPI models (every pydantic model of the OpenAPI spec, ~0.7x
    # `import boto3` in instructions) are not loaded: request validation does not need
    # them, the document and the Swagger page build them when served (issue 11 item 5)
    assert (answer["clients"], answer["openapi_models"]) == ([], False)


# Aggregates whose item mappings the repository loads in the methods that use them.
STATEMENT_AND_SETTINGS = {
    "billing_core.providers.retrocession",  # R24 statements
    "billing_core.providers.settings_history",  # R31 settings versions
}
UPLOADS_AND_REGISTERS = {
    "billing_core.declarations.record",  # upload records
    "billing_core.declarations.rules.insurers",  # R33 insurer register
}


def test_a_function_loads_only_the_aggregates_it_reads_or_writes():
    # Given the dunning run, which never writes a statement, a settings version or an
    # upload record, when its handler module is imported in a fresh interpreter
    loaded = set(imported("dunning_run")["loaded"])
    # Then none of those aggregates' modules is loaded (issue 11 item 5)
    assert loaded & (STATEMENT_AND_SETTINGS | UPLOADS_AND_REGISTERS) == set()
    # while the invoice and the provider, which it reads, are
    assert loaded >= {"billing_core.invoices.invoice", "billing_core.providers.provider"}


def test_an_upload_function_loads_the_upload_record_but_not_the_statement():
    # Given the declaration ingest, which records its upload and reads the insurer register
    loaded = set(imported("declaration_ingest")["loaded"])
    # Then it loads those, and not the weekly statement or the settings history
    assert loaded >= UPLOADS_AND_REGISTERS
    assert loaded & STATEMENT_AND_SETTINGS == set()


PROVIDER_MODEL = "billing_core.providers.provider"
# Whether a function's use case reads a provider's settings (BillingStore.get_provider): the
# ones that do build the provider's pydantic models at init, not on their first event.
READS_A_PROVIDER = {
    "declaration_ingest": True,  # R4-R6: payment term, contracts, coverage rules
    "retour_import": True,  # R5: contracts, to re-rate the rejected lines
    "invoice_delivery": True,  # R8: the practice's address and contact on the letter
    "dunning_run": True,  # R19: the provider's dunning policy
    "retrocession_run": True,  # R24: the service fee and the payout account
    "bank_statement_import": False,  # books payments on invoices found by kenmerk (R12)
    "psp_webhook": False,  # books a PSP payment or an arrangement's term (R11, R15)
    "ses_events": False,  # marks an e-mail bounced or delivered (R9)
    "collection_report_import": False,  # books what the agency reports (R22)
    "expired_letters": False,  # deletes an expired invoice's letters (legal-nl.md §8)
}


def test_only_a_function_that_reads_a_provider_builds_the_provider_models():
    # Given every event handler imported in its own fresh interpreter
    loaded = {name: PROVIDER_MODEL in imported(name)["loaded"] for name in EVENT_HANDLERS}
    # Then the provider's models are built at init exactly where the use case reads them:
    # the others leave out ~50 ms of pydantic schema building (issue 11 item 5)
    assert loaded == READS_A_PROVIDER


def test_only_a_function_that_reads_a_provider_loads_python_stdnum():
    # Given every event handler imported in its own fresh interpreter
    loaded = {name: imported(name)["stdnum"] for name in EVENT_HANDLERS}
    # Then python-stdnum (it loads pydoc: ~3% of `import boto3` in instructions) is loaded
    # where the provider's model checks an IBAN and a postcode at init; a claim's postcode
    # and the log's BSN mask take it on their rare paths (issue 18 (d))
    assert loaded == READS_A_PROVIDER


def test_the_monday_run_loads_no_payment_booking():
    # Given the weekly retrocession run, which proposes payouts and refunds and books none,
    # when its handler module is imported in a fresh interpreter
    loaded = set(imported("retrocession_run")["loaded"])
    # Then payment booking (with the dunning corrections and legal rules behind it) waits
    # for an approved refund batch (issue 18 (d))
    assert "billing_core.payments.booking" not in loaded


def test_the_retour_import_plans_invoices_only_for_a_rejected_material():
    # Given the retour import, whose cold start is held to 2x `import boto3` (issue 18 (d)),
    # when its handler module is imported in a fresh interpreter
    loaded = set(imported("retour_import")["loaded"])
    # Then the invoice planning (with the coverage and line rules behind it) is not loaded:
    # only a rejected VGZ-group material is invoiced to the patient (legal-nl.md §6)
    planning = {
        "billing_core.declarations.invoicing",
        "billing_core.declarations.rules.coverage",
        "billing_core.declarations.rules.line_rules",
    }
    assert loaded & planning == set()


# Records of the ports that only some functions make or read, each in a module of its own.
RECORDS_OF_OTHER_FUNCTIONS = {
    "SignedUpload",  # an upload URL: the provider API and the portal
    "CheckoutRecord",  # an online payment: the PSP webhook and the checker
    "BankCreditLink",  # a booked bank credit: the bank statement import
    "ProviderListing",  # every provider: the runs and the back office
    "ReferenceHolder",  # a kenmerk's marker: the operator's migration
    "InvoiceFilter",  # a practice's invoice list: the APIs and the portal
}


def test_the_upload_imports_build_no_record_of_the_other_functions():
    # Given the retour import and the declaration ingest, the rows of bench (d) nearest
    # 2x `import boto3` (issue 18), when both are imported in a fresh interpreter
    answer = imported("retour_import", "declaration_ingest")
    # Then billing_core built none of the records they never make or read (~3.8M
    # instructions each, ~23M in all), while it did build those they use
    classes = set(answer["classes"])
    assert classes & RECORDS_OF_OTHER_FUNCTIONS == set()
    assert {"KnownClaim", "NewInvoice", "NewInvoicesStored", "DeliveryRequest"} <= classes


# A paid webhook for an invoice without an arrangement, after the handler module's import:
# what its first invocation loads besides (the unit fakes stand in for the table and PSP).
FIRST_PAID_WEBHOOK = """
import json, sys
from datetime import datetime
import functions.psp_webhook.app
at_import = set(sys.modules)
from billing_core.adapters.fake_psp import FakePsp
from billing_core.payments.online import OnlinePaymentContext, WebhookDecision, handle_psp_webhook
from billing_core.payments.psp import PaymentRequest, PspStatus
from billing_core.payments.checkouts import CheckoutRecord
from billing_core.shared.clock import AMSTERDAM, FixedClock
from tests.unit.factories import REFERENCE, make_invoice
from tests.unit.fake_store import FakeQueue, FakeStore
from tests.unit.payment_fakes import CheckoutsInMemory

clock = FixedClock(datetime(2026, 11, 24, 10, 15, tzinfo=AMSTERDAM))
invoice = make_invoice()
psp = FakePsp("https://zorgnota.example.org", clock)
request = PaymentRequest(1000, "Nota", REFERENCE, "https://back", "https://hook")
paid = psp.create_payment(request, "key").psp_payment_id
psp.complete(paid, "paid")
checkouts = CheckoutsInMemory()
checkouts.record_checkout(
    CheckoutRecord(paid, invoice.provider_id, invoice.invoice_id, REFERENCE, 1000,
                   clock.now(), PspStatus.OPEN)
)
ctx = OnlinePaymentContext(FakeStore([invoice]), checkouts, psp, clock, "https://x",
                           delivery=FakeQueue())
outcome = handle_psp_webhook(paid, ctx)
loaded = sorted(m for m in sys.modules if m.startswith("billing_core."))
print(json.dumps({"decision": outcome.decision.value, "at_import": sorted(at_import),
                  "after": loaded}))
"""


def first_paid_webhook() -> dict[str, list[str]]:
    environment = {**os.environ, "AWS_DEFAULT_REGION": "eu-central-1"}
    environment["PYTHONPATH"] = f"{ROOT / 'layers' / 'billing_core'}:{ROOT}"
    result = subprocess.run(
        [sys.executable, "-c", FIRST_PAID_WEBHOOK],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    answer: dict[str, list[str]] = json.loads(result.stdout)
    return answer


# Needed only to start a payment from the checker (an arrangement's terms, the patient's
# proof that the invoice is theirs), or for the terms to book on an arrangement the run
# cancelled (R15).
CHECKER_ONLY = {"billing_core.changes.arrangement", "billing_core.invoices.access"}


def test_the_psp_webhook_loads_what_only_the_checker_needs_not_even_to_book():
    # Given the PSP webhook, whose cold start is held to 2x `import boto3` (issue 18 (d)),
    # when its handler module is imported and a first payment is booked through it (R11)
    answer = first_paid_webhook()
    assert answer["decision"] == "booked"
    # Then what only the checker's start of a payment needs was not loaded, not at import
    # and not by the booking (an invoice without a cancelled arrangement has no terms to
    # see kept, R15): the cold start's savings are not merely moved to the first event
    assert CHECKER_ONLY & (set(answer["at_import"]) | set(answer["after"])) == set()


NAMES_THE_INVOICE_LETTER = """
import sys
from billing_core.correspondence.kinds import INVOICE_LETTER
print(INVOICE_LETTER, "fpdf" in sys.modules)
"""


def test_the_invoice_letters_kind_is_one_constant_named_without_the_pdf_library():
    """One way to name a thing (architecture.md; closing 14 found it twice).
    Given the kind of the delivery's record of the invoice itself ("invoice")
    When a fresh interpreter imports it from correspondence.kinds
    Then it is there and the PDF library is not loaded, so the invoice copy and the
    portal's letters both take it from there; no module of billing_core defines its own."""
    environment = {**os.environ, "PYTHONPATH": f"{ROOT / 'layers' / 'billing_core'}:{ROOT}"}
    result = subprocess.run(
        [sys.executable, "-c", NAMES_THE_INVOICE_LETTER],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.split() == ["invoice", "False"]
    package = ROOT / "layers" / "billing_core" / "billing_core"
    defining = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if "\nINVOICE_LETTER = " in path.read_text(encoding="utf-8")
    ]
    assert defining == ["correspondence/kinds.py"]


def test_a_delivery_request_defaults_to_the_invoice_letters_kind_by_its_one_name():
    """One way to name a thing (architecture.md; known.md stop 36: ``DeliveryRequest``'s
    default kind was the bare string "invoice").
    Given the delivery request every handler's ports define, and every module of billing_core
    When its default kind is read, and the package is searched for a kind given as "invoice"
    Then the default is correspondence.kinds.INVOICE_LETTER (a queued message without a kind
    is the invoice itself), and no module spells that kind out."""
    from dataclasses import fields

    from billing_core.correspondence.kinds import INVOICE_LETTER
    from billing_core.ports import DeliveryRequest

    [kind] = [field for field in fields(DeliveryRequest) if field.name == "kind"]
    assert kind.default == INVOICE_LETTER
    package = ROOT / "layers" / "billing_core" / "billing_core"
    spelled_out = re.compile(r'\bkind(?:: str)?\s*=\s*"invoice"')
    spelling = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if spelled_out.search(path.read_text(encoding="utf-8"))
    ]
    assert spelling == []
