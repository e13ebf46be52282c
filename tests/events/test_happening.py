"""Which happening a date phrase dates: each rule of `timeline.events.happening` with its example phrases."""

from __future__ import annotations

import pytest

from timeline.events.happening import noun_happening, subordinate_happening

CASES = [
    # possessive: the phrase after the date, up to its event noun
    ("Deals were struck, a key issue in next year's US elections.", "next year", "US elections"),
    ("Turnout fell in Tuesday's vote across the state.", "Tuesday", "vote"),
    # after its noun, directly or through "of"
    ("It is a key issue ahead of Biden's expected re-election bid next year.", "next year",
     "Biden's expected re-election bid"),
    ("It would play a significant role in the US election of 2024.", "2024", "the US election"),
    # before its noun, after a determiner
    ("in the period leading up to the 20 April explosion, BP said", "20 April", "the 20 April explosion"),
    # an appositive to a name
    ("Donald Trump, the leading candidate to take on Biden in 2024, has promised a crackdown.", "2024",
     "Donald Trump, the leading candidate to take on Biden in 2024"),
    # the clause's verb keeps its date
    ("Lopez Obrador met Blinken on Wednesday to discuss migration.", "Wednesday", None),
    ("The talks on Wednesday ended without a deal.", "Wednesday", None),  # the subject: the clause's own
    ("Obama, the president, said on Monday that it was over.", "Monday", None),
    ("The explosion on 20 April killed 11 workers.", "20 April", None),
    ("Tuesday's earthquake has left as many as 50,000 people dead.", "Tuesday", None),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "expression", "phrase"), CASES)
def test_a_date_dates_the_happening_of_its_noun_phrase(
    sentence: str, expression: str, phrase: str | None
) -> None:
    start = sentence.index(expression)
    span = noun_happening(sentence, start, start + len(expression))
    assert (sentence[span[0] : span[1]] if span else None) == phrase


SUBORDINATE = [
    ("Oil has been leaking into the Gulf since the Deepwater Horizon rig exploded on 20 April, killing 11.",
     "20 April", "the Deepwater Horizon rig exploded on 20 April"),
    ("Blinken arrived in Mexico City on Wednesday after meeting Biden on Monday.", "Monday",
     "meeting Biden on Monday"),
    ("The meeting was called after Biden and Lopez Obrador agreed by phone last week that action was "
     "needed.", "last week", "Biden and Lopez Obrador agreed by phone last week that action was needed"),
    # the main clause keeps its own date
    ("Blinken arrived in Mexico City on Wednesday after meeting Biden on Monday.", "Wednesday", None),
    ("The talks ended after midnight on Wednesday.", "Wednesday", None),  # no happening of its own
    ("After the talks on Monday, the sides agreed.", "Monday", None),  # a leading setting
    ("It was the worst attack since 2003.", "2003", None),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "expression", "clause"), SUBORDINATE)
def test_a_date_in_a_temporal_subordinate_clause_dates_that_clause(
    sentence: str, expression: str, clause: str | None
) -> None:
    start = sentence.index(expression)
    span = subordinate_happening(sentence, start, start + len(expression))
    assert (sentence[span[0] : span[1]] if span else None) == clause
