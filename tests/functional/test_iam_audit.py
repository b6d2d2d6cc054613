"""The functional tests' IAM audit itself (tests/functional/iam_audit.py, issue 13.7)."""

from __future__ import annotations

from tests.functional.iam_audit import Call, function_grants


def test_no_role_lets_a_handler_use_the_billing_key_directly() -> None:
    """Given every function's statements in template.yaml, as the audit reads them
    When a handler itself called kms:Decrypt or kms:GenerateDataKey on the billing key
    Then no statement allows it, while a call DynamoDB makes for the role is allowed: the key serves a role only through the services that hold
    data under it (kms:ViaService, ops4; R26), so a stolen function credential cannot
    decrypt with it outside them, and the audit refuses such a call."""
    for function, grants in function_grants().items():
        for action in ("kms:Decrypt", "kms:GenerateDataKey"):
            direct = Call(action, None)
            assert not any(grant.allows(direct) for grant in grants), (function, action)
            # ...while DynamoDB, which every function's table is encrypted in, still may.
            through_dynamodb = Call(action, None, via="dynamodb.${AWS::Region}.amazonaws.com")
            assert any(grant.allows(through_dynamodb) for grant in grants), (function, action)
