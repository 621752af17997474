"""Both flows on their schedules in one long-running process, for teams without a work pool.

`prefect.serve` registers the two deployments (named `*-served`, so they never
clash with the work-pool deployments of prefect.yaml on one server) and runs
their scheduled runs in this process. Schedules are created by a Prefect server's scheduler: the
temporary API a plain `monitor run` starts has none, so serving needs a real
server (`prefect server start`) and PREFECT_API_URL pointing at it.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from prefect import Flow, serve
from prefect.client.orchestration import get_client
from prefect.deployments.runner import RunnerDeployment
from prefect.settings import PREFECT_API_URL

from flows.deliver_alerts import deliver_alerts
from flows.poll_feeds import poll_feeds
from monitor.errors import ConfigError

NO_SERVER = (
    "monitor serve needs a Prefect server, because the temporary API that `monitor run` "
    "starts has no scheduler: run `.venv/bin/prefect server start` in another terminal, "
    "then `export PREFECT_API_URL=http://127.0.0.1:4200/api` and start `monitor serve` again"
)


def check_server() -> str:
    """The configured API URL, or a ConfigError saying how to get one."""
    url = PREFECT_API_URL.value()
    if not url:
        raise ConfigError(NO_SERVER)
    with get_client(sync_client=True) as client:
        failure = client.api_healthcheck()
    if failure is not None:
        raise ConfigError(f"no Prefect server answers at {url} ({failure}); {NO_SERVER}")
    return str(url)


def serve_flows(config_path: Path, poll_minutes: float, deliver_minutes: float) -> None:
    """Serve poll-feeds and deliver-alerts until interrupted (Ctrl-C or SIGTERM)."""
    parameters = {"config_path": str(config_path.resolve())}
    serve(
        _deployment(poll_feeds, "poll-feeds-served", poll_minutes, parameters, "poll"),
        _deployment(deliver_alerts, "deliver-alerts-served", deliver_minutes, parameters, "alerts"),
    )


def _deployment(
    flow: Flow[..., Any], name: str, minutes: float, parameters: dict[str, str], tag: str
) -> RunnerDeployment:
    deployment = flow.to_deployment(
        name=name,
        interval=timedelta(minutes=minutes),
        parameters=parameters,
        tags=["monitor", tag, "served"],
    )
    if not isinstance(deployment, RunnerDeployment):  # sync call: never a coroutine here
        raise TypeError(f"unexpected deployment object {deployment!r}")
    return deployment
