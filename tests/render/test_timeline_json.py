"""TimelineJson: the daemon's JSON text, made from kept pieces, is always exactly `to_json`'s."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from timeline import build_timeline, load_paths
from timeline.models import EventSource, Timeline
from timeline.render import to_json
from timeline.render.jsonfile import TimelineJson, write_atomic

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def seeds() -> Timeline:
    return build_timeline(load_paths([SEEDS]).articles)


def test_the_text_is_to_json_s_through_changes_and_reuses_what_it_kept(seeds) -> None:
    writer = TimelineJson()
    assert writer.text(seeds) == to_json(seeds)
    events, articles = list(seeds.events), list(seeds.articles)
    # an event re-derived (a new object) with a quote and a line break in it, one gone, an article gone
    changed = events[0].model_copy(
        update={
            "summary": 'He said "no".\nThen left.',
            "sources": [
                *events[0].sources,
                EventSource(article_id=articles[0].id, sentence="A supporting sentence.", supporting=True),
            ],
        }  # fmt: skip
    )
    later = seeds.model_copy(update={"events": [changed, *events[2:]], "articles": articles[1:]})
    assert writer.text(later) == to_json(later)
    kept = writer._held
    assert kept[id(events[2])][0] is events[2] and id(events[1]) not in kept
    # a piece is reused only for the very same object: an equal copy is serialised again, same text
    again = later.model_copy(update={"events": [e.model_copy() for e in later.events]})
    assert writer.text(again) == to_json(again)


def test_an_empty_timeline_and_one_with_no_events(seeds) -> None:
    writer = TimelineJson()
    empty = seeds.model_copy(update={"events": [], "articles": []})
    assert writer.text(empty) == to_json(empty)
    no_events = seeds.model_copy(update={"events": []})
    assert writer.text(no_events) == to_json(no_events)


def test_a_kept_timeline_is_written_without_holding_its_whole_text(seeds, tmp_path) -> None:
    # a story of 2,000 articles: what a rebuild writes again when nothing was re-derived
    articles = [a.model_copy(update={"id": f"{a.id}-{n}"}) for n in range(400) for a in seeds.articles]
    big = seeds.model_copy(update={"articles": articles})
    writer = TimelineJson()
    size = sum(map(len, writer.pieces(big)))
    tracemalloc.start()
    try:
        write_atomic(tmp_path / "t.json", writer.pieces(big))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (tmp_path / "t.json").read_text(encoding="utf-8") == to_json(big)
    assert size > 900_000 and peak < size / 3
