"""One writing run per warehouse: a Prefect global concurrency limit of one slot.

DuckDB allows one writing process per file. A slow poll cycle and the next
scheduled one (or a delivery run) must not interleave their writes, so every
flow that writes holds the warehouse's limit for its whole run: the second
run waits up to `warehouse.wait_seconds`, then skips with a clear log line
and a `skipped` row in `runs`.

The limit is named after the warehouse file, so runs of different configs on
one file share it and different files do not. It is created (one slot) the
first time it is needed and acquired with `strict=True`, so a missing limit
is an error, never a silent pass. Slots are leases: a run killed while
holding one frees it when the lease runs out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
from prefect.concurrency.sync import concurrency
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

from monitor.errors import MonitorError

LEASE_SECONDS = 60.0  # renewed while the run is alive; lets a killed run's slot go


class WarehouseBusy(MonitorError):
    """Another run held the warehouse's writer limit for longer than we were willing to wait."""


def limit_name(warehouse: Path) -> str:
    """`monitor-warehouse-<hash of the file's absolute path>` (artifact-style: a-z, 0-9, -)."""
    digest = hashlib.sha256(str(warehouse.resolve()).encode()).hexdigest()[:12]
    return f"monitor-warehouse-{digest}"


def ensure_limit(name: str) -> None:
    """Create the one-slot limit unless it exists (ops may have raised or lowered it)."""
    with get_client(sync_client=True) as client:
        try:
            client.read_global_concurrency_limit_by_name(name)
        except ObjectNotFound:
            # Another run may create it between our read and our create.
            with suppress(ObjectAlreadyExists):
                client.create_global_concurrency_limit(
                    GlobalConcurrencyLimitCreate(name=name, limit=1)
                )


@contextmanager
def one_writer(warehouse: Path, wait_seconds: float) -> Iterator[str]:
    """Hold the warehouse's writer slot for the block; raise WarehouseBusy if it stays taken."""
    name = limit_name(warehouse)
    ensure_limit(name)
    acquired = False
    try:
        with concurrency(
            name,
            occupy=1,
            timeout_seconds=wait_seconds,
            strict=True,
            lease_duration=LEASE_SECONDS,
        ):
            acquired = True
            yield name
    except TimeoutError as exc:
        if acquired:
            raise  # a timeout inside the run is the run's own failure
        raise WarehouseBusy(
            f"another run has held {name} (warehouse {warehouse}) for more than "
            f"{wait_seconds:g} s; skipping this run"
        ) from exc
