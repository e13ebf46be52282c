"""Keep the output JSON current: the story's articles and their stored mentions, merged and written.

Extraction is the expensive step and runs only for story articles whose mentions are missing or stale
(normally none: pollers extract as they store). Merging is incremental: a `TimelineKeeper` (one per
daemon process) starts with a full merge of what the store holds, so a restart is always consistent with
it, and then hands its `OnlineMerger` only the story articles that are new, changed (any field) or
re-extracted since the last rebuild, and those gone from the story; only the events they touch are
re-derived (`rebuilt=` in the log line). The file is replaced atomically.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from timeline.daemon.logfmt import fields
from timeline.daemon.poller import Poller
from timeline.merge.online import REFIT_SHARE, OnlineMerger
from timeline.models import Article, Mention, Timeline
from timeline.store import Store, content_hash

log = logging.getLogger("timeline.daemon")


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


@dataclass
class TimelineKeeper:
    """The daemon's merge state between rebuilds: the online merger, which holds the articles it merged."""

    merger: OnlineMerger | None = None
    # share of the mentions of the last full merge that may change before the next update re-merges all
    refit_share: float = REFIT_SHARE
    # the store's change count the last rebuild read (None: nothing merged yet)
    version: int | None = None

    def rebuild(self, poller: Poller, path: Path) -> RebuildReport:
        """Extract what is missing, merge what changed since the last rebuild and replace `path`."""
        from timeline.pipeline import new_timeline  # one definition of what a timeline cites
        from timeline.render import write_json

        started = time.monotonic()
        store = poller.store
        version = store.version()  # read first: the JSON holds at least every change up to it
        story = store.articles(keywords=poller.config.story.keywords)
        extracted = _extract_missing(poller, {a.id for a in story})
        try:
            if self.merger is None:
                mentions = store.mentions_for(a.id for a in story)
                self.merger = OnlineMerger(story, mentions, refit_share=self.refit_share)
                rebuilt, full = len(self.merger.events()), True
            else:
                merged = self.merger.articles
                # an article equal to the one merged (every field) with no fresh extraction is unchanged
                changed = [a for a in story if merged.get(a.id) != a or a.id in extracted]
                kept = {a.id for a in story}
                removed = [aid for aid in merged if aid not in kept]
                rebuilt, full = 0, False
                if changed or removed:
                    result = self.merger.update(changed, _by_article(changed, store), removed)
                    rebuilt, full = result.rebuilt, result.refit
        except BaseException:
            # a half-applied update leaves the merger unlike the store: start over from a full merge
            self.merger = None
            raise
        timeline = new_timeline(story, self.merger.events())
        self.version = version
        published = _publish(store, timeline, path, version, write_json)
        report = RebuildReport(
            path=path,
            articles=len(story),
            events=len(timeline.events),
            extracted=len(extracted),
            duration=time.monotonic() - started,
            rebuilt=rebuilt,
            full=full,
            version=version,
            published=published,
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
                version=version,
                status=None if published else "dropped: a later rebuild is already written",
                duration=f"{report.duration:.2f}s",
            )
        )
        return report


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


def _extract_missing(poller: Poller, story_ids: set[str]) -> set[str]:
    """Extract and save the mentions of story articles that have none for their current text."""
    store, done = poller.store, set()
    for article in store.articles_needing_extraction(keywords=poller.config.story.keywords):
        if article.id in story_ids and not poller.stop.is_set():
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
