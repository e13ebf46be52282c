"""The exports, read back with the readers their users have: icalendar, csv, a TimelineJS schema
written from its documentation, and the Markdown a renderer would see."""

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from icalendar import Calendar
from timeline_sample import HOSTILE, sample_timeline

from timeline import build_timeline, load_paths
from timeline.render.exports import FORMATS, export
from timeline.render.markdown import md_text
from timeline.render.query import source_articles
from timeline.render.table import COLUMNS, text_cell

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# TimelineJS3's JSON format as its documentation (timeline.knightlab.com/docs/json-format.html) lists
# it: an object with `events` (slides), optional `title` (a slide), `eras` and `scale`; a slide's
# properties and a date's parts; nothing else is read by TimelineJS.
_DATE = {
    "type": "object",
    "required": ["year"],
    "properties": {
        "year": {"type": "integer"},
        "month": {"type": "integer", "minimum": 1, "maximum": 12},
        "day": {"type": "integer", "minimum": 1, "maximum": 31},
        "hour": {"type": "integer"},
        "minute": {"type": "integer"},
        "second": {"type": "integer"},
        "millisecond": {"type": "integer"},
        "display_date": {"type": "string"},
    },
    "dependentRequired": {"day": ["month"]},
    "additionalProperties": False,
}
_TEXT = {
    "type": "object",
    "properties": {"headline": {"type": "string"}, "text": {"type": "string"}},
    "additionalProperties": False,
}
_SLIDE = {
    "type": "object",
    "properties": {
        "start_date": _DATE,
        "end_date": _DATE,
        "text": _TEXT,
        "media": {"type": "object", "required": ["url"]},
        "group": {"type": "string"},
        "display_date": {"type": "string"},
        "background": {"type": "object"},
        "autolink": {"type": "boolean"},
        "unique_id": {"type": "string"},
    },
    "additionalProperties": False,
}
TIMELINEJS_SCHEMA = {
    "type": "object",
    "required": ["events"],
    "properties": {
        "events": {"type": "array", "items": {**_SLIDE, "required": ["start_date"]}},
        "title": _SLIDE,
        "eras": {"type": "array"},
        "scale": {"enum": ["human", "cosmological"]},
    },
    "additionalProperties": False,
}


@pytest.fixture(scope="module")
def seeds():
    return build_timeline(load_paths([SEEDS]).articles)


def _calendar(timeline):
    return Calendar.from_ical(export(timeline, "ical"))


def test_ical_parses_with_one_all_day_vevent_per_event_over_its_interval(seeds):
    for timeline in (seeds, sample_timeline()):
        entries = _calendar(timeline).walk("VEVENT")
        assert len(entries) == len(timeline.events)
        for entry, event in zip(entries, timeline.events, strict=True):
            start, end = entry.decoded("dtstart"), entry.decoded("dtend")
            assert type(start) is dt.date and type(end) is dt.date  # all-day: VALUE=DATE
            assert (start, end - dt.timedelta(days=1)) == (event.start, event.end)  # DTEND exclusive
            assert str(entry["summary"]) == event.title
            assert event.summary in str(entry["description"])
        assert len({str(e["uid"]) for e in entries}) == len(entries)


def test_ical_uid_is_stable_and_lines_are_folded_crlf():
    first, again = export(sample_timeline(), "ical"), export(sample_timeline(), "ical")
    assert first == again
    lines = first.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in first.replace(b"\r\n", b"")
    uids = [str(e["uid"]) for e in Calendar.from_ical(first).walk("VEVENT")]
    assert uids[0] == "ev-fy@timeline.invalid"


def test_ical_text_round_trips_and_urls_are_http_only():
    timeline = sample_timeline()
    entries = {str(e["uid"]).split("@")[0]: e for e in _calendar(timeline).walk("VEVENT")}
    hostile = entries["ev-hostile"]
    assert str(hostile["summary"]) == HOSTILE  # commas, semicolons, backslashes survive escaping
    assert "url" not in hostile  # its only article's URL is javascript:
    talks = entries["ev-talks"]
    assert str(talks["url"]) == "https://example.org/a1?x=1&y=(2)"
    description = str(talks["description"])
    assert "Date in doubt" not in description and "Conflicting date" in description
    assert "<javascript:" not in description  # the text may say it; no link is made of it
    assert "Talks in the capital, Wire, 2023-12-28 <https://example.org/a1?x=1&y=(2)>" in description
    assert "Date in doubt: every dating source is doubtful" in str(hostile["description"])


def _slides(timeline):
    document = json.loads(export(timeline, "timelinejs"))
    jsonschema.validate(document, TIMELINEJS_SCHEMA)
    return document


def test_timelinejs_matches_its_documented_structure(seeds):
    for timeline in (seeds, sample_timeline()):
        document = _slides(timeline)
        assert document["title"]["text"]["headline"] == "Timeline"
        assert len(document["events"]) == len(timeline.events)
        assert [s["unique_id"] for s in document["events"]] == [e.id for e in timeline.events]


def test_timelinejs_dates_carry_only_the_events_precision():
    slides = {s["unique_id"]: s for s in _slides(sample_timeline())["events"]}
    assert slides["ev-talks"]["start_date"] == {"year": 2023, "month": 12, "day": 27}
    assert "end_date" not in slides["ev-talks"]
    assert slides["ev-week"]["start_date"] == {"year": 2023, "month": 12, "day": 18}
    assert slides["ev-week"]["end_date"] == {"year": 2023, "month": 12, "day": 24}
    assert slides["ev-week"]["display_date"] == "week of 18 Dec 2023"
    assert slides["ev-month"]["start_date"] == {"year": 2023, "month": 12}
    assert "end_date" not in slides["ev-month"]
    assert slides["ev-year"]["start_date"] == {"year": 2023}
    # a fiscal year is not a calendar year: months, not a bare year
    assert (slides["ev-fy"]["start_date"], slides["ev-fy"]["end_date"]) == (
        {"year": 2022, "month": 10},
        {"year": 2023, "month": 9},
    )


def test_timelinejs_html_is_escaped_and_links_are_http_only():
    slides = {s["unique_id"]: s for s in _slides(sample_timeline())["events"]}
    hostile = slides["ev-hostile"]
    assert hostile["autolink"] is False
    assert hostile["text"]["headline"].startswith("&lt;script&gt;alert(1)&lt;/script&gt;")
    whole = json.dumps(slides)
    assert "<script" not in whole and "<img" not in whole and 'href=\\"javascript' not in whole
    text = slides["ev-talks"]["text"]["text"]
    assert (
        '<a href="https://example.org/a1?x=1&amp;y=(2)" rel="noopener noreferrer">Talks in the capital</a>'
        in text
    )
    assert text.count("<li>") == 4  # one per article, the supporting one too


def _rows(timeline):
    data = export(timeline, "csv")
    assert data.endswith(b"\r\n")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_csv_round_trips_through_the_csv_module(seeds):
    for timeline in (seeds, sample_timeline()):
        rows = _rows(timeline)
        assert list(rows[0]) == list(COLUMNS)
        assert len(rows) == len(timeline.events)
        for row, event in zip(rows, timeline.events, strict=True):
            assert (row["id"], row["start"], row["end"]) == (event.id, str(event.start), str(event.end))
            assert row["title"] == text_cell(event.title)
            assert row["summary"] == text_cell(event.summary)
            assert int(row["sources"]) == len(source_articles(event))


def test_csv_text_cannot_run_as_a_spreadsheet_formula():
    rows = {r["id"]: r for r in _rows(sample_timeline())}
    assert rows["ev-hostile"]["summary"] == "'-" + HOSTILE
    assert rows["ev-talks"]["outlets"] == "Wire | Diario | =Evil outlet, Inc."  # not at the cell start
    assert rows["ev-talks"]["urls"] == "https://example.org/a1?x=1&y=(2) http://example.com/a2"
    assert rows["ev-talks"]["supporting"] == "1"
    assert rows["ev-talks"]["sources"] == "4"
    assert text_cell("=1+1") == "'=1+1" and text_cell("@SUM(A1)") == "'@SUM(A1)" and text_cell("ok") == "ok"


def test_markdown_shows_feed_text_as_text():
    text = export(sample_timeline(), "markdown").decode("utf-8")
    # every "<" is escaped but those that open an http(s) link target
    assert not re.search(r"(?<!\\)<(?!https?://)", text)
    assert "(<javascript" not in text
    assert "[Talks in the capital](<https://example.org/a1?x=1&y=(2)>)" in text
    assert "## Wed 27 Dec 2023: Blinken meets López Obrador in México" in text
    assert "**Date in doubt:** every dating source is doubtful" in text
    assert re.search(r"^## Thu 28 Dec 2023: \\<script\\>alert", text, re.M)
    assert text.count("\n## ") == len(sample_timeline().events)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("1. not a list", "1\\. not a list"),
        ("- not a list", "\\- not a list"),
        ("> not a quote", "\\> not a quote"),
        ("a *b* _c_ `d` [e](f) <g> #h", "a \\*b\\* \\_c\\_ \\`d\\` \\[e\\](f) \\<g\\> \\#h"),
        ("two\nlines", "two lines"),
    ],
)
def test_markdown_escapes_what_a_renderer_would_read_as_markup(text, shown):
    assert md_text(text) == shown


def test_every_format_has_a_media_type_and_extension():
    assert set(FORMATS) == {"timelinejs", "ical", "csv", "markdown"}
    for name, form in FORMATS.items():
        assert export(sample_timeline(), name)
        assert form.media_type and form.extension
