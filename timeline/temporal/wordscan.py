r"""Find the matches of a word-start pattern without the regex engine stopping inside words.

A pattern that opens with the assertion `(?<![^\W_])` ("no letter or digit before") gives Python's regex
engine nothing to skip ahead to, so it starts a full match attempt at every character, and most
characters sit inside words. The twin here consumes the character before the word instead (`[^a-z0-9]`
on ASCII lower-cased text, `[\W_]` on other lower-cased text): a character class, which the engine skips
to in C. On `foldable` text (see `scan`) the twin's match at p - 1 is the pattern's match at p
with the same end, so the twin's matches are the pattern's, one character early, with two exceptions
handled by falling back to the pattern itself: a match at position 0 (nothing to consume before it) and
a match right after one that ends on a non-word character ("Jan." then "2024"), whose character before
was consumed by the match before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import compress
from re import _constants  # type: ignore[attr-defined]  # the opcodes of re's parse trees
from typing import Any

from timeline.temporal.scan import _lower_literals, parsed

_LEAD = r"(?<![^\W_])"
# The lookahead the grammar puts after `_LEAD` (a letter, a digit or an apostrophe comes next), and
# the ASCII characters that satisfy it on lower-cased text.
_WORD_AHEAD = r"(?=[^\W_]|['’])"
_WORDLIKE = frozenset("abcdefghijklmnopqrstuvwxyz0123456789'")
_INLINE_FLAGS = re.compile(r"\(\?[aiLmsux-]+[:)]")


class Twin:
    """A case-insensitive word-start pattern and its consuming twins for lower-cased text."""

    __slots__ = ("pattern", "ascii", "_body", "_other")

    def __init__(self, pattern: re.Pattern[str], body: str, first: frozenset[str]) -> None:
        self.pattern = pattern  # the pattern itself, on the text: for the starts the twins cannot see
        flags = pattern.flags & ~re.IGNORECASE
        # for ASCII text: the character before is not [a-z0-9], and `first` holds the one after
        ahead = (
            "(?=[" + "".join(f"\\x{ord(c):02x}" for c in sorted(first)) + "])" if 0 < len(first) < 40 else ""
        )
        plain = body
        if ahead and first <= _WORDLIKE and body.startswith(_WORD_AHEAD):
            plain = body[len(_WORD_AHEAD) :]  # `ahead` already holds one of these: a check less per start
        self.ascii = re.compile("[^a-z0-9]" + ahead + plain, flags)
        self._body = body
        self._other: re.Pattern[str] | None = None  # for other text, compiled when first needed

    def starts(self, text: str, low: str, pos: int, endpos: int) -> Iterator[tuple[int, re.Match[str]]]:
        """(start, match) of each match `pattern.finditer(text, pos, endpos)` gives, in order.

        A twin's match is on `low` and starts one character early; the start given is the pattern's.
        """
        if low.isascii():
            twin = self.ascii
        else:
            if self._other is None:
                # the character before is not a letter or digit
                self._other = re.compile(r"[\W_]" + self._body, self.ascii.flags)
            twin = self._other
        if pos == 0:
            first = self.pattern.match(text, 0, endpos)
            if first is not None:
                yield 0, first
                pos = first.end()
                if not low[pos - 1].isalnum():
                    yield from ((m.start(), m) for m in self.pattern.finditer(text, pos, endpos))
                    return
        else:
            pos -= 1  # the character before the first possible start is consumed
        for m in twin.finditer(low, pos, endpos):
            yield m.start() + 1, m
            end = m.end()
            if not low[end - 1].isalnum():
                # a match may start right at `end`, its character before already consumed
                yield from ((m.start(), m) for m in self.pattern.finditer(text, end, endpos))
                return


class TextMatch:
    """A match read on the original text: the spans of `re.Match`, the groups in the text's case."""

    __slots__ = ("_match", "_text", "_start")

    def __init__(self, match: re.Match[str], text: str, start: int) -> None:
        self._match, self._text, self._start = match, text, start

    def span(self, group: int | str = 0) -> tuple[int, int]:
        """The (start, end) of the whole match or of one group, as `re.Match.span`."""
        return (self._start, self._match.end()) if group == 0 else self._match.span(group)

    def start(self, group: int | str = 0) -> int:
        """The start of the whole match or of one group, as `re.Match.start`."""
        return self._start if group == 0 else self._match.start(group)

    def end(self, group: int | str = 0) -> int:
        """The end of the whole match or of one group, as `re.Match.end` (the twin's end is the same)."""
        return self._match.end(group)

    def group(self, group: int | str = 0) -> str | None:
        """The text of the whole match or of one group (None when the group took no part)."""
        start, end = self.span(group)
        return None if start < 0 else self._text[start:end]

    def groupdict(self) -> dict[str, str | None]:
        """Every named group's text, as `re.Match.groupdict`."""
        regs, text = self._match.regs, self._text  # every group's span at once
        return {
            name: None if regs[index][0] < 0 else text[regs[index][0] : regs[index][1]]
            for name, index in self._match.re.groupindex.items()
        }


def twin(pattern: re.Pattern[str], body: str | None = None) -> Twin | None:
    """The consuming twins of a case-insensitive pattern that opens with `(?<![^\\W_])`, or None.

    `body` is what follows that opening, unless the caller gives an equal one (the same branches without
    groups, say). None when the rewrite is not proven equal: another opening, letters that are not
    lower-case ASCII, inline flags, or a pattern that can match the empty string.
    """
    source = pattern.pattern
    rest = source[len(_LEAD) :] if body is None else body
    if (
        not source.startswith(_LEAD)
        or pattern.flags != re.compile("", re.IGNORECASE).flags
        or not _lower_literals(source)
        or not _lower_literals(rest)
        or _INLINE_FLAGS.search(source)
        or _INLINE_FLAGS.search(rest)
        or parsed(source, pattern.flags).getwidth()[0] == 0
    ):
        return None
    # the characters a match can open with, past the opening assertion
    items = parsed(source, pattern.flags).data[1:] if body is None else parsed(body, pattern.flags).data
    first, empty = _first(items)
    return Twin(pattern, rest, _ASCII if empty else first)  # a match that may open on nothing: no filter


class Heads:
    """What the first `size` characters of lower-cased ASCII text can be where a pattern matches: a
    position whose next characters are not among them needs no match attempt."""

    __slots__ = ("size", "whole", "short")

    def __init__(self, size: int, heads: set[str]) -> None:
        self.size = size
        self.whole = frozenset(h for h in heads if len(h) == size)
        self.short = tuple(sorted(h for h in heads if len(h) < size))  # whole matches this short

    def keep(self, low: str, positions: list[int], keys: list[str] | None = None) -> list[int]:
        """The positions of `low` (lower-cased ASCII) where a match may start. `keys`, when given, are
        `heads_at(low, positions, size)`: rules that share their positions share them."""
        size, whole, short = self.size, self.whole, self.short
        if short:
            return [at for at in positions if low[at : at + size] in whole or low.startswith(short, at)]
        if keys is None:
            keys = heads_at(low, positions, size)
        return list(compress(positions, map(whole.__contains__, keys)))


def heads_at(low: str, positions: list[int], size: int = 3) -> list[str]:
    """The `size` characters of `low` at each position (the keys `Heads.keep` looks up)."""
    return [low[at : at + size] for at in positions]


def heads(pattern: re.Pattern[str], size: int = 3) -> Heads | None:
    """The `Heads` of a case-insensitive pattern on lower-cased ASCII text; None when not proven (see
    `twin`) or when the heads would be too many to list."""
    source = pattern.pattern
    if (
        pattern.flags != re.compile("", re.IGNORECASE).flags
        or not _lower_literals(source)
        or _INLINE_FLAGS.search(source)
    ):
        return None
    try:
        return Heads(size, _heads(parsed(source, pattern.flags).data, size))
    except _TooMany:
        return None


class _TooMany(Exception):
    """More heads than are worth listing, or an element this analysis does not enumerate."""


_HEADS_LIMIT = 4000
_ASCII_SPACE = frozenset(c for c in map(chr, range(128)) if c.isspace())  # what \s matches in ASCII
_HEAD_CATEGORIES = {
    _constants.CATEGORY_DIGIT: frozenset("0123456789"),
    _constants.CATEGORY_SPACE: _ASCII_SPACE,
}


def _then(first: set[str], second: set[str], size: int) -> set[str]:
    """Every head of a match of one part followed by another, cut at `size` characters."""
    out = set()
    for a in first:
        if len(a) >= size:
            out.add(a)
            continue
        out.update((a + b)[:size] for b in second)
    if len(out) > _HEADS_LIMIT:
        raise _TooMany
    return out


def _heads(items: list[tuple[Any, Any]], size: int) -> set[str]:
    """The heads (at most `size` characters; shorter ones are whole matches) of a parsed sequence.

    A superset: assertions are passed over as if they always held."""
    acc = {""}
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        if op is _constants.LITERAL:
            part = {chr(av)}
        elif op is _constants.IN:
            part = set(_listed(av))
        elif op is _constants.SUBPATTERN:
            part = _heads(av[3].data, size)
        elif op is _constants.BRANCH:
            part = set().union(*(_heads(alternative.data, size) for alternative in av[1]))
        elif op in _REPEATS:
            low, high, once = av[0], av[1], _heads(av[2].data, size)
            part, run = ({""} if low == 0 else set()), {""}
            for count in range(1, min(high, size) + 1):
                run = _then(run, once, size)
                if count >= low:
                    part |= run
            if low > size:
                part = run  # every head is already `size` long
        else:
            raise _TooMany
        acc = _then(acc, part, size)
        if all(len(a) >= size for a in acc):
            break
    return acc


def _listed(items: list[tuple[Any, Any]]) -> frozenset[str]:
    """The ASCII characters of a character class that lists them (not a negated one)."""
    chars: set[str] = set()
    for op, av in items:
        if op is _constants.LITERAL:
            chars.add(chr(av))
        elif op is _constants.RANGE and av[1] - av[0] <= 40:
            chars.update(map(chr, range(av[0], av[1] + 1)))
        elif op is _constants.CATEGORY and av in _HEAD_CATEGORIES:
            chars |= _HEAD_CATEGORIES[av]
        else:
            raise _TooMany
    return frozenset(chars)


_ASCII = frozenset(map(chr, range(128)))
_CATEGORIES = {
    _constants.CATEGORY_DIGIT: r"\d",
    _constants.CATEGORY_NOT_DIGIT: r"\D",
    _constants.CATEGORY_WORD: r"\w",
    _constants.CATEGORY_NOT_WORD: r"\W",
    _constants.CATEGORY_SPACE: r"\s",
    _constants.CATEGORY_NOT_SPACE: r"\S",
}
_ZERO_WIDTH = (_constants.AT, _constants.ASSERT, _constants.ASSERT_NOT)
_REPEATS = (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT)


def _first(items: list[tuple[Any, Any]]) -> tuple[frozenset[str], bool]:
    """The ASCII characters a match of a parsed sequence can open with, and whether it can be empty.

    A superset: lookarounds are passed over and anything not analysed counts as every character, so a
    position whose character is not in the set cannot start a match.
    """
    out: set[str] = set()
    for op, av in items:
        if op is _constants.LITERAL:
            chars, empty = (_ASCII & {chr(av)}, False)
        elif op is _constants.IN:
            chars, empty = _class(av), False
        elif op in _ZERO_WIDTH:
            chars, empty = frozenset(), True
        elif op is _constants.SUBPATTERN and not av[1] and not av[2]:
            chars, empty = _first(av[3].data)
        elif op is _constants.BRANCH:
            found = [_first(alternative.data) for alternative in av[1]]
            chars, empty = frozenset().union(*(c for c, _ in found)), any(e for _, e in found)
        elif op in _REPEATS:
            chars, empty = _first(av[2].data)
            empty = empty or av[0] == 0
        else:
            return _ASCII, True
        out |= chars
        if not empty:
            return frozenset(out), False
    return frozenset(out), True


def _class(items: list[tuple[Any, Any]]) -> frozenset[str]:
    """The ASCII characters a parsed character class matches."""
    chars: set[str] = set()
    negate = False
    for op, av in items:
        if op is _constants.NEGATE:
            negate = True
        elif op is _constants.LITERAL:
            chars |= {chr(av)} & _ASCII
        elif op is _constants.RANGE:
            chars |= {chr(c) for c in range(av[0], min(av[1], 127) + 1)}
        elif op is _constants.CATEGORY and av in _CATEGORIES:
            category = re.compile(_CATEGORIES[av])
            chars |= {c for c in _ASCII if category.fullmatch(c)}
        else:
            return _ASCII
    return _ASCII - chars if negate else frozenset(chars)
