"""Inputs larger than one article may be are refused before they are read, as `timeline build` runs.

The limit is on each article file and each JSON Lines record (a corpus file may be as large as it
likes); `--max-bytes` or `TIMELINE_BUILD_MAX_BYTES` raises it.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

from timeline.sources import load_paths

STORY = "Officials from both countries met in Mexico City on 27 December 2023 to discuss migration.\n"


def run(*args: object, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TIMELINE_")}
    return subprocess.run(
        [sys.executable, "-m", "timeline", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**clean, **env},
    )


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def test_a_50_mb_text_is_refused_at_once_in_one_line(tmp_path):
    big = tmp_path / "dump.txt"
    with big.open("wb") as handle:  # sparse: 50 MB that cost no disk
        handle.truncate(50_000_000)
    before = _cpu_of_children()
    done = run("build", big, "-o", tmp_path / "out.json", cwd=tmp_path)
    cpu = _cpu_of_children() - before
    assert done.returncode == 2
    assert done.stderr == (
        f"timeline: error: {big}: 50,000,000 bytes is more than one article may be (10,000,000 bytes;"
        " raise the limit with --max-bytes or TIMELINE_BUILD_MAX_BYTES)\n"
    )
    assert not (tmp_path / "out.json").exists()
    # CPU, not wall time, so that a loaded machine does not fail it: the file is never read
    assert cpu < 2.0


def test_the_limit_can_be_raised_by_option_or_environment(tmp_path):
    article = tmp_path / "talks.txt"
    article.write_text(STORY * 30)
    refused = run("build", article, "--max-bytes", "1000", "-o", tmp_path / "a.json", cwd=tmp_path)
    expected = f"{len(STORY) * 30:,} bytes is more than one article may be (1,000 bytes;"
    assert refused.returncode == 2 and expected in refused.stderr
    built = run("build", article, "--max-bytes", "5000", "-o", tmp_path / "b.json", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert json.loads((tmp_path / "b.json").read_text())["events"]
    by_env = run("build", article, "-o", tmp_path / "c.json", cwd=tmp_path, TIMELINE_BUILD_MAX_BYTES="1000")
    assert by_env.returncode == 2 and "(1,000 bytes;" in by_env.stderr


def test_in_a_folder_an_oversized_file_is_a_problem_and_the_others_load(tmp_path):
    (tmp_path / "a.txt").write_text(STORY)
    (tmp_path / "b.txt").write_text(STORY * 100)
    result = load_paths([tmp_path], max_bytes=1000)
    assert [a.id for a in result.articles] == ["a"]
    assert any(f"b.txt: {len(STORY) * 100:,} bytes is more than" in p for p in result.problems)


def test_json_lines_records_are_limited_one_by_one_without_holding_the_long_one(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    records = [
        {"id": "short", "text": STORY, "published": "2023-12-28"},
        {"id": "long", "text": STORY * 200, "published": "2023-12-28"},
        {"id": "after", "text": STORY, "published": "2023-12-29"},
    ]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records))
    result = load_paths([corpus], max_bytes=5000)
    assert [a.id for a in result.articles] == ["short", "after"]
    assert len(result.problems) == 1 and result.problems[0].startswith(f"{corpus}:2: ")
    assert [a.id for a in load_paths([corpus], max_bytes=None).articles] == ["short", "long", "after"]
