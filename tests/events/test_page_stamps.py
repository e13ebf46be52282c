"""Every example of `events/data/page_stamps.toml`: stamps cut, near-misses kept."""

from __future__ import annotations

import pytest

from timeline.merge.summary import lead_after_stamp, page_stamps, unstamped

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
