"""The template under test, raw and SAM-transformed, each computed once per session."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from local.resources import load_template
from tests.template.sam_transform import transform

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"


@pytest.fixture(scope="session")
def template_path() -> Path:
    return TEMPLATE


@pytest.fixture(scope="session")
def template() -> dict[str, Any]:
    """template.yaml as written (short tags in their long form)."""
    return load_template(TEMPLATE)


@pytest.fixture(scope="session")
def transformed_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CloudFormation JSON the SAM transform turns template.yaml into."""
    path = tmp_path_factory.mktemp("sam") / "transformed.json"
    path.write_text(json.dumps(transform(TEMPLATE), indent=1), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def transformed(transformed_path: Path) -> dict[str, Any]:
    return json.loads(transformed_path.read_text(encoding="utf-8"))
