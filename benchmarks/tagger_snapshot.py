#!/usr/bin/env python3
"""Write the tagger's whole output over the development sets, to diff a refactor against.

Run from the project root (reads ../shared/eval, never shipped):

    .venv/bin/python benchmarks/tagger_snapshot.py /tmp/before.jsonl
    ... refactor ...
    .venv/bin/python benchmarks/tagger_snapshot.py /tmp/after.jsonl --diff /tmp/before.jsonl

One JSON line per text: its id and every field of every expression `tag()` returns. The texts are the
TempEval-3 training documents, every Timeline17 article (`--tls-limit N` keeps a fixed sample of N) and
the English peer cases, each anchored as `score_tagger.py` anchors it. With `--diff` the run prints
the first differing texts and exits 1 when any differs, so a refactor that must not change the output
can be checked in one command. It also prints the CPU time `tag()` took: a rough check that a
refactor is no slower (benchmarks/tagger.py is the measure).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"


def _lines(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def texts(tls_limit: int) -> Iterator[tuple[str, str, dt.date]]:
    """(id, text, anchor) of every text in the snapshot, in a fixed order."""
    for d in _lines(EVAL / "tempeval3" / "train.jsonl"):
        yield f"tempeval3/{d['id']}", d["text"], dt.date.fromisoformat((d.get("dct_value") or d["dct"])[:10])
    articles = []
    for path in sorted((EVAL / "tls").glob("*/articles.jsonl")):
        for a in _lines(path):
            if a.get("text") and a.get("published"):
                articles.append((f"tls/{path.parent.name}/{a['id']}", a["text"], a["published"][:10]))
    if tls_limit and tls_limit < len(articles):
        keep = set(random.Random(0).sample(range(len(articles)), tls_limit))
        articles = [a for i, a in enumerate(articles) if i in keep]
    for key, text, published in articles:
        yield key, text, dt.date.fromisoformat(published)
    for path in sorted((EVAL / "peers").glob("*_en.jsonl")):
        for case in _lines(path):
            yield f"peers/{case['id']}", case["text"], dt.date.fromisoformat(case["reference"][:10])


def row(key: str, text: str, anchor: dt.date) -> tuple[str, float]:
    """The JSON line of one text and the CPU seconds `tag()` took on it."""
    from timeline.temporal import tag

    start = time.process_time()
    expressions = tag(text, anchor)
    cpu = time.process_time() - start
    found = [e.model_dump(mode="json") for e in expressions]
    return json.dumps({"id": key, "expressions": found}, ensure_ascii=False, sort_keys=True), cpu


def _rows(line: str) -> set[str]:
    return {json.dumps(e, sort_keys=True) for e in json.loads(line)["expressions"]}


def diff(old: Path, new: Path, show: int = 5) -> int:
    """Print the first `show` texts whose output differs; return how many differ."""
    before = {json.loads(line)["id"]: line for line in old.read_text(encoding="utf-8").splitlines()}
    changed = 0
    for line in new.read_text(encoding="utf-8").splitlines():
        key = json.loads(line)["id"]
        if before.get(key) == line:
            continue
        changed += 1
        if changed <= show:
            old_rows = _rows(before.get(key, '{"expressions": []}'))
            new_rows = _rows(line)
            print(f"{key}:")
            for e in sorted(old_rows - new_rows):
                print(f"  - {e}")
            for e in sorted(new_rows - old_rows):
                print(f"  + {e}")
    return changed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="where to write the JSON lines")
    parser.add_argument("--tls-limit", type=int, default=0, help="Timeline17 articles to keep (0 = all)")
    parser.add_argument("--diff", type=Path, help="an earlier snapshot to compare with")
    args = parser.parse_args(argv)
    if not EVAL.is_dir():
        print(f"benchmarks/tagger_snapshot.py: {EVAL} not found: run beside ../shared", file=sys.stderr)
        return 2
    row("warm-up", "Warm-up on Dec. 27, 2023.", dt.date(2023, 12, 28))  # rules compile once
    start = time.perf_counter()
    count, cpu = 0, 0.0
    with open(args.out, "w", encoding="utf-8") as f:
        for key, text, anchor in texts(args.tls_limit):
            line, seconds = row(key, text, anchor)
            f.write(line + "\n")
            count, cpu = count + 1, cpu + seconds
    print(f"{count} texts in {time.perf_counter() - start:.1f}s ({cpu:.1f}s of CPU in tag()) -> {args.out}")
    if args.diff is None:
        return 0
    changed = diff(args.diff, args.out)
    print(f"{changed} texts differ from {args.diff}" if changed else f"identical to {args.diff}")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
