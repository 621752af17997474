"""`monitor subscribers add|remove|list`, `monitor unsubscribe TOKEN`, `monitor contradictions`.

`register(subparsers, with_config)` adds them to the main parser; each
command's `func` takes the parsed arguments and returns the exit code.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import duckdb

from monitor.alerts.render import METRIC_LABELS, format_amount
from monitor.alerts.subscribers import (
    Subscriber,
    SubscriberError,
    add_subscriber,
    list_subscribers,
    normalize_address,
    remove_subscriber,
    sync_config_subscribers,
    unsubscribe,
)
from monitor.config import Config, load_config
from monitor.contradictions import ContradictionView, load_contradictions
from monitor.errors import WarehouseError
from monitor.warehouse import open_warehouse

_STATUSES = ("open", "dismissed", "resolved")


def register(subparsers: Any, with_config: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the alert commands to `monitor`'s subparsers."""
    subs = subparsers.add_parser("subscribers", help="add, remove or list alert subscribers")
    actions = subs.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="subscribe an address (or change its filters)")
    add.add_argument("email")
    add.add_argument(
        "--subject",
        action="append",
        default=[],
        metavar="GLOB",
        help="only conflicts about matching subjects, e.g. 'DeepSeek*' (repeatable)",
    )
    add.add_argument(
        "--metric",
        action="append",
        default=[],
        choices=sorted(METRIC_LABELS),
        metavar="METRIC",
        help="only conflicts about this metric (repeatable)",
    )
    add.add_argument(
        "--resubscribe",
        action="store_true",
        help="add an address that unsubscribed (only if they asked)",
    )
    remove = actions.add_parser("remove", help="delete a subscriber added with `add`")
    remove.add_argument("email")
    listing = actions.add_parser("list", help="list subscribers, their filters and state")
    listing.add_argument("--format", choices=["jsonl", "table"], default="table")
    for p in (add, remove, listing):
        with_config(p)
    add.set_defaults(func=cmd_subscribers_add)
    remove.set_defaults(func=cmd_subscribers_remove)
    listing.set_defaults(func=cmd_subscribers_list)

    unsub = subparsers.add_parser("unsubscribe", help="honour an unsubscribe token from an alert")
    # a token made before tokens were hex may start with "-": `monitor unsubscribe -- -Ab3...`
    unsub.add_argument("token", help='the token; put "--" before one that starts with "-"')
    with_config(unsub)
    unsub.set_defaults(func=cmd_unsubscribe)

    conflicts = subparsers.add_parser(
        "contradictions", help="list recorded contradictions, newest first"
    )
    conflicts.add_argument("--format", choices=["jsonl", "table"], default="table")
    conflicts.add_argument("--status", choices=[*_STATUSES, "all"], default="all")
    with_config(conflicts)
    conflicts.set_defaults(func=cmd_contradictions)


def cmd_subscribers_add(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    with open_warehouse(config.warehouse.path) as con:
        _sync(con, config)
        try:
            sub = add_subscriber(
                con, args.email, args.subject, args.metric, _now(), args.resubscribe
            )
        except SubscriberError as exc:
            print(f"monitor: {exc}", file=sys.stderr)
            return 1
    print(f"subscribed {sub.email} ({_filters(sub)})")
    return 0


def cmd_subscribers_remove(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    try:
        email = normalize_address(args.email)
    except SubscriberError as exc:
        print(f"monitor: {exc}", file=sys.stderr)
        return 2
    listed = {s.email.strip().lower() for s in config.subscribers}
    if email in listed:
        print(
            f"monitor: {email} is listed in {config.source} under [[subscribers]]; remove it there"
            " (or use `monitor unsubscribe TOKEN`)",
            file=sys.stderr,
        )
        return 1
    with open_warehouse(config.warehouse.path) as con:
        removed = remove_subscriber(con, email)
    print(f"removed {email}" if removed else f"{email} was not subscribed")
    return 0


def cmd_subscribers_list(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    with open_warehouse(config.warehouse.path) as con:
        _sync(con, config)
        subs = list_subscribers(con)
    for s in subs:
        state = (
            "receiving" if s.receiving else ("unsubscribed" if s.unsubscribed_at else "inactive")
        )
        if args.format == "jsonl":
            record = {
                "email": s.email,
                "subjects": list(s.subjects),
                "metrics": list(s.metrics),
                "source": s.source,
                "state": state,
            }
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(f"{s.email:40}  {s.source:6}  {state:12}  {_filters(s)}")
    if args.format == "table" and not subs:
        print("no subscribers")
    return 0


def cmd_unsubscribe(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    with open_warehouse(config.warehouse.path) as con:
        sub = unsubscribe(con, args.token, _now())
    if sub is None:
        print("monitor: no subscriber has that token", file=sys.stderr)
        return 1
    print(f"unsubscribed {sub.email}; no further alerts will be sent to it")
    return 0


def cmd_contradictions(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    where, params = ("true", []) if args.status == "all" else ("status = ?", [args.status])
    with open_warehouse(config.warehouse.path, read_only=True) as con:
        try:
            rows = load_contradictions(con, where, params)
        except duckdb.CatalogException as exc:
            raise WarehouseError(
                f"{config.warehouse.path}: no contradictions view yet; run `monitor run` once"
            ) from exc
    if args.format == "jsonl":
        for c in rows:
            print(json.dumps(c.as_dict(), ensure_ascii=False))
        return 0
    print(f"{len(rows)} contradictions")
    for c in rows:
        print(_table_line(c))
    return 0


def _table_line(c: ContradictionView) -> str:
    label = METRIC_LABELS.get(c.metric, c.metric)
    flag = "  (likely digit transposition)" if c.transposition else ""
    return (
        f"  {c.id}  {c.status:9}  {c.confidence:.2f}  {c.subject} {label}: "
        f"{format_amount(c.b, c.chip)} ({c.b.outlet}) vs {format_amount(c.a, c.chip)} "
        f"({c.a.outlet}), {c.sources} sources{flag}"
    )


def _sync(con: duckdb.DuckDBPyConnection, config: Config) -> None:
    sync_config_subscribers(con, config.subscribers, _now())


def _filters(s: Subscriber) -> str:
    parts = []
    if s.subjects:
        parts.append("subjects " + ", ".join(s.subjects))
    if s.metrics:
        parts.append("metrics " + ", ".join(s.metrics))
    return "; ".join(parts) or "every conflict"


def _now() -> datetime:
    return datetime.now(UTC)
