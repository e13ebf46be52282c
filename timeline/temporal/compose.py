"""The engine's second phase: add atoms, then wrap and pair the expressions the scan found, left to right.

Each rule reads only a bounded window around an expression (or the text between two neighbours), so the
phase stays linear in the text. The rules are the grammar's atom, wrap and pair rules (see `grammar`).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass
from itertools import repeat
from typing import Any

from timeline.models import Granularity, TimeExpression, TimexType
from timeline.temporal.context import Found
from timeline.temporal.grammar import Grammar, Rule
from timeline.temporal.scan import foldable
from timeline.temporal.wordscan import heads_at
from timeline.temporal.wraps import ACCEPTS

_WINDOW = 48  # characters of context a wrap or pair rule may read around an expression


@dataclass
class _Pass:
    """One text going through the compose phase, and the set that records the rules that read it."""

    text: str
    anchor: dt.date | None
    g: Grammar
    low: str | None  # the text lower-cased, when that is the same as ignoring case
    trace: set[str] | None

    def call(self, rule: Rule, *args: Any) -> Any:
        """The rule's handler on its match; None for numbers that name no date (February 30)."""
        try:
            found = rule.handler(*args)
        except (ValueError, OverflowError):
            return None
        if found is not None and self.trace is not None:
            self.trace.add(rule.name)
        return found


def _trim(text: str, lo: int, hi: int) -> tuple[int, int]:
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    while lo < hi and text[lo].isspace():
        lo += 1
    return lo, hi


def _atoms(p: _Pass, found: list[TimeExpression]) -> list[TimeExpression]:
    """Add atom matches where the scan found nothing, or only shorter pieces inside the atom."""
    text, g, low = p.text, p.g, p.low
    candidates = []
    starts: dict[tuple[str, ...], list[int]] = {(name,): scan(text, low) for name, scan in g.starts.items()}
    plain = low if low is not None and low.isascii() else None
    keys: dict[tuple[tuple[str, ...], int], list[str]] = {}  # per position list and size: its heads
    for rule in g.atoms:
        assert rule.pattern is not None
        if low is not None and rule.needs and not any(map(low.__contains__, rule.needs)):
            continue  # a word every match holds is nowhere in the text
        positions = starts.get(rule.triggers)
        if positions is None:  # several triggers: their union, once per combination
            positions = starts[rule.triggers] = sorted({p for t in rule.triggers for p in starts[(t,)]})
        if not positions:
            continue  # none of its start triggers in the text: short texts have few
        if rule.heads is not None and plain is not None:
            # not the starts (WORD: "the", "in", "a"...) whose next letters no match of this rule has
            key = (rule.triggers, rule.heads.size)
            if key not in keys:
                keys[key] = heads_at(plain, positions, rule.heads.size)
            positions = rule.heads.keep(plain, positions, keys[key])
        has_x = "x" in rule.pattern.groupindex
        # map/filter run the loop in C: nearly every position fails at once
        for m in filter(None, map(rule.pattern.match, repeat(text, len(positions)), positions)):
            lo, hi = m.span("x") if has_x else m.span()
            lo, hi = _trim(text, lo, hi)
            if hi > lo:
                candidates.append((lo, -hi, rule, m))
    if not candidates:
        return found
    candidates.sort(key=lambda c: (c[0], c[1]))
    found_starts = [e.start_char for e in found]
    removed: set[int] = set()
    added: list[TimeExpression] = []
    taken_until = -1
    for lo, neg_hi, rule, m in candidates:
        hi = -neg_hi
        if lo < taken_until:
            continue
        i = bisect_left(found_starts, lo)
        overlapping = []
        for j in range(max(0, i - 1), len(found)):
            if found[j].start_char >= hi:
                break
            if found[j].end_char > lo:
                overlapping.append(j)
        inside = all(
            found[j].start_char >= lo
            and found[j].end_char <= hi
            and found[j].end_char - found[j].start_char < hi - lo
            for j in overlapping
        )
        if (
            len(overlapping) == 1
            and found[overlapping[0]].type == "DURATION"
            and found[overlapping[0]].start is None
        ):
            inside = True  # "the next three days" read as a bare duration: anchor it, keep its span
        if overlapping and not inside:
            continue
        covered = [found[j] for j in overlapping]
        groups = {**m.groupdict(), "_text": m.group(0)}
        piece = p.call(rule, groups, p.anchor, g.lexicon, covered)
        if piece is None:
            continue
        if isinstance(piece, tuple):
            for group, end in zip(("a", "b"), piece, strict=True):
                added.append(end.expression(text, *_trim(text, *m.span(group))))
        elif piece.keep is not None:
            added.append(piece.expression(text, piece.keep.start_char, piece.keep.end_char))
        else:
            added.append(piece.expression(text, lo, hi))
        removed.update(overlapping)
        taken_until = hi
    kept = [e for j, e in enumerate(found) if j not in removed]
    return sorted(kept + added, key=lambda e: e.start_char)


def _absorb(out: list[TimeExpression], lo: int) -> bool:
    """Drop the kept expressions that lie inside [lo, ...); False, dropping none, if one straddles lo."""
    k = len(out)
    while k and out[k - 1].end_char > lo:
        if out[k - 1].start_char < lo:
            return False
        k -= 1
    del out[k:]
    return True


def _wrap(p: _Pass, e: TimeExpression, out: list[TimeExpression], limit: int) -> TimeExpression:
    """The expression re-read with the words around it by the first wrap rule that accepts it."""
    text, low = p.text, p.low
    for rule in _wraps_for(p.g, e.granularity, e.type, e.start is None):
        lo, hi, groups = e.start_char, e.end_char, {}
        # the three tests are independent: the cheap single-position ones first, the window search last
        inner = after = None
        if rule.inner is not None:
            inner = rule.inner.match(e.text)
            if inner is None:
                continue
        if rule.after is not None:
            after = rule.after.match(text, hi, min(len(text) if rule.consume else limit, hi + _WINDOW))
            if after is None:
                continue
        if rule.before is not None:
            window_lo = max(0, lo - _WINDOW)
            need = rule.need
            if low is not None and need is not None and need.search(low, window_lo, lo) is None:
                continue  # a word every match holds is not in the window
            m = rule.before.search(text, window_lo, lo)
            if m is None:
                continue
            lo, groups = m.start(), m.groupdict()
        if inner is not None:
            groups = {**groups, **inner.groupdict()}
        if after is not None:
            hi, groups = after.end(), {**groups, **after.groupdict()}
        piece = p.call(rule, e, groups, p.anchor, p.g.lexicon)
        if piece is None:
            continue
        if piece.keep is not None:
            return piece.expression(text, e.start_char, e.end_char)
        if not _absorb(out, lo):
            continue
        lo, hi = _trim(text, lo, hi)
        return piece.expression(text, lo, hi)
    return e


def _wraps_for(
    g: Grammar, granularity: Granularity | None, type_: TimexType, open_: bool
) -> tuple[Rule, ...]:
    """The wrap rules whose handler can accept an expression of this kind (ACCEPTS reads only these)."""
    key = (granularity, type_, open_)
    rules = g.wraps_by_kind.get(key)
    if rules is None:
        probe = TimeExpression.model_construct(
            text="",
            start_char=0,
            end_char=0,
            value="",
            granularity=granularity,
            type=type_,
            start=None if open_ else dt.date(2000, 1, 1),
        )
        rules = tuple(r for r in g.wraps if (accepts := ACCEPTS.get(r.handler)) is None or accepts(probe))
        g.wraps_by_kind[key] = rules
    return rules


def _pair(p: _Pass, a: TimeExpression, b: TimeExpression, passes: int) -> tuple[int, Found, bool] | None:
    """(start, reading, split) of the first pair rule of this pass that joins two neighbours."""
    if b.start_char - a.end_char > _WINDOW:
        return None
    text = p.text
    gap = text[a.end_char : b.start_char]
    for rule in p.g.pairs:
        if rule.passes != passes or rule.gap is None or not rule.gap.search(gap):
            continue
        lo, lead = a.start_char, None
        if rule.before is not None:
            m = rule.before.search(text, max(0, lo - _WINDOW), lo)
            if m is not None:
                lo, lead = m.start(), m.group("lead")
        piece = p.call(rule, a, gap, b, lead, p.anchor, p.g.lexicon)
        if piece is not None:
            return (lo if lead else a.start_char), piece, rule.split
    return None


def _compose(p: _Pass, found: list[TimeExpression], passes: int) -> list[TimeExpression]:
    """One left-to-right pass: each expression wrapped (pass 1), then paired with the one before it."""
    text = p.text
    out: list[TimeExpression] = []
    for k, e in enumerate(found):
        if out and e.start_char < out[-1].end_char:
            continue  # consumed by the wrap before it ("Jun 7 1440-1825")
        if passes == 1:
            limit = found[k + 1].start_char if k + 1 < len(found) else len(text)
            e = _wrap(p, e, out, limit)
        if out:
            joined = _pair(p, out[-1], e, passes)
            if joined is not None and joined[2]:
                # both ends stay as TimeML marks them, each with its own value, carrying the whole range
                dates = {"start": joined[1].start, "end": joined[1].end}
                out[-1] = out[-1].model_copy(update=dates)
                out.append(e.model_copy(update=dates))
                continue
            if joined is not None:
                lo, piece, _ = joined
                a = out.pop()
                if _absorb(out, lo):
                    out.append(piece.expression(text, lo, e.end_char))
                    continue
                out.append(a)
        out.append(e)
    return out


def compose(
    text: str,
    anchor: dt.date | None,
    expressions: list[TimeExpression],
    g: Grammar,
    trace: set[str] | None = None,
) -> list[TimeExpression]:
    """The scan's expressions with missed atoms added and neighbours composed into one; the names of
    the rules that read something are added to `trace` when given."""
    if not text:
        return list(expressions)
    p = _Pass(text, anchor, g, foldable(text), trace)
    found = _atoms(p, sorted(expressions, key=lambda e: e.start_char))
    found = _compose(p, found, 1)
    return _compose(p, found, 2)
