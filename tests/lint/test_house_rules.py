"""The house rules of `make lint` catch what they are there for (issue 11).

Each check gets a planted violation and must fail on it; a linter that passes anything
would keep nothing in order.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def run(*args: str, cwd: Path = ROOT, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, input=stdin, capture_output=True, text=True, timeout=300, check=False
    )


def lint_imports(cwd: Path, python_path: Path) -> subprocess.CompletedProcess[str]:
    """The import contracts of ``cwd``'s .importlinter, billing_core found on ``python_path``
    alone (no cache: a planted import is always read)."""
    return subprocess.run(
        [str(BIN / "lint-imports"), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={"PYTHONPATH": str(python_path), "PATH": str(BIN)},
    )


def test_ruff_fails_on_a_stale_noqa_and_an_unannotated_function() -> None:
    # Given a module with a noqa that suppresses nothing and a function without annotations
    planted = "def f(x):  # noqa: E501\n    return x\n"
    # When ruff checks it as if it were part of the layer
    result = run(
        str(BIN / "ruff"),
        "check",
        "--stdin-filename",
        "layers/billing_core/billing_core/x.py",
        "-",
        stdin=planted,
    )
    # Then it fails and names both rules
    assert result.returncode == 1
    assert "RUF100" in result.stdout and "ANN001" in result.stdout


def test_ruff_format_fails_on_unformatted_code() -> None:
    result = run(
        str(BIN / "ruff"),
        "format",
        "--check",
        "--stdin-filename",
        "x.py",
        "-",
        stdin="x = {  'a':1 }\n",
    )
    assert result.returncode == 1


def test_mypy_strict_fails_on_an_untyped_def(tmp_path: Path) -> None:
    # Given a copy of billing_core with one untyped function planted in the domain
    copy = tmp_path / "layers" / "billing_core"
    shutil.copytree(ROOT / "layers/billing_core/billing_core", copy / "billing_core")
    (copy / "billing_core/invoices/planted.py").write_text("def total(lines):\n    return 0\n")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    # When mypy runs with the project's configuration
    result = run(str(BIN / "mypy"), "--no-incremental", cwd=tmp_path)
    # Then it fails on exactly that function
    assert result.returncode == 1
    assert "planted.py:1: error: Function is missing a type annotation" in result.stdout


def test_import_linter_fails_when_the_domain_imports_boto3(tmp_path: Path) -> None:
    # Given a copy of billing_core whose ledger imports boto3 and an adapter
    copy = tmp_path / "billing_core"
    shutil.copytree(ROOT / "layers/billing_core/billing_core", copy)
    ledger = copy / "invoices/ledger.py"
    ledger.write_text(
        ledger.read_text()
        + "\nimport boto3  # noqa\nfrom billing_core.adapters import s3  # noqa\n"
    )
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    # When the contracts are checked
    result = lint_imports(tmp_path, python_path=tmp_path)
    # Then the domain contract is broken, naming the planted imports
    assert result.returncode == 1
    assert "BROKEN" in result.stdout
    assert "billing_core.invoices.ledger -> boto3" in result.stdout
    assert "billing_core.invoices.ledger -> billing_core.adapters" in result.stdout


def test_the_real_tree_keeps_the_contracts() -> None:
    result = lint_imports(ROOT, python_path=ROOT / "layers/billing_core")
    assert result.returncode == 0, result.stdout


# --- Settings: the one reader of the environment ---------------------------------------------

ENVIRONMENT_NAMES = {"environ", "environb", "getenv", "getenvb"}


def environment_reads(source: str) -> list[int]:
    """The lines of ``source`` that read the process environment themselves."""
    return [node.lineno for node in ast.walk(ast.parse(source)) if _reads_environment(node)]


def _reads_environment(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr in ENVIRONMENT_NAMES
    if isinstance(node, ast.ImportFrom) and node.module == "os":
        return bool({alias.name for alias in node.names} & ENVIRONMENT_NAMES)
    return False


def test_the_environment_rule_sees_every_way_of_reading_it():
    planted = "import os\nfrom os import getenv\nA = os.environ['A']\nB = os.getenv('B')\n"
    assert environment_reads(planted) == [2, 3, 4]
    assert environment_reads("settings = get_settings()\n") == []


def test_only_settings_reads_the_environment():
    """Every value a function reads from its environment is a field of Settings (issue 11)."""
    code = [
        *(ROOT / "layers/billing_core/billing_core").rglob("*.py"),
        *(ROOT / "functions").rglob("*.py"),
    ]
    readers = {
        str(path.relative_to(ROOT)): lines
        for path in code
        if path.name != "settings.py" and (lines := environment_reads(path.read_text()))
    }
    assert readers == {}


def modules_a_docstring_leaves_out(package: Path) -> list[str]:
    """The modules and packages of ``package`` its ``__init__`` docstring does not name."""
    docstring = ast.get_docstring(ast.parse((package / "__init__.py").read_text())) or ""
    names = [p.stem for p in package.glob("*.py") if not p.name.startswith("__")]
    names += [p.parent.name for p in package.glob("*/__init__.py")]
    return sorted(name for name in names if f"``{name}" not in docstring)


def test_the_docstring_check_finds_a_module_left_out(tmp_path: Path) -> None:
    """Given a room whose docstring names one of its two modules
    Then the check names the other."""
    (tmp_path / "__init__.py").write_text('"""The room: ``named`` and no more."""\n')
    (tmp_path / "named.py").write_text("")
    (tmp_path / "forgotten.py").write_text("")
    assert modules_a_docstring_leaves_out(tmp_path) == ["forgotten"]


def test_every_room_names_its_modules() -> None:
    """Given the rooms of billing_core (architecture.md: a room's ``__init__`` says what lives
    in it; stop 48's docs2 found 9 rooms naming their modules in prose or not at all)
    Then each room's docstring names every module and package in it, so a newcomer reading
    the room finds the file (README "The house")."""
    core = ROOT / "layers" / "billing_core" / "billing_core"
    rooms = sorted(p.parent for p in core.glob("*/__init__.py"))
    assert len(rooms) >= 14
    assert {room.name: modules_a_docstring_leaves_out(room) for room in rooms} == {
        room.name: [] for room in rooms
    }
