"""timeline: one ordered, sourced chronology of a story from many news articles.

The public face, importable from here (stage modules are loaded on first use, so `import timeline` and
the CLI stay quick):

    from timeline import tag, load_paths, build_timeline, Article, Timeline

`tag(text, anchor)` finds and anchors temporal expressions; `load_paths(paths)` reads articles from
folders, JSON Lines and HTML; `build_timeline(articles)` extracts mentions, merges them into events
and returns a `Timeline`; `assemble_timeline(articles, mentions)` does the merge step alone;
`write_json(timeline, path)` writes it atomically.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from timeline.errors import ConfigError, InputError, TimelineError
from timeline.models import Article, Conflict, Event, EventSource, Mention, TimeExpression, Timeline

if TYPE_CHECKING:
    from timeline.events import extract_mentions
    from timeline.merge import merge_mentions
    from timeline.pipeline import assemble_timeline, build_timeline
    from timeline.render import write_json
    from timeline.sources import load_paths
    from timeline.temporal import tag

# name -> module that defines it; resolved lazily by __getattr__ below.
_LAZY = {
    "tag": "timeline.temporal",
    "load_paths": "timeline.sources",
    "extract_mentions": "timeline.events",
    "merge_mentions": "timeline.merge",
    "assemble_timeline": "timeline.pipeline",
    "build_timeline": "timeline.pipeline",
    "write_json": "timeline.render",
}

__all__ = [
    "Article",
    "ConfigError",
    "Conflict",
    "Event",
    "EventSource",
    "InputError",
    "Mention",
    "TimeExpression",
    "Timeline",
    "TimelineError",
    "assemble_timeline",
    "build_timeline",
    "extract_mentions",
    "load_paths",
    "merge_mentions",
    "tag",
    "write_json",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'timeline' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
