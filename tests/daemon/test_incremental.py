"""Incremental rebuilds in one daemon process: a full merge at start, then only what changed is re-merged.

Most rounds run in-process on one `Daemon` (real local feed server, real SQLite store), so the merge
state survives between rounds as in the long-running process; each round polls every feed and rebuilds.
The last test runs `timeline daemon` itself as a child process.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
from daemonkit import read_json, start_daemon, wait_for, write_config
from feedserver import Item

from timeline.config import load_config
from timeline.daemon import Daemon
from timeline.daemon.rebuild import RebuildReport, TimelineKeeper, rebuild_timeline

KEYWORDS = ["migrants", "migration", "migrant"]


def _item(text: str) -> Item:
    return Item(
        guid="urn:test:crossing",
        title="Rail crossings reopen on the border",
        text=text,
        published=dt.datetime(2024, 1, 3, 9, 0, tzinfo=dt.UTC),
    )


REOPENED = (
    "Rail crossings at Eagle Pass and El Paso reopened on 2 January 2024 after migrant arrivals fell. "
    "A railway union official said on Wednesday that freight trains were running again."
)
REVISED = (
    "Rail crossings at Eagle Pass and El Paso reopened on 1 January 2024 after migrant arrivals fell, "
    "the railway said in a corrected statement."
)
OFF_STORY = "Rail crossings at Eagle Pass and El Paso reopened on 1 January 2024, the railway said."


@pytest.fixture
def daemon(tmp_path, feed_server):
    """A daemon on the seed story's RSS and Atom feeds, closed after the test."""
    feeds = [
        {"url": feed_server.url("/rss.xml"), "name": "rss", "interval": "1s"},
        {"url": feed_server.url("/atom.xml"), "name": "atom", "interval": "1s"},
    ]
    running = Daemon(load_config(write_config(tmp_path, feeds, keywords=KEYWORDS)))
    # the seed story is small: with the default share a few changed articles would re-merge it all
    running.keeper = TimelineKeeper(refit_share=1.0)
    yield running
    running._shutdown()


def _round(daemon: Daemon) -> RebuildReport:
    for feed in daemon.store.list_feeds():
        daemon.poller.poll(feed)
    return daemon.keeper.rebuild(daemon.poller, daemon.config.output.json_path)


def _sources(timeline: dict) -> list[tuple[str, str]]:
    return sorted((s["article_id"], s["sentence"]) for e in timeline["events"] for s in e["sources"])


def _cited(timeline: dict, article_id: str) -> list[str]:
    return [s["sentence"] for e in timeline["events"] for s in e["sources"] if s["article_id"] == article_id]


def test_rounds_merge_only_what_changed(tmp_path, feed_server, daemon, caplog) -> None:
    caplog.set_level(logging.INFO, logger="timeline")
    first = _round(daemon)
    assert first.full and first.rebuilt == first.events > 0
    seeds = read_json(tmp_path / "timeline.json")

    quiet = _round(daemon)  # nothing changed on the server: nothing is re-merged
    assert (quiet.full, quiet.rebuilt, quiet.events) == (False, 0, first.events)
    # only articles new or changed since the last rebuild are read with their text
    assert (first.read, quiet.read) == (first.articles, 0)
    # with nothing changed the file stands as written, generation time included
    assert read_json(tmp_path / "timeline.json") == seeds

    feed_server.add_item(_item(REOPENED))
    added = _round(daemon)
    assert not added.full and 0 < added.rebuilt < added.events and added.read == 1
    timeline = read_json(tmp_path / "timeline.json")
    (new_id,) = {a["id"] for a in timeline["articles"]} - {a["id"] for a in seeds["articles"]}
    assert any("2 January 2024" in s for s in _cited(timeline, new_id))
    # the seed story's sources are all still cited, once each; the new ones come on top
    assert set(_sources(seeds)) <= set(_sources(timeline))
    # the same store merged from scratch cites exactly the same sources
    fresh = rebuild_timeline(daemon.poller, tmp_path / "fresh.json")
    assert _sources(read_json(tmp_path / "fresh.json")) == _sources(timeline)
    assert fresh.events > 0

    feed_server.rss_items[-1] = _item(REVISED)
    revised = _round(daemon)
    assert not revised.full and 0 < revised.rebuilt < revised.events and revised.read == 1
    cited = _cited(read_json(tmp_path / "timeline.json"), new_id)
    assert cited and all("2 January" not in s for s in cited)
    assert any("1 January 2024" in s for s in cited)

    feed_server.rss_items[-1] = _item(OFF_STORY)  # no keyword left: the article leaves the story
    left = _round(daemon)
    assert not left.full and left.read == 1
    timeline = read_json(tmp_path / "timeline.json")
    assert new_id not in {a["id"] for a in timeline["articles"]}
    assert _sources(timeline) == _sources(seeds)

    path = f"timeline path={tmp_path / 'timeline.json'} "
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith(path)]
    assert len(lines) == 5
    assert "merge=full" in lines[0] and f"rebuilt={first.rebuilt}" in lines[0]
    assert all("merge=incremental" in line for line in lines[1:])


def test_past_the_refit_share_a_round_re_merges_in_full(tmp_path, feed_server, daemon, caplog) -> None:
    caplog.set_level(logging.INFO, logger="timeline")
    daemon.keeper = TimelineKeeper(refit_share=0.01)
    assert _round(daemon).full
    feed_server.add_item(_item(REOPENED))
    again = _round(daemon)
    assert again.full and again.rebuilt == again.events
    fresh = rebuild_timeline(daemon.poller, tmp_path / "fresh.json")
    assert read_json(tmp_path / "timeline.json")["events"] == read_json(tmp_path / "fresh.json")["events"]
    assert fresh.events == again.events
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("timeline ")]
    assert "merge=full" in lines[1]


def test_the_running_daemon_merges_a_new_item_incrementally(tmp_path, feed_server, daemons) -> None:
    feeds = [
        {"url": feed_server.url("/rss.xml"), "name": "rss", "interval": "1s"},
        {"url": feed_server.url("/atom.xml"), "name": "atom", "interval": "1s"},
    ]
    config = write_config(tmp_path, feeds, keywords=KEYWORDS)
    output = tmp_path / "timeline.json"
    daemons.append(process := start_daemon(tmp_path, config))
    log = tmp_path / "daemon.log"

    def merges() -> list[str]:
        return [line for line in log.read_text().splitlines() if " timeline path=" in line]

    assert wait_for(lambda: len((read_json(output) or {}).get("articles", [])) == 5, 90), log.read_text()
    feed_server.add_item(_item(REOPENED))
    assert wait_for(lambda: len(read_json(output)["articles"]) == 6, 45), log.read_text()
    process.terminate()
    assert process.wait(10) == 0
    lines = merges()
    assert "merge=full" in lines[0], lines
    # the rebuild that took the new item in; later ones (another poll changed the store, not the story)
    # find nothing to re-merge and log rebuilt=0
    added = next(line for line in lines if "articles=6" in line)
    assert "merge=incremental" in added, lines
    rebuilt, events = (int(re.search(rf" {key}=(\d+)", added).group(1)) for key in ("rebuilt", "events"))
    assert 0 < rebuilt < events, lines


def test_extraction_in_worker_processes_gives_the_same_timeline(tmp_path, feed_server) -> None:
    feeds = [
        {"url": feed_server.url("/rss.xml"), "name": "rss", "interval": "1s"},
        {"url": feed_server.url("/atom.xml"), "name": "atom", "interval": "1s"},
    ]
    timelines = []
    for processes in (0, 2):
        folder = tmp_path / f"p{processes}"
        folder.mkdir()
        config = load_config(write_config(folder, feeds, keywords=KEYWORDS, extract_processes=processes))
        daemon = Daemon(config)
        assert (daemon.poller.processes is not None) == bool(processes)
        assert daemon.run_once() == 0
        timelines.append(read_json(folder / "timeline.json"))
    assert _sources(timelines[0]) == _sources(timelines[1]) and timelines[0]["events"]
