"""Settings come from the environment the template sets (issue 11: one place for every
environment value), without pydantic-settings (issue 18 (d): cold start)."""

import pytest
from pydantic import ValidationError

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
