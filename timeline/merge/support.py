"""Undated sentences as supporting sources: a sentence with no date that clearly tells a dated event.

"Lopez Obrador told reporters the crossings were reopening" has no date, yet tells the talks its article
dates to Wednesday. Such a sentence joins that event as a supporting source (`EventSource.supporting`),
under rules strict enough that a careful reader agrees:

- it is a whole sentence of story text (8-50 words): no date cue at all (`events/data/date_cues.txt`),
  no page furniture or credit (`events/data/support_furniture.txt`), no question, headline or label;
- it may join only a short event (a week at most: support for "2003" or "this decade" says nothing),
  one its own article already dates or one dated to the article's publication day or the two days
  before;
- its TF-IDF cosine with the event's centroid (the clusterer's stemming and fitted IDF) is at least
  `SUPPORT_THRESHOLD` (`SINGLE_SOURCE_THRESHOLD` for an event only
  its own article dates), and it names an actor or place the event's
  sources name that is not one most mentions share (the clusterer's common names);
- it joins its best event only, and an event takes at most `MAX_PER_ARTICLE` of one article's sentences.

Support never changes an event's date, conflicts, title, id, salience or the day signals (counting it
in salience lowered Timeline17 date F1: `benchmarks/timeline_eval.md`). The batch merge and the online
merger both pick support with `pick_support` on their clusters, so for the same clusters they agree.
Events are found through the article's own clusters and the clusterer's per-block inverted index (the
sentence's names as terms, in the blocks around its publication day): no pair of all sentences and all
events is ever scored.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from timeline.events.entities import names
from timeline.events.lexicon import base_language, lines, tagged, words
from timeline.events.newsworthy import is_newsworthy
from timeline.events.segment import rough_sentences
from timeline.merge.cluster import Cluster, Clusterer, block_keys, holders
from timeline.merge.dates import span_days
from timeline.merge.text import Vector, content_terms, fold
from timeline.models import Article, EventSource, Mention

SUPPORT_THRESHOLD = 0.3
# An event one article alone dates: the sentence and the event share that article's vocabulary, so the
# similarity says less and must be higher.
SINGLE_SOURCE_THRESHOLD = 0.45
MAX_PER_ARTICLE = 2
NEAR_DAYS = 2
NEAR_SPAN_DAYS = 7
# longer "sentences" are mostly runs the rough cut left whole (headlines glued to a lead)
MIN_WORDS, MAX_WORDS = 8, 50

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
def _date_cue(language: str = "en") -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(cased cues on the text, the rest on its lower-cased text): case-insensitive patterns scan slower."""
    table = tagged("date_cues.txt", language)
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


def is_undated_statement(sentence: str, language: str = "en") -> bool:
    """Whether a sentence can be support at all: story prose with no date cue, furniture or question."""
    n_words = len(sentence.split())
    if not MIN_WORDS <= n_words <= MAX_WORDS or not _ENDS.search(sentence) or sentence.startswith("("):
        return False
    lower = sentence.lower()
    cased, folded = _date_cue(base_language(language))
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
        if not is_undated_statement(sentence, article.language) or not is_newsworthy(sentence):
            continue
        actors, places = names(sentence, article.language)
        tokens = name_tokens([*actors, *places])
        if tokens:
            terms = content_terms(sentence, article.language)
            found.append(Candidate(start, end, " ".join(terms), " ".join(sorted(tokens))))
    return found


Picks = dict[str, list[tuple[int, EventSource]]]


@dataclass
class SupportState:
    """What support reads: the clusterer (its fitted IDF, vectors, common names, clusters, per-block
    index), the articles, and per article the clusters its mentions are in."""

    clusterer: Clusterer
    articles: Mapping[str, Article]
    cited: Mapping[str, set[int]]


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

    def names(self, article_id: str) -> frozenset[str]:
        """The name tokens of the article's held candidates (none if nothing is held for it)."""
        held = self._held.get(article_id)
        if held is None:
            return frozenset()
        return frozenset(token for cand in held[2] for token in cand.names.split())

    def forget(self, article_id: str) -> None:
        """Drop what is held for an article that left the story."""
        self._held.pop(article_id, None)


def support_state(clusterer: Clusterer, articles: Iterable[Article]) -> SupportState:
    """The support inputs of a finished greedy pass: each article's clusters read off the clusters."""
    cited: dict[str, set[int]] = {}
    slots = clusterer.mentions
    for cid, c in enumerate(clusterer.clusters):
        for i in (*c.members, *c.conflicts):
            m = slots[i]
            if m is not None:
                cited.setdefault(m.article_id, set()).add(cid)
    return SupportState(clusterer, {a.id: a for a in articles}, cited)


def find_support(state: SupportState, cache: CandidateCache | None = None) -> dict[int, list[EventSource]]:
    """Per cluster id, the supporting sources its event gains (see the module docstring for the rules)."""
    return gather(pick_support(state, state.articles, cache or CandidateCache()))


# a sentence's best event: (tie-break key, similarity, cluster id)
Best = tuple[tuple[object, ...], float, int]
# per article, the candidate list its sentences' best events were found for, and those bests
Bests = dict[str, tuple[list[Candidate], list[Best | None]]]


def pick_support(
    state: SupportState,
    article_ids: Iterable[str],
    cache: CandidateCache,
    considered: dict[str, set[int]] | None = None,
    bests: Bests | None = None,
    dirty: set[int] | None = None,
) -> Picks:
    """Per article, the (cluster id, supporting source) pairs its undated sentences give.

    An article's picks depend only on the article and the clusters its sentences can reach (those it
    cites, short ones naming a name of theirs and ending on its publication day or the `NEAR_DAYS`
    before), so the online merger re-picks only the articles a change can reach. Given `considered`,
    each article's entry is set to the clusters any of its sentences scored: a change to any other
    cluster cannot change its picks. Given `bests`, each sentence's best event is kept there; given
    `dirty` too (the clusters changed since those were kept), a sentence whose best event did not
    change scores only the changed clusters it reaches, since no other score moved."""
    clusterer = state.clusterer
    clusters = clusterer.clusters
    picks: Picks = {}
    nearby: dict[tuple[dt.date | None, str], set[int]] = {}
    for article_id in sorted(article_ids):
        article = state.articles.get(article_id)
        prior = bests.pop(article_id, None) if bests is not None else None
        if article is None:
            continue
        anchor = article.anchor
        cited = state.cited.get(article_id, set())
        keys = _near_keys(anchor)
        scored: set[int] = set()
        if considered is not None:
            considered[article_id] = scored
        if not cited and not keys:
            continue
        starts = [m.sentence_start for m in _mentions_of(clusterer, cited) if m.article_id == article_id]
        candidates = cache.of(article, starts)
        # the bests kept for these very candidates, when the clusters changed since then are known
        before = prior[1] if prior is not None and dirty is not None and prior[0] is candidates else None
        stale = dirty or set()
        # per name, the events this article can reach that share it: its own, then near ones (memoised,
        # since an article's sentences keep naming the same few actors)
        reach: dict[str, set[int]] = {}
        for cid in cited:
            if clusters[cid].members and span_days(clusters[cid].interval) <= NEAR_SPAN_DAYS:
                for name in clusters[cid].names:
                    reach.setdefault(name, set()).add(cid)
        looked: set[str] = set()
        window = (anchor - dt.timedelta(days=NEAR_DAYS), anchor) if anchor is not None else None
        chosen: dict[int, list[tuple[float, Candidate]]] = {}
        found_bests: list[Best | None] = []
        for n, cand in enumerate(candidates):
            tokens = set(cand.names.split()) - clusterer.common
            cids: set[int] = set()
            for token in tokens:
                if token not in looked and window is not None:
                    looked.add(token)
                    # articles of one publication day look up the same names in the same window
                    near = nearby.get((anchor, token))
                    if near is None:
                        near = nearby[anchor, token] = {
                            cid
                            for cid in _near(clusterer, keys, token)
                            if _near_event(clusters[cid], token, window)
                        }
                    if near:
                        reach.setdefault(token, set()).update(near)
                cids |= reach.get(token, set())
            scored |= cids
            best: Best | None = None
            if cids:
                kept = before[n] if before is not None else None
                if before is not None and (kept is None or kept[2] not in stale):
                    # an unchanged cluster scores as it did: only the changed ones can beat the best
                    best = _best(clusterer, cand, cids & stale, kept)
                else:
                    best = _best(clusterer, cand, cids, None)
            found_bests.append(best)
            if best is not None:
                chosen.setdefault(best[2], []).append((best[1], cand))
        if bests is not None:
            bests[article_id] = (candidates, found_bests)
        found: list[tuple[int, EventSource]] = []
        for cid in sorted(chosen):
            top = sorted(chosen[cid], key=lambda p: (-p[0], p[1].start))[:MAX_PER_ARTICLE]
            for _sim, cand in sorted(top, key=lambda p: p[1].start):
                text = article.text[cand.start : cand.end]
                found.append((cid, EventSource(article_id=article_id, sentence=text, supporting=True)))
        if found:
            picks[article_id] = found
    return picks


def _best(clusterer: Clusterer, cand: Candidate, cids: set[int], best: Best | None) -> Best | None:
    """The sentence's best event among `cids` and `best` (what the others gave), if any is good enough.

    The key (similarity, then the earlier event, then the one whose first source comes first) is
    unique per cluster, so the best of a set does not depend on the order it is scored in."""
    if not cids:
        return best
    clusters, slots = clusterer.clusters, clusterer.mentions
    terms = tuple(clusterer.tfidf.vector(cand.terms.split()).items())
    for cid in cids:
        c = clusters[cid]
        sim = round(_dot(terms, c.centroid) / (math.sqrt(c.norm2) or 1.0), 9)
        if sim < SUPPORT_THRESHOLD or (sim < SINGLE_SOURCE_THRESHOLD and _single_source(c, slots)):
            continue
        key = (-sim, c.interval, min(_origin(slots[i]) for i in c.members))
        if best is None or key < best[0]:
            best = (key, sim, cid)
    return best


def gather(picks: Mapping[str, Sequence[tuple[int, EventSource]]]) -> dict[int, list[EventSource]]:
    """Per cluster id, its supporting sources in article order: the same whatever order picks came in."""
    out: dict[int, list[EventSource]] = {}
    for article_id in sorted(picks):
        for cid, source in picks[article_id]:
            out.setdefault(cid, []).append(source)
    return out


def _mentions_of(clusterer: Clusterer, cids: Iterable[int]) -> Iterable[Mention]:
    for cid in cids:
        c = clusterer.clusters[cid]
        for i in (*c.members, *c.conflicts):
            m = clusterer.mentions[i]
            if m is not None:
                yield m


def _single_source(c: Cluster, slots: Sequence[Mention | None]) -> bool:
    first = slots[c.members[0]]
    return all((m := slots[i]) is not None and first is not None and m.article_id == first.article_id
               for i in (*c.members, *c.conflicts))  # fmt: skip


def _origin(m: Mention | None) -> tuple[str, int]:
    return (m.article_id, m.sentence_start) if m is not None else ("", 0)


def _near_keys(anchor: dt.date | None) -> list[object]:
    return block_keys((anchor - dt.timedelta(days=NEAR_DAYS), anchor)) if anchor is not None else []


def _near_event(c: Cluster, name: str, window: tuple[dt.date, dt.date]) -> bool:
    """A live short event naming `name`, dated within the publication day and the days before it."""
    if not c.members or name not in c.names or span_days(c.interval) > NEAR_SPAN_DAYS:
        return False
    return window[0] <= c.interval[0] and c.interval[1] <= window[1]


def _near(clusterer: Clusterer, keys: Sequence[object], name: str) -> set[int]:
    """Clusters filed in the per-block index, in the blocks around the publication day, under a name."""
    found: set[int] = set()
    terms = _name_terms(name)
    for key in keys:
        postings = clusterer.index.get(key)
        if postings:
            for term in terms:
                found.update(holders(postings, term))
    return found


@functools.lru_cache(maxsize=4096)
def _name_terms(name: str) -> tuple[str, ...]:
    # an article's sentences name the same few actors: their terms are looked up, not recomputed
    return tuple(content_terms(name))


def _dot(terms: Sequence[tuple[str, float]], vector: Vector) -> float:
    """A short vector's (a sentence's) dot product with a long one (a centroid): the hot loop of support."""
    weight = vector.get
    total = 0.0
    for term, value in terms:
        other = weight(term)
        if other is not None:
            total += value * other
    return total
