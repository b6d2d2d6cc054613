"""Handlers stay thin (issue 11): nothing under functions/ talks to AWS or the table
itself, and every function's app.py only puts billing_core's pieces together: short,
with short functions and no models of its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = ROOT / "functions"
APPS = sorted(FUNCTIONS.glob("*/app.py"))
MAX_APP_LINES = 60
MAX_FUNCTION_LINES = 15  # one use case called, its outcome counted and logged


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


def shape_violations(source: str) -> list[tuple[int, str]]:
    """What makes a handler module more than wiring: a long function (logic that belongs
    in a use case or in entrypoints/) or a pydantic model (a shape entrypoints/ holds)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.end_lineno is not None:
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append((node.lineno, f"{node.name} has {length} lines"))
        if isinstance(node, ast.ClassDef):
            bases = [ast.unparse(base) for base in node.bases]
            if any(base.endswith("Model") for base in bases):
                found.append((node.lineno, f"{node.name} is a model"))
    return found


def test_the_shape_check_finds_what_it_is_there_for():
    long_body = "".join(f"    x{n} = {n}\n" for n in range(MAX_FUNCTION_LINES))
    planted = (
        "class Detail(BaseModel):\n    kind: str\n"
        f"def handle(event, context):\n{long_body}"
        "class Failed(RuntimeError):\n    pass\n"
        "def short():\n    return 1\n"
    )
    assert shape_violations(planted) == [
        (1, "Detail is a model"),
        (3, f"handle has {MAX_FUNCTION_LINES + 1} lines"),
    ]


@pytest.mark.parametrize("app", APPS, ids=lambda p: p.parent.name)
def test_every_app_only_puts_billing_core_together(app):
    """Given any function's app.py (APIs, uploads, queues, schedules, events)
    Then it is at most 60 lines, with short functions and no models of its own."""
    source = app.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= MAX_APP_LINES
    assert shape_violations(source) == []


def test_every_function_is_checked():
    folders = [d for d in FUNCTIONS.iterdir() if d.is_dir() and not d.name.startswith(("_", "."))]
    assert [app.parent for app in APPS] == sorted(folders)


def imports_outside_the_pause(source: str) -> list[int]:
    """Lines of a handler module's imports that are not loaded inside
    ``long_lived_imports()``: the collector pause that makes up a sixth of a cold start
    (issue 11 item 5). The pause's own import and ``__future__`` are the exceptions."""
    found = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
            if module not in ("__future__", "billing_core.shared.bulk"):
                found.append(node.lineno)
    return found


def test_the_pause_check_finds_an_import_outside_it():
    planted = (
        "from __future__ import annotations\n"
        "from billing_core.shared.bulk import long_lived_imports\n"
        "with long_lived_imports():\n"
        "    from billing_core import bootstrap\n"
        "from billing_core.dunning.run import run\n"
    )
    assert imports_outside_the_pause(planted) == [5]


@pytest.mark.parametrize("app", APPS, ids=lambda p: p.parent.name)
def test_every_app_loads_its_modules_with_the_collector_paused(app):
    """Given any function's app.py
    Then every module it imports is loaded inside long_lived_imports()."""
    source = app.read_text(encoding="utf-8")
    assert imports_outside_the_pause(source) == []
    assert "with long_lived_imports():" in source


def skipped_uploads_handled(source: str) -> list[int]:
    """Lines of a handler module that look into an ``UploadSkipped`` or an upload's size
    limit itself: how a file outside the prefix or too large to read is answered is
    ``AcceptedUpload``'s (entrypoints/s3_upload.py), written once for every import."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if (isinstance(node, ast.Name) and node.id == "UploadSkipped")
        or (isinstance(node, ast.Attribute) and node.attr in ("outcome", "max_bytes"))
    ]


def test_the_skipped_upload_check_finds_a_handler_that_refuses_by_itself():
    planted = (
        "def import_upload(upload):\n"
        "    data = STATEMENTS.read(upload)\n"
        "    if isinstance(data, UploadSkipped) and data.outcome != 'refused':\n"
        "        return data\n"
        "    reason = f'{data.message} (more than {STATEMENTS.max_bytes} bytes)'\n"
    )
    assert skipped_uploads_handled(planted) == [3, 3, 5]


@pytest.mark.parametrize("app", APPS, ids=lambda p: p.parent.name)
def test_no_app_refuses_a_too_large_upload_by_itself(app):
    """Architecture (one way to do each thing; R12, R39): Given the imports that refuse
    a file too large to read like one that cannot be read (the bank statement and the
    agency's report, ops stop 39)
    When any function's app.py is read
    Then none of them builds that refusal: each calls AcceptedUpload.import_or_refuse."""
    assert skipped_uploads_handled(app.read_text(encoding="utf-8")) == []
