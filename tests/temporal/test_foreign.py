"""The non-English fallback: dateparser's hits become exact spans with intervals at the stated grain."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from timeline.errors import InputError
from timeline.temporal.foreign import tag_foreign

THURSDAY = dt.date(2023, 12, 28)

ARTICLE = (
    "CIUDAD DE MÉXICO — El miércoles, las autoridades informaron que la semana pasada llegaron "
    "7.000 migrantes a la frontera, y que el 11% de ellos eran menores. El presidente se reunirá "
    "con su homólogo el 27 de diciembre, según dijo ayer un portavoz. En mayo, 32.000 personas "
    "cruzaron la Sección 2024 del río."
)


def _by_text(expressions):
    return {e.text: e for e in expressions}


def test_spanish_article_is_anchored_to_the_publication_day():
    found = _by_text(tag_foreign(ARTICLE, THURSDAY, "es"))
    wednesday = found["miércoles"]
    assert (wednesday.start, wednesday.end, wednesday.value) == (
        dt.date(2023, 12, 27),
        dt.date(2023, 12, 27),
        "2023-12-27",
    )
    last_week = found["la semana pasada"]
    assert (last_week.start, last_week.end) == (dt.date(2023, 12, 18), dt.date(2023, 12, 24))
    assert (last_week.value, last_week.granularity) == ("2023-W51", "week")
    december = found["27 de diciembre"]
    assert (december.start, december.end, december.granularity) == (
        dt.date(2023, 12, 27),
        dt.date(2023, 12, 27),
        "day",
    )
    assert found["ayer"].start == dt.date(2023, 12, 27)
    may = found["mayo"]
    assert (may.start, may.end, may.value, may.granularity) == (
        dt.date(2023, 5, 1),
        dt.date(2023, 5, 31),
        "2023-05",
        "month",
    )


def test_offsets_slice_to_the_text_and_are_ordered():
    expressions = tag_foreign(ARTICLE, THURSDAY, "es")
    assert expressions
    for expression in expressions:
        assert ARTICLE[expression.start_char : expression.end_char] == expression.text
    starts = [e.start_char for e in expressions]
    assert starts == sorted(starts)
    assert all(a.end_char <= b.start_char for a, b in zip(expressions, expressions[1:], strict=False))


def test_numbers_that_are_not_dates_stay_untagged():
    texts = {e.text for e in tag_foreign(ARTICLE, THURSDAY, "es")}
    assert not any(any(n in t for n in ("11", "7.000", "32.000", "2024")) for t in texts), texts


@pytest.mark.parametrize(
    ("text", "span", "first", "last"),
    [
        ("Lo dijo el jueves.", "jueves", "2023-12-28", "2023-12-28"),  # the publication weekday itself
        ("Lo dijo el lunes.", "lunes", "2023-12-25", "2023-12-25"),
        ("Votarán el próximo lunes.", "próximo lunes", "2024-01-01", "2024-01-01"),
        ("Llegó el jueves pasado.", "jueves pasado", "2023-12-21", "2023-12-21"),
        ("Cayó el mes pasado.", "el mes pasado", "2023-11-01", "2023-11-30"),
        ("Subió el año pasado.", "el año pasado", "2022-01-01", "2022-12-31"),
        ("Ocurrió hace 3 días.", "hace 3 días", "2023-12-25", "2023-12-25"),
        ("Se firmó en 2019.", "2019", "2019-01-01", "2019-12-31"),
        ("Lo anunció el 5 de enero de 2024.", "5 de enero de 2024", "2024-01-05", "2024-01-05"),
        ("Es lo que pasó hoy.", "hoy", "2023-12-28", "2023-12-28"),
        ("Il est parti mercredi dernier.", "mercredi dernier", "2023-12-27", "2023-12-27"),
        ("Er sagte es letzte Woche.", "letzte Woche", "2023-12-18", "2023-12-24"),
    ],
)
def test_phrases_anchor_to_their_interval(text, span, first, last):
    language = "fr" if "Il " in text else "de" if "Er " in text else "es"
    found = _by_text(tag_foreign(text, THURSDAY, language))
    assert span in found, found
    assert (found[span].start.isoformat(), found[span].end.isoformat()) == (first, last)


@pytest.mark.parametrize(
    ("text", "language", "word"),
    [
        ("Llegó esta mañana al aeropuerto.", "es", "mañana"),
        ("Er kam heute Morgen an.", "de", "Morgen"),
    ],
)
def test_a_word_that_is_a_different_word_after_an_article_is_not_tomorrow(text, language, word):
    assert all(e.text != word for e in tag_foreign(text, THURSDAY, language))


def test_without_an_anchor_relative_expressions_stay_unanchored():
    found = _by_text(tag_foreign(ARTICLE, None, "es"))
    assert found["la semana pasada"].start is None
    assert found["27 de diciembre"].value == "XXXX-12-27"
    assert found["miércoles"].value == "XXXX-WXX-3"


def test_empty_and_blank_text_give_nothing():
    assert tag_foreign("", THURSDAY, "es") == []
    assert tag_foreign(" \n\t ", THURSDAY, "es") == []


def test_unknown_language_is_an_input_error():
    with pytest.raises(InputError, match="unknown language"):
        tag_foreign("El miércoles.", THURSDAY, "xx-nonsense")


@pytest.mark.parametrize("code", ["es-MX", "ES", "es_419"])
def test_a_regional_or_capitalised_code_reads_as_its_language(code):
    found = _by_text(tag_foreign("Llegaron la semana pasada.", THURSDAY, code))
    assert found["la semana pasada"].value == "2023-W51"


def test_binary_junk_and_long_runs_give_no_false_dates():
    junk = random.Random(7).randbytes(50_000).decode("latin-1")
    assert tag_foreign(junk, THURSDAY, "es") == []
    assert tag_foreign("7" * 20_000, THURSDAY, "es") == []
    run = "hace " * 2_000 + "3 días"
    (only,) = tag_foreign(run, THURSDAY, "es")
    assert (only.text, only.end_char) == ("hace 3 días", len(run))


def test_times_and_numeric_dates_keep_their_grain():
    found = _by_text(tag_foreign("Le 3 mars 2022 à 14h30, puis le 27/12/2023.", THURSDAY, "fr"))
    assert (found["3 mars 2022 à 14h30"].type, found["3 mars 2022 à 14h30"].value) == (
        "TIME",
        "2022-03-03T14:30",
    )
    assert found["27/12/2023"].value == "2023-12-27"


@pytest.mark.parametrize(
    ("text", "language", "span", "first", "last"),
    [
        ("Se reunirán el lunes.", "es", "lunes", "2024-01-01", "2024-01-01"),
        ("El jueves se votará la ley.", "es", "jueves", "2023-12-28", "2023-12-28"),
        ("La cumbre será en mayo.", "es", "mayo", "2024-05-01", "2024-05-31"),
        ("Van a votar el 5 de enero.", "es", "5 de enero", "2024-01-05", "2024-01-05"),
        ("Llegaron el 5 de enero.", "es", "5 de enero", "2023-01-05", "2023-01-05"),
        ("A eleição será em maio.", "pt", "maio", "2024-05-01", "2024-05-31"),
        ("Il viendra le 3 mars.", "fr", "3 mars", "2024-03-03", "2024-03-03"),
        ("Il est venu le 3 mars.", "fr", "3 mars", "2023-03-03", "2023-03-03"),
        ("Die Wahl wird im Mai stattfinden.", "de", "Mai", "2024-05-01", "2024-05-31"),
        ("Le elezioni si terranno a maggio.", "it", "maggio", "2024-05-01", "2024-05-31"),
        # A day within a week of publication is that day even when the verb's tense disagrees.
        ("Se reunirá con él el 27 de diciembre.", "es", "27 de diciembre", "2023-12-27", "2023-12-27"),
        ("Llegaron el 29 de diciembre.", "es", "29 de diciembre", "2023-12-29", "2023-12-29"),
    ],
)
def test_a_future_verb_points_yearless_dates_and_weekdays_ahead(text, language, span, first, last):
    found = _by_text(tag_foreign(text, THURSDAY, language))
    assert span in found, found
    assert (found[span].start.isoformat(), found[span].end.isoformat()) == (first, last)


@pytest.mark.parametrize(
    ("text", "language", "span", "first", "last"),
    [
        ("Ocurrió hace tres días.", "es", "hace tres días", "2023-12-25", "2023-12-25"),
        ("Llegó hace dos semanas.", "es", "hace dos semanas", "2023-12-11", "2023-12-17"),
        ("Il est parti il y a deux semaines.", "fr", "il y a deux semaines", "2023-12-11", "2023-12-17"),
        ("Er kam vor drei Tagen.", "de", "vor drei Tagen", "2023-12-25", "2023-12-25"),
        ("Chegou há cinco dias.", "pt", "há cinco dias", "2023-12-23", "2023-12-23"),
        ("È arrivato due settimane fa.", "it", "due settimane fa", "2023-12-11", "2023-12-17"),
    ],
)
def test_spelled_out_counts_read_as_figures(text, language, span, first, last):
    found = _by_text(tag_foreign(text, THURSDAY, language))
    assert span in found, found
    assert (found[span].start.isoformat(), found[span].end.isoformat()) == (first, last)


def test_a_number_word_alone_is_no_date():
    assert tag_foreign("Un día, una vez, tres personas.", THURSDAY, "es") == []
