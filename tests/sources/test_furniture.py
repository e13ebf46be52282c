"""Every furniture pattern's own examples: what it must remove, the near-misses it must keep."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.sources import clean_text
from timeline.sources.furniture import furniture_table

ENTRIES = furniture_table()["entry"]
CASES = (
    [
        pytest.param(text, "", id=f"{entry['name']}-remove-{n}")
        for entry in ENTRIES
        for n, text in enumerate(entry.get("remove", []))
    ]
    + [
        pytest.param(text, text, id=f"{entry['name']}-keep-{n}")
        for entry in ENTRIES
        for n, text in enumerate(entry.get("keep", []))
    ]
    + [
        pytest.param(case["text"], case["result"], id=f"{entry['name']}-clean-{n}")
        for entry in ENTRIES
        for n, case in enumerate(entry.get("clean", []))
    ]
)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_furniture_examples(text, expected):
    assert clean_text(text) == expected


def test_every_entry_has_examples_both_ways():
    for entry in ENTRIES:
        assert entry.get("remove") or entry.get("clean"), entry["name"]
        assert entry.get("keep"), entry["name"]


def test_story_paragraphs_survive_around_furniture():
    page = (
        "Share this article\n\n"
        "The bridge reopened on Monday after five days.\n\n"
        "Image: AFP/Jane Roe\n"
        "Officials said traffic was back to normal.\n\n"
        "Related Articles\n\nBridge closure hits trade\nTruckers stranded at border\n\n"
        "Leave a Comment\n"
    )
    assert clean_text(page) == (
        "The bridge reopened on Monday after five days.\n\nOfficials said traffic was back to normal."
    )


def test_the_reader_comment_thread_goes_with_its_first_header():
    page = (
        "The bridge reopened on Monday after five days.\n"
        "Officials said traffic was back to normal.\n"
        "March 31, 2011 at 11:35 am | Reply Great news.\n"
        "It closed on Saturday last year too, remember?\n"
        "Posted by: Ann | April 1, 2011 9:02 AM | Report abuse They should build another one.\n"
    )
    # The comments' own days ("on Saturday last year") are not the story's: nothing after the first
    # comment header is kept, whatever it looks like.
    assert clean_text(page) == (
        "The bridge reopened on Monday after five days.\nOfficials said traffic was back to normal."
    )


def test_a_comment_header_inside_the_story_text_is_not_mistaken_for_one():
    story = "The vote on January 28, 2011 at 11 am was delayed | officials said.\nA second vote is due."
    assert clean_text(story) == story


def test_a_repeated_block_keeps_its_first_occurrence_and_short_lines_may_repeat():
    block = "The caravan left the southern city on Sunday morning.\nIt numbered about 7,000 people."
    other = "The talks ended in the capital later that day."
    text = f'{block}\n"Yes," she said.\n{other}\n{block}\n"Yes," she said.'
    assert clean_text(text) == (f'{block}\n"Yes," she said.\n{other}\n"Yes," she said.')


def test_whitespace_is_normalised_and_blank_runs_collapse():
    assert clean_text("  One  line.\r\n\r\n\r\n\tTwo\u00a0lines. \n\n") == "One line.\n\nTwo lines."


STORY = ["The talks ended on Wednesday.", "Officials said the port reopened after five days of closure."]
EXAMPLES = [t for e in ENTRIES for t in e.get("remove", []) + e.get("keep", [])]
POOL = EXAMPLES + STORY + ["Strike hits exports", ""]
# Lines that open a reader-comment thread: nothing after them is the story.
THREAD_STARTS = {t for e in ENTRIES if e.get("ends_story") for t in e["remove"]}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(POOL), max_size=12))
def test_cleaning_is_idempotent_and_keeps_story_sentences(lines):
    text = "\n".join(lines)
    once = clean_text(text)
    assert clean_text(once) == once
    story = list(itertools.takewhile(lambda line: line not in THREAD_STARTS, lines))
    for sentence in STORY:
        assert (sentence in once) == (sentence in story)


LIVE_BLOG = furniture_table()["live_blog"]


@pytest.mark.parametrize("case", LIVE_BLOG["clean"], ids=lambda c: c["text"][:20])
def test_a_live_blog_loses_its_clock_stamps(case):
    assert clean_text(case["text"]) == case["result"]


@pytest.mark.parametrize("text", LIVE_BLOG["keep"], ids=lambda t: t[:20])
def test_a_chronology_or_a_lone_stamp_keeps_its_numbers(text):
    assert clean_text(text) == text
