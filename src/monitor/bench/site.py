"""The bench corpus on 127.0.0.1, served from a process of its own.

Run as `python -m monitor.bench.site MANIFEST`: it loads every file of the
manifest into memory (with `{{BASE}}` replaced by its own address), prints
that address on one line, and answers GETs with ETag and Last-Modified,
304 to a matching conditional request, until its stdin closes. A process of
its own keeps the server's work off the measured process's interpreter lock
and out of its memory.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from monitor.errors import MonitorError

_TYPES = {".xml": "application/rss+xml", ".html": "text/html; charset=utf-8"}


def load(manifest: Path, base: str) -> dict[str, tuple[bytes, str, str]]:
    """URL path -> (body, content type, ETag)."""
    routes: dict[str, str] = json.loads(manifest.read_text(encoding="utf-8"))
    out = {}
    for path, file in routes.items():
        body = Path(file).read_bytes().replace(b"{{BASE}}", base.encode())
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        out[path] = (body, _TYPES.get(Path(file).suffix, "text/html"), etag)
    return out


def _handler(
    routes: dict[str, tuple[bytes, str, str]], modified: str
) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes; with Nagle's algorithm on, each
        # kept-alive response would wait ~40 ms for the client's delayed ACK.
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            found = routes.get(urlsplit(self.path).path)
            if found is None:
                self._send(404, b"not found", {"Content-Type": "text/plain"})
                return
            body, kind, etag = found
            headers = {"ETag": etag, "Last-Modified": modified}
            if self.headers.get("If-None-Match") == etag:
                self._send(304, b"", headers)
                return
            self._send(200, body, {**headers, "Content-Type": kind})

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        return  # a client that hung up is no news here


def main(manifest: str) -> None:
    server = _Server(("127.0.0.1", 0), BaseHTTPRequestHandler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    server.RequestHandlerClass = _handler(load(Path(manifest), base), formatdate(usegmt=True))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(base, flush=True)
    sys.stdin.read()  # until the bench closes our stdin
    server.shutdown()


@contextmanager
def serve_corpus(manifest: Path) -> Iterator[tuple[str, int]]:
    """Start the server process; yield (base URL, its pid); stop it at the end."""
    process = subprocess.Popen(  # noqa: S603 - our own module, run by our own interpreter
        [sys.executable, "-m", "monitor.bench.site", str(manifest)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdin is not None
    try:
        base = process.stdout.readline().strip()
        if not base.startswith("http://"):
            raise MonitorError(f"bench site did not start (exit {process.poll()})")
        yield base, process.pid
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


if __name__ == "__main__":
    main(sys.argv[1])
