"""Run one real poll cycle and kill this process at a chosen stage: `os._exit(137)`.

    python -m tests.crash_driver STAGE CONFIG

Used by tests/test_crash_stages.py. The stage's library function is wrapped
wherever a module holds it, so the flow runs unchanged until the process dies
the way a killed worker does: no exception handlers, no `finally`, no flush
of anything but stdout. Exit 137 means the process died at the stage; exit 3
means the cycle finished without reaching it (a broken test, not a crash).
"""

from __future__ import annotations

import functools
import importlib
import inspect
import os
import smtplib
import sys
from collections.abc import Callable
from typing import Any

KILLED = 137
NOT_REACHED = 3

# stage -> (module, function, when): "after" dies once the call returned.
STAGES: dict[str, tuple[str, str, str]] = {
    "after_polling": ("monitor.polling", "poll_feeds", "after"),
    "after_extracting_figures": ("monitor.processing", "process_pages", "after"),
    "after_storing": ("monitor.store", "save_cycle", "after"),
    "after_comparing": ("monitor.contradictions", "record", "after"),
    "after_queueing": ("monitor.alerts.outbox", "queue_alerts", "after"),
    "during_sending": ("monitor.alerts.transports", "_smtp_send", "during"),
    "after_sending": ("monitor.alerts.transports", "_smtp_send", "after"),
}


def die(stage: str) -> None:
    print(f"crash_driver: killed {stage}", flush=True)
    os._exit(KILLED)


def send_half_then_die(stage: str) -> Callable[..., None]:
    """Replace `_smtp_send`: start the SMTP transaction, send part of DATA, die."""

    def half(smtp: smtplib.SMTP, sender: str, recipient: str, message: str, where: str) -> None:
        smtp.mail(sender)
        smtp.rcpt(recipient)
        code, _ = smtp.docmd("DATA")
        assert code == 354, code
        smtp.send(message.encode("utf-8")[: len(message) // 2])
        die(stage)

    return half


def dying(stage: str, original: Callable[..., Any]) -> Callable[..., Any]:
    if inspect.iscoroutinefunction(original):

        @functools.wraps(original)
        async def after_async(*args: Any, **kwargs: Any) -> Any:
            await original(*args, **kwargs)
            die(stage)

        return after_async

    @functools.wraps(original)
    def after(*args: Any, **kwargs: Any) -> Any:
        original(*args, **kwargs)
        die(stage)

    return after


def arm(stage: str) -> int:
    """Put the dying wrapper in every loaded module that holds the function; return how many."""
    module_name, name, when = STAGES[stage]
    original = getattr(importlib.import_module(module_name), name)
    wrapper = send_half_then_die(stage) if when == "during" else dying(stage, original)
    armed = 0
    for module in list(sys.modules.values()):
        if getattr(module, name, None) is original:
            setattr(module, name, wrapper)
            armed += 1
    return armed


def main(argv: list[str]) -> int:
    stage, config_path = argv
    from flows.poll_feeds import poll_feeds

    if not arm(stage):
        print(f"crash_driver: nothing to arm for {stage}", file=sys.stderr)
        return 2
    poll_feeds(config_path=config_path)
    print(f"crash_driver: the cycle finished without reaching {stage}", file=sys.stderr)
    return NOT_REACHED


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
