#!/usr/bin/env python3
"""Time `timeline build` on every Timeline17 development topic together, then on four times that corpus.

    .venv/bin/python benchmarks/build.py            # from the project root; needs ../shared/eval/tls

Each run is a real `timeline build` subprocess (the same command users run); its wall time and its
peak resident memory (getrusage of the child) are printed with articles per second. The 4x corpus
repeats every article four times under shifted ids, so the merge sees four times the mentions on the
same days: the hardest case for blocking. Targets: under 60 s and under 1 GB for 1x, about 4x the
time for 4x (linear growth).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TLS = ROOT.parent / "shared" / "eval" / "tls"
TIMELINE = [str(Path(sys.executable).with_name("timeline"))]


def run(paths: list[Path], out: Path) -> tuple[float, float]:
    """Run `timeline build` once; return (seconds, peak resident MB of that child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    command = [*TIMELINE, "build", *map(str, paths), "-o", str(out)]
    proc = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"timeline build failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far (KB on Linux): runs go smallest first
    return elapsed, max(peak, before) / 1024


def multiply(sources: list[Path], factor: int, into: Path) -> int:
    """Write `factor` copies of every article (ids shifted by copy) into one JSON Lines file."""
    count = 0
    with into.open("w", encoding="utf-8") as out:
        for copy in range(factor):
            for source in sources:
                for line in source.open(encoding="utf-8"):
                    if line.strip():
                        article = json.loads(line)
                        article["id"] = f"{article['id']}#{copy}"
                        out.write(json.dumps(article) + "\n")
                        count += 1
    return count


def main() -> None:
    sources = sorted(TLS.glob("*/articles.jsonl"))
    if not sources:
        sys.exit(f"no articles under {TLS}")
    n = sum(1 for s in sources for line in s.open(encoding="utf-8") if line.strip())
    print(f"timeline build on {len(sources)} Timeline17 topics, {n} articles, {os.cpu_count()} cores")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "timeline.json"
        seconds, mb = run(sources, out)
        events = len(json.loads(out.read_text())["events"])
        rows.append((1, n, seconds, mb, events))
        big = Path(tmp) / "x4.jsonl"
        n4 = multiply(sources, 4, big)
        seconds, mb = run([big], out)
        events = len(json.loads(out.read_text())["events"])
        rows.append((4, n4, seconds, mb, events))
    print(f"{'corpus':>6} {'articles':>9} {'seconds':>8} {'articles/s':>10} {'peak MB':>8} {'events':>7}")
    for factor, count, seconds, mb, events in rows:
        print(f"{factor:>5}x {count:>9} {seconds:>8.1f} {count / seconds:>10.0f} {mb:>8.0f} {events:>7}")
    growth = rows[1][2] / rows[0][2]
    print(f"4x corpus took {growth:.2f}x the time (linear = 4.00)")
    ok = rows[0][2] < 60 and rows[0][3] < 1024
    print("targets (1x under 60 s and 1 GB):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
