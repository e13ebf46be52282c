"""The engine's compose phase (atom, wrap and pair rules; their example phrases are corpus lines): what it
promises for any input, and that it leaves its own output as it is."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.temporal import tag
from timeline.temporal.compose import compose
from timeline.temporal.grammar import grammar

_REFERENCE = dt.date(2024, 3, 13)


@pytest.mark.parametrize(
    "phrase",
    [
        "3/4-3/9/2021",
        "the second sunday of may 2021",
        "Jun 7 1440-1825",
        "christmas of last year",
        "from 3 to 9 June 2021",
        "the next three days",
        "We meet next Friday 6/7 to sign.",
        "Monday 4 March 2024 - Thursday",
    ],
)
def test_compose_leaves_its_own_output_as_it_is(phrase: str) -> None:
    found = tag(phrase, _REFERENCE)
    assert found
    assert compose(phrase, _REFERENCE, found, grammar()) == found


def test_range_ends_carry_the_whole_range() -> None:
    text = "Prices rose from 2001 to 2004, the report said."
    found = tag(text, dt.date(2024, 3, 13))
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
    added = [e for e in tag(text, anchor) if (e.start_char, e.end_char, e.value) not in before]
    assert not [e for e in added if any(ch.isdigit() for ch in e.text)], added


_PIECES = list("0123456789./- ,") + ["May", " to ", "Friday", "next ", "week", " of ", "last ", "the "]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_output_is_sorted_disjoint_and_slices_the_text(text: str) -> None:
    found = tag(text, dt.date(2024, 3, 13))
    last = 0
    for e in found:
        assert e.start_char >= last
        assert text[e.start_char : e.end_char] == e.text
        assert e.start is None or e.end is None or e.start <= e.end
        last = e.end_char


def test_long_junk_returns_quickly() -> None:
    text = ("12.5. on 3.4 Friday 7/8 between 2001 and last week of " * 4000)[:200_000]
    found = tag(text, dt.date(2024, 3, 13))
    assert all(text[e.start_char : e.end_char] == e.text for e in found)


def test_compose_without_anchor_never_raises() -> None:
    assert compose("", None, [], grammar()) == []
    assert isinstance(tag("the 20th of next month, 2015-3-3", None), list)
