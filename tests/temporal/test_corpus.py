"""Run every example phrase of each language's grammar (timeline/temporal/data/<code>/corpus.txt) through
`tag()`, and check that every rule of the grammar reads at least one of them. In a language whose rules
state TimeML extents ([extent]), the {braces} (or the whole line) are the expression's exact span."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from timeline.temporal import tag
from timeline.temporal.engine import run
from timeline.temporal.grammar import grammar
from timeline.temporal.lexicon import languages

DATA = Path(__file__).resolve().parents[2] / "timeline" / "temporal" / "data"
LANGUAGES = sorted(languages())


def _lines(language: str) -> list[tuple[int, str, dt.date | None]]:
    """(line number, example line, its reference date) for every example of a language's corpus."""
    out = []
    reference = None
    for number, line in enumerate(
        (DATA / language / "corpus.txt").read_text(encoding="utf-8").splitlines(), 1
    ):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@reference"):
            reference = dt.date.fromisoformat(line.split()[1])
            continue
        out.append((number, line, reference))
    return out


def _cases() -> list[pytest.param]:
    cases = []
    for language in LANGUAGES:
        for number, line, reference in _lines(language):
            fields = [f.strip() for f in line.split("|")]
            text, value, interval = fields[:3]
            kind = fields[3] if len(fields) > 3 else "DATE"
            case = (language, text, reference, value, interval, kind)
            cases.append(pytest.param(*case, id=f"{language}:{number}:{text[:40]}"))
    return cases


@pytest.mark.parametrize(("language", "marked", "reference", "value", "interval", "kind"), _cases())
def test_corpus_phrase(
    language: str, marked: str, reference: dt.date, value: str, interval: str, kind: str
) -> None:
    braces = re.search(r"\{(.+?)\}", marked)
    text = marked.replace("{", "").replace("}", "")
    lo, hi = (braces.start(), braces.end() - 2) if braces else (0, len(text))
    found = [e for e in tag(text, reference, language=language) if e.start_char < hi and e.end_char > lo]
    if kind == "NONE":
        assert found == [], f"{text!r}: expected no expression, got {found}"
        return
    assert len(found) == 1, f"{text!r}: expected one expression over {text[lo:hi]!r}, got {found}"
    e = found[0]
    if grammar(language).extent:  # a language that states its TimeML extents (rules.toml [extent])
        assert (e.start_char, e.end_char) == (lo, hi), f"{text!r}: extent {text[lo:hi]!r}, got {e.text!r}"
    assert (e.type, e.value) == (kind, value), f"{text!r}: {e}"
    if interval == "-":
        assert e.start is None and e.end is None, f"{text!r}: {e}"
    else:
        first, last = interval.split("..")
        assert (e.start, e.end) == (dt.date.fromisoformat(first), dt.date.fromisoformat(last)), (
            f"{text!r}: {e}"
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_rule_reads_an_example(language: str) -> None:
    read: set[str] = set()
    for _, line, reference in _lines(language):
        text = line.split("|")[0].replace("{", "").replace("}", "").strip()
        run(text, reference, language, trace=read)
    unread = sorted(rule.name for rule in grammar(language).all_rules() if rule.name not in read)
    assert not unread, f"rules no corpus line exercises: {unread}"
