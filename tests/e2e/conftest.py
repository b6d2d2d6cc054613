"""The local server (make serve) on a free port, for HTTP and browser tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer

import pytest

from local.sandbox import Sandbox
from local.seed import SANDBOX_TODAY
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
