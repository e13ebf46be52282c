"""Load one language's temporal knowledge (lexicon, holidays, rules) from its data files.

The engine never names an English word: it asks a `Lexicon` for word classes (as regular-expression
alternations) and for what a matched word means.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
# A day number is not followed by more digits, a percent sign or a clock suffix.
_NOT_AMOUNT = r"(?![\d:.,]\d|\s*%|\s*(?:a\.?m\b|p\.?m\b))"
_DIGITS = r"(?<![\d,.])\d+(?:\.\d+)?(?:\s+[1-3]/[248])?(?![\d,/])"


_DECIMAL = re.compile(r"\d+(?:\.\d+)?")
_MIXED = re.compile(r"(\d+)\s+([1-3])/([248])")  # "2 1/2"
_SPECIAL = {" ": r"\s+", "'": "['’]?", "’": "['’]?", "-": r"[\s-]?", ".": r"\.?"}


def _alternation(words: list[str], abbreviations: frozenset[str] = frozenset(), raw: bool = False) -> str:
    """A regex matching any of the words, built as a trie so that a failing position costs a few checks.

    Longer words are tried before their prefixes; spacing, hyphens and apostrophe styles are tolerated,
    and abbreviations may carry a trailing period. A word starts and ends a word, unless `raw`: then
    only the words' letters are matched (a month glued to digits, "9SEP", "Nov30").
    """
    if not words:
        return "(?!)"  # an empty table matches nothing
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word.lower():
            node = node.setdefault(ch, {})
        node[""] = "abbr" if word in abbreviations else "word"

    def emit(node: dict) -> str:
        alternatives = [
            _SPECIAL.get(ch, re.escape(ch)) + emit(child) for ch, child in sorted(node.items()) if ch
        ]
        if "" in node:
            alternatives.append("" if raw else r"\b\.?" if node[""] == "abbr" else r"\b")
        return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"

    if raw:
        return "(?:" + emit(trie) + ")"
    lead = r"(?<![^\W_])" if all(w[:1].isalnum() for w in words) else ""
    return lead + emit(trie)


@lru_cache(maxsize=8192)
def normalise(word: str) -> str:
    """The lookup key of a matched word: lower case, single spaces, plain apostrophes, no period."""
    key = word.lower()
    if "’" in key:
        key = key.replace("’", "'")
    if "  " in key or "\n" in key or "\t" in key:
        key = " ".join(key.split())
    return key.rstrip(".").strip()


@dataclass(eq=False)
class Lexicon:
    """Word tables of one language and the regex classes the rules are written in."""

    raw: dict[str, Any]
    holidays: list[dict[str, Any]]
    rules: list[dict[str, Any]]
    triggers: dict[str, Any]
    starts: dict[str, str]
    extent: dict[str, str] = field(default_factory=dict)  # rules.toml [extent]: TimeML span edges
    classes: dict[str, str] = field(default_factory=dict)
    months: dict[str, int] = field(default_factory=dict)
    weekdays: dict[str, int] = field(default_factory=dict)
    numbers: dict[str, float] = field(default_factory=dict)
    ordinals: dict[str, int] = field(default_factory=dict)
    holiday_by_name: dict[str, dict[str, Any]] = field(default_factory=dict)
    references: dict[str, str] = field(default_factory=dict)
    # how many a vague word counts for where a span must be laid ("the next few days": three)
    counts: dict[str, int] = field(default_factory=dict)
    # which way a word before a count of units points from the publication date ("the past two weeks")
    relations: dict[str, int] = field(default_factory=dict)
    # a weekday or month alone (at most after a relative word), which a neighbour can complete
    bare_weekday: re.Pattern[str] = field(init=False)
    bare_month: re.Pattern[str] = field(init=False)
    bare_holiday: re.Pattern[str] = field(init=False)
    day_suffix: re.Pattern[str] = field(init=False)  # digits and an ordinal ending ("3rd", "3º")

    def __post_init__(self) -> None:
        raw = self.raw
        self.months = {**raw["months"], **raw["month_abbreviations"]}
        self.weekdays = {**raw["weekdays"], **raw["weekday_abbreviations"]}
        self.numbers = dict(raw["numbers"])
        self.ordinals = dict(raw["ordinals"])
        self.counts = dict(raw["vague_numbers"].get("counts", {}))
        self.relations = {**raw["relative"], **raw.get("count_relative", {})}
        for value, words in raw["references"].items():
            for word in words:
                self.references[normalise(word)] = value
        for holiday in self.holidays:
            for name in holiday["names"]:
                self.holiday_by_name[normalise(name)] = holiday
        abbreviations = frozenset(raw["month_abbreviations"]) | frozenset(raw["weekday_abbreviations"])
        tens = "|".join(w for w, n in self.numbers.items() if isinstance(n, int) and 20 <= n <= 90)
        units = "|".join(
            w for w, n in self.numbers.items() if isinstance(n, int) and 1 <= n <= 9 and w.isalpha()
        )
        # one-letter articles that count one ("a week") match only as whole words
        articles = [w for w in ("a", "an") if w in self.numbers]
        word_numbers = _alternation([w for w in self.numbers if w not in articles])
        article = r"|\ban?\b" if articles == ["a", "an"] else "".join(rf"|\b{w}\b" for w in articles)
        day_ordinals = _alternation([w for w, n in self.ordinals.items() if n > 0])
        suffixes = "|".join(map(re.escape, raw.get("day_suffixes", ["st", "nd", "rd", "th"])))
        self.day_suffix = re.compile(rf"(\d+)(?:{suffixes})?$")
        classes = {
            "MONTH": _alternation(list(self.months), abbreviations),
            "WEEKDAY": _alternation(list(raw["weekdays"])),
            "WDANY": _alternation(list(self.weekdays), abbreviations),
            "DAY": rf"(?:(?:3[01]|[12]\d|0?[1-9])(?:{suffixes})?{_NOT_AMOUNT}|{day_ordinals})",
            # not glued to a letter after it: "1963Tiger wrote:" is a name (the decade rule reads "1990s")
            "YEAR4": r"(?<![\d,.$€£#])(?:1[0-9]{3}|20[0-9]{2}|2100)(?![^\W_]|,\d|\.\d)",
            "YEAR": r"(?:(?<![\d,.$€£#])(?:1[0-9]{3}|20[0-9]{2}|2100)(?![^\W_]|,\d|\.\d)|['’]\d\d\b)",
            "NUM": rf"(?:{_DIGITS}|\b(?:{tens})(?:[\s-](?:{units})\b)?|{word_numbers}{article})",
            "VAGUE": _alternation(raw["vague_numbers"]["words"]),
            "UNIT": _alternation(list(raw["units"])),
            "ORD": _alternation([w for w, n in self.ordinals.items() if 0 < n <= 31]),
            "SEASON": _alternation(list(raw["seasons"])),
            "POD": _alternation(list(raw["parts_of_day"])),
            "REL": _alternation(list(raw["relative"])),
            "TREL": _alternation(list(raw["text_relative"])),
            "DEICTIC": _alternation(list(raw["deictic"])),
            "REFERENCE": _alternation([w for words in raw["references"].values() for w in words]),
            "SETWORD": _alternation(list(raw["sets"])),
            "DECADEWORD": _alternation(list(raw["decade_words"])),
            "HOLIDAY": _alternation([n for h in self.holidays for n in h["names"]]),
            "HOLIDAYSPAN": _alternation(list(raw["holiday_spans"])),
            "YEARBEFORE": _alternation(raw["year_context"]["before"]),
            "YEARAFTER": _alternation(raw["year_context"]["after"]),
            "APPROX": _alternation(raw["approximate"]["words"]),
            # a language's own pattern where its years do not read as English ones do
            "YEARWORDS": raw["year_words"]["pattern"] if "year_words" in raw else _year_words(self.numbers),
            # counts of units written as words ("a couple of", "few"): the numbers and the vague counts
            "COUNT": _alternation([*self.numbers, *self.counts]),
            "CREL": _alternation(list(self.relations)),
            # the words alone, for forms glued to digits or a suffix ("9SEP", "Nov30", "mondays")
            "MONTH_RAW": _alternation(list(self.months), raw=True),
            "WDANY_RAW": _alternation(list(self.weekdays), raw=True),
        }
        self.classes = classes
        bare = raw["bare"]
        self.bare_weekday = re.compile(self.expand(bare["weekday"]), re.IGNORECASE)
        self.bare_month = re.compile(self.expand(bare["month"]), re.IGNORECASE)
        self.bare_holiday = re.compile(self.expand(bare["holiday"]), re.IGNORECASE)

    def expand(self, pattern: str) -> str:
        """Replace every @CLASS in a rule pattern with its alternation."""
        return re.sub(r"@([A-Z0-9]+(?:_RAW)?)", lambda m: self.classes[m.group(1)], pattern)

    def number(self, word: str) -> float | None:
        """The value of a number word or digits ("two", "twenty-four", "12"); None when vague."""
        key = normalise(word)
        if _DECIMAL.fullmatch(key):
            return float(key) if "." in key else int(key)
        mixed = _MIXED.fullmatch(key)
        if mixed:  # "2 1/2 years"
            return int(mixed.group(1)) + int(mixed.group(2)) / int(mixed.group(3))
        if key in self.numbers:
            return self.numbers[key]
        parts = re.split(r"[\s-]+", key)
        if len(parts) == 2 and parts[0] in self.numbers and parts[1] in self.numbers:
            return self.numbers[parts[0]] + self.numbers[parts[1]]
        return None

    def unit(self, word: str) -> dict[str, Any]:
        """What a unit word means: its TIMEX3 letter, granularity and how many of it ("fortnight": 2)."""
        return self.raw["units"][normalise(word)]

    def count(self, word: str) -> int | None:
        """A whole count written in digits or words, vague counts included ("few": 3); None otherwise."""
        key = normalise(word)
        if key.isdigit():
            return int(key)
        value = self.counts.get(key, self.numbers.get(key))
        return int(value) if value is not None and value == int(value) else None

    def ordinal(self, word: str) -> int | None:
        """The value of an ordinal ("third", "3rd", "twenty-first"); None when it is not one."""
        key = normalise(word)
        digits = self.day_suffix.match(key)
        if digits:
            return int(digits.group(1))
        return self.ordinals.get(key.replace(" ", "-"), self.ordinals.get(key))


def _year_words(numbers: dict[str, float]) -> str:
    """Years written in words: "nineteen ninety-six", "two thousand and fifteen", "nineteen oh five"."""
    units = "|".join(
        w for w, n in numbers.items() if w.isalpha() and n in range(1, 10) and w not in ("a", "an")
    )
    teens = "|".join(w for w, n in numbers.items() if w.isalpha() and n in range(10, 20))
    tens = "|".join(w for w, n in numbers.items() if w.isalpha() and n in range(20, 100, 10))
    two = rf"(?:(?:{tens})(?:[\s-]+(?:{units}))?|{teens}|(?:oh|zero|o)[\s-]+(?:{units}))"
    century = r"(?:seventeen|eighteen|nineteen|twenty)"
    return (
        rf"\b(?:{century}[\s-]+{two}|{century}[\s-]+hundred(?:(?:[\s-]+and)?[\s-]+(?:{two}|{units}))?"
        rf"|two\s+thousand(?:(?:\s+and)?[\s-]+(?:{two}|{units}))?(?!\s+(?:years|people|troops|dollars|of)\b))\b"
    )


def year_from_words(lexicon: Lexicon, text: str) -> int | None:
    """The year a year-in-words names ("nineteen ninety-six" -> 1996), or None."""
    spec = lexicon.raw.get("year_words")
    if spec is not None:
        return _additive_year(lexicon, text, spec)
    tokens = [t for t in re.split(r"[\s-]+", text.lower()) if t and t not in ("and", "oh", "zero", "o")]
    if tokens[:2] == ["two", "thousand"]:
        head, rest = 2000, tokens[2:]
    else:
        first = lexicon.numbers.get(tokens[0])
        if first is None:
            return None
        head, rest = int(first) * 100, [t for t in tokens[1:] if t != "hundred"]
    tail = 0
    for t in rest:
        value = lexicon.numbers.get(t)
        if value is None:
            return None
        tail += int(value)
    return head + tail if tail < 100 else None


def _additive_year(lexicon: Lexicon, text: str, spec: dict[str, Any]) -> int | None:
    """A year written as one number ("mil novecientos noventa y dos" -> 1992): the words add up, and
    the thousands word multiplies what came before it ("dos mil diez" -> 2010)."""
    total = part = 0
    for token in re.split(r"[\s-]+", normalise(text)):
        if token in spec["skip"]:
            continue
        value = lexicon.numbers.get(token)
        if value is None:
            return None
        if token == spec["thousand"]:
            total += (part or 1) * 1000
            part = 0
        else:
            part += int(value)
    return total + part


@cache
def languages() -> frozenset[str]:
    """The languages the rule engine reads: every folder of `data/` with a lexicon and rules."""
    return frozenset(
        p.name for p in DATA.iterdir() if (p / "lexicon.toml").is_file() and (p / "rules.toml").is_file()
    )


def unaccented(word: str) -> str:
    """The word without its diacritics ("próximo" -> "proximo"; "ñ" stays)."""
    if word.isascii():
        return word
    parts = unicodedata.normalize("NFD", word.replace("ñ", "\0").replace("Ñ", "\1"))
    plain = "".join(c for c in parts if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", plain).replace("\0", "ñ").replace("\1", "Ñ")


def _with_unaccented(value: Any) -> Any:
    """Every word table with each accented entry also written without its accents, as hurried news
    and headlines write them ("proximo miercoles"); patterns (strings) and verb endings (`*_suffix`:
    without its accent "-rá" would read "cifra" as a future) are left alone."""
    if isinstance(value, dict):
        out = {k: v if k.endswith("suffix") else _with_unaccented(v) for k, v in value.items()}
        for k in value:
            out.setdefault(unaccented(k), out[k])
        return out
    if isinstance(value, list):
        words = [_with_unaccented(v) for v in value]
        extra = [unaccented(w) for w in words if isinstance(w, str) and unaccented(w) != w]
        return words + [w for w in extra if w not in words]
    return value


@cache
def load(language: str = "en") -> Lexicon:
    """Read and index one language's data files (once per process)."""
    folder = DATA / language
    raw = tomllib.loads((folder / "lexicon.toml").read_text(encoding="utf-8"))
    holidays = tomllib.loads((folder / "holidays.toml").read_text(encoding="utf-8"))["holiday"]
    grammar = tomllib.loads((folder / "rules.toml").read_text(encoding="utf-8"))
    if raw.get("unaccented_variants"):
        raw = _with_unaccented(raw)
        holidays = [{**h, "names": _with_unaccented(h["names"])} for h in holidays]
    return Lexicon(
        raw=raw,
        holidays=holidays,
        rules=grammar["rule"],
        triggers=grammar["triggers"],
        starts=grammar.get("starts", {}),
        extent=grammar.get("extent", {}),
    )
