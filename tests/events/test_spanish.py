"""Spanish on the event side, as data: sentences, reporting verbs, clause cues and names of a Spanish
article read with `language="es"`; English readings stay as they were."""

from __future__ import annotations

import pytest

from timeline.events.attribution import complement_is_event, is_reporting_date, strip_attribution
from timeline.events.entities import names
from timeline.events.segment import split_sentences


def _sentences(text: str, language: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text, language)]


def test_spanish_sentences_keep_abbreviations_and_split_at_inverted_marks():
    text = (
        "El Sr. López dijo que EE.UU. y México se reunieron el 27 de dic. en la capital. "
        "¿Habrá acuerdo? Ángel Pérez no lo sabe."
    )
    assert _sentences(text, "es") == [
        "El Sr. López dijo que EE.UU. y México se reunieron el 27 de dic. en la capital.",
        "¿Habrá acuerdo?",
        "Ángel Pérez no lo sabe.",
    ]


@pytest.mark.parametrize(
    ("sentence", "date"),
    [
        ("La canciller dijo el jueves que ambos países volverán a reunirse.", "jueves"),
        ("El INM informó este lunes que rescató a 312 personas en Veracruz.", "lunes"),
        ("En un comunicado publicado el viernes, la cancillería habló de acuerdos.", "viernes"),
        ("Según fuentes oficiales el martes, la caravana se disolvió.", "martes"),
    ],
)
def test_a_date_attached_to_a_spanish_saying_dates_the_saying(sentence, date):
    at = sentence.index(date)
    assert is_reporting_date(sentence, at, "es")


def test_a_date_of_the_happening_is_not_a_saying():
    sentence = "Los migrantes salieron de Tapachula el domingo, dijo un portavoz."
    assert not is_reporting_date(sentence, sentence.index("domingo"), "es")


def test_a_pluperfect_after_the_dated_saying_is_a_completed_happening():
    done = "México dijo el miércoles que había alcanzado acuerdos importantes."
    plan = "México dijo el miércoles que podría alcanzar acuerdos importantes."
    assert complement_is_event(done, done.index("miércoles") + 9, "es")
    assert not complement_is_event(plan, plan.index("miércoles") + 9, "es")


def test_spanish_attribution_is_stripped_from_the_clause():
    clause, speaker = strip_attribution(
        "La cancillería mexicana dijo el miércoles que había alcanzado acuerdos con Washington",
        ["miércoles"],
        "es",
    )
    assert speaker == "La cancillería mexicana"
    assert clause == "había alcanzado acuerdos con Washington"


def test_names_with_accents_and_particles():
    actors, places = names(
        "El presidente Andrés Manuel López Obrador recibió en Palacio Nacional a Antony Blinken y "
        "viajará desde Tapachula a Ciudad de México con la Secretaría de la Defensa Nacional.",
        "es",
    )
    assert actors == ["Andrés Manuel López Obrador", "Antony Blinken", "Secretaría de la Defensa Nacional"]
    assert places == ["Palacio Nacional", "Tapachula", "Ciudad de México"]


def test_english_reading_is_unchanged_by_the_spanish_data():
    sentence = "Ángel Pérez said on Wednesday the talks were productive."
    assert is_reporting_date(sentence, sentence.index("Wednesday"))
    assert not is_reporting_date("Pérez dijo el jueves que sí.", 15)
    assert names("Los cancilleres se reunieron en Ciudad de la Habana.", "es")[1] == ["Ciudad de la Habana"]
