#!/usr/bin/env python3
"""Choose the merge thresholds on a labelled set: pairwise precision/recall of merging the seeds.

    .venv/bin/python benchmarks/merge_sweep.py

Mentions come from the shipped `seeds/` through the public pipeline (load_paths, extract_mentions);
`benchmarks/data/seed_merge_labels.json` says which of them report one happening. For every setting
of (threshold, span_weight, name_weight) the seeds are merged and every pair of labelled mentions
counts: merged and same happening = true positive, merged but different = false positive, apart but
same = false negative. The table is sorted by F1; the chosen defaults are printed last.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timeline.events import extract_mentions  # noqa: E402
from timeline.merge.cluster import MergeParams, cluster_mentions  # noqa: E402
from timeline.sources import load_paths  # noqa: E402


def labelled(mentions, labels):
    """Map mention index -> happening number for the labelled mentions; report labels that match none."""
    gold: dict[int, int] = {}
    for g, group in enumerate(labels["groups"]):
        for prefix, phrase, expression in group["mentions"]:
            hits = [
                i
                for i, m in enumerate(mentions)
                if m.article_id.startswith(prefix)
                and phrase.lower() in m.sentence.lower()
                and m.expression.text.lower() == expression.lower()
            ]
            if not hits:
                print(f"  (no mention for {prefix} {phrase!r} {expression!r})", file=sys.stderr)
            for i in hits:
                gold[i] = g
    return gold


def pairwise(clusters, gold):
    """Pairwise precision, recall and F1 of a clustering over the labelled mentions."""
    found = {}
    for c, cluster in enumerate(clusters):
        for i in (*cluster.members, *cluster.conflicts):
            found[i] = c
    tp = fp = fn = 0
    # unlabelled mentions are singleton happenings: merging them with a labelled one is a false positive
    for a, b in itertools.combinations(sorted(found), 2):
        same_gold = a in gold and b in gold and gold[a] == gold[b]
        same_found = found[a] == found[b]
        if not (a in gold or b in gold):
            continue
        tp += same_gold and same_found
        fp += same_found and not same_gold
        fn += same_gold and not same_found
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    labels = json.loads((ROOT / "benchmarks/data/seed_merge_labels.json").read_text())
    articles = load_paths([ROOT / "seeds"]).articles
    mentions = [m for a in articles for m in extract_mentions(a)]
    gold = labelled(mentions, labels)
    print(f"{len(mentions)} mentions, {len(gold)} labelled in {len(labels['groups'])} happenings")
    rows = []
    for threshold, span_weight, name_weight in itertools.product(
        [0.04, 0.06, 0.08, 0.10, 0.12, 0.15, 0.20], [0.0, 0.01, 0.02, 0.03, 0.04, 0.05], [0.0, 0.1, 0.2]
    ):
        params = MergeParams(threshold=threshold, span_weight=span_weight, name_weight=name_weight)
        clusters, _ = cluster_mentions(mentions, params)
        rows.append((pairwise(clusters, gold), params))
    rows.sort(key=lambda row: (-row[0][2], -row[0][0]))
    print("threshold span_w name_w   P     R     F1")
    for (p, r, f), params in rows[:15]:
        knobs = f"{params.threshold:5.2f}  {params.span_weight:5.2f}  {params.name_weight:5.2f}"
        print(f"  {knobs}  {p:.3f} {r:.3f} {f:.3f}")
    d = MergeParams()
    p, r, f = pairwise(cluster_mentions(mentions, d)[0], gold)
    print(
        f"defaults: threshold {d.threshold} span_weight {d.span_weight} name_weight {d.name_weight}: "
        f"P {p:.3f} R {r:.3f} F1 {f:.3f}"
    )


if __name__ == "__main__":
    main()
