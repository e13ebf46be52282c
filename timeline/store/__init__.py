"""Persistent store of feeds, polling state, articles and extracted mentions (SQLite WAL or PostgreSQL).

Public API (all a caller needs; every write is one transaction, every time aware UTC):

    store = Store.open(config.store.url, max_failures=config.daemon.max_failures)
    store.sync_feeds(config.feeds)                      # [[feeds]] from the config exist in the store
    for feed in store.claim_due(limit=4, lease=120):    # due feeds, each held by this poll for 120 s
        ...fetch with feed.etag / feed.last_modified...
        key = entry_key(guid, link, text)               # guid, else link, else content hash
        outcome = store.upsert_article(feed.id, key, article)   # "new" | "updated" | "unchanged"
        store.save_mentions(article_id(feed.id, key), mentions) # or upsert_article(..., mentions=...)
        store.record_poll(feed.id, status=304, next_check_at=..., etag=..., last_modified=...,
                          failed=False, disabled=False, new_url=None, error=None,
                          claim=feed.claim)             # ClaimLostError if the lease lapsed and was taken
    store.articles(keywords=config.story.keywords)      # the story's articles, oldest first
    store.mentions_for(ids) / store.all_mentions() / store.articles_needing_extraction()
    store.save_mentions(id, found, extracted_from=content_hash(article))   # False if stale or done
    store.version()                                     # changes to articles/mentions so far
    store.publish(path, version, replace)               # never an older build over a newer one
    store.close()

Writes are idempotent across replicas: articles and feeds go in with INSERT ... ON CONFLICT, an
article's mentions are replaced under its row lock and (article_id, position) is unique; `claim_due`
picks feeds FOR UPDATE SKIP LOCKED, so two replicas never poll one feed at once.

Feeds: `add_feed` (idempotent on URL), `get_feed`, `remove_feed`, `enable_feed`, `list_feeds`. A feed is
flagged after `max_failures` consecutive failed polls and disabled by `record_poll(disabled=True)` (410);
neither is due again until `enable_feed` (`timeline feeds enable`). A 301/308 `new_url` replaces the URL and
keeps the subscribed one as `origin_url`, so `sync_feeds` does not add the old URL back.

`StoreError` (a `TimelineError`) is raised when the store cannot be opened or reached; unknown feeds or
bad feed URLs raise `InputError`. Removing a feed deletes its articles and their mentions.
"""

from timeline.sources.keys import article_id, entry_key
from timeline.store.articles import UpsertResult, content_hash, in_story, keyword_pattern, version_extracted
from timeline.store.core import Store
from timeline.store.engine import StoreError
from timeline.store.feeds import KEEP, ClaimLostError, FeedState, utcnow
from timeline.store.urls import check_feed_url

__all__ = [
    "KEEP",
    "ClaimLostError",
    "FeedState",
    "Store",
    "StoreError",
    "UpsertResult",
    "article_id",
    "check_feed_url",
    "content_hash",
    "entry_key",
    "in_story",
    "keyword_pattern",
    "utcnow",
    "version_extracted",
]
