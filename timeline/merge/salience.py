"""How important an event is: how much the corpus talks about its day, its own sources and prominence.

Date selection in timeline summarisation works best on date-reference frequency (how many articles name
a day: Tran et al. 2013; Martschat & Markert 2018). Two refinements measured on Timeline17
(`benchmarks/timeline_eval.md`): a day still named by articles published days later (a retrospective
reference) counts extra, and so do the articles published on it (publication bursts). An event adds
its own cluster size and how early in their articles its mentions come.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from timeline.models import Article, Mention


@dataclass(frozen=True)
class SalienceWeights:
    """Weights of the salience terms; `benchmarks/timeline_eval.md` documents how they were tuned."""

    day: float = 1.0
    retrospective: float = 2.0
    retrospective_after_days: int = 7
    published: float = 0.25
    articles: float = 0.2
    mentions: float = 0.0
    prominence: float = 0.2
    reporting: float = 0.5


@dataclass
class DaySignals:
    """Corpus-wide evidence per day: articles that date a happening to it, later ones, publications."""

    refs: Counter[dt.date]
    retrospective: Counter[dt.date]
    published: Counter[dt.date]
    # the most distinct articles any one event of the day has: the day's leading happening
    leaders: Counter[dt.date] = field(default_factory=Counter)
    anchors: dict[str, dt.date] = field(default_factory=dict)

    @classmethod
    def of(cls, mentions: Sequence[Mention], articles: Sequence[Article], after_days: int = 7) -> DaySignals:
        """Count per day the distinct articles naming it, those published `after_days` later, publications."""
        anchors = {a.id: a.anchor for a in articles}
        pairs = {(m.start, m.article_id) for m in mentions if m.start == m.end and not m.reporting}
        refs = Counter(day for day, _ in pairs)
        retrospective = Counter(
            day
            for day, article in pairs
            if (anchor := anchors.get(article)) is not None and (anchor - day).days > after_days
        )
        published = Counter(a.anchor for a in articles if a.anchor is not None)
        known = {article: anchor for article, anchor in anchors.items() if anchor is not None}
        return cls(refs=refs, retrospective=retrospective, published=published, anchors=known)

    def score(self, day: dt.date, w: SalienceWeights) -> float:
        """How much the corpus as a whole points at one day."""
        return (
            self.refs.get(day, 0)
            + w.retrospective * self.retrospective.get(day, 0)
            + w.published * self.published.get(day, 0)
        )


def event_salience(
    members: Sequence[Mention], start: dt.date, end: dt.date, days: DaySignals, w: SalienceWeights
) -> float:
    """The salience of one event from its member mentions and the corpus-wide day signals."""
    n_articles = len({m.article_id for m in members})
    prominence = max((1.0 - m.position) for m in members) if members else 0.0
    score = w.articles * math.log1p(n_articles) + w.mentions * math.log1p(len(members))
    score += w.prominence * prominence
    if start == end:
        # the day's evidence goes in full to its leading event only, so `--top N` is not N events of one day
        share = n_articles / max(days.leaders.get(start, 0), n_articles, 1)
        score += w.day * math.sqrt(share) * math.log1p(days.score(start, w))
    if all(m.reporting for m in members):
        score *= w.reporting
    return round(score, 4)
