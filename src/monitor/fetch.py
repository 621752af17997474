"""Our one HTTP client: timeouts, byte cap, bounded redirects, per-host limits, SSRF guard.

feedparser and trafilatura never fetch for us; every byte comes through
`Fetcher.get`, which returns data or raises a FetchError subclass.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections import defaultdict
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from monitor.config import HttpSettings
from monitor.errors import (
    BlockedAddress,
    BodyTooLarge,
    FetchError,
    FetchTimeout,
    HttpStatusError,
)

_REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class Response:
    """A finished response: final URL after redirects, status, headers (lower-case keys), body."""

    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


def is_public_address(address: str) -> bool:
    """True only for globally routable unicast addresses.

    Refuses loopback, private, shared (100.64/10), link-local, multicast,
    reserved, documentation and unspecified addresses, and IPv6 forms that
    carry such an IPv4 address inside (mapped, 6to4, Teredo).
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    for inner in _embedded_ipv4(ip):
        if not is_public_address(str(inner)):
            return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local)


def _embedded_ipv4(
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> list[ipaddress.IPv4Address]:
    if not isinstance(ip, ipaddress.IPv6Address):
        return []
    found = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
    return [inner for inner in found if inner is not None]


class Fetcher:
    """Async HTTP GET with the project's safety rules. Use as `async with Fetcher(s) as f`."""

    def __init__(self, settings: HttpSettings, transport: httpx.AsyncBaseTransport | None = None):
        self.settings = settings
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._per_host: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(settings.per_host)
        )

    async def __aenter__(self) -> Fetcher:
        s = self.settings
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(s.timeout, connect=min(s.connect_timeout, s.timeout)),
            headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"},
            follow_redirects=False,
            trust_env=False,
            limits=httpx.Limits(max_connections=s.max_connections),
            transport=self._transport,
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        """GET `url`, following up to max_redirects; 2xx and 304 return, anything else raises.

        Each hop has an overall deadline of `http.timeout` seconds (httpx's own
        timeouts only bound inactivity, so a trickling server would pass them);
        waiting for a per-host slot does not count against it.
        """
        assert self._client is not None, "use Fetcher inside `async with`"
        current = url
        deadline = self.settings.timeout
        for _ in range(self.settings.max_redirects + 1):
            host = await self._check_target(current)
            async with self._per_host[host]:
                try:
                    async with asyncio.timeout(deadline):
                        response = await self._one_request(current, headers or {})
                except TimeoutError:
                    raise FetchTimeout(
                        current, f"no complete answer within {deadline:g} s"
                    ) from None
            if response.status in _REDIRECTS and "location" in response.headers:
                current = urljoin(current, response.headers["location"])
                continue
            if response.status == 304 or 200 <= response.status < 300:
                return response
            raise HttpStatusError(current, response.status, response.headers)
        raise FetchError(url, f"more than {self.settings.max_redirects} redirects")

    async def _one_request(self, url: str, headers: dict[str, str]) -> Response:
        assert self._client is not None
        cap = self.settings.max_bytes
        try:
            async with self._client.stream("GET", url, headers=headers) as r:
                chunks: list[bytes] = []
                size = 0
                # aiter_bytes counts decompressed bytes, so a gzip bomb stops here too.
                async for chunk in r.aiter_bytes():
                    size += len(chunk)
                    if size > cap:
                        raise BodyTooLarge(url, f"body passed the {cap:,}-byte cap")
                    chunks.append(chunk)
                return Response(
                    url=str(r.url),
                    status=r.status_code,
                    headers={k.lower(): v for k, v in r.headers.items()},
                    body=b"".join(chunks),
                )
        except httpx.TimeoutException as exc:
            raise FetchTimeout(url, f"timed out ({type(exc).__name__})") from exc
        except httpx.DecodingError as exc:
            raise FetchError(url, f"undecodable body ({exc})") from exc
        except httpx.HTTPError as exc:
            raise FetchError(url, f"{type(exc).__name__}: {exc or 'connection failed'}") from exc

    async def _check_target(self, url: str) -> str:
        """Refuse non-HTTP schemes and, unless allowed, hosts resolving to non-public addresses."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BlockedAddress(url, f"refusing scheme {parts.scheme or '(none)'!r}")
        host = parts.hostname
        if self.settings.allow_private:
            return host
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host,
                parts.port or (443 if parts.scheme == "https" else 80),
                type=socket.SOCK_STREAM,
            )
        except OSError as exc:
            raise FetchError(url, f"cannot resolve {host}: {exc}") from exc
        for info in infos:
            address = str(info[4][0])
            if not is_public_address(address):
                raise BlockedAddress(
                    url,
                    f"{host} resolves to non-public address {address} (http.allow_private is off)",
                )
        return host
