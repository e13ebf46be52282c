"""Acceptance on the shipped seeds, through the public API: load_paths -> build_timeline.

Happenings are found by what their sources say (keywords) and by their dates, never by matching a
stored output.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from timeline.models import Event, Timeline
from timeline.pipeline import assemble_timeline, build_timeline
from timeline.sources import load_paths

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
D = dt.date


@pytest.fixture(scope="module")
def loaded():
    """The seed articles, read and cleaned the way `timeline build` reads them."""
    return load_paths([SEEDS]).articles


@pytest.fixture(scope="module")
def timeline(loaded) -> Timeline:
    """The seeds' timeline, built once for the module."""
    return build_timeline(loaded)


def _says(event: Event, pattern: str) -> bool:
    return any(re.search(pattern, s.sentence, re.I) for s in event.sources)


def _articles(event: Event) -> set[str]:
    return {s.article_id for s in event.sources}


def test_the_27_december_talks_are_one_event_citing_at_least_three_articles(timeline: Timeline) -> None:
    talks = [
        e
        for e in timeline.events
        if e.start == e.end == D(2023, 12, 27)
        and _says(e, r"\b(talks|met|meeting|deals)\b")
        and len(_articles(e)) >= 2
    ]
    assert len(talks) == 1
    assert len(_articles(talks[0])) >= 3


def test_the_rail_crossing_closures_are_one_event_dated_where_the_sources_agree(timeline: Timeline) -> None:
    rail = [
        e for e in timeline.events if _says(e, r"\brail(way)?\b.*\bcrossings?\b") and e.start.year == 2023
    ]
    assert len(rail) == 1
    (event,) = rail
    assert len(_articles(event)) >= 2
    dated = [s for s in event.sources if s.start and s.end]
    # the most specific interval every source allows: their intersection, here narrower than "this month"
    assert event.start == max(s.start for s in dated)
    assert event.end == min(s.end for s in dated)
    assert (event.end - event.start).days < 27
    assert D(2023, 12, 1) <= event.start <= event.end <= D(2023, 12, 27)


def test_the_caravan_leaving_tapachula_and_the_chiapas_checkpoint_are_separate(timeline: Timeline) -> None:
    (tapachula,) = [e for e in timeline.events if _says(e, r"Tapachula") and e.start == e.end]
    (chiapas,) = [e for e in timeline.events if _says(e, r"Chiapas") and e.start == e.end]
    assert tapachula.start == D(2023, 12, 24)
    assert chiapas.start == D(2023, 12, 26)
    assert tapachula.id != chiapas.id


def test_january_talks_and_the_2024_election_come_after_them(timeline: Timeline) -> None:
    order = {e.id: i for i, e in enumerate(timeline.events)}
    (talks,) = [e for e in timeline.events if e.start == e.end == D(2023, 12, 27) and len(_articles(e)) >= 3]
    january = [e for e in timeline.events if e.start == D(2024, 1, 1) and e.end == D(2024, 1, 31)]
    election = [e for e in timeline.events if e.start.year == 2024 and _says(e, r"\belection|re-election\b")]
    assert january and any(_says(e, r"\btalks|meet\b") for e in january)
    assert election
    last_december = max(order[e.id] for e in timeline.events if e.start <= D(2023, 12, 27))
    for event in [*january, *election]:
        assert order[event.id] > order[talks.id]
        assert order[event.id] > last_december


FURNITURE = re.compile(
    r"comment|rate this|related articles|back to top|subscribe|sign up|months? ago|read more|"
    r"please enter|looks good|published \w+ \d",
    re.I,
)


def test_no_event_text_comes_from_page_furniture(timeline: Timeline) -> None:
    for event in timeline.events:
        for text in (event.title, event.summary, *(s.sentence for s in event.sources)):
            assert not FURNITURE.search(text), text


def test_events_are_in_order_and_well_formed(timeline: Timeline) -> None:
    keys = [(e.start, e.end) for e in timeline.events]
    assert keys == sorted(keys)
    assert len({e.id for e in timeline.events}) == len(timeline.events)
    for event in timeline.events:
        assert event.title and len(event.title.split()) <= 15
        assert not re.match(r"^\S+ (said|told)\b", event.title)
        assert event.sources and event.salience > 0


def test_ids_are_stable_between_two_builds(loaded, timeline: Timeline) -> None:
    again = build_timeline(loaded)
    assert [e.id for e in again.events] == [e.id for e in timeline.events]


def test_top_keeps_the_most_salient_events_in_order(loaded, timeline: Timeline) -> None:
    from timeline.events import extract_mentions

    mentions = [m for a in loaded for m in extract_mentions(a)]
    top = assemble_timeline(loaded, mentions, top=5)
    assert len(top.events) == 5
    cutoff = sorted((e.salience for e in timeline.events), reverse=True)[4]
    assert all(e.salience >= cutoff for e in top.events)
    assert [(e.start, e.end) for e in top.events] == sorted((e.start, e.end) for e in top.events)
    assert {a.id for a in top.articles} == {a.id for a in loaded}


def test_build_reports_progress_per_article(loaded) -> None:
    calls: list[tuple[int, int]] = []
    build_timeline(loaded[:3], progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_a_parallel_build_equals_a_serial_one(loaded, timeline: Timeline, monkeypatch) -> None:
    import timeline.pipeline as pipeline

    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2)
    calls: list[int] = []
    parallel = build_timeline(loaded, progress=lambda done, total: calls.append(done))
    assert [(e.id, e.start, e.end, len(e.sources)) for e in parallel.events] == [
        (e.id, e.start, e.end, len(e.sources)) for e in timeline.events
    ]
    assert calls == list(range(1, len(loaded) + 1))
