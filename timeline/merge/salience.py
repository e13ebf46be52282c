"""How important an event is: how much the corpus talks about its day, its own sources and prominence.

Date selection in timeline summarisation works best on date-reference frequency (how many articles name
a day: Tran et al. 2013; Martschat & Markert 2018). Two refinements measured on Timeline17
(`benchmarks/timeline_eval.md`): a day still named by articles published days later (a retrospective
reference) counts extra, and so do the articles published on it (publication bursts). A day listed in
a timeline an article carries ("April 30 - A NATO missile attack ...", three or more such entries)
counts most: there a journalist has already chosen the day. An event adds its own cluster size and
how early in their articles its mentions come.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from timeline.models import Article, Mention


@dataclass(frozen=True)
class SalienceWeights:
    """Weights of the salience terms; `benchmarks/timeline_eval.md` documents how they were tuned."""

    day: float = 1.0
    retrospective: float = 4.0
    retrospective_after_days: int = 7
    published: float = 0.25
    articles: float = 0.2
    mentions: float = 0.0
    prominence: float = 0.2
    reporting: float = 0.5
    listed: float = 12.0
    listed_min_entries: int = 3


# An entry of a timeline inside an article: the date opens the line and a dash or colon follows
# ("April 22 - The rig sinks", "March 12: ..."), but not a clock time (comment and live-blog stamps).
_ENTRY_TAIL = re.compile(r"\s*(?:,\s*\d{4}\s*)?[-\u2013\u2014:]\s(?!\s*\d{1,2}[:.]\d{2})")


def _is_timeline_entry(m: Mention) -> bool:
    if m.expression.start_char - m.sentence_start > 2:
        return False
    return _ENTRY_TAIL.match(m.sentence, m.expression.end_char - m.sentence_start) is not None


def _listed_days(mentions: Sequence[Mention], min_entries: int) -> Counter[dt.date]:
    """Per day, the articles whose own timeline (at least `min_entries` dated entries) lists it."""
    per_article: dict[str, set[dt.date]] = {}
    for m in mentions:
        if m.start == m.end and _is_timeline_entry(m):
            per_article.setdefault(m.article_id, set()).add(m.start)
    return Counter(day for days in per_article.values() if len(days) >= min_entries for day in days)


@dataclass
class DaySignals:
    """Corpus-wide evidence per day: articles that date a happening to it, later ones, publications."""

    refs: Counter[dt.date]
    retrospective: Counter[dt.date]
    published: Counter[dt.date]
    # the most distinct articles any one event of the day has: the day's leading happening
    leaders: Counter[dt.date] = field(default_factory=Counter)
    anchors: dict[str, dt.date] = field(default_factory=dict)
    # articles whose in-article timeline lists the day
    listed: Counter[dt.date] = field(default_factory=Counter)

    @classmethod
    def of(
        cls,
        mentions: Sequence[Mention],
        articles: Sequence[Article],
        after_days: int = 7,
        min_entries: int = 3,
    ) -> DaySignals:
        """Count per day the articles naming it, those `after_days` later, publications and listings."""
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
        listed = _listed_days(mentions, min_entries)
        return cls(refs=refs, retrospective=retrospective, published=published, anchors=known, listed=listed)

    def score(self, day: dt.date, w: SalienceWeights) -> float:
        """How much the corpus as a whole points at one day."""
        return (
            self.refs.get(day, 0)
            + w.retrospective * self.retrospective.get(day, 0)
            + w.published * self.published.get(day, 0)
            + w.listed * self.listed.get(day, 0)
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
