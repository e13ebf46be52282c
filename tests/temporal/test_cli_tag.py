"""`timeline tag` run as a real subprocess: single texts, the batch protocol, streaming and bad input."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
FIELDS = {"text", "start_char", "end_char", "type", "value", "start", "end", "granularity"}
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}


def run(*args: str, stdin: str = "", timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "timeline", "tag", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=ENV,
        encoding="utf-8",
    )


def lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def request(id_: str, text: str, anchor: str, **extra: str) -> str:
    return json.dumps({"id": id_, "text": text, "anchor": anchor, **extra}, ensure_ascii=False) + "\n"


def test_batch_answers_every_line_in_order_with_the_protocol_fields():
    text = "The talks began on Dec. 27, 2023, and ended 3 days later. 11% of voters agreed."
    proc = run("--batch", stdin=request("a", text, "2023-12-28") + "\n" + request("b", "", "2023-12-28"))
    assert proc.returncode == 0, proc.stderr
    rows = lines(proc.stdout)
    assert [r["id"] for r in rows] == ["a", "b"]
    assert rows[1]["expressions"] == []
    expressions = rows[0]["expressions"]
    assert expressions, "an explicit date must be found"
    for e in expressions:
        assert set(e) == FIELDS
        assert text[e["start_char"] : e["end_char"]] == e["text"]
    explicit = [e for e in expressions if "27" in e["text"]]
    assert explicit and explicit[0]["start"] == explicit[0]["end"] == "2023-12-27"
    assert not any("11" in e["text"] for e in expressions)


def test_batch_streams_one_answer_per_line_before_stdin_closes():
    proc = subprocess.Popen(
        [sys.executable, "-m", "timeline", "tag", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
        encoding="utf-8",
    )
    try:
        for number in range(2):
            proc.stdin.write(request(f"r{number}", "It happened on Monday.", "2023-12-28"))
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], 60)
            assert ready, "no answer while stdin is still open: the batch output is not streamed"
            assert json.loads(proc.stdout.readline())["id"] == f"r{number}"
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
        proc.wait()


def test_bad_batch_lines_are_named_and_the_rest_still_answered():
    stdin = (
        request("ok1", "Yesterday it rained.", "2023-12-28")
        + '{"id": "broken", "text": \n'
        + json.dumps({"id": "notext", "anchor": "2023-12-28"})
        + "\n"
        + request("badanchor", "Today.", "28/12/2023")
        + request("ok2", "Tomorrow it rains.", "2023-12-28T10:00:00Z")
        + request("badlang", "Hola.", "2023-12-28", language="xx-nonsense")
    )
    proc = run("--batch", stdin=stdin)
    assert proc.returncode == 2
    rows = {r["id"]: r for r in lines(proc.stdout)}
    assert set(rows) == {"ok1", "notext", "badanchor", "ok2", "badlang"}
    assert "error" not in rows["ok1"] and "error" not in rows["ok2"]
    assert rows["notext"]["expressions"] == [] and "text" in rows["notext"]["error"]
    errors = proc.stderr.strip().splitlines()
    assert len(errors) == 4, proc.stderr
    assert errors[0].startswith("timeline: error: stdin line 2: invalid JSON")
    assert "line 3" in errors[1] and "missing text" in errors[1]
    assert "line 4" in errors[2] and "28/12/2023" in errors[2]
    assert errors[3].startswith("timeline: error: stdin line 6: unknown language")
    assert "Traceback" not in proc.stderr


def test_an_iso_datetime_anchor_keeps_the_writers_own_day():
    # 23:30 at UTC-5 is already the next day in UTC; "ayer" is still the day before the writer's date.
    proc = run("--batch", stdin=request("es", "Lo dijo ayer.", "2023-12-28T23:30:00-05:00", language="es"))
    assert proc.returncode == 0, proc.stderr
    (row,) = lines(proc.stdout)
    assert [(e["text"], e["start"]) for e in row["expressions"]] == [("ayer", "2023-12-27")]


def test_a_seed_file_piped_prints_json_lines_that_slice_the_file():
    entry = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))["articles"][0]
    seed = SEEDS / entry["file"]
    text = seed.read_text(encoding="utf-8")
    proc = run("--anchor", entry["published"], str(seed))
    assert proc.returncode == 0, proc.stderr
    rows = lines(proc.stdout)
    assert rows
    for row in rows:
        assert set(row) == FIELDS
        assert text[row["start_char"] : row["end_char"]] == row["text"]


def test_stdin_dash_and_language_option():
    proc = run("--anchor", "2023-12-28", "--language", "es", "-", stdin="La semana pasada llovió.")
    assert proc.returncode == 0, proc.stderr
    (row,) = lines(proc.stdout)
    assert (row["text"], row["start"], row["end"]) == ("La semana pasada", "2023-12-18", "2023-12-24")


def test_a_terminal_gets_a_table(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("La semana pasada llovió.", encoding="utf-8")
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "timeline", "tag", "--anchor", "2023-12-28", "--language", "es", str(article)],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.PIPE,
        env=ENV,
    )
    os.close(follower)
    chunks = []
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], 60)
            if not ready:
                break
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closes with the process
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        assert proc.wait(timeout=60) == 0
        os.close(leader)
    screen = b"".join(chunks).decode("utf-8", "replace")
    assert "La semana pasada" in screen and "2023-12-18" in screen
    assert not screen.lstrip().startswith("{")


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("-",), "text", "--anchor YYYY-MM-DD is required"),
        (("--anchor", "yesterday", "-"), "text", "anchor 'yesterday' is not a date"),
        (("--anchor", "2023-12-28", "/nonexistent/a.txt"), "", "/nonexistent/a.txt: no such file"),
        (("--anchor", "2023-12-28", "--language", "xx-nonsense", "-"), "hola", "unknown language"),
        (("--batch", "some-file.txt"), "", "--batch reads its requests from stdin"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, stdin, message):
    proc = run(*args, stdin=stdin)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("timeline: error: "), proc.stderr
    assert message in proc.stderr


def test_undecodable_file_is_an_input_error(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Le 27 d\xe9cembre".encode("latin-1"))
    proc = run("--anchor", "2023-12-28", str(path))
    assert proc.returncode == 2
    # The same words and count as `timeline build` gives: the 8th byte, counted from 1, is \xe9.
    assert f"{path}: not UTF-8 text (byte 8)" in proc.stderr


def test_offsets_are_the_files_own_line_ends_and_bom_dropped(tmp_path):
    path = tmp_path / "crlf.txt"
    text = "Talks began.\r\nThey resume on 3 January 2024.\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    proc = run("--anchor", "2023-12-28", str(path))
    [found] = [json.loads(line) for line in proc.stdout.splitlines()]
    assert text[found["start_char"] : found["end_char"]] == "3 January 2024" == found["text"]


def test_help_explains_the_batch_protocol():
    proc = run("--help")
    assert proc.returncode == 0
    assert "--batch" in proc.stdout and "start_char" in proc.stdout and "--anchor" in proc.stdout


BAD_BYTE_LINE = b'{"id": "v", "text": "\xff", "anchor": "2023-12-28"}\n'


def test_batch_is_utf8_whatever_the_locale():
    text = "Lo dijo el miércoles."
    proc = subprocess.run(
        [sys.executable, "-m", "timeline", "tag", "--batch"],
        input=request("u", text, "2023-12-28", language="es").encode("utf-8") + BAD_BYTE_LINE,
        capture_output=True,
        timeout=120,
        env={**ENV, "LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii", "PYTHONUTF8": "0"},
    )
    assert proc.returncode == 0, proc.stderr
    rows = lines(proc.stdout.decode("utf-8"))
    assert [r["id"] for r in rows] == ["u", "v"]
    (wednesday,) = rows[0]["expressions"]
    assert text[wednesday["start_char"] : wednesday["end_char"]] == wednesday["text"] == "miércoles"
