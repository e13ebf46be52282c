"""Clusters become events: agreed date, stable id, title, summary, sources and conflicts."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from timeline.events.attribution import title_from
from timeline.events.lexicon import words
from timeline.merge.cluster import Cluster
from timeline.merge.dates import consensus, describe, overlaps
from timeline.merge.salience import DaySignals, SalienceWeights, event_salience
from timeline.merge.summary import is_statement, lead_after_stamp, undatelined, unstamped
from timeline.merge.text import Vector, dot, norm
from timeline.models import Article, Conflict, Event, EventSource, Mention

KEY_TERMS = 6


def timeline_order(event: Event) -> tuple[object, ...]:
    """Sort key of a timeline: by date, then the more salient first, then by id for a stable order."""
    return (event.start, event.end, -event.salience, event.id)


# a clause with fewer words than this beside its date phrase is a bare noun, no headline
BARE_TITLE_WORDS = 3


def _representative(
    members: list[Mention], vectors: Sequence[Vector], ids: list[int], centroid: Vector, days: DaySignals
) -> int:
    """The member that best speaks for the event: a happening, central, early, told as news, self-contained.

    Articles published within two days of the event report it as news; later ones tend to mention it in
    passing ("the first time since the explosion on 20 April"), and a sentence opening on "It" or
    "This" leans on the one before it. A clause that is only a noun beside its date makes a title that
    says nothing of who did what.
    """
    vague = words("vague_openers.txt")
    length = norm(centroid) or 1.0

    def score(k: int) -> float:
        m = members[k]
        value = dot(vectors[ids[k]], centroid) / length + 0.2 * (1.0 - m.position)
        value += 0.0 if m.reporting else 0.5
        anchor = days.anchors.get(m.article_id)
        if anchor is not None and 0 <= (anchor - m.start).days <= 2:
            value += 0.3
        if m.clause.split(" ", 1)[0].lower().strip(",") in vague:
            value -= 0.3
        if not is_statement(m.sentence):
            value -= 1.0
        # a bare noun ("the January 25 protest" titles the event "Protest") names no actor or deed
        if len(m.clause.split()) - len(m.expression.text.split()) < BARE_TITLE_WORDS:
            value -= 0.6
        return value

    return max(range(len(members)), key=lambda k: (score(k), -k))


def _event_id(start: object, end: object, centroid: Vector) -> str:
    key = sorted(sorted(centroid, key=lambda t: (-centroid[t], t))[:KEY_TERMS])
    digest = hashlib.sha1(f"{start}/{end}|{' '.join(key)}".encode()).hexdigest()
    return f"ev-{digest[:12]}"


def _source(m: Mention) -> EventSource:
    return EventSource(
        article_id=m.article_id,
        sentence=m.sentence,
        expression=m.expression.text,
        start_char=m.expression.start_char,
        end_char=m.expression.end_char,
        start=m.start,
        end=m.end,
        doubtful=m.doubtful,
    )


def _title(rep: Mention) -> str:
    """The representative's clause as a headline. A page stamp glued into it goes before the date is cut
    ("Monday 9 May 2005 00.00 BST In June 1971, ..." must not leave "00.00 BST"); when the stamp
    follows the page's headline and standfirst, the lead after it tells the day's news, unless the
    date is the headline's own."""
    split = lead_after_stamp(rep.clause)
    # the lead comes back without stamps; a clause of its own loses them here
    clause = split[1] if split and rep.expression.text not in split[0] else unstamped(rep.clause)
    title = title_from(undatelined(clause), rep.expression.text, language=rep.language)
    return title or unstamped(rep.sentence[:100])


def to_event(
    cluster: Cluster,
    mentions: Sequence[Mention],
    vectors: Sequence[Vector],
    days: DaySignals,
    weights: SalienceWeights,
) -> Event:
    """One Event from one cluster of mentions, dated by the consensus of its sources (`consensus`)."""
    everyone = [*cluster.members, *cluster.conflicts]
    (start, end), agreeing = consensus([mentions[i] for i in everyone], cluster.interval)
    member_ids = [i for i in everyone if overlaps((mentions[i].start, mentions[i].end), (start, end))]
    agreed = set(member_ids)
    conflict_ids = [i for i in everyone if i not in agreed]
    members = [mentions[i] for i in member_ids]
    granularity, value = describe((start, end), members)
    rep = members[_representative(members, vectors, member_ids, cluster.centroid, days)]
    conflicts = [
        Conflict(
            article_id=mentions[i].article_id,
            expression=mentions[i].expression.text,
            start=mentions[i].start,
            end=mentions[i].end,
            note=f"dated {mentions[i].start}..{mentions[i].end}, the other sources agree on {start}..{end}",
        )
        for i in conflict_ids
    ]
    doubts = [m.doubtful for m in members]
    sources = [_source(m) for m in members] + [_source(mentions[i]) for i in conflict_ids]
    sources.sort(key=lambda s: (s.article_id, s.start_char or 0))
    return Event(
        id=_event_id(start, end, cluster.centroid),
        start=start,
        end=end,
        granularity=granularity,
        value=value,
        title=_title(rep),
        summary=unstamped(rep.sentence),
        salience=event_salience(members, start, end, days, weights),
        sources=sources,
        conflicts=conflicts,
        date_support=agreeing,
        doubtful=doubts[0] if doubts and all(doubts) else None,
    )


def day_signals(
    mentions: Sequence[Mention],
    articles: Sequence[Article],
    clusters: Sequence[Cluster],
    weights: SalienceWeights,
    *,
    slots: Sequence[Mention | None] | None = None,
) -> DaySignals:
    """Per-day corpus evidence, plus the size of each day's leading day-granular event.

    `slots` is what the clusters' member indices point into when it is not `mentions` itself (the
    online merger keeps freed slots as None).
    """
    slots = mentions if slots is None else slots
    days = DaySignals.of(mentions, articles, weights.retrospective_after_days, weights.listed_min_entries)
    for c in clusters:
        if c.members and c.interval[0] == c.interval[1]:
            size = len({slots[i].article_id for i in c.members})  # type: ignore[union-attr]
            days.leaders[c.interval[0]] = max(days.leaders[c.interval[0]], size)
    return days
