"""template.yaml's operational safeguards: what the functions may record, who is woken, what
is kept how long (issue 13; R29, R39; legal-nl.md §8)."""

from __future__ import annotations

from typing import Any

from local.resources import resources_of_type

# Powertools Tracer settings that keep handler responses and exception messages (invoice
# details, names, birth dates) out of X-Ray, which sits outside the KMS key and the log
# retention (issue 13.2, R29).
TRACER_KEEPS_PAYLOADS_OUT = {
    "POWERTOOLS_TRACER_CAPTURE_RESPONSE": "false",
    "POWERTOOLS_TRACER_CAPTURE_ERROR": "false",
}


def test_no_function_traces_its_responses_or_errors(transformed: dict[str, Any]) -> None:
    """Given every Lambda function SAM deploys (all have Tracing: Active)
    When I read its environment
    Then Powertools Tracer is told not to capture responses or errors, so no health data
    from an answer or an exception message reaches X-Ray (R29)."""
    functions = resources_of_type(transformed, "AWS::Lambda::Function")
    assert functions
    for function_id, properties in functions.items():
        assert properties["TracingConfig"] == {"Mode": "Active"}, function_id
        variables = properties["Environment"]["Variables"]
        leaking = {
            name: variables.get(name)
            for name, value in TRACER_KEEPS_PAYLOADS_OUT.items()
            if variables.get(name) != value
        }
        assert not leaking, f"{function_id} would send payloads to X-Ray: {leaking}"
