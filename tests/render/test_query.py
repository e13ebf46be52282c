import datetime as dt

import pytest
from timeline_sample import sample_timeline

from timeline.errors import InputError
from timeline.render.query import EventIndex, EventQuery, fold, parse_bound, safe_url

D = dt.date


def _ids(**query):
    return [e.id for e in EventIndex(sample_timeline()).events(EventQuery.parse(**query))]


@pytest.mark.parametrize(
    ("text", "end", "day"),
    [
        ("2023", False, D(2023, 1, 1)),
        ("2023", True, D(2023, 12, 31)),
        ("2024-02", True, D(2024, 2, 29)),
        ("2023-2", False, D(2023, 2, 1)),
        ("2023-12-27", True, D(2023, 12, 27)),
    ],
)
def test_bounds_cover_the_whole_year_month_or_day(text, end, day):
    assert parse_bound(text, end=end) == day


@pytest.mark.parametrize("text", ["2023-13", "27/12/2023", "2023-02-30", "yesterday", ""])
def test_a_bad_bound_is_one_line_naming_the_option(text):
    with pytest.raises(InputError, match="^--from: expected YYYY"):
        parse_bound(text, end=False, where="--from")


def test_a_range_keeps_events_whose_whole_interval_lies_inside():
    assert _ids(start="2023-12", end="2023-12") == ["ev-month", "ev-week", "ev-talks", "ev-hostile"]
    assert _ids(start="2023-12-20") == ["ev-talks", "ev-hostile", "ev-jan"]
    assert _ids(end="2023-06") == []
    assert _ids(end="2023-09-30") == ["ev-fy"]


def test_reversed_range_is_refused():
    with pytest.raises(InputError, match="before"):
        EventQuery.parse(start="2024", end="2023")


def test_words_ignore_case_and_accents_and_match_at_word_starts():
    assert _ids(words="mexico") == ["ev-talks"]  # "México" in the title only
    assert "ev-talks" in _ids(words="LOPEZ obrador")
    assert _ids(words="gration") == []  # not inside a word
    assert _ids(words="migra") == ["ev-year", "ev-month", "ev-talks"]  # a2: "Migrantes"
    assert _ids(words='"rail crossings"') == ["ev-week"]
    assert _ids(words='"crossings rail"') == []


def test_words_search_source_sentences_article_titles_and_outlets():
    assert _ids(words="miércoles") == ["ev-talks"]  # a source sentence only
    assert _ids(words="tapachula") == ["ev-month", "ev-talks"]  # a2's title
    assert _ids(words="diario") == ["ev-month", "ev-talks"]  # a2's outlet


def test_min_sources_counts_distinct_articles_supporting_included():
    index = EventIndex(sample_timeline())
    assert index.counts[index.by_id["ev-talks"]] == 4
    assert [e.id for e in index.events(EventQuery(min_sources=4))] == ["ev-talks"]
    assert [e.id for e in index.events(EventQuery(min_sources=5))] == []


def test_language_keeps_events_with_a_source_in_it():
    assert _ids(language="es") == ["ev-month", "ev-talks"]
    assert _ids(language="ES") == ["ev-month", "ev-talks"]


def test_top_keeps_the_most_salient_of_the_matches_in_date_order():
    assert _ids(top=3) == ["ev-week", "ev-talks", "ev-jan"]
    assert _ids(top=2, end="2023-12-31") == ["ev-week", "ev-talks"]


def test_fold_removes_accents_and_case():
    assert fold("Árbol MIGRACIÓN Straße") == "arbol migracion strasse"


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://example.org/a?b=1", True),
        ("HTTP://example.org/", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("vbscript:msgbox", False),
        ("//example.org/x", False),
        ("https://exa mple.org/", False),
        ("https://example.org/\nx", False),
        (None, False),
    ],
)
def test_only_http_urls_become_links(url, kept):
    assert (safe_url(url) is not None) is kept
