"""Helpers for web tests: a `timeline` server process on port 0 and the URL it prints."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from daemonkit import child_env, wait_for

__all__ = ["Served", "child_env", "start", "wait_for", "write_config"]

_SERVING = re.compile(r"timeline: serving (http://\S+)")


@dataclass
class Served:
    """A running server: its process, base URL and log file."""

    process: subprocess.Popen[str]
    url: str
    log: Path

    def get(self, path: str, **kwargs: object) -> httpx.Response:
        return httpx.get(self.url + path, timeout=30, **kwargs)  # type: ignore[arg-type]

    def stop(self) -> int:
        """SIGTERM, as systemd stops it; the exit status."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(15)


def start(tmp_path: Path, command: str, *args: str, timeout: float = 60) -> Served:
    """`timeline <command> <args>` with `--port 0` for serve; waits for the "serving URL" line."""
    log = tmp_path / f"{command}-{time.monotonic_ns()}.log"
    extra = ["--port", "0"] if command == "serve" and "--port" not in args else []
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "timeline", command, *args, *extra],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=child_env(tmp_path),
            text=True,
            cwd=tmp_path,
        )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = _SERVING.search(log.read_text(encoding="utf-8"))
        if found:
            return Served(process, found[1], log)
        if process.poll() is not None:
            raise AssertionError(f"timeline {command} exited {process.returncode}:\n{log.read_text()}")
        time.sleep(0.05)
    process.kill()
    raise AssertionError(f"timeline {command} printed no URL in {timeout} s:\n{log.read_text()}")


def write_config(
    tmp_path: Path, *, store: str | None = None, feeds: list[dict] | None = None, **serve: str
) -> Path:
    """A config in tmp_path: its own SQLite store (or `store`), output JSON, [serve] settings."""
    import json

    lines = [
        "[store]",
        f"url = {json.dumps(store or 'sqlite:///' + str(tmp_path / 'timeline.db'))}",
        "[output]",
        f"json = {json.dumps(str(tmp_path / 'timeline.json'))}",
        "[http]",
        "allow_private_addresses = true",
        "timeout = 5",
        "[daemon]",
        'dispatch_interval = "0.5s"',
        "[serve]",
        *(f"{key} = {json.dumps(value)}" for key, value in serve.items()),
    ]
    for feed in feeds or []:
        lines.append("[[feeds]]")
        lines.extend(f"{key} = {json.dumps(value)}" for key, value in feed.items())
    path = tmp_path / "timeline.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
