"""The language-independent tagging engine: one grammar per language (see `grammar`), two phases.

The scan runs every match rule as one compiled regex near its trigger tokens (linear, no nested
quantifiers over the same characters); overlapping candidates are resolved leftmost-longest; each kept
candidate is anchored in text order so that "the next day" can count from the date mentioned before
it, and neighbours that read as one (ranges, a weekday beside its date) are joined. The compose phase
(`compose`) then adds the atoms and applies the wrap and pair rules to what the scan found.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re

from timeline.models import TimeExpression
from timeline.temporal import calendar as cal
from timeline.temporal.compose import compose
from timeline.temporal.context import Context, Found, narrow
from timeline.temporal.extent import edges
from timeline.temporal.grammar import Grammar, Rule, grammar
from timeline.temporal.lexicon import normalise
from timeline.temporal.ranges import join
from timeline.temporal.scan import foldable
from timeline.temporal.tense import reader
from timeline.temporal.wordscan import TextMatch

# Anchored granularities a following "the end of"/"early"/"mid-" can narrow.
_NARROWABLE = {"week", "month", "quarter", "half", "season", "year", "decade", "century"}
# A date an expression like "the next day" may count from.
_REFERENCE_GRANULARITIES = {"day", "week", "weekend", "month", "quarter", "half", "season", "year"}


def _candidates(text: str, g: Grammar, low: str | None) -> list[tuple[int, int, int, re.Match[str]]]:
    out = []
    seen: set[tuple[int, int, int]] = set()
    windows = g.triggers.windows(text)
    # only the rules with a trigger token in the text (candidates are ranked later, so order is free)
    indices = sorted({index for kind in windows for index in g.by_trigger.get(kind, ())})
    plain = low is not None and low.isascii()
    rules = g.rules
    for index in indices:
        rule = rules[index]
        found = _matches(rule, text, windows, low, plain)
        if not found:
            continue  # most rules find nothing near their triggers
        spans = rule.spans
        for m in found:
            start, end = m.span()
            for group in spans:
                s, e = m.span(group)
                if s >= 0:
                    start, end = s, e
                    break
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start and (start, end, index) not in seen:
                seen.add((start, end, index))
                out.append((start, -(end - start), index, m))
    return out


def _matches(
    rule: Rule, text: str, windows: dict[str, list[tuple[int, int]]], low: str | None, plain: bool
) -> list[re.Match[str]]:
    """Every match of a rule in its windows, as `rule.pattern.finditer` finds them in each (`plain`:
    the folded text `low` is ASCII). A list, not a generator: most rules find nothing, and the loops
    written out here cost less than a generator per rule."""
    pattern = rule.pattern
    assert pattern is not None  # every rule of the scan has one
    out: list[re.Match[str]] = []
    if low is None:
        for kind in rule.triggers:
            for lo, hi in windows.get(kind, ()):
                out.extend(pattern.finditer(text, lo, hi))
        return out
    need, scan = rule.need, rule.twin
    for kind in rule.triggers:
        for lo, hi in windows.get(kind, ()):
            if need is not None and need.search(low, lo, hi) is None:
                continue  # no word every match needs: cheaper to look for than to scan the rule
            if scan is None:
                out.extend(pattern.finditer(text, lo, hi))
            elif not (plain and lo):
                # the twin matches the folded text; its groups are read back from the text itself
                out.extend(TextMatch(m, text, start) for start, m in scan.starts(text, low, lo, hi))  # type: ignore[misc]
            else:
                # `Twin.starts` on ASCII text past its first character, written out: most windows hold
                # no match, and one search finds that without an iterator
                search = scan.ascii.search
                t = search(low, lo - 1, hi)
                while t is not None:
                    out.append(TextMatch(t, text, t.start() + 1))  # type: ignore[arg-type]
                    end = t.end()
                    if not low[end - 1].isalnum():
                        # a match may start right at its end, its character before already consumed
                        out.extend(TextMatch(m, text, m.start()) for m in pattern.finditer(text, end, hi))  # type: ignore[misc]
                        break
                    t = search(low, end, hi)
    return out


def _with_modifier(
    text: str, start: int, floor: int, found: Found, g: Grammar, anchor: dt.date | None
) -> tuple[int, Found]:
    """Widen an expression over a modifier before it ("the end of next month", "early 2024")."""
    a = found.anchored
    if a is None or a.granularity not in _NARROWABLE or found.mod:
        return start, found
    lo = max(floor, start - 40)
    m = g.modifier.search(text, lo, start)
    if not m:
        return start, found
    spec = g.lexicon.raw["modifiers"][normalise(g.modifier_tail.sub("", m.group(0)))]
    lo = m.start()
    by = g.modifier_by.search(text, max(floor, lo - 8), lo)
    if by and spec["part"] == "end" and anchor is not None and anchor <= a.end:
        # "by the end of next month": everything from now until then.
        return by.start(), Found(
            found.type, found.value, cal.Anchored(anchor, a.end, a.value, a.granularity), "END"
        )
    return lo, Found(found.type, found.value, narrow(a, spec["part"]), spec["mod"], found.granularity)


def _handle(g: Grammar, index: int, m: re.Match[str], ctx: Context) -> Found | list | None:
    try:
        return g.rules[index].handler(m.groupdict(), ctx)
    except (ValueError, OverflowError):
        return None  # numbers that name no date (February 30, the year 10000): not an expression


def _contested(candidates: list[tuple[int, int, int, re.Match[str]]]) -> set[tuple[int, int, int]]:
    """The candidates whose span overlaps another candidate's."""
    spans = sorted((start, start - negative, index) for start, negative, index, _ in candidates)
    contested: set[tuple[int, int, int]] = set()
    reach, owner = -1, None
    for span in spans:
        if span[0] < reach:
            contested.add(span)
            if owner is not None:
                contested.add(owner)
        if span[1] > reach:
            reach, owner = span[1], span
    return contested


def _select(text: str, g: Grammar, ctx: Context) -> list[tuple[int, int, int, re.Match[str]]]:
    """Longest candidates first, each kept when its handler accepts it and it overlaps nothing kept."""
    kept: list[tuple[int, int, int, re.Match[str]]] = []
    starts: list[int] = []
    candidates = _candidates(text, g, ctx.low)
    contested = _contested(candidates)
    ranked = sorted(candidates, key=lambda c: (c[1], c[0], c[2]))
    for start, negative_length, index, m in ranked:
        end = start - negative_length
        at = bisect.bisect_left(starts, start)
        if at > 0 and kept[at - 1][1] > start or at < len(kept) and kept[at][0] < end:
            continue
        ctx.start, ctx.end = start, end
        # Only a candidate that competes for its span needs its handler's verdict now; the others are
        # anchored (or dropped) once, in text order.
        if (start, end, index) in contested and _handle(g, index, m, ctx) is None:
            continue
        starts.insert(at, start)
        kept.insert(at, (start, end, index, m))
    return kept


# The quote opens right after an owner's possessive (ABC's "This Week", News' "This Week,"): quoted
# speech that opens on a date ("Next Monday," he said) has no owner and stays a date.
_OPEN_QUOTE = re.compile(r"(?:'s|’s|s'|s’)\s*(?:\"|“|``|'')$")
_TITLE_GOES_ON = re.compile(r"\s*[,.]?\s*(?:\"|”|'')|\s+(?:[A-Z][\w-]*|\d+)\b")


def _quoted_title(text: str, start: int, end: int) -> bool:
    """Whether a span is the title-cased head of a quoted name: ABC's "This Week," CBS's ''60 Minutes''."""
    words = text[start:end].split()
    if len(words) < 2 or not all(w[0].isupper() or w[0].isdigit() for w in words):
        return False
    return bool(_OPEN_QUOTE.search(text, max(0, start - 6), start) and _TITLE_GOES_ON.match(text, end))


def run(
    text: str, anchor: dt.date | None, language: str = "en", trace: set[str] | None = None
) -> list[TimeExpression]:
    """Tag one text: the scan, then the compose phase over what it found. The names of the rules that
    read something are added to `trace` when given (the corpus test checks every rule is read)."""
    g = grammar(language)
    return edges(text, compose(text, anchor, scan(text, anchor, g, trace), g, trace), g.extent)


def scan(
    text: str, anchor: dt.date | None, g: Grammar, trace: set[str] | None = None
) -> list[TimeExpression]:
    """The scan: every match rule, the longest non-overlapping matches anchored in text order, joined."""
    low = foldable(text)
    ctx = Context(text=text, anchor=anchor, lexicon=g.lexicon, tenses=reader(g.lexicon), low=low)
    chosen = _select(text, g, ctx)
    # Anchoring starts afresh: selection saw the candidates out of text order. The tense of a span
    # depends on the text alone, so the readings selection took are kept.
    ctx = Context(text=text, anchor=anchor, lexicon=g.lexicon, tenses=ctx.tenses, _tense=ctx._tense, low=low)
    kept: list[TimeExpression] = []
    last_end = 0
    for start, end, index, m in chosen:
        ctx.start, ctx.end = start, end
        result = _handle(g, index, m, ctx)
        if result is None:
            continue
        if trace is not None:
            trace.add(g.rules[index].name)
        pieces = result if isinstance(result, list) else [("", result)]
        for group, found in pieces:
            s, e = m.span(group) if group else (start, end)
            s, found = _with_modifier(text, s, last_end, found, g, anchor)
            if _quoted_title(text, s, e):
                continue
            try:
                kept.append(found.expression(text, s, e))
            except ValueError:
                continue  # an interval the calendar cannot hold (the edges of year 1 and 9999)
            last_end = e
            ctx.last_end = e
            a = found.anchored
            if a is not None and found.type in ("DATE", "TIME") and a.granularity in _REFERENCE_GRANULARITIES:
                ctx.ref = a
                ctx.ref_end = e
    return join(text, kept, g.lexicon)
