"""Merging: mentions of one happening across articles become one dated, sourced, salience-ranked event."""

from __future__ import annotations

from collections.abc import Sequence

from timeline.merge.cluster import MergeParams, clustered
from timeline.merge.events import day_signals, timeline_order, to_event
from timeline.merge.salience import SalienceWeights
from timeline.merge.summary import with_support_and_summary
from timeline.merge.support import CandidateCache, find_support, support_state
from timeline.models import Article, Event, Mention


def merge_mentions(
    mentions: Sequence[Mention],
    articles: Sequence[Article],
    *,
    params: MergeParams | None = None,
    weights: SalienceWeights | None = None,
    candidates: CandidateCache | None = None,
) -> list[Event]:
    """Cluster mentions into events, date each by its sources' agreement and score its salience; undated
    sentences that clearly tell an event join it as supporting sources (`timeline.merge.support`).

    `candidates` may hold articles' undated sentences already found; the others are scanned here."""
    clusterer = clustered(mentions, params)
    clusters, vectors = clusterer.clusters, clusterer.vectors
    weights = weights or SalienceWeights()
    days = day_signals(mentions, articles, clusters, weights)
    support = find_support(support_state(clusterer, articles), candidates)
    events = [
        with_support_and_summary(
            to_event(c, mentions, vectors, days, weights),
            support.get(cid, []),
            c.centroid,
            clusterer.tfidf,
            days.anchors,
        )
        for cid, c in enumerate(clusters)
        if c.members
    ]
    events.sort(key=timeline_order)
    return events


__all__ = ["MergeParams", "SalienceWeights", "merge_mentions", "timeline_order"]
