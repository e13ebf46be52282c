"""Find temporal expressions in a text and anchor them to its publication date (TimeML conventions).

`tag(text, anchor)` is the whole public face: a language with its data in `data/<code>/` (English:
`data/en/`) goes through the rule engine; any other goes to the dateparser fallback in `foreign.py`.
"""

from __future__ import annotations

import datetime as dt
import logging

from timeline.models import TimeExpression
from timeline.temporal.engine import run, scan
from timeline.temporal.grammar import grammar
from timeline.temporal.lexicon import languages

__all__ = ["tag", "anchor_resolution", "TimeExpression"]

log = logging.getLogger(__name__)


def _as_date(anchor: dt.date | dt.datetime | None) -> dt.date | None:
    if isinstance(anchor, dt.datetime):
        if anchor.tzinfo is not None:
            anchor = anchor.astimezone(dt.UTC)
        return anchor.date()
    return anchor


def tag(text: str, anchor: dt.date | dt.datetime | None, *, language: str = "en") -> list[TimeExpression]:
    """All temporal expressions in `text`, sorted and non-overlapping, anchored to `anchor` where they can be.

    Expressions relative to another date in the text ("the next day", "two weeks later") count from the
    most recent date mentioned before them. With `anchor=None` only absolute expressions get intervals.
    """
    if not isinstance(text, str) or not text:
        return []
    day = _as_date(anchor)
    code = language.split("-")[0].lower()
    if code not in languages():
        from timeline.temporal.foreign import tag_foreign

        return tag_foreign(text, day, language) if day is not None else []
    return run(text, day, code)


def anchor_resolution(
    phrase: str, anchor: dt.date | dt.datetime | None, reference: dt.date | None = None
) -> TimeExpression | None:
    """Anchor one phrase as the events stage needs it: relative to `reference` when it counts from a date
    in the text ("the next day", "two weeks later"), else to the publication date `anchor`."""
    prefix = ""
    if reference is not None:
        # The engine counts text-relative expressions from the last date it read: give it the reference.
        prefix = reference.isoformat() + " . "
    found = scan(prefix + phrase, _as_date(anchor), grammar())
    for expression in found:
        if expression.start_char >= len(prefix):
            shift = len(prefix)
            return expression.model_copy(
                update={"start_char": expression.start_char - shift, "end_char": expression.end_char - shift}
            )
    return None
