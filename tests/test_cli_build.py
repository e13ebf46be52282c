"""`timeline build`, `show` and `schema` as a user runs them: real subprocesses, real files, a real pty."""

import datetime as dt
import json
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema

from timeline.models import Event, EventSource, Timeline, TimelineArticle
from timeline.render import write_json

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tests" / "fixtures" / "articles"


def run(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "timeline", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "", "COLUMNS": "80"},
    )


def assert_one_line_error(proc, message):
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == f"timeline: error: {message}\n"
    assert "Traceback" not in proc.stderr + proc.stdout


def test_missing_path(tmp_path):
    assert_one_line_error(
        run("build", "nowhere.jsonl", cwd=tmp_path), "nowhere.jsonl: no such file or folder"
    )
    assert not (tmp_path / "timeline.json").exists()


def test_empty_file(tmp_path):
    (tmp_path / "empty.jsonl").write_text("")
    assert_one_line_error(run("build", "empty.jsonl", cwd=tmp_path), "empty.jsonl: file is empty")


def test_invalid_json_names_the_line(tmp_path):
    (tmp_path / "bad.jsonl").write_text('\n{"id": "x", "text": "A story."\n')
    assert_one_line_error(
        run("build", "bad.jsonl", cwd=tmp_path),
        "bad.jsonl:2: invalid JSON at column 31: Expecting ',' delimiter",
    )


def test_article_without_text(tmp_path):
    (tmp_path / "notext.jsonl").write_text(
        '{"id": "x", "title": "Only a title", "published": "2024-01-02"}\n'
    )
    assert_one_line_error(run("build", "notext.jsonl", cwd=tmp_path), "notext.jsonl:1: article without text")


def test_manifest_naming_a_file_that_is_not_there(tmp_path):
    shutil.copytree(ROOT / "seeds", tmp_path / "story")
    (tmp_path / "story" / "004_21ec87a43759a7d7.txt").unlink()
    assert_one_line_error(
        run("build", "story", cwd=tmp_path),
        "story/manifest.json: entry 5 names '004_21ec87a43759a7d7.txt', which is not in story",
    )


def test_unwritable_output(tmp_path):
    shutil.copy(ARTICLES / "good.jsonl", tmp_path)
    proc = run("build", "good.jsonl", "-o", "no/such/dir/t.json", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("timeline: error: no/such/dir/t.json: cannot write the timeline (")
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_bad_top_is_a_usage_error(tmp_path):
    proc = run("build", "--top", "0", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_show_missing_and_malformed_files(tmp_path):
    assert_one_line_error(
        run("show", cwd=tmp_path), "timeline.json: no such file (write one with `timeline build`)"
    )
    (tmp_path / "t.json").write_text('{"generated_at": "2024-01-01T00:00:00Z", "articles": []}')
    assert_one_line_error(
        run("show", "t.json", cwd=tmp_path), "t.json: not a timeline JSON file (events: Field required)"
    )
    (tmp_path / "t.json").write_text("{")
    proc = run("show", "t.json", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.startswith(
        "timeline: error: t.json: not a timeline JSON file ("
    )


def test_schema_is_the_timeline_json_schema(tmp_path):
    proc = run("schema", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    schema = json.loads(proc.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert set(schema["required"]) == {"generated_at", "articles", "events"}
    assert "Event" in schema["$defs"] and "EventSource" in schema["$defs"]


def _timeline_file(path: Path, title: str) -> None:
    article = TimelineArticle(
        id="a1", title="T", source="Wire", url=None, published=dt.datetime(2023, 12, 28, tzinfo=dt.UTC),
        published_basis="metadata",
    )  # fmt: skip
    event = Event(
        id="e1", start=dt.date(2023, 12, 27), end=dt.date(2023, 12, 27), granularity="day",
        value="2023-12-27", title=title, summary="s", salience=1.0,
        sources=[EventSource(article_id="a1", sentence="They met on Wednesday.", expression="on Wednesday")],
    )  # fmt: skip
    write_json(Timeline(generated_at=dt.datetime.now(dt.UTC), articles=[article], events=[event]), path)


def _run_on_pty(args, cwd):
    """Run the CLI with stdout and stderr on a pseudo-terminal, as a user at a terminal would."""
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")} | {"TERM": "xterm-256color"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "timeline", *args], cwd=cwd, stdout=follower, stderr=follower, env=env
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=60) == 0
    return b"".join(chunks).decode()


def test_build_draws_a_progress_bar_on_a_terminal_for_a_long_input(tmp_path):
    sentence = (
        "The port of Valparaiso reopened on Monday after a strike that began on 3 March, officials said. "
    )
    with (tmp_path / "long.jsonl").open("w") as out:
        for n in range(330):  # just over the size from which a bar is worth drawing
            day = dt.date(2021, 3, 1) + dt.timedelta(days=n % 28)
            record = {"id": f"a{n}", "published": day.isoformat(), "text": sentence * 8}
            out.write(json.dumps(record) + "\n")
    on_terminal = _run_on_pty(["build", "long.jsonl", "-o", "t.json"], tmp_path)
    assert "reading" in on_terminal and "building" in on_terminal
    assert "wrote t.json" in on_terminal
    piped = run("build", "long.jsonl", "-o", "t.json", cwd=tmp_path)
    assert piped.returncode == 0
    assert piped.stderr.startswith("timeline: wrote t.json: ") and piped.stderr.count("\n") == 1


def test_show_colours_a_terminal_and_prints_plain_text_to_a_pipe(tmp_path):
    hostile = "[bold]Talks[/bold] held \x1b]0;retitled\x07\x1b[2J"
    _timeline_file(tmp_path / "timeline.json", hostile)
    piped = run("show", cwd=tmp_path)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == "Wed 27 Dec 2023  [bold]Talks[/bold] held  (1 source)\n"
    on_terminal = _run_on_pty(["show", "--verbose"], tmp_path)
    assert "\x1b[" in on_terminal  # coloured
    assert "[bold]Talks[/bold] held" in on_terminal
    assert "retitled" not in on_terminal and "\x1b[2J" not in on_terminal
    assert "They met on Wednesday." in on_terminal


def test_build_on_the_seeds_writes_json_valid_against_the_schema(tmp_path):
    proc = run("build", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.endswith("articles\n") and "warning" not in proc.stderr
    data = json.loads((tmp_path / "timeline.json").read_text())
    schema = json.loads(run("schema", cwd=tmp_path).stdout)
    jsonschema.validate(data, schema)
    assert [a["id"] for a in data["articles"]] == sorted(p.stem for p in (ROOT / "seeds").glob("*.txt"))
    assert data["events"], "the seeds tell of several dated happenings"
    assert data["events"] == sorted(data["events"], key=lambda e: (e["start"], e["end"]))

    shown = run("show", cwd=tmp_path)
    assert shown.returncode == 0 and "\x1b[" not in shown.stdout
    assert len(shown.stdout.splitlines()) == len(data["events"])
    verbose = run("show", "--verbose", cwd=tmp_path).stdout.splitlines()
    assert len(verbose) >= len(data["events"]) + sum(len(e["sources"]) for e in data["events"])


def test_one_bad_article_among_good_ones_builds_the_good_and_reports_the_bad(tmp_path):
    shutil.copy(ARTICLES / "mixed.jsonl", tmp_path)
    proc = run("build", "mixed.jsonl", "-o", "out.json", "--top", "1", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[:2] == [
        "timeline: warning: mixed.jsonl:2: invalid JSON at column 28: Unterminated string",
        "timeline: warning: mixed.jsonl:4: article without text",
    ]
    data = json.loads((tmp_path / "out.json").read_text())
    assert [a["id"] for a in data["articles"]] == ["a1", "a2"]
    assert len(data["events"]) <= 1


def test_build_without_paths_outside_a_checkout_says_where_it_looked(tmp_path):
    # An installed copy of the package with no seeds/ beside it, as a wheel install would have.
    skip_caches = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "timeline", tmp_path / "site" / "timeline", ignore=skip_caches)
    proc = subprocess.run(
        [sys.executable, "-m", "timeline", "build"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(tmp_path / "site")},
    )
    assert proc.returncode == 2
    assert proc.stderr == (
        f"timeline: error: the shipped seed articles were not found ({tmp_path / 'site' / 'seeds'} has no "
        "manifest.json); run from a project checkout or pass article paths\n"
    )
