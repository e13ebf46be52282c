"""Find where temporal expressions can be, in one pass, so that each rule only scans near them.

Python's regex engine spends a fixed cost at every position of every rule; over megabytes of news that
cost dominates. One scan for trigger tokens (month names, units, digits shaped like dates...) yields
small windows per token kind, and a rule runs only inside the windows of the kinds it names.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from timeline.temporal.lexicon import Lexicon, _alternation, normalise
from timeline.temporal.scan import foldable
from timeline.temporal.wordscan import Twin, twin

# How far before and after a trigger token a match can reach (characters), unless its kind says.
REACH = (40, 32)
_PUNCT = re.compile(r"[\s'’.-]+")
_YEAR = re.compile(r"(?<!\d)(?:1\d{3}|20\d\d|2100)(?!\d)")
_CLOCK_SUFFIX = re.compile(r"\s*[ap]\.?\s?m\b", re.IGNORECASE)
_NUMDATE = re.compile(r"\d[/.-]\s?\d")
_LEAD = r"(?<![^\W_])"
_CODE = re.compile(r"[qh][1-4]|fy")
_DECADE = re.compile(r"['’]\d(?:0s|\d)")  # "the '70s", and a short year ("since '82")
# escapes and classes (whose brackets do not count), brackets, anything else
_PARTS = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]|[()]|[^\\\[()]+")


@dataclass(frozen=True)
class Triggers:
    """One compiled trigger scanner and the kinds each trigger word stands for."""

    regex: re.Pattern[str]
    kinds: dict[str, frozenset[str]]
    reach: dict[str, tuple[int, int]]
    # the same scanner without groups, for the lower-cased text, skipping the insides of words (see
    # `wordscan`): each branch then opens on a character the regex engine checks before entering it
    flat: Twin | None = None

    def windows(self, text: str) -> dict[str, list[tuple[int, int]]]:
        """Merged (start, end) windows per token kind."""
        spans: dict[str, list[tuple[int, int]]] = {}
        size = len(text)
        reach = self.reach
        for start, end, kinds in self._tokens(text):
            for kind in kinds:
                before, after = reach.get(kind, REACH)
                lo, hi = max(0, start - before), min(size, end + after)
                bucket = spans.get(kind)
                if bucket is None:
                    spans[kind] = [(lo, hi)]
                elif lo <= bucket[-1][1]:
                    if hi > bucket[-1][1]:
                        bucket[-1] = (bucket[-1][0], hi)
                else:
                    bucket.append((lo, hi))
        return {kind: [(lo, _soft_end(text, hi)) for lo, hi in bucket] for kind, bucket in spans.items()}

    def _tokens(self, text: str) -> list[tuple[int, int, frozenset[str] | set[str]]]:
        """(start, end, kinds) of every trigger token, as `regex.finditer(text)` finds them."""
        low = foldable(text) if self.flat is not None else None
        if low is None or self.flat is None:
            return [(m.start(), m.end(), self._kinds_of(m, text)) for m in self.regex.finditer(text)]
        kinds = self._token_kinds
        return [
            (start, m.end(), kinds(low[start : m.end()], text, m.end()))
            for start, m in self.flat.starts(text, low, 0, len(low))
        ]

    def _token_kinds(self, token: str, text: str, end: int) -> frozenset[str] | set[str]:
        # the flat scanner has no groups: which branch matched shows in the token itself (see `build`)
        head = token[0]
        if head.isdecimal():
            digits = token.rstrip("s").rstrip("'’")
            return self._digit_kinds(digits, len(digits) < len(token), text, end)
        if head in "'’" and _DECADE.fullmatch(token):
            return {"DECADE"}
        if len(token) == 2 and _CODE.fullmatch(token):  # every code is two characters: "q3", "h1", "fy"
            return {"FISCAL" if token == "fy" else "QUARTER"}
        return self.kinds.get(_key(token), frozenset())

    def _kinds_of(self, m: re.Match[str], text: str) -> frozenset[str] | set[str]:
        if m.group("word"):
            return self.kinds.get(_key(m.group("word")), frozenset())
        if m.group("code"):
            return {"FISCAL" if m.group("code").lower() == "fy" else "QUARTER"}
        if m.group("decade"):
            return {"DECADE"}
        return self._digit_kinds(m.group("num"), bool(m.group("suffix")), text, m.end())

    def _digit_kinds(self, digits: str, suffix: bool, text: str, end: int) -> set[str]:
        kinds = set()
        if _YEAR.search(digits):
            kinds.add("YEAR")
            if suffix:
                kinds.add("DECADE")
        if _NUMDATE.search(digits):
            kinds.add("NUMDATE")
        if ":" in digits or _CLOCK_SUFFIX.match(text, end):
            kinds.add("CLOCK")
        return kinds


def _soft_end(text: str, hi: int) -> int:
    """Move a window end to the next space so a lookahead never sees a token cut in half."""
    if hi >= len(text):
        return len(text)
    space = text.find(" ", hi, hi + 24)
    return space if space >= 0 else min(len(text), hi + 24)


def build(lexicon: Lexicon, spec: dict) -> Triggers:
    """Compile the trigger scanner from the [triggers] table of a language's rules file."""
    stop = frozenset(spec.get("stopwords", []))
    kinds: dict[str, set[str]] = defaultdict(set)
    surface: set[str] = set()
    reach: dict[str, tuple[int, int]] = {k: tuple(v) for k, v in spec.get("digits_reach", {}).items()}
    for kind, source in spec.items():
        if kind in ("stopwords", "digits_reach"):
            continue
        if "reach" in source:
            reach[kind] = tuple(source["reach"])
        for entry in _entries(lexicon, source):
            word = entry if source.get("whole") else _key_word(entry, stop)
            surface.add(word.lower())
            kinds[_key(word)].add(kind)
    # A phrase also stands for the kinds of its words ("a year" is a SET and holds the UNIT "year").
    for phrase in [w for w in surface if " " in w]:
        for token in phrase.split():
            kinds[_key(phrase)] |= kinds.get(_key(token), set())
    words = _alternation(sorted(surface))
    pattern = (
        r"(?<![^\W_])(?:(?P<num>\d(?:[\d,./:-]*\d)?)(?P<suffix>['’]?s\b)?"
        r"|(?P<decade>['’]\d(?:0s|\d)\b)|(?P<code>[qh][1-4]\b|fy)|(?P<word>" + words + "))"
    )
    regex = re.compile(pattern, re.IGNORECASE)
    flat = None
    # The same branches without groups, the words' own lead (the one before them) and their bracket
    # dropped, so that every branch opens on a character: the token tells them apart when every word
    # opens on a letter and none is a code (a digit opens a number, an apostrophe a decade).
    inner = words.removeprefix(_LEAD)
    if (
        words.startswith(_LEAD)  # every word opens on a letter or digit
        and _one_group(inner)
        and not any(w[0].isdecimal() or _CODE.fullmatch(w) for w in surface)
    ):
        branches = r"\d(?:[\d,./:-]*\d)?(?:['’]?s\b)?|['’]\d(?:0s|\d)\b|[qh][1-4]\b|fy|" + inner[3:-1]
        flat = twin(regex, "(?:" + branches + ")")
    return Triggers(regex, {k: frozenset(v) for k, v in kinds.items()}, reach, flat)


def _one_group(source: str) -> bool:
    """Whether a pattern is one non-capturing group "(?:...)", so that its brackets can be dropped."""
    if not source.startswith("(?:"):
        return False
    depth = 0
    for m in _PARTS.finditer(source):
        depth += {"(": 1, ")": -1}.get(m.group(), 0)
        if depth == 0:
            return m.end() == len(source)
    return False


def _entries(lexicon: Lexicon, source: dict) -> list[str]:
    entries: list[str] = list(source.get("words", []))
    for table in source.get("tables", []):
        entries.extend(lexicon.raw[table])
    if source.get("holidays"):
        entries.extend(name for h in lexicon.holidays for name in h["names"])
    if source.get("references"):
        entries.extend(w for words in lexicon.raw["references"].values() for w in words)
    return entries


@lru_cache(maxsize=4096)  # the same few hundred trigger words recur in every text
def _key(text: str) -> str:
    """Lookup key of a trigger: lower case without spaces, apostrophes, periods or hyphens."""
    return _PUNCT.sub("", text.lower())


def _key_word(entry: str, stop: frozenset[str]) -> str:
    """The most specific word of a lexicon entry: the longest one that is not a stopword."""
    tokens = [t for t in re.split(r"[\s'’.-]+", normalise(entry)) if t]
    useful = [t for t in tokens if t not in stop] or tokens
    return max(useful, key=len)
