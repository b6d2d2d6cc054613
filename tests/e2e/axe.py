"""axe-core for the accessibility tests of every page (the checker, the pages for patients,
the provider portal): one place that finds the vendored axe-core and runs it in a page.

`make test` / `make test-e2e` fetch it from the npm registry (`npm pack axe-core@<version>`
into tests/e2e/fixtures/, the version in the Makefile's AXE_VERSION); it is never shipped.
The pages' Content-Security-Policy forbids inline scripts, so a page to check comes from
a browser context opened with ``bypass_csp=True`` (see ``axe_context``).
"""

from __future__ import annotations

import tarfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BLOCKING = frozenset({"serious", "critical"})


@cache
def axe_source() -> str:
    """axe.min.js out of the npm tarball."""
    packs = sorted(FIXTURES.glob("axe-core-*.tgz"))
    if not packs:
        pytest.fail("axe-core is not in tests/e2e/fixtures: run `make test-e2e`, which fetches it")
    with tarfile.open(packs[-1]) as pack:
        member = pack.extractfile("package/axe.min.js")
        assert member is not None
        return member.read().decode("utf-8")


def axe_context(browser: Any, **options: Any) -> Any:
    """A browser context axe can be injected into (the pages' CSP allows no scripts)."""
    return browser.new_context(bypass_csp=True, **options)


def serious_violations(page: Any) -> list[dict[str, Any]]:
    """axe's violations of impact serious or critical on the page as it is now."""
    page.add_script_tag(content=axe_source())
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in violations
        if v["impact"] in BLOCKING
    ]
