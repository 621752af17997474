"""One alert email: a conflict, for one subscriber, as multipart plain text and HTML.

Article text is data from the web: it is autoescaped in the HTML part, links
are kept only for http(s) URLs, and nothing from an article or the config
reaches a header with a line break or control character in it. The HTML has
no images, scripts or remote resources. The Message-ID depends only on the
conflict and the subscriber, so a resend is recognisably the same message.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from monitor.alerts.settings import AlertSettings
from monitor.alerts.subscribers import Subscriber
from monitor.contradictions import ContradictionView, Side

_ENV = Environment(
    loader=PackageLoader("monitor.alerts", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
# Control characters, including the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_BODY_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
MAX_SUBJECT = 200
# CRLF line ends; headers fold only past RFC 5322's 998 characters, so the
# List-Unsubscribe URLs stay on one line.
_POLICY = SMTP.clone(max_line_length=998)

METRIC_LABELS = {
    "training_cost": "training cost",
    "inference_price_input": "input token price",
    "inference_price_output": "output token price",
    "inference_price": "token price",
    "compute_spend": "compute spending",
    "capex": "capital spending",
    "funding": "funding",
    "valuation": "valuation",
    "revenue": "revenue",
    "chip_count": "chip count",
    "gpu_hours": "GPU hours",
    "other": "price",
}
_PREFIXES = {"approx": "about ", "at_least": "at least ", "at_most": "at most "}
_CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£"}


def header_text(text: str, limit: int = MAX_SUBJECT) -> str:
    """Safe for a header: no CR, LF or other control characters, one line, bounded."""
    flat = " ".join(_CONTROL.sub(" ", text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def body_text(text: str | None) -> str:
    return _BODY_CONTROL.sub(" ", text or "").strip()


def message_id(contradiction_id: str, email: str, sender: str) -> str:
    """`<conflict.subscriber-hash@sender-domain>`: the same for every send of one alert."""
    digest = hashlib.sha256(f"{contradiction_id}\n{email}".encode()).hexdigest()[:20]
    domain = re.sub(r"[^A-Za-z0-9.-]", "", parseaddr(sender)[1].rpartition("@")[2])
    return (
        f"<{re.sub(r'[^A-Za-z0-9]', '', contradiction_id)}.{digest}@{domain or 'monitor.invalid'}>"
    )


def subject_line(c: ContradictionView) -> str:
    """'DeepSeek-R1 training cost: $249,000 (Pacific Tech Wire) vs $294,000 (Silicon Dispatch)'."""
    label = METRIC_LABELS.get(c.metric, c.metric.replace("_", " "))
    newer, older = c.b, c.a
    text = (
        f"{c.subject} {label}: {format_amount(newer, c.chip)} ({newer.outlet or 'unknown outlet'})"
        f" vs {format_amount(older, c.chip)} ({older.outlet or 'unknown outlet'})"
    )
    return header_text(text)


def render_alert(
    c: ContradictionView, subscriber: Subscriber, settings: AlertSettings, now: datetime
) -> EmailMessage:
    """The complete message, headers included, ready to queue."""
    links = unsubscribe_links(subscriber.token, settings)
    context = _context(c, subscriber, links)
    msg = EmailMessage(policy=_POLICY)
    msg["Subject"] = subject_line(c)
    msg["From"] = header_text(settings.sender, 320)
    msg["To"] = header_text(subscriber.email, 320)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id(c.id, subscriber.email, settings.sender)
    msg["List-Unsubscribe"] = ", ".join(f"<{link}>" for link in links)
    if any(link.startswith("https://") for link in links):
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Monitor-Contradiction"] = header_text(c.id, 64)
    msg.set_content(_ENV.get_template("alert.txt").render(context))
    msg.add_alternative(_ENV.get_template("alert.html").render(context), subtype="html")
    return msg


def unsubscribe_links(token: str, settings: AlertSettings) -> list[str]:
    """An https link (one-click, RFC 8058) when configured, and always a mailto link."""
    links = []
    if settings.unsubscribe_url and settings.unsubscribe_url.startswith("https://"):
        joiner = "&" if "?" in settings.unsubscribe_url else "?"
        links.append(f"{settings.unsubscribe_url}{joiner}token={quote(token, safe='')}")
    address = parseaddr(settings.sender)[1]
    if address:
        links.append(f"mailto:{address}?subject={quote('unsubscribe ' + token, safe='')}")
    return [header_text(link, 900) for link in links]


def format_amount(side: Side, chip: str | None = None) -> str:
    """'$294,000', 'about $6 million', '$80 million–$100 million', '512 Nvidia H800 chips'."""
    unit = side.unit
    if side.qualifier == "range" and side.value_high is not None:
        amount = f"{_quantity(side.value, unit)}–{_quantity(side.value_high, unit)}"
    else:
        amount = _PREFIXES.get(side.qualifier, "") + _quantity(side.value, unit)
    if unit == "chips":
        return f"{amount} {chip} chips" if chip else f"{amount} chips"
    if unit == "GPU hours":
        return f"{amount} {chip} GPU hours" if chip else f"{amount} GPU hours"
    if "/" in unit:
        return f"{amount} per {unit.split('/', 1)[1]}"
    return amount


def _quantity(value: float, unit: str) -> str:
    currency = unit.split("/", 1)[0]
    number = _number(value)
    if unit in ("chips", "GPU hours"):
        return number
    sign = _CURRENCY_SIGNS.get(currency)
    return f"{sign}{number}" if sign else f"{number} {currency}"


def _number(value: float) -> str:
    for word, scale in ((" trillion", 1e12), (" billion", 1e9), (" million", 1e6)):
        if abs(value) >= scale:
            return f"{value / scale:.3f}".rstrip("0").rstrip(".") + word
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}" if round(value, 2) == value else f"{value:,.4f}".rstrip("0")


def _safe_link(url: str) -> str | None:
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def _context(c: ContradictionView, subscriber: Subscriber, links: list[str]) -> dict[str, Any]:
    sides = []
    for side in (c.b, c.a):  # the newer figure first, as in the subject line
        sides.append(
            {
                "amount": format_amount(side, c.chip),
                "outlet": body_text(side.outlet) or "unknown outlet",
                "date": side.published_at.date().isoformat() if side.published_at else None,
                "quote": body_text(side.quote),
                "title": body_text(side.title),
                "url": body_text(side.url),
                "link": _safe_link(side.url),
            }
        )
    https = [link for link in links if link.startswith("https://")]
    filters = ", ".join(
        [f"subjects {' '.join(subscriber.subjects)}"] * bool(subscriber.subjects)
        + [f"metrics {' '.join(subscriber.metrics)}"] * bool(subscriber.metrics)
    )
    return {
        "subject_line": subject_line(c),
        "subject": body_text(c.subject),
        "metric_label": METRIC_LABELS.get(c.metric, c.metric),
        "sides": sides,
        "transposition": c.transposition,
        "difference": f"{c.relative_difference:.0%}",
        "confidence": f"{c.confidence:.2f}",
        "sources": c.sources,
        "contradiction_id": c.id,
        "filters": body_text(filters),
        "unsubscribe_href": https[0] if https else None,
        "unsubscribe_link": links[0] if links else "reply with the word unsubscribe",
    }
