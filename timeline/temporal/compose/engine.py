"""The compose pass itself: load compose.toml, add atoms, then wrap and pair expressions left to right.

Every rule reads a bounded window around an expression, so the pass stays linear in the text.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from bisect import bisect_left
from collections.abc import Callable
from functools import cache
from itertools import repeat
from pathlib import Path
from typing import Any

from timeline.models import TimeExpression
from timeline.temporal.compose.atoms import ATOMS
from timeline.temporal.compose.base import Grammar, Piece, Rule
from timeline.temporal.compose.pairs import PAIRS
from timeline.temporal.compose.wraps import ACCEPTS, WRAPS
from timeline.temporal.lexicon import load
from timeline.temporal.scan import foldable, required, scanner

HANDLERS: dict[str, dict[str, Callable[..., Any]]] = {"atom": ATOMS, "wrap": WRAPS, "pair": PAIRS}


DATA = Path(__file__).parent.parent / "data" / "en" / "compose.toml"


_WINDOW = 48  # characters of context a wrap or pair rule may read around an expression


@cache
def grammar(path: Path = DATA, language: str = "en") -> Grammar:
    """Load and compile compose.toml once per process; its word classes are the lexicon's."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    lexicon = load(language)

    def compile_(pattern: str | None) -> re.Pattern[str] | None:
        return None if pattern is None else re.compile(lexicon.expand(pattern), re.IGNORECASE)

    def rules(kind: str) -> tuple[Rule, ...]:
        out = []
        for spec in raw.get(kind, []):
            if spec["handler"] not in HANDLERS[kind]:
                raise ValueError(f"compose.toml: rule {spec['name']}: unknown handler {spec['handler']}")
            out.append(
                Rule(
                    spec["name"],
                    kind,
                    spec["handler"],
                    compile_(spec.get("pattern")),
                    compile_(spec.get("before")),
                    compile_(spec.get("after")),
                    compile_(spec.get("gap")),
                    compile_(spec.get("inner")),
                    spec.get("pass", 1),
                    spec.get("split", False),
                    spec.get("consume", False),
                    tuple(spec.get("trigger", ())),
                    tuple((e[0], e[1]) for e in spec.get("examples", [])),
                )
            )
        return tuple(out)

    ref = dt.date.fromisoformat(raw["reference"])
    triggers = {name: compile_(pattern) for name, pattern in raw["triggers"].items()}
    atoms = rules("atom")
    for rule in atoms:
        if not rule.triggers or any(t not in triggers for t in rule.triggers):
            raise ValueError(f"compose.toml: atom {rule.name}: trigger must name one of {sorted(triggers)}")
    scanners = {name: scanner(pattern) for name, pattern in triggers.items()}  # type: ignore[arg-type]
    wraps = rules("wrap")
    needs = {("atom", r.name): required(r.pattern) for r in atoms if r.pattern is not None}
    for r in wraps:
        held = required(r.before) if r.before is not None else None
        if held is not None:  # one search of the window for any of them, on the folded text
            needs[("wrap", r.name)] = re.compile("|".join(map(re.escape, held)))
    return Grammar(
        lexicon,
        atoms,
        wraps,
        rules("pair"),
        ref,
        triggers,
        scanners,
        needs,  # type: ignore[arg-type]
    )


def _expression(text: str, lo: int, hi: int, piece: Piece) -> TimeExpression:
    return TimeExpression(
        text=text[lo:hi],
        start_char=lo,
        end_char=hi,
        type=piece.type,
        value=piece.value,
        start=piece.start,
        end=piece.end,
        granularity=piece.granularity,
        mod=piece.mod,
    )


def _trim(text: str, lo: int, hi: int) -> tuple[int, int]:
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    while lo < hi and text[lo].isspace():
        lo += 1
    return lo, hi


def _atoms(
    text: str, anchor: dt.date | None, found: list[TimeExpression], g: Grammar, low: str | None
) -> list[TimeExpression]:
    """Add atom matches where the tagger has nothing, or only shorter pieces inside the atom."""
    candidates = []
    starts: dict[tuple[str, ...], list[int]] = {(name,): scan(text, low) for name, scan in g.scanners.items()}
    for rule in g.atoms:
        assert rule.pattern is not None
        words = g.needs.get(("atom", rule.name))
        if low is not None and isinstance(words, tuple) and not any(map(low.__contains__, words)):
            continue  # a word every match holds is nowhere in the text
        positions = starts.get(rule.triggers)
        if positions is None:  # several triggers: their union, once per combination
            positions = starts[rule.triggers] = sorted({p for t in rule.triggers for p in starts[(t,)]})
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
    starts = [e.start_char for e in found]
    removed: set[int] = set()
    added: list[TimeExpression] = []
    taken_until = -1
    for lo, neg_hi, rule, m in candidates:
        hi = -neg_hi
        if lo < taken_until:
            continue
        i = bisect_left(starts, lo)
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
        piece = _call(HANDLERS["atom"][rule.handler], groups, anchor, g.lexicon, covered)
        if piece is None:
            continue
        if isinstance(piece, tuple):
            for group, end in zip(("a", "b"), piece, strict=True):
                added.append(_expression(text, *_trim(text, *m.span(group)), end))
        elif piece.keep is not None:
            added.append(_expression(text, piece.keep.start_char, piece.keep.end_char, piece))
        else:
            added.append(_expression(text, lo, hi, piece))
        removed.update(overlapping)
        taken_until = hi
    kept = [e for j, e in enumerate(found) if j not in removed]
    return sorted(kept + added, key=lambda e: e.start_char)


def _call(handler: Callable[..., Any], *args: Any) -> Any:
    try:
        return handler(*args)
    except (ValueError, OverflowError):
        return None  # numbers that name no date (February 30, the year 10000): leave the reading alone


def _absorb(out: list[TimeExpression], lo: int) -> bool:
    """Drop the kept expressions that lie inside [lo, ...); False, dropping none, if one straddles lo."""
    k = len(out)
    while k and out[k - 1].end_char > lo:
        if out[k - 1].start_char < lo:
            return False
        k -= 1
    del out[k:]
    return True


def _wrap(
    text: str,
    e: TimeExpression,
    out: list[TimeExpression],
    anchor: dt.date | None,
    g: Grammar,
    limit: int,
    far: int,
    low: str | None,
) -> TimeExpression:
    for rule in _wraps_for(g, e.granularity, e.type, e.start is None):
        lo, hi, groups = e.start_char, e.end_char, {}
        # the three tests are independent: the cheap single-position ones first, the window search last
        inner = after = None
        if rule.inner is not None:
            inner = rule.inner.match(e.text)
            if inner is None:
                continue
        if rule.after is not None:
            after = rule.after.match(text, hi, min(far if rule.consume else limit, hi + _WINDOW))
            if after is None:
                continue
        if rule.before is not None:
            window_lo = max(0, lo - _WINDOW)
            need = g.needs.get(("wrap", rule.name))
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
        piece = _call(HANDLERS["wrap"][rule.handler], e, groups, anchor, g.lexicon)
        if piece is None:
            continue
        if piece.keep is not None:
            return _expression(text, e.start_char, e.end_char, piece)
        if not _absorb(out, lo):
            continue
        lo, hi = _trim(text, lo, hi)
        return _expression(text, lo, hi, piece)
    return e


def _wraps_for(g: Grammar, granularity: str | None, type_: str, open_: bool) -> tuple[Rule, ...]:
    """The wrap rules whose handler can accept an expression of this kind (ACCEPTS reads only these)."""
    key = (granularity, type_, open_)
    rules = g.wraps_by_kind.get(key)
    if rules is None:
        probe = TimeExpression.model_construct(
            granularity=granularity, type=type_, start=None if open_ else dt.date(2000, 1, 1)
        )
        rules = tuple(r for r in g.wraps if (accepts := ACCEPTS.get(r.handler)) is None or accepts(probe))
        g.wraps_by_kind[key] = rules
    return rules


def _pair(
    text: str, a: TimeExpression, b: TimeExpression, anchor: dt.date | None, g: Grammar, passes: int
) -> tuple[int, Piece, bool] | None:
    if b.start_char - a.end_char > _WINDOW:
        return None
    gap = text[a.end_char : b.start_char]
    for rule in g.pairs:
        if rule.passes != passes or rule.gap is None or not rule.gap.search(gap):
            continue
        lo, lead = a.start_char, None
        if rule.before is not None:
            m = rule.before.search(text, max(0, lo - _WINDOW), lo)
            if m is not None:
                lo, lead = m.start(), m.group("lead")
        piece = _call(HANDLERS["pair"][rule.handler], a, gap, b, lead, anchor, g.lexicon)
        if piece is not None:
            return (lo if lead else a.start_char), piece, rule.split
    return None


def _compose(
    text: str, found: list[TimeExpression], anchor: dt.date | None, g: Grammar, passes: int, low: str | None
) -> list[TimeExpression]:
    out: list[TimeExpression] = []
    for k, e in enumerate(found):
        if out and e.start_char < out[-1].end_char:
            continue  # consumed by the wrap before it ("Jun 7 1440-1825")
        if passes == 1:
            limit = found[k + 1].start_char if k + 1 < len(found) else len(text)
            e = _wrap(text, e, out, anchor, g, limit, len(text), low)
        if out:
            joined = _pair(text, out[-1], e, anchor, g, passes)
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
                    out.append(_expression(text, lo, e.end_char, piece))
                    continue
                out.append(a)
        out.append(e)
    return out


def refine(text: str, anchor: dt.date | None, expressions: list[TimeExpression]) -> list[TimeExpression]:
    """The tagger's expressions with neighbours composed into one and missed atoms added (never raises)."""
    if not isinstance(text, str) or not text:
        return list(expressions)
    g = grammar()
    found = sorted(expressions, key=lambda e: e.start_char)
    low = foldable(text)  # the text lower-cased, when that is the same as ignoring case
    found = _atoms(text, anchor, found, g, low)
    found = _compose(text, found, anchor, g, 1, low)
    return _compose(text, found, anchor, g, 2, low)
