"""The build proof (architecture.md "Choices already made", issue 13.15).

`sam build` of a python3.12 function cannot run here (no Python 3.12, no Docker), so what
it would do is proven instead: `sam validate --lint` passes, every CodeUri/ContentUri
exists and every Handler resolves, and the layer's (and any function's) requirements
install for Lambda's python3.12 on arm64 from binary wheels only. `make test` creates
.venv-sam and downloads those wheels to build/lambda-wheels once per requirements change;
the install here is then offline.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from local.resources import resources_of_type

ROOT = Path(__file__).resolve().parents[2]
REGION = "eu-central-1"
SAM = ROOT / ".venv-sam" / "bin" / "sam"
LAMBDA_WHEELS = ROOT / "build" / "lambda-wheels"
LAYER_MAKEFILE = ROOT / "layers" / "billing_core" / "Makefile"
# What `sam build` installs for the template's Runtime and Architectures.
LAMBDA_PYTHON_ON_ARM64 = (
    *("--platform", "manylinux2014_aarch64"),
    *("--implementation", "cp", "--python-version", "3.12"),
    "--only-binary=:all:",
)


def handler_problems(template: dict[str, Any], root: Path) -> list[str]:
    """What `sam build` or the Lambda runtime would stumble on: a code folder that does not
    exist, a Handler whose module or function is not there, a layer without its package
    or requirements."""
    problems = []
    for function_id, properties in resources_of_type(template, "AWS::Serverless::Function").items():
        folder = root / properties["CodeUri"]
        module, _, name = properties["Handler"].rpartition(".")
        source = folder / (module.replace(".", "/") + ".py")
        if not source.is_file():
            problems.append(f"{function_id}: no {source.relative_to(root)}")
        elif name not in top_level_names(source):
            problems.append(f"{function_id}: {source.relative_to(root)} defines no {name}")
    for layer_id, properties in resources_of_type(
        template, "AWS::Serverless::LayerVersion"
    ).items():
        folder = root / properties["ContentUri"]
        packages = list(folder.glob("*/__init__.py")) if folder.is_dir() else []
        if not packages or not (folder / "requirements.txt").is_file():
            problems.append(
                f"{layer_id}: {properties['ContentUri']} needs a package and requirements.txt"
            )
    return problems


def top_level_names(source: Path) -> set[str]:
    """Functions and variables a module defines at its top level."""
    tree = ast.parse(source.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def requirement_files(template: dict[str, Any]) -> list[Path]:
    """The requirements.txt files `sam build` installs: the layer's and any function's."""
    folders = [
        properties.get("ContentUri") or properties.get("CodeUri")
        for resource_type in ("AWS::Serverless::LayerVersion", "AWS::Serverless::Function")
        for properties in resources_of_type(template, resource_type).values()
    ]
    return [
        path
        for folder in folders
        if folder and (path := ROOT / folder / "requirements.txt").is_file()
    ]


def test_every_code_folder_exists_and_every_handler_resolves(template: dict[str, Any]) -> None:
    """Given the functions and the layer in template.yaml
    When I follow each CodeUri/ContentUri and Handler
    Then each folder exists, each handler module defines its function, and the layer has
    its package, requirements.txt and the Makefile that builds it (BuildMethod makefile)."""
    assert handler_problems(template, ROOT) == []
    [layer] = resources_of_type(template, "AWS::Serverless::LayerVersion")
    assert template["Resources"][layer]["Metadata"]["BuildMethod"] == "makefile"
    assert f"build-{layer}:" in (ROOT / "layers/billing_core/Makefile").read_text()


def test_a_handler_that_does_not_resolve_is_reported(tmp_path: Path) -> None:
    """Given a template whose function points at a missing folder, one whose handler
    module lacks its function, and a layer without requirements.txt
    When the build proof checks them
    Then each is reported, so such a template cannot land."""
    (tmp_path / "functions" / "present").mkdir(parents=True)
    (tmp_path / "functions" / "present" / "app.py").write_text("handler = None\n")
    (tmp_path / "layer" / "pkg").mkdir(parents=True)
    (tmp_path / "layer" / "pkg" / "__init__.py").write_text("")
    template = {
        "Resources": {
            "Gone": {
                "Type": "AWS::Serverless::Function",
                "Properties": {"CodeUri": "functions/gone/", "Handler": "app.lambda_handler"},
            },
            "Misnamed": {
                "Type": "AWS::Serverless::Function",
                "Properties": {"CodeUri": "functions/present/", "Handler": "app.lambda_handler"},
            },
            "Layer": {
                "Type": "AWS::Serverless::LayerVersion",
                "Properties": {"ContentUri": "layer/"},
            },
        }
    }
    problems = handler_problems(template, tmp_path)
    assert problems == [
        "Gone: no functions/gone/app.py",
        "Misnamed: functions/present/app.py defines no lambda_handler",
        "Layer: layer/ needs a package and requirements.txt",
    ]


def test_the_requirements_install_for_lambda_python312_on_arm64(
    template: dict[str, Any], tmp_path: Path
) -> None:
    """Given the layer's requirements (and any function's)
    When pip resolves them as `sam build` would for python3.12 on arm64, binary wheels only
    Then every one installs: a dependency without an arm64 wheel for 3.12 fails here."""
    if not LAMBDA_WHEELS.is_dir():
        pytest.skip(f"{LAMBDA_WHEELS.relative_to(ROOT)} is missing: `make test` downloads it")
    files = requirement_files(template)
    assert ROOT / "layers/billing_core/requirements.txt" in files
    for requirements in files:
        completed = subprocess.run(
            [
                *(sys.executable, "-m", "pip", "install", "--dry-run", "--quiet"),
                *("--disable-pip-version-check", "--no-index"),
                *("--find-links", str(LAMBDA_WHEELS), *LAMBDA_PYTHON_ON_ARM64),
                *("--target", str(tmp_path / "python"), "-r", str(requirements)),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr[-3000:]


def test_sam_validate_lint_passes(template_path: Path) -> None:
    """Given template.yaml
    When the pinned SAM CLI validates it with --lint (its own cfn-lint, offline)
    Then it reports a valid SAM template."""
    if not SAM.exists():
        pytest.skip(f"{SAM.relative_to(ROOT)} is missing: `make test` creates .venv-sam")
    completed = subprocess.run(
        [str(SAM), "validate", "--lint", "--template", str(template_path), "--region", REGION],
        cwd=ROOT,
        env={**os.environ, "SAM_CLI_TELEMETRY": "0"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-3000:]
    assert "is a valid SAM Template" in output


def build_layer(
    artifacts: Path, *settings: str, environment: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``sam build``'s call of the layer's Makefile, with this machine's Python (in
    ``environment``, the shell's that runs it; this process's by default)."""
    return subprocess.run(
        [
            *("make", "--silent", "-f", str(LAYER_MAKEFILE), "build-BillingCoreLayer"),
            f"ARTIFACTS_DIR={artifacts}",
            f"LAYER_PYTHON={sys.executable}",
            *settings,
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_layer_ships_bytecode_that_holds_after_the_zip(tmp_path: Path) -> None:
    """Given the layer's Makefile run as `sam build` runs it (here with this machine's
    Python standing in for 3.12, and one of the layer's pinned requirements from the
    downloaded Lambda wheels)
    and a shell that keeps its bytecode elsewhere (PYTHONPYCACHEPREFIX, a developer's
    setting: without the Makefile's guard it got the layer's bytecode, 0 of 243 modules
    of billing_core shipped theirs)
    When it has built the layer
    Then billing_core and the requirement are under python/, and every module has its
    bytecode for that interpreter beside it, where Lambda reads it, hash-based and
    checked against its source: valid whatever file times the zip gives it, never run
    stale (issue 11 item 5)."""
    if not LAMBDA_WHEELS.is_dir():
        pytest.skip(f"{LAMBDA_WHEELS.relative_to(ROOT)} is missing: `make test` downloads it")
    pinned = ROOT / "layers/billing_core/requirements.txt"
    [segno] = [line for line in pinned.read_text().splitlines() if line.startswith("segno==")]
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(segno + "\n")
    version = "{}.{}".format(*sys.version_info[:2])
    elsewhere = {**os.environ, "PYTHONPYCACHEPREFIX": str(tmp_path / "pycache")}
    completed = build_layer(
        tmp_path / "artifacts",
        f"LAMBDA_PYTHON_VERSION={version}",
        f"REQUIREMENTS={requirements}",
        f"PIP_OPTIONS=--no-index --find-links {LAMBDA_WHEELS}",
        environment=elsewhere,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    site = tmp_path / "artifacts" / "python"
    modules = sorted(site.rglob("*.py"))
    assert {site / "billing_core" / "bootstrap.py", site / "segno" / "__init__.py"} <= set(modules)
    assert not [m for m in modules if pyc_flags(m) != CHECKED_HASH], "modules without bytecode"


def test_the_layer_refuses_bytecode_of_another_python(tmp_path: Path) -> None:
    """Given an interpreter that is not the Lambda runtime's
    When the layer is built with it
    Then the build stops before installing anything and says why."""
    completed = build_layer(tmp_path, "LAMBDA_PYTHON_VERSION=3.12")
    if sys.version_info[:2] == (3, 12):
        completed = build_layer(tmp_path, "LAMBDA_PYTHON_VERSION=3.11")
    assert completed.returncode != 0
    assert "the layer's bytecode must be that of Python" in completed.stdout
    assert not (tmp_path / "python").exists()


CHECKED_HASH = 0b11  # PEP 552: hash-based, checked against the source


def pyc_flags(module: Path) -> int | None:
    """The PEP 552 flags of the bytecode this interpreter would load for ``module`` on
    Lambda (in ``__pycache__`` beside it: Lambda sets no PYTHONPYCACHEPREFIX, whatever
    this process does), or None where there is none."""
    cached = module.parent / "__pycache__" / f"{module.stem}.{sys.implementation.cache_tag}.pyc"
    if not cached.is_file():
        return None
    return int.from_bytes(cached.read_bytes()[4:8], "little")
