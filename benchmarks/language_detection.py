#!/usr/bin/env python3
"""Language detection on the project's own short news paragraphs: accuracy, misreadings and speed.

    .venv/bin/python benchmarks/language_detection.py

The paragraphs (tests/fixtures/language/paragraphs_{en,es}.txt) were written for the test: short news
paragraphs in English and Spanish, some with names, figures and quotations in the other language. The
test suite asks for 98%; this prints the figure, every misreading and paragraphs per second (the
model's one-time load is timed apart).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    from timeline.sources.language import detect_language

    cases = []
    for language in ("en", "es"):
        path = ROOT / "tests" / "fixtures" / "language" / f"paragraphs_{language}.txt"
        lines = path.read_text(encoding="utf-8").splitlines()
        cases += [(language, line) for line in lines if line and not line.startswith("#")]
    start = time.perf_counter()
    detect_language("Carga del modelo, una sola vez por proceso.")
    load = time.perf_counter() - start
    start = time.perf_counter()
    found = [detect_language(text) for _, text in cases]
    rate = len(cases) / (time.perf_counter() - start)
    wrong = [(want, got, text) for (want, text), got in zip(cases, found, strict=True) if got != want]
    for want, got, text in wrong:
        print(f"  misread {want} as {got}: {text[:90]}")
    right = len(cases) - len(wrong)
    print(f"language detection: {right}/{len(cases)} ({right / len(cases):.1%}), {rate:.0f} paragraphs/s, "
          f"model load {load:.2f}s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
