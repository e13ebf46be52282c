"""Exact speed-ups for the engine's regex scans: start triggers, the trigger scan and the rule gates.

A start trigger is `[^|](?<!CLASS)REST`, compiled case-insensitively. Python's regex engine cannot skip
ahead to a possible start when a pattern opens with a lookbehind or is case-insensitive, so it runs the
whole pattern at every character; over megabytes of news that is most of the scan's cost. The rewrites run
on the lower-cased text with case-sensitive patterns, whose leading literals the engine can jump to,
and give the same start positions as `finditer`:

* `direct`: when REST only consumes characters the lookbehind refuses to follow, no start can hide
  inside another match, so REST's own matches filtered by the lookbehind are finditer's.
* `search`: REST alone, the lookbehind checked at each hit; after a rejected hit the search resumes one
  character on, so no start hidden inside the rejected hit is lost.
* `folded`: the whole pattern, case-sensitive. REST lists with short common words ("in", "the") hit
  inside most words, and there re-checking each hit costs more than it saves.

Lower-casing is only equivalent to ignoring case when no character changes length, turns into or out of
a word/space/digit character, or is one of the few non-ASCII letters that match an ASCII letter when
case is ignored (the long s, the Kelvin sign, the dotless i...): `foldable` checks that per text, and
the plain `finditer` runs otherwise. `required` finds words every match must contain, so a search can
be skipped where none of them occurs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache
from itertools import compress, repeat
from re import _parser  # type: ignore[attr-defined]  # the parser behind re.compile (Python 3.11+)
from typing import Any

_SHAPE = re.compile(r"(?P<head>\^\|)?\(\?<!(?P<behind>\[(?:\\.|[^\]\\])*\])\)(?P<rest>.*)", re.DOTALL)
_CLASSES = (re.compile(r"\w"), re.compile(r"\s"), re.compile(r"\d"))
_ASCII_LETTER = re.compile(r"[a-z]", re.IGNORECASE)
_FLAGS = re.compile("", re.IGNORECASE).flags
_START = re.Match.start  # mapped over matches: the loop runs in C

Scanner = Callable[[str, str | None], list[int]]


@cache
def _folds_cleanly(char: str) -> bool:
    low = char.lower()
    if len(low) != 1:
        return False
    if (low.isascii() and low.isalpha()) or _ASCII_LETTER.match(char) or _ASCII_LETTER.match(low):
        return char.isascii()
    return all(bool(c.match(char)) == bool(c.match(low)) for c in _CLASSES)


def foldable(text: str) -> str | None:
    """The lower-cased text when matching it case-sensitively equals matching `text` ignoring case."""
    low = text.lower()
    if len(low) != len(text):
        return None
    if text.isascii():
        return low
    if all(_folds_cleanly(c) for c in set(text) if not c.isascii()):
        return low
    return None


def folded_twin(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The case-sensitive twin of a case-insensitive pattern, to run on `foldable` text (None: unsafe)."""
    if pattern.flags != _FLAGS or not _lower_literals(pattern.pattern):
        return None
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


def _lower_literals(source: str) -> bool:
    """Whether every letter the pattern names is lower-case ASCII, so folded text meets it unchanged.

    A class may also name A-Z beside a-z: on folded text it then matches what it matched ignoring case.
    """
    for cls in _CLASS.findall(source):
        body = re.sub(r"\\.", "", cls)
        if "A-Z" in body and "a-z" in body:
            body = body.replace("A-Z", "")
        if not _lower(body):
            return False
    return _lower(_NON_LITERAL.sub("", source))


def _lower(chars: str) -> bool:
    # outside ASCII only characters without case (’, –) are safe: they match themselves alone
    return all(c.islower() or not c.isupper() and c.lower() == c.upper() == c for c in chars) and all(
        c.isascii() or c.lower() == c.upper() == c for c in chars
    )


_CLASS = re.compile(r"\[(?:\\.|[^\]\\])*\]")
_NON_LITERAL = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]|\(\?(?:P<\w+>|P=\w+\)|<[=!]|[=!:])")


def scanner(pattern: re.Pattern[str]) -> Scanner:
    """A function (text, folded text or None) -> the start of every `pattern.finditer(text)` match."""
    pattern = without_implied_leads(pattern)
    general = _scanner(pattern)
    shape = _SHAPE.fullmatch(pattern.pattern)
    if general.__name__ == "plain" or shape is None:
        return general
    return _ascii(shape, pattern, general) or general


_LEAD = r"(?<![^\W_])"
# escapes, classes, group openings, closing brackets, bars, anything else
_TOKENS = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]|\((?:\?(?:P<\w+>|<[=!]|[=!:]))?|[)|]|[^\\\[()|]+")


def without_implied_leads(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The same pattern without the word-start assertions its alternatives open with, when its own
    lookbehind already refuses every letter and digit before a start ("@CREL|@COUNT" in one list).

    There they always hold; and an alternative that opens on an assertion is entered at every
    position, where one that opens on a letter is passed over at once when the letter differs.
    """
    shape = _SHAPE.fullmatch(pattern.pattern)
    if shape is None or shape.group("behind").startswith("[^") or r"\w" not in shape.group("behind"):
        return pattern
    rest = shape.group("rest")
    simpler = _drop_leads(rest)
    if simpler == rest:
        return pattern
    return re.compile(pattern.pattern[: shape.start("rest")] + simpler, pattern.flags)


def _drop_leads(source: str) -> str:
    """`source`, tried only at a start, without the word-start assertions it opens with, nor those the
    alternatives of a group it opens with open with (a group tried once: not a repeated one)."""
    while source.startswith(_LEAD):
        source = source[len(_LEAD) :]
    if not source.startswith("(?:"):
        return source
    depth, bars, close = 0, [], -1
    for m in _TOKENS.finditer(source):
        token = m.group()
        if token.startswith("("):
            depth += 1
        elif token == ")":
            depth -= 1
            if depth == 0:
                close = m.start()
                break
        elif token == "|" and depth == 1:
            bars.append(m.start())
    if close < 0 or source[close + 1 : close + 2] in ("*", "+", "{"):
        return source
    alternatives = zip([3, *(b + 1 for b in bars)], [*bars, close], strict=True)
    return "(?:" + "|".join(_spliced(_drop_leads(source[lo:hi])) for lo, hi in alternatives) + source[close:]


def _spliced(alternative: str) -> str:
    """An alternative that is one whole group "(?:A|B)", as its own alternatives "A|B" (the same choices in
    the same order), so the regex engine can reject each on its first letter without entering the group
    first; any other alternative as it is."""
    if not alternative.startswith("(?:"):
        return alternative
    depth = 0
    for m in _TOKENS.finditer(alternative):
        depth += 1 if m.group().startswith("(") else -1 if m.group() == ")" else 0
        if depth == 0:
            return alternative[3 : m.start()] if m.end() == len(alternative) else alternative
    return alternative


def _scanner(pattern: re.Pattern[str]) -> Scanner:
    def plain(text: str, low: str | None) -> list[int]:
        return [m.start() for m in pattern.finditer(text)]

    shape = _SHAPE.fullmatch(pattern.pattern)
    if shape is None or pattern.flags != _FLAGS or not _lower_literals(pattern.pattern):
        return plain  # not a shape the rewrites are proven for: keep finditer
    head = bool(shape.group("head"))
    flags = pattern.flags & ~re.IGNORECASE
    if r"\s" in shape.group("rest"):
        whole = re.compile(pattern.pattern, flags)

        def folded(text: str, low: str | None) -> list[int]:
            if low is None:
                return plain(text, low)
            return list(map(_START, whole.finditer(low)))

        return folded
    behind = re.compile("(?<!" + shape.group("behind") + ")", pattern.flags)
    rest = re.compile(shape.group("rest"), flags)
    if rest.match("") is not None:
        return plain  # an empty match would advance differently from finditer
    if _consumes_only(rest, re.compile(shape.group("behind"), pattern.flags)):

        def direct(text: str, low: str | None) -> list[int]:
            if low is None:
                return plain(text, low)
            # no start hides inside another match (its own lookbehind would fail there), so the
            # non-overlapping matches of REST alone, filtered by the lookbehind, are finditer's
            starts = list(map(_START, rest.finditer(low)))
            kept = list(compress(starts, map(behind.match, repeat(text, len(starts)), starts)))
            return [0, *kept] if head else kept

        return direct

    def search(text: str, low: str | None) -> list[int]:
        if low is None:
            return plain(text, low)
        out = [0] if head else []
        find, check = rest.search, behind.match
        pos = 0
        while (m := find(low, pos)) is not None:
            at = m.start()
            if check(text, at):
                out.append(at)
                pos = max(m.end(), at + 1)
            else:
                pos = at + 1
        return out

    return search


def _ascii(shape: re.Match[str], pattern: re.Pattern[str], general: Scanner) -> Scanner | None:
    """The scan of ASCII folded text that lets the engine skip to candidate starts (None: unproven).

    A lookbehind at the head of a pattern gives the engine no character to skip to, so it tries every
    position. On ASCII text the lookbehind only asks which ASCII character comes before a start, so the
    twin `[allowed]REST` consumes that character instead, a class the engine skips to in C, and its
    matches are the pattern's one character early with the same end. Two starts it cannot see go to
    the folded pattern: one at 0 (nothing before it) and one right after a match whose last character
    is itself allowed before a start. When REST is the lookbehind's own one-character class ("a digit
    not after a digit") the starts are those of the runs of that class.
    """
    flags = pattern.flags & ~re.IGNORECASE
    source = shape.group("behind")
    refused = re.compile(source, pattern.flags)
    allowed = [c for c in range(128) if not refused.fullmatch(chr(c))]
    rest = re.compile(shape.group("rest"), flags)
    whole = re.compile(pattern.pattern, flags)
    if not allowed or rest.match("") is not None:
        return None
    head = bool(shape.group("head"))
    if shape.group("rest") == source and not head:
        runs = re.compile(f"{source}{source}*", flags)  # a leading class the engine skips to

        def ascii_runs(text: str, low: str | None) -> list[int]:
            if low is None or not low.isascii():
                return general(text, low)
            return list(map(_START, runs.finditer(low)))

        return ascii_runs
    twin = re.compile(
        "[" + "".join(f"\\x{c:02x}" for c in allowed) + "](?:" + shape.group("rest") + ")", flags
    )
    after = frozenset(map(chr, allowed))

    def ascii_twin(text: str, low: str | None) -> list[int]:
        if low is None or not low.isascii():
            return general(text, low)
        out = [0] if head else []
        pos = 0
        first = rest.match(low)
        if first is not None:
            out.append(0)
            pos = first.end()
        while True:
            if pos and low[pos - 1] in after:
                # a start may sit right at pos, its character before already consumed
                out.extend(map(_START, whole.finditer(low, pos)))
                return out
            for m in twin.finditer(low, pos):
                out.append(m.start() + 1)
                if low[m.end() - 1] in after:
                    pos = m.end()
                    break
            else:
                return out

    return ascii_twin


def _consumes_only(rest: re.Pattern[str], behind: re.Pattern[str]) -> bool:
    """Whether every character `rest` can consume is one the lookbehind class refuses to follow."""
    try:
        chars = _consumable(list(_parser.parse(rest.pattern, rest.flags)))
    except _Unbounded:
        return False
    return all(behind.fullmatch(c) for c in chars)


class _Unbounded(Exception):
    """A pattern element whose characters this analysis does not enumerate."""


def _consumable(items: list[tuple[Any, Any]]) -> set[str]:
    out: set[str] = set()
    for op, av in items:
        name = str(op)
        if name in ("ASSERT", "ASSERT_NOT", "AT"):
            continue  # consumes nothing
        if name == "LITERAL":
            out.add(chr(av))
        elif name == "IN":
            for item, value in av:
                if str(item) == "LITERAL":
                    out.add(chr(value))
                elif str(item) == "RANGE" and value[1] - value[0] < 256:
                    out.update(chr(c) for c in range(value[0], value[1] + 1))
                else:
                    raise _Unbounded(str(item))
        elif name == "SUBPATTERN":
            out |= _consumable(list(av[-1]))
        elif name == "BRANCH":
            for alternative in av[1]:
                out |= _consumable(list(alternative))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            out |= _consumable(list(av[2]))
        else:
            raise _Unbounded(name)
    return out


@lru_cache(maxsize=8)  # a grammar asks about each pattern a few times in a row, then never again
def parsed(source: str, flags: int) -> Any:
    """The parse tree of a pattern (read only), as `re.compile` builds it."""
    return _parser.parse(source, flags)


def required(pattern: re.Pattern[str], limit: int = 8, heads: bool = True) -> tuple[str, ...] | None:
    """Lower-case ASCII strings one of which every match of a case-insensitive `pattern` contains.

    A window of folded text holding none of them cannot hold a match, so the search there is skipped.
    Only consumed characters count (a lookaround may look outside the window). None when the pattern
    offers no such set of at most `limit` strings of two or more characters. Without `heads`, a literal
    run and the branch after it count only apart (the weaker sets the first version found).
    """
    if pattern.flags != _FLAGS:
        return None
    factors = _factors(list(parsed(pattern.pattern, pattern.flags)), heads)
    useful = [f for f in factors if len(f) <= limit and min(map(len, f)) >= 2]
    if not useful:
        return None
    best = max(useful, key=lambda f: (min(map(len, f)), -len(f)))
    return tuple(sorted(best))


def _factors(items: list[tuple[Any, Any]], heads: bool = True) -> list[frozenset[str]]:
    """Required factors of a parsed sequence: sets of strings, one of each set is in every match."""
    out: list[frozenset[str]] = []
    run = ""
    for op, av in items:
        name = str(op)
        if name in ("ASSERT", "ASSERT_NOT", "AT"):
            continue  # zero-width: the literals on either side stay adjacent
        if name == "LITERAL" and av < 128:
            run += chr(av).lower()
            continue
        prefix = run
        if run:
            out.append(frozenset([run]))
            run = ""
        if name == "SUBPATTERN":
            out.extend(_factors(list(av[-1]), heads))
        elif name == "ATOMIC_GROUP":
            out.extend(_factors(list(av), heads))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            out.extend(_factors(list(av[2]), heads))
        elif name == "BRANCH":
            if prefix and heads:
                # "(?:qtr|quarter)" parses as "q" then a branch: the shared head and each branch's
                # leading letters are one string in every match, a stronger factor than either part
                out.append(frozenset(prefix + _head(list(alternative)) for alternative in av[1]))
            union: set[str] = set()
            for alternative in av[1]:
                inner = [f for f in _factors(list(alternative), heads) if min(map(len, f)) >= 2]
                if not inner:
                    break
                union |= max(inner, key=lambda f: (min(map(len, f)), -len(f)))
            else:
                out.append(frozenset(union))
    if run:
        out.append(frozenset([run]))
    return out


def _head(items: list[tuple[Any, Any]]) -> str:
    """The lower-cased ASCII literals a parsed sequence consumes before anything else."""
    head = ""
    for op, av in items:
        if str(op) != "LITERAL" or av >= 128:
            break
        head += chr(av).lower()
    return head


def present(low: str, words: tuple[str, ...], lo: int = 0, hi: int | None = None) -> bool:
    """Whether one of `words` occurs in low[lo:hi]."""
    end = len(low) if hi is None else hi
    return any(low.find(w, lo, end) >= 0 for w in words)
