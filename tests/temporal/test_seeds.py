"""The issue's acceptance list on the seed articles, through the public `tag()` API."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from timeline.temporal import tag

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
MANIFEST = {a["file"][:3]: a for a in json.loads((SEEDS / "manifest.json").read_text())["articles"]}


def _article(number: str) -> tuple[str, dt.date]:
    entry = MANIFEST[number]
    return (SEEDS / entry["file"]).read_text(encoding="utf-8"), dt.date.fromisoformat(entry["published"])


def _at(number: str, phrase: str, occurrence: int = 0) -> list:
    """The expressions overlapping the n-th case-sensitive occurrence of phrase in a seed article."""
    text, published = _article(number)
    hits = [m.start() for m in re.finditer(re.escape(phrase), text)]
    lo = hits[occurrence]
    hi = lo + len(phrase)
    return [e for e in tag(text, published) if e.start_char < hi and e.end_char > lo]


def _d(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


@pytest.mark.parametrize(
    ("number", "phrase", "occurrence", "first", "last"),
    [
        ("003", "on Tuesday", 0, "2023-12-26", "2023-12-26"),
        ("004", "On Christmas Eve", 0, "2023-12-24", "2023-12-24"),
        ("004", "stated on Friday", 0, "2023-12-22", "2023-12-22"),
        ("004", "released on Friday", 0, "2023-12-22", "2023-12-22"),
        ("001", "Christmas week", 0, "2023-12-25", "2023-12-31"),
        ("003", "the first eleven months", 0, "2023-01-01", "2023-11-30"),
        ("003", "In May", 0, "2023-05-01", "2023-05-31"),
        ("001", "in January", 0, "2024-01-01", "2024-01-31"),
        ("001", "in January", 1, "2024-01-01", "2024-01-31"),
        ("000", "Last week", 0, "2023-12-18", "2023-12-24"),
        ("004", "last week", 0, "2023-12-18", "2023-12-24"),
        ("004", "last week", 1, "2023-12-18", "2023-12-24"),
        ("000", "on Wednesday", 0, "2023-12-27", "2023-12-27"),
        ("001", "Dec. 27, 2023", 0, "2023-12-27", "2023-12-27"),
        ("001", "said Thursday", 0, "2023-12-28", "2023-12-28"),
        ("002", "December 29, 2023", 0, "2023-12-29", "2023-12-29"),
        ("004", "in November", 0, "2023-11-01", "2023-11-30"),
        ("000", "Earlier this month", 0, "2023-12-01", "2023-12-27"),
        ("000", "next year", 0, "2024-01-01", "2024-12-31"),
        ("003", "This month", 0, "2023-12-01", "2023-12-31"),
        ("003", "On Monday", 0, "2023-12-25", "2023-12-25"),
    ],
)
def test_seed_expression_is_anchored(
    number: str, phrase: str, occurrence: int, first: str, last: str
) -> None:
    found = _at(number, phrase, occurrence)
    assert [(e.start, e.end) for e in found] == [(_d(first), _d(last))], found


def test_fiscal_years_2022_and_2023_are_two_fiscal_years() -> None:
    found = _at("004", "fiscal years 2022 and 2023")
    assert [(e.start, e.end) for e in found] == [
        (_d("2021-10-01"), _d("2022-09-30")),
        (_d("2022-10-01"), _d("2023-09-30")),
    ]
    assert all(e.granularity == "year" for e in found)


@pytest.mark.parametrize(
    ("number", "phrase"),
    [
        ("003", "11% of"),
        ("003", "32,000"),
        ("003", "10,000"),
        ("001", "10,000"),
        ("004", "10,000"),
        ("004", "7,000"),
    ],
)
def test_numbers_are_not_dates(number: str, phrase: str) -> None:
    assert _at(number, phrase) == []


def test_every_seed_expression_is_sorted_and_sliced_exactly() -> None:
    for number in MANIFEST:
        text, published = _article(number)
        found = tag(text, published)
        assert found, number
        for before, after in zip(found, found[1:], strict=False):
            assert before.end_char <= after.start_char
        for e in found:
            assert text[e.start_char : e.end_char] == e.text
