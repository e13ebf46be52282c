"""Whether a sentence states news at all, whatever date it holds.

A question, a pull quote cut from its sentence, a teaser trailing away, a reader's comment header, a
prompt addressed to the reader, a live blog's clock stamp, a headline or caption run into the next
sentence: none of these is a happening, so none becomes a mention, a summary or support.
The rules are data (`data/newsworthy.toml`, each with examples it must refuse and near-misses it must
accept); this module applies them. Each rule reads only the start, the end or (behind a substring
test) the inside of a sentence, so the check stays cheap on every sentence of a large corpus.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from timeline.events.lexicon import DATA

# an "end" rule reads only this many last characters: enough for closing quotes after "..."
_TAIL = 12


@dataclass(frozen=True)
class _Rule:
    name: str
    where: str
    needle: str
    pattern: re.Pattern[str] | None


@functools.cache
def newsworthy_table() -> dict[str, Any]:
    """The rules and their examples as loaded from `data/newsworthy.toml`."""
    with (DATA / "newsworthy.toml").open("rb") as handle:
        return tomllib.load(handle)


@functools.cache
def _rules() -> tuple[_Rule, ...]:
    rules = []
    for rule in newsworthy_table()["rule"]:
        flags = 0 if rule.get("case_sensitive", True) else re.IGNORECASE
        patterns = rule["patterns"]
        pattern = re.compile("|".join(f"(?:{p})" for p in patterns), flags) if patterns else None
        where, needle = rule.get("where", "anywhere"), rule.get("only_if_contains", "")
        rules.append(_Rule(rule["name"], where, needle, pattern))
    return tuple(rules)


@dataclass(frozen=True)
class _Joints:
    pattern: re.Pattern[str]
    title_openers: frozenset[str]
    title_context: frozenset[str]
    letter_labels: frozenset[str]


@functools.cache
def _joints() -> _Joints:
    table = newsworthy_table()["joints"]
    openers = "|".join(re.escape(word) for word in table["openers"])
    # the space before an opener that follows a word or a number (perhaps closed by a quote or
    # bracket); the lookbehind comes after the space so that the scan only stops at spaces
    pattern = re.compile(rf" (?=({openers}) )(?<=[A-Za-z0-9][a-z0-9] |[a-z0-9]['\"”’)] )")
    return _Joints(
        pattern,
        frozenset(table["title_openers"]),
        frozenset(table["title_context"]),
        frozenset(table["letter_labels"]),
    )


_WORD_BEFORE = re.compile(r"(\w+)\W*$")


def joints(text: str, start: int = 0, end: int | None = None) -> Iterator[int]:
    """Offsets in `text[start:end]` where a sentence begins right after an unpunctuated headline or
    caption ("...oil leak The US Coast Guard said..." -> the offset of "The")."""
    rules = _joints()
    end = len(text) if end is None else end
    for match in rules.pattern.finditer(text, start, end):
        before = _WORD_BEFORE.search(text, max(start, match.start() - 30), match.start())
        if before is None:
            continue
        word, opener = before.group(1), match.group(1)
        folded = word.lower()
        if folded in rules.title_context or (opener == "A" and folded in rules.letter_labels):
            continue
        if word[0].isupper() and opener in rules.title_openers:
            continue
        yield match.end()


def why_not_news(sentence: str) -> str | None:
    """The name of the first rule that says the sentence is not a statement of news, or None."""
    sentence = sentence.strip()
    if not sentence:
        return "empty"
    tail = sentence[-_TAIL:]
    for rule in _rules():
        if rule.pattern is None:
            if rule.name == "run-on" and next(joints(sentence), None) is not None:
                return rule.name
            continue
        if rule.where == "start":
            found = rule.pattern.match(sentence)
        elif rule.where == "end":
            found = rule.pattern.search(tail)
        elif not rule.needle or rule.needle in sentence:
            found = rule.pattern.search(sentence)
        else:
            found = None
        if found:
            return rule.name
    return None


def is_newsworthy(sentence: str) -> bool:
    """Whether the sentence can state a happening at all (see the module docstring)."""
    return why_not_news(sentence) is None
