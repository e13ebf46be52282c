"""Properties of `tag()` over any input: exact offsets, ordered intervals, determinism, no exceptions.

Timing claims live in benchmarks/; the robustness cases here only insist that pathological inputs
come back, with sane output, within the ordinary test run.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.models import TimeExpression
from timeline.temporal import tag

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ANCHOR = dt.date(2023, 12, 28)

# Words that steer generated text into the tagger's rules rather than past them.
VOCABULARY = [
    "last",
    "next",
    "this",
    "the",
    "of",
    "on",
    "in",
    "by",
    "until",
    "since",
    "ago",
    "later",
    "earlier",
    "early",
    "late",
    "mid",
    "end",
    "first",
    "eleven",
    "two",
    "a",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "day",
    "days",
    "quarter",
    "fiscal",
    "Christmas",
    "Eve",
    "Easter",
    "Thanksgiving",
    "today",
    "yesterday",
    "tomorrow",
    "tonight",
    "Monday",
    "Friday",
    "January",
    "May",
    "Dec.",
    "December",
    "spring",
    "1990s",
    "2023",
    "2024",
    "27",
    "12/27/2023",
    "2023-12-27",
    "11%",
    "32,000",
    "Section",
    "said",
    "will",
    "meet",
    "-",
    ",",
    ".",
    "'s",
    "\n",
    "  ",
    "Q4",
    "H1",
    "FY2023",
    "1st",
    "mid-2023",
]
words = st.sampled_from(VOCABULARY) | st.text(min_size=1, max_size=6)
texts = st.lists(words, max_size=40).map(" ".join) | st.text(max_size=200)
anchors = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


def check(text: str, expressions: list[TimeExpression]) -> None:
    """The invariants every tagging result must keep, whatever the input."""
    assert isinstance(expressions, list)
    for e in expressions:
        assert isinstance(e, TimeExpression)
        assert 0 <= e.start_char < e.end_char <= len(text)
        assert text[e.start_char : e.end_char] == e.text
        assert e.value
        if e.start is not None and e.end is not None:
            assert e.start <= e.end
        if e.type in ("DURATION", "SET"):
            continue
        assert (e.start is None) == (e.end is None)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, anchor=anchors)
def test_any_text_tags_to_exact_sane_expressions(text, anchor):
    check(text, tag(text, anchor))


# Texts that once raised from inside the engine (handler errors are no longer swallowed).
@pytest.mark.parametrize(
    ("text", "anchor"),
    [
        ("late The winter", dt.date(2023, 12, 28)),  # a capitalised "the" after a modifier
        ("on 12. and 3.", ANCHOR),  # a dotted day with no month
        ("last winter", dt.date(2011, 1, 15)),  # the winter named is the current one
        ("First Day of Ramadan", dt.date(1800, 6, 1)),  # a lunar holiday outside its calendar's years
    ],
)
def test_texts_that_once_raised(text: str, anchor: dt.date) -> None:
    check(text, tag(text, anchor))


@settings(max_examples=60, deadline=None)
@given(text=texts, anchor=anchors)
def test_tagging_is_deterministic(text, anchor):
    assert tag(text, anchor) == tag(text, anchor)


@settings(max_examples=40, deadline=None)
@given(prefix=st.text(max_size=30), suffix=st.text(max_size=30))
def test_an_explicit_date_survives_any_surroundings(prefix, suffix):
    text = f"{prefix} on December 27, 2023 {suffix}"
    expressions = tag(text, ANCHOR)
    check(text, expressions)
    at = len(prefix) + len(" on ")
    covering = [e for e in expressions if e.start_char <= at < e.end_char]
    assert any(e.start == dt.date(2023, 12, 27) for e in covering), covering


def _prose(size: int) -> str:
    chunks, total = [], 0
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    while total < size:
        for seed in seeds:
            chunks.append(seed)
            total += len(seed) + 2
    return "\n\n".join(chunks)[:size]


ROBUSTNESS = {
    "empty": lambda: "",
    "whitespace": lambda: " \n\t\r\n  ",
    "2 MB of prose": lambda: _prose(2_000_000),
    "binary junk as latin-1": lambda: random.Random(7).randbytes(300_000).decode("latin-1"),
    "100,000 digits": lambda: "7" * 100_000,
    "digits with separators": lambda: "1/2/3-4.5," * 20_000,
    "last last ... week": lambda: "last " * 10_000 + "week",
    "next of next ...": lambda: "the week before the week after " * 5_000 + "Monday",
    "one long word": lambda: "December" * 50_000,
    "lone surrogates and controls": lambda: "\ud800\x00\x1b[31m Dec\u200b 27\ufeff, 2023 \udfff",
}


@pytest.mark.parametrize("name", list(ROBUSTNESS))
def test_pathological_input_returns_sane_output(name):
    text = ROBUSTNESS[name]()
    expressions = tag(text, ANCHOR)
    check(text, expressions)
    assert tag(text[:20_000], ANCHOR) == tag(text[:20_000], ANCHOR)
    if name == "last last ... week":
        assert expressions and expressions[-1].end_char == len(text)
    if not text.strip():
        assert expressions == []


def test_prose_tags_the_same_in_pieces_as_whole():
    """Tagging is local: a paragraph tagged alone gives the expressions it gives inside a longer text."""
    seed = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8")
    alone = {(e.text, e.value) for e in tag(seed, ANCHOR)}
    doubled = tag(seed + "\n\n" + seed, ANCHOR)
    assert {(e.text, e.value) for e in doubled if e.start_char < len(seed)} == alone


SPANISH = [
    "el",
    "la",
    "de",
    "en",
    "lunes",
    "miércoles",
    "próximo",
    "pasado",
    "semana",
    "mes",
    "año",
    "ayer",
    "hoy",
    "mañana",
    "esta",
    "hace",
    "3",
    "días",
    "27",
    "diciembre",
    "mayo",
    "2023",
    "11%",
    "7.000",
    "será",
    "llegaron",
    ",",
    ".",
    "\n",
    "a las 17:00",
    "27/12/2023",
]
spanish_texts = st.lists(st.sampled_from(SPANISH) | st.text(max_size=4), max_size=25).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=spanish_texts, anchor=anchors | st.none())
def test_the_foreign_fallback_keeps_the_same_invariants(text, anchor):
    expressions = tag(text, anchor, language="es")
    check(text, expressions)
    assert all(a.end_char <= b.start_char for a, b in zip(expressions, expressions[1:], strict=False))
    assert tag(text, anchor, language="es") == expressions


@pytest.mark.parametrize("name", ["binary junk as latin-1", "100,000 digits", "last last ... week"])
def test_pathological_input_through_the_foreign_fallback(name):
    text = ROBUSTNESS[name]()[:60_000]
    check(text, tag(text, ANCHOR, language="es"))
