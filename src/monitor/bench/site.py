"""The bench corpus on 127.0.0.1, served from a process of its own.

Run as `python -m monitor.bench.site MANIFEST`: it serves every file of the
manifest with `monitor.sample_site` (the server the tests and the demo use:
`{{BASE}}` replaced by its own address, ETag and Last-Modified, 304 to a
matching conditional request), prints its address on one line, and stops
when its stdin closes. A process of its own keeps the server's work off the
measured process's interpreter lock and out of its memory.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from monitor.errors import MonitorError
from monitor.sample_site import serve_site


def main(manifest: str) -> None:
    """Serve the manifest's files (URL path -> file) with the tests' own static server."""
    listed: dict[str, str] = json.loads(Path(manifest).read_text(encoding="utf-8"))
    files = {path: Path(file) for path, file in listed.items()}
    with serve_site(Path(manifest).parent, files=files) as site:
        print(site.base, flush=True)
        sys.stdin.read()  # until the bench closes our stdin


@contextmanager
def serve_corpus(manifest: Path) -> Iterator[tuple[str, int]]:
    """Start the server process; yield (base URL, its pid); stop it at the end."""
    process = subprocess.Popen(  # noqa: S603 - our own module, run by our own interpreter
        [sys.executable, "-m", "monitor.bench.site", str(manifest)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdin is not None
    try:
        base = process.stdout.readline().strip()
        if not base.startswith("http://"):
            raise MonitorError(f"bench site did not start (exit {process.poll()})")
        yield base, process.pid
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


if __name__ == "__main__":
    main(sys.argv[1])
