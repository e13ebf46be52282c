"""Summary-only entries completed from their linked pages, served by a real local server."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline.sources.feeds import complete_entry, parse_feed
from timeline.sources.furniture import clean_text
from timeline.sources.http import Fetcher

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture
def fetcher():
    with Fetcher(timeout=2.0, allow_private_addresses=True) as f:
        yield f


def _fetch_parse(server, fetcher, path, feed_id=1):
    result = fetcher.fetch(server.url(path))
    return parse_feed(result.content, feed_id=feed_id, url=result.url, content_type=result.content_type)


def test_summary_only_entry_is_completed_from_its_page(feed_server, fetcher):
    parsed = _fetch_parse(feed_server, fetcher, "/atom.xml")
    summary = next(e for e in parsed.entries if e.summary_only)
    assert len(summary.article.text) < 300
    done = complete_entry(summary, fetcher)
    assert not done.summary_only
    slug = summary.key.rsplit(":", 1)[1]
    seed_text = (SEEDS / f"{slug}.txt").read_text()
    last_paragraph = clean_text(seed_text).splitlines()[-1]
    assert last_paragraph[:80] in done.article.text
    assert "Subscribe to our newsletter" not in done.article.text
    assert any(r.path.startswith("/pages/") for r in feed_server.requests)


def test_page_date_is_used_when_the_entry_has_none(feed_server, fetcher):
    parsed = _fetch_parse(feed_server, fetcher, "/atom.xml")
    summary = next(e for e in parsed.entries if e.summary_only)
    undated = summary.__class__(
        key=summary.key,
        article=summary.article.model_copy(update={"published": None, "published_basis": "none"}),
        link=summary.link,
        summary_only=True,
    )
    done = complete_entry(undated, fetcher)
    assert done.article.published is not None
    assert done.article.published.date() == summary.article.published.date()
    assert done.article.published_basis.startswith("page: ")


def test_unreachable_page_keeps_the_summary(feed_server, fetcher):
    parsed = _fetch_parse(feed_server, fetcher, "/atom.xml")
    summary = next(e for e in parsed.entries if e.summary_only)
    feed_server.fail_paths.add("/pages/" + summary.link.rsplit("/", 1)[1])
    done = complete_entry(summary, fetcher)
    assert done.article.text == summary.article.text


def test_article_link_to_a_private_address_is_not_fetched_unless_allowed(feed_server, fetcher):
    parsed = _fetch_parse(feed_server, fetcher, "/atom.xml")
    summary = next(e for e in parsed.entries if e.summary_only)
    before = len(feed_server.requests)
    with Fetcher(timeout=2.0) as guarded:
        done = complete_entry(summary, guarded)
    assert len(feed_server.requests) == before
    assert done.article.text == summary.article.text
