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

from timeline.temporal.compose.scan import foldable, folded_twin
from timeline.temporal.lexicon import Lexicon, _alternation, normalise

# How far before and after a trigger token a match can reach (characters), unless its kind says.
REACH = (40, 32)
_PUNCT = re.compile(r"[\s'’.-]+")
_YEAR = re.compile(r"(?<!\d)(?:1\d{3}|20\d\d|2100)(?!\d)")
_CLOCK_SUFFIX = re.compile(r"\s*[ap]\.?\s?m\b", re.IGNORECASE)
_NUMDATE = re.compile(r"\d[/.-]\s?\d")


@dataclass(frozen=True)
class Triggers:
    """One compiled trigger scanner and the kinds each trigger word stands for."""

    regex: re.Pattern[str]
    kinds: dict[str, frozenset[str]]
    reach: dict[str, tuple[int, int]]
    # the same scanner, case-sensitive, for the lower-cased text: Python's regex engine runs it faster
    folded: re.Pattern[str] | None = None

    def windows(self, text: str) -> dict[str, list[tuple[int, int]]]:
        """Merged (start, end) windows per token kind."""
        spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        size = len(text)
        low = foldable(text) if self.folded is not None else None
        found = self.regex.finditer(text) if low is None or self.folded is None else self.folded.finditer(low)
        for m in found:
            for kind in self._kinds_of(m, text):
                before, after = self.reach.get(kind, REACH)
                lo, hi = max(0, m.start() - before), min(size, m.end() + after)
                bucket = spans[kind]
                if bucket and lo <= bucket[-1][1]:
                    bucket[-1] = (bucket[-1][0], max(hi, bucket[-1][1]))
                else:
                    bucket.append((lo, hi))
        return {kind: [(lo, _soft_end(text, hi)) for lo, hi in bucket] for kind, bucket in spans.items()}

    def _kinds_of(self, m: re.Match[str], text: str) -> frozenset[str] | set[str]:
        if m.group("word"):
            return self.kinds.get(_key(m.group("word")), frozenset())
        if m.group("code"):
            return {"FISCAL" if m.group("code").lower() == "fy" else "QUARTER"}
        if m.group("decade"):
            return {"DECADE"}
        digits = m.group("num")
        kinds = set()
        if _YEAR.search(digits):
            kinds.add("YEAR")
            if m.group("suffix"):
                kinds.add("DECADE")
        if _NUMDATE.search(digits):
            kinds.add("NUMDATE")
        if ":" in digits or _CLOCK_SUFFIX.match(text, m.end()):
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
    pattern = (
        r"(?<![^\W_])(?:(?P<num>\d(?:[\d,./:-]*\d)?)(?P<suffix>['’]?s\b)?"
        r"|(?P<decade>['’]\d0s\b)|(?P<code>[qh][1-4]\b|fy)|(?P<word>" + _alternation(sorted(surface)) + "))"
    )
    regex = re.compile(pattern, re.IGNORECASE)
    return Triggers(regex, {k: frozenset(v) for k, v in kinds.items()}, reach, folded_twin(regex))


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
