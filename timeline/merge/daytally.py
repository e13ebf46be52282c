"""The corpus's day signals kept as a sum of per-article parts, so an online update re-counts only the
articles and clusters it changed.

Every `DaySignals` count (`refs`, `retrospective`, `published`, `listed`) is a count over articles of
what each says on its own, and `anchors` maps each article to its day: the signals of the corpus are
the sum of `DaySignals.of` on each article alone. `leaders` (each day's leading one-day event, in
distinct articles) is a maximum over clusters and is kept per day from each cluster's size. A field of
another kind would break this sum: `DayTally` refuses to start rather than count it wrongly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Sequence

from timeline.merge.cluster import Cluster
from timeline.merge.salience import DaySignals, SalienceWeights
from timeline.models import Article, Mention

_LEADERS = "leaders"


def _kinds() -> tuple[list[str], list[str]]:
    """The names of the count fields and of the per-article map fields of `DaySignals`."""
    empty = DaySignals(refs=Counter(), retrospective=Counter(), published=Counter())
    counts, maps = [], []
    for f in dataclasses.fields(DaySignals):
        value = getattr(empty, f.name)
        if isinstance(value, Counter):
            counts.append(f.name)
        elif isinstance(value, dict):
            maps.append(f.name)
        else:
            raise TypeError(f"DaySignals.{f.name} is neither a count nor a per-article map")
    return [name for name in counts if name != _LEADERS], maps


class DayTally:
    """`day_signals` of a changing corpus: per-article parts summed, one-day cluster sizes maxed."""

    def __init__(self, weights: SalienceWeights) -> None:
        self.weights = weights
        self.counts, self.maps = _kinds()
        self.signals = DaySignals(refs=Counter(), retrospective=Counter(), published=Counter())
        self._parts: dict[str, DaySignals] = {}
        self._sizes: dict[int, tuple[dt.date, int]] = {}
        self._on_day: dict[dt.date, set[int]] = {}
        # the days touched since `settle`, each with its values then
        self._before: dict[dt.date, tuple[int, ...]] = {}

    def _values(self, day: dt.date) -> tuple[int, ...]:
        s = self.signals
        return (*(getattr(s, name).get(day, 0) for name in self.counts), s.leaders.get(day, 0))

    def _touch(self, days: set[dt.date]) -> None:
        for day in days - self._before.keys():
            self._before[day] = self._values(day)

    def _apply(self, part: DaySignals, sign: int) -> None:
        for name in self.counts:
            total: Counter[dt.date] = getattr(self.signals, name)
            for day, n in getattr(part, name).items():
                total[day] += sign * n
                if not total[day]:
                    del total[day]
        for name in self.maps:
            total_map = getattr(self.signals, name)
            for key, value in getattr(part, name).items():
                if sign > 0:
                    total_map[key] = value
                else:
                    total_map.pop(key, None)

    def _days(self, part: DaySignals) -> set[dt.date]:
        return {day for name in self.counts for day in getattr(part, name)}

    def drop(self, article_id: str) -> None:
        """Take an article's part out."""
        part = self._parts.pop(article_id, None)
        if part is not None:
            self._touch(self._days(part))
            self._apply(part, -1)

    def put(self, article: Article, mentions: Sequence[Mention]) -> None:
        """Count an article (with all its mentions), replacing what was counted for it."""
        self.drop(article.id)
        w = self.weights
        part = DaySignals.of(mentions, [article], w.retrospective_after_days, w.listed_min_entries)
        self._touch(self._days(part))
        self._apply(part, +1)
        self._parts[article.id] = part

    def cluster(self, cid: int, c: Cluster, slots: Sequence[Mention | None]) -> None:
        """Count cluster `cid` as it is now toward its day's leading size (if it is a live one-day one)."""
        old = self._sizes.pop(cid, None)
        days = set()
        if old is not None:
            self._on_day[old[0]].discard(cid)
            days.add(old[0])
        if c.members and c.interval[0] == c.interval[1]:
            day = c.interval[0]
            self._sizes[cid] = (day, len({slots[i].article_id for i in c.members}))  # type: ignore[union-attr]
            self._on_day.setdefault(day, set()).add(cid)
            days.add(day)
        self._touch(days)
        for day in days:
            best = max((self._sizes[k][1] for k in self._on_day.get(day, ())), default=0)
            if best:
                self.signals.leaders[day] = best
            else:
                self.signals.leaders.pop(day, None)
                self._on_day.pop(day, None)

    def settle(self) -> set[dt.date]:
        """The days whose signals differ from what they were at the last `settle`."""
        changed = {day for day, before in self._before.items() if self._values(day) != before}
        self._before = {}
        return changed


__all__ = ["DayTally"]
