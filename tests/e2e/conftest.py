"""The local server (make serve) on a free port, for HTTP and browser tests."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from billing_core.invoices.invoice import Channel
from local.generate import declaration_csv
from local.sandbox import Sandbox
from local.seed import DENTAL, SANDBOX_TODAY
from local.server import SandboxServer, make_request_handler


@dataclass
class RunningServer:
    url: str
    sandbox: Sandbox


@pytest.fixture
def running_server() -> Iterator[RunningServer]:
    http = ThreadingHTTPServer(("127.0.0.1", 0), None)  # bind first: the URLs need the port
    base_url = f"http://127.0.0.1:{http.server_address[1]}"
    with Sandbox(SANDBOX_TODAY, base_url=base_url) as sandbox:
        http.RequestHandlerClass = make_request_handler(SandboxServer(sandbox))
        thread = threading.Thread(target=http.serve_forever, daemon=True)
        thread.start()
        yield RunningServer(base_url, sandbox)
        http.shutdown()
        http.server_close()


@pytest.fixture
def server(running_server: RunningServer) -> str:
    return running_server.url


# Debian's chromium, driven by Playwright; `make test` installs chromium when missing.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The flags a closed network needs: no background calls home, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The pages' languages (R9) and the locale of a reader's browser in each.
LOCALES = {"nl": "nl-NL", "en": "en-US", "pl": "pl-PL", "ar": "ar"}


@pytest.fixture(scope="module")
def browsers() -> Iterator[Callable[[str], Any]]:
    """Chromium in the language of the page it opens, launched on first use: Chromium
    draws a date field (dd-mm-jjjj, mm/dd/yyyy) in its own language, which a context's
    locale does not change (that sets navigator.language and Intl only). Its own language
    is the --lang flag and, on Linux, LANGUAGE; the words it draws (jjjj) come from
    Debian's chromium-l10n, without which it falls back to US English words (yyyy)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: run `make test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched: dict[str, Any] = {}

        def browser_in(language: str) -> Any:
            if language not in launched:
                locale = LOCALES[language]
                launched[language] = playwright.chromium.launch(
                    executable_path=CHROMIUM,
                    args=[*CHROMIUM_ARGS, f"--lang={locale}"],
                    env={**os.environ, "LANGUAGE": locale.replace("-", "_")},
                    headless=True,
                )
            return launched[language]

        yield browser_in
        for browser in launched.values():
            browser.close()


@pytest.fixture(scope="module")
def browser(browsers: Callable[[str], Any]) -> Any:
    """Chromium in Dutch, the language of the portal and of the checker's first page."""
    return browsers("nl")


@pytest.fixture
def page_in(browsers: Callable[[str], Any]) -> Iterator[Callable[[str], Any]]:
    """A phone-sized page (420 px) of a browser in the page's language."""
    contexts: list[Any] = []

    def page(language: str) -> Any:
        context = browsers(language).new_context(
            locale=LOCALES[language], viewport={"width": 420, "height": 900}
        )
        contexts.append(context)
        return context.new_page()

    yield page
    for context in contexts:
        context.close()


@pytest.fixture
def page(page_in: Callable[[str], Any]) -> Any:
    """A phone-sized page (420 px), Dutch browser."""
    return page_in("nl")


@pytest.fixture
def invoice(running_server):
    """An e-mailed invoice of the dental practice's week."""
    sandbox = running_server.sandbox
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(6))
    sandbox.drain_deliveries()
    invoices, _ = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)
    return next(i for i in invoices if i.channel is Channel.EMAIL)
