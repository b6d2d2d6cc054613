"""The custom metrics the code can emit, read from its source (R39).

Static, not from running handlers: a sandbox run emits only the names of the paths it takes
(``Webhook_invoice_gone`` only for a payment whose invoice is gone), so a metric no
scenario reaches would look unemitted, and a new ``add_metric`` would go unseen. The source
holds every name: each ``add_metric(name=...)`` call, and each key of the ``counts`` a
report's ``log_entry`` (or a declaration report's ``_counts``) hands to ``log_report``,
which adds one metric per key. A name built with an f-string (``f"Webhook_{decision}"``)
is a pattern; ``resolved_names`` expands it with the values its placeholder takes, which the
test states once per pattern (so a new f-string fails the test until someone says what it
can emit).

What static reading cannot see, the dimensions Powertools puts on a metric, is checked by
running Powertools with the template's environment (``tests/template/test_alarm_metrics``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = (ROOT / "layers" / "billing_core" / "billing_core", ROOT / "functions")
# Functions whose ``counts`` become metrics through log_report (LogEntry.counts).
COUNTING_FUNCTIONS = frozenset({"log_entry", "_counts"})


@dataclass(frozen=True)
class EmittedName:
    """A metric name as written in the source: ``text`` is the literal, or the f-string
    with its placeholders' source (``Webhook_{outcome.decision.value}``)."""

    text: str
    literal: bool
    where: str  # path:line


def python_files() -> Iterator[Path]:
    for source in SOURCES:
        yield from sorted(source.rglob("*.py"))


def _name_of(node: ast.expr) -> tuple[str, bool] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value, True
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            else:
                assert isinstance(value, ast.FormattedValue)
                parts.append("{" + ast.unparse(value.value) + "}")
        return "".join(parts), False
    if node is not None:  # a name held in a variable or attribute: a pattern of its own
        return "{" + ast.unparse(node) + "}", False
    return None


def _keys(node: ast.expr | None) -> list[ast.expr]:
    if isinstance(node, ast.Dict):
        return [key for key in node.keys if key is not None]  # None: a ``**spread``
    if isinstance(node, ast.DictComp):
        return [node.key]
    if isinstance(node, ast.IfExp):
        return _keys(node.body) + _keys(node.orelse)
    return []


def _count_keys(function: ast.FunctionDef) -> Iterator[ast.expr]:
    """The keys of the counts a log_entry or _counts builds."""
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == "counts":
                    yield from _keys(node.value)
                if (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == "counts"
                ):
                    yield target.slice
        elif isinstance(node, ast.AugAssign):
            if isinstance(node.target, ast.Name) and node.target.id == "counts":
                yield from _keys(node.value)
        elif isinstance(node, ast.Call):
            callee = ast.unparse(node.func)
            if callee == "LogEntry" and len(node.args) > 2:
                yield from _keys(node.args[2])
            for keyword in node.keywords:
                if keyword.arg == "counts":
                    yield from _keys(keyword.value)
        elif isinstance(node, ast.Return) and function.name == "_counts":
            yield from _keys(node.value)


def emitted_names() -> list[EmittedName]:
    """Every metric name the code passes to Powertools, literal or pattern."""
    found: list[EmittedName] = []
    for path in python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(ROOT).as_posix()
        for node in ast.walk(tree):
            names: list[ast.expr] = []
            if isinstance(node, ast.Call) and ast.unparse(node.func).endswith(".add_metric"):
                argument = next((k.value for k in node.keywords if k.arg == "name"), None)
                names.append(argument if argument is not None else node.args[0])
            elif isinstance(node, ast.FunctionDef) and node.name in COUNTING_FUNCTIONS:
                names.extend(_count_keys(node))
            for name in names:
                text = _name_of(name)
                assert text is not None, f"{where}:{name.lineno}"
                found.append(EmittedName(text[0], text[1], f"{where}:{name.lineno}"))
    return found


def calls_to(attribute: str) -> list[str]:
    """Where the code calls ``<anything>.<attribute>(...)`` or ``<attribute>(...)``."""
    found = []
    for path in python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                callee = ast.unparse(node.func)
                if callee == attribute or callee.endswith("." + attribute):
                    found.append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno}")
    return found


def metrics_made_with_arguments() -> list[str]:
    """Where a ``Metrics(...)`` is made with a namespace, service or dimensions of its own."""
    found = []
    for path in python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and ast.unparse(node.func) in {"Metrics", "EphemeralMetrics"}
                and (node.args or node.keywords)
            ):
                found.append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno}")
    return found


def string_arguments(callee: str, index: int) -> set[str]:
    """The literal strings the code passes as positional argument ``index`` of ``callee``."""
    found = set()
    for path in python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and ast.unparse(node.func) == callee
                and len(node.args) > index
                and isinstance(node.args[index], ast.Constant)
            ):
                found.add(node.args[index].value)
    return found
