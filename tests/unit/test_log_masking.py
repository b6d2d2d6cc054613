"""Personal data that reaches a log line is masked (R29, issue 13.2): BSN, IBAN, e-mail,
birth dates and names, planted in every way a log line can carry them."""

from __future__ import annotations

import io
import json
import logging
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from billing_core.entrypoints.http.patient_models import ObjectionRequest
from billing_core.entrypoints.masking import PersonalDataMaskingFormatter, mask_text
from billing_core.entrypoints.powertools import MaskedFailure, function_logger, masked_failures
from tests.unit.factories import make_invoice

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = sorted(p.parent.name for p in (ROOT / "functions").glob("*/app.py"))

BSN = "111222333"  # passes the 11-proof
IBAN = "NL91ABNA0417164300"
EMAIL = "j.jansen@example.org"


@pytest.fixture
def log_lines():
    """A logger writing through the masking formatter into a buffer; the lines as dicts."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(PersonalDataMaskingFormatter())
    logger = logging.getLogger("test-log-masking")
    logger.handlers, logger.propagate = [handler], False
    logger.setLevel(logging.INFO)
    yield logger, lambda: [json.loads(line) for line in stream.getvalue().splitlines()]


def test_planted_personal_data_never_reaches_the_line(log_lines):
    logger, lines = log_lines
    invoice = make_invoice()
    # When personal data slips into a message, its arguments, extra fields and a repr
    logger.info("mail to %s about BSN %s, IBAN %s, born 14-3-1971", EMAIL, BSN, IBAN)
    logger.info(
        "patient",
        extra={
            "last_name": "Jansen",
            "debtor": {"initials": "P.", "name": "Pietersen"},
            "birth_date": "1971-03-14",
            "nested": [{"email": EMAIL}, f"iban {IBAN}"],
            "kenmerk_count": 3,
        },
    )
    logger.error("failed: %r", invoice.addressee)
    logger.warning('{"last_name": "de Vries", "birth_date": "1980-05-17"} was refused')
    # Then none of it is in any line, and what is not personal is kept
    text = json.dumps(lines())
    planted = [EMAIL, BSN, IBAN, "14-3-1971", "Jansen", "Pietersen", "1971-03-14", "de Vries"]
    planted += [invoice.addressee.last_name, invoice.addressee.address.street, "1980-05-17"]
    assert [value for value in planted if value in text] == []
    first, second, *_ = lines()
    assert first["message"].startswith("mail to *** about BSN ***")
    assert second["kenmerk_count"] == 3 and second["debtor"] == "***"


def test_a_logged_error_is_masked_in_its_stack_trace_too(log_lines):
    """R29 (audit DELIVERY3): Powertools' line of a logged error carries the error twice,
    as the formatted traceback and as ``stack_trace.value``, the exception object itself,
    which the JSON serializer writes as its text: both masked."""
    logger, lines = log_lines
    try:
        raise RuntimeError(f"The following identities failed the check: {EMAIL}")
    except RuntimeError:
        logger.exception("delivery record failed")
    (line,) = lines()
    assert line["stack_trace"]["value"] == "The following identities failed the check: ***"
    assert EMAIL not in json.dumps(line) and "failed the check: ***" in line["exception"]


@pytest.mark.parametrize(
    "text",
    [
        "invoice 3f1c0a52-8d0e-4b7a-9c55-0e2d7f4b9a10 of declaration 20261123090000-5c48c576",
        "as_of 2026-11-23, 40 invoices, kenmerk 12345678901234, 123456789 cents",
        "key_prefix incoming/tandarts-de-vries/20261123/week-47.csv",
        "run 2026-11-23T09:00:00+01:00 of week 2026-W47, due 2026-12-07",
    ],
)
def test_ids_dates_and_counts_of_our_own_are_kept(text):
    # 123456789 fails the BSN 11-proof; ISO dates are ours, not a file's birth dates
    assert mask_text(text) == text


def test_r39_a_count_under_email_is_kept_and_every_personal_number_still_masked(log_lines):
    """R39 (the operator reads the ingest's counts), R29 (round 44 objections): given the
    ingest's summary line, whose ``invoices_by_channel`` counts invoices under "email",
    when it is logged, then the count is kept (it was "***"); and a whole number under a
    key that can hold a personal number (a BSN, a phone number, a birth date, a house or
    patient number), an e-mail address, digits as text and a bool under "email" are still
    masked."""
    logger, lines = log_lines
    summary = {"invoices_created": 7, "invoices_by_channel": {"email": 5, "paper": 2}}
    logger.info("declaration ingested", extra={"summary": summary})
    logger.info(
        "planted",
        extra={
            "bsn": int(BSN),
            "phone": 612345678,
            "birth_date": 19710314,
            "address": 12,
            "patient": 4711,
            "debtor": 4711,
            "email": EMAIL,
            "recipients": [EMAIL],
            "patient_email": "5",
        },
    )
    logger.info("flag", extra={"email": True})
    counted, planted, flag = lines()
    assert counted["summary"]["invoices_by_channel"] == {"email": 5, "paper": 2}
    for key in ("bsn", "phone", "birth_date", "address", "patient", "debtor", "email"):
        assert planted[key] == "***", key
    assert planted["recipients"] == "***" and planted["patient_email"] == "***"
    assert flag["email"] == "***"
    assert BSN not in json.dumps(planted) and EMAIL not in json.dumps(planted)


def _refused_objection() -> ValidationError:
    """A patient's objection the patient API's model refuses: a birth date that is no
    date, a name typed as the reason and a field the model does not know."""
    body = {
        "birth_date": "1984-02-30",
        "reason": "mijn naam is Jansen",
        "message": "dubbel",
        "email": EMAIL,
        "achternaam": "de Vries",
    }
    try:
        ObjectionRequest.model_validate(body)
    except ValidationError as refused:
        return refused
    raise AssertionError("the model took the body")


PLANTED_IN_THE_BODY = ["1984-02-30", "Jansen", "de Vries"]


def test_r29_a_pydantic_error_logged_quotes_no_refused_value(log_lines):
    """R29 (masking54): pydantic writes each refused value after its key's line, as
    ``input_value='Jansen'``, where no key names it personal. Given a refused patient
    body, when its error is logged, then every refused value is masked, the fields and
    problems it names are kept."""
    logger, lines = log_lines
    try:
        raise _refused_objection()
    except ValidationError:
        logger.exception("objection refused")
    (line,) = lines()
    text = json.dumps(line)
    assert [value for value in PLANTED_IN_THE_BODY if value in text] == []
    assert line["stack_trace"]["value"].count("input_value=***, input_type=str]") == 3
    assert "achternaam" in text and "type=literal_error" in text


def test_r29_a_pydantic_error_leaving_a_handler_is_raised_without_refused_values():
    """R29 (masking54): the Lambda runtime logs a raised error's text past the formatter.
    Given a handler that fails on a refused body, when the error leaves it, then it is
    raised as a ``MaskedFailure`` whose text holds none of the refused values (before:
    the ValidationError was raised again unchanged, its values in its text)."""

    def handler(event: dict, context: object) -> None:
        raise _refused_objection()

    logger = logging.getLogger("test-log-masking-failures")
    with pytest.raises(MaskedFailure) as raised:
        masked_failures(handler, logger)({}, None)  # type: ignore[arg-type]
    text = str(raised.value)
    assert text.startswith("ValidationError: 3 validation errors for ObjectionRequest")
    assert [value for value in PLANTED_IN_THE_BODY if value in text] == []
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # A dataclass's repr writes a date as a call: its month and day were left
        (
            "Patient(birth_date=datetime.date(1984, 3, 7), line=3)",
            "Patient(birth_date=***, line=3)",
        ),
        ("{'birth_date': datetime.date(1984, 3, 7)}", "{'birth_date': ***}"),
        # The Vektis reader's patient: the file's birth date and name as they were read
        (
            "_Patient(line=3, bsn_text='999999999', birth_text='19840307', last_name_text='Jansen')",
            "_Patient(line=3, bsn_text=***, birth_text=***, last_name_text=***)",
        ),
        ("geboortedatum: 1984-03-07; regel 4", "geboortedatum: ***; regel 4"),
    ],
)
def test_r29_birth_dates_under_their_keys_are_masked_whole(text, masked):
    """R29 (masking54): an ISO date in free text is kept (run days, weeks, moments); one
    under a key naming a birth date is masked, whatever form its value has."""
    assert mask_text(text) == masked


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_function_logs_through_the_masking_formatter(function):
    # Every Powertools Logger of a service shares one handler, so the first one made
    # decides the format: each function must make its logger the one way that masks.
    source = (ROOT / "functions" / function / "app.py").read_text("utf-8")
    assert "logger = function_logger()" in source
    assert not re.search(r"\bLogger\(", source)


def test_no_code_asks_the_tracer_for_answers_or_errors():
    # The template turns capture off; the code must not turn it on again anywhere
    sources = [*ROOT.glob("functions/**/*.py"), *ROOT.glob("layers/billing_core/**/*.py")]
    asking = re.compile(r"capture_(response|error)\s*=\s*True|@tracer\.capture_lambda_handler")
    found = [str(p.relative_to(ROOT)) for p in sources if asking.search(p.read_text("utf-8"))]
    assert found == []


def test_function_logger_is_the_one_way_to_get_a_logger():
    assert isinstance(function_logger().registered_formatter, PersonalDataMaskingFormatter)
