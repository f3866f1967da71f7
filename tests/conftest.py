"""Fixtures both tiers share: the repository root and a real HTTP server on 127.0.0.1.

The tiers: tests/unit (one file per package module, no Snakemake run; ``make test-fast``)
and tests/workflow (Snakemake runs for real; their fixtures, ``completed_test_run`` among
them, are in tests/workflow/conftest.py). The helper modules beside this file
(archives.py, workflow_helpers.py, slurm_cluster.py, chromium_page.py, system_packages.py) are
importable from both.
"""

from __future__ import annotations

import http.server
import os
import socket
import struct
import sys
import threading
from pathlib import Path
from typing import Iterator

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))  # archives.py, workflow_helpers.py, slurm_cluster.py


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


# --------------------------------------------------------------------------- two test processes


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """In test processes of pytest-xdist (``make test``), the order the scheduler hands tests out in.

    The SLURM run goes first: it takes the longest and mostly waits on the cluster, so it runs
    beside the local test-config run the other process starts. The workflow tier comes before
    the unit tier, whose many short tests then fill the end. Without workers the order stays
    pytest's.
    """
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    workflow_tier = REPO / "tests" / "workflow"

    def rank(item: pytest.Item) -> int:
        if item.get_closest_marker("slurm"):
            return 0
        return 1 if workflow_tier in Path(str(item.path)).resolve().parents else 2

    items.sort(key=rank)  # stable: pytest's order within each rank


# --------------------------------------------------------------------------- HTTP server


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves ``server.routes[path] = (mode, body)``; unknown paths get 404.

    Modes: ``ok`` (full body with Content-Length), ``nolength`` (full body, no
    Content-Length, end marked by closing), ``truncate`` (declares the full
    Content-Length but sends half the body, then closes), ``reset`` (sends half
    the body, then resets the TCP connection), ``404``.
    """

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        mode, body = self.server.routes.get(self.path, ("404", b""))
        if mode == "404":
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if mode != "nolength":
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if mode in ("ok", "nolength"):
            self.wfile.write(body)
        elif mode == "truncate":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif mode == "reset":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            # SO_LINGER 0: close() sends RST instead of FIN
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass


class HTTPFixture:
    def __init__(self, server: http.server.ThreadingHTTPServer) -> None:
        self.server = server
        self.base = f"http://127.0.0.1:{server.server_address[1]}"

    def serve(self, path: str, body: bytes, mode: str = "ok") -> str:
        """Register ``body`` at ``path``; return its URL."""
        self.server.routes[path] = (mode, body)
        return self.base + path


@pytest.fixture
def http_server() -> Iterator[HTTPFixture]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.routes = {"/missing.tar.gz": ("404", b"")}
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield HTTPFixture(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

