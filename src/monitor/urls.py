"""Canonical article URLs: the natural key of an article.

Two links to the same story differ by tracking parameters, fragments, host
case and default ports; canonical_url removes those differences and nothing
else (remaining query parameters keep their order: some sites route on them).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "_hs")
_TRACKING_KEYS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "ocid",
        "cmpid",
        "ref_src",
        "ref_url",
        "_ga",
        "mkt_tok",
        "spm",
        "smid",
        "sr_share",
    }
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_param(key: str) -> bool:
    k = key.lower()
    return k in _TRACKING_KEYS or k.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str, base: str | None = None) -> str:
    """Absolute, lower-cased scheme and host, no default port, fragment or tracking parameters."""
    absolute = urljoin(base, url.strip()) if base else url.strip()
    parts = urlsplit(absolute)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or _DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not is_tracking_param(k)
        ]
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))
