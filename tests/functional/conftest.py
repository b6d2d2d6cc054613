"""Functional tests run the real handlers on moto, with resources built from template.yaml."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from local.sandbox import Sandbox

TODAY = date(2026, 11, 23)
SAMPLES = Path(__file__).resolve().parents[2] / "events" / "declarations"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(TODAY) as box:
        yield box


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()
