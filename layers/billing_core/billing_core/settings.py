"""Typed settings, read once per cold start from the environment the template sets.

A plain pydantic model filled from ``os.environ`` (names matched without regard to case,
as the template writes them in capitals): pydantic-settings would add 40 ms to every
cold start (it imports asyncio, dotenv and its CLI sources) for a flat list of strings.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, SecretStr


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    stage: str = "local"
    table_name: str
    idempotency_table_name: str
    declarations_bucket: str
    output_bucket: str
    delivery_queue_url: str
    sender_email: str
    ses_configuration_set: str
    public_base_url: str = Field(pattern=r"^https?://")
    collection_iban: str
    # The collection account as the bank knows it: the payer of payouts and refunds, and
    # printed next to the IBAN on every invoice and letter (banks check name and number).
    collection_account_holder: str = Field(default="Zorgnota B.V.", min_length=2)
    collection_bic: str = ""  # optional in SEPA since 2016; given, it goes in the pain.001
    # Four eyes (R34): a payout or refund batch above this total needs a second operator.
    second_approval_above_cents: int = Field(default=2_500_000, ge=0)
    # The key of the betalingskenmerk permutation: from Secrets Manager when deployed,
    # straight from the environment on a developer's machine.
    reference_key_secret_arn: str = ""
    reference_key: SecretStr = SecretStr("")
    # The HMAC key of the checker's visit pass (R36), the same way.
    visit_key_secret_arn: str = ""
    visit_key: SecretStr = SecretStr("")
    # The Mollie API key (live_... or test_...) in Secrets Manager. Empty on a developer's
    # machine: the sandbox pays through the local fake PSP instead (psp/fake.py).
    psp_api_key_secret_arn: str = ""
    # The portal (R35): its session cookies are signed with this key (Secrets Manager
    # when deployed), and it signs in through the Cognito hosted UI at this domain.
    portal_session_key_secret_arn: str = ""
    portal_session_key: SecretStr = SecretStr("")
    portal_sign_in_domain: str = ""
    portal_client_id: str = ""
    portal_session_hours: int = Field(default=8, ge=1, le=12)
    # The Cognito user pool of the practices' users and the operators (R32). Empty on a
    # developer's machine: the sandbox keeps its users in memory (adapters/users_in_memory).
    user_pool_id: str = ""
    max_declaration_lines: int = 100_000
    upload_url_seconds: int = Field(default=900, ge=60, le=3600)

    @classmethod
    def from_environment(cls, environment: Mapping[str, str] = os.environ) -> Settings:
        """Every field from the variable of its name in capitals (or any case)."""
        fields = cls.model_fields
        return cls.model_validate(
            {name.lower(): value for name, value in environment.items() if name.lower() in fields}
        )


@cache
def get_settings() -> Settings:
    return Settings.from_environment()
