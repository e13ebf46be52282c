#!/usr/bin/env python3
"""Spanish tagging throughput against dateparser.search_dates(languages=["es"]) on the same texts.

`benchmarks/tagger.py` prints this after its English figures; it also runs alone:

    .venv/bin/python benchmarks/tagger_es.py              # a 300-text sample
    .venv/bin/python benchmarks/tagger_es.py --limit 0    # every text

The texts are the Spanish peer suites' cases (../shared/eval/peers/*_es.jsonl, each with its own
reference date) and the project's own Spanish news paragraphs (tests/fixtures/language), ten to a
document. Both taggers run over the whole sample in turn, in alternating rounds, each one's best counts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
Text = tuple[str, dt.date]


def spanish_texts() -> list[Text]:
    """Spanish texts with the date each is anchored to."""
    texts: list[Text] = []
    for name in ("recognizers_es", "duckling_es"):
        path = SHARED / "eval" / "peers" / f"{name}.jsonl"
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    case = json.loads(line)
                    texts.append((case["text"], dt.date.fromisoformat(case["reference"][:10])))
    own = ROOT / "tests" / "fixtures" / "language" / "paragraphs_es.txt"
    paragraphs = [p for p in own.read_text(encoding="utf-8").splitlines() if p and not p.startswith("#")]
    for start in range(0, len(paragraphs), 10):
        texts.append(("\n".join(paragraphs[start : start + 10]), dt.date(2023, 12, 28)))
    return texts


def _ours() -> Callable[[str, dt.date], int]:
    from timeline.temporal import tag

    return lambda text, anchor: len(tag(text, anchor, language="es"))


def _dateparser() -> Callable[[str, dt.date], int]:
    from dateparser.search import search_dates

    def run(text: str, anchor: dt.date) -> int:
        settings = {"RELATIVE_BASE": dt.datetime(anchor.year, anchor.month, anchor.day)}
        try:
            return len(search_dates(text, languages=["es"], settings=settings) or [])
        except Exception:  # noqa: BLE001 - a crash counts as finding nothing, as a caller would see it
            return 0

    return run


def _rate(tagger: Callable[[str, dt.date], int], texts: list[Text]) -> float:
    start = time.perf_counter()
    for text, anchor in texts:
        tagger(text, anchor)
    elapsed = time.perf_counter() - start
    return len(texts) / elapsed if elapsed else float("inf")


def spanish_throughput(limit: int = 300, rounds: int = 3) -> float:
    """Print texts per second of ours and of dateparser on the same Spanish sample; return the ratio."""
    texts = spanish_texts()
    if 0 < limit < len(texts):
        texts = random.Random(0).sample(texts, limit)
    taggers = (_ours(), _dateparser())
    for tagger in taggers:
        tagger("Se reunieron el 27 de diciembre de 2023.", dt.date(2023, 12, 28))  # imports, first call
    best = [0.0, 0.0]
    for r in range(rounds):
        for index in (0, 1) if r % 2 == 0 else (1, 0):
            best[index] = max(best[index], _rate(taggers[index], texts))
    ratio = best[0] / best[1] if best[1] else float("inf")
    print(
        f"spanish: {len(texts)} texts, ours {best[0]:.1f} text/s, dateparser.search_dates(languages=['es']) "
        f"{best[1]:.1f} text/s, {ratio:.1f}x ({'meets' if ratio >= 10 else 'MISSES'} the 10x bar)"
    )
    return ratio


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=300, help="texts in the sample (0 = all)")
    args = parser.parse_args(argv)
    spanish_throughput(args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
