"""The local server (make serve) on a free port, for HTTP and browser tests."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path

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


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: run `make test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A phone-sized page (420 px), Dutch browser."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 420, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture
def invoice(running_server):
    """An e-mailed invoice of the dental practice's week."""
    sandbox = running_server.sandbox
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(6))
    sandbox.drain_deliveries()
    invoices, _ = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)
    return next(i for i in invoices if i.channel is Channel.EMAIL)
