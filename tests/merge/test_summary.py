"""An event's summary: the sentence that reports the happening, not a columnist's or eyewitness's voice."""

from __future__ import annotations

import datetime as dt

import pytest

from timeline.merge.summary import first_person, pick_summary
from timeline.merge.text import TfIdf, content_terms
from timeline.models import EventSource

DAY = dt.date(2005, 11, 14)


@pytest.mark.parametrize(
    "sentence",
    [
        "I boarded an aircraft at 1am in Basra and landed in the UK at 8.30 am.",
        "We are told by industry apologists that we should be grateful to the banks.",
        "On Thursday night, Trudeau and I had an email exchange.",
        "Nuestro país vive la peor crisis de su historia.",
    ],
)
def test_a_sentence_speaking_as_i_or_we_is_first_person(sentence: str) -> None:
    assert first_person(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The US said on Monday it would send more troops to Basra.",  # "US" is no "us"
        'The soldier said: "We were ambushed at dawn."',  # a quotation reports someone
        "British troops left Basra on Monday, the ministry said.",
    ],
)
def test_a_report_or_a_quotation_is_not(sentence: str) -> None:
    assert not first_person(sentence)


def test_the_summary_prefers_the_report_to_the_column() -> None:
    column = "I boarded an aircraft in Basra as the British troops began to leave the city on Monday."
    report = "British troops began to leave the city of Basra on Monday, the Ministry of Defence said."
    sources = [
        EventSource(article_id=aid, sentence=s, expression="Monday", start=DAY, end=DAY)
        for aid, s in (("a", column), ("b", report))
    ]
    terms = [content_terms(s.sentence) for s in sources]
    tfidf = TfIdf(terms)
    centroid: dict[str, float] = {}
    for t in terms:
        for term, w in tfidf.vector(t).items():
            centroid[term] = centroid.get(term, 0.0) + w
    assert pick_summary(sources, DAY, DAY, centroid, tfidf, {"a": DAY, "b": DAY}) == report
