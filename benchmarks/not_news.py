#!/usr/bin/env python3
"""Count what is not news among the events of built Timeline17 timelines: reader comments, live-blog
stamps, page stamps, escapes, headline/caption run-ons, navigation, questions.

    .venv/bin/python benchmarks/not_news.py DIR      # DIR holds <topic>.json timelines, e.g. from
        ~/.cache/timeline-tlseval/bin/python ../shared/eval/score_tls_rouge.py --timelines DIR

For every topic it reads the raw articles (../shared/eval/tls/<topic>/articles.jsonl) to know where
each article's reader-comment thread begins, then counts, per class, the distinct dated source
sentences (mentions) and the event summaries that fall in it, over all events and over the summaries
score_tls_rouge.py reads (the L most salient days' top events). The detectors are written here, apart
from the rules in timeline/sources/data/furniture.toml and timeline/events/data/newsworthy.toml, so
that they measure those rules instead of repeating them.
"""

from __future__ import annotations

import collections
import json
import re
import sys
from pathlib import Path

TLS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "tls"

THREAD_START = re.compile(
    r"\bAt \d{1,2}:\d{2}(?:\s*[ap]m)?\s+(?:on\s+)?\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]{2,8}\.?\s+\d{4},\s+\S+"
    r"(?: \S+){0,3} wrote:|\| Report abuse|\| Reply\b|Posted by:|Report as abuse"
    r"|Views expressed in the comments|This (?:debate|discussion) is now closed"
    r"|\d{4} at \d{1,2}:\d{2} [ap]m \|"
)
OPENERS = "The|A|An|They|He|She|It|We|This|These|Those|There|Some|Many|When|But|So|If|However|While"
CLASSES = {
    "comment_header": re.compile(r"\b\S*\d\S* wrote:|\bAt \d{1,2}:\d{2}.{0,30}\d{4}, \S+ wrote"),
    "live_stamp": re.compile(r"^(?:\d{4}:?|\d{1,2}[.:]\d{2}\s*[ap]\.?m\.?:?)\s+[A-Za-z\"“']|^\(Update"),
    "page_stamp": re.compile(r"(?i)last updated at \d|\d{1,2}:\d{2} UK time|GMT Help\b"),
    "escape": re.compile(r"\\/|\\u[0-9a-fA-F]{4}|&(?:#\d+|#x[0-9a-f]+|[a-z]{2,6});"),
    "run_on": re.compile(rf"[a-z]{{2}}['\"”’)]?\s+(?:{OPENERS})\s+[a-z0-9\"“']"),
    "pull_quote": re.compile(r"End Quote"),
    "navigation": re.compile(
        r"^(?:Watch|Listen|Click|Read|See|Follow|Find out|Send)\b"
        r"|^You can (?:follow|watch|listen|read|see|find|get|send|contact|join|comment|stay)\b"
    ),
    "question": re.compile(r"\?\)?$"),
    "no_full_stop": re.compile(r"[^.!?\"'”’)\]…]$"),
}


def thread_starts(topic: str) -> dict[str, tuple[str, int | None]]:
    starts = {}
    for line in (TLS / topic / "articles.jsonl").open(encoding="utf-8"):
        article = json.loads(line)
        match = THREAD_START.search(article["text"])
        starts[article["id"]] = (article["text"], match.start() if match else None)
    return starts


def classes(sentence: str, article: tuple[str, int | None] | None) -> list[str]:
    found = [name for name, pattern in CLASSES.items() if pattern.search(sentence)]
    if article is not None and article[1] is not None:
        position = article[0].find(sentence[:60])
        # a sentence the cleaning changed is looked up by its start; not found after the thread start
        if position >= article[1]:
            found.append("comment_thread")
    return found


def _owner(event: dict) -> str:
    """The article whose sentence is the event's summary."""
    return next((s["article_id"] for s in event["sources"] if s["sentence"] == event["summary"]), "")


def chosen(topic: str, events: list[dict]) -> list[dict]:
    gold = {json.loads(line)["date"] for line in (TLS / topic / "timeline.jsonl").open() if line.strip()}
    low, high = min(gold), max(gold)
    days = [e for e in events if e["start"] == e["end"] and low <= e["start"] <= high]
    days.sort(key=lambda e: -float(e["salience"]))
    top: dict[str, dict] = {}
    for event in days:
        top.setdefault(event["start"], event)
        if len(top) == len(gold):
            break
    return list(top.values())


def main() -> None:
    folder = Path(sys.argv[1])
    mentions: collections.Counter[str] = collections.Counter()
    summaries: collections.Counter[str] = collections.Counter()
    read: collections.Counter[str] = collections.Counter()
    totals = collections.Counter()
    for path in sorted(folder.glob("*.json")):
        topic = path.stem
        starts = thread_starts(topic)
        events = json.loads(path.read_text(encoding="utf-8"))["events"]
        seen = set()
        for event in events:
            sources = [s for s in event["sources"] if not s["supporting"]]
            owner = next((s["article_id"] for s in sources if s["sentence"] == event["summary"]), None)
            totals["summaries"] += 1
            summaries.update(classes(event["summary"], starts.get(owner)))
            for source in sources:
                key = (source["article_id"], source["sentence"])
                if key not in seen:
                    seen.add(key)
                    totals["mentions"] += 1
                    mentions.update(classes(source["sentence"], starts.get(source["article_id"])))
        for event in chosen(topic, events):
            totals["read"] += 1
            read.update(classes(event["summary"], starts.get(_owner(event))))
    print(f"{'class':15} {'mentions':>9} {'summaries':>10} {'read':>6}")
    for name in ["comment_thread", *CLASSES]:
        print(f"{name:15} {mentions[name]:9} {summaries[name]:10} {read[name]:6}")
    print(f"{'(all)':15} {totals['mentions']:9} {totals['summaries']:10} {totals['read']:6}")


if __name__ == "__main__":
    main()
