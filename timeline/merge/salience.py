"""How important an event is: its own sources and prominence, and how much the corpus talks about its day.

Date selection in timeline summarisation works best on date-reference frequency (how many articles name
a day: Tran et al. 2013; Martschat & Markert 2018) and on publication bursts (many articles published on
or just after a day). An event's salience combines those day-level signals with its own cluster size
and how early in their articles its mentions come, with the weights below.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from timeline.models import Article, Mention


@dataclass(frozen=True)
class SalienceWeights:
    """Weights of the salience terms; `benchmarks/` documents how they were tuned."""

    articles: float = 1.0
    mentions: float = 0.2
    prominence: float = 0.5
    day_refs: float = 1.0
    published: float = 0.3
    reporting: float = 0.5


@dataclass
class DaySignals:
    """Corpus-wide counts per day: distinct articles naming it, and articles published on it."""

    refs: Counter[dt.date]
    published: Counter[dt.date]

    @classmethod
    def of(cls, mentions: Sequence[Mention], articles: Sequence[Article]) -> DaySignals:
        """Count, per day, the distinct articles that date a happening to it and the articles published."""
        pairs = {(m.start, m.article_id) for m in mentions if m.start == m.end and not m.reporting}
        refs = Counter(day for day, _ in pairs)
        published = Counter(a.anchor for a in articles if a.anchor is not None)
        return cls(refs=refs, published=published)


def event_salience(
    members: Sequence[Mention], start: dt.date, end: dt.date, days: DaySignals, w: SalienceWeights
) -> float:
    """The salience of one event from its member mentions and the corpus-wide day signals."""
    n_articles = len({m.article_id for m in members})
    happening = [m for m in members if not m.reporting]
    prominence = max((1.0 - m.position) for m in members) if members else 0.0
    score = w.articles * math.log1p(n_articles) + w.mentions * math.log1p(len(members))
    score += w.prominence * prominence
    if start == end:
        score += w.day_refs * math.log1p(days.refs.get(start, 0))
        after = start + dt.timedelta(days=1)
        score += w.published * math.log1p(days.published.get(start, 0) + days.published.get(after, 0))
    if not happening:
        score *= w.reporting
    return round(score, 4)
