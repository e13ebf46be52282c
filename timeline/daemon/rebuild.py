"""Keep the output JSON current: the story's articles and their stored mentions, merged and written.

Extraction is the expensive step and runs only for story articles whose mentions are missing or stale
(normally none: pollers extract as they store). Merging is incremental: a `TimelineKeeper` (one per
daemon process) starts with a full merge of what the store holds, so a restart is always consistent with
it, and then hands its `OnlineMerger` only the story articles that are new, changed (any field) or
re-extracted since the last rebuild, and those gone from the story; only the events they touch are
re-derived (`rebuilt=` in the log line). The file is replaced atomically.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from timeline.daemon.logfmt import fields
from timeline.daemon.poller import Poller
from timeline.merge.online import REFIT_SHARE, OnlineMerger
from timeline.models import Article, Mention, Timeline, TimelineArticle
from timeline.render.jsonfile import TimelineJson, write_atomic
from timeline.store import Store, content_hash, in_story, keyword_pattern, version_extracted

log = logging.getLogger("timeline.daemon")


_READ_SLICE = 500


@dataclass(frozen=True)
class RebuildReport:
    """What one rebuild wrote; `published` is False when a rebuild from a later store version was
    already on disk (another writer's), and this one was dropped."""

    path: Path
    articles: int
    events: int
    extracted: int
    duration: float
    rebuilt: int = 0
    full: bool = True
    version: int = 0
    published: bool = True
    # story articles read again with their text (new, changed or re-extracted since the last rebuild)
    read: int = 0


@dataclass
class TimelineKeeper:
    """The daemon's merge state between rebuilds: the online merger, which holds the articles it merged."""

    merger: OnlineMerger | None = None
    # share of the mentions of the last full merge that may change before the next update re-merges all
    refit_share: float = REFIT_SHARE
    # the store's change count the last rebuild read (None: nothing merged yet)
    version: int | None = None
    # per article the story's prefilter passes: the version last read, and the article if on the story
    _read: dict[str, tuple[str, Article | None]] = field(default_factory=dict)
    # what the timeline says of each article, kept while the article object is the same
    _entries: dict[str, tuple[Article, TimelineArticle]] = field(default_factory=dict)
    _json: TimelineJson = field(default_factory=TimelineJson)

    def rebuild(self, poller: Poller, path: Path) -> RebuildReport:
        """Extract what is missing, merge what changed since the last rebuild and replace `path`."""
        started = time.monotonic()
        store, same = poller.store, False
        version = store.version()  # read first: the JSON holds at least every change up to it
        story, reread = self._story(poller)
        extracted = _extract_missing(poller, [a for a in story if not version_extracted(self._read[a.id][0])])
        try:
            if self.merger is None:
                mentions = store.mentions_for(a.id for a in story)
                self.merger = OnlineMerger(story, mentions, refit_share=self.refit_share)
                rebuilt, full = len(self.merger.events()), True
            else:
                merged = self.merger.articles
                # an article whose content and saved extraction are as last read is unchanged
                changed = [a for a in story if a.id in reread or a.id in extracted or a.id not in merged]
                kept = {a.id for a in story}
                removed = [aid for aid in merged if aid not in kept]
                rebuilt, full = 0, False
                if changed or removed:
                    result = self.merger.update(changed, _by_article(changed, store), removed)
                    rebuilt, full = result.rebuilt, result.refit
                else:
                    same = True
        except BaseException:
            # a half-applied update leaves the merger unlike the store: start over from a full merge
            self.merger = None
            raise
        events = self.merger.events()
        self.version = version
        if same:
            # the story and its events are as written last time: the file stands for this version too
            published = store.publish(str(path.resolve()), version, lambda: None)
        else:
            timeline = Timeline(
                generated_at=dt.datetime.now(dt.UTC), articles=self._cited(story), events=events
            )
            published = _publish(store, timeline, path, version, self._write)
        report = RebuildReport(
            path=path,
            articles=len(story),
            events=len(events),
            extracted=len(extracted),
            duration=time.monotonic() - started,
            rebuilt=rebuilt,
            full=full,
            version=version,
            published=published,
            read=len(reread),
        )
        log.info(
            "timeline "
            + fields(
                path=str(path),
                articles=report.articles,
                events=report.events,
                rebuilt=report.rebuilt,
                merge="full" if full else "incremental",
                extracted=report.extracted,
                read=report.read,
                version=version,
                status=None if published else "dropped: a later rebuild is already written",
                duration=f"{report.duration:.2f}s",
            )
        )
        return report

    def _cited(self, story: list[Article]) -> list[TimelineArticle]:
        """The timeline's article entries (`timeline_article`), made again only for articles read again,
        so that the JSON writer reuses the text of the others."""
        from timeline.pipeline import timeline_article  # one definition of what a timeline cites

        entries = {}
        for article in story:
            held = self._entries.get(article.id)
            if held is None or held[0] is not article:
                held = (article, timeline_article(article))
            entries[article.id] = held
        self._entries = entries
        return [entry for _article, entry in entries.values()]

    def _write(self, timeline: Timeline, path: Path) -> None:
        write_atomic(path, self._json.pieces(timeline))

    def _story(self, poller: Poller) -> tuple[list[Article], set[str]]:
        """The story's articles in the store's order, and the ids read again: only articles whose
        version (content, saved extraction) moved since the last rebuild are read with their text, and
        whether each is on the story is decided once per version (the store's versions come from an
        index, without the text an SQL keyword filter would have to scan each time)."""
        store, keywords = poller.store, poller.config.story.keywords
        versions = store.article_versions()
        stale = [aid for aid, v in versions if (held := self._read.get(aid)) is None or held[0] != v]
        pattern = keyword_pattern(keywords)
        # read in slices, keeping only the story's: a restart on 20,000 stored articles would
        # otherwise hold every text at once (115 MB more at its peak)
        fetched: dict[str, Article | None] = {}
        for at in range(0, len(stale), _READ_SLICE):
            for aid, article in store.articles_by_id(stale[at : at + _READ_SLICE]).items():
                fetched[aid] = article if in_story(pattern, article) else None
        read: dict[str, tuple[str, Article | None]] = {}
        for aid, v in versions:
            if aid in fetched:
                read[aid] = (v, fetched[aid])
            elif (held := self._read.get(aid)) is not None and held[0] == v:
                read[aid] = held
            # else it went between the two reads: gone from the story this time
        self._read = read
        return [a for _v, a in read.values() if a is not None], set(fetched)


def _publish(store: Store, timeline: Timeline, path: Path, version: int, write: Callable[..., None]) -> bool:
    """Write the JSON beside `path`, then rename it over `path` unless a rebuild of a later store version
    is there already (the store records which version each output holds, under a row lock)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.new")
    write(timeline, staged)
    try:
        return store.publish(str(path.resolve()), version, lambda: os.replace(staged, path))
    finally:
        staged.unlink(missing_ok=True)


def _extract_missing(poller: Poller, articles: list[Article]) -> set[str]:
    """Extract and save the mentions of these story articles (none saved for their current text)."""
    store, done = poller.store, set()
    for article in articles:
        if not poller.stop.is_set():
            found = poller.extract(article)
            # saved only if the article still has this text and nobody saved its extraction meanwhile
            if found is not None and store.save_mentions(
                article.id, found, extracted_from=content_hash(article)
            ):
                done.add(article.id)
    return done


def _by_article(changed: list[Article], store: Store) -> dict[str, list[Mention]]:
    """The stored mentions of each changed article (an article without any gets an empty list)."""
    grouped: dict[str, list[Mention]] = {a.id: [] for a in changed}
    for m in store.mentions_for(grouped):
        grouped[m.article_id].append(m)
    return grouped


def rebuild_timeline(poller: Poller, path: Path) -> RebuildReport:
    """One full rebuild with no state kept (a fresh keeper): what `timeline poll --once` needs."""
    return TimelineKeeper().rebuild(poller, path)
