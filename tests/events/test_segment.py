"""Sentence segmentation: abbreviations and dates stay inside a sentence, spans point into the text."""

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
