"""Actors and places from capitalised runs and the gazetteer."""

from timeline.events.entities import names


def test_people_are_actors_and_gazetteer_or_in_names_are_places() -> None:
    actors, places = names(
        "On Wednesday Antony Blinken met Andres Manuel Lopez Obrador in Mexico City; caravans left Tapachula"
    )
    assert "Antony Blinken" in actors
    assert "Andres Manuel Lopez Obrador" in actors
    assert "Mexico City" in places
    assert "Tapachula" in places
    assert not any(name in actors for name in ("On", "Wednesday", "On Wednesday"))


def test_a_sentence_without_names_has_none() -> None:
    assert names("the talks were productive, officials said on thursday.") == ([], [])
