"""Debian's headless Chromium driven by Playwright (the system browser: no browser is downloaded).

Launched with a fresh profile and everything that would reach the network switched off. A machine
without Chromium skips the browser tests with the reason; under `.ci/run` (which installs it and sets
TIMELINE_TEST_BROWSER=require) or with `CI` set, a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def require_browser() -> str:
    """The system Chromium, or skip (fail under CI) saying what is missing."""
    path = chromium_path()
    problem = None
    if path is None:
        problem = "Debian's chromium is not installed (apt-get install chromium; .ci/run installs it)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is missing (pip install -e '.[test]')"
    if problem:
        if os.environ.get("TIMELINE_TEST_BROWSER") == "require" or os.environ.get("CI"):
            pytest.fail(f"browser tests must run in CI: {problem}")
        pytest.skip(f"browser tests need a browser: {problem}")
    return path  # type: ignore[return-value]


@dataclass
class Watched:
    """A page with everything it reported: console messages, uncaught errors, dialogs."""

    page: Any
    console: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"console {kind}: {text}" for kind, text in self.console if kind in ("error", "warning")]
            + [f"page error: {e}" for e in self.errors]
            + [f"dialog: {d}" for d in self.dialogs]
        )


@contextmanager
def chromium(viewport: dict[str, int] | None = None) -> Iterator[Watched]:
    """A fresh headless Chromium with one page whose console, errors and dialogs are recorded."""
    executable = require_browser()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="timeline-chromium-") as profile, sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            headless=True,
            args=FLAGS,
            viewport=viewport or {"width": 1100, "height": 900},
            java_script_enabled=True,
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            watched = Watched(page)
            page.on("console", lambda message: watched.console.append((message.type, message.text)))
            page.on("pageerror", lambda error: watched.errors.append(str(error)))

            def on_dialog(dialog: Any) -> None:
                watched.dialogs.append(f"{dialog.type}: {dialog.message}")
                dialog.dismiss()

            page.on("dialog", on_dialog)
            yield watched
        finally:
            context.close()
