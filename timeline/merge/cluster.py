"""Greedy, date-blocked clustering of mentions into happenings.

Mentions are visited from the most specific date to the coarsest; each joins the most similar cluster
whose agreed interval overlaps its own, else starts a new one. Clusters are found through a per-block
inverted index (blocks are 7-day spans; a mention looks in the blocks its interval covers, plus one
either side) and at most `MAX_CANDIDATES` clusters are scored per mention, so the cost stays linear in
the number of mentions even when one day is mentioned thousands of times.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from timeline.events.lexicon import lines, words
from timeline.merge.dates import Interval, intersect, span_days
from timeline.merge.text import TfIdf, Vector, content_terms, dot, fold, stem
from timeline.models import Mention

BLOCK_DAYS = 7
MAX_CANDIDATES = 60
# Mentions whose interval is longer than this (a year, "this decade") only meet mentions of the same span.
LONG_SPAN_DAYS = 62
COMMON_NAME_SHARE = 0.1
# Two readings of one happening's day differ by a few days ("Tuesday" read a week off, "nearly six weeks
# ago"); a day further away from the cluster's is another happening ("talks resumed on 11 January").
MAX_CONFLICT_GAP = 7
# An approximate day ("nearly six weeks ago", "more than a month ago") is compared as this many days
# either side of its reading: it agrees with the exact day it stands for.
APPROXIMATE_REACH = 3


@dataclass(frozen=True)
class MergeParams:
    """The knobs of merging; `benchmarks/merge_sweep.py` shows how the defaults were chosen."""

    threshold: float = 0.06
    # each doubling of the coarser date's length asks for this much more similarity
    span_weight: float = 0.04
    # names most mentions share are dropped first; the rest already count through TF-IDF
    name_weight: float = 0.0
    conflict_margin: float = 0.25
    # what happened: a mention whose clause names the same kind of happening as the cluster ("talks",
    # "meet") gains this much; one naming only other kinds ("crossing" against "urge") loses it
    head_weight: float = 0.1
    # an article that tells one happening twice ("talks next month" ... "will meet in January") dates it
    # the same way both times: the same article, date and kind of happening join on this much more
    same_article_weight: float = 0.2


Postings = int | set[int]


def holders(postings: dict[str, Postings], term: str) -> Iterable[int]:
    """The clusters an index block files under `term`."""
    held = postings.get(term)
    if held is None:
        return ()
    return (held,) if isinstance(held, int) else held


def unfile(postings: dict[str, Postings], term: str, cid: int) -> None:
    """Take cluster `cid` out of what an index block files under `term`."""
    held = postings.get(term)
    if held == cid or (isinstance(held, set) and held == {cid}):
        del postings[term]
    elif isinstance(held, set):
        held.discard(cid)


@dataclass
class Cluster:
    """Mentions of one happening, the interval they agree on, and their summed vector."""

    interval: Interval
    members: list[int] = field(default_factory=list)
    conflicts: list[int] = field(default_factory=list)
    centroid: Vector = field(default_factory=dict)
    norm2: float = 0.0
    names: set[str] = field(default_factory=set)
    heads: set[str] = field(default_factory=set)
    # (article, start, end) of every mention placed in it, for the same-article rule
    dated: set[tuple[str, dt.date, dt.date]] = field(default_factory=set)
    blocks: list[object] = field(default_factory=list)


def _block(day: dt.date) -> int:
    return day.toordinal() // BLOCK_DAYS


def block_keys(interval: Interval) -> list[object]:
    """The index blocks a cluster founded on `interval` is filed under (a long span is its own key)."""
    if span_days(interval) > LONG_SPAN_DAYS:
        return [interval]
    return list(range(_block(interval[0]) - 1, _block(interval[1]) + 2))


def _gap(a: Interval, b: Interval) -> int:
    """Days between two disjoint intervals (0 if they overlap)."""
    return max((a[0] - b[1]).days, (b[0] - a[1]).days, 0)


def _name_overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


@functools.cache
def _head_words() -> frozenset[str]:
    """The stems that name a kind of happening (`happening_kinds.txt`, `event_nouns.txt`)."""
    found = {stem(w) for w in lines("happening_kinds.txt")}
    found |= {stem(w.lower()) for w in lines("event_nouns.txt")}
    return frozenset(found)


def heads(m: Mention) -> set[str]:
    """The kinds of happening a mention's clause names ("meet" for "talks", "elect" for "elections")."""
    return set(content_terms(m.clause, m.language)) & _head_words()


def approximate(m: Mention) -> bool:
    """A day read from a hedged or coarsely counted expression (`approximate_days.txt`): "nearly six
    weeks ago" lands within days of its happening, not on it."""
    if m.granularity != "day":
        return False
    return not words("approximate_days.txt", m.language).isdisjoint(fold(m.expression.text).split())


def reach(m: Mention) -> Interval:
    """The days a mention can agree with: its interval, widened by `APPROXIMATE_REACH` when approximate."""
    if approximate(m):
        widen = dt.timedelta(days=APPROXIMATE_REACH)
        return (m.start - widen, m.end + widen)
    return (m.start, m.end)


def _names(m: Mention) -> set[str]:
    roles = words("roles.txt", m.language)
    return {tok for name in (*m.actors, *m.places) for tok in fold(name).split() if tok not in roles}


class Clusterer:
    """The greedy join rule with its state (IDF, vectors, clusters, inverted index), so a batch merge
    and an online one (`timeline.merge.online`) place each mention by the same code."""

    def __init__(self, mentions: Sequence[Mention], params: MergeParams | None = None) -> None:
        self.params = params or MergeParams()
        self.mentions: list[Mention | None] = list(mentions)
        terms = [_terms(m) for m in mentions]
        self.tfidf = TfIdf(terms)
        self.vectors = [self.tfidf.vector(t) for t in terms]
        self.names = [_names(m) for m in mentions]
        self.heads = [heads(m) for m in mentions]
        # a name most mentions share ("US", "Mexico" in a story about both) tells no happening apart
        name_df = Counter(n for names in self.names for n in names)
        self.common = {n for n, df in name_df.items() if df >= max(3, COMMON_NAME_SHARE * len(mentions))}
        self.clusters: list[Cluster] = []
        # block -> term -> the clusters filed there: one cluster as a bare int, more as a set (most
        # postings hold one cluster, and a one-element set costs 216 bytes: 85 MB of 5,000 articles')
        self.index: dict[object, dict[str, Postings]] = {}

    def append(self, m: Mention) -> int:
        """Register one more mention, vectorised with the IDF fitted at construction; return its index."""
        self.mentions.append(m)
        self.vectors.append(self.tfidf.vector(_terms(m)))
        self.names.append(_names(m))
        self.heads.append(heads(m))
        return len(self.mentions) - 1

    def visit_order(self, ids: Iterable[int]) -> list[int]:
        """Mentions from the most specific date to the coarsest: precise dates found the clusters, and
        of two days, an exact one before an approximate one ("nearly six weeks ago")."""
        ms = self.mentions
        return sorted(
            ids,
            key=lambda i: (span_days(reach(ms[i])), approximate(ms[i]),  # type: ignore[arg-type]
                           ms[i].start, ms[i].article_id, ms[i].sentence_start),  # type: ignore[union-attr]
        )  # fmt: skip

    def index_terms(self, cid: int, terms: Iterable[str]) -> None:
        """Make cluster `cid` findable by these terms in each of its blocks."""
        terms = list(terms)
        for key in self.clusters[cid].blocks:
            postings = self.index.setdefault(key, {})
            for term in terms:
                held = postings.get(term)
                if held is None:
                    postings[term] = cid
                elif isinstance(held, int):
                    if held != cid:
                        # inserted in the order a set grown one add at a time has: the same iteration
                        postings[term] = {held, cid}
                else:
                    held.add(cid)

    def add(self, i: int) -> int:
        """Place mention `i`: it joins the most similar cluster its date allows, else founds one."""
        params, clusters, index = self.params, self.clusters, self.index
        idf = self.tfidf.idf
        m = self.mentions[i]
        assert m is not None
        interval = reach(m)
        vec, names, kinds = self.vectors[i], self.names[i] - self.common, self.heads[i]
        # rarest terms first: their postings are short and most telling
        query = sorted(vec, key=lambda t: (-idf.get(t, 0.0), t))
        candidates: list[int] = []
        seen: set[int] = set()
        for key in block_keys(interval):
            postings = index.get(key)
            if not postings:
                continue
            for term in query:
                for cid in holders(postings, term):
                    if cid not in seen:
                        seen.add(cid)
                        candidates.append(cid)
                if len(candidates) >= MAX_CANDIDATES:
                    break  # full: the remaining terms and blocks could only offer more
            if len(candidates) >= MAX_CANDIDATES:
                break
        best, best_sim, best_agrees = -1, 0.0, False
        for cid in candidates[:MAX_CANDIDATES]:
            c = clusters[cid]
            agreed = intersect(interval, c.interval)
            agrees = agreed is not None
            if not agrees and (
                m.reporting or m.granularity != "day" or _gap(interval, c.interval) > MAX_CONFLICT_GAP
            ):
                continue
            sim = dot(vec, c.centroid) / (math.sqrt(c.norm2) or 1.0)
            sim += params.name_weight * _name_overlap(names, c.names)
            # what happened speaks for joining only where the dates already agree
            if agrees and kinds and c.heads:
                sim += params.head_weight if kinds & c.heads else -params.head_weight
                if kinds & c.heads and (m.article_id, m.start, m.end) in c.dated:
                    sim += params.same_article_weight
            if agreed is not None:
                # a same-day agreement is strong evidence; "this month" against a day is weak
                coarsest = max(span_days(interval), span_days(c.interval))
                needed = params.threshold + params.span_weight * math.log2(coarsest)
            else:
                needed = params.threshold + params.conflict_margin
            if m.reporting:
                # the date of a saying is weak evidence that it tells the same happening
                needed += params.conflict_margin
            # a cluster whose date agrees beats any it would only be a conflict of
            if sim >= needed and (best < 0 or (agrees, sim) > (best_agrees, best_sim)):
                best, best_sim, best_agrees = cid, sim, agrees
        if best < 0:
            best = len(clusters)
            clusters.append(Cluster(interval=interval, blocks=block_keys(interval)))
            best_agrees = True
        c = clusters[best]
        if best_agrees:
            c.members.append(i)
            c.interval = intersect(interval, c.interval) or c.interval
        else:
            c.conflicts.append(i)
        for term, weight in vec.items():
            old = c.centroid.get(term, 0.0)
            c.centroid[term] = old + weight
            c.norm2 += (old + weight) ** 2 - old * old
        c.names |= names
        c.heads |= kinds
        c.dated.add((m.article_id, m.start, m.end))
        self.index_terms(best, vec)
        return best


def _terms(m: Mention) -> list[str]:
    # the date is compared through the interval: its words ("Thanksgiving weekend") are no content
    # whole words only: "May" must not take "Mayor" with it
    date = _whole_phrase(m.expression.text)
    clause, sentence = date.sub(" ", m.clause), date.sub(" ", m.sentence)
    # a noun phrase's happening ("next year's elections") is told by the phrase, not by its sentence
    if m.dates_noun:
        return content_terms(clause, m.language) * 2
    return content_terms(clause, m.language) + content_terms(sentence, m.language)


@functools.lru_cache(maxsize=4096)
def _whole_phrase(text: str) -> re.Pattern[str]:
    # kept per phrase: a merge meets a few thousand distinct date phrases, more than `re` caches
    return re.compile(rf"(?<!\w){re.escape(text)}(?!\w)")


def clustered(mentions: Sequence[Mention], params: MergeParams | None = None) -> Clusterer:
    """A clusterer that has placed every mention, in its visiting order."""
    clusterer = Clusterer(mentions, params)
    for i in clusterer.visit_order(range(len(mentions))):
        clusterer.add(i)
    return clusterer


def cluster_mentions(
    mentions: Sequence[Mention], params: MergeParams | None = None
) -> tuple[list[Cluster], list[Vector]]:
    """Group mentions into clusters of one happening each; also return each mention's TF-IDF vector."""
    clusterer = clustered(mentions, params)
    return clusterer.clusters, clusterer.vectors
