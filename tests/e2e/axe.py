"""axe-core for the accessibility tests of every page (the checker, the pages for patients,
the provider portal): one place that finds axe-core and runs it in a page.

axe-core comes bundled in the pinned axe-playwright-python (requirements-dev.txt), so
`make test` installs it with the other test dependencies; it is never shipped.
The pages' Content-Security-Policy forbids inline scripts, so a page to check comes from
a browser context opened with ``bypass_csp=True`` (see ``axe_context``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import axe_playwright_python

BLOCKING = frozenset({"serious", "critical"})
# Moderate to axe, but held to as well: two landmarks of one name ("Regels" twice) leave a
# screen reader's list of regions ambiguous (WCAG 1.3.1; audit pages PAGES5).
BLOCKING_RULES = frozenset({"landmark-unique"})


@cache
def axe_source() -> str:
    """axe.min.js as the package bundles it."""
    bundled = Path(axe_playwright_python.__file__).with_name("axe.min.js")
    return bundled.read_text(encoding="utf-8")


def axe_context(browser: Any, **options: Any) -> Any:
    """A browser context axe can be injected into (the pages' CSP allows no scripts)."""
    return browser.new_context(bypass_csp=True, **options)


def serious_violations(page: Any) -> list[dict[str, Any]]:
    """axe's violations of impact serious or critical on the page as it is now, and those
    of ``BLOCKING_RULES`` at any impact."""
    page.evaluate(axe_source())  # not a <script> tag: the pages' CSP forbids inline script
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in violations
        if v["impact"] in BLOCKING or v["id"] in BLOCKING_RULES
    ]
