"""Misbehaving feeds, one test each, against a real local server and a real SQLite store.

Rounds run in-process (`Daemon(config).run_once()`, exactly what `timeline poll --once` does) so that the
tests can step through rounds quickly; the long-running process is covered in test_daemon_process.py.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

import pytest
from daemonkit import read_json, run_timeline, start_daemon, wait_for, write_config
from feedserver import Item

from timeline.config import load_config
from timeline.daemon import Daemon
from timeline.events import extract_mentions
from timeline.models import Article
from timeline.store import Store


def _item(n: int, text: str | None = None, guid: str | None = None) -> Item:
    return Item(
        guid=guid or f"urn:test:{n}",
        title=f"Border talks update {n}",
        text=text or f"Officials from both countries met on 3 January 2024 for round {n} of the talks.",
        published=dt.datetime(2024, 1, 4, 8, 0, tzinfo=dt.UTC),
    )


def _one(tmp_path, server, path: str, name: str, **settings):
    return write_config(tmp_path, [{"url": server.url(path), "name": name, "interval": "1s"}], **settings)


def _round(config, failed: bool | None = False) -> None:
    """One round, as `timeline poll --once`; it returns 1 when a feed's poll failed (None: either)."""
    code = Daemon(load_config(config)).run_once()
    assert failed is None or code == int(failed)


def _feeds(config) -> dict[str, object]:
    with Store.open(load_config(config).store.url) as store:
        return {f.name or f.url: f for f in store.list_feeds()}


def _articles(config):
    with Store.open(load_config(config).store.url) as store:
        return store.articles()


def _poll_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("poll ")]


@pytest.fixture(autouse=True)
def _daemon_logs(caplog):
    caplog.set_level(logging.INFO, logger="timeline")


def test_feed_answering_500_backs_off_while_the_other_keeps_updating(tmp_path, feed_server, daemons):
    feed_server.extra["/news.xml"] = [_item(1)]
    feeds = [
        {"url": feed_server.url("/500.xml"), "name": "broken", "interval": "1s"},
        {"url": feed_server.url("/news.xml"), "name": "news", "interval": "1s"},
    ]
    config = write_config(tmp_path, feeds)
    daemons.append(process := start_daemon(tmp_path, config))
    output = tmp_path / "timeline.json"
    assert wait_for(lambda: len((read_json(output) or {}).get("articles", [])) == 1, 90)
    time.sleep(4)
    with feed_server.lock:
        feed_server.extra["/news.xml"].append(_item(2))
    assert wait_for(lambda: len((read_json(output) or {}).get("articles", [])) == 2, 10)
    process.terminate()
    assert process.wait(10) == 0
    broken, news = feed_server.seen("/500.xml"), feed_server.seen("/news.xml")
    # Back-off 1 s, 2 s, 4 s...: fewer and fewer tries, while the healthy feed is polled every second.
    assert 2 <= len(broken) <= 5 and len(news) > len(broken)
    gaps = [b.at - a.at for a, b in zip(broken, broken[1:], strict=False)]
    # each wait at least the one before (a loaded machine can stretch a wait by a dispatch or two)
    assert all(b >= a - 1.0 for a, b in zip(gaps, gaps[1:], strict=False)) and gaps[-1] >= 1.8
    state = _feeds(config)["broken"]
    assert state.error_count == len(broken) and state.last_status == "500" and not state.flagged
    log = (tmp_path / "daemon.log").read_text()
    assert "poll feed=broken status=500 new=0 updated=0" in log


def test_feed_that_never_answers_is_cut_off_and_does_not_delay_the_other(tmp_path, feed_server, caplog):
    # the first extraction in a process loads the tagger's tables: on a loaded machine that alone can
    # outlast the 1 s timeout, and this test is about the network, so load them first
    extract_mentions(Article(id="warm", text="Talks resumed on 3 January 2024.", published="2024-01-04"))
    feed_server.extra["/news.xml"] = [_item(1)]
    # Both feeds declare their language, and the cut-off is 3 s: what is timed here is the silent feed's
    # cut-off against a healthy poll, not one-off start-up costs the healthy feed's first article pays
    # (the language model's load, 1-5 s; the tagger's tables, about 1 s on this machine).
    feeds = [
        {"url": feed_server.url("/slow.xml"), "name": "silent", "interval": "1s", "language": "en"},
        {"url": feed_server.url("/news.xml"), "name": "news", "interval": "1s", "language": "en"},
    ]
    config = write_config(tmp_path, feeds, timeout=3)
    started = time.monotonic()
    _round(config, failed=True)
    assert time.monotonic() - started < 8
    states = _feeds(config)
    assert states["silent"].last_status == "timeout" and states["silent"].error_count == 1
    assert states["news"].last_status == "200"
    lines = _poll_lines(caplog)
    # The healthy feed finished first, while the silent one was still waiting.
    assert lines[0].startswith("poll feed=news status=200 new=1")
    assert any(line.startswith("poll feed=silent status=timeout") for line in lines)


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/malformed.xml", "malformed XML: "),
        ("/huge.xml", "exceeds max_bytes=10000000"),
        ("/bomb.xml", "entity expansion refused"),
        ("/bomb-utf16be.xml", "entity expansion refused"),
        ("/gzip-bomb.xml", "exceeds max_bytes=10000000"),
    ],
)
def test_bad_documents_are_refused_with_a_logged_reason(tmp_path, feed_server, caplog, path, reason):
    config = write_config(tmp_path, [{"url": feed_server.url(path), "name": "bad", "interval": "1s"}])
    _round(config, failed=True)
    lines = _poll_lines(caplog)
    assert len(lines) == 1 and lines[0].startswith("poll feed=bad status=refused new=0 updated=0")
    assert reason in lines[0]
    state = _feeds(config)["bad"]
    assert state.error_count == 1 and reason in state.last_error
    assert _articles(config) == []


def test_undecodable_bytes_show_as_replacement_characters_and_the_poll_says_so(tmp_path, feed_server, caplog):
    item = _item(1)
    item.title = "Talks \udcff\udcfe resumed"  # two bytes that are not UTF-8, written as they come
    feed_server.extra["/bad-utf8.xml"] = [item]
    config = _one(tmp_path, feed_server, "/bad-utf8.xml", "bad-utf8")
    _round(config)
    (article,) = _articles(config)
    assert article.title == "Talks \ufffd\ufffd resumed"
    (line,) = _poll_lines(caplog)
    assert line.startswith("poll feed=bad-utf8 status=200 new=1")
    assert 'warning="2 undecodable byte sequence(s) replaced with U+FFFD (read as utf-8)"' in line
    titles = [a["title"] for a in read_json(tmp_path / "timeline.json")["articles"]]
    assert titles == ["Talks \ufffd\ufffd resumed"]


def test_permanent_redirect_is_followed_and_remembered(tmp_path, feed_server, store_url):
    config = _one(tmp_path, feed_server, "/moved.xml", "moved", store_url=store_url)
    _round(config)
    state = _feeds(config)["moved"]
    assert state.url == feed_server.url("/rss.xml") and state.origin_url == feed_server.url("/moved.xml")
    count = len(_articles(config))
    assert count == 3
    time.sleep(1.1)
    _round(config)
    assert len(feed_server.seen("/moved.xml")) == 1
    assert [r.status for r in feed_server.seen("/rss.xml")] == [200, 304]
    assert len(_articles(config)) == count


def test_gone_feed_is_disabled(tmp_path, feed_server, caplog):
    config = _one(tmp_path, feed_server, "/gone.xml", "gone")
    _round(config, failed=True)
    assert _feeds(config)["gone"].disabled
    time.sleep(1.1)
    _round(config)
    assert len(feed_server.seen("/gone.xml")) == 1
    assert "status=410" in _poll_lines(caplog)[0]


@pytest.mark.parametrize(("path", "code"), [("/busy.xml", 429), ("/unavailable.xml", 503)])
def test_retry_after_is_respected(tmp_path, feed_server, path, code):
    feed_server.retry_after = "3"
    config = _one(tmp_path, feed_server, path, "busy")
    _round(config, failed=True)
    first = feed_server.seen(path)[0].at
    state = _feeds(config)["busy"]
    assert state.last_status == str(code) and "retry after 3s" in state.last_error
    # the wait the server asked for, not the 1 s interval, and not counted as a failure
    assert (state.next_check_at - state.last_polled_at).total_seconds() == pytest.approx(3, abs=0.5)
    assert (state.error_count, state.flagged) == (0, False)
    _round(config)  # at once: not due yet
    assert len(feed_server.seen(path)) == 1
    assert wait_for(lambda: (_round(config, failed=None), len(feed_server.seen(path)) == 2)[1], 3, 0.25)
    assert feed_server.seen(path)[1].at - first >= 3


def test_throttling_backs_off_without_counting_toward_flagging(tmp_path, feed_server):
    feed_server.retry_after = ""  # 429 without Retry-After: we choose the wait
    feeds = [{"url": feed_server.url("/busy.xml"), "name": "busy", "interval": "1s"}]
    config = write_config(tmp_path, feeds, max_failures=1)
    _round(config, failed=True)
    first = _feeds(config)["busy"]
    assert (first.error_count, first.flagged, first.last_status) == (0, False, "429")
    assert (first.next_check_at - first.last_polled_at).total_seconds() == pytest.approx(2, abs=0.5)
    polled_twice = lambda: (_round(config, failed=None), len(feed_server.seen("/busy.xml")) == 2)[1]  # noqa: E731
    assert wait_for(polled_twice, 4, 0.25)
    second = _feeds(config)["busy"]
    assert (second.error_count, second.flagged) == (0, False)
    assert (second.next_check_at - second.last_polled_at).total_seconds() == pytest.approx(4, abs=0.5)


def test_feed_that_keeps_failing_is_flagged_and_no_longer_polled(tmp_path, feed_server):
    feeds = [{"url": feed_server.url("/500.xml"), "name": "broken", "interval": "1s"}]
    config = write_config(tmp_path, feeds, max_failures=2, max_backoff="1s")
    for _ in range(2):
        _round(config, failed=True)
        time.sleep(1.1)
    state = _feeds(config)["broken"]
    assert state.flagged and state.error_count == 2
    _round(config)
    assert len(feed_server.seen("/500.xml")) == 2


def test_duplicate_and_updated_entries_give_one_article_each(tmp_path, feed_server, caplog, store_url):
    feed_server.extra["/dupes.xml"] = [_item(1), _item(1), _item(2)]
    config = _one(tmp_path, feed_server, "/dupes.xml", "dupes", store_url=store_url)
    _round(config)
    assert "new=2 updated=0" in _poll_lines(caplog)[0]
    feed_server.extra["/dupes.xml"] = [
        _item(1),
        _item(
            2,
            text="Both sides met on 3 January 2024. A second meeting is set for 9 January.",
        ),
        _item(1),
    ]
    time.sleep(1.1)
    _round(config)
    assert "new=0 updated=1" in _poll_lines(caplog)[1]
    articles = {a.title: a for a in _articles(config)}
    assert len(articles) == 2
    assert "9 January" in articles["Border talks update 2"].text
    # The update was extracted again: its mentions now include the new date, and only its current ones.
    updated = articles["Border talks update 2"].id
    with Store.open(load_config(config).store.url) as store:
        days = sorted(str(m.start) for m in store.mentions_for([updated]))
        assert store.articles_needing_extraction() == []
    assert "2024-01-09" in days and len(days) == len(set(days))
    timeline = read_json(tmp_path / "timeline.json")
    assert sorted(a["id"] for a in timeline["articles"]) == sorted(a.id for a in articles.values())


def test_loopback_feed_is_refused_unless_the_config_allows_it(tmp_path, feed_server, caplog):
    config = _one(tmp_path, feed_server, "/rss.xml", "local")
    text = config.read_text().replace("allow_private_addresses = true", "allow_private_addresses = false")
    config.write_text(text)
    _round(config, failed=True)
    assert feed_server.requests == []
    line = _poll_lines(caplog)[0]
    assert "status=refused" in line and "allow_private_addresses" in line


def test_control_sequences_from_feeds_never_reach_the_output_or_the_log(tmp_path, feed_server, caplog):
    hostile = _item(1, text="Talks resumed on 3 January 2024.\x1b[2J\x1b]0;owned\x07 Officials agreed.")
    hostile.title = "Talks \x1b[31mresumed\x1b[0m"
    feed_server.extra["/hostile.xml"] = [hostile]
    name = "evil\x1b[2Jfeed name"
    config = _one(tmp_path, feed_server, "/hostile.xml", name)
    _round(config)
    article = _articles(config)[0]
    raw = (tmp_path / "timeline.json").read_text()
    for text in (article.title, article.text, raw, *(r.getMessage() for r in caplog.records)):
        assert not any(c in text for c in ("\x1b", "\x07", "\\u001b", "\\u0007"))
    assert "resumed" in article.title and "Officials agreed." in article.text
    shown = run_timeline(tmp_path, "show", "--verbose", str(tmp_path / "timeline.json"))
    assert shown.returncode == 0 and "Officials agreed." in shown.stdout
    assert "\x1b" not in shown.stdout + shown.stderr


def test_page_that_failed_is_fetched_again_when_the_feed_next_changes(tmp_path, feed_server, caplog):
    config = _one(tmp_path, feed_server, "/atom.xml", "atom")
    atom_pages = [p for p, item in feed_server.pages.items() if item in feed_server.atom_items]
    page = next(p for p in atom_pages if feed_server.pages[p].summary_only)
    feed_server.fail_paths.add(page)
    _round(config)
    short = {a.id: a.text for a in _articles(config)}
    feed_server.fail_paths.clear()
    feed_server.add_item(_item(7), feed="atom")
    time.sleep(1.1)
    _round(config)
    assert "new=1 updated=1" in _poll_lines(caplog)[1]
    longer = {a.id: a.text for a in _articles(config)}
    assert sum(len(longer[i]) > len(text) for i, text in short.items()) == 1
    assert len(feed_server.seen(page)) == 2
