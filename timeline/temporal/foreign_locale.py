"""What the non-English fallback knows about a language: dateparser's locale data plus our lexicon.

The patterns are built once per language from dateparser's own word lists (relative phrases, month
and weekday names, prepositions) and `foreign_lexicon.json` (weekday modifiers, articles, guards,
future verb forms), so adding a language is a lexicon entry, not code.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from timeline.errors import InputError

_LEXICON_PATH = Path(__file__).with_name("foreign_lexicon.json")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Language:
    """Everything the fallback knows about one language: dateparser's locale plus our lexicon."""

    code: str
    relative: Any  # compiled pattern over the locale's relative phrases ("la semana pasada", "hace 3 días")
    weekday: Any  # compiled pattern: optional modifier, weekday name, optional modifier
    weekday_index: dict[str, int]
    month: Any  # compiled pattern of month names: with a digit, the evidence an absolute date needs
    next_words: frozenset[str]
    last_words: frozenset[str]
    edge_words: frozenset[str]  # prepositions and articles trimmed off a span's edges
    prepositions: frozenset[str]  # words that make a bare four-digit number read as a year
    not_after: dict[str, frozenset[str]]
    future: Any  # compiled pattern of future verb forms, or None
    present: frozenset[str]  # relative phrases meaning "now" ("ahora", "jetzt"): PRESENT_REF
    numbers: dict[str, int]  # spelled-out counts ("tres") that dateparser's relative patterns lack
    numeral: Any  # compiled pattern of those words, or None

    def digits(self, span: str) -> str:
        """The span with spelled-out counts as figures ("hace tres días" -> "hace 3 días") for dateparser."""
        if self.numeral is None:
            return span
        return self.numeral.sub(lambda m: str(self.numbers[m.group(0).lower()]), span)


def alternation(phrases: list[str]) -> str:
    """A regex alternation of literal phrases, longest first, with flexible whitespace."""
    unique = sorted({p.strip().lower() for p in phrases if p.strip()}, key=len, reverse=True)
    return "|".join(r"\s+".join(regex.escape(w) for w in p.split()) for p in unique)


@functools.lru_cache(maxsize=32)
def load_language(code: str) -> Language:
    """Build (once per language) the patterns and word sets from dateparser's locale and our lexicon."""
    from dateparser.languages.loader import default_loader

    try:
        info = default_loader.get_locale(code).info
    except (ValueError, KeyError) as exc:
        raise InputError(f"unknown language {code!r}: dateparser has no locale for it") from exc
    lexicon = json.loads(_LEXICON_PATH.read_text(encoding="utf-8")).get(code, {})
    relative_phrases = [p for phrases in info.get("relative-type", {}).values() for p in phrases]
    # dateparser writes its numeric relative patterns with possessive quantifiers; `regex` reads them.
    relative_patterns = [
        p for patterns in info.get("relative-type-regex", {}).values() for p in patterns if "(" in p
    ]
    numbers = {word.lower(): value for word, value in lexicon.get("numbers", {}).items()}
    if numbers:
        # dateparser's count group takes figures only; let it take the spelled-out words as well.
        count = r"(\d++[.,]?\d*+)"
        spelled = rf"(\d++[.,]?\d*+|{alternation(list(numbers))})"
        relative_patterns = [p.replace(count, spelled) for p in relative_patterns]
    relative_alts = [a for a in (alternation(relative_phrases), *relative_patterns) if a]
    relative = regex.compile(
        r"(?<!\w)(?:" + "|".join(relative_alts) + r")(?!\w)" if relative_alts else r"(?!x)x",
        regex.IGNORECASE,
    )
    weekday_index: dict[str, int] = {}
    for index, key in enumerate(_WEEKDAYS):
        # Short forms ("mar", "do") collide with ordinary words; news spells weekdays out.
        for name in info.get(key, []):
            if len(name) >= 4 and "." not in name:
                weekday_index[name.lower()] = index
    modifiers = alternation(lexicon.get("next", []) + lexicon.get("last", []))
    names = alternation(list(weekday_index))
    mod = rf"(?:(?P<pre>{modifiers})\s+)?" if modifiers else ""
    post = rf"(?:\s+(?P<post>{modifiers}))?" if modifiers else ""
    weekday = regex.compile(rf"(?<!\w){mod}(?P<day>{names})(?!\w){post}(?!\w)", regex.IGNORECASE)
    skip = {w.lower() for w in info.get("skip", []) if w.strip() and w.strip().isalpha()}
    prepositions = skip | {w.lower() for w in info.get("in", []) + info.get("pertain", [])}
    present = {
        " ".join(p.lower().split())
        for key, phrases in info.get("relative-type", {}).items()
        if key.endswith(("second ago", "minute ago"))
        for p in phrases
    }
    numeral = alternation(list(numbers))
    return Language(
        code=code,
        numbers=numbers,
        numeral=regex.compile(rf"(?<!\w)(?:{numeral})(?!\w)", regex.IGNORECASE) if numeral else None,
        present=frozenset(present),
        relative=relative,
        weekday=weekday,
        weekday_index=weekday_index,
        month=regex.compile(
            r"(?<!\w)(?:"
            + alternation([n for key in _MONTHS for n in info.get(key, []) if len(n) >= 3])
            + r")",
            regex.IGNORECASE,
        ),
        next_words=frozenset(w.lower() for w in lexicon.get("next", [])),
        last_words=frozenset(w.lower() for w in lexicon.get("last", [])),
        edge_words=frozenset(prepositions | {w.lower() for w in lexicon.get("articles", [])}),
        prepositions=frozenset(prepositions),
        not_after={k.lower(): frozenset(v) for k, v in lexicon.get("not_after", {}).items()},
        future=regex.compile("|".join(lexicon["future"]), regex.IGNORECASE)
        if lexicon.get("future")
        else None,
    )


def is_future(text: str, start: int, end: int, lang: Language) -> bool:
    """True when the sentence around text[start:end] speaks of the future (a future verb form)."""
    if lang.future is None:
        return False
    lo = max(text.rfind(mark, max(0, start - 300), start) for mark in ".!?\n") + 1
    ends = [i for i in (text.find(mark, end, end + 300) for mark in ".!?\n") if i >= 0]
    hi = min(ends) if ends else min(len(text), end + 300)
    return bool(lang.future.search(text[lo:start]) or lang.future.search(text[end:hi]))
