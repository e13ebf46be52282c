#!/usr/bin/env python3
"""Merge quality on the labelled happening sets: B-cubed precision/recall and the events' dates.

    .venv/bin/python benchmarks/merge_quality.py                  # the four sets, the default rule
    .venv/bin/python benchmarks/merge_quality.py --sweep          # and B-cubed per merge threshold
    .venv/bin/python benchmarks/merge_quality.py --param span_weight=0,0.02,0.04   # or another knob
    .venv/bin/python benchmarks/merge_quality.py --errors 5       # and the worst merges, splits, dates
    .venv/bin/python benchmarks/merge_quality.py --whole-topic    # merge each whole topic, score the slice

Sets: the seeds (`tests/merge/data/happenings_seeds.json`) and three Timeline17 slices
(`benchmarks/data/happenings_<topic>.json`, articles in ../shared/eval/tls). The labelled articles go
through the public pipeline (`load_paths`, `extract_mentions`, `assemble_timeline`, the same steps as
`build_timeline`); every labelled expression is matched to the system's mention and event by article
and overlapping characters, and scored by `happening_labels.py` (definitions there and in
benchmarks/README.md). Stops with a one-line message when ../shared is missing.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from happening_labels import Label, LabelSet, Matched, Score, combine, load, match, score  # noqa: E402

from timeline import assemble_timeline, extract_mentions, load_paths, merge_mentions  # noqa: E402
from timeline.merge import MergeParams  # noqa: E402
from timeline.models import Article, Event, Mention  # noqa: E402

SHARED = ROOT.parent / "shared" / "eval" / "tls"
SETS = [
    ROOT / "tests" / "merge" / "data" / "happenings_seeds.json",
    *sorted((ROOT / "benchmarks" / "data").glob("happenings_*.json"), key=lambda p: p.name.lower()),
]
THRESHOLDS = [0.0, 0.02, 0.04, 0.06, 0.08, 0.10, 0.12, 0.15, 0.20, 0.30]


def articles_of(labelset: LabelSet, whole_topic: bool) -> list[Article]:
    """The set's articles as `timeline build` reads them: the labelled ones, or the whole source."""
    loaded = load_paths([labelset.source_path(ROOT)]).articles
    if whole_topic:
        return loaded
    wanted = set(labelset.article_ids)
    chosen = [a for a in loaded if a.id in wanted]
    if len(chosen) != len(wanted):
        missing = sorted(wanted - {a.id for a in chosen})
        sys.exit(f"merge_quality: error: {labelset.name}: articles not in {labelset.source}: {missing[:3]}")
    return chosen


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}"


def print_merge(scores: Sequence[Score]) -> None:
    print("\nMerging: B-cubed over the labelled expressions the system has a mention of ('covered'), and")
    print("over all of them with the missing ones as singletons ('all'); nulls = expressions dating no")
    print("happening that the system kept as mentions (each counts as a happening of its own).")
    print(f"{'set':<18} {'labels':>6} {'covered':>8}   {'P':>5} {'R':>5} {'F1':>5}   all: {'P':>5} {'R':>5} "
          f"{'F1':>5}   {'nulls kept':>10}")  # fmt: skip
    for s in scores:
        p, r, f = s.bcubed
        pa, ra, fa = s.bcubed_all
        cover = f"{s.covered}/{s.labelled}"
        print(
            f"{s.name:<18} {s.labelled:>6} {cover:>8}   {_pct(p)} {_pct(r)} {_pct(f)}        "
            f"{_pct(pa)} {_pct(ra)} {_pct(fa)}   {s.nulls_kept:>4}/{s.nulls:<5}"
        )
    for s in scores[:-1]:
        if s.lost or s.removed or s.several or s.unlabelled:
            cut = "".join(f", {n} removed as {kind}" for kind, n in sorted(s.removed.items()))
            print(
                f"  {s.name}: {s.lost} labels no longer found in their text{cut} (neither scored), "
                f"{s.several} expressions in 2+ events, {s.unlabelled} system mentions no label covers"
            )


def print_dates(scores: Sequence[Score]) -> None:
    print("\nDates: each happening against the event holding most of its mentions (share of happenings")
    print("with a gold interval that the system holds); mentions in an event disjoint from their")
    print("happening's gold interval; the mention's own reading of its expression against the label's.")
    print(f"{'set':<18} {'happen.':>7} {'equal':>6} {'contains':>8} {'within':>6} {'disjoint':>8} "
          f"{'no event':>8}   {'contradicted':>12}   {'reading equal':>13} {'disjoint':>8}")  # fmt: skip
    for s in scores:
        held = f"{s.happenings}"
        contradicted = f"{s.contradicted}/{s.dated_mentions}"
        read = s.read_equal / s.read_mentions if s.read_mentions else 0.0
        read_bad = s.read_disjoint / s.read_mentions if s.read_mentions else 0.0
        print(
            f"{s.name:<18} {held:>7} {_pct(s.share('equal')):>6} {_pct(s.share('equal', 'contains')):>8} "
            f"{_pct(s.share('within')):>6} {_pct(s.share('disjoint')):>8} {s.missing_happenings:>8}   "
            f"{contradicted:>12}   {_pct(read):>13} {_pct(read_bad):>8}"
        )


def _line(label: Label, width: int = 110) -> str:
    what = label.happening or f"(none: {label.why})"
    sentence = " ".join(label.sentence.split())
    at = label.start_char - label.sentence_start
    left = max(0, at - 50)
    snippet = ("..." if left else "") + sentence[left : left + width - 30]
    return f"      {label.article_id} '{label.text}' -> {what}\n        {snippet}"


def explain(labelset: LabelSet, matched: Matched, limit: int) -> None:
    """The worst wrong merges, splits, misdated happenings and missing mentions of one set."""
    by_event: dict[str, list[Label]] = defaultdict(list)
    events: dict[str, Event] = {}
    for label, event in matched.event.items():
        by_event[event.id].append(label)
        events[event.id] = event
    print(f"\n== {labelset.name}")

    def happening(label: Label) -> str:
        return label.happening or f"null:{label.article_id}@{label.start_char}"

    merged = sorted(by_event.items(), key=lambda kv: -len({happening(x) for x in kv[1]}))
    merged = [(eid, labels) for eid, labels in merged if len({happening(x) for x in labels}) > 1]
    print(f"  wrong merges: {len(merged)} events hold expressions of two or more happenings")
    for eid, labels in merged[:limit]:
        e = events[eid]
        print(f"    event {e.start}..{e.end}: {e.title[:90]}")
        for label in sorted(labels, key=happening):
            print(_line(label))
    by_happening: dict[str, set[str]] = defaultdict(set)
    for label, event in matched.event.items():
        if label.happening:
            by_happening[label.happening].add(event.id)
    split = sorted(((h, ids) for h, ids in by_happening.items() if len(ids) > 1), key=lambda x: -len(x[1]))
    print(f"  splits: {len(split)} happenings are spread over two or more events")
    for hid, ids in split[:limit]:
        gold = labelset.happenings[hid].gold
        print(f"    {hid} (gold {gold[0] if gold else '?'}..{gold[1] if gold else '?'}): {len(ids)} events")
        for eid in sorted(ids, key=lambda i: events[i].start):
            e = events[eid]
            mine = [x for x in by_event[eid] if x.happening == hid]
            print(f"      {e.start}..{e.end} ({len(mine)} of its mentions): {e.title[:80]}")
    misdated = []
    for hid, h in labelset.happenings.items():
        held = [e for x, e in matched.event.items() if x.happening == hid]
        if h.gold and held:
            worst = [e for e in held if e.end < h.gold[0] or e.start > h.gold[1]]
            if worst:
                misdated.append((hid, h, worst))
    print(
        f"  misdated: {len(misdated)} happenings have mentions in an event disjoint from their gold interval"
    )
    for hid, h, worst in misdated[:limit]:
        e = worst[0]
        assert h.gold is not None
        print(f"    {hid} gold {h.gold[0]}..{h.gold[1]}; event {e.start}..{e.end}: {e.title[:80]}")
    missing = [
        x for x in matched.labels if x.happening and x not in matched.mention and x not in matched.event
    ]
    print(f"  missing: {len(missing)} labelled expressions have no system mention")
    for label in missing[:limit]:
        print(_line(label))


def run_set(labelset: LabelSet, whole_topic: bool) -> tuple[list[Article], list[Mention], Matched, Score]:
    """Extract and merge one set through the public API; match and score it."""
    articles = articles_of(labelset, whole_topic)
    mentions = [m for a in articles for m in extract_mentions(a)]
    timeline = assemble_timeline(articles, mentions)
    matched = match(labelset, articles, mentions, timeline.events)
    return articles, mentions, matched, score(labelset, matched)


def sweep(
    runs: Sequence[tuple[LabelSet, list[Article], list[Mention]]], name: str, values: Sequence[float]
) -> None:
    """B-cubed per value of one MergeParams knob, the others at their defaults."""
    print(f"\nSweep of MergeParams.{name} (other knobs at their defaults): B-cubed F1 over covered")
    print("expressions per set, and P/R/F1 over all sets together.")
    names = " ".join(f"{ls.name[:10]:>10}" for ls, _, _ in runs)
    print(f"{name[:12]:>12}  {names}   {'P':>5} {'R':>5} {'F1':>5}")
    default = getattr(MergeParams(), name)
    for value in values:
        scores = []
        for labelset, articles, mentions in runs:
            events = merge_mentions(mentions, articles, params=MergeParams(**{name: value}))
            scores.append(score(labelset, match(labelset, articles, mentions, events)))
        p, r, f = combine("all", scores).bcubed
        cells = " ".join(f"{_pct(s.bcubed[2]):>10}" for s in scores)
        mark = "  <- default" if abs(value - default) < 1e-9 else ""
        print(f"{value:>12.3f}  {cells}   {_pct(p)} {_pct(r)} {_pct(f)}{mark}")


def knob(text: str) -> tuple[str, list[float]]:
    """NAME=V1,V2,... of --param."""
    name, _, values = text.partition("=")
    if not hasattr(MergeParams(), name) or not values:
        raise argparse.ArgumentTypeError(f"expected NAME=V1,V2 with NAME a MergeParams field, got {text!r}")
    return name, [float(v) for v in values.split(",")]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sweep", nargs="*", type=float, metavar="T", help="merge thresholds to try")
    parser.add_argument(
        "--param", action="append", type=knob, metavar="NAME=V1,V2", help="sweep another knob"
    )
    parser.add_argument("--errors", type=int, default=0, metavar="N", help="list N of each kind of error")
    parser.add_argument("--whole-topic", action="store_true", help="merge the whole topic, score the slice")
    parser.add_argument(
        "--set", action="append", metavar="NAME", help="only these sets (seeds, haiti_bbc...)"
    )
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        sys.exit(f"merge_quality: error: {SHARED} not found: ../shared is missing")
    labelsets = [load(path) for path in SETS]
    if args.set:
        labelsets = [ls for ls in labelsets if ls.name in args.set]
    started = time.perf_counter()
    runs, scores = [], []
    for labelset in labelsets:
        articles, mentions, matched, s = run_set(labelset, args.whole_topic)
        runs.append((labelset, articles, mentions))
        scores.append(s)
        if args.errors:
            explain(labelset, matched, args.errors)
    scores.append(combine("all", scores))
    scope = "whole topics merged" if args.whole_topic else "labelled articles merged"
    print(f"\n{sum(len(a) for _, a, _ in runs)} articles ({scope}), {time.perf_counter() - started:.1f} s")
    print_merge(scores)
    print_dates(scores)
    if args.sweep is not None:
        sweep(runs, "threshold", args.sweep or THRESHOLDS)
    for name, values in args.param or []:
        sweep(runs, name, values)


if __name__ == "__main__":
    main()
