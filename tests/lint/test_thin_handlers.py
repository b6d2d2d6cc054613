"""Handlers stay thin (issue 11): nothing under functions/ talks to AWS or the table
itself, and the two API apps only put their routers together."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = ROOT / "functions"
API_APPS = [FUNCTIONS / "provider_api" / "app.py", FUNCTIONS / "patient_api" / "app.py"]
MAX_APP_LINES = 60


def violations(source: str) -> list[tuple[int, str]]:
    """What a handler module does that belongs in billing_core: importing boto3 or an
    adapter, or reaching the repository of the composition root."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules = [node.module or ""]
        else:
            modules = []
        for module in modules:
            if module.split(".")[0] in ("boto3", "botocore"):
                found.append((node.lineno, f"imports {module}"))
            if module.startswith("billing_core.adapters"):
                found.append((node.lineno, f"imports {module}"))
        if isinstance(node, ast.Attribute) and node.attr == "repository":
            found.append((node.lineno, "uses the repository"))
    return found


def test_the_check_finds_what_it_is_there_for():
    planted = (
        "import boto3\n"
        "from billing_core.adapters.s3 import S3FileStore\n"
        "from billing_core import bootstrap\n"
        "def handler(event, context):\n"
        "    return bootstrap.current().repository.get_invoice('p', 'i')\n"
    )
    assert violations(planted) == [
        (1, "imports boto3"),
        (2, "imports billing_core.adapters.s3"),
        (5, "uses the repository"),
    ]
    assert (
        violations("from billing_core import bootstrap\nbootstrap.current().provider_context()\n")
        == []
    )


@pytest.mark.parametrize(
    "module", sorted(FUNCTIONS.rglob("*.py")), ids=lambda p: str(p.relative_to(FUNCTIONS))
)
def test_no_handler_talks_to_aws_or_the_table_itself(module):
    name = str(module.relative_to(FUNCTIONS))
    found = violations(module.read_text(encoding="utf-8"))
    assert found == [], name


@pytest.mark.parametrize("app", API_APPS, ids=lambda p: p.parent.name)
def test_an_api_app_only_puts_its_routers_together(app):
    assert len(app.read_text(encoding="utf-8").splitlines()) <= MAX_APP_LINES
