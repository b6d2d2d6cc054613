"""The Swagger page's files come from Powertools' package (issue 17 item 8): when that
package is missing, the page says so, also under ``python -O``."""

from __future__ import annotations

import pytest

from billing_core.entrypoints.http import docs


@pytest.fixture
def fresh_cache():
    docs._swagger_ui.cache_clear()
    yield
    docs._swagger_ui.cache_clear()


def test_the_page_reads_powertools_swagger_files(fresh_cache):
    """Given Powertools as installed
    When the page's script and style are read
    Then both are Swagger UI's own."""
    script, style = docs._swagger_ui()
    assert "SwaggerUIBundle" in script
    assert ".swagger-ui" in style


def test_a_missing_swagger_package_is_named(fresh_cache, monkeypatch):
    """Given a Powertools without its Swagger UI folder
    When the page's files are read
    Then the error names the package, not an AssertionError without a message."""
    monkeypatch.setattr(docs, "find_spec", lambda name: None)
    with pytest.raises(RuntimeError, match="swagger_ui is not installed"):
        docs._swagger_ui()
