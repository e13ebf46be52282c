"""One language's grammar: every rule of `data/<language>/rules.toml`, compiled once, with its handler.

A rule is one of four kinds, all read by the one engine (`engine.run`):

* `match` (the default): a pattern over the text, scanned near its trigger tokens; overlapping matches
  are resolved leftmost-longest and anchored in text order.
* `atom`: a pattern tried at the starts of its start triggers once the matches are anchored; it adds
  an expression where nothing was found, or replaces only shorter pieces inside it ("2015-3-3").
* `wrap`: re-reads one found expression with the words right before (`before`), after (`after`) or
  inside it (`inner`): "the third Tuesday of" + "September 2014".
* `pair`: joins two neighbouring found expressions through the text between them (`gap`):
  "Tuesday" + "19 March". Pass 1 binds tightly; pass 2 builds ranges from what pass 1 left.

Every pattern is a regular expression in which `@CLASS` expands to a word class of the lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from timeline.temporal import absolute, durations, intervals, ordinal, periods, relative, triggers
from timeline.temporal.atoms import ATOMS
from timeline.temporal.lexicon import Lexicon, load
from timeline.temporal.pairs import PAIRS
from timeline.temporal.scan import Scanner, required, scanner
from timeline.temporal.triggers import Triggers
from timeline.temporal.wordscan import Heads, Twin, heads, twin
from timeline.temporal.wraps import WRAPS

_MATCH_HANDLERS = {
    name: getattr(module, name)
    for module in (absolute, periods, durations, intervals, ordinal, relative)
    for name in dir(module)
    if not name.startswith("_") and callable(getattr(module, name))
}
HANDLERS: dict[str, dict[str, Callable[..., Any]]] = {
    "match": _MATCH_HANDLERS,
    "atom": ATOMS,
    "wrap": WRAPS,
    "pair": PAIRS,
}
# Every match starts a word: failing fast elsewhere keeps each rule's scan cheap.
_WORD_START = r"(?<![^\W_])(?=[^\W_]|['’])"


@dataclass(frozen=True)
class Rule:
    """One compiled rule of any kind, and the handler that reads its matches."""

    name: str
    kind: str
    handler: Callable[..., Any]
    pattern: re.Pattern[str] | None = None  # match, atom: the expression in the text
    before: re.Pattern[str] | None = None  # wrap, pair: the words right before
    after: re.Pattern[str] | None = None  # wrap: the words right after
    inner: re.Pattern[str] | None = None  # wrap: the expression's own words
    gap: re.Pattern[str] | None = None  # pair: the text between the two expressions
    triggers: tuple[str, ...] = ()  # match: token kinds near which it is scanned; atom: start triggers
    passes: int = 1  # pair: 1 binds tightly, 2 builds ranges
    split: bool = False  # atom, pair: a range keeps its two ends as two expressions
    consume: bool = False  # wrap: `after` may reach past the next expression
    # words one of which every match consumes (lower case): where none occurs the rule is not tried
    need: re.Pattern[str] | None = None
    # atom: those words themselves, looked for over the whole text (`in` finds a word faster than `need`)
    needs: tuple[str, ...] = ()
    # a match rule's scan skipping the insides of words (see wordscan): None when not proven equal
    twin: Twin | None = None
    # atom: what the first characters of folded ASCII text can be where it matches (None: anything)
    heads: Heads | None = None
    # match: the groups that hold the expression when they take part ("x", "x2"); the rest is context
    spans: tuple[str, ...] = ()


@dataclass(frozen=True)
class Grammar:
    """A language's lexicon and compiled rules, by kind, with what the scans need."""

    lexicon: Lexicon
    rules: tuple[Rule, ...]  # the match rules, in file order (a tie goes to the one listed first)
    atoms: tuple[Rule, ...]
    wraps: tuple[Rule, ...]
    pairs: tuple[Rule, ...]
    modifier: re.Pattern[str]  # "the end of", "early", "mid-" before an expression
    modifier_tail: re.Pattern[str]  # the article a modifier may end on ("late the"), cut to look it up
    modifier_by: re.Pattern[str]  # "by" before "the end of": everything from now until then
    triggers: Triggers  # the token scan that opens windows for the match rules
    starts: dict[str, Scanner]  # per start trigger: (text, folded text) -> the positions atoms try
    extent: dict[str, re.Pattern[str]]  # rules.toml [extent], compiled: where a TimeML span starts and ends
    # per trigger kind, the indices of the match rules it opens windows for
    by_trigger: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # filled as the compose phase runs: (granularity, type, start unset) -> the wraps that may accept it
    wraps_by_kind: dict[tuple[str | None, str, bool], tuple[Rule, ...]] = field(default_factory=dict)

    def all_rules(self) -> tuple[Rule, ...]:
        """Every rule of every kind."""
        return self.rules + self.atoms + self.wraps + self.pairs


def _pattern(lex: Lexicon, source: str | None) -> re.Pattern[str] | None:
    return None if source is None else re.compile(lex.expand(source), re.IGNORECASE)


def _gate(words: tuple[str, ...] | None) -> re.Pattern[str] | None:
    return re.compile("|".join(map(re.escape, words))) if words else None


def _match_rule(lex: Lexicon, spec: dict[str, Any], handler: Callable[..., Any]) -> Rule:
    start = "" if spec.get("anywhere") else _WORD_START
    regex = re.compile(start + "(?:" + lex.expand(spec["pattern"]) + ")", re.IGNORECASE)
    # a rule's scan costs more than a search for a few dozen words: a long list still pays
    held = required(regex, limit=32)
    if required(regex, limit=32, heads=False) is None:
        # the only gate is the trigger's own words (month names, units) every window holds: measured
        # slower on Timeline17, so such a rule keeps scanning without one
        held = None
    kinds = tuple(spec["trigger"])
    spans = tuple(k for k in ("x", "x2") if k in regex.groupindex)
    return Rule(
        spec["name"], "match", handler, regex, triggers=kinds, need=_gate(held), twin=twin(regex), spans=spans
    )


def _rule(lex: Lexicon, spec: dict[str, Any], starts: dict[str, Scanner]) -> Rule:
    kind = spec.get("kind", "match")
    handler = HANDLERS.get(kind, {}).get(spec["handler"])
    if handler is None:
        raise ValueError(f"rule {spec['name']}: no {kind} handler {spec['handler']!r}")
    if kind == "match":
        return _match_rule(lex, spec, handler)
    rule = Rule(
        spec["name"],
        kind,
        handler,
        pattern=_pattern(lex, spec.get("pattern")),
        before=_pattern(lex, spec.get("before")),
        after=_pattern(lex, spec.get("after")),
        inner=_pattern(lex, spec.get("inner")),
        gap=_pattern(lex, spec.get("gap")),
        triggers=tuple(spec.get("starts", ())),
        passes=spec.get("pass", 1),
        split=spec.get("split", False),
        consume=spec.get("consume", False),
    )
    if kind == "atom":
        if rule.pattern is None or not rule.triggers or any(t not in starts for t in rule.triggers):
            raise ValueError(f"atom {rule.name}: needs a pattern and starts among {sorted(starts)}")
        held, starts_with = required(rule.pattern), heads(rule.pattern)
        return Rule(**{**rule.__dict__, "need": _gate(held), "needs": held or (), "heads": starts_with})
    if kind == "wrap" and rule.before is not None:
        return Rule(**{**rule.__dict__, "need": _gate(required(rule.before))})
    return rule


def grammar(language: str = "en") -> Grammar:
    """A language's compiled rules, compiled once per process."""
    return _compile(language)


@cache
def _compile(language: str) -> Grammar:
    lex = load(language)
    starts = {name: scanner(re.compile(lex.expand(p), re.IGNORECASE)) for name, p in lex.starts.items()}
    rules = [_rule(lex, spec, starts) for spec in lex.rules]
    words = sorted(lex.raw["modifiers"], key=len, reverse=True)
    alternation = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    articles = "|".join(re.escape(w) for w in lex.raw["modifier_words"]["articles"])
    modifier = re.compile(rf"\b(?:{alternation})(?:\s+|\s*-\s*)(?:(?:{articles})\s+)?$", re.IGNORECASE)
    modifier_tail = re.compile(rf"[\s-]+(?:(?:{articles})\s*)?$", re.IGNORECASE)
    by = "|".join(re.escape(w) for w in lex.raw["modifier_words"]["until"])
    modifier_by = re.compile(rf"\b(?:{by})\s+$", re.IGNORECASE)
    by_kind = {kind: tuple(r for r in rules if r.kind == kind) for kind in HANDLERS}
    by_trigger: dict[str, list[int]] = {}
    for index, rule in enumerate(by_kind["match"]):
        for kind in rule.triggers:
            by_trigger.setdefault(kind, []).append(index)
    return Grammar(
        lex,
        by_kind["match"],
        by_kind["atom"],
        by_kind["wrap"],
        by_kind["pair"],
        modifier,
        modifier_tail,
        modifier_by,
        triggers.build(lex, lex.triggers),
        starts,
        {name: re.compile(lex.expand(p), re.IGNORECASE) for name, p in lex.extent.items()},
        {kind: tuple(indices) for kind, indices in by_trigger.items()},
    )
