"""Undated sentences as supporting sources: a sentence with no date that clearly tells a dated event.

"Lopez Obrador told reporters the crossings were reopening" has no date, yet tells the talks its article
dates to Wednesday. Such a sentence joins that event as a supporting source (`EventSource.supporting`),
under rules strict enough that a careful reader agrees:

- it is a whole sentence of story text: no date cue at all (`events/data/date_cues.txt`), no page
  furniture or credit (`events/data/support_furniture.txt`), no question, no headline or label;
- it may join only an event its own article already dates, or a short event (a week at most) dated to
  the article's publication day or the two days before;
- its TF-IDF cosine with the event (the clusterer's stemming and vectors, the IDF of the mentions held)
  is at least `SUPPORT_THRESHOLD`, many times the merge threshold, and it names an actor or place the
  event's sources name that is not one most mentions share;
- it joins its best event only, and an event takes at most `MAX_PER_ARTICLE` of one article's sentences.

Support never changes an event's date, conflicts, title, id or the day signals; the batch merge and the
online merger both call `find_support` on their final clusters, so for the same clusters they agree.
Candidates are found through the clusterer's per-block inverted index (the sentence's names as terms, in
the blocks around its publication day) and the article's own clusters: no pair of all sentences and all
events is ever scored.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from timeline.events.entities import names
from timeline.events.lexicon import lines, tagged, words
from timeline.events.segment import rough_sentences
from timeline.merge.cluster import COMMON_NAME_SHARE, Cluster, Clusterer
from timeline.merge.dates import span_days
from timeline.merge.text import TfIdf, Vector, content_terms, fold
from timeline.models import Article, Event, EventSource, Mention

SUPPORT_THRESHOLD = 0.3
MAX_PER_ARTICLE = 2
NEAR_DAYS = 2
NEAR_SPAN_DAYS = 7
MIN_WORDS, MAX_WORDS = 8, 80

# a sentence ends on its punctuation, perhaps inside a closing quote or bracket
_ENDS = re.compile(r"[.!][\"'”’)\]]*$")


class Candidate(NamedTuple):
    """One undated sentence of an article that may support an event: its span, terms and names.

    Terms and names are space-joined and the text is left in the article: a build holds about thirty
    of these an article, sent back from its extraction workers, so they are kept small."""

    start: int
    end: int
    terms: str
    names: str


@functools.cache
def _date_cue() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(cased cues on the text, the rest on its lower-cased text): case-insensitive patterns scan slower."""
    table = tagged("date_cues.txt")
    cased = "|".join(re.escape(w) for w, tag in table.items() if tag == "cased")
    plain = "|".join(re.escape(w.lower()) for w, tag in table.items() if tag == "word")
    units = "|".join(re.escape(w.lower()) for w, tag in table.items() if tag == "unit")
    patterns = [w for w, tag in table.items() if tag == "pattern"]
    folded = [
        rf"\b(?:{plain})\b",
        rf"\b(?:last|next|this|earlier|later|previous|coming|following|same)\s+(?:{units})s?\b",
        *patterns,
    ]
    return re.compile(rf"\b(?:{cased})(?!\w)"), re.compile("|".join(folded))


@functools.cache
def _furniture() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(piece.lower()) for piece in lines("support_furniture.txt")))


def is_undated_statement(sentence: str) -> bool:
    """Whether a sentence can be support at all: story prose with no date cue, furniture or question."""
    n_words = len(sentence.split())
    if not MIN_WORDS <= n_words <= MAX_WORDS or not _ENDS.search(sentence) or sentence.startswith("("):
        return False
    lower = sentence.lower()
    cased, folded = _date_cue()
    return not (_furniture().search(lower) or cased.search(sentence) or folded.search(lower))


def name_tokens(actors: Iterable[str]) -> frozenset[str]:
    """Folded name words without roles ("Secretary", "President"), as the clusterer compares names."""
    roles = words("roles.txt")
    return frozenset(tok for name in actors for tok in fold(name).split() if tok not in roles)


def undated_sentences(article: Article, dated_starts: Iterable[int]) -> list[Candidate]:
    """The article's sentences that hold no mention and no date cue and read as story prose."""
    dated = sorted(set(dated_starts))
    found: list[Candidate] = []
    for start, end in rough_sentences(article.text):
        at = bisect.bisect_left(dated, start)
        if at < len(dated) and dated[at] < end:
            continue
        sentence = article.text[start:end]
        if not is_undated_statement(sentence):
            continue
        actors, places = names(sentence)
        tokens = name_tokens([*actors, *places])
        if tokens:
            found.append(Candidate(start, end, " ".join(content_terms(sentence)), " ".join(sorted(tokens))))
    return found


@dataclass
class SupportState:
    """What support is computed from: every mention slot (None when freed) with its terms and names."""

    slots: Sequence[Mention | None]
    terms: Sequence[Sequence[str]]
    names: Sequence[set[str]]
    clusters: Sequence[Cluster]
    index: Mapping[object, Mapping[str, set[int]]]
    articles: Mapping[str, Article]


class CandidateCache:
    """Each article's undated sentences, segmented once per article text (the daemon re-reads often)."""

    def __init__(self) -> None:
        self._held: dict[str, tuple[Article, tuple[int, ...], list[Candidate]]] = {}

    def of(self, article: Article, dated_starts: Iterable[int]) -> list[Candidate]:
        """The article's candidates; recomputed only when the article (any field) or its mentions changed."""
        starts = tuple(sorted(set(dated_starts)))
        held = self._held.get(article.id)
        if held is not None and held[0] == article and held[1] == starts:
            return held[2]
        found = undated_sentences(article, starts)
        self._held[article.id] = (article, starts, found)
        return found

    def hold(self, article: Article, dated_starts: Iterable[int], found: list[Candidate]) -> None:
        """Keep candidates found elsewhere (a build's extraction workers) for `of` to return."""
        self._held[article.id] = (article, tuple(sorted(set(dated_starts))), found)

    def forget(self, article_id: str) -> None:
        """Drop what is held for an article that left the story."""
        self._held.pop(article_id, None)


def find_support(
    state: SupportState, cache: CandidateCache | None = None, vectors: Sequence[Vector] | None = None
) -> dict[int, list[EventSource]]:
    """Per cluster id, the supporting sources its event gains (see the module docstring for the rules).

    `vectors` may pass the mention vectors when they were made with the IDF of exactly the live mentions
    (the batch merge); otherwise they are made here from `terms`."""
    cache = cache or CandidateCache()
    events = _Events(state, vectors)
    chosen: dict[tuple[int, str], list[tuple[float, Candidate]]] = {}
    for article_id in sorted(state.articles):
        article = state.articles[article_id]
        mine = events.own.get(article_id, {})
        near = events.near_days(article.anchor)
        if not mine and not near:
            continue
        lookups, cited = [mine, *near], events.cited.get(article_id, set())
        low = article.anchor - dt.timedelta(days=NEAR_DAYS) if article.anchor else None
        for cand in cache.of(article, events.dated.get(article_id, ())):
            # only events sharing a name with the sentence are ever scored
            cids: set[int] = set()
            for postings in lookups:
                for token in cand.names.split():
                    cids |= postings.get(token, set())
            if not cids:
                continue
            terms = tuple(events.tfidf.vector(cand.terms.split()).items())
            best: tuple[tuple[object, ...], float, int] | None = None
            for cid in cids:
                c = state.clusters[cid]
                if cid not in cited and (low is None or c.interval[0] < low):
                    continue
                centre, length = events.profile(cid)
                sim = round(_dot(terms, centre) / length, 9)
                if sim < SUPPORT_THRESHOLD:
                    continue
                # ties go to the earlier event, then to the one whose first source comes first
                key = (-sim, c.interval, min(_origin(state.slots[i]) for i in c.members))
                if best is None or key < best[0]:
                    best = (key, sim, cid)
            if best is not None:
                chosen.setdefault((best[2], article_id), []).append((best[1], cand))
    out: dict[int, list[EventSource]] = {}
    for (cid, article_id), picks in sorted(chosen.items()):
        picks.sort(key=lambda p: (-p[0], p[1].start))
        for _sim, cand in sorted(picks[:MAX_PER_ARTICLE], key=lambda p: p[1].start):
            text = state.articles[article_id].text[cand.start : cand.end]
            out.setdefault(cid, []).append(EventSource(article_id=article_id, sentence=text, supporting=True))
    return out


def _origin(m: Mention | None) -> tuple[str, int]:
    return (m.article_id, m.sentence_start) if m is not None else ("", 0)


class _Events:
    """What support reads of the clusters: IDF and common names of the live mentions, each article's
    clusters, short events by their last day and names, and each event's unit profile vector."""

    def __init__(self, state: SupportState, vectors: Sequence[Vector] | None) -> None:
        self.state, self.vectors = state, vectors
        live = [i for i, m in enumerate(state.slots) if m is not None]
        df: Counter[str] = Counter()
        name_df: Counter[str] = Counter()
        self.dated: dict[str, list[int]] = {}
        for i in live:
            df.update(set(state.terms[i]))
            name_df.update(state.names[i])
            m = state.slots[i]
            assert m is not None
            self.dated.setdefault(m.article_id, []).append(m.sentence_start)
        self.tfidf = TfIdf.from_counts(df, len(live))
        self.common = {n for n, c in name_df.items() if c >= max(3, COMMON_NAME_SHARE * len(live))}
        # article -> name -> the events it already dates; article -> those events
        self.own: dict[str, dict[str, set[int]]] = {}
        self.cited: dict[str, set[int]] = {}
        # last day -> name -> short events: the publication-day route looks up a few days, not all events
        self.by_day: dict[dt.date, dict[str, set[int]]] = {}
        self._profiles: dict[int, tuple[Vector, float]] = {}
        for cid, c in enumerate(state.clusters):
            if not c.members:
                continue
            held: set[str] = set()
            sources: set[str] = set()
            for i in (*c.members, *c.conflicts):
                m = state.slots[i]
                assert m is not None
                sources.add(m.article_id)
                held |= state.names[i]
            held -= self.common
            for article_id in sources:
                self.cited.setdefault(article_id, set()).add(cid)
                _post(self.own.setdefault(article_id, {}), held, cid)
            if span_days(c.interval) <= NEAR_SPAN_DAYS:
                _post(self.by_day.setdefault(c.interval[1], {}), held, cid)

    def near_days(self, anchor: dt.date | None) -> list[dict[str, set[int]]]:
        """The name postings of short events ending on the publication day or the days just before."""
        if anchor is None:
            return []
        days = (anchor - dt.timedelta(days=k) for k in range(NEAR_DAYS + 1))
        return [self.by_day[d] for d in days if d in self.by_day]

    def profile(self, cid: int) -> tuple[Vector, float]:
        """The event's vector and its length: the sum of its sources' vectors (members and conflicts).

        With the vectors of the fit (the batch merge) that sum is the clusterer's centroid itself."""
        if self.vectors is not None:
            c = self.state.clusters[cid]
            return c.centroid, math.sqrt(c.norm2) or 1.0
        if cid not in self._profiles:
            c, terms, vectors = self.state.clusters[cid], self.state.terms, self.vectors
            total: Vector = {}
            for i in (*c.members, *c.conflicts):
                vec = vectors[i] if vectors is not None else self.tfidf.vector(terms[i])
                for term, weight in vec.items():
                    total[term] = total.get(term, 0.0) + weight
            self._profiles[cid] = (total, math.sqrt(math.fsum(v * v for v in total.values())) or 1.0)
        return self._profiles[cid]


def _dot(terms: Sequence[tuple[str, float]], profile: Vector) -> float:
    """A short vector's (a sentence's) dot product with a long one, the hot loop of support."""
    weight = profile.get
    total = 0.0
    for term, value in terms:
        other = weight(term)
        if other is not None:
            total += value * other
    return total


def _post(postings: dict[str, set[int]], names: Iterable[str], cid: int) -> None:
    for name in names:
        postings.setdefault(name, set()).add(cid)


def support_state(clusterer: Clusterer, articles: Iterable[Article]) -> SupportState:
    """The support inputs a clusterer holds, with the articles its mentions come from."""
    return SupportState(
        slots=clusterer.mentions,
        terms=clusterer.terms,
        names=clusterer.names,
        clusters=clusterer.clusters,
        index=clusterer.index,
        articles={a.id: a for a in articles},
    )


def with_support(event: Event, support: Sequence[EventSource]) -> Event:
    """The event with its supporting sources after its dated ones; nothing else of it changes."""
    if not support:
        return event
    return event.model_copy(update={"sources": [*event.sources, *support]})
