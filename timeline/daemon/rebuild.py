"""Keep the output JSON current: the story's articles and their stored mentions, merged and written.

Extraction is the expensive step and runs only for story articles whose mentions are missing or stale
(normally none: pollers extract as they store); merging the stored mentions into events is cheap and
redone whole, so the timeline is always exactly what the store holds. The file is replaced atomically.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from timeline.daemon.logfmt import fields
from timeline.daemon.poller import Poller
from timeline.store import content_hash

log = logging.getLogger("timeline.daemon")


@dataclass(frozen=True)
class RebuildReport:
    """What one rebuild wrote."""

    path: Path
    articles: int
    events: int
    extracted: int
    duration: float


def rebuild_timeline(poller: Poller, path: Path) -> RebuildReport:
    """Extract what is missing for the story's articles, assemble the timeline and replace `path`."""
    from timeline.pipeline import assemble_timeline
    from timeline.render import write_json

    started = time.monotonic()
    store = poller.store
    story = store.articles(keywords=poller.config.story.keywords)
    story_ids = {a.id for a in story}
    extracted = 0
    for article in store.articles_needing_extraction():
        if article.id in story_ids and not poller.stop.is_set():
            found = poller.extract(article)
            current = store.article(article.id)
            # A poller may have updated (and extracted) the article meanwhile: keep its newer mentions.
            if found is not None and current is not None and content_hash(current) == content_hash(article):
                store.save_mentions(article.id, found)
                extracted += 1
    mentions = store.mentions_for(story_ids)
    timeline = assemble_timeline(story, mentions)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_json(timeline, path)
    report = RebuildReport(
        path=path,
        articles=len(story),
        events=len(timeline.events),
        extracted=extracted,
        duration=time.monotonic() - started,
    )
    log.info(
        "timeline "
        + fields(
            path=str(path),
            articles=report.articles,
            events=report.events,
            extracted=report.extracted,
            duration=f"{report.duration:.2f}s",
        )
    )
    return report
