"""`timeline feeds ...` as real subprocesses on a real SQLite store."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from timeline.store import Store

BOMB = """<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<opml version="2.0"><body><outline text="&d;" xmlUrl="http://h/rss"/></body></opml>
"""

NESTED = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>mine</title></head><body>
  <outline text="News">
    <outline text="Wire" title="The Wire" type="rss" xmlUrl="http://127.0.0.1:8000/wire.xml"/>
    <outline text="Daily" type="rss" xmlurl="https://daily.example/atom" language="fr"/>
  </outline>
  <outline text="Just a folder"/>
</body></opml>
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "timeline.toml"
    path.write_text('[store]\nurl = "sqlite:///store.db"\n', encoding="utf-8")
    return path


def run(config: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIMELINE_")}
    done = subprocess.run(
        [sys.executable, "-m", "timeline", "feeds", *args, "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    if check:
        assert done.returncode == 0, done.stderr
    return done


def listing(config: Path) -> list[dict[str, str]]:
    lines = run(config, "list").stdout.splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


def stored_urls(directory: Path, name: str = "store.db") -> list[str]:
    """What the store holds, read in-process (cheaper than another subprocess) where output is not tested."""
    if not (directory / name).exists():
        return []
    with Store.open(f"sqlite:///{directory / name}") as store:
        return [f.url for f in store.list_feeds()]


def assert_one_line_error(done: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert done.returncode == 2
    assert done.stderr.startswith("timeline: error: ") and fragment in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_add_list_remove(config: Path) -> None:
    out = run(config, "add", "http://127.0.0.1:8000/rss", "--name", "Local", "--interval", "1s").stdout
    assert out.startswith("added: feed 1 ")
    assert run(config, "add", "http://127.0.0.1:8000/rss").stdout.startswith("already subscribed: feed 1")
    run(config, "add", "https://example.org/atom", "--language", "de")
    rows = listing(config)
    assert [(r["ID"], r["NAME"], r["URL"], r["STATUS"], r["ERRORS"]) for r in rows] == [
        ("1", "Local", "http://127.0.0.1:8000/rss", "new", "0"),
        ("2", "-", "https://example.org/atom", "new", "0"),
    ]
    assert "removed: feed 1" in run(config, "remove", "1").stdout
    assert "removed: feed 2" in run(config, "remove", "https://example.org/atom").stdout
    assert listing(config) == []
    assert_one_line_error(run(config, "remove", "1", check=False), "no feed with id or URL '1'")


def test_list_shows_polling_state(config: Path, tmp_path: Path) -> None:
    run(config, "add", "http://127.0.0.1:8000/rss")
    with Store.open(f"sqlite:///{tmp_path / 'store.db'}", max_failures=2) as store:
        (feed,) = store.list_feeds()
        store.record_poll(
            feed.id, status=503, next_check_at=feed.next_check_at, failed=True, error="HTTP 503"
        )
    (row,) = listing(config)
    assert (row["STATUS"], row["ERRORS"], row["LAST ERROR"]) == ("failing 503", "1", "HTTP 503")
    assert row["LAST POLL"].endswith("Z") and row["NEXT CHECK"] != "-"
    table = run(config, "list", "--table").stdout
    assert "STATUS" in table and "failing 503" in table and "feed 1: HTTP 503" in table
    with Store.open(f"sqlite:///{tmp_path / 'store.db'}", max_failures=2) as store:
        store.record_poll(
            feed.id, status="timeout", next_check_at=feed.next_check_at, failed=True, error="slow"
        )
    (row,) = listing(config)
    assert (row["STATUS"], row["ERRORS"], row["NEXT CHECK"]) == ("flagged timeout", "2", "-")
    assert "enabled: feed 1" in run(config, "enable", "http://127.0.0.1:8000/rss").stdout
    (row,) = listing(config)
    assert (row["STATUS"], row["ERRORS"]) == ("ok timeout", "0")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("add", "file:///etc/passwd"), "only http and https"),
        (("add", "not a url"), "invalid feed URL"),
        (("add", "http://h/rss", "--interval", "soon"), "--interval:"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(config: Path, args: tuple[str, ...], fragment: str) -> None:
    assert_one_line_error(run(config, *args, check=False), fragment)


def test_bad_config_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[http]\ntimeout = 'never'\n", encoding="utf-8")
    assert_one_line_error(run(bad, "list", check=False), "[http] timeout")


def test_import_nested_opml_then_export_round_trips(config: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.opml"
    source.write_text(NESTED, encoding="utf-8")
    assert "2 added, 0 already subscribed" in run(config, "import", str(source), "--interval", "1h").stdout
    assert "0 added, 2 already subscribed" in run(config, "import", str(source)).stdout
    rows = listing(config)
    assert [(r["NAME"], r["URL"]) for r in rows] == [
        ("The Wire", "http://127.0.0.1:8000/wire.xml"),
        ("Daily", "https://daily.example/atom"),
    ]
    exported = tmp_path / "out.opml"
    exported.write_text(run(config, "export").stdout, encoding="utf-8")
    other = tmp_path / "other.toml"
    other.write_text('[store]\nurl = "sqlite:///other.db"\n', encoding="utf-8")
    run(other, "import", str(exported))
    assert [(r["NAME"], r["URL"]) for r in listing(other)] == [(r["NAME"], r["URL"]) for r in rows]


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        ("<opml><body><outline xmlUrl='http://h/rss'></body></opml>", ":1: malformed OPML"),
        (BOMB, "refused OPML"),
        ("<rss><channel/></rss>", "not an OPML document"),
        ("<opml><body><outline text='folder'/></body></opml>", "no feeds"),
        (
            "<opml><body>\n<outline xmlUrl='http://ok/rss'/>\n<outline xmlUrl='file:///etc/passwd'/></body></opml>",
            ":3:",
        ),
        ("", "malformed OPML"),
    ],
)
def test_bad_opml_imports_nothing(config: Path, tmp_path: Path, document: str, fragment: str) -> None:
    path = tmp_path / "bad.opml"
    path.write_text(document, encoding="utf-8")
    assert_one_line_error(run(config, "import", str(path), check=False), fragment)
    assert stored_urls(tmp_path) == []


def test_missing_opml_file(config: Path, tmp_path: Path) -> None:
    assert_one_line_error(run(config, "import", str(tmp_path / "absent.opml"), check=False), "cannot read")


def test_control_characters_never_reach_the_terminal(config: Path) -> None:
    run(config, "add", "http://h/rss", "--name", "Evil\x1b[2J\x1b]0;owned\x07name")
    for args in (("list",), ("list", "--table"), ("add", "http://h/rss")):
        out = run(config, *args).stdout
        assert "\x1b" not in out and "\x07" not in out
    assert listing(config)[0]["NAME"] == "Evil\ufffd[2J\ufffd]0;owned\ufffdname"
    assert "\x1b" not in run(config, "export").stdout


def test_bidirectional_overrides_never_reach_the_terminal(config: Path) -> None:
    # U+202E turns the rest of a line around on screen: a name could pass itself off as another.
    run(config, "add", "http://h/rss", "--name", "news\u202egpj.exe")
    for args in (("list",), ("list", "--table")):
        assert "\u202e" not in run(config, *args).stdout


def test_config_feeds_are_listed_and_the_env_config_is_used(tmp_path: Path) -> None:
    path = tmp_path / "conf.toml"
    path.write_text(
        '[store]\nurl = "sqlite:///c.db"\n'
        '[[feeds]]\nurl = "http://127.0.0.1:8000/rss"\nname = "Conf"\ninterval = "1s"\n',
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIMELINE_")} | {
        "TIMELINE_CONFIG": str(path)
    }
    done = subprocess.run(
        [sys.executable, "-m", "timeline", "feeds", "list"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "\tConf\thttp://127.0.0.1:8000/rss\tnew\t" in done.stdout
    removed = run(path, "remove", "http://127.0.0.1:8000/rss")
    assert "comes back unless removed there" in removed.stderr


def test_list_reads_while_another_process_holds_the_write_lock(config: Path, tmp_path: Path) -> None:
    run(config, "add", "http://h/rss")
    with Store.open(f"sqlite:///{tmp_path / 'store.db'}") as daemon, daemon._write() as conn:
        conn.execute(text("UPDATE feeds SET error_count = 5"))
        started = time.monotonic()
        (row,) = listing(config)
        assert row["ERRORS"] == "0" and time.monotonic() - started < 10
