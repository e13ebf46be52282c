"""The export formats by name: what `timeline export --format` and `GET /api/export?format=` produce."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from timeline.models import Timeline


@dataclass(frozen=True)
class ExportFormat:
    """One format: its media type, file extension and the function that writes it."""

    name: str
    media_type: str
    extension: str
    write: Callable[[Timeline, str], bytes]


def _timelinejs(timeline: Timeline, title: str) -> bytes:
    from timeline.render.timelinejs import to_timelinejs

    return (json.dumps(to_timelinejs(timeline, title=title), ensure_ascii=False, indent=1) + "\n").encode()


def _ical(timeline: Timeline, title: str) -> bytes:
    from timeline.render.ical import to_ical

    return to_ical(timeline, title=title)


def _csv(timeline: Timeline, _title: str) -> bytes:
    from timeline.render.table import to_csv

    return to_csv(timeline).encode("utf-8")


def _markdown(timeline: Timeline, title: str) -> bytes:
    from timeline.render.markdown import to_markdown

    return to_markdown(timeline, title=title).encode("utf-8")


FORMATS = {
    f.name: f
    for f in (
        ExportFormat("timelinejs", "application/json", "json", _timelinejs),
        ExportFormat("ical", "text/calendar; charset=utf-8", "ics", _ical),
        ExportFormat("csv", "text/csv; charset=utf-8; header=present", "csv", _csv),
        ExportFormat("markdown", "text/markdown; charset=utf-8", "md", _markdown),
    )
}


def export(timeline: Timeline, format_name: str, *, title: str = "Timeline") -> bytes:
    """The timeline written in the named format (a key of FORMATS)."""
    return FORMATS[format_name].write(timeline, title)
