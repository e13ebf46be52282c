"""Helpers for daemon tests: configs in tmp dirs and `timeline` child processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path


def write_config(
    tmp_path: Path,
    feeds: list[dict],
    *,
    keywords: list[str] | None = None,
    store_url: str | None = None,
    **http,
) -> Path:
    """A config in `tmp_path`: SQLite file, output JSON, loopback allowed, 1-second pacing."""
    lines = [
        "[store]",
        f"url = {json.dumps(store_url or 'sqlite:///' + str(tmp_path / 'timeline.db'))}",
        "[output]",
        f'json = "{tmp_path / "timeline.json"}"',
        "[story]",
        f"keywords = {json.dumps(keywords or [])}",
        "[http]",
        "allow_private_addresses = true",
        f"timeout = {http.get('timeout', 1)}",
        f"max_bytes = {http.get('max_bytes', 10_000_000)}",
        "[daemon]",
        'dispatch_interval = "0.5s"',
        "workers = 4",
        f"max_failures = {http.get('max_failures', 10)}",
        f'max_backoff = "{http.get("max_backoff", "1h")}"',
        f'lease = "{http.get("lease", "2m")}"',
        f"extract_processes = {http.get('extract_processes', 0)}",
    ]
    for feed in feeds:
        lines.append("[[feeds]]")
        lines.extend(f"{key} = {json.dumps(val)}" for key, val in feed.items())
    path = tmp_path / "timeline.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def child_env(tmp_path: Path) -> dict[str, str]:
    """The environment for a `timeline` child process: no inherited TIMELINE_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIMELINE_")}
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def start_daemon(tmp_path: Path, config: Path, log_name: str = "daemon.log") -> subprocess.Popen[str]:
    """`timeline daemon --config FILE` as a real child process, stderr captured to a file."""
    log = (tmp_path / log_name).open("a", encoding="utf-8")
    return subprocess.Popen(
        [sys.executable, "-m", "timeline", "daemon", "--config", str(config)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=child_env(tmp_path),
        text=True,
    )


def run_timeline(tmp_path: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run one `timeline` command to completion."""
    return subprocess.run(
        [sys.executable, "-m", "timeline", *args],
        capture_output=True,
        text=True,
        env=child_env(tmp_path),
        timeout=timeout,
    )


def wait_for(predicate, timeout: float, interval: float = 0.1):
    """Poll `predicate` until it returns something truthy or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    return predicate()


def read_json(path: Path) -> dict | None:
    """The timeline JSON, or None while it does not exist yet."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
