"""The OpenAPI documents of the public, the provider and the operator API, generated from
the handlers.

`python -m local.openapi` writes them to docs/openapi/; a test fails when the checked-in
copies drift from what the code serves.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent.parent / "docs" / "openapi"
APIS = {
    "patient.json": "functions.patient_api.app",
    "provider.json": "functions.provider_api.app",
    "operator.json": "functions.operator_api.app",
}


def generate() -> dict[str, dict[str, Any]]:
    import importlib

    os.environ.setdefault("IDEMPOTENCY_TABLE_NAME", "unused")
    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-central-1")
    documents = {}
    for name, module in APIS.items():
        # What the function serves: its title, version and security scheme are its app's.
        documents[name] = json.loads(importlib.import_module(module).api.openapi_json())
    return documents


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    for name, document in generate().items():
        (DOCS / name).write_text(render(document), encoding="utf-8")
        print(f"wrote docs/openapi/{name}")


if __name__ == "__main__":
    main()
