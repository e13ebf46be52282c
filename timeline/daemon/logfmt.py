"""Structured, quiet logging for the daemon: key=value lines, one per poll per feed.

The poll line is `poll feed=<name|url> status=<200|304|error...> new=N updated=M duration=0.12s`, with
`error="..."` appended when the poll failed. Values are stripped of control characters and quoted when
they hold spaces, so a hostile feed name or server message can neither forge lines nor drive a terminal.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time

from timeline.controls import UNSAFE_OUTPUT, UNSAFE_OUTPUT_BUT_LAYOUT

_BARE = re.compile(r"[^\s\"'=]+")
QUIET_LOGGERS = (
    "apscheduler",
    "httpx",
    "httpcore",
    "trafilatura",
    "htmldate",
    "charset_normalizer",
    "alembic",
)


def value(text: object) -> str:
    """One log value: control characters removed, quoted (JSON style) unless it is a bare word."""
    cleaned = UNSAFE_OUTPUT.sub(" ", str(text)).strip()
    if cleaned and _BARE.fullmatch(cleaned):
        return cleaned
    return json.dumps(cleaned, ensure_ascii=False)


def fields(**pairs: object) -> str:
    """`key=value` pairs in the order given, None values left out."""
    return " ".join(f"{key}={value(val)}" for key, val in pairs.items() if val is not None)


class _UTCFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        # Tracebacks quote exception messages verbatim, and those can carry text from a feed or page.
        return UNSAFE_OUTPUT_BUT_LAYOUT.sub("?", super().format(record))

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created))


def setup_logging(level: int = logging.INFO) -> None:
    """Log `timeline.*` to stderr as `<UTC time> <level> <event> key=value...`; libraries only on errors."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_UTCFormatter("%(asctime)s %(levelname)s %(message)s"))
    root = logging.getLogger("timeline")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
