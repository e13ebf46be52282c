"""Online merging: keep the clustering state of a full merge and re-derive only the events a change touches.

A daemon that re-merged every stored mention on each new article would spend seconds per round on a
large story. `OnlineMerger` starts from a full merge by the very code of `merge_mentions` (a fresh
merger gives exactly its events) and keeps what that merge built: the `Clusterer` (fitted IDF, mention
vectors, common names, clusters and their inverted index). `update` then:

1. takes the mentions of removed and changed articles out of their clusters; each such cluster is
   rebuilt from the mentions it keeps (interval re-intersected from its first remaining member, the
   same way the greedy pass builds it; centroid, names and index postings recomputed); a cluster with
   no member left disappears, and its remaining conflicts are placed again like new mentions;
2. places the new mentions, most specific date first, through `Clusterer.add` (the join rule of the
   batch merge) with the IDF frozen at the last full fit;
3. re-counts the per-day signals of the changed articles and clusters only (`DayTally`: the corpus's
   signals are a sum of per-article parts) and notes the days whose signals moved;
4. re-derives with `to_event` only the events whose cluster changed and the one-day events on days whose
   signals changed; every other event is kept as it was;
5. picks again, by the shared `pick_support`, the supporting (undated) sentences of the articles a
   change can reach: new, changed and removed articles, those whose sentences scored a changed cluster
   at their last pick, and those it may reach now (it cites them, or it is a short event near their
   publication day naming a name their sentences name); each sentence's best event is kept, and a
   sentence is scored again only against the changed clusters (against all it reaches only when its
   best one changed). The others' picks stand, since an article's picks depend only on it and the
   clusters it reaches. Each article's candidate sentences are segmented once and cached; events
   whose support moved are re-derived.

Greedy clustering depends on the order mentions are visited in, so an updated merger is close to, not
identical with, a fresh full merge; and the IDF drifts as the corpus grows. When the mentions added and
removed since the last full fit exceed `refit_share` of the mentions that fit saw, `update` re-merges in
full (and says so in its result); `refit()` does it on demand. Removed mentions and emptied clusters
stay as empty slots until then (indices are what the index and the events refer to), so the memory a
long run holds is bounded by the same share.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from timeline.merge.cluster import Clusterer, MergeParams, block_keys, reach, unfile
from timeline.merge.dates import intersect, span_days
from timeline.merge.daytally import DayTally
from timeline.merge.events import timeline_order, to_event
from timeline.merge.salience import SalienceWeights
from timeline.merge.summary import with_support_and_summary
from timeline.merge.support import (
    NEAR_DAYS,
    NEAR_SPAN_DAYS,
    Bests,
    CandidateCache,
    Picks,
    SupportState,
    gather,
    pick_support,
    support_state,
)
from timeline.models import Article, Event, EventSource, Mention

REFIT_SHARE = 0.25


@dataclass(frozen=True)
class UpdateResult:
    """What one update did: events re-derived, whether it was a full re-merge, events now held, and
    the articles whose supporting sentences were picked again (all of them on a full re-merge)."""

    rebuilt: int
    refit: bool
    events: int
    repicked: int = 0


class OnlineMerger:
    """The merged events of a changing set of articles, updated by re-deriving only what a change touches."""

    def __init__(
        self,
        articles: Sequence[Article],
        mentions: Sequence[Mention],
        *,
        params: MergeParams | None = None,
        weights: SalienceWeights | None = None,
        refit_share: float = REFIT_SHARE,
    ) -> None:
        self.params = params or MergeParams()
        self.weights = weights or SalienceWeights()
        self.refit_share = refit_share
        self._candidates = CandidateCache()
        self._fit(list(articles), list(mentions))

    # -- full merge ------------------------------------------------------------------------------------

    def _fit(self, articles: list[Article], mentions: list[Mention]) -> int:
        """Merge everything from scratch, exactly as `merge_mentions` does; return the events derived."""
        self.articles: dict[str, Article] = {a.id: a for a in articles}
        self.clusterer = Clusterer(mentions, self.params)
        self.owner: dict[int, int] = {}
        for i in self.clusterer.visit_order(range(len(mentions))):
            self.owner[i] = self.clusterer.add(i)
        self.by_article: dict[str, list[int]] = {}
        for i, m in enumerate(mentions):
            self.by_article.setdefault(m.article_id, []).append(i)
        self.fitted = len(mentions)
        self.churn = 0
        self.tally = DayTally(self.weights)
        for aid, article in self.articles.items():
            self.tally.put(article, self.mentions_of(aid))
        for cid, c in enumerate(self.clusterer.clusters):
            self.tally.cluster(cid, c, self.clusterer.mentions)
        self.tally.settle()
        self.days = self.tally.signals
        self._events: dict[int, Event] = {}
        self._base: dict[int, Event] = {}
        # per article, the clusters its sentences scored at its last pick, and who scored each cluster
        self._considered: dict[str, set[int]] = {}
        self._bests: Bests = {}
        self._picks: Picks = pick_support(
            support_state(self.clusterer, articles),
            self.articles,
            self._candidates,
            considered=self._considered,
            bests=self._bests,
        )
        self._considered_by: dict[int, set[str]] = {}
        for aid, cids in self._considered.items():
            for cid in cids:
                self._considered_by.setdefault(cid, set()).add(aid)
        self._support = gather(self._picks)
        return self._derive(cid for cid, c in enumerate(self.clusterer.clusters) if c.members)

    def refit(self) -> int:
        """Re-merge every current mention in full (fresh IDF, fresh greedy pass); return the events derived.

        Mentions are taken article by article in id order, the order the store returns them in."""
        mentions = [m for aid in sorted(self.by_article) for m in self.mentions_of(aid)]
        articles = list(self.articles.values())
        # let go of the old merge before building the new one: on a 5,000-article story both would
        # be held at once, some hundreds of MB each
        self._release()
        return self._fit(articles, mentions)

    def _release(self) -> None:
        """Drop everything a merge built (not the articles' segmented sentences, which stay valid)."""
        self.clusterer = Clusterer([], self.params)
        self.owner, self.by_article, self.tally = {}, {}, DayTally(self.weights)
        self._events, self._base, self._support = {}, {}, {}
        self._considered, self._considered_by, self._bests, self._picks = {}, {}, {}, {}

    # -- reading ---------------------------------------------------------------------------------------

    def events(self) -> list[Event]:
        """The current events, in timeline order (as `merge_mentions` returns them)."""
        events = list(self._events.values())
        events.sort(key=timeline_order)
        return events

    def mentions_of(self, article_id: str) -> list[Mention]:
        """The mentions currently held for one article, in the order they were given."""
        live = self.clusterer.mentions
        return [m for i in self.by_article.get(article_id, ()) if (m := live[i]) is not None]

    @property
    def mention_count(self) -> int:
        """How many mentions the merger currently holds."""
        return sum(len(slots) for slots in self.by_article.values())

    # -- updating --------------------------------------------------------------------------------------

    def update(
        self,
        articles: Iterable[Article],
        added: Mapping[str, Sequence[Mention]],
        removed: Iterable[str] = (),
    ) -> UpdateResult:
        """Apply new or changed articles (`added`: id -> all its mentions now; `articles` holds each of
        them) and removed ones (ids); re-derive only the affected events, or re-merge in full on drift.

        An article given in `articles` but not in `added` is new without mentions, or changed with the
        mentions it had: either way its events are re-derived, since its date feeds the day signals."""
        fresh = {a.id: a for a in articles}
        added = {**{aid: self.mentions_of(aid) for aid in fresh}, **added}
        missing = [aid for aid in added if aid not in fresh]
        if missing:
            raise ValueError(f"update: no Article given for added article {missing[0]!r}")
        gone = {aid for aid in removed if aid in self.articles or aid in self.by_article}
        replaced = gone | {aid for aid in added if aid in self.articles or aid in self.by_article}
        churn = sum(len(self.by_article.get(aid, ())) for aid in replaced) + sum(map(len, added.values()))
        for aid in replaced:
            self.articles.pop(aid, None)
        for aid in gone:
            self._candidates.forget(aid)
        self.articles.update(fresh)
        if self.churn + churn > self.refit_share * max(self.fitted, 1):
            for aid in replaced:
                self._forget(aid)
            for aid, found in added.items():
                self.by_article[aid] = [self.clusterer.append(m) for m in found]
            rebuilt = self.refit()
            return UpdateResult(rebuilt, True, len(self._events), repicked=len(self.articles))
        self.churn += churn
        dirty: set[int] = set()
        orphans: list[int] = []
        for aid in replaced:
            dirty |= self._forget(aid)
        for cid in sorted(dirty):
            orphans.extend(self._reshape(cid))
        placed = list(orphans)
        for aid, found in added.items():
            slots = [self.clusterer.append(m) for m in found]
            self.by_article[aid] = slots
            placed.extend(slots)
        for i in self.clusterer.visit_order(placed):
            self.owner[i] = self.clusterer.add(i)
            dirty.add(self.owner[i])
        for aid in gone:
            self.tally.drop(aid)
        for aid, found in added.items():
            self.tally.put(self.articles[aid], found)
        for cid in dirty:
            self.tally.cluster(cid, self.clusterer.clusters[cid], self.clusterer.mentions)
        days = self.tally.settle()
        for cid in dirty:
            self._events.pop(cid, None)
            self._base.pop(cid, None)
        touched = {cid for cid in dirty if self.clusterer.clusters[cid].members}
        touched |= {cid for cid, e in self._events.items() if e.start == e.end and e.start in days}
        rebuilt = self._derive(touched)
        moved, repicked = self._repick(dirty, set(fresh) | replaced)
        rebuilt += len(moved - touched)
        return UpdateResult(rebuilt, False, len(self._events), repicked=repicked)

    def _forget(self, article_id: str) -> set[int]:
        """Drop one article's mentions; return the clusters they were in."""
        clusters = set()
        for i in self.by_article.pop(article_id, ()):
            self.clusterer.mentions[i] = None
            self.clusterer.vectors[i] = {}
            cid = self.owner.pop(i, None)
            if cid is not None:
                clusters.add(cid)
        return clusters

    def _reshape(self, cid: int) -> list[int]:
        """Rebuild a cluster from the mentions it keeps; return the conflicts left homeless if it emptied."""
        clusterer = self.clusterer
        c = clusterer.clusters[cid]
        live = clusterer.mentions
        for key in c.blocks:
            postings = clusterer.index.get(key, {})
            for term in c.centroid:
                unfile(postings, term, cid)
        members = [i for i in c.members if live[i] is not None]
        conflicts = [i for i in c.conflicts if live[i] is not None]
        c.centroid, c.norm2, c.names, c.heads, c.dated = {}, 0.0, set(), set(), set()
        if not members:
            c.members, c.conflicts, c.blocks = [], [], []
            for i in conflicts:
                self.owner.pop(i, None)
            return conflicts
        first = live[members[0]]
        assert first is not None
        interval = reach(first)
        for i in members[1:]:
            m = live[i]
            assert m is not None
            interval = intersect(reach(m), interval) or interval
        c.members, c.conflicts, c.interval = members, conflicts, interval
        c.blocks = block_keys(reach(first))
        for i in members + conflicts:
            for term, weight in clusterer.vectors[i].items():
                c.centroid[term] = c.centroid.get(term, 0.0) + weight
            c.names |= clusterer.names[i] - clusterer.common
            c.heads |= clusterer.heads[i]
            m = live[i]
            assert m is not None
            c.dated.add((m.article_id, m.start, m.end))
        c.norm2 = math.fsum(v * v for v in c.centroid.values())
        clusterer.index_terms(cid, c.centroid)
        return []

    # -- events ----------------------------------------------------------------------------------------

    def _derive(self, cids: Iterable[int]) -> int:
        """(Re-)derive the events of these clusters; return how many."""
        clusterer, n = self.clusterer, 0
        mentions: Sequence[Mention] = clusterer.mentions  # type: ignore[assignment]
        for cid in cids:
            c = clusterer.clusters[cid]
            self._base[cid] = to_event(c, mentions, clusterer.vectors, self.days, self.weights)
            self._events[cid] = self._finished(cid, self._support.get(cid, []))
            n += 1
        return n

    def _finished(self, cid: int, support: Sequence[EventSource]) -> Event:
        """The derived event of cluster `cid` with its support and the summary chosen among them all."""
        centroid = self.clusterer.clusters[cid].centroid
        return with_support_and_summary(
            self._base[cid], support, centroid, self.clusterer.tfidf, self.days.anchors
        )

    def _repick(self, dirty: set[int], changed: set[str]) -> tuple[set[int], int]:
        """Pick support again for the articles a change can reach; return the events whose support moved
        and how many articles were reached.

        Those are the `changed` articles, the ones whose sentences scored a `dirty` cluster at their
        last pick, and the ones that may score it now: it cites their mentions, or it is a short event
        in their near window naming a name their candidate sentences name. Any other article scores
        the same clusters as before, none of them changed, so its picks stand."""
        clusterer = self.clusterer
        reach = set(changed)
        by_anchor: dict[dt.date, set[str]] = {}
        for aid, article in self.articles.items():
            if article.anchor is not None:
                by_anchor.setdefault(article.anchor, set()).add(aid)
        for cid in dirty:
            c = clusterer.clusters[cid]
            reach |= self._considered_by.get(cid, set())
            reach |= {m.article_id for i in (*c.members, *c.conflicts) if (m := clusterer.mentions[i])}
            if c.members and span_days(c.interval) <= NEAR_SPAN_DAYS:
                for k in range((c.interval[0] - c.interval[1]).days + NEAR_DAYS + 1):
                    for aid in by_anchor.get(c.interval[1] + dt.timedelta(days=k), ()):
                        if aid not in reach and not c.names.isdisjoint(self._candidates.names(aid)):
                            reach.add(aid)
        cited = {
            aid: {self.owner[i] for i in self.by_article.get(aid, ()) if i in self.owner} for aid in reach
        }
        state = SupportState(clusterer, self.articles, cited)
        considered: dict[str, set[int]] = {}
        fresh = pick_support(
            state, reach, self._candidates, considered=considered, bests=self._bests, dirty=dirty
        )
        moved: set[int] = set()
        for aid in reach:
            for cid in self._considered.pop(aid, set()):
                holders = self._considered_by.get(cid)
                if holders is not None:
                    holders.discard(aid)
                    if not holders:
                        del self._considered_by[cid]
            for cid in considered.get(aid, set()):
                self._considered_by.setdefault(cid, set()).add(aid)
            if considered.get(aid):
                self._considered[aid] = considered[aid]
            before, after = self._picks.pop(aid, []), fresh.get(aid, [])
            if after:
                self._picks[aid] = after
            if before != after:
                moved |= {cid for cid, _source in (*before, *after)}
        picked_by: dict[int, set[str]] = {}
        for aid, found in self._picks.items():
            for cid, _source in found:
                if cid in moved:
                    picked_by.setdefault(cid, set()).add(aid)
        events: set[int] = set()
        for cid in moved:
            sources = [s for aid in sorted(picked_by.get(cid, ())) for c, s in self._picks[aid] if c == cid]
            if sources != self._support.get(cid, []):
                events.add(cid)
                if sources:
                    self._support[cid] = sources
                else:
                    self._support.pop(cid, None)
                if cid in self._base:
                    self._events[cid] = self._finished(cid, sources)
        return events & self._base.keys(), len(reach)


__all__ = ["REFIT_SHARE", "OnlineMerger", "UpdateResult"]
