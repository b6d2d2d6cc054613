"""The README is a newcomer's map (#11): every file or folder it points to exists."""

from __future__ import annotations

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
