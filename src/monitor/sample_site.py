"""A small static web server on 127.0.0.1 for the demo and the tests.

Serves a folder of feeds and pages the way a real news site would: content
types by extension, ETag and Last-Modified with 304 answers to conditional
requests, and `{{BASE}}` in files replaced by the server's own address so
feeds can carry absolute links. `routes` adds canned answers (an error
status, a slow reply, a huge body) for fault tests, and `serve_silence`
is a server that accepts connections and never says a word.
"""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

PLACEHOLDER = b"{{BASE}}"
_TYPES = {
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
}


@dataclass
class Route:
    """A canned answer for one path."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    stream: Callable[[BaseHTTPRequestHandler], None] | None = None  # writes the body itself


@dataclass
class SiteServer:
    root: Path
    base: str = ""
    routes: dict[str, Route] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)  # URL path -> file anywhere (a manifest)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    started: float = field(default_factory=time.time)

    def file_for(self, path: str) -> Path | None:
        if path in self.files:
            return self.files[path]
        rel = path.lstrip("/")
        for candidate in (self.root / rel, self.root / "pages" / rel):
            resolved = candidate.resolve()
            if resolved.is_file() and resolved.is_relative_to(self.root.resolve()):
                return resolved
        return None

    def body_of(self, file: Path) -> bytes:
        return file.read_bytes().replace(PLACEHOLDER, self.base.encode())


def _handler(site: SiteServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes; with Nagle's algorithm on, each
        # kept-alive response would wait ~40 ms for the client's delayed ACK.
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            site.requests.append((path, {k.lower(): v for k, v in self.headers.items()}))
            route = site.routes.get(path)
            if route is not None:
                self._answer_route(route)
                return
            file = site.file_for(path)
            if file is None:
                self._send(404, b"not found", {"Content-Type": "text/plain"})
                return
            body = site.body_of(file)
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            modified = formatdate(site.started, usegmt=True)
            headers = {
                "Content-Type": _TYPES.get(file.suffix, "application/octet-stream"),
                "ETag": etag,
                "Last-Modified": modified,
            }
            if self.headers.get("If-None-Match") == etag or (
                "If-None-Match" not in self.headers
                and self.headers.get("If-Modified-Since") == modified
            ):
                self._send(304, b"", {"ETag": etag, "Last-Modified": modified})
                return
            self._send(200, body, headers)

        def _answer_route(self, route: Route) -> None:
            if route.delay:
                time.sleep(route.delay)
            if route.stream is not None:
                route.stream(self)
                return
            self._send(route.status, route.body, route.headers)

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return  # keep test and demo output clean

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that gave up (timeout tests, size caps) is expected; say nothing.
        return


@contextmanager
def serve_site(
    root: Path, routes: dict[str, Route] | None = None, files: dict[str, Path] | None = None
) -> Iterator[SiteServer]:
    """Serve `root` (and the `files` manifest) on a free port of 127.0.0.1 until the block ends."""
    site = SiteServer(root=root, routes=routes or {}, files=files or {})
    server = _QuietServer(("127.0.0.1", 0), _handler(site))
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="sample-site", daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve_silence() -> Iterator[str]:
    """Accept TCP connections on 127.0.0.1 and never answer; yields `http://127.0.0.1:port`.

    Connections stay open (unanswered) until the block ends, as a hung server's would.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.1)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(connection)

    thread = threading.Thread(target=accept, name="silent-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()
