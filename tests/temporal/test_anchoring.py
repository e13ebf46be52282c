"""Anchoring behaviour of `tag()` that the corpus lines cannot show: order, references, inputs."""

from __future__ import annotations

import datetime as dt

import pytest

from timeline.temporal import anchor_resolution, tag

THURSDAY = dt.date(2023, 12, 28)


def _one(text: str, anchor=THURSDAY, phrase: str | None = None):
    found = tag(text, anchor)
    if phrase is not None:
        found = [e for e in found if e.text == phrase]
    assert len(found) == 1, found
    return found[0]


def test_text_relative_expressions_count_from_the_last_date_mentioned() -> None:
    text = "The strike began on March 3, 2020. The next day talks failed, and two weeks later it ended."
    assert _one(text, phrase="The next day").start == dt.date(2020, 3, 4)
    assert _one(text, phrase="two weeks later").start == dt.date(2020, 3, 18)


def test_without_a_date_before_them_they_count_from_the_anchor() -> None:
    assert _one("The next day, talks resumed.").start == dt.date(2023, 12, 29)


def test_tense_of_the_governing_verb_points_a_weekday_back_or_forward() -> None:
    assert _one("The minister said on Monday that", phrase="Monday").start == dt.date(2023, 12, 25)
    assert _one("The minister will visit on Monday", phrase="Monday").start == dt.date(2024, 1, 1)
    assert _one("Officials met Thursday", phrase="Thursday").start == THURSDAY


def test_month_names_follow_tense() -> None:
    assert _one("Exports fell in March", phrase="March").start == dt.date(2023, 3, 1)
    assert _one("Talks will resume in March", phrase="March").start == dt.date(2024, 3, 1)


def test_no_anchor_leaves_relative_expressions_unresolved() -> None:
    found = tag("Last week, on Christmas Day and on Dec. 27, 2023, nothing happened.", None)
    by_text = {e.text: e for e in found}
    assert by_text["Last week"].value == "PAST_REF" and by_text["Last week"].start is None
    assert by_text["Christmas Day"].value == "XXXX-12-25" and not by_text["Christmas Day"].anchored
    assert by_text["Dec. 27, 2023"].start == dt.date(2023, 12, 27)


def test_a_datetime_anchor_reads_as_its_utc_day() -> None:
    late = dt.datetime(2023, 12, 28, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert _one("It happened yesterday", anchor=late).start == dt.date(2023, 12, 28)


def test_anchor_resolution_uses_the_given_reference() -> None:
    e = anchor_resolution("the following week", THURSDAY, reference=dt.date(2020, 1, 8))
    assert e is not None and (e.start, e.end) == (dt.date(2020, 1, 13), dt.date(2020, 1, 19))
    assert e.text == "the following week" and e.start_char == 0


@pytest.mark.parametrize(
    "text",
    ["", "1" * 5000, "last " * 2000 + "week", "\x00\xff\xfe" * 1000, "May 5 - " * 300, "1/" * 3000],
)
def test_hostile_input_never_raises_and_slices_exactly(text: str) -> None:
    for e in tag(text, THURSDAY):
        assert text[e.start_char : e.end_char] == e.text
        assert e.start is None or e.start <= e.end


def test_output_is_sorted_and_does_not_overlap() -> None:
    text = "From Dec. 18 to Dec. 20, 2023 and last week, then next Friday at 3 p.m. and in 2024."
    found = tag(text, THURSDAY)
    assert all(a.end_char <= b.start_char for a, b in zip(found, found[1:], strict=False))


@pytest.mark.parametrize("anchor", [dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(2000, 2, 29)])
def test_calendar_edges_never_raise(anchor: dt.date) -> None:
    text = "this winter, next year, the past two decades, 3 fridays from now, Easter, Diwali, week 53, Feb 29"
    for e in tag(text, anchor):
        assert text[e.start_char : e.end_char] == e.text
        assert e.start is None or e.start <= e.end
