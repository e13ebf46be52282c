"""Rendering a Timeline: JSON (written atomically), a chronology printed on a terminal or a pipe, and
the exports (`exports.FORMATS`: TimelineJS, iCalendar, CSV, Markdown); `query` chooses the events."""

from timeline.render.dates import format_date
from timeline.render.jsonfile import to_json, write_json
from timeline.render.terminal import print_chronology, print_event, safe_text

__all__ = ["format_date", "print_chronology", "print_event", "safe_text", "to_json", "write_json"]
