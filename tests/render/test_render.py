import datetime as dt
import io
import json
import os
import threading

import pytest
from rich.console import Console

from timeline.models import Conflict, Event, EventSource, Timeline, TimelineArticle
from timeline.render import format_date, print_chronology, safe_text, to_json, write_json

D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "granularity", "text"),
    [
        (D(2023, 12, 27), D(2023, 12, 27), "day", "Wed 27 Dec 2023"),
        (D(2024, 1, 5), D(2024, 1, 5), "hour", "Fri 5 Jan 2024"),
        (D(2023, 12, 18), D(2023, 12, 24), "week", "week of 18 Dec 2023"),
        (D(2023, 12, 23), D(2023, 12, 24), "weekend", "weekend of 23 Dec 2023"),
        (D(2023, 12, 1), D(2023, 12, 31), "month", "Dec 2023"),
        (D(2023, 11, 20), D(2023, 12, 10), "month", "Nov\u2013Dec 2023"),
        (D(2023, 10, 1), D(2023, 12, 31), "quarter", "Q4 2023"),
        (D(2023, 7, 1), D(2023, 12, 31), "half", "H2 2023"),
        (D(2023, 12, 1), D(2024, 2, 29), "season", "winter 2023"),
        (D(2024, 1, 1), D(2024, 12, 31), "year", "2024"),
        (D(2022, 10, 1), D(2023, 9, 30), "year", "FY2023"),
        (D(2022, 4, 1), D(2023, 3, 31), "year", "Apr 2022 \u2013 Mar 2023"),
        (D(2022, 1, 1), D(2023, 12, 31), "year", "2022\u20132023"),
        (D(2020, 1, 1), D(2029, 12, 31), "decade", "2020s"),
        (D(2001, 1, 1), D(2100, 12, 31), "century", "21st century"),
        (D(2023, 12, 26), D(2023, 12, 28), "day", "26\u201328 Dec 2023"),
        (D(2023, 12, 28), D(2024, 1, 3), None, "28 Dec 2023 \u2013 3 Jan 2024"),
        (D(2023, 11, 28), D(2023, 12, 3), "past", "28 Nov \u2013 3 Dec 2023"),
        # wider than its unit: written as a range rather than over-claiming precision
        (D(2023, 12, 4), D(2023, 12, 20), "week", "4\u201320 Dec 2023"),
    ],
)
def test_format_date_at_granularity(start, end, granularity, text):
    assert format_date(start, end, granularity) == text


def _timeline(title="Talks held in Mexico City", sentence="Blinken met Lopez Obrador on Wednesday."):
    articles = [
        TimelineArticle(
            id="a1",
            title="T",
            source="Wire",
            url=None,
            published=dt.datetime(2023, 12, 28, tzinfo=dt.UTC),
            published_basis="metadata",
        ),
        TimelineArticle(id="a2", title=None, source=None, url=None, published=None, published_basis="none"),
    ]
    events = [
        Event(
            id="e1",
            start=D(2023, 12, 18),
            end=D(2023, 12, 24),
            granularity="week",
            value="2023-W51",
            title="Rail crossings closed",
            summary="Two rail crossings closed.",
            salience=1.0,
            sources=[
                EventSource(
                    article_id="a2", sentence="The crossings were shut last week.", expression="last week"
                )
            ],
        ),
        Event(
            id="e2",
            start=D(2023, 12, 27),
            end=D(2023, 12, 27),
            granularity="day",
            value="2023-12-27",
            title=title,
            summary="They met.",
            salience=3.0,
            sources=[
                EventSource(
                    article_id="a1", sentence=sentence, expression="Wednesday", start_char=30, end_char=39
                ),
                EventSource(article_id="a1", sentence="They met again.", expression=None),
                EventSource(
                    article_id="a2", sentence="The talks were on Wednesday.", expression="on Wednesday"
                ),
            ],
            conflicts=[
                Conflict(
                    article_id="a2",
                    expression="Tuesday",
                    start=D(2023, 12, 26),
                    end=D(2023, 12, 26),
                    note="x",
                )
            ],
        ),
    ]
    return Timeline(generated_at=dt.datetime(2023, 12, 29, tzinfo=dt.UTC), articles=articles, events=events)


def _printed(timeline, *, verbose=False, terminal=False):
    out = io.StringIO()
    console = Console(
        file=out, force_terminal=terminal, color_system="standard" if terminal else None, width=60
    )
    print_chronology(timeline, verbose=verbose, console=console)
    return out.getvalue()


def test_chronology_is_one_plain_line_an_event():
    assert _printed(_timeline()).splitlines() == [
        "week of 18 Dec 2023  Rail crossings closed  (1 source)",
        "Wed 27 Dec 2023      Talks held in Mexico City  (2 sources)",
    ]


def test_verbose_adds_sources_and_conflicts_and_long_lines_are_not_wrapped():
    sentence = "Blinken met Lopez Obrador on Wednesday " + "and talked at length " * 10 + "about migration."
    lines = _printed(_timeline(sentence=sentence), verbose=True).splitlines()
    assert lines[1] == '    - a2 ["last week"]: The crossings were shut last week.'
    assert lines[3] == f'    - Wire, 2023-12-28 ["Wednesday"]: {sentence}'
    assert lines[4] == "    - Wire, 2023-12-28: They met again."
    assert lines[6] == '    ! conflict: a2 says "Tuesday" Tue 26 Dec 2023: x'
    assert len(lines) == 7


def test_colour_only_on_a_terminal():
    assert "\x1b[" in _printed(_timeline(), terminal=True)
    assert "\x1b[" not in _printed(_timeline(), terminal=False)


def test_article_text_cannot_inject_markup_or_control_sequences():
    hostile = "[bold red]Boom[/bold red] \x1b]0;owned\x07\x1b[2J\x1b[31mred\u202eevil\x00 :smile:"
    for terminal in (False, True):
        text = _printed(_timeline(title=hostile, sentence=hostile), verbose=True, terminal=terminal)
        assert "[bold red]Boom[/bold red]" in text
        assert (
            "owned" not in text
            and "\x1b]" not in text
            and "\x1b[2J" not in text
            and "\x1b[31mred" not in text
        )
        assert "\u202e" not in text and "\x00" not in text and ":smile:" in text


def test_safe_text_makes_one_line():
    assert safe_text("a\tb\nc\r\n\x85d\x9b31me") == "a b c de"


def test_an_empty_timeline_says_so():
    empty = Timeline(generated_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC), articles=[], events=[])
    assert _printed(empty) == "no events in 0 articles\n"


def test_to_json_round_trips():
    timeline = _timeline()
    assert Timeline.model_validate_json(to_json(timeline)) == timeline
    assert json.loads(to_json(timeline))["events"][1]["start"] == "2023-12-27"


def test_write_json_replaces_the_file_keeping_its_mode_and_leaves_no_temp(tmp_path):
    path = tmp_path / "timeline.json"
    path.write_text("old")
    os.chmod(path, 0o640)
    write_json(_timeline(), path)
    assert Timeline.model_validate_json(path.read_text()) == _timeline()
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["timeline.json"]


def test_write_json_failure_keeps_the_old_file(tmp_path):
    path = tmp_path / "timeline.json"
    write_json(_timeline(), path)
    before = path.read_bytes()
    with pytest.raises(IsADirectoryError):
        write_json(_timeline(), tmp_path)  # the target is a folder: the rename fails
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["timeline.json"]


def test_a_reader_never_sees_a_partial_file(tmp_path):
    path = tmp_path / "timeline.json"
    small, large = _timeline(), _timeline(sentence="word " * 20000)
    write_json(small, path)
    stop = threading.Event()

    def writer():
        while not stop.is_set():
            write_json(large, path)
            write_json(small, path)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        for _ in range(300):
            json.loads(path.read_bytes())  # raises on an empty or truncated file
    finally:
        stop.set()
        thread.join()


def test_supporting_sources_are_marked_and_counted_apart():
    timeline = _timeline()
    talks = timeline.events[1]
    supporting = [
        EventSource(
            article_id="a3", sentence="Blinken and Lopez Obrador discussed the crossings.", supporting=True
        ),
        EventSource(article_id="a1", sentence="The talks ran two hours.", supporting=True),
    ]
    events = [timeline.events[0], talks.model_copy(update={"sources": [*talks.sources, *supporting]})]
    timeline = timeline.model_copy(update={"events": events})
    lines = _printed(timeline, verbose=True).splitlines()
    assert lines[2] == "Wed 27 Dec 2023      Talks held in Mexico City  (2 sources, +1 supporting)  e2"
    assert lines[6] == "    + a3 [supporting, undated]: Blinken and Lopez Obrador discussed the crossings."
    assert lines[7] == "    + Wire, 2023-12-28 [supporting, undated]: The talks ran two hours."
    assert _printed(timeline).splitlines()[1].endswith("(2 sources, +1 supporting)")
    data = json.loads(to_json(timeline))
    assert [s["supporting"] for s in data["events"][1]["sources"]] == [False, False, False, True, True]


def test_a_doubtful_date_is_marked_on_its_line_and_explained_under_verbose():
    timeline = _timeline()
    reason = "'2019' is long before publication (2023-12-28) in a future clause ('is expected')"
    doubtful = timeline.events[0].model_copy(update={"doubtful": reason})
    timeline = timeline.model_copy(update={"events": [doubtful, timeline.events[1]]})
    plain = _printed(timeline).splitlines()
    assert plain[0] == "week of 18 Dec 2023  Rail crossings closed  (1 source)  [doubtful date]"
    assert "doubtful" not in plain[1]
    verbose = _printed(timeline, verbose=True).splitlines()
    assert verbose[1] == f"    ? doubtful: {reason}"
