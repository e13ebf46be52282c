"""One happening reported in Spanish and in English is one event citing both, dated where they agree.

The fixture (`tests/fixtures/bilingual/`) is two reports written for the test in the style of the seeds:
the reopening of the Eagle Pass and El Paso rail crossings on Thursday 28 December 2023, the closure
announced the Sunday before, and the meeting of the Wednesday in between.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from timeline.merge.text import content_terms
from timeline.models import Event, Timeline
from timeline.pipeline import build_timeline
from timeline.sources import load_paths

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "bilingual"


@pytest.fixture(scope="module")
def timeline() -> Timeline:
    return build_timeline(load_paths([FIXTURE]).articles)


def _languages(event: Event) -> set[str]:
    return {source.article_id.split("_")[-1] for source in event.sources}


def _event_on(timeline: Timeline, day: dt.date, word: str) -> Event:
    found = [
        e for e in timeline.events
        if e.start == e.end == day and any(word in s.sentence.lower() for s in e.sources)
    ]  # fmt: skip
    assert len(found) == 1, [(e.start, e.title) for e in timeline.events]
    return found[0]


def test_the_reopening_is_one_event_citing_both_reports_on_the_day_they_agree(timeline):
    event = _event_on(timeline, dt.date(2023, 12, 28), "reopen")
    assert _languages(event) == {"es", "en"}
    spanish = next(s for s in event.sources if s.article_id == "rail_es")
    assert "reabrió" in spanish.sentence and spanish.expression and "jueves" in spanish.expression
    assert not event.conflicts


def test_the_closure_days_before_meets_across_languages_by_its_words(timeline):
    event = _event_on(timeline, dt.date(2023, 12, 24), "clos")
    assert _languages(event) == {"es", "en"}


def test_every_happening_of_both_reports_is_told_once(timeline):
    days = [e.start for e in timeline.events]
    assert len(days) == len(set(days)), [(e.start, e.title, _languages(e)) for e in timeline.events]


def test_the_spanish_page_furniture_is_gone():
    spanish = next(a for a in load_paths([FIXTURE]).articles if a.id == "rail_es")
    for furniture in ("Comparte esta nota", "Lee también", "Síguenos en"):
        assert furniture not in spanish.text


def test_the_bilingual_table_reads_spanish_event_words_as_english_ones():
    assert content_terms("reunión de los cancilleres", "es")[0] == content_terms("meeting")[0]
    assert content_terms("caravanas en la frontera", "es") == content_terms("caravans at the border")
    assert content_terms("reunión", "en") != content_terms("meeting")


def test_a_spanish_sentence_with_a_date_word_is_not_undated_support():
    from timeline.merge.support import is_undated_statement

    plain = "Blinken se reunió con López Obrador para hablar de los cruces fronterizos en la capital."
    assert is_undated_statement(plain, "es")
    for dated in (
        "Blinken se reunió con López Obrador el miércoles para hablar de los cruces fronterizos.",
        "Blinken se reunió con López Obrador la semana pasada para hablar de los cruces.",
        "Blinken volverá a reunirse con López Obrador dentro de dos semanas en Washington.",
    ):
        assert not is_undated_statement(dated, "es"), dated
        assert is_undated_statement(dated), "English cues alone do not see the Spanish date"


def test_names_of_places_meet_across_languages():
    spanish = content_terms("Estados Unidos y el Palacio Nacional", "es")
    assert sorted(spanish) == sorted(content_terms("the United States and the National Palace"))
