"""The Prefect settings a cycle run in this process gets (monitor.runner.flow_run_settings).

Each case runs in a fresh interpreter: Prefect reads its settings from the
environment once, and this session's test harness has already changed them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROBE = """
import json
from prefect.settings import get_current_settings
from monitor.runner import flow_run_settings

seen = {}
for temporary in (True, False):
    with flow_run_settings(temporary_api=temporary):
        seen[str(temporary)] = get_current_settings().flows.heartbeat_frequency
seen["after"] = get_current_settings().flows.heartbeat_frequency
print(json.dumps(seen))
"""


def probe(**env: str) -> dict[str, int | None]:
    clean = {k: v for k, v in os.environ.items() if "HEARTBEAT" not in k}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**clean, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result: dict[str, int | None] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_heartbeats_are_off_only_for_a_temporary_api_and_an_explicit_setting_wins() -> None:
    # Prefect's own default (a heartbeat every 180 s) stays against a real server.
    assert probe() == {"True": None, "False": 180, "after": 180}
    assert probe(PREFECT_FLOWS_HEARTBEAT_FREQUENCY="60") == {"True": 60, "False": 60, "after": 60}
