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


def test_the_27_december_talks_are_one_event_citing_all_five_articles(timeline: Timeline, loaded) -> None:
    talks = [
        e
        for e in timeline.events
        if e.start == e.end == D(2023, 12, 27)
        and _says(e, r"\b(talks|met|meeting|deals)\b")
        and len(_articles(e)) >= 2
    ]
    assert len(talks) == 1
    assert _articles(talks[0]) == {a.id for a in loaded}
    assert talks[0].date_support >= 3


def test_the_january_talks_are_one_event(timeline: Timeline) -> None:
    january = [
        e
        for e in timeline.events
        if (e.start, e.end) == (D(2024, 1, 1), D(2024, 1, 31)) and _says(e, r"\b(talks|meet)\b")
    ]
    assert len(january) == 1
    # the headline's "next month", "further talks in January" and the Cabinet meeting in January
    assert len([s for s in january[0].sources if not s.supporting]) >= 3


def test_the_2024_election_is_one_event_told_by_two_articles(timeline: Timeline) -> None:
    election = [e for e in timeline.events if e.start.year == 2024 and _says(e, r"\belections?\b")]
    assert len(election) == 1
    (event,) = election
    assert (event.start, event.end) == (D(2024, 1, 1), D(2024, 12, 31))
    assert len(_articles(event)) >= 2
    assert re.search(r"election|candidate", event.title, re.I)


def test_680000_migrants_counted_over_january_to_november_2023(timeline: Timeline) -> None:
    (count,) = [e for e in timeline.events if _says(e, r"680,000")]
    assert (count.start, count.end) == (D(2023, 1, 1), D(2023, 11, 30))
    assert "680,000" in count.title


def test_no_event_is_dated_by_a_date_that_belongs_to_another_happening(timeline: Timeline) -> None:
    # "next year's US elections", "Biden's re-election bid next year", "the US election of 2024": each
    # dates the election, so the deals, the help Biden seeks and the warning stay off 2024
    for event in timeline.events:
        if event.start.year == 2024 and event.end.year == 2024 and event.granularity == "year":
            assert not re.search(r"struck|deals|seeking the help|urged|promised", event.title, re.I)
    (deals,) = [e for e in timeline.events if _says(e, r"struck unspecified") and e.start == e.end]
    assert deals.start == D(2023, 12, 27)


def test_a_future_verb_with_a_year_long_past_is_kept_but_doubtful(timeline: Timeline) -> None:
    (slip,) = [e for e in timeline.events if e.start.year == 2019]
    assert slip.doubtful and "2019" in slip.doubtful
    assert all(s.doubtful for s in slip.sources if not s.supporting)
    assert all(e.doubtful is None for e in timeline.events if e.start.year == 2023)


def test_no_title_is_cut_mid_phrase_or_has_a_space_before_punctuation(timeline: Timeline) -> None:
    function = {"a", "an", "the", "of", "to", "in", "on", "at", "for", "with", "and", "or", "that", "by"}
    for event in timeline.events:
        assert not re.search(r"\s[.,;:!?…]", event.title), event.title
        if event.title.endswith("…"):
            assert event.title[:-1].split()[-1].lower() not in function, event.title


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
