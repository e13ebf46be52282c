"""Rendering a Timeline: JSON (written atomically) and a chronology printed on a terminal or a pipe."""

from timeline.render.dates import format_date
from timeline.render.jsonfile import to_json, write_json
from timeline.render.terminal import print_chronology, safe_text

__all__ = ["format_date", "print_chronology", "safe_text", "to_json", "write_json"]
