"""Real processes against one SQLite store: concurrent writers, and a writer killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from timeline.store import Store

WRITER = """
import sys
sys.path.insert(0, {helpers!r})
from store_helpers import make_article, make_mention
from timeline.store import Store, article_id

store = Store.open(sys.argv[1])
feed = store.add_feed(sys.argv[2])
print("ready", flush=True)
for n in range(int(sys.argv[3])):
    key = f"entry-{{n}}"
    ident = article_id(feed.id, key)
    mentions = [make_mention(ident, "2023-12-25"), make_mention(ident, "2023-12-26")]
    store.upsert_article(feed.id, key, make_article(f"article {{n}} " * 200), mentions=mentions)
store.close()
"""


def _writer(url: str, feed: str, count: int) -> subprocess.Popen[str]:
    script = WRITER.format(helpers=str(Path(__file__).parent))
    return subprocess.Popen(
        [sys.executable, "-c", script, url, feed, str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_write_one_store_without_lock_errors(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    writers = [_writer(url, f"http://h/{n}", 40) for n in range(2)]
    for proc in writers:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    with Store.open(url) as store:
        assert sorted(f.articles for f in store.list_feeds()) == [40, 40]
        assert len(store.all_mentions()) == 160


def test_sigkill_mid_write_leaves_a_consistent_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    proc = _writer(url, "http://h/rss", 100_000)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    with Store.open(url) as store:
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
        stored = store.articles()
        assert stored, "the writer committed nothing in half a second"
        # Each article was written with its mentions in one transaction: never one without the other.
        assert store.articles_needing_extraction() == []
        assert len(store.mentions_for(a.id for a in stored)) == 2 * len(stored)
        assert sorted(int(a.text.split()[1]) for a in stored) == list(range(len(stored)))
