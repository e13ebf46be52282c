#!/usr/bin/env python3
"""`timeline build` on one very large `.txt`: refused at once by default, linear in size when allowed.

    .venv/bin/python benchmarks/big_input.py [--sizes 1,2,4,8] [--kinds words,base64,news] [--stages]

For each kind of text and each size (MB) it writes one `.txt` file and runs `timeline build FILE
--max-bytes ...` as a user would, timing the child's CPU seconds (user + system: a loaded machine
stretches wall time, not CPU time), its wall time and its peak memory, and prints the growth per
doubling (about 2x is linear). It first times the default refusal of a 50 MB file. `--stages` also
times the stages in-process (furniture removal, publication-date inference, mention extraction,
undated sentences, merge) to say where the time goes.

Kinds: `words` (sentences of random lowercase words, no dates), `base64` (random bytes in base64 lines
of 76 characters: a dump, no spaces) and `news` (Timeline17 article texts joined; needs ../shared, and
stops growing when the furniture remover cuts at a comment thread).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TLS = ROOT.parent / "shared" / "eval" / "tls"
MB = 1_000_000


def text_of(kind: str, size: int, rng: random.Random) -> str:
    """`size` characters of the given kind."""
    if kind == "words":
        vocab = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(2, 9))) for _ in range(5000)]
        parts, n = [], 0
        while n < size:
            sentence = " ".join(rng.choices(vocab, k=rng.randint(5, 25))).capitalize() + ". "
            sentence += "\n" if rng.random() < 0.1 else ""
            parts.append(sentence)
            n += len(sentence)
        return "".join(parts)[:size]
    if kind == "base64":
        raw = rng.randbytes(size * 3 // 4)
        return base64.encodebytes(raw).decode("ascii")[:size]
    if kind == "news":
        texts, n = [], 0
        for path in sorted(TLS.glob("*/articles.jsonl")):
            for line in path.open(encoding="utf-8"):
                texts.append(json.loads(line)["text"])
                n += len(texts[-1])
                if n >= size:
                    return "\n\n".join(texts)[:size]
        sys.exit(f"not enough Timeline17 text under {TLS}")
    raise SystemExit(f"unknown kind {kind!r}")


def run_build(path: Path, out: Path, max_bytes: int) -> dict[str, float]:
    """One `timeline build` child: CPU seconds, wall seconds, peak RSS (MB), exit code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "timeline", "build", str(path), "-o", str(out), "--max-bytes", str(max_bytes)],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("TIMELINE_")},
    )
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    line = (done.stderr.strip().splitlines() or [""])[-1]
    peak = after.ru_maxrss / 1024  # the largest child so far: sizes only grow
    return {"cpu": cpu, "wall": wall, "peak_mb": peak, "code": done.returncode, "line": line}


def stages(path: Path) -> str:
    """Seconds per stage, in this process (imports and the first call's set-up left out)."""
    from timeline.events import extract_mentions
    from timeline.merge import merge_mentions
    from timeline.merge.support import undated_sentences
    from timeline.models import Article
    from timeline.sources.furniture import clean_text
    from timeline.sources.pubdate import infer_published

    extract_mentions(Article(id="w", text="Talks resumed on 27 December 2023.", published="2023-12-28"))
    raw = path.read_text(encoding="utf-8")
    took: dict[str, float] = {}

    def timed(name: str, call, *args):  # noqa: ANN001, ANN202
        started = time.process_time()
        result = call(*args)
        took[name] = time.process_time() - started
        return result

    text = timed("furniture", clean_text, raw)
    timed("pubdate", infer_published, raw)
    article = Article(id="big", text=text, published="2024-01-01")
    mentions = timed("extract", extract_mentions, article)
    timed("undated", undated_sentences, article, [m.sentence_start for m in mentions])
    timed("merge", merge_mentions, mentions, [article])
    return " ".join(f"{k}={v:.1f}s" for k, v in took.items()) + f" mentions={len(mentions)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,2,4,8", help="sizes in MB, comma-separated")
    parser.add_argument("--kinds", default="words,base64", help="words, base64, news")
    parser.add_argument("--stages", action="store_true", help="also time each stage in-process")
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        dump = folder / "dump.txt"
        with dump.open("wb") as handle:
            handle.truncate(50 * MB)
        refused = run_build(dump, folder / "out.json", 10 * MB)
        print(f"default limit, 50 MB file: exit {refused['code']} in {refused['wall']:.2f} s wall, "
              f"{refused['cpu']:.2f} s CPU: {refused['line']}")  # fmt: skip
        for kind in args.kinds.split(","):
            previous = None
            for mb in sizes:
                path = folder / f"{kind}.txt"
                path.write_text(text_of(kind, int(mb * MB), random.Random(0)), encoding="utf-8")
                result = run_build(path, folder / "out.json", int(mb * MB) + MB)
                growth = f" x{result['cpu'] / previous:.2f}" if previous else ""
                print(f"{kind:7} {mb:5g} MB: {result['cpu']:7.1f} s CPU{growth:7} "
                      f"{result['wall']:7.1f} s wall peak {result['peak_mb']:6.0f} MB  {result['line'][:60]}",
                      flush=True)  # fmt: skip
                if args.stages:
                    print(f"        stages: {stages(path)}", flush=True)
                previous = result["cpu"]


if __name__ == "__main__":
    main()
