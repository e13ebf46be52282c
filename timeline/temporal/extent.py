"""Where a TimeML expression starts and ends, after the rules have read it.

Rules match with their context ("over the next decade", "by the end of 1990", "Friday's vote"): the
context decides the reading, but TimeML leaves the signal before an expression and a possessive after
it out of the span (TimeML 1.2.1 guidelines, 2.2), and keeps a "the" that determines a counted length
("the nine months ended Sept. 30"). The patterns are data: rules.toml [extent].
"""

from __future__ import annotations

import re

from timeline.models import TimeExpression


def edges(
    text: str, expressions: list[TimeExpression], extent: dict[str, re.Pattern[str]]
) -> list[TimeExpression]:
    """The expressions with their spans cut to TimeML extents (`leading`, `trailing`) and widened over a
    determiner before them (`determiner` before a span that `determined` matches whole)."""
    if not extent:
        return expressions
    leading, trailing = extent.get("leading"), extent.get("trailing")
    determiner, determined = extent.get("determiner"), extent.get("determined")
    out: list[TimeExpression] = []
    floor = 0
    for e in expressions:
        start, end = e.start_char, e.end_char
        span = text[start:end]
        cut = leading.match(span) if leading else None
        if cut and 0 < cut.end() < len(span):
            start += cut.end()
        tail = trailing.search(text, start, end) if trailing else None
        if tail and tail.end() == end and tail.start() > start:
            end = tail.start()
        if determiner and determined and start == e.start_char and determined.fullmatch(text, start, end):
            before = determiner.search(text, max(floor, start - 8), start)
            if before and before.end() == start:
                start = before.start()
        if (start, end) != (e.start_char, e.end_char):
            e = e.model_copy(update={"start_char": start, "end_char": end, "text": text[start:end]})
        out.append(e)
        floor = end
    return out
