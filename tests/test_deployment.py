"""Deploy as ops would: a real Prefect server on 127.0.0.1, prefect.yaml, a process worker.

Also `monitor serve` against the same server. The server's scheduler is off so
that only the runs a test triggers execute (a scheduled run of the deployment
would point at the repo's own monitor.toml); the schedules themselves are
checked on the deployments.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from monitor.sample_site import SiteServer

from .conftest import REPO, SITE_FEEDS, write_config

pytestmark = pytest.mark.integration

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# Prefect's server answers 503 while its SQLite database is busy; its own client retries
# those (and 429 and 502), so this bare client does too.
_RETRY_CODES = {429, 502, 503}


def api(url: str, path: str, body: dict[str, Any] | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    attempt = 0
    while True:
        request = urllib.request.Request(
            f"{url}{path}", data=data, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            if exc.code not in _RETRY_CODES or attempt == 4:
                raise
        time.sleep(0.5 * 2**attempt)
        attempt += 1


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """`prefect server start` on a free port with its own PREFECT_HOME; yields the client env."""
    home = tmp_path_factory.mktemp("prefect-home")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "MONITOR_"))} | {
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    log = (home / "server.log").open("wb")
    server = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 120
    while True:
        try:
            api(url, "/health")
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("prefect server did not start:\n" + (home / "server.log").read_text())
            time.sleep(0.5)
    try:
        yield env | {"PREFECT_API_URL": url}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def prefect(env: dict[str, str], *args: str, timeout: float = 180) -> str:
    done = subprocess.run(
        [str(BIN / "prefect"), *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"prefect {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def wait_for_run(url: str, flow_run_id: str, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = api(url, f"/flow_runs/{flow_run_id}")
        if run["state"]["type"] in {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}:
            return dict(run)
        time.sleep(0.5)
    pytest.fail(f"flow run {flow_run_id} did not finish in {timeout} s")


def articles(config: Path) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(config.parent / "monitor.duckdb"), read_only=True) as con:
        return con.execute("SELECT url, outlet FROM articles ORDER BY url").fetchall()


def test_prefect_yaml_deploys_and_a_process_worker_runs_the_poll_cycle(
    prefect_server: dict[str, str], site: SiteServer, tmp_path: Path
) -> None:
    env = prefect_server
    url = env["PREFECT_API_URL"]
    prefect(env, "work-pool", "create", "monitor-process", "--type", "process")
    prefect(env, "--no-prompt", "deploy", "--all")

    deployments = {d["name"]: d for d in api(url, "/deployments/filter", {"limit": 10})}
    assert set(deployments) == {"poll-feeds", "deliver-alerts"}
    poll, deliver = deployments["poll-feeds"], deployments["deliver-alerts"]
    assert [s["schedule"]["interval"] for s in poll["schedules"]] == [900.0]
    assert [s["schedule"]["interval"] for s in deliver["schedules"]] == [300.0]
    assert poll["work_pool_name"] == deliver["work_pool_name"] == "monitor-process"
    assert set(poll["tags"]) == {"monitor", "poll"}
    assert poll["parameters"] == {"config_path": "monitor.toml"}
    steps = poll["pull_steps"]
    assert steps[0]["prefect.deployments.steps.set_working_directory"]["directory"] == str(REPO)

    config = write_config(tmp_path / "monitor.toml", site.base, SITE_FEEDS)
    out = prefect(
        env,
        "deployment",
        "run",
        "poll_feeds/poll-feeds",
        "--param",
        f"config_path={config}",
    )
    flow_run_id = next(line.split(":", 1)[1].strip() for line in out.splitlines() if "UUID" in line)
    prefect(env, "worker", "start", "--pool", "monitor-process", "--run-once", "--limit", "1")
    run = wait_for_run(url, flow_run_id)
    assert run["state"]["type"] == "COMPLETED", run["state"]
    stored = articles(config)
    assert len(stored) == 5
    assert {outlet for _, outlet in stored} == {"Alpha Compute Desk", "Beta Silicon Wire"}
    with duckdb.connect(str(tmp_path / "monitor.duckdb"), read_only=True) as con:
        assert con.execute("SELECT flow_run_id, status FROM runs").fetchall() == [
            (flow_run_id, "completed")
        ]


def test_monitor_serve_registers_both_schedules_and_runs_what_is_triggered(
    prefect_server: dict[str, str], site: SiteServer, tmp_path: Path
) -> None:
    env = prefect_server | {"PREFECT_RUNNER_POLL_FREQUENCY": "1"}
    url = env["PREFECT_API_URL"]
    config = write_config(tmp_path / "monitor.toml", site.base, SITE_FEEDS)
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        served = subprocess.Popen(
            [str(BIN / "monitor"), "serve", "--config", str(config), "--poll-every", "60"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        found: dict[str, Any] = {}
        while time.monotonic() < deadline and len(found) < 2:
            for d in api(url, "/deployments/filter", {"limit": 20}):
                if "served" in d["tags"]:
                    found[d["name"]] = d
            time.sleep(0.5)
        assert set(found) == {"poll-feeds-served", "deliver-alerts-served"}
        poll, deliver = found["poll-feeds-served"], found["deliver-alerts-served"]
        assert [s["schedule"]["interval"] for s in poll["schedules"]] == [3600.0]
        assert [s["schedule"]["interval"] for s in deliver["schedules"]] == [300.0]
        assert poll["parameters"] == {"config_path": str(config)}

        run = api(url, f"/deployments/{poll['id']}/create_flow_run", {})
        finished = wait_for_run(url, run["id"])
        output = log_path.read_text(errors="replace")[-4000:]
        assert finished["state"]["type"] == "COMPLETED", output
        assert len(articles(config)) == 5
    finally:
        if served.poll() is None:
            os.killpg(served.pid, signal.SIGINT)
        try:
            served.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(served.pid, signal.SIGKILL)
            served.wait()
