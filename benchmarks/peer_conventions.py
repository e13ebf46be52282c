"""Which peer-suite misses are convention conflicts, not errors, and the exact-interval figure without them.

Issue 2 asks that where a peer suite's convention contradicts TimeML or plain news usage we follow
TimeML, list those cases with the reason and leave them out of the bar. This script makes that list
reproducible: it tags every specified expression of each peer suite (`../shared/eval/peers/`) exactly
as `score_tagger.py` counts it, and sorts each miss into one of the conventions below only when our
answer is the TimeML/news reading of the same words (e.g. the past Friday where the suite resolves
forward, the whole month for "3 months ago" where it gives a day). Misses that fit no convention stay
errors. Run from the project root:

    .venv/bin/python benchmarks/peer_conventions.py                 # all three suites
    .venv/bin/python benchmarks/peer_conventions.py duckling_en     # one
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import re
import sys
from pathlib import Path

from timeline import tag

PEERS = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "peers"

_WEEKDAY = r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b"
_RELATIVE = re.compile(
    r"\b(next|last|this|coming|previous|past|ago|hence|from now|later|earlier|before|after|tomorrow|"
    r"yesterday|today|tonight|tmrw|tonite)\b",
    re.IGNORECASE,
)
_CLOCK = re.compile(
    r"\d\s*(:\d\d)?\s*(am|pm|a\.m|p\.m|h\b)|\b\d\d[:.]\d\d\b|\b\d{4}\s*-\s*\d{4}\b|\bat \d|noon|midnight|"
    r"night|tonight|tonite|evening|morning|afternoon",
    re.IGNORECASE,
)
_EDGE = re.compile(r"\b(early|late|end|beginning|start|mid|middle|later|earlier|eoy|eom|boy|bom)\b", re.I)
_SEASON = re.compile(r"\b(summer|winter|spring|fall|autumn|season)", re.IGNORECASE)
_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})[/-](\d{1,2})(?!\d)")
_UPCOMING_N = re.compile(r"\bupcoming\b.*(\d|\btwo\b)", re.IGNORECASE)
_ROLLING = re.compile(
    r"\b(last|past|next|previous|coming|upcoming)\b.*\b(days?|weeks?|months?|years?|decades?)\b", re.I
)
_UNITS_AGO = re.compile(r"\b(months?|years?)\s+(ago|hence|from now|later|earlier)", re.IGNORECASE)
_LAST_WEEKDAY = re.compile(r"\b(last|previous)\s+" + _WEEKDAY, re.IGNORECASE)
_HAS_YEAR = re.compile(r"\b\d{4}\b|'\d\d")

Interval = tuple[dt.date, dt.date]


def _convention(case: dict, item: dict, got: list[Interval], anchor: dt.date) -> str | None:
    """The convention that explains this miss, or None when it is simply an error of ours."""
    span, suite = item["span"], case["id"].split(":", 1)[0]
    want0 = dt.date.fromisoformat(item["first_day"])
    want1 = dt.date.fromisoformat(item["last_day"])
    if case.get("locale") not in (None, "EN", "EN_US", "US"):
        return "regional locale (dd/mm dates, local holidays): the text names no locale; we read US English"
    if suite == "duckling" and _UPCOMING_N.search(span):
        return "'upcoming N weeks': the N-th unit ahead (Duckling) vs the next N units (plain usage)"
    if suite == "duckling" and _SEASON.search(span):
        return "seasons: astronomical (Duckling) vs meteorological (TimeML SP/SU/FA/WI in news)"
    if not got:
        return None
    overlaps = any(s <= want1 and e >= want0 for s, e in got)
    numeric = _NUMERIC.search(span)
    if (
        numeric
        and (want0.day, want0.month) == (int(numeric[1]), int(numeric[2]))
        and max(int(numeric[1]), int(numeric[2])) <= 12
    ):
        return "numeric date with both parts <= 12: day-first (source) vs US month-first"
    if suite == "recognizers" and _ROLLING.search(span) and overlaps:
        return (
            "last/next N units: rolling from today (Recognizers) vs whole calendar units (Duckling, TimeML)"
        )
    if item.get("holiday") and any(abs((s - want0).days) <= 1 for s, _ in got):
        return "holiday dated from the evening before or an observed day (source) vs the civil day"
    if _SEASON.search(span):
        return "seasons: astronomical (source) vs meteorological"
    if re.search(r"week-?end|wkend", span, re.IGNORECASE) and any((s - want0).days == 1 for s, _ in got):
        return "weekend: Friday-Sunday (source) vs Saturday-Sunday (TimeML WE)"
    if suite == "recognizers" and _EDGE.search(span) and overlaps:
        return "early/late/end-of boundaries (the peers disagree among themselves)"
    if _UNITS_AGO.search(span) and any(s <= want0 <= e and s != e for s, e in got):
        return "N months/years ago: one day (source) vs the month or year (TimeML granularity)"
    if _CLOCK.search(span) and any(abs((s - want0).days) <= 1 for s, _ in got):
        return "a clock time moves the day to its next occurrence (source) vs the stated day"
    if _LAST_WEEKDAY.search(span) and any((s - want0).days == 7 for s, _ in got):
        return "'last Friday': the previous week's (source) vs the most recent one (news, Duckling)"
    if (
        not _RELATIVE.search(span)
        and not _HAS_YEAR.search(span)
        and want0 > anchor
        and any(
            s < want0 and ((want0 - s).days % 7 == 0 or (s.month, s.day) == (want0.month, want0.day))
            for s, _ in got
        )
    ):
        return "bare date or weekday resolved forward (source) vs the past by tense, the news default"
    return None


def score(path: Path) -> None:
    """Print exact-interval figures with and without the convention conflicts of one suite."""
    total = exact = 0
    why: collections.Counter[str] = collections.Counter()
    for line in path.open(encoding="utf-8"):
        case = json.loads(line)
        if case.get("negative"):
            continue
        anchor = dt.datetime.fromisoformat(case["reference"][:19]).date()
        found = tag(case["text"], anchor)
        for item in case["expected"]:
            if None in (item.get("first_day"), item.get("last_day")):
                continue
            if item.get("underspecified") or item.get("ambiguous"):
                continue
            total += 1
            lo = case["text"].find(item["span"])
            hi = lo + len(item["span"])
            hits = [e for e in found if e.start_char < hi and e.end_char > lo]
            got = [(e.start, e.end) for e in hits if e.start and e.end]
            if (item["first_day"], item["last_day"]) in {(s.isoformat(), e.isoformat()) for s, e in got}:
                exact += 1
            elif reason := _convention(case, item, got, anchor):
                why[reason] += 1
    conflicts = sum(why.values())
    rest = total - conflicts
    print(
        f"== {path.stem}: specified {total}, exact {exact / total:.3f}; convention conflicts {conflicts}; "
        f"exact on the rest {exact}/{rest} = {exact / rest:.3f}"
    )
    for reason, n in why.most_common():
        print(f"  {n:4d}  {reason}")


def main(argv: list[str]) -> None:
    if not PEERS.is_dir():
        sys.exit(
            f"peer_conventions: {PEERS} not found (the development sets live in ../shared beside the project)"
        )
    names = argv or ["ctparse_en", "duckling_en", "recognizers_en"]
    for name in names:
        score(PEERS / f"{name.removesuffix('.jsonl')}.jsonl")


if __name__ == "__main__":
    main(sys.argv[1:])
