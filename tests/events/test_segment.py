"""Sentence segmentation: abbreviations and dates stay inside a sentence, spans point into the text."""

import sys
import threading
from types import FrameType
from typing import Any

from timeline.events import split_sentences
from timeline.events.segment import SentenceIndex

TEXT = (
    "Mexican President Andres Manuel Lopez Obrador met U.S. Secretary of State Antony Blinken in "
    "Mexico City, Mexico, Dec. 27, 2023. The U.S. side said talks were productive.\n"
    "\n"
    "Mr. Blinken left on Thursday. Officials will meet again in January."
)


def test_dec_27_and_us_do_not_split_a_sentence() -> None:
    sentences = [TEXT[s:e] for s, e in split_sentences(TEXT)]
    assert sentences == [
        "Mexican President Andres Manuel Lopez Obrador met U.S. Secretary of State Antony Blinken in "
        "Mexico City, Mexico, Dec. 27, 2023.",
        "The U.S. side said talks were productive.",
        "Mr. Blinken left on Thursday.",
        "Officials will meet again in January.",
    ]


def test_sentences_never_cross_a_line_break() -> None:
    text = "Headline without a full stop\nThe body starts here. It goes on."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Headline without a full stop",
        "The body starts here.",
        "It goes on.",
    ]


def test_sentence_at_finds_the_sentence_around_an_offset() -> None:
    index = SentenceIndex(TEXT)
    offset = TEXT.index("Thursday")
    start, end = index.sentence_at(offset)
    assert TEXT[start:end] == "Mr. Blinken left on Thursday."
    offset = TEXT.index("Dec. 27")
    start, end = index.sentence_at(offset)
    assert TEXT[start:end].endswith("Dec. 27, 2023.")


def test_empty_and_blank_texts_have_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences("\n \n") == []


def test_a_long_paragraph_is_cut_at_safe_boundaries_only() -> None:
    sentence = "Officials met the U.S. envoy on Dec. 27 in the capital and talked about migration policies. "
    text = sentence * 60  # one line of about 5,500 characters
    spans = split_sentences(text)
    assert len(spans) == 60
    assert all(text[s:e] == sentence.strip() for s, e in spans)


def test_two_threads_splitting_at_once_each_get_their_own_sentences() -> None:
    # The daemon's polls extract in threads. One thread is held inside pysbd's processing (a trace
    # hook on that thread alone) while the other splits a whole paragraph, so the two calls overlap
    # the same way every run: a segmenter shared between them answered the held call with nothing.
    held = "Talks began on Dec. 27 in Mexico City. Officials met for hours. The U.S. side agreed."
    other = "The bridge at Eagle Pass closed on Nov. 27. It reopened later. Traders counted losses."
    alone = (split_sentences(held), split_sentences(other))
    assert [len(spans) for spans in alone] == [3, 3]
    inside, other_done = threading.Event(), threading.Event()

    def hold_inside_pysbd(frame: FrameType, event: str, arg: Any) -> None:
        in_pysbd = frame.f_globals.get("__name__", "").startswith("pysbd.")
        if event == "call" and in_pysbd and frame.f_code.co_name == "process" and not inside.is_set():
            inside.set()
            other_done.wait(30)

    got: dict[str, list[tuple[int, int]]] = {}

    def split_held() -> None:
        sys.settrace(hold_inside_pysbd)
        try:
            got["held"] = split_sentences(held)
        finally:
            sys.settrace(None)

    thread = threading.Thread(target=split_held)
    thread.start()
    try:
        assert inside.wait(30), "the held split never reached pysbd's processing"
        got["other"] = split_sentences(other)
    finally:
        other_done.set()
        thread.join(30)
    assert (got["held"], got["other"]) == alone
