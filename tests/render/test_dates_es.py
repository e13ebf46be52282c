"""Dates in the reader's language: `format_date(..., "es")` and `timeline show --lang es`."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from timeline.render import format_date

D = dt.date
BILINGUAL = Path(__file__).resolve().parents[1] / "fixtures" / "bilingual"


@pytest.mark.parametrize(
    ("start", "end", "granularity", "text"),
    [
        (D(2023, 12, 27), D(2023, 12, 27), "day", "miércoles 27 dic 2023"),
        (D(2023, 12, 18), D(2023, 12, 24), "week", "semana del 18 dic 2023"),
        (D(2023, 12, 23), D(2023, 12, 24), "weekend", "fin de semana del 23 dic 2023"),
        (D(2023, 12, 1), D(2023, 12, 31), "month", "dic 2023"),
        (D(2023, 11, 20), D(2024, 1, 10), "month", "nov 2023 \u2013 ene 2024"),
        (D(2023, 10, 1), D(2023, 12, 31), "quarter", "T4 2023"),
        (D(2023, 1, 1), D(2023, 6, 30), "half", "S1 2023"),
        (D(2023, 12, 1), D(2024, 2, 29), "season", "invierno 2023"),
        (D(2024, 1, 1), D(2024, 12, 31), "year", "2024"),
        (D(2022, 10, 1), D(2023, 9, 30), "year", "año fiscal 2023"),
        (D(2020, 1, 1), D(2029, 12, 31), "decade", "años 2020"),
        (D(2001, 1, 1), D(2100, 12, 31), "century", "siglo XXI"),
        (D(2023, 12, 26), D(2023, 12, 28), "day", "26\u201328 dic 2023"),
        (D(2023, 12, 28), D(2024, 1, 3), None, "28 dic 2023 \u2013 3 ene 2024"),
        (D(2023, 12, 4), D(2023, 12, 20), "week", "4\u201320 dic 2023"),
    ],
)
def test_format_date_in_spanish(start, end, granularity, text):
    assert format_date(start, end, granularity, "es") == text
    assert format_date(start, end, granularity, "es-MX") == text


def test_a_language_without_a_table_is_written_in_english():
    assert format_date(D(2023, 12, 27), D(2023, 12, 27), "day", "xx") == "Wed 27 Dec 2023"


def _run(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "timeline", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "", "COLUMNS": "200", "PYTHONIOENCODING": "utf-8"},
        encoding="utf-8",
    )


def test_show_lang_es_prints_spanish_dates(tmp_path):
    built = _run("build", BILINGUAL, "-o", "t.json", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    spanish = _run("show", "t.json", "--lang", "es", cwd=tmp_path)
    english = _run("show", "t.json", cwd=tmp_path)
    assert spanish.returncode == 0, spanish.stderr
    assert [line.split("  ")[0] for line in spanish.stdout.splitlines()] == [
        "domingo 24 dic 2023",
        "miércoles 27 dic 2023",
        "jueves 28 dic 2023",
    ]
    assert english.stdout.splitlines()[0].startswith("Sun 24 Dec 2023")
    refused = _run("show", "t.json", "--lang", "klingon", cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.strip() == "timeline: error: --lang 'klingon': dates can be written in en, es"
