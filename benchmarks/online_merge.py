#!/usr/bin/env python3
"""Time a full merge against an incremental update of it, as the daemon does them, on Timeline17 articles.

    .venv/bin/python benchmarks/online_merge.py [ARTICLES]   # from the project root; needs ../shared/eval/tls

Reads the first ARTICLES (default 1,500) + 10 Timeline17 articles (topics in name order), extracts their
mentions (not timed: the daemon extracts as it stores), then times: `merge_mentions` on the first
ARTICLES, a fresh `OnlineMerger` on them (the daemon's start), one `update` adding the 10 others together,
and 10 updates of one article each, printing events re-derived per update, and how many
events the result shares with a fresh full merge; then a daemon's rebuild (SQLite store, JSON written)
at start and after the same 10 articles are stored. Targets: an update well
under a tenth of the full merge.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
import sys
import tempfile
import time
from pathlib import Path

from timeline.config import load_config
from timeline.daemon import Daemon
from timeline.events import extract_mentions
from timeline.merge import merge_mentions
from timeline.merge.online import OnlineMerger
from timeline.sources import load_paths

ROOT = Path(__file__).resolve().parents[1]
TLS = ROOT.parent / "shared" / "eval" / "tls"
EXTRA = 10


def main() -> None:
    wanted = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
    articles = []
    for topic in sorted(TLS.glob("*/articles.jsonl")):
        articles.extend(load_paths([topic]).articles)
        if len(articles) >= wanted + EXTRA:
            break
    if len(articles) < wanted + EXTRA:
        sys.exit(f"need {wanted + EXTRA} articles under {TLS}, found {len(articles)}")
    articles = articles[: wanted + EXTRA]
    with cf.ProcessPoolExecutor(2) as pool:
        found = list(pool.map(extract_mentions, articles, chunksize=32))
    base, extra = articles[:wanted], articles[wanted:]
    mentions = [m for ms in found[:wanted] for m in ms]
    added = {a.id: ms for a, ms in zip(extra, found[wanted:], strict=True)}
    print(f"{len(base)} articles, {len(mentions)} mentions; adding {EXTRA} articles, "
          f"{sum(map(len, added.values()))} mentions")  # fmt: skip

    started = time.perf_counter()
    events = merge_mentions(mentions, base)
    print(f"merge_mentions (full):        {time.perf_counter() - started:6.2f} s  {len(events)} events")
    started = time.perf_counter()
    merger = OnlineMerger(base, mentions, refit_share=math.inf)
    print(f"OnlineMerger (full, start):   {time.perf_counter() - started:6.2f} s")
    started = time.perf_counter()
    result = merger.update(extra, added)
    print(f"update, {EXTRA} at once:         {time.perf_counter() - started:6.2f} s rebuilt={result.rebuilt}")

    merger = OnlineMerger(base, mentions, refit_share=math.inf)
    for article in extra:
        started = time.perf_counter()
        result = merger.update([article], {article.id: added[article.id]})
        print(f"update, 1 article:           {time.perf_counter() - started:6.2f} s rebuilt={result.rebuilt}")
    # how far ten updates drift from a fresh merge: share of events grouping the very same sources
    fresh = merge_mentions([m for ms in found for m in ms], articles)

    def groups(evs: list) -> set:
        return {(e.start, e.end, frozenset((s.article_id, s.start_char) for s in e.sources)) for e in evs}

    same = len(groups(merger.events()) & groups(fresh)) / max(len(fresh), 1)
    print(f"events identical to a fresh full merge after 10 updates: {same:.1%}")
    daemon_rounds(base, found[:wanted], extra, found[wanted:])


def daemon_rounds(base: list, base_found: list, extra: list, extra_found: list) -> None:
    """A daemon's rebuilds end to end on a real SQLite store: read the story, merge, write the JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "timeline.toml"
        config.write_text(f'[store]\nurl = "sqlite:///{tmp}/t.db"\n[output]\njson = "{tmp}/t.json"\n')
        daemon = Daemon(load_config(config))
        feed = daemon.store.add_feed("https://example.org/feed.xml")
        for article, mentions in zip(base, base_found, strict=True):
            daemon.store.upsert_article(feed.id, article.id, article, mentions=mentions)
        json_path = daemon.config.output.json_path
        started = time.perf_counter()
        report = daemon.keeper.rebuild(daemon.poller, json_path)
        print(f"daemon rebuild, full (start): {time.perf_counter() - started:6.2f} s  {report.events} events")
        for article, mentions in zip(extra, extra_found, strict=True):
            daemon.store.upsert_article(feed.id, article.id, article, mentions=mentions)
        started = time.perf_counter()
        report = daemon.keeper.rebuild(daemon.poller, json_path)
        took = time.perf_counter() - started
        print(f"daemon rebuild, +{EXTRA} articles: {took:6.2f} s rebuilt={report.rebuilt}")
        daemon._shutdown()


if __name__ == "__main__":
    main()
