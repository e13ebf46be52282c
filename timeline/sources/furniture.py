"""Page-furniture removal: the forms, prompts, link lists and labels a page wraps around a story.

The patterns are data (`data/furniture.toml`, each with examples it must remove and near-misses it
must keep); this module only applies them, line by line, so every source cleans the same way.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from timeline.sources.escapes import decode_escapes

# Whole-line furniture is short (the longest example is ~200 characters); longer lines are story
# text and skip the pattern tests, which keeps cleaning cheap on large corpora. Entries also say how
# many words their lines can have (`max_words`), so most story sentences meet few patterns.
_MAX_FURNITURE_CHARS = 240
_DEFAULT_MAX_WORDS = 16


_Drop = tuple[tuple[str, str, re.Pattern[str], bool], ...]
_Split = tuple[tuple[str, str, re.Pattern[str]], ...]


@dataclass(frozen=True)
class _Rules:
    line: tuple[tuple[int, re.Pattern[str]], ...]
    guarded_line: tuple[tuple[str, int, re.Pattern[str]], ...]
    drop: _Drop
    header: re.Pattern[str]
    strip: tuple[tuple[str, re.Pattern[str]], ...]
    split: _Split
    live_stamp: re.Pattern[str]
    year_line: re.Pattern[str]
    live_min_lines: int
    repeat_min_chars: int
    headline_max_words: int
    header_max_words: int
    sentence_end: re.Pattern[str]


@cache
def furniture_table() -> dict[str, Any]:
    """The furniture patterns and their examples as loaded from `data/furniture.toml`."""
    with files("timeline.sources").joinpath("data/furniture.toml").open("rb") as handle:
        return tomllib.load(handle)


def _expand(pattern: str, macros: dict[str, str]) -> str:
    for name, value in macros.items():
        pattern = pattern.replace(f"<{name}>", value)
    return pattern


def _compile(patterns: list[str], *, case_sensitive: bool, whole: bool) -> re.Pattern[str]:
    body = "|".join(f"(?:{p})" for p in patterns)
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile(f"(?:{body})" if whole else body, flags)


def _text_key(needle: str) -> str:
    """The needle's longest run without white space: a line holding the needle once its spaces are
    collapsed holds this in the raw text too, so one test on a whole text rules an entry out for it."""
    return max(needle.split(), key=len, default=needle)


@cache
def _rules() -> _Rules:
    table = furniture_table()
    macros = table.get("macros", {})
    line: dict[tuple[bool, int], list[str]] = {}
    guarded_line: list[tuple[str, int, re.Pattern[str]]] = []
    drop: list[tuple[str, str, re.Pattern[str], bool]] = []
    header: list[str] = []
    strip: list[tuple[str, re.Pattern[str]]] = []
    split: list[tuple[str, str, re.Pattern[str]]] = []
    for entry in table["entry"]:
        patterns = [_expand(p, macros) for p in entry["patterns"]]
        sensitive = entry.get("case_sensitive", False)
        needle = entry.get("only_if_contains", "")
        words = entry.get("max_words", _DEFAULT_MAX_WORDS)
        kind = entry["kind"]
        if kind == "line" and needle:
            compiled = _compile(patterns, case_sensitive=sensitive, whole=True)
            guarded_line.append((needle if sensitive else needle.casefold(), words, compiled))
        elif kind == "line":
            line.setdefault((sensitive, words), []).extend(patterns)
        elif kind == "drop":
            if not needle:
                raise ValueError(f"furniture.toml: drop entry {entry['name']!r} needs only_if_contains")
            compiled = _compile(patterns, case_sensitive=sensitive, whole=False)
            ends_story = entry.get("ends_story", False)
            folded = needle if sensitive else needle.casefold()
            drop.append((_text_key(folded), folded, compiled, ends_story))
        elif kind == "header":
            header.extend(patterns)
        elif kind == "strip":
            strip.append((needle, _compile(patterns, case_sensitive=sensitive, whole=False)))
        elif kind == "split":
            needles = (needle,) if isinstance(needle, str) else tuple(needle)
            if not all(needles):
                raise ValueError(f"furniture.toml: split entry {entry['name']!r} needs only_if_contains")
            compiled = _compile(patterns, case_sensitive=sensitive, whole=False)
            split.extend((_text_key(n.casefold()), n.casefold(), compiled) for n in needles)
        else:
            raise ValueError(f"furniture.toml: unknown kind {kind!r} in entry {entry['name']!r}")
    return _Rules(
        # one alternation per case mode and word limit: one regex call is twice as fast as one per entry
        line=tuple((w, _compile(ps, case_sensitive=m, whole=True)) for (m, w), ps in line.items()),
        guarded_line=tuple(guarded_line),
        drop=tuple(drop),
        header=re.compile(r"(?:" + "|".join(f"(?:{p})" for p in header) + r")\s*:?", re.IGNORECASE),
        strip=tuple(strip),
        split=tuple(split),
        live_stamp=re.compile(table["live_blog"]["stamp"]),
        year_line=re.compile(table["live_blog"]["year_line"]),
        live_min_lines=table["live_blog"]["min_lines"],
        repeat_min_chars=table["repeats"]["min_chars"],
        headline_max_words=table["headlines"]["max_words"],
        header_max_words=table["headlines"]["header_max_words"],
        sentence_end=re.compile(table["headlines"]["sentence_end"]),
    )


def _is_furniture_line(line: str, rules: _Rules) -> bool:
    if len(line) > _MAX_FURNITURE_CHARS:
        return False
    words = line.count(" ") + 1
    # plain loops, not any(): this runs for every line of every article
    for most, pattern in rules.line:
        if words <= most and pattern.fullmatch(line):
            return True
    folded = line.casefold()
    for needle, most, pattern in rules.guarded_line:
        if words <= most and needle in folded and pattern.fullmatch(line):
            return True
    return False


def _dropped(line: str, folded: str, drop: _Drop) -> str | None:
    """None if the line stays; 'line' if it goes; 'rest' if it and everything after it go."""
    for _key, needle, pattern, ends_story in drop:
        if needle in folded and pattern.search(line):
            return "rest" if ends_story else "line"
    return None


def _line_break(match: re.Match[str]) -> str:
    """A split entry's match becomes a line break; its group `rest`, if any, opens the next line (at
    the line's start there is nothing to break from)."""
    return ("\n" if match.start() else "") + (match.groupdict().get("rest") or "")


def _pieces(line: str, folded: str, split: _Split) -> list[str]:
    """The line cut where a page stamp, byline or credit sat inside it (split entries)."""
    cut = False
    for _key, needle, pattern in split:
        if needle in folded:
            line = pattern.sub(_line_break, line)
            cut = True
    return [piece.strip() for piece in line.split("\n")] if cut and "\n" in line else [line]


_LINE_DIGIT = re.compile(r"\n\d")


def _is_live_blog(text: str, lines: list[str], rules: _Rules) -> bool:
    """Whether the text is a live blog whose entries open with their clock time ("2224 The US Coast
    Guard said..."): enough such lines, at least one that no chronology's year would be (before 1900,
    after 2099, or with its am/pm), and no line opening with a year that is no clock time ("1989:")."""
    stamps = 0
    beyond_years = False
    if len(_LINE_DIGIT.findall(text)) < rules.live_min_lines:
        return False  # the common case, at C speed: not enough lines even open with a digit
    for line in lines:
        line = line.lstrip()
        if not line[:1].isdigit():
            continue
        match = rules.live_stamp.match(line)
        if match is None:
            if rules.year_line.match(line):
                return False
            continue
        stamps += 1
        hhmm = match.group("hhmm")
        beyond_years = beyond_years or hhmm is None or not 1900 <= int(hhmm) <= 2099
    return stamps >= rules.live_min_lines and beyond_years


def _is_headline(line: str, rules: _Rules) -> bool:
    return len(line.split()) <= rules.headline_max_words and not rules.sentence_end.search(line)


def clean_text(text: str) -> str:
    """Decode escapes, remove page furniture and repeated blocks from an article's text; keep paragraphs."""
    rules = _rules()
    kept: list[str] = []
    seen: set[str] = set()
    in_link_list = False
    text = "\n" + decode_escapes(text).replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")[1:]
    live_blog = _is_live_blog(text, lines, rules)
    # entries whose needle is nowhere in the text are left out for all its lines: most texts meet few
    folded_text = text.casefold()
    drop = tuple(entry for entry in rules.drop if entry[0] in folded_text)
    split = tuple(entry for entry in rules.split if entry[0] in folded_text)
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            if kept and kept[-1]:
                kept.append("")
            continue
        if in_link_list:
            if _is_headline(line, rules):
                continue
            in_link_list = False
        if line.count(" ") < rules.header_max_words and rules.header.fullmatch(line):
            in_link_list = True
            continue
        # A reader comment carries its own date header ("May 2, 2011 at 7:59 pm | Report abuse |") and
        # often runs into the next one on one line: the whole line goes, its dates are not the story's.
        folded = line.casefold()
        dropped = _dropped(line, folded, drop)
        if dropped == "rest":
            break  # the comment thread has begun: pages put it after the story, never inside it
        if dropped:
            continue
        if live_blog:
            line = rules.live_stamp.sub("", line, count=1)
        # Cut credits first: a credit glued to a short sentence must not take the sentence with it.
        for needle, pattern in rules.strip:
            if needle in line:
                line = pattern.sub("", line)
        if not line or _is_furniture_line(line, rules):
            continue
        pieces = _pieces(line, folded, split)
        for piece in pieces:
            if len(pieces) > 1 and (not piece or _is_furniture_line(piece, rules)):
                continue
            key = piece.casefold()
            if len(key) >= rules.repeat_min_chars:
                if key in seen:
                    continue
                seen.add(key)
            kept.append(piece)
    return "\n".join(kept).strip()
