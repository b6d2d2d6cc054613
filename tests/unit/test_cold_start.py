"""A cold start pays for no AWS client and no X-Ray SDK before its first event (issue 11,
bench (d)): Powertools' tracer and idempotency layer are made on the first invocation."""

from __future__ import annotations

import json
import os
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
print(json.dumps({"clients": made, "xray": "aws_xray_sdk" in sys.modules}))
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
    # Then no client was made and the X-Ray SDK is not loaded: both wait for an event
    assert answer == {"clients": [], "xray": False}
