"""Issue 8, acceptance 3, on Timeline17's bpoil_bbc: the rig explosion is one event on 20 April 2010, no
event is dated before 1900, and no reader comment is among the events.

    .venv/bin/python benchmarks/bpoil_events.py [--topic bpoil_bbc]

Builds the topic through the public API (load_paths -> build_timeline) and prints each check with the
events that fail it. Exits 1 when a check fails. Needs ../shared (development data, not shipped).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

from timeline import build_timeline, load_paths

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "tls"
EXPLOSION = re.compile(r"\b(explo(?:sion|ded|de)|blast|blew up|caught fire)\b", re.I)
RIG = re.compile(r"\b(rig|Deepwater Horizon|platform)\b", re.I)
# what a reader comment looks like once it is in a sentence: its header or its signature
COMMENT = re.compile(
    r"\bwrote:|\b(?:at|on) \d{1,2}:\d{2} ?[ap]m on \d{1,2} \w{3} \d{4}|\bComplain about this\b", re.I
)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topic", default="bpoil_bbc")
    args = parser.parse_args(argv)
    path = SHARED / args.topic / "articles.jsonl"
    if not path.exists():
        print(f"bpoil_events: {path} not found (the development sets live in ../shared)", file=sys.stderr)
        return 2
    timeline = build_timeline(load_paths([path]).articles)
    failed = False

    def sentences(e):  # type: ignore[no-untyped-def]
        return " ".join(s.sentence for s in e.sources if not s.supporting)

    blasts = [e for e in timeline.events if EXPLOSION.search(sentences(e)) and RIG.search(sentences(e))]
    on_day = [e for e in blasts if e.start == e.end == dt.date(2010, 4, 20)]
    big = max(blasts, key=lambda e: len({s.article_id for s in e.sources}), default=None)
    print(
        f"explosion: {len(on_day)} rig-explosion event(s) on 20 Apr 2010; the most cited rig-explosion event "
        f"is {big.start}..{big.end} with {len({s.article_id for s in big.sources})} articles "
        f"(date_support {big.date_support}, {len(big.conflicts)} conflicts): {big.title!r}"
        if big
        else "explosion: no rig-explosion event"
    )
    if not big or (big.start, big.end) != (dt.date(2010, 4, 20),) * 2 or len(on_day) != 1:
        failed = True
        for e in on_day:
            print(f"  20 Apr: {e.title!r} ({len({s.article_id for s in e.sources})} articles)")
    old = [e for e in timeline.events if e.start.year < 1900]
    print(f"before 1900: {len(old)} event(s)")
    for e in old:
        failed = True
        print(f"  {e.value}: {e.title!r}")
    comments = [e for e in timeline.events if COMMENT.search(" ".join([e.title, e.summary, sentences(e)]))]
    print(f"reader comments: {len(comments)} event(s)")
    for e in comments[:10]:
        failed = True
        print(f"  {e.start}: {e.summary[:100]!r}")
    print(
        f"{len(timeline.events)} events from {len(timeline.articles)} articles: {'FAIL' if failed else 'ok'}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
