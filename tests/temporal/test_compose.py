"""compose.toml's example phrases, each anchored through tag() then refine() against the file's reference
date (Duckling corpus style), plus the properties refine promises for any input."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.temporal import tag
from timeline.temporal.compose import grammar, refine

_G = grammar()
_CASES = [
    pytest.param(phrase, want, id=f"{rule.name}:{phrase}")
    for rules in (_G.atoms, _G.wraps, _G.pairs)
    for rule in rules
    for phrase, want in rule.examples
]


def _refined(text: str, anchor: dt.date | None) -> list:
    return refine(text, anchor, tag(text, anchor))


@pytest.mark.parametrize(("phrase", "want"), _CASES)
def test_example_anchors_to_its_interval(phrase: str, want: str) -> None:
    found = _refined(phrase, _G.reference)
    assert found, f"nothing found in {phrase!r}"
    longest = max(found, key=lambda e: e.end_char - e.start_char)
    assert f"{longest.start}..{longest.end}" == want
    # once tag() runs refine itself, refine meets its own output: it must leave it as it is
    assert refine(phrase, _G.reference, found) == found


def test_every_rule_has_examples() -> None:
    for rules in (_G.atoms, _G.wraps, _G.pairs):
        for rule in rules:
            assert rule.examples, rule.name


def test_range_ends_carry_the_whole_range() -> None:
    text = "Prices rose from 2001 to 2004, the report said."
    found = _refined(text, dt.date(2024, 3, 13))
    lo, hi = text.index("2001"), text.index("2004") + 4
    ends = [e for e in found if e.start_char < hi and e.end_char > lo]
    assert ends
    assert all((e.start, e.end) == (dt.date(2001, 1, 1), dt.date(2004, 12, 31)) for e in ends)


@pytest.mark.parametrize(
    "text",
    [
        "Unemployment rose to 3.8. Inflation was 4.1 in May.",
        "The shares rose 7/8 Thursday.",
        "Section 2024-10 of the code",
        "the 2011-12 season",
    ],
)
def test_numbers_that_are_not_dates_stay_untagged(text: str) -> None:
    anchor = dt.date(2024, 3, 13)
    before = {(e.start_char, e.end_char, e.value) for e in tag(text, anchor)}
    added = [e for e in _refined(text, anchor) if (e.start_char, e.end_char, e.value) not in before]
    assert not [e for e in added if any(ch.isdigit() for ch in e.text)], added


_PIECES = list("0123456789./- ,") + ["May", " to ", "Friday", "next ", "week", " of ", "last ", "the "]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_output_is_sorted_disjoint_and_slices_the_text(text: str) -> None:
    found = _refined(text, dt.date(2024, 3, 13))
    last = 0
    for e in found:
        assert e.start_char >= last
        assert text[e.start_char : e.end_char] == e.text
        assert e.start is None or e.end is None or e.start <= e.end
        last = e.end_char


def test_long_junk_returns_quickly() -> None:
    text = ("12.5. on 3.4 Friday 7/8 between 2001 and last week of " * 4000)[:200_000]
    found = _refined(text, dt.date(2024, 3, 13))
    assert all(text[e.start_char : e.end_char] == e.text for e in found)


def test_refine_without_anchor_never_raises() -> None:
    assert refine("", None, []) == []
    assert isinstance(_refined("the 20th of next month, 2015-3-3", None), list)
