"""The README is a newcomer's map (#11): every file or folder it points to exists."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "layers" / "billing_core" / "billing_core"
README = (ROOT / "README.md").read_text(encoding="utf-8")
CODE_SPAN = re.compile(r"`([^`\s]+)`")
TOP_LEVEL = ("functions/", "local/", "tests/", "events/", "docs/", "template.yaml", "layers/")


def _section(title: str) -> str:
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def _looks_like_path(span: str) -> bool:
    return (
        not span.startswith("..")
        and ("/" in span or span.endswith((".py", ".yaml")))
        and not re.search(r"[<{*…]", span)
    )


def _resolve(span: str) -> Path:
    if span.startswith("billing_core/"):
        return PACKAGE.parent / span
    if span.startswith(TOP_LEVEL):
        return ROOT / span
    return PACKAGE / span


def test_every_path_in_where_to_change_what_exists() -> None:
    # Given the table "Where to change what" (paths under billing_core unless top-level)
    spans = [s for s in CODE_SPAN.findall(_section("Where to change what")) if _looks_like_path(s)]
    assert len(spans) > 30
    # Then each one is a file or folder of the repository
    missing = [s for s in spans if not _resolve(s).exists()]
    assert missing == []


def test_every_billing_core_path_in_the_readme_exists() -> None:
    spans = [
        s
        for s in CODE_SPAN.findall(README)
        if s.startswith("billing_core/") and _looks_like_path(s)
    ]
    assert spans
    missing = [s for s in spans if not _resolve(s).exists()]
    assert missing == []


def test_every_python_file_in_the_readme_exists() -> None:
    """Given every `….py` in backticks anywhere (audit docs2: the bench prose named
    `vektis/retour_parser.py`, which lives in declarations/vektis/)
    Then it is a file of the repository, the layer or billing_core (the README's paths are
    under billing_core unless they start with a top-level folder)."""
    roots = (ROOT, PACKAGE.parent, PACKAGE)
    named = {s for s in CODE_SPAN.findall(README) if s.endswith(".py") and _looks_like_path(s)}
    assert len(named) > 100
    assert sorted(n for n in named if "/" in n and not any((r / n).is_file() for r in roots)) == []


# A name in billing_core as the README writes it: `payments/booking.book_payment`,
# `bootstrap.Runtime` (a module path, then what it defines).
MODULE_NAME = re.compile(r"`((?:[a-z_]+/)*[a-z_]+)\.([A-Za-z_]\w*)`")


def _defines(module_path: str, name: str) -> bool:
    """Whether billing_core's module defines the name; a field path of the provider's
    settings, as a 400 names it (`dunning.days_to_reminder`), counts as defined there."""
    from billing_core.providers.provider import Provider

    module = importlib.import_module("billing_core." + module_path.replace("/", "."))
    if hasattr(module, name):
        return True
    field = Provider.model_fields.get(module_path)
    return field is not None and name in getattr(field.annotation, "model_fields", {})


def test_every_billing_core_name_in_the_readme_is_defined_where_it_says() -> None:
    """Given every `module.name` in backticks whose module is in billing_core (audit
    readme50: the drawing and the agency's report-back named `payments.book_payment`,
    which billing_core.payments does not define: it is payments/booking.py's)
    Then that module defines that name."""
    rooms = {p.stem for p in PACKAGE.iterdir() if p.is_dir() or p.suffix == ".py"}
    named = {
        (module, name)
        for module, name in MODULE_NAME.findall(README)
        if module.split("/")[0] in rooms and name not in ("py", "yaml", "csv", "json")
    }
    assert len(named) > 5
    assert sorted(f"{m}.{n}" for m, n in named if not _defines(m, n)) == []


def _places_importing_boto3() -> set[str]:
    """billing_core's rooms (`adapters/`) and top modules (`bootstrap.py`) whose code
    imports boto3 or botocore."""
    places = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n.split(".")[0] in ("boto3", "botocore") for n in names):
                top = path.relative_to(PACKAGE).parts[0]
                places.add(top if top.endswith(".py") else top + "/")
    return places


def test_the_import_drawing_names_every_place_that_imports_boto3() -> None:
    """Given the import rules' drawing, whose note beside `adapters/` says where boto3 is
    imported (audit readme50: it said adapters was the only room, while bootstrap.py and
    entrypoints/ import it too, which no contract forbids)
    Then adapters/ and the places the note names are the ones that import it."""
    line = next(line for line in README.splitlines() if "adapters/" in line and "boto3" in line)
    note = line[line.index("(") :]
    named = {"adapters/"} | set(re.findall(r"[a-z_]+(?:/|\.py)", note))
    assert _places_importing_boto3() == named
