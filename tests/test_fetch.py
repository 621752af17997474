"""The HTTP client against a real server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gzip
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from monitor.config import HttpSettings
from monitor.errors import BlockedAddress, BodyTooLarge, FetchError, FetchTimeout, HttpStatusError
from monitor.fetch import Fetcher, Response, is_public_address
from monitor.sample_site import Route, serve_site


def fetch(settings: HttpSettings, url: str, headers: dict[str, str] | None = None) -> Response:
    async def go() -> Response:
        async with Fetcher(settings) as fetcher:
            return await fetcher.get(url, headers)

    return asyncio.run(go())


LOCAL = HttpSettings(allow_private=True, timeout=2)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.1", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("fe80::1", False),
        ("::ffff:127.0.0.1", False),
        ("224.0.0.1", False),
        ("0.0.0.0", False),
        ("93.184.215.14", True),
        ("2606:4700::1111", True),
    ],
)
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public_address(address) is public


def test_loopback_is_refused_unless_allowed(site_root: Path) -> None:
    with serve_site(site_root) as site:
        url = f"{site.base}/feeds/alpha.rss.xml"
        with pytest.raises(BlockedAddress, match=r"non-public address 127\.0\.0\.1"):
            fetch(HttpSettings(), url)
        with pytest.raises(BlockedAddress, match="localhost resolves to non-public"):
            fetch(HttpSettings(), url.replace("127.0.0.1", "localhost"))
        assert site.requests == []  # refused before connecting
        assert fetch(LOCAL, url).status == 200


def test_other_schemes_are_refused() -> None:
    with pytest.raises(BlockedAddress, match="refusing scheme 'file'"):
        fetch(LOCAL, "file:///etc/passwd")


def test_redirect_to_loopback_is_checked_at_each_hop(site_root: Path) -> None:
    """A public-looking first hop cannot bounce us onto a private address."""
    with serve_site(site_root) as site:
        site.routes["/hop"] = Route(302, headers={"Location": f"{site.base}/feeds/alpha.rss.xml"})
        # Reach the first hop via allow_private, then verify the check runs on the second.
        seen: list[str] = []

        class Recording(Fetcher):
            async def _check_target(self, url: str) -> str:
                seen.append(url)
                return await super()._check_target(url)

        async def go() -> Response:
            async with Recording(LOCAL) as fetcher:
                return await fetcher.get(f"{site.base}/hop")

        assert asyncio.run(go()).status == 200
        assert seen == [f"{site.base}/hop", f"{site.base}/feeds/alpha.rss.xml"]


def test_user_agent_names_the_project(site_root: Path) -> None:
    with serve_site(site_root) as site:
        fetch(LOCAL, f"{site.base}/feeds/alpha.rss.xml")
        assert site.requests[0][1]["user-agent"].startswith("monitor/")


def test_body_over_cap_is_cut_off(site_root: Path) -> None:
    with serve_site(site_root) as site:
        site.routes["/big"] = Route(200, b"x" * 200_000, {"Content-Type": "text/html"})
        with pytest.raises(BodyTooLarge, match="100,000-byte cap"):
            fetch(HttpSettings(allow_private=True, max_bytes=100_000), f"{site.base}/big")


def test_gzip_bomb_counts_decompressed_bytes(site_root: Path) -> None:
    bomb = gzip.compress(b"\0" * 5_000_000)
    assert len(bomb) < 10_000
    with serve_site(site_root) as site:
        site.routes["/bomb"] = Route(200, bomb, {"Content-Encoding": "gzip"})
        with pytest.raises(BodyTooLarge):
            fetch(HttpSettings(allow_private=True, max_bytes=1_000_000), f"{site.base}/bomb")


def test_redirect_loop_is_bounded(site_root: Path) -> None:
    with serve_site(site_root) as site:
        site.routes["/a"] = Route(301, headers={"Location": "/b"})
        site.routes["/b"] = Route(308, headers={"Location": "/a"})
        with pytest.raises(FetchError, match="more than 3 redirects"):
            fetch(HttpSettings(allow_private=True, max_redirects=3), f"{site.base}/a")
        assert len(site.requests) == 4


def test_error_status_and_timeout(site_root: Path) -> None:
    with serve_site(site_root) as site:
        site.routes["/boom"] = Route(500, b"oops")
        site.routes["/slow"] = Route(200, b"late", delay=3)
        with pytest.raises(HttpStatusError) as err:
            fetch(LOCAL, f"{site.base}/boom")
        assert err.value.status == 500
        with pytest.raises(FetchTimeout, match="within 1 s"):
            fetch(HttpSettings(allow_private=True, timeout=1), f"{site.base}/slow")


def test_trickling_server_hits_the_overall_deadline(site_root: Path) -> None:
    """httpx's read timeout resets on every byte; our deadline does not."""

    def trickle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "100")
        h.end_headers()
        for _ in range(100):
            try:
                h.wfile.write(b"x")
                h.wfile.flush()
            except OSError:
                return
            time.sleep(0.05)

    with serve_site(site_root) as site:
        site.routes["/trickle"] = Route(stream=trickle)
        started = time.monotonic()
        with pytest.raises(FetchTimeout):
            fetch(HttpSettings(allow_private=True, timeout=1), f"{site.base}/trickle")
        assert time.monotonic() - started < 3


def test_conditional_get_gets_304(site_root: Path) -> None:
    with serve_site(site_root) as site:
        url = f"{site.base}/feeds/alpha.rss.xml"
        first = fetch(LOCAL, url)
        again = fetch(LOCAL, url, {"If-None-Match": first.headers["etag"]})
        assert (first.status, again.status, again.body) == (200, 304, b"")
