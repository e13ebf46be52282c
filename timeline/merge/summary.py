"""An event's summary: the one sentence among its sources that best tells the happening.

Centroid summarisation (Radev et al. 2004), the method TLS systems build on: the sentence most like what
all the event's sources say, so a passing remark or a quote about something else loses to the sentence
that states the happening. Two priors from how news is written: a sentence from an article published
before the event's day is a preview, not the event; a longer sentence (up to `max_words`) says more of
the happening than a short one. Supporting (undated) sentences compete too. The weights were chosen on
the Timeline17 development topics by re-picking the summaries of built timelines against the
journalists' (unigram F1 on the gold days), then checked with the field's ROUGE
(`../shared/eval/score_tls_rouge.py`): penalties for quotes, passing mentions and late articles
gained nothing on either and were left out. A sentence in the first person outside quotes (a column, a
live blog, an eyewitness) is penalised like a preview: it moved few figures, but a reader wants the report.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from timeline.events.lexicon import DATA, words
from timeline.merge.text import TfIdf, Vector, content_terms, dot, norm
from timeline.models import Event, EventSource

MIN_STATEMENT_WORDS = 8
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|«[^»]*»")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"\w+(?:'\w+)?")


@dataclass(frozen=True)
class SummaryWeights:
    """How much each property of a sentence counts toward being the event's summary."""

    centrality: float = 4.0
    preview: float = 0.6
    # a columnist's or eyewitness's "I"/"we" outside quotes (`events/data/first_person.txt`)
    first_person: float = 0.6
    length: float = 0.4
    max_words: int = 60


def summary_score(
    sentence: str,
    published: dt.date | None,
    start: dt.date,
    centroid: Vector,
    tfidf: TfIdf,
    weights: SummaryWeights,
    size: float | None = None,
) -> float:
    """How well one sentence tells an event: centrality, minus a preview's penalty, plus length.

    `size` is the centroid's length when the caller scores many sentences against one centroid."""
    if size is None:
        size = norm(centroid) or 1.0
    score = weights.centrality * dot(tfidf.vector(content_terms(sentence)), centroid) / size
    if published is not None and published < start:
        score -= weights.preview
    if first_person(sentence):
        score -= weights.first_person
    n_words = len(sentence.split())
    return score + weights.length * math.log(max(1, min(n_words, weights.max_words)))


def pick_summary(
    sources: Sequence[EventSource],
    start: dt.date,
    end: dt.date,
    centroid: Vector,
    tfidf: TfIdf,
    published: Mapping[str, dt.date],
    weights: SummaryWeights | None = None,
) -> str | None:
    """The best summary sentence among the sources (the first listed wins a tie), or None if none."""
    weights = weights or SummaryWeights()
    size = norm(centroid) or 1.0
    best: tuple[bool, float, str] | None = None
    seen: set[str] = set()
    for source in sources:
        # a source that dates the happening elsewhere (a conflict) does not speak for it
        if source.sentence in seen or not _agrees(source, start, end):
            continue
        seen.add(source.sentence)
        score = summary_score(
            source.sentence, published.get(source.article_id), start, centroid, tfidf, weights, size
        )
        key = (is_statement(source.sentence), score, source.sentence)
        if best is None or key[:2] > best[:2]:
            best = key
    return unstamped(best[2]) if best else None


def with_support_and_summary(
    event: Event,
    support: Sequence[EventSource],
    centroid: Vector,
    tfidf: TfIdf,
    published: Mapping[str, dt.date],
) -> Event:
    """The event as batch and online merging both finish it: supporting sources added after its dated
    ones, then its summary chosen among them all."""
    if support:
        event = event.model_copy(update={"sources": [*event.sources, *support]})
    return summarized(event, centroid, tfidf, published)


def summarized(
    event: Event,
    centroid: Vector,
    tfidf: TfIdf,
    published: Mapping[str, dt.date],
    weights: SummaryWeights | None = None,
) -> Event:
    """The event with its summary chosen among all its sources, supporting ones included."""
    summary = pick_summary(event.sources, event.start, event.end, centroid, tfidf, published, weights)
    if summary is None or summary == event.summary:
        return event
    return event.model_copy(update={"summary": summary})


def is_statement(sentence: str) -> bool:
    """Whether a sentence says something: enough words outside brackets ("(Update 6:13 p.m. Cairo, 11:14
    a.m. ET)", a stamp, says nothing)."""
    return len(_BRACKETED.sub(" ", sentence).split()) >= MIN_STATEMENT_WORDS


@functools.cache
def _first_person_words() -> frozenset[str]:
    return words("first_person.txt", "es")  # English and Spanish: a source's language is not at hand


def first_person(sentence: str) -> bool:
    """Whether a sentence speaks as "I" or "we" outside its quotations ("We", not "US")."""
    table = _first_person_words()
    for token in _WORD.findall(_QUOTED.sub(" ", sentence)):
        if token in table or (token.istitle() and token.lower() in table):
            return True
    return False


@functools.cache
def _data(name: str) -> dict[str, Any]:
    with (DATA / name).open("rb") as handle:
        return tomllib.load(handle)


def page_stamps() -> dict[str, Any]:
    """The page-stamp pattern and its examples (`events/data/page_stamps.toml`)."""
    return _data("page_stamps.toml")


@functools.cache
def _page_stamp() -> re.Pattern[str]:
    return re.compile(page_stamps()["pattern"], re.IGNORECASE)


def unstamped(text: str) -> str:
    """A sentence as a reader is shown it: without the page's time stamp a flattened page glued into it
    ("... uncertain future Friday 16 July 2010 19.11 BST Oil floats ...", `events/data/page_stamps.toml`).
    Between two runs of words the stamp stood where the page's headline ended and its lead began: it
    leaves a full stop there ("... uncertain future. Oil floats ...")."""
    if _DIGIT.search(text) is None:
        return text
    return _page_stamp().sub(_joint, text).strip()


def _joint(stamp: re.Match[str]) -> str:
    before = stamp.string[: stamp.start()]
    after = stamp.string[stamp.end() :]
    if before[-1:].isalnum() and after[:1].isupper():
        return ". "
    return " "


def datelines() -> dict[str, Any]:
    """The wire-dateline pattern and its examples (`events/data/datelines.toml`)."""
    return _data("datelines.toml")


@functools.cache
def _dateline() -> re.Pattern[str]:
    return re.compile(datelines()["pattern"])


def undatelined(text: str) -> str:
    """A title's text without the wire dateline opening it ("WASHINGTON (Reuters) - Under intense
    pressure ..." -> "Under intense pressure ..."). A summary keeps it, as a printed lead does: its
    place is part of what happened (taking it out cost Timeline17 content ROUGE-1 0.127 -> 0.126)."""
    if "-" not in text[:90]:
        return text
    rest = _dateline().sub("", text, count=1)
    return rest if len(rest.split()) >= 3 else text


def lead_after_stamp(text: str) -> tuple[str, str] | None:
    """A text split at a page stamp glued inside it, when what follows is a statement of its own: the
    page's headline and standfirst, and its lead ("Nervous BP faces an uncertain future Friday 16 July
    2010 19.11 BST The oil giant's board met ..." -> ("Nervous BP ...", "The oil giant's board met
    ...")); None without one."""
    if _DIGIT.search(text) is None:
        return None
    stamps = list(_page_stamp().finditer(text))
    if not stamps or stamps[-1].start() == 0:
        return None
    lead = unstamped(text[stamps[-1].end() :])
    return (text[: stamps[-1].start()], lead) if is_statement(lead) else None


def _agrees(source: EventSource, start: dt.date, end: dt.date) -> bool:
    """Whether a source's own date can hold the event's interval (undated support always can)."""
    if source.start is None or source.end is None:
        return True
    return source.start <= end and start <= source.end
