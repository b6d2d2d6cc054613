"""Settings come from the environment the template sets (issue 11: one place for every
environment value), without pydantic-settings (issue 18 (d): cold start)."""

import pytest
from pydantic import ValidationError

from billing_core import bootstrap
from billing_core.payments.collection_account import collection_bic, collection_iban
from billing_core.settings import Settings

TEMPLATE_ENVIRONMENT = {
    "TABLE_NAME": "billing",
    "IDEMPOTENCY_TABLE_NAME": "idempotency",
    "DECLARATIONS_BUCKET": "declarations",
    "OUTPUT_BUCKET": "output",
    "DELIVERY_QUEUE_URL": "https://sqs.example/delivery",
    "SENDER_EMAIL": "facturen@zorgnota.example",
    "SES_CONFIGURATION_SET": "zorgnota",
    "PUBLIC_BASE_URL": "https://zorgnota.example",
    "COLLECTION_IBAN": "NL91ABNA0417164300",
}


def test_settings_are_read_from_capitalised_variables_and_typed():
    # Given the template's variables in capitals, a number as text, a key, and a variable
    # of the Lambda runtime that is no setting
    environment = {
        **TEMPLATE_ENVIRONMENT,
        "MAX_DECLARATION_LINES": "2500",
        "reference_key": "local-key",
        "AWS_REGION": "eu-central-1",
    }
    # When the settings are read
    settings = Settings.from_environment(environment)
    # Then each value sits in its field, typed; defaults fill the rest
    assert settings.table_name == "billing"
    assert settings.max_declaration_lines == 2500
    assert settings.reference_key.get_secret_value() == "local-key"
    assert settings.collection_account_holder == "Zorgnota B.V."
    assert "local-key" not in repr(settings)


@pytest.mark.parametrize(
    ("variable", "value"),
    [("PUBLIC_BASE_URL", "zorgnota.example"), ("UPLOAD_URL_SECONDS", "30"), ("TABLE_NAME", None)],
)
def test_a_missing_or_invalid_setting_stops_the_cold_start(variable, value):
    # Given the template's variables with one missing or out of its range
    environment = {**TEMPLATE_ENVIRONMENT, variable: value}
    if value is None:
        del environment[variable]
    # When the settings are read, Then they are refused, naming the setting
    with pytest.raises(ValidationError, match=variable.lower()):
        Settings.from_environment(environment)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("COLLECTION_IBAN", "NL91ABNA0417164301"),  # a check digit typed wrong
        ("COLLECTION_IBAN", "NL91ABNA04171643"),  # cut short
        ("COLLECTION_BIC", "ABNANL2"),  # 7 characters
        ("COLLECTION_BIC", "ABNAXX2A"),  # no country
    ],
)
def test_a_collection_account_no_bank_knows_is_an_error_naming_the_setting_not_its_value(
    variable, value
):
    """R34 (money out is a SEPA credit transfer from the collection account), R12 (it is
    printed on every invoice); audit small57: a typo made every payout and refund
    approval a 500 that said "an illegal value in one of your input fields".
    Given a collection IBAN or BIC that is no valid one
    When the runtime reads the collection account to pay from (and to print)
    Then the error names the setting and not its value."""
    settings = Settings.from_environment(TEMPLATE_ENVIRONMENT | {variable: value})
    read = collection_iban if variable == "COLLECTION_IBAN" else collection_bic
    with pytest.raises(RuntimeError, match=f"^{variable} is not a valid") as refused:
        read(value)
    assert value not in str(refused.value)
    if variable == "COLLECTION_IBAN":  # And the account printed on invoices is not made
        with pytest.raises(RuntimeError, match=r"^COLLECTION_IBAN is not a valid IBAN"):
            bootstrap.Runtime(settings).collection_account  # noqa: B018


def test_a_collection_account_typed_with_spaces_is_read_compact_and_no_bic_is_iban_only():
    """R34: Given the collection IBAN and BIC typed as banks print them, and no BIC
    When read Then compact, as the pain.001's XSD takes them; no BIC stays empty."""
    assert collection_iban("nl91 abna 0417 1643 00") == "NL91ABNA0417164300"
    assert collection_bic("abna nl 2a") == "ABNANL2A"
    assert collection_bic("") == ""
