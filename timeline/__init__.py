"""timeline: one ordered, sourced chronology of a story from many news articles."""

from timeline.errors import ConfigError, InputError, TimelineError
from timeline.models import Article, Conflict, Event, EventSource, Mention, TimeExpression, Timeline

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
]
