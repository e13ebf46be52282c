#!/usr/bin/env python3
"""Re-fit the salience weights on Timeline17: a grid, its date F1 per topic, and leave-one-topic-out.

Run from the project root (reads ../shared/eval/tls, never shipped):

    .venv/bin/python benchmarks/salience_grid.py                       # the default grid
    .venv/bin/python benchmarks/salience_grid.py --grid listed=4,12 retrospective=2,4

Each topic is extracted and clustered once (salience does not change clustering); every grid point
then re-derives the day signals and event saliences and scores them as `score_timeline.py` does
(the L most salient day events inside the gold span, distinct days, date F1). Leave-one-topic-out
picks the best point on eleven topics and scores the twelfth: the figure to expect on unseen topics.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TLS = ROOT.parent / "shared" / "eval" / "tls"
DEFAULT_GRID = ("listed=4,8,12,16,24", "retrospective=2,3,4,5,6")


def load_topic(topic: Path) -> dict[str, Any]:
    """Articles, mentions, clusters and gold dates of one topic."""
    from timeline import load_paths
    from timeline.events import extract_mentions
    from timeline.merge.cluster import cluster_mentions

    articles = load_paths([topic / "articles.jsonl"]).articles
    mentions = [m for a in articles for m in extract_mentions(a)]
    clusters, vectors = cluster_mentions(mentions, None)
    lines = (topic / "timeline.jsonl").read_text("utf-8").splitlines()
    gold = {json.loads(line)["date"] for line in lines if line.strip()}
    return {
        "articles": articles,
        "mentions": mentions,
        "clusters": clusters,
        "vectors": vectors,
        "gold": gold,
    }


def date_f1(events: list[Any], gold: set[str]) -> float:
    """The scorer's date F1: the L most salient day events inside the gold span, distinct days."""
    lo, hi = min(gold), max(gold)
    days = [e for e in events if e.start == e.end and lo <= e.start.isoformat() <= hi]
    days.sort(key=lambda e: -e.salience)
    chosen: list[str] = []
    for e in days:
        if (d := e.start.isoformat()) not in chosen:
            chosen.append(d)
        if len(chosen) == len(gold):
            break
    hit = len(set(chosen) & gold)
    p, r = (hit / len(chosen) if chosen else 0.0), hit / len(gold)
    return 2 * p * r / (p + r) if p + r else 0.0


def score(topic: dict[str, Any], weights: Any) -> float:
    """Date F1 of one cached topic under one set of salience weights."""
    from timeline.merge.events import day_signals, to_event

    days = day_signals(topic["mentions"], topic["articles"], topic["clusters"], weights)
    events = [
        to_event(c, topic["mentions"], topic["vectors"], days, weights)
        for c in topic["clusters"]
        if c.members
    ]
    return date_f1(events, topic["gold"])


def parse_grid(specs: list[str]) -> dict[str, list[float]]:
    """'listed=4,12' -> {'listed': [4.0, 12.0]}, checked against SalienceWeights' fields."""
    from timeline.merge.salience import SalienceWeights

    known = {f.name for f in fields(SalienceWeights)}
    grid = {}
    for spec in specs:
        name, _, values = spec.partition("=")
        if name not in known or not values:
            sys.exit(f"salience_grid: error: {spec!r}: expected NAME=V1,V2 with NAME one of {sorted(known)}")
        grid[name] = [float(v) for v in values.split(",")]
    return grid


def main(argv: list[str]) -> int:
    """Score every grid point on every topic, print the table and the leave-one-topic-out mean."""
    from timeline.merge.salience import SalienceWeights

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", nargs="+", default=list(DEFAULT_GRID), help="NAME=V1,V2 ... per weight")
    args = parser.parse_args(argv)
    grid = parse_grid(args.grid)
    names = sorted(p.parent.name for p in TLS.glob("*/timeline.jsonl"))
    if not names:
        sys.exit(f"salience_grid: error: no Timeline17 topics under {TLS}: ../shared is missing")
    topics = {}
    for i, name in enumerate(names, 1):
        print(f"extracting {i}/{len(names)} {name}", file=sys.stderr, flush=True)
        topics[name] = load_topic(TLS / name)
    ints = {f.name for f in fields(SalienceWeights) if f.type in (int, "int")}
    rows = []
    for combo in itertools.product(*grid.values()):
        point = {k: int(v) if k in ints else v for k, v in zip(grid, combo, strict=True)}
        per_topic = {name: score(t, SalienceWeights(**point)) for name, t in topics.items()}
        rows.append((point, per_topic))
        mean = sum(per_topic.values()) / len(per_topic)
        print(f"{point}  mean {mean:.4f}", flush=True)
    held_out = []
    for name in names:
        best = max(rows, key=lambda row: sum(v for k, v in row[1].items() if k != name))
        held_out.append(best[1][name])
        print(f"held out {name:22} best elsewhere {best[0]}  F1 {best[1][name]:.3f}")
    print(f"leave-one-topic-out mean date F1 {sum(held_out) / len(held_out):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
