"""Merging: mentions of one happening across articles become one dated, sourced, salience-ranked event."""

from __future__ import annotations

from collections.abc import Sequence

from timeline.merge.cluster import MergeParams, cluster_mentions
from timeline.merge.events import day_signals, timeline_order, to_event
from timeline.merge.salience import SalienceWeights
from timeline.models import Article, Event, Mention


def merge_mentions(
    mentions: Sequence[Mention],
    articles: Sequence[Article],
    *,
    params: MergeParams | None = None,
    weights: SalienceWeights | None = None,
) -> list[Event]:
    """Cluster mentions into events, date each by its sources' agreement and score its salience."""
    clusters, vectors = cluster_mentions(mentions, params)
    weights = weights or SalienceWeights()
    days = day_signals(mentions, articles, clusters, weights)
    events = [to_event(c, mentions, vectors, days, weights) for c in clusters if c.members]
    events.sort(key=timeline_order)
    return events


__all__ = ["MergeParams", "SalienceWeights", "merge_mentions", "timeline_order"]
