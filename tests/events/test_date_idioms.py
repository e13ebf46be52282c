"""A figure of speech the tagger reads as a date ("at the end of the day") dates no happening."""

from timeline.events import extract_mentions
from timeline.models import Article


def _dated(text: str) -> list[str]:
    article = Article(id="a", text=text, published="2011-02-11T12:00:00Z")
    return [m.expression.text for m in extract_mentions(article)]


def test_the_idiom_yields_no_mention():
    text = "At the end of the day, the army sided with the protesters and the regime fell apart."
    assert not any("end of the day" in e.lower() for e in _dated(text))


def test_a_deadline_by_the_end_of_the_day_still_dates_its_sentence():
    text = "The crowd gave the president until the end of the day to step down from office."
    assert any("end of the day" in e.lower() for e in _dated(text))
