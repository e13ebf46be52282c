"""Choosing events from a timeline: by date range, words, number of sources, language and salience.

One definition for `timeline show`, `timeline export` and the HTTP API, so a filter means the same
everywhere. Words match the start of words in an event's title, summary, source sentences and its
articles' titles and outlets, ignoring case and accents ("mexico" finds "México"); every word (or
"quoted phrase") must match. A date range keeps events whose whole interval lies inside it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from timeline.errors import InputError
from timeline.models import Event, Timeline, TimelineArticle

_BOUND = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_TERM = re.compile(r'"([^"]*)"|(\S+)')


def parse_bound(text: str, *, end: bool, where: str = "date") -> dt.date:
    """A date bound written YYYY, YYYY-MM or YYYY-MM-DD: its first day, or with `end` its last day."""
    match = _BOUND.fullmatch(text.strip())
    try:
        if match is None:
            raise ValueError
        year, month, day = int(match[1]), int(match[2] or 0), int(match[3] or 0)
        if not month:
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        if not day:
            return dt.date(year, month, calendar.monthrange(year, month)[1] if end else 1)
        return dt.date(year, month, day)
    except ValueError:
        raise InputError(f"{where}: expected YYYY, YYYY-MM or YYYY-MM-DD, got {text!r}") from None


def fold(text: str) -> str:
    """Text for matching: accents removed, case folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def terms_pattern(words: str) -> list[re.Pattern[str]]:
    """One pattern per word or "quoted phrase", each matching at the start of a word of folded text."""
    patterns = []
    for phrase, word in _TERM.findall(fold(words)):
        parts = (phrase or word).split()
        if parts:
            patterns.append(re.compile(r"(?<!\w)" + r"\s+".join(re.escape(p) for p in parts)))
    return patterns


def source_articles(event: Event) -> list[str]:
    """The distinct articles an event cites (dated and supporting), in the order it cites them."""
    return list(dict.fromkeys(source.article_id for source in event.sources))


def haystack(event: Event, articles: dict[str, TimelineArticle]) -> str:
    """Everything a word filter looks in, folded: title, summary, sentences, article titles, outlets."""
    parts = [event.title, event.summary]
    parts.extend(source.sentence for source in event.sources)
    for article_id in source_articles(event):
        article = articles.get(article_id)
        if article is not None:
            parts.extend(p for p in (article.title, article.source) if p)
    return fold("\n".join(parts))


@dataclass(frozen=True)
class EventQuery:
    """What to keep; every field left None keeps every event."""

    start: dt.date | None = None
    end: dt.date | None = None
    words: str | None = None
    min_sources: int | None = None
    language: str | None = None
    top: int | None = None

    @classmethod
    def parse(
        cls,
        *,
        start: str | None = None,
        end: str | None = None,
        words: str | None = None,
        min_sources: int | None = None,
        language: str | None = None,
        top: int | None = None,
        names: tuple[str, str] = ("from", "to"),
    ) -> EventQuery:
        """A query from user text: bounds as YYYY, YYYY-MM or YYYY-MM-DD (InputError names the bad one)."""
        first = parse_bound(start, end=False, where=names[0]) if start else None
        last = parse_bound(end, end=True, where=names[1]) if end else None
        if first and last and last < first:
            raise InputError(f"{names[1]} {end} is before {names[0]} {start}")
        return cls(first, last, (words or "").strip() or None, min_sources, language or None, top)


class EventIndex:
    """A timeline with what filtering needs computed once: search text, source counts, languages.

    Build it once per timeline (the web server keeps one per version of the file) and `select` many
    times; each call is a linear scan with no parsing.
    """

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.articles = {article.id: article for article in timeline.articles}
        events = timeline.events
        self.texts = [haystack(e, self.articles) for e in events]
        self.cited = [source_articles(e) for e in events]
        self.counts = [len(ids) for ids in self.cited]
        self.languages = [
            {self.articles[a].language.lower() for a in ids if a in self.articles} for ids in self.cited
        ]
        self.by_id = {e.id: n for n, e in enumerate(events)}

    def select(self, query: EventQuery) -> list[int]:
        """Positions (in timeline order) of the events the query keeps."""
        patterns = terms_pattern(query.words) if query.words else []
        language = query.language.lower() if query.language else None
        kept = []
        for n, event in enumerate(self.timeline.events):
            if query.start and event.start < query.start:
                continue
            if query.end and event.end > query.end:
                continue
            if query.min_sources and self.counts[n] < query.min_sources:
                continue
            if language and language not in self.languages[n]:
                continue
            if patterns and not all(p.search(self.texts[n]) for p in patterns):
                continue
            kept.append(n)
        if query.top is not None:
            events = self.timeline.events
            ranked = sorted(kept, key=lambda n: (-events[n].salience, events[n].start, events[n].id))
            chosen = set(ranked[: max(query.top, 0)])
            kept = [n for n in kept if n in chosen]
        return kept

    def events(self, query: EventQuery) -> list[Event]:
        """The events the query keeps, in timeline order."""
        return [self.timeline.events[n] for n in self.select(query)]


def select_events(timeline: Timeline, query: EventQuery) -> list[Event]:
    """The events of `timeline` the query keeps, in timeline order."""
    return EventIndex(timeline).events(query)


def filtered(timeline: Timeline, query: EventQuery) -> Timeline:
    """A copy of the timeline holding only the kept events (articles unchanged)."""
    return timeline.model_copy(update={"events": select_events(timeline, query)})


def cited(events: Iterable[Event], articles: dict[str, TimelineArticle]) -> list[TimelineArticle]:
    """The articles these events cite, in first-cited order."""
    ids = dict.fromkeys(a for e in events for a in source_articles(e))
    return [articles[a] for a in ids if a in articles]


def find_event(timeline: Timeline, event_id: str) -> Event | None:
    """The event with this id, or None."""
    return next((e for e in timeline.events if e.id == event_id), None)


def safe_url(url: str | None) -> str | None:
    """An article URL fit for a link: http or https only (a `javascript:` or `data:` URL is no link)."""
    if not url:
        return None
    text = url.strip()
    scheme = text.split(":", 1)[0].lower() if ":" in text else ""
    if scheme not in ("http", "https") or any(ord(c) < 0x21 for c in text):
        return None
    return text


def count_of(number: int, noun: str) -> str:
    """ "1 event", "26 events"."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
