"""``sdd site --serve``: a local preview of the built site, on 127.0.0.1 only."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOST = "127.0.0.1"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


def make_server(folder: Path, port: int) -> ThreadingHTTPServer:
    """A server of ``folder`` bound to the loopback address (port 0: any free port)."""
    handler = partial(_QuietHandler, directory=str(folder))
    return ThreadingHTTPServer((HOST, port), handler)


def serve(folder: Path, port: int, ready: Callable[[str], None]) -> None:
    """Serve ``folder`` until interrupted; ``ready`` receives the address."""
    with make_server(folder, port) as server:
        ready(f"http://{HOST}:{server.server_address[1]}/")
        server.serve_forever()
