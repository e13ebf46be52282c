"""`timeline show` filters, `show EVENT_ID`, URLs under -v, and `timeline export`, run as a user runs
them: real subprocesses on a timeline JSON file."""

import csv
import io
import json
import os
import subprocess
import sys

import pytest
from icalendar import Calendar
from timeline_sample import sample_timeline

from timeline.render import write_json


def run(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "timeline", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "", "COLUMNS": "200"},
    )


@pytest.fixture
def folder(tmp_path):
    write_json(sample_timeline(), tmp_path / "timeline.json")
    return tmp_path


def _lines(proc):
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.decode().splitlines()


def _error(proc, message):
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.decode() == f"timeline: error: {message}\n"


def test_show_filters_by_date_words_and_top(folder):
    assert [
        line.split("  ")[0]
        for line in _lines(run("show", "--from", "2023-12-20", "--to", "2023-12", cwd=folder))
    ] == [
        "Wed 27 Dec 2023",
        "Thu 28 Dec 2023",
    ]
    assert len(_lines(run("show", "--grep", "lopez", cwd=folder))) == 1
    assert len(_lines(run("show", "--top", "2", cwd=folder))) == 2
    proc = run("show", "--grep", "nothing-like-this", cwd=folder)
    assert proc.returncode == 0 and proc.stdout == b""
    assert proc.stderr == b"timeline: no event of 7 matches the filters\n"


def test_show_verbose_prints_ids_and_http_urls_only(folder):
    text = run("show", "-v", cwd=folder).stdout.decode()
    assert "<https://example.org/a1?x=1&y=(2)>" in text
    assert "<http://example.com/a2>" in text
    assert "javascript:alert(4)" not in text  # a3's URL: not http(s), so not shown as one
    assert "ev-talks" in text


def test_show_one_event_with_every_source(folder):
    text = "\n".join(_lines(run("show", "ev-talks", cwd=folder)))
    assert text.startswith(
        "Wed 27 Dec 2023  Blinken meets López Obrador in México  (3 sources, +1 supporting)"
    )
    for needle in (
        "Talks in the capital",
        "Wire, 2023-12-28 <https://example.org/a1?x=1&y=(2)>",
        "Migrantes en Tapachula",
        "Diario, 2023-12-27 <http://example.com/a2>",
        '["el miércoles"] Blinken se reunió el miércoles con López Obrador.',
        "+ [supporting, undated] The talks ran two hours.",
        "[date in doubt: future verb, past date]",
        '! conflict: =Evil outlet, Inc., 2023-12-29 says "Tuesday"',
    ):
        assert needle in text
    assert "\x1b" not in text
    assert _lines(run("show", "timeline.json", "ev-jan", cwd=folder))[0].startswith("Jan 2024")


def test_show_errors_are_one_line(folder):
    _error(
        run("show", "ev-nope", cwd=folder),
        "timeline.json: no event with id 'ev-nope' (ids are listed by `timeline show -v`)",
    )
    _error(
        run("show", "--from", "2023-13", cwd=folder),
        "--from: expected YYYY, YYYY-MM or YYYY-MM-DD, got '2023-13'",
    )
    _error(run("show", "--from", "2024", "--to", "2023", cwd=folder), "--to 2023 is before --from 2024")
    _error(run("show", "a", "b", "c", cwd=folder), "show takes at most a FILE and an EVENT_ID")
    _error(
        run("show", "missing.json", cwd=folder),
        "missing.json: no such file (write one with `timeline build`)",
    )


def test_export_each_format_to_stdout_and_to_a_file(folder):
    ical = run("export", "--format", "ical", cwd=folder)
    assert len(Calendar.from_ical(ical.stdout).walk("VEVENT")) == 7
    rows = list(
        csv.DictReader(io.StringIO(run("export", "-f", "csv", "--grep", "migra", cwd=folder).stdout.decode()))
    )
    assert [r["id"] for r in rows] == ["ev-year", "ev-month", "ev-talks"]
    proc = run(
        "export", "-f", "timelinejs", "-o", "out/tl.json", "--title", "Border talks", cwd=folder / ".."
    )
    assert proc.returncode == 2  # no timeline.json where it ran, and out/ does not exist
    (folder / "out").mkdir()
    proc = run(
        "export",
        "-f",
        "timelinejs",
        "-o",
        "out/tl.json",
        "--title",
        "Border <b>talks</b>",
        "--from",
        "2024",
        cwd=folder,
    )
    assert proc.returncode == 0 and proc.stdout == b""
    assert proc.stderr == b"timeline: wrote out/tl.json (timelinejs)\n"
    document = json.loads((folder / "out" / "tl.json").read_text())
    assert document["title"]["text"]["headline"] == "Border &lt;b&gt;talks&lt;/b&gt;"
    assert [s["unique_id"] for s in document["events"]] == ["ev-jan"]
    assert run("export", "-f", "markdown", cwd=folder).stdout.startswith(b"# Timeline\n")


def test_export_needs_a_known_format(folder):
    _error(run("export", cwd=folder), "--format must be one of timelinejs, ical, csv, markdown, got ''")
    _error(
        run("export", "-f", "pdf", cwd=folder),
        "--format must be one of timelinejs, ical, csv, markdown, got 'pdf'",
    )
