"""Alert settings, read from the config's [email] section."""

from __future__ import annotations

from dataclasses import dataclass

from monitor.config import Config

# A message claimed by a delivery run that then died is retried after this long.
CLAIM_LEASE_SECONDS = 900


@dataclass(frozen=True)
class AlertSettings:
    sender: str
    min_confidence: float  # a conflict is emailed only when its confidence reaches this
    unsubscribe_url: str | None  # https base; the token is appended as ?token=
    max_attempts: int  # a message still undelivered after this many attempts is marked failed


def alert_settings(config: Config) -> AlertSettings:
    email = config.email
    return AlertSettings(
        sender=email.from_,
        min_confidence=email.min_confidence,
        unsubscribe_url=email.unsubscribe_url,
        max_attempts=email.max_attempts,
    )
