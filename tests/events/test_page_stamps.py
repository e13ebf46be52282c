"""Every example of `events/data/page_stamps.toml` and `datelines.toml`: stamps and datelines cut,
near-misses kept."""

from __future__ import annotations

import pytest

from timeline.merge.summary import datelines, lead_after_stamp, page_stamps, undatelined, unstamped

CUT = [(case["text"], case["result"]) for case in page_stamps()["cut"]]


@pytest.mark.parametrize(("text", "result"), CUT)
def test_a_page_stamp_glued_into_a_sentence_is_cut(text: str, result: str) -> None:
    assert unstamped(text) == result


@pytest.mark.parametrize("text", page_stamps()["keep"])
def test_a_date_that_is_no_page_stamp_stays(text: str) -> None:
    assert unstamped(text) == text


@pytest.mark.parametrize(("text", "lead"), [(case["text"], case["lead"]) for case in page_stamps()["lead"]])
def test_the_lead_after_a_glued_stamp_is_found_when_it_is_a_statement(text: str, lead: str) -> None:
    split = lead_after_stamp(text)
    assert (split[1] if split else "") == lead


@pytest.mark.parametrize(("text", "result"), [(case["text"], case["result"]) for case in datelines()["cut"]])
def test_a_title_starts_after_a_wire_dateline(text: str, result: str) -> None:
    assert undatelined(text) == result


@pytest.mark.parametrize("text", datelines()["keep"])
def test_a_dash_that_follows_no_dateline_stays(text: str) -> None:
    assert undatelined(text) == text
