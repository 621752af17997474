"""Every error monitor raises on purpose, in one tree.

MonitorError
├── ConfigError          bad or missing configuration; the CLI exits 2
├── WarehouseError       the DuckDB file cannot be opened or migrated
├── FetchError           one HTTP fetch failed; recorded, never fatal to a cycle
│   ├── BlockedAddress   the URL's host resolves to an address we refuse
│   ├── BodyTooLarge     the response passed the byte cap
│   ├── HttpStatusError  the server answered with an error status
│   └── FetchTimeout     no answer within the deadline
├── FeedError            the body is not a usable RSS/Atom feed
└── ExtractError         a page is not HTML or gives no usable article text

The CLI and the flows turn each into one line for the user; everything else
is a bug and keeps its traceback.
"""

from __future__ import annotations


class MonitorError(Exception):
    """Base of every error monitor raises on purpose."""


class ConfigError(MonitorError):
    """A configuration problem, phrased as: key, where it was read, and the fix."""


class WarehouseError(MonitorError):
    """The warehouse could not be opened, locked or migrated."""


class FetchError(MonitorError):
    """One HTTP fetch failed. `reason` is a short machine-friendly tag."""

    reason = "fetch_error"

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{message} ({url})")
        self.url = url
        self.message = message


class BlockedAddress(FetchError):
    reason = "blocked_address"


class BodyTooLarge(FetchError):
    reason = "too_large"


class HttpStatusError(FetchError):
    reason = "http_status"

    def __init__(self, url: str, status: int, headers: dict[str, str] | None = None) -> None:
        super().__init__(url, f"HTTP {status}")
        self.status = status
        self.headers = headers or {}  # lower-case keys; Retry-After is read from here


class FetchTimeout(FetchError):
    reason = "timeout"


class FeedError(MonitorError):
    """A fetched body that feedparser could not turn into a feed."""


class ExtractError(MonitorError):
    """A page that is not HTML, or HTML with no main text."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
