"""Reporting versus reported dates, and clauses without their attribution."""

import pytest

from timeline.events.attribution import (
    complement_is_event,
    is_reporting_date,
    resolve_pronoun,
    split_clause,
    strip_attribution,
    title_from,
)


def _at(sentence: str, expression: str) -> tuple[int, int]:
    start = sentence.index(expression)
    return start, start + len(expression)


@pytest.mark.parametrize(
    ("sentence", "expression", "reporting"),
    [
        ("a State Department official said Thursday the talks were productive", "Thursday", True),
        ("Mexico said on Wednesday it had struck deals", "Wednesday", True),
        ("In a statement released on Friday, CBP said 190,000 people were apprehended", "Friday", True),
        ("Up to 10,000 people crossed each day, according to US officials last week", "last week", True),
        ("The caravan departed from Tapachula on Christmas Eve", "Christmas Eve", False),
        ("On Tuesday, 6,000 migrants passed the checkpoint", "Tuesday", False),
        ("Lopez Obrador met Blinken on Wednesday", "Wednesday", False),
    ],
)
def test_a_date_attached_to_a_saying_dates_the_saying(
    sentence: str, expression: str, reporting: bool
) -> None:
    assert is_reporting_date(sentence, _at(sentence, expression)[0]) is reporting


def test_a_completed_happening_reported_is_dated_by_the_saying_day() -> None:
    deals = "Mexico said on Wednesday it had struck deals with the US"
    talks = "a State Department official said Thursday the talks were productive"
    assert complement_is_event(deals, _at(deals, "Wednesday")[1])
    assert not complement_is_event(talks, _at(talks, "Thursday")[1])


def test_strip_attribution_keeps_the_happening_and_its_actor() -> None:
    clause, speaker = strip_attribution(
        "Mexico said on Wednesday it had struck deals with the US", ["Wednesday"]
    )
    assert clause == "Mexico had struck deals with the US"
    assert speaker == "Mexico"
    clause, _ = strip_attribution(
        "Talks between Mexican and U.S. officials were productive, a State Department official said Thursday"
    )
    assert clause == "Talks between Mexican and U.S. officials were productive"
    clause, _ = strip_attribution("Up to 10,000 people crossed each day, according to US officials last week")
    assert clause == "Up to 10,000 people crossed each day"
    sentence = "In fiscal years 2022 and 2023, two million were detained at the border of the United States."
    assert strip_attribution(sentence)[0] == sentence


def test_split_clause_cuts_at_connectives_only_when_both_sides_say_something() -> None:
    sentence = "Troops shelled the city on Monday, while rebels held the port in the north for a week"
    start, end = split_clause(sentence, *_at(sentence, "Monday"))
    assert sentence[start:end] == "Troops shelled the city on Monday"
    short = "Talks on Monday, and more"
    assert split_clause(short, *_at(short, "Monday")) == (0, len(short))


def test_an_and_right_before_a_date_opens_the_dates_own_clause() -> None:
    sentence = "He pledged help last week and earlier on Wednesday he urged lawmakers to invest more"
    start, end = split_clause(sentence, *_at(sentence, "earlier on Wednesday"))
    assert sentence[start:end] == "earlier on Wednesday he urged lawmakers to invest more"
    # a pair of dates is one phrase: what follows the second says too little to be a clause
    pair = "The talks on Monday and Tuesday ended"
    assert split_clause(pair, *_at(pair, "Tuesday")) == (0, len(pair))


def test_title_drops_the_date_phrase_and_trims() -> None:
    title = title_from(
        "On Christmas Eve, the caravan departed from the southern Mexican city of Tapachula", "Christmas Eve"
    )
    assert title == "The caravan departed from the southern Mexican city of Tapachula"
    # a date that is part of a noun phrase stays: cutting it would leave "In both and 2023"
    kept = title_from("In both fiscal years 2022 and 2023, more were detained", "2022")
    assert kept == "In both fiscal years 2022 and 2023, more were detained"
    long = " ".join(["word"] * 30)
    assert title_from(long, None).endswith("…")
    assert len(title_from(long, None).split()) == 15


def test_a_long_title_is_cut_where_a_phrase_ends_never_after_a_function_word() -> None:
    clause = (
        "Mexican President Andres Manuel Lopez Obrador met for more than two hours with U.S. Secretary of "
        "State Antony Blinken and other top officials"
    )
    title = title_from(clause, None)
    assert title.endswith("…") and len(title.split()) <= 15
    last = title.rstrip("…").split()[-1].lower()
    assert last not in {"of", "with", "the", "and", "for", "to", "a"}
    # cut before "with", the start of the next phrase, not inside "Secretary of State"
    assert title == "Mexican President Andres Manuel Lopez Obrador met for more than two hours…"


def test_a_title_has_no_space_before_punctuation_where_the_date_was() -> None:
    title = title_from(
        "The caravan left the southern Mexican city of Tapachula on Christmas Eve.", "Christmas Eve"
    )
    assert title == "The caravan left the southern Mexican city of Tapachula"
    assert title_from("Over 190,000 people were apprehended in November alone", "November") == (
        "Over 190,000 people were apprehended"
    )


def test_a_date_inside_a_saying_dates_what_is_said() -> None:
    sentence = (
        "In a statement released on Friday, border authorities stated that over 190,000 people were caught "
        "in November"
    )
    clause, _ = strip_attribution(sentence, ["Friday", "November"], at=sentence.index("November"))
    assert clause == "over 190,000 people were caught in November"


def test_he_or_she_opening_a_clause_becomes_the_actor_named_before() -> None:
    assert resolve_pronoun(
        "earlier on Wednesday he urged lawmakers", "earlier on Wednesday", "Lopez Obrador"
    ) == ("earlier on Wednesday Lopez Obrador urged lawmakers")
    # a pronoun further in is left alone: who "he" is there is not clear
    assert resolve_pronoun("Mexico said he would come", "", "Lopez Obrador") == "Mexico said he would come"
    assert resolve_pronoun("he urged lawmakers", "", None) == "he urged lawmakers"


@pytest.mark.parametrize(
    ("sentence", "date"),
    [
        (
            "The gala was held in Paris and Rome, and is being shown again on TV from 2000 GMT on Friday",
            "Friday",
        ),
        (
            "A rescue team of 40, and including three sniffer dogs - flew to the island on Monday",
            "Monday",
        ),
    ],
)
def test_a_clause_opening_on_its_verb_keeps_its_subject(sentence: str, date: str) -> None:
    start, end = split_clause(sentence, *_at(sentence, date))
    assert start == 0
    assert title_from(sentence[start:end], date).split()[0] in {"The", "A"}


def test_a_cut_after_and_still_happens_when_the_clause_has_a_subject() -> None:
    sentence = "Troops shelled the city for hours, and the rebels left the port on Monday night"
    start, _ = split_clause(sentence, *_at(sentence, "Monday night"))
    assert sentence[start:].startswith("the rebels left")


def test_a_possessive_after_a_saying_keeps_the_saying() -> None:
    sentence = "The charity said its cargo plane had been turned away from the airport three times"
    clause, speaker = strip_attribution(sentence)
    assert clause == sentence
    assert speaker is None
    assert title_from(clause, None).startswith("The charity said its cargo plane")


def test_a_reporting_verb_before_to_is_no_saying() -> None:
    sentence = "Shares of the insurer added to losses on Wednesday, trading down 2 percent by noon"
    clause, speaker = strip_attribution(sentence, ["Wednesday"])
    assert speaker is None
    assert clause.startswith("Shares of the insurer added to losses")


@pytest.mark.parametrize(
    ("clause", "date", "language", "title"),
    [
        # a relative, deictic or direction word, or a weekday, makes a date an adjunct with no preposition
        ("The well was capped two weeks ago.", "two weeks ago", "en", "The well was capped"),
        (
            "The leaders met yesterday to discuss migration",
            "yesterday",
            "en",
            "The leaders met to discuss migration",
        ),
        (
            "Halliburton defended its actions Thursday, saying so",
            "Thursday",
            "en",
            "Halliburton defended its actions, saying so",
        ),
        (
            "Researchers, in a report Monday, said the slick grew",
            "Monday",
            "en",
            "Researchers, in a report, said the slick grew",
        ),
        (
            "Exxon Valdez -- 20 years later, the costs are unknown",
            "20 years later",
            "en",
            "Exxon Valdez -- the costs are unknown",
        ),
        ("Yesterday, the caravan left Tapachula", "Yesterday", "en", "The caravan left Tapachula"),
        # an entry of a timeline inside the article
        (
            "April 29 - U.S. President Barack Obama pledges every resource",
            "April 29",
            "en",
            "U.S. President Barack Obama pledges every resource",
        ),
        (
            "10 April: Government must withdraw troops from towns",
            "10 April",
            "en",
            "Government must withdraw troops from towns",
        ),
        (
            "Gadhafi Thursday blamed the uprising on bin Laden",
            "Thursday",
            "en",
            "Gadhafi blamed the uprising on bin Laden",
        ),
        (
            "Los líderes se reunieron la semana pasada en Palenque",
            "la semana pasada",
            "es",
            "Los líderes se reunieron en Palenque",
        ),
        (
            "Los líderes se reunieron hace dos semanas en Palenque",
            "hace dos semanas",
            "es",
            "Los líderes se reunieron en Palenque",
        ),
        # where it belongs to a phrase it stays
        ("Protesters planned a rally for Sunday at a gas station", "Sunday", "en", None),
        ("It was Tuesday afternoon and she was in a great mood", "Tuesday afternoon", "en", None),
        ("Tuesday was the official start of the hurricane season", "Tuesday", "en", None),
        ('The governor said on "Fox News Sunday" that', "Sunday", "en", None),
        ("The governor said on Fox News Sunday that it was over", "Sunday", "en", None),
        ("They want to cancel this summer's plans for drilling", "this summer", "en", None),
        ("Pull it back to the surface (Friday) to adjust it", "Friday", "en", None),
        ("Every other Thursday on the show", "Thursday", "en", None),
        ("La reunión de ayer terminó sin acuerdo", "ayer", "es", None),
        ("They will not be able to do it, at least not today", "today", "en", None),
        ("Two weeks ago.", "Two weeks ago", "en", None),
    ],
)
def test_a_date_with_no_preposition_is_cut_only_where_it_is_an_adjunct(
    clause: str, date: str, language: str, title: str | None
) -> None:
    expected = clause.rstrip(".") if title is None else title
    assert title_from(clause, date, language=language) == expected[:1].upper() + expected[1:]
