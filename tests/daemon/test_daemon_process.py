"""`timeline daemon` as a real child process against a real local feed server: the acceptance scenario,
stopping on SIGTERM, and surviving SIGKILL."""

from __future__ import annotations

import datetime as dt
import json
import re
import signal
import sqlite3
import time
from pathlib import Path

from daemonkit import read_json, run_timeline, start_daemon, wait_for, write_config
from feedserver import Item

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_COUNT = len(json.loads((SEEDS / "manifest.json").read_text())["articles"])
POLL_LINE = re.compile(
    r"^\S+Z (INFO|WARNING) poll feed=(\S+|\"[^\"]*\") status=\S+ new=\d+ updated=\d+ duration=\d+\.\d\ds"
)

FOLLOW_UP = (
    "Mexican and US officials resumed their migration talks in Washington on Thursday, January 11, 2024, "
    "two weeks after Secretary of State Antony Blinken met President Andres Manuel Lopez Obrador in Mexico "
    "City.\nThe delegations agreed on January 11 to reopen two more rail crossings at the border.\n"
    "Officials said a further round of talks would be held in February."
)


def _feeds(server) -> list[dict]:
    return [
        {"url": server.url("/rss.xml"), "name": "seed-rss", "interval": "1s"},
        {"url": server.url("/atom.xml"), "name": "seed-atom", "interval": "1s"},
    ]


def _articles(path: Path) -> dict[str, dict]:
    data = read_json(path) or {}
    return {a["id"]: a for a in data.get("articles", [])}


def _log(tmp_path: Path) -> str:
    return (tmp_path / "daemon.log").read_text()


def _stop(process, timeout: float = 10.0, sig: int = signal.SIGTERM) -> tuple[int, float]:
    started = time.monotonic()
    process.send_signal(sig)
    code = process.wait(timeout)
    return code, time.monotonic() - started


def test_daemon_keeps_the_timeline_current_with_conditional_requests(tmp_path, feed_server, daemons):
    config = write_config(tmp_path, _feeds(feed_server))
    output = tmp_path / "timeline.json"
    daemons.append(process := start_daemon(tmp_path, config))

    assert wait_for(lambda: len(_articles(output)) == SEED_COUNT, 90), _log(tmp_path)
    first = read_json(output)
    published = sorted(a["published"][:10] for a in first["articles"])
    assert published == ["2023-12-27", "2023-12-28", "2023-12-28", "2023-12-28", "2023-12-29"]
    # The story: the 27 December 2023 talks in Mexico City, dated by several of the articles.
    talks = [e for e in first["events"] if e["start"] == "2023-12-27"]
    assert len({s["article_id"] for e in talks for s in e["sources"]}) >= 3

    feed_server.add_item(
        Item(
            guid="urn:follow-up:1",
            title="US and Mexico resume migration talks in Washington",
            text=FOLLOW_UP,
            published=dt.datetime(2024, 1, 12, 9, 30, tzinfo=dt.UTC),
            link=feed_server.url("/pages/follow-up-1.html"),
        )
    )
    assert wait_for(lambda: len(_articles(output)) == SEED_COUNT + 1, 45), (
        tmp_path / "daemon.log"
    ).read_text()
    current = read_json(output)
    new_id = next(i for i, a in _articles(output).items() if a["title"].startswith("US and Mexico resume"))
    assert any(
        e["start"] == "2024-01-11" and any(s["article_id"] == new_id for s in e["sources"])
        for e in current["events"]
    )

    assert wait_for(lambda: feed_server.seen("/rss.xml")[-1].status == 304, 20)
    code, took = _stop(process)
    assert code == 0 and took < 10

    # The unchanged Atom feed was asked conditionally and answered 304; nothing re-fetched in full.
    atom = feed_server.seen("/atom.xml")
    assert atom[0].status == 200 and atom[0].if_none_match is None
    assert len(atom) >= 2 and all(r.status == 304 and r.if_none_match for r in atom[1:])
    rss_statuses = [r.status for r in feed_server.seen("/rss.xml")]
    assert rss_statuses.count(200) == 2 and 304 in rss_statuses
    # Each page of a short (summary-only) entry was fetched once, not on every round: the two seed
    # teasers and the short follow-up.
    pages = [r.path for r in feed_server.requests if r.path.startswith("/pages/")]
    assert len(pages) == len(set(pages)) == 3 and "/pages/follow-up-1.html" in pages

    log = _log(tmp_path)
    polls = [line for line in log.splitlines() if " poll " in line]
    assert polls and all(POLL_LINE.match(line) for line in polls), log
    assert any("feed=seed-atom status=304 new=0 updated=0" in line for line in polls)
    assert "Traceback" not in log


def test_sigterm_during_a_round_exits_cleanly_and_a_restart_loses_nothing(tmp_path, feed_server, daemons):
    # A slow feed keeps a worker busy in a network read when the signal arrives.
    feed_server.slow_seconds = 30
    feeds = [*_feeds(feed_server), {"url": feed_server.url("/slow.xml"), "name": "slow", "interval": "1s"}]
    config = write_config(tmp_path, feeds, timeout=20)
    output = tmp_path / "timeline.json"
    daemons.append(process := start_daemon(tmp_path, config))
    assert wait_for(lambda: feed_server.seen("/slow.xml") and feed_server.seen("/rss.xml"), 60)
    code, took = _stop(process)
    assert code == 0 and took < 10, _log(tmp_path)

    daemons.append(again := start_daemon(tmp_path, config))
    assert wait_for(lambda: len(_articles(output)) == SEED_COUNT, 90), _log(tmp_path)
    time.sleep(1.5)  # a few more rounds: nothing may be added twice
    code, _ = _stop(again)
    assert code == 0
    with sqlite3.connect(tmp_path / "timeline.db") as db:
        rows = db.execute("SELECT feed_id, entry_key FROM articles").fetchall()
    assert len(rows) == len(set(rows)) == SEED_COUNT
    assert "Traceback" not in _log(tmp_path)


def test_kill_9_during_a_round_leaves_a_consistent_store_and_a_valid_json(tmp_path, feed_server, daemons):
    config = write_config(tmp_path, _feeds(feed_server))
    output = tmp_path / "timeline.json"
    daemons.append(process := start_daemon(tmp_path, config))
    # Kill while the first round is storing articles (as soon as the store has any).
    db = tmp_path / "timeline.db"

    def storing() -> bool:
        if not db.exists():
            return False
        try:
            with sqlite3.connect(db, timeout=0.1) as conn:
                return conn.execute("SELECT count(*) FROM articles").fetchone()[0] > 0
        except sqlite3.Error:
            return False

    assert wait_for(storing, 90, interval=0.02)
    process.kill()
    process.wait(10)
    if output.exists():
        json.loads(output.read_text())  # whatever is there is whole

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    daemons.append(again := start_daemon(tmp_path, config))
    assert wait_for(lambda: len(_articles(output)) == SEED_COUNT, 90), _log(tmp_path)
    assert _stop(again)[0] == 0
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT feed_id, entry_key FROM articles").fetchall()
        unextracted = conn.execute(
            "SELECT id, content_hash, extracted_hash, first_seen_at, updated_at FROM articles"
            " WHERE extracted_hash IS NULL OR extracted_hash != content_hash"
        ).fetchall()
    assert len(rows) == len(set(rows)) == SEED_COUNT
    assert unextracted == [], _log(tmp_path)
    listed = run_timeline(tmp_path, "feeds", "list", "--config", str(tmp_path / "timeline.toml"))
    assert listed.returncode == 0 and "seed-rss" in listed.stdout


def test_poll_once_does_one_round_and_repeats_conditionally(tmp_path, feed_server, store_url):
    feeds = [{**feed, "interval": "1h"} for feed in _feeds(feed_server)]
    config = write_config(tmp_path, feeds, store_url=store_url)
    output = tmp_path / "timeline.json"
    first = run_timeline(tmp_path, "poll", "--once", "--config", str(config))
    assert first.returncode == 0, first.stderr
    assert len(_articles(output)) == SEED_COUNT
    polls = [line for line in first.stderr.splitlines() if " poll " in line]
    assert len(polls) == 2 and all(POLL_LINE.match(line) and "status=200" in line for line in polls)
    assert first.stdout == ""

    # Not due for an hour: nothing is fetched; --all polls anyway, conditionally.
    idle = run_timeline(tmp_path, "poll", "--once", "--config", str(config))
    assert idle.returncode == 0 and " poll " not in idle.stderr
    assert len(feed_server.requests) == 2 + 2  # two feeds and the two summary-only pages
    again = run_timeline(tmp_path, "poll", "--once", "--all", "--config", str(config))
    assert again.returncode == 0, again.stderr
    assert [r.status for r in feed_server.seen("/rss.xml")] == [200, 304]
    assert [r.status for r in feed_server.seen("/atom.xml")] == [200, 304]
    assert "timeline path=" not in again.stderr  # nothing changed: the JSON is left as it was
    assert len(_articles(output)) == SEED_COUNT


def test_feed_added_while_the_daemon_runs_is_polled(tmp_path, feed_server, daemons):
    config = write_config(tmp_path, [])
    output = tmp_path / "timeline.json"
    daemons.append(process := start_daemon(tmp_path, config))
    assert wait_for(lambda: read_json(output) is not None, 90), _log(tmp_path)
    added = run_timeline(
        tmp_path, "feeds", "add", feed_server.url("/atom.xml"), "--interval", "1s", "--config", str(config)
    )
    assert added.returncode == 0, added.stderr
    assert wait_for(lambda: len(_articles(output)) == 2, 60), _log(tmp_path)
    code, took = _stop(process, sig=signal.SIGINT)  # Ctrl-C in a terminal stops it the same way
    assert code == 0 and took < 10
    assert "stopping signal=SIGINT" in _log(tmp_path)


def test_a_second_daemon_on_the_same_sqlite_store_is_refused(tmp_path, feed_server, daemons):
    config = write_config(tmp_path, _feeds(feed_server))
    daemons.append(first := start_daemon(tmp_path, config))
    assert wait_for(lambda: "daemon started" in _log(tmp_path), 90), _log(tmp_path)
    database = (tmp_path / "timeline.db").resolve()
    refusal = (
        f"timeline: error: another timeline daemon (pid {first.pid}) is already polling the SQLite store "
        f"{database}; stop it first, or run replicas on PostgreSQL (README: Running replicas)\n"
    )
    for command in (["daemon"], ["poll", "--once"]):
        second = run_timeline(tmp_path, *command, "--config", str(config))
        assert (second.returncode, second.stderr, second.stdout) == (2, refusal, "")
    assert first.poll() is None
    assert _stop(first)[0] == 0
    # the lock goes with the process: once it stopped (or was killed) the next one starts
    again = run_timeline(tmp_path, "poll", "--once", "--config", str(config))
    assert again.returncode == 0, again.stderr
