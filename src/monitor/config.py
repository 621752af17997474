"""Configuration: packaged defaults, then the TOML file, then MONITOR_* env vars.

Every problem becomes one ConfigError line that names the key, the file it
was read from and what would fix it. Secrets (the SMTP password) are read
from the environment only and never stored here.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from difflib import get_close_matches
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from monitor import __version__
from monitor.errors import ConfigError

DEFAULT_CONFIG = "monitor.toml"
ENV_PREFIX = "MONITOR_"
# Env vars of ours that are not config keys.
_ENV_NOT_KEYS = {"MONITOR_CONFIG", "MONITOR_EMAIL_PASSWORD", "MONITOR_EVAL_DIR"}


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class WarehouseSettings(_Section):
    path: Path = Path("warehouse/monitor.duckdb")
    wait_seconds: float = Field(
        600, ge=0, description="how long a run waits for another run on this warehouse"
    )


class HttpSettings(_Section):
    timeout: float = Field(20.0, gt=0, description="overall deadline per request, seconds")
    connect_timeout: float = Field(10.0, gt=0)
    allow_private: bool = False
    max_bytes: int = Field(10_000_000, gt=0, description="cap on one response body")
    max_redirects: int = Field(5, ge=0, le=20)
    per_host: int = Field(4, ge=1, description="requests in flight per host")
    max_connections: int = Field(32, ge=1)
    user_agent: str = f"monitor/{__version__} (AI cost news monitor)"


class ArticleSettings(_Section):
    max_attempts: int = Field(3, ge=1, description="fetch/extract tries before giving up")


class PollingSettings(_Section):
    backoff_minutes: float = Field(15, gt=0, description="wait after the 2nd failure in a row")
    max_backoff_minutes: float = Field(1440, gt=0, description="longest wait between tries")
    max_cache_minutes: float = Field(1440, gt=0, description="cap on max-age, ttl, Retry-After")
    retire_after_days: float = Field(7, gt=0, description="404/410 this long: feed is gone")


class ProcessingSettings(_Section):
    """How pages become articles: a process pool here, or tasks on the flow's task runner."""

    runner: Literal["pool", "task_runner"] = Field(
        "pool", description="pool: processes on this machine; task_runner: the flow's (Dask)"
    )
    workers: int = Field(0, ge=0, description="pool processes; 0 = one per CPU core")
    page_timeout: float = Field(
        60.0, gt=0, description="hard limit on one page's extraction, seconds"
    )
    batch_size: int = Field(8, ge=1, description="pages per batch handed to a worker or task")


class FeedSettings(_Section):
    name: str = Field(min_length=1)
    url: str
    outlet: str | None = None
    interval_minutes: float | None = Field(None, gt=0)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.lower().startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value

    @property
    def outlet_name(self) -> str:
        return self.outlet or self.name


class EmailSettings(_Section):
    transport: Literal["smtp", "file"] = "file"
    host: str = "127.0.0.1"
    port: int = Field(25, gt=0, lt=65536)
    starttls: bool = False
    tls: bool = False
    username: str | None = None
    ca_file: Path | None = Field(None, description="PEM CA bundle trusted for the server's cert")
    from_: str = Field("monitor@localhost", alias="from")
    outbox: Path = Path("warehouse/outbox")
    timeout: float = Field(30.0, gt=0)
    min_confidence: float = Field(0.7, ge=0, le=1, description="email conflicts this sure")
    unsubscribe_url: str | None = Field(None, pattern=r"^https://")
    max_attempts: int = Field(20, ge=1, description="sends before an alert is marked failed")


class SubscriberSettings(_Section):
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")
    subjects: list[str] = []
    metrics: list[str] = []


class Config(_Section):
    warehouse: WarehouseSettings = WarehouseSettings()
    http: HttpSettings = HttpSettings()
    articles: ArticleSettings = ArticleSettings()
    polling: PollingSettings = PollingSettings()
    processing: ProcessingSettings = ProcessingSettings()
    feeds: list[FeedSettings] = []
    email: EmailSettings = EmailSettings()
    subscribers: list[SubscriberSettings] = []
    source: str = Field("(defaults)", exclude=True)


_TABLES = ("warehouse", "http", "articles", "polling", "processing", "email")
_LISTS = ("feeds", "subscribers")


def load_config(path: str | Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Read, merge and validate the configuration; raise ConfigError on any problem.

    Relative paths in the file are taken relative to the file's folder.
    """
    env = os.environ if env is None else env
    config_path = Path(path or env.get("MONITOR_CONFIG") or DEFAULT_CONFIG)
    where = str(config_path)
    if not config_path.is_file():
        raise ConfigError(
            f"{where}: config file not found; pass --config FILE or copy "
            f"monitor.example.toml to {DEFAULT_CONFIG}"
        )
    try:
        data: dict[str, Any] = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where}: not valid TOML ({exc}); fix the syntax at that spot") from exc
    from_env = _merge_env(data, env)
    try:
        config = Config.model_validate({**data, "source": where})
    except ValidationError as exc:
        raise ConfigError(_describe(exc, data, where, from_env)) from exc
    return _rooted(config, config_path.parent)


def _merge_env(data: dict[str, Any], env: Mapping[str, str]) -> dict[str, str]:
    """Overlay MONITOR_* variables on the file's data; return top keys taken from env."""
    from_env: dict[str, str] = {}
    for name, raw in env.items():
        if not name.startswith(ENV_PREFIX) or name in _ENV_NOT_KEYS:
            continue
        key = name[len(ENV_PREFIX) :].lower()
        if key in _LISTS:
            try:
                data[key] = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise ConfigError(
                    f"{name}: not a JSON list ({exc}); give e.g. '[{{...}}]'"
                ) from exc
            from_env[key] = name
            continue
        section = next((t for t in _TABLES if key.startswith(t + "_")), None)
        if section is None:
            continue
        field = key[len(section) + 1 :]
        # Env values are strings; pydantic coerces "true"/"20" to the field's type.
        data.setdefault(section, {})[field] = raw
        from_env[f"{section}.{field}"] = name
    return from_env


def _rooted(config: Config, base: Path) -> Config:
    def root(p: Path) -> Path:
        return p if p.is_absolute() else base / p

    return config.model_copy(
        update={
            "warehouse": config.warehouse.model_copy(update={"path": root(config.warehouse.path)}),
            "email": config.email.model_copy(
                update={
                    "outbox": root(config.email.outbox),
                    "ca_file": root(config.email.ca_file) if config.email.ca_file else None,
                }
            ),
        }
    )


def _describe(
    exc: ValidationError, data: dict[str, Any], where: str, from_env: dict[str, str]
) -> str:
    """The first validation error as: file: key: problem; fix."""
    err = exc.errors()[0]
    loc = err["loc"]
    key = _dotted(loc)
    env_name = from_env.get(".".join(str(p) for p in loc[:2])) or from_env.get(str(loc[0]))
    if env_name:
        where = f"environment variable {env_name}"
    kind = err["type"]
    if kind == "extra_forbidden":
        known = _known_keys(loc[:-1])
        close = get_close_matches(str(loc[-1]), known, n=1)
        hint = f'did you mean "{close[0]}"?' if close else f"known keys: {', '.join(known)}"
        return f"{where}: {key}: unknown key; remove it or fix the name ({hint})"
    if kind == "missing":
        return f"{where}: {key}: required key is missing; add it"
    given = _lookup(data, loc)
    return f"{where}: {key}: {err['msg'].lower()} (got {given!r}); set a valid value"


def _dotted(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _lookup(data: Any, loc: tuple[int | str, ...]) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _known_keys(loc: tuple[int | str, ...]) -> list[str]:
    model: type[BaseModel] = Config
    for part in loc:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[str(part)].annotation
        inner = getattr(annotation, "__args__", None)
        candidate = inner[0] if inner else annotation
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            model = candidate
    return sorted(f.alias or name for name, f in model.model_fields.items() if name != "source")
